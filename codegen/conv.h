/* Convolution lowering, private to the linear family: one normalized plan
 * for Convolution, GroupConvolution and their BackpropData forms, in 3-D
 * (1-D and 2-D get leading spatial dims of 1), and two kernels on NCDHW:
 *  - channel-vector (conv.c): output channels in vector lanes, output pixels
 *    of one row as broadcast rows, weights prepacked into panels; any stride,
 *    dilation, padding and the transposed (backprop) form, by per-tap
 *    predicates at the edges. Needs constant weights.
 *  - pixel-vector (conv_pixel.c): output pixels of one row in vector lanes,
 *    output channels as broadcast rows (weights read in place): contiguous
 *    loads and stores for stride 1, the natural kernel for depthwise and
 *    small groups and for 1x1 convolutions over flattened pixels; strides
 *    and the transposed form by masked gathers.
 * Two specialized kernels come first when they apply: depthwise with output
 * rows register-blocked (conv_dw.c) and transposed convolutions whose taps do
 * not overlap along the row (conv_deconv.c). */
#ifndef OVCC_CODEGEN_CONV_H
#define OVCC_CODEGEN_CONV_H

#include "linear.h"

typedef struct conv_plan {
  bool bwd;                        /* BackpropData: out = i * s - pb + tap * dil */
  int64_t N, G, ICg, OCg;          /* batch, groups, channels per group */
  int64_t in[3], out[3], ker[3];   /* spatial (d, h, w) */
  int64_t s[3], dil[3], pb[3];     /* resolved begin pads (may be negative) */
  int64_t T;                       /* taps = ker[0] * ker[1] * ker[2] */
  int64_t w_sg, w_soc, w_sic;      /* weight element strides; taps contiguous */
  LLVMTypeRef x_mem, w_mem, y_mem;
  const ir_tensor *wconst;         /* constant weights, or NULL */
} conv_plan;

/* Input element (n, c, id, ih) row start: index of iw = 0. */
LLVMValueRef conv_x_row(cg_kernel *k, const conv_plan *p, LLVMValueRef n, LLVMValueRef c,
                        LLVMValueRef id, LLVMValueRef ih);
/* Constant weights as a program-owned f32 copy (widened once, independent of
 * how the runtime keeps the model's weights): sets *wt to its buffer and
 * *w_mem to f32. Non-constant weights leave both as they are. */
ovcc_status conv_weights_f32(cg_kernel *k, const conv_plan *p, LLVMValueRef *wt,
                             LLVMTypeRef *w_mem);
/* Output row start of (n, c, od, oh). */
LLVMValueRef conv_y_row(cg_kernel *k, const conv_plan *p, LLVMValueRef n, LLVMValueRef c,
                        LLVMValueRef od, LLVMValueRef oh);

/* Reduction over the taps of dims d and h valid for output (od, oh): calls
 * body(ctx, kd, kh, id, ih) inside the loops (forward: clipped ranges;
 * backprop: taps whose input coordinate is integral and in range). */
typedef void (*conv_tap_body)(cg_kernel *k, void *ctx, LLVMValueRef kd, LLVMValueRef kh,
                              LLVMValueRef id, LLVMValueRef ih);
void conv_for_taps_dh(cg_kernel *k, const conv_plan *p, LLVMValueRef od, LLVMValueRef oh,
                      conv_tap_body body, void *ctx);

/* Phase kernel (conv_deconv.c) for transposed convolutions whose taps do not
 * overlap along the row (kernel <= stride), with constant weights. */
bool conv_deconv_fits(const cg_target *t, const conv_plan *p);
ovcc_status conv_lower_deconv(cg_kernel *k, const conv_plan *p, const cg_gemm_epilogue *epi);

/* Depthwise kernel (conv_dw.c): one channel per group, row stride <= 2,
 * 1-D/2-D, output rows register-blocked. Its epilogue positions are (row,
 * pixel), so callers with an epilogue use the pixel kernel. */
bool conv_dw_fits(const conv_plan *p);
ovcc_status conv_lower_dw(cg_kernel *k, const conv_plan *p, const cg_gemm_epilogue *epi);

ovcc_status conv_lower_pixel(cg_kernel *k, const conv_plan *p, const cg_gemm_epilogue *epi);
/* Lane use of the pixel-vector kernel (0..1) for this plan, 0 if it cannot
 * run it well (strided). */
double conv_pixel_fit(const cg_target *t, const conv_plan *p);

#endif
