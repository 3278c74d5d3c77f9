/* Vector math polynomials as LLVM IR (see vmath.h for the sources of the
 * algorithms). All constants are splat vectors of the operand type. */
#include <string.h>

#include "vmath.h"

static bool is_vec(LLVMTypeRef t) { return LLVMGetTypeKind(t) == LLVMVectorTypeKind; }

static LLVMValueRef splat_like(cg_kernel *k, LLVMTypeRef t, LLVMValueRef s) {
  return is_vec(t) ? cg_splat(k, s, LLVMGetVectorSize(t)) : s;
}

LLVMValueRef vm_fconst(cg_kernel *k, LLVMTypeRef t, double v) {
  LLVMTypeRef et = is_vec(t) ? LLVMGetElementType(t) : t;
  return splat_like(k, t, LLVMConstReal(et, v));
}

LLVMValueRef vm_fbits(cg_kernel *k, LLVMTypeRef t, uint32_t bits) {
  float f;
  memcpy(&f, &bits, sizeof f);
  return vm_fconst(k, t, (double)f);
}

LLVMValueRef vm_iconst(cg_kernel *k, LLVMTypeRef t, int64_t v) {
  LLVMTypeRef et = is_vec(t) ? LLVMGetElementType(t) : t;
  return splat_like(k, t, LLVMConstInt(et, (unsigned long long)v, true));
}

LLVMTypeRef vm_int_type(cg_kernel *k, LLVMTypeRef t, unsigned bits) {
  LLVMTypeRef it = LLVMIntTypeInContext(k->m->ctx, bits);
  return is_vec(t) ? LLVMVectorType(it, LLVMGetVectorSize(t)) : it;
}

LLVMValueRef vm_fma(cg_kernel *k, LLVMValueRef a, LLVMValueRef b, LLVMValueRef c) {
  LLVMTypeRef t = LLVMTypeOf(a);
  LLVMValueRef args[3] = {a, b, c};
  return cg_intrinsic(k, "llvm.fmuladd", &t, 1, args, 3);
}

LLVMValueRef vm_call1(cg_kernel *k, const char *intrinsic, LLVMValueRef x) {
  LLVMTypeRef t = LLVMTypeOf(x);
  return cg_intrinsic(k, intrinsic, &t, 1, &x, 1);
}

LLVMValueRef vm_min(cg_kernel *k, LLVMValueRef a, LLVMValueRef b) {
  LLVMValueRef lt = LLVMBuildFCmp(k->b, LLVMRealOLT, a, b, "");
  return LLVMBuildSelect(k->b, lt, a, b, "");
}

LLVMValueRef vm_max(cg_kernel *k, LLVMValueRef a, LLVMValueRef b) {
  LLVMValueRef gt = LLVMBuildFCmp(k->b, LLVMRealOGT, a, b, "");
  return LLVMBuildSelect(k->b, gt, a, b, "");
}

/* Horner evaluation c[n-1]*x^(n-1) + ... + c[0] with fused steps. */
static LLVMValueRef horner(cg_kernel *k, LLVMValueRef x, const double *c, int n) {
  LLVMTypeRef t = LLVMTypeOf(x);
  LLVMValueRef p = vm_fconst(k, t, c[n - 1]);
  for (int i = n - 2; i >= 0; i--)
    p = vm_fma(k, p, x, vm_fconst(k, t, c[i]));
  return p;
}

static LLVMValueRef horner_bits(cg_kernel *k, LLVMValueRef x, const uint32_t *c, int n) {
  LLVMTypeRef t = LLVMTypeOf(x);
  LLVMValueRef p = vm_fbits(k, t, c[n - 1]);
  for (int i = n - 2; i >= 0; i--)
    p = vm_fma(k, p, x, vm_fbits(k, t, c[i]));
  return p;
}

/* oneDNN: clamp to [ln FLT_MIN, ln FLT_MAX]; n = floor(x log2e + 1/2);
 * r = x - n ln2; 2^(n-1) from exponent bits (2^128 is not a float); result
 * 2 * 2^(n-1) * p(r); lanes below ln FLT_MIN are 0. NaN stays NaN. */
