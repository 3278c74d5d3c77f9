/* Entry points of the linear family (MatMul, convolutions) taking an
 * epilogue, so a fusion pass can hand bias/activation code to the
 * accumulator store (gemm.h). NULL: plain store. */
#ifndef OVCC_CODEGEN_LINEAR_H
#define OVCC_CODEGEN_LINEAR_H

#include "gemm.h"

ovcc_status cg_lower_matmul(cg_kernel *k, const ir_op *op, const cg_gemm_epilogue *epi);
/* Convolution, GroupConvolution, ConvolutionBackpropData,
 * GroupConvolutionBackpropData (1-D to 3-D). */
ovcc_status cg_lower_conv(cg_kernel *k, const ir_op *op, const cg_gemm_epilogue *epi);

#endif
