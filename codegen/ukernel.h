/* C ukernels (codegen/ukernels/) inside generated modules.
 *
 * Why ukernels: TopK, DetectionOutput, NMS-like selection and the CTC
 * decoders are control-heavy (heaps, data-dependent loops, early exits) and
 * run once per inference on small data; written as plain C next to OpenVINO's
 * reference they are short and easy to check, where the same logic through
 * the LLVM-C builder would be hundreds of lines of blocks and phis. clang-22
 * compiles them to bitcode at build time (ukernels.cmake); the compiler links
 * that bitcode into a module the first time a kernel calls one, makes the
 * functions internal (unused ones are dropped by LLVM's global DCE) and gives
 * them the module's target CPU and features. They call nothing but libm's
 * expf and memset/memcpy, so a module stays self-contained for AOT too. */
#ifndef OVCC_CODEGEN_UKERNEL_H
#define OVCC_CODEGEN_UKERNEL_H

#include "cg.h"

/* Emits a call to ukernel `name` (an ovcc_uk_* function) with args. */
ovcc_status cg_uk_call(cg_kernel *k, const char *name, LLVMValueRef *args, unsigned n);

/* A private constant array in the module (the ukernel's parameter table);
 * returns a pointer to its first element. */
LLVMValueRef cg_uk_i64_table(cg_kernel *k, const int64_t *v, unsigned n);
LLVMValueRef cg_uk_f32_table(cg_kernel *k, const float *v, unsigned n);

#endif