LLVMValueRef vm_exp(cg_kernel *k, LLVMValueRef x) {
  static const uint32_t pol[] = {0x3f800000, 0x3f7ffffb, 0x3efffee3,
                                 0x3e2aad40, 0x3d2b9d0d, 0x3c07cfce};
  LLVMBuilderRef b = k->b;
  LLVMTypeRef t = LLVMTypeOf(x), it = vm_int_type(k, t, 32);
  LLVMValueRef lo = vm_fbits(k, t, 0xc2aeac50), hi = vm_fbits(k, t, 0x42b17218);
  LLVMValueRef underflow = LLVMBuildFCmp(b, LLVMRealOLT, x, lo, "");
  LLVMValueRef xc = vm_max(k, vm_min(k, x, hi), lo);
  LLVMValueRef fx = vm_fma(k, xc, vm_fbits(k, t, 0x3fb8aa3b), vm_fconst(k, t, 0.5));
  LLVMValueRef n = vm_call1(k, "llvm.floor", fx);
  LLVMValueRef r = vm_fma(k, LLVMBuildFNeg(b, n, ""), vm_fbits(k, t, 0x3f317218), xc);
  LLVMValueRef ni = LLVMBuildFPToSI(b, LLVMBuildFSub(b, n, vm_fconst(k, t, 1.0), ""), it, "");
  ni = LLVMBuildShl(b, LLVMBuildAdd(b, ni, vm_iconst(k, it, 127), ""), vm_iconst(k, it, 23), "");
  LLVMValueRef p2 = LLVMBuildBitCast(b, ni, t, "");
  p2 = LLVMBuildSelect(b, underflow, vm_fconst(k, t, 0.0), p2, "");
  LLVMValueRef p = horner_bits(k, r, pol, 6);
  LLVMValueRef y = LLVMBuildFMul(b, LLVMBuildFMul(b, p, p2, ""), vm_fconst(k, t, 2.0), "");
  LLVMValueRef nan = LLVMBuildFCmp(b, LLVMRealUNO, x, x, "");
  return LLVMBuildSelect(b, nan, x, y, "exp");
}

/* Cephes logf: x = m 2^e with m in [sqrt(1/2), sqrt(2)); log(m) by a degree-9
 * polynomial in m - 1; e ln2 added in two parts. Subnormals are scaled by 2^23
 * first; x < 0 or NaN gives NaN, 0 gives -inf, inf gives inf. */
LLVMValueRef vm_log(cg_kernel *k, LLVMValueRef x) {
  static const double c[] = {3.3333331174E-1, -2.4999993993E-1, 2.0000714765E-1,
                             -1.6668057665E-1, 1.4249322787E-1, -1.2420140846E-1,
                             1.1676998740E-1, -1.1514610310E-1, 7.0376836292E-2};
  LLVMBuilderRef b = k->b;
  LLVMTypeRef t = LLVMTypeOf(x), it = vm_int_type(k, t, 32);
  LLVMValueRef sub = LLVMBuildFCmp(b, LLVMRealOLT, x, vm_fbits(k, t, 0x00800000), "");
  LLVMValueRef xs = LLVMBuildSelect(b, sub, LLVMBuildFMul(b, x, vm_fconst(k, t, 8388608.0), ""),
                                    x, "");
  LLVMValueRef bits = LLVMBuildBitCast(b, xs, it, "");
  LLVMValueRef e = LLVMBuildSub(b, LLVMBuildLShr(b, bits, vm_iconst(k, it, 23), ""),
                                vm_iconst(k, it, 126), "");
  e = LLVMBuildSub(b, e, LLVMBuildSelect(b, sub, vm_iconst(k, it, 23), vm_iconst(k, it, 0), ""),
                   "");
  LLVMValueRef mb = LLVMBuildOr(b, LLVMBuildAnd(b, bits, vm_iconst(k, it, 0x007fffff), ""),
                                vm_iconst(k, it, 0x3f000000), "");
  LLVMValueRef m = LLVMBuildBitCast(b, mb, t, ""); /* [0.5, 1) */
  LLVMValueRef small = LLVMBuildFCmp(b, LLVMRealOLT, m, vm_fconst(k, t, 0.707106781186547524), "");
  LLVMValueRef ef = LLVMBuildSIToFP(b, e, t, "");
  ef = LLVMBuildFSub(b, ef, LLVMBuildSelect(b, small, vm_fconst(k, t, 1.0), vm_fconst(k, t, 0.0), ""),
                     "");
  m = LLVMBuildFSub(b, LLVMBuildSelect(b, small, LLVMBuildFAdd(b, m, m, ""), m, ""),
                    vm_fconst(k, t, 1.0), "");
  LLVMValueRef z = LLVMBuildFMul(b, m, m, "");
  LLVMValueRef y = LLVMBuildFMul(b, LLVMBuildFMul(b, horner(k, m, c, 9), m, ""), z, "");
  y = vm_fma(k, ef, vm_fconst(k, t, -2.12194440e-4), y);
  y = vm_fma(k, z, vm_fconst(k, t, -0.5), y);
  LLVMValueRef r = LLVMBuildFAdd(b, m, y, "");
  r = vm_fma(k, ef, vm_fconst(k, t, 0.693359375), r);
  /* Special inputs: inf -> inf, 0 -> -inf, negative or NaN -> NaN. */
  LLVMValueRef inf = vm_fconst(k, t, __builtin_inf());
  r = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOEQ, x, inf, ""), inf, r, "");
  r = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOEQ, x, vm_fconst(k, t, 0.0), ""),
                      vm_fconst(k, t, -__builtin_inf()), r, "");
  LLVMValueRef bad = LLVMBuildFCmp(b, LLVMRealULT, x, vm_fconst(k, t, 0.0), "");
  return LLVMBuildSelect(b, bad, vm_fconst(k, t, __builtin_nan("")), r, "log");
}

