/* Vector math as inlined LLVM IR: exp, log, tanh, sigmoid, erf and friends on
 * f32 scalars or <W x float> vectors, built with the kernel's builder. No libm
 * calls: polynomials, `llvm.fmuladd`, `llvm.floor`/`llvm.roundeven` and
 * exponent bit tricks. The algorithms and constants follow oneDNN's eltwise
 * injector (jit_uni_eltwise_injector.cpp), which OpenVINO's CPU plugin uses for
 * its activations, so results agree with OpenVINO to about 1 ulp; tanh uses
 * Eigen's 13/6 rational (oneDNN's is a 32-interval table; both are ~1 ulp).
 * Every function takes and returns values of one f32 type (scalar or vector). */
#ifndef OVCC_CODEGEN_VMATH_H
#define OVCC_CODEGEN_VMATH_H

#include "cg.h"

/* Constants of type t (scalar, or splat when t is a vector type). */
LLVMValueRef vm_fconst(cg_kernel *k, LLVMTypeRef t, double v);
LLVMValueRef vm_fbits(cg_kernel *k, LLVMTypeRef t, uint32_t bits); /* f32 given by its bits */
LLVMValueRef vm_iconst(cg_kernel *k, LLVMTypeRef t, int64_t v);
/* The integer type with t's shape and `bits` lanes (<W x iN> or iN). */
LLVMTypeRef vm_int_type(cg_kernel *k, LLVMTypeRef t, unsigned bits);

/* a * b + c (fused where the target has FMA). */
LLVMValueRef vm_fma(cg_kernel *k, LLVMValueRef a, LLVMValueRef b, LLVMValueRef c);
/* One-argument float intrinsic ("llvm.fabs", "llvm.floor", ...). */
LLVMValueRef vm_call1(cg_kernel *k, const char *intrinsic, LLVMValueRef x);
/* x86 minps/maxps semantics: a < b ? a : b (b when either is NaN). */
LLVMValueRef vm_min(cg_kernel *k, LLVMValueRef a, LLVMValueRef b);
LLVMValueRef vm_max(cg_kernel *k, LLVMValueRef a, LLVMValueRef b);

LLVMValueRef vm_exp(cg_kernel *k, LLVMValueRef x);     /* oneDNN exp_compute_vector_fwd */
LLVMValueRef vm_log(cg_kernel *k, LLVMValueRef x);     /* Cephes logf */
LLVMValueRef vm_tanh(cg_kernel *k, LLVMValueRef x);    /* Eigen rational 13/6 */
LLVMValueRef vm_sigmoid(cg_kernel *k, LLVMValueRef x); /* oneDNN logistic */
LLVMValueRef vm_erf(cg_kernel *k, LLVMValueRef x);     /* Abramowitz-Stegun 7.1.26 */
/* log(1 + exp(x)) without overflow: max(x, 0) + log(1 + exp(-|x|)). */
LLVMValueRef vm_softplus(cg_kernel *k, LLVMValueRef x);
/* a^b for floats: exact for b = 0, integer b with negative a, a = 0. */
LLVMValueRef vm_pow(cg_kernel *k, LLVMValueRef a, LLVMValueRef b);

#endif