/* Eigen's generic_fast_tanh_float: odd 13/even 6 rational on x clamped to
 * +-7.9053 (where it reaches 1), x itself below 4e-4. */
LLVMValueRef vm_tanh(cg_kernel *k, LLVMValueRef x) {
  static const double alpha[] = {4.89352455891786e-03, 6.37261928875436e-04,
                                 1.48572235717979e-05, 5.12229709037114e-08,
                                 -8.60467152213735e-11, 2.00018790482477e-13,
                                 -2.76076847742355e-16};
  static const double beta[] = {4.89352518554385e-03, 2.26843463243900e-03,
                                1.18534705686654e-04, 1.19825839466702e-06};
  LLVMBuilderRef b = k->b;
  LLVMTypeRef t = LLVMTypeOf(x);
  LLVMValueRef lim = vm_fconst(k, t, 7.90531110763549805);
  LLVMValueRef xc = vm_max(k, vm_min(k, x, lim), LLVMBuildFNeg(b, lim, ""));
  LLVMValueRef x2 = LLVMBuildFMul(b, xc, xc, "");
  LLVMValueRef p = LLVMBuildFMul(b, horner(k, x2, alpha, 7), xc, "");
  LLVMValueRef q = horner(k, x2, beta, 4);
  LLVMValueRef r = LLVMBuildFDiv(b, p, q, "");
  LLVMValueRef tiny = LLVMBuildFCmp(b, LLVMRealOLT, vm_call1(k, "llvm.fabs", x),
                                    vm_fconst(k, t, 0.0004), "");
  r = LLVMBuildSelect(b, tiny, x, r, "");
  LLVMValueRef nan = LLVMBuildFCmp(b, LLVMRealUNO, x, x, "");
  return LLVMBuildSelect(b, nan, x, r, "tanh");
}

/* oneDNN logistic: e = exp(-|x|), y = e / (1 + e); 1 - y where x > 0. */
LLVMValueRef vm_sigmoid(cg_kernel *k, LLVMValueRef x) {
  LLVMBuilderRef b = k->b;
  LLVMTypeRef t = LLVMTypeOf(x);
  LLVMValueRef neg = LLVMBuildFNeg(b, vm_call1(k, "llvm.fabs", x), "");
  LLVMValueRef e = vm_exp(k, neg);
  LLVMValueRef one = vm_fconst(k, t, 1.0);
  LLVMValueRef y = LLVMBuildFDiv(b, e, LLVMBuildFAdd(b, e, one, ""), "");
  LLVMValueRef pos = LLVMBuildFCmp(b, LLVMRealOGT, x, vm_fconst(k, t, 0.0), "");
  return LLVMBuildSelect(b, pos, LLVMBuildFSub(b, one, y, ""), y, "sigmoid");
}

/* A&S 7.1.26 as oneDNN's gelu_erf / OpenVINO's erf emitter compute it:
 * t = 1 / (1 + p|x|), erf = sign(x) (1 - t P(t) exp(-x^2)). */
LLVMValueRef vm_erf(cg_kernel *k, LLVMValueRef x) {
  static const double a[] = {0.0, 0.254829592, -0.284496736, 1.421413741, -1.453152027,
                             1.061405429};
  LLVMBuilderRef b = k->b;
  LLVMTypeRef t = LLVMTypeOf(x);
  LLVMValueRef ax = vm_call1(k, "llvm.fabs", x);
  LLVMValueRef one = vm_fconst(k, t, 1.0);
  LLVMValueRef tt = LLVMBuildFDiv(b, one, vm_fma(k, ax, vm_fconst(k, t, 0.3275911), one), "");
  LLVMValueRef e = vm_exp(k, LLVMBuildFNeg(b, LLVMBuildFMul(b, ax, ax, ""), ""));
  LLVMValueRef p = horner(k, tt, a, 6);
  LLVMValueRef y = vm_fma(k, LLVMBuildFNeg(b, p, ""), e, one);
  LLVMValueRef sign[2] = {y, x};
  return cg_intrinsic(k, "llvm.copysign", &t, 1, sign, 2);
}

LLVMValueRef vm_softplus(cg_kernel *k, LLVMValueRef x) {
  LLVMBuilderRef b = k->b;
  LLVMTypeRef t = LLVMTypeOf(x);
  LLVMValueRef e = vm_exp(k, LLVMBuildFNeg(b, vm_call1(k, "llvm.fabs", x), ""));
  LLVMValueRef l = vm_log(k, LLVMBuildFAdd(b, e, vm_fconst(k, t, 1.0), ""));
  LLVMValueRef r = LLVMBuildFAdd(b, vm_max(k, x, vm_fconst(k, t, 0.0)), l, "");
  LLVMValueRef nan = LLVMBuildFCmp(b, LLVMRealUNO, x, x, "");
  return LLVMBuildSelect(b, nan, x, r, "softplus");
}

/* exp(b log|a|) with the sign of an odd integer b on negative a; NaN for a
 * negative a with non-integer b; b = 0 gives 1; a = 0 gives 0 or inf. */
LLVMValueRef vm_pow(cg_kernel *k, LLVMValueRef a, LLVMValueRef e) {
  LLVMBuilderRef b = k->b;
  LLVMTypeRef t = LLVMTypeOf(a);
  LLVMValueRef zero = vm_fconst(k, t, 0.0), one = vm_fconst(k, t, 1.0);
  LLVMValueRef inf = vm_fconst(k, t, __builtin_inf());
  LLVMValueRef l = vm_log(k, vm_call1(k, "llvm.fabs", a));
  LLVMValueRef r = vm_exp(k, LLVMBuildFMul(b, e, l, ""));
  /* exp saturates near FLT_MAX; overflow to inf like powf does */
  LLVMValueRef big = LLVMBuildFCmp(b, LLVMRealOGT, LLVMBuildFMul(b, e, l, ""),
                                   vm_fbits(k, t, 0x42b17218), "");
  r = LLVMBuildSelect(b, big, inf, r, "");
  LLVMValueRef ei = vm_call1(k, "llvm.trunc", e);
  LLVMValueRef is_int = LLVMBuildFCmp(b, LLVMRealOEQ, ei, e, "");
  LLVMValueRef half = LLVMBuildFMul(b, e, vm_fconst(k, t, 0.5), "");
  LLVMValueRef odd = LLVMBuildAnd(
      b, is_int, LLVMBuildFCmp(b, LLVMRealUNE, vm_call1(k, "llvm.trunc", half), half, ""), "");
  LLVMValueRef neg = LLVMBuildFCmp(b, LLVMRealOLT, a, zero, "");
  LLVMValueRef signed_r =
      LLVMBuildSelect(b, LLVMBuildAnd(b, neg, odd, ""), LLVMBuildFNeg(b, r, ""), r, "");
  LLVMValueRef nan = LLVMBuildAnd(b, neg, LLVMBuildNot(b, is_int, ""), "");
  r = LLVMBuildSelect(b, nan, vm_fconst(k, t, __builtin_nan("")), signed_r, "");
  LLVMValueRef a0 = LLVMBuildFCmp(b, LLVMRealOEQ, a, zero, "");
  LLVMValueRef zpow = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOLT, e, zero, ""), inf, zero, "");
  LLVMValueRef sign[2] = {zpow, a}; /* pow(-0, odd) keeps the sign */
  zpow = LLVMBuildSelect(b, odd, cg_intrinsic(k, "llvm.copysign", &t, 1, sign, 2), zpow, "");
  r = LLVMBuildSelect(b, a0, zpow, r, "");
  LLVMValueRef e0 = LLVMBuildFCmp(b, LLVMRealOEQ, e, zero, "");
  return LLVMBuildSelect(b, e0, one, r, "pow");
}
