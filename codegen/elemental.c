/* The elemental emitter (see elemental.h): one function per op class maps
 * operand values to the result value. Float formulas follow OpenVINO's CPU
 * plugin (its eltwise emitters and oneDNN's injector: Mod as a - trunc(a/b) b,
 * FakeQuantize as crop -> scale/shift -> round-half-even -> scale/shift,
 * Power with the exponents oneDNN special-cases); integer semantics follow
 * ir/eval_elementwise.c. Cases OpenVINO leaves undefined (integer division by
 * zero, over-wide shifts) get a fixed, trap-free answer. */
#include <math.h>
#include <strings.h>

#include "elemental.h"
#include "vmath.h"

static bool is_vec(LLVMTypeRef t) { return LLVMGetTypeKind(t) == LLVMVectorTypeKind; }
static LLVMTypeRef scalar_of(LLVMTypeRef t) { return is_vec(t) ? LLVMGetElementType(t) : t; }
static ir_etype in_et(const ir_op *op, unsigned i) { return ir_op_operand(op, i)->type.et; }
static ir_etype out_et(const ir_op *op) { return op->results[0].type.et; }

static LLVMValueRef fc(cg_kernel *k, LLVMValueRef like, double v) {
  return vm_fconst(k, LLVMTypeOf(like), v);
}
static LLVMValueRef ic(cg_kernel *k, LLVMValueRef like, int64_t v) {
  return vm_iconst(k, LLVMTypeOf(like), v);
}
static LLVMValueRef fsel(cg_kernel *k, LLVMRealPredicate p, LLVMValueRef a, LLVMValueRef b,
                         LLVMValueRef t, LLVMValueRef f) {
  return LLVMBuildSelect(k->b, LLVMBuildFCmp(k->b, p, a, b, ""), t, f, "");
}

/* v != 0 as i1 lanes, for values of element type et. */
static LLVMValueRef to_bool(cg_kernel *k, LLVMValueRef v, ir_etype et) {
  return cg_elem_convert(k, v, et, IR_ET_BOOLEAN);
}

/* ---- float unary ops and activations ---- */

/* The ops whose f32 formula uses vmath polynomials; f64 inputs narrow to f32
 * for them (OpenVINO's CPU plugin runs f64 models in f32 anyway). */
static bool needs_f32(ir_op_id kind) {
  switch (kind) {
  case IR_OP_ERF_1: case IR_OP_EXP_1: case IR_OP_LOG_1: case IR_OP_TANH_1: case IR_OP_SINH_1:
  case IR_OP_COSH_1: case IR_OP_ASINH_3: case IR_OP_ACOSH_3: case IR_OP_ATANH_3:
  case IR_OP_SIGMOID_1: case IR_OP_ELU_1: case IR_OP_SELU_1: case IR_OP_GELU_2:
  case IR_OP_GELU_7: case IR_OP_SWISH_4: case IR_OP_MISH_4: case IR_OP_SOFTPLUS_4:
    return true;
  default:
    return false;
  }
}

static LLVMValueRef gelu(cg_kernel *k, LLVMValueRef x, bool tanh_mode) {
  LLVMBuilderRef b = k->b;
  LLVMValueRef inner;
  if (tanh_mode) { /* sqrt(2/pi) (x + 0.044715 x^3) */
    LLVMValueRef x2 = LLVMBuildFMul(b, x, x, "");
    LLVMValueRef g = vm_fma(k, x2, fc(k, x, 0.044715), fc(k, x, 1.0));
    inner = vm_tanh(k, LLVMBuildFMul(b, LLVMBuildFMul(b, g, x, ""), fc(k, x, 0.7978845608028654),
                                     ""));
  } else {
    inner = vm_erf(k, LLVMBuildFMul(b, x, fc(k, x, 0.7071067811865476), ""));
  }
  LLVMValueRef h = LLVMBuildFMul(b, x, fc(k, x, 0.5), "");
  return vm_fma(k, h, inner, h);
}

/* alpha (exp(x) - 1) for x <= 0, x otherwise. */
static LLVMValueRef elu(cg_kernel *k, LLVMValueRef x, LLVMValueRef alpha) {
  LLVMValueRef em1 = LLVMBuildFSub(k->b, vm_exp(k, x), fc(k, x, 1.0), "");
  return fsel(k, LLVMRealOGT, x, fc(k, x, 0.0), x, LLVMBuildFMul(k->b, alpha, em1, ""));
}

/* relu6(x + 3) / 6 */
static LLVMValueRef hsigmoid(cg_kernel *k, LLVMValueRef x) {
  LLVMValueRef r = LLVMBuildFAdd(k->b, x, fc(k, x, 3.0), "");
  r = vm_min(k, vm_max(k, r, fc(k, x, 0.0)), fc(k, x, 6.0));
  return LLVMBuildFMul(k->b, r, fc(k, x, 1.0 / 6.0), "");
}

/* x rounded to float type et, as a host double (Clamp bounds). */
static double round_to(ir_etype et, double v) {
  if (et == IR_ET_F16)
    return ir_f16_to_f32(ir_f32_to_f16((float)v));
  if (et == IR_ET_BF16)
    return ir_bf16_to_f32(ir_f32_to_bf16((float)v));
  return et == IR_ET_F64 ? v : (double)(float)v;
}

static LLVMValueRef asinh_f(cg_kernel *k, LLVMValueRef x) {
  LLVMBuilderRef b = k->b;
  LLVMValueRef ax = vm_call1(k, "llvm.fabs", x);
  LLVMValueRef s = vm_call1(k, "llvm.sqrt", vm_fma(k, ax, ax, fc(k, x, 1.0)));
  LLVMValueRef r = vm_log(k, LLVMBuildFAdd(b, ax, s, ""));
  LLVMValueRef big = LLVMBuildFAdd(b, vm_log(k, ax), fc(k, x, M_LN2), ""); /* x^2 overflows */
  r = fsel(k, LLVMRealOGT, ax, fc(k, x, 1e18), big, r);
  LLVMTypeRef t = LLVMTypeOf(x);
  LLVMValueRef args[2] = {r, x};
  return cg_intrinsic(k, "llvm.copysign", &t, 1, args, 2);
}

static LLVMValueRef acosh_f(cg_kernel *k, LLVMValueRef x) {
  LLVMBuilderRef b = k->b;
  LLVMValueRef s = vm_call1(k, "llvm.sqrt", vm_fma(k, x, x, fc(k, x, -1.0)));
  LLVMValueRef r = vm_log(k, LLVMBuildFAdd(b, x, s, ""));
  LLVMValueRef big = LLVMBuildFAdd(b, vm_log(k, x), fc(k, x, M_LN2), "");
  r = fsel(k, LLVMRealOGT, x, fc(k, x, 1e18), big, r);
  return fsel(k, LLVMRealOLT, x, fc(k, x, 1.0), fc(k, x, NAN), r);
}

static LLVMValueRef atanh_f(cg_kernel *k, LLVMValueRef x) {
  LLVMBuilderRef b = k->b;
  LLVMValueRef one = fc(k, x, 1.0);
  LLVMValueRef q = LLVMBuildFDiv(b, LLVMBuildFAdd(b, one, x, ""), LLVMBuildFSub(b, one, x, ""), "");
  return LLVMBuildFMul(b, vm_log(k, q), fc(k, x, 0.5), "");
}

/* (e^x -+ e^-x) / 2 */
static LLVMValueRef sinh_cosh(cg_kernel *k, LLVMValueRef x, bool cosh) {
  LLVMBuilderRef b = k->b;
  LLVMValueRef e = vm_exp(k, x), ei = vm_exp(k, LLVMBuildFNeg(b, x, ""));
  LLVMValueRef s = cosh ? LLVMBuildFAdd(b, e, ei, "") : LLVMBuildFSub(b, e, ei, "");
  LLVMValueRef r = LLVMBuildFMul(b, s, fc(k, x, 0.5), "");
  if (cosh)
    return r;
  /* small |x|: x + x^3/6 avoids the cancellation */
  LLVMValueRef x3 = LLVMBuildFMul(b, LLVMBuildFMul(b, x, x, ""), x, "");
  LLVMValueRef series = vm_fma(k, x3, fc(k, x, 1.0 / 6.0), x);
  return fsel(k, LLVMRealOLT, vm_call1(k, "llvm.fabs", x), fc(k, x, 0.01), series, r);
}

static LLVMValueRef is_class(cg_kernel *k, const ir_op *op, LLVMValueRef x) {
  LLVMBuilderRef b = k->b;
  LLVMValueRef inf = fc(k, x, INFINITY), ninf = fc(k, x, -INFINITY);
  switch (op->kind) {
  case IR_OP_ISNAN_10: return LLVMBuildFCmp(b, LLVMRealUNO, x, x, "");
  case IR_OP_ISFINITE_10:
    return LLVMBuildFCmp(b, LLVMRealOLT, vm_call1(k, "llvm.fabs", x), inf, "");
  default: { /* IsInf */
    LLVMValueRef r = LLVMConstNull(vm_int_type(k, LLVMTypeOf(x), 1));
    if (ir_op_attr_bool(op, "detect_positive", true))
      r = LLVMBuildOr(b, r, LLVMBuildFCmp(b, LLVMRealOEQ, x, inf, ""), "");
    if (ir_op_attr_bool(op, "detect_negative", true))
      r = LLVMBuildOr(b, r, LLVMBuildFCmp(b, LLVMRealOEQ, x, ninf, ""), "");
    return r;
  }
  }
}

/* Float unary op / activation; in[1..] are its tensor parameters (Selu,
 * HardSigmoid alpha/beta, Swish beta). NULL if the op is not one. */
static LLVMValueRef unary_float(cg_kernel *k, const ir_op *op, LLVMValueRef x, LLVMValueRef *in,
                                unsigned n_in) {
  LLVMBuilderRef b = k->b;
  LLVMValueRef zero = fc(k, x, 0.0), one = fc(k, x, 1.0);
  switch (op->kind) {
  case IR_OP_ABS_1: return vm_call1(k, "llvm.fabs", x);
  case IR_OP_ACOS_1: return vm_call1(k, "llvm.acos", x);
  case IR_OP_ACOSH_3: return acosh_f(k, x);
  case IR_OP_ASIN_1: return vm_call1(k, "llvm.asin", x);
  case IR_OP_ASINH_3: return asinh_f(k, x);
  case IR_OP_ATAN_1: return vm_call1(k, "llvm.atan", x);
  case IR_OP_ATANH_3: return atanh_f(k, x);
  case IR_OP_CEILING_1: return vm_call1(k, "llvm.ceil", x);
  case IR_OP_COS_1: return vm_call1(k, "llvm.cos", x);
  case IR_OP_COSH_1: return sinh_cosh(k, x, true);
  case IR_OP_ERF_1: return vm_erf(k, x);
  case IR_OP_EXP_1: /* OpenVINO's Exp gives inf for NaN (its clamp drops the NaN) */
    return fsel(k, LLVMRealUNO, x, x, fc(k, x, INFINITY), vm_exp(k, x));
  case IR_OP_FLOOR_1: return vm_call1(k, "llvm.floor", x);
  case IR_OP_LOG_1: return vm_log(k, x);
  case IR_OP_NEGATIVE_1: return LLVMBuildFNeg(b, x, "");
  case IR_OP_ROUND_5: {
    bool even = strcasecmp(ir_op_attr_str(op, "mode", "half_to_even"), "half_to_even") == 0;
    return vm_call1(k, even ? "llvm.roundeven" : "llvm.round", x);
  }
  case IR_OP_SIGN_1:
    return fsel(k, LLVMRealOGT, x, zero, one, fsel(k, LLVMRealOLT, x, zero, fc(k, x, -1.0), x));
  case IR_OP_SIN_1: return vm_call1(k, "llvm.sin", x);
  case IR_OP_SINH_1: return sinh_cosh(k, x, false);
  case IR_OP_SQRT_1: return vm_call1(k, "llvm.sqrt", x);
  case IR_OP_TAN_1: return vm_call1(k, "llvm.tan", x);
  case IR_OP_TANH_1: return vm_tanh(k, x);
  case IR_OP_IDENTITY_16: return x;
  case IR_OP_LOGICALNOT_1: return LLVMBuildFCmp(b, LLVMRealOEQ, x, zero, "");
  case IR_OP_ISFINITE_10: case IR_OP_ISINF_10: case IR_OP_ISNAN_10: return is_class(k, op, x);
  case IR_OP_RELU_1: return fsel(k, LLVMRealOGT, x, zero, x, zero);
  case IR_OP_SIGMOID_1: return vm_sigmoid(k, x);
  case IR_OP_ELU_1: return elu(k, x, fc(k, x, ir_op_attr_float(op, "alpha", 1.0)));
  case IR_OP_SELU_1: /* lambda * elu(x, alpha) */
    return n_in < 3 ? NULL : LLVMBuildFMul(b, in[2], elu(k, x, in[1]), "");
  case IR_OP_GELU_2: return gelu(k, x, false);
  case IR_OP_GELU_7:
    return gelu(k, x, strcasecmp(ir_op_attr_str(op, "approximation_mode", "ERF"), "TANH") == 0);
  case IR_OP_SWISH_4: {
    LLVMValueRef bx = n_in > 1 && in[1] ? LLVMBuildFMul(b, x, in[1], "") : x;
    return LLVMBuildFMul(b, x, vm_sigmoid(k, bx), "");
  }
  case IR_OP_HSWISH_4: return LLVMBuildFMul(b, x, hsigmoid(k, x), "");
  case IR_OP_HSIGMOID_5: return hsigmoid(k, x);
  case IR_OP_HARDSIGMOID_1:
    return n_in < 3 ? NULL : vm_max(k, vm_min(k, vm_fma(k, in[1], x, in[2]), one), zero);
  case IR_OP_MISH_4: return LLVMBuildFMul(b, x, vm_tanh(k, vm_softplus(k, x)), "");
  case IR_OP_SOFTPLUS_4: return vm_softplus(k, x);
  case IR_OP_SOFTSIGN_9:
    return LLVMBuildFDiv(b, x, LLVMBuildFAdd(b, one, vm_call1(k, "llvm.fabs", x), ""), "");
  case IR_OP_CLAMP_1: {
    ir_etype et = in_et(op, 0);
    LLVMValueRef lo = fc(k, x, round_to(et, ir_op_attr_float(op, "min", 0)));
    LLVMValueRef hi = fc(k, x, round_to(et, ir_op_attr_float(op, "max", 0)));
    return vm_min(k, vm_max(k, x, lo), hi); /* oneDNN clip: NaN gives min */
  }
  default:
    return NULL;
  }
}

/* f64 operands of a vmath op run in f32. */
static LLVMValueRef unary_float_any(cg_kernel *k, const ir_op *op, LLVMValueRef *in,
                                    unsigned n_in) {
  LLVMTypeRef t = LLVMTypeOf(in[0]);
  if (scalar_of(t) != k->m->t_f64 || !needs_f32(op->kind))
    return unary_float(k, op, in[0], in, n_in);
  LLVMTypeRef ft = is_vec(t) ? LLVMVectorType(k->m->t_f32, LLVMGetVectorSize(t)) : k->m->t_f32;
  LLVMValueRef narrow[3];
  for (unsigned i = 0; i < n_in && i < 3; i++)
    narrow[i] = in[i] ? LLVMBuildFPTrunc(k->b, in[i], ft, "") : NULL;
  LLVMValueRef r = unary_float(k, op, narrow[0], narrow, n_in < 3 ? n_in : 3);
  return r ? LLVMBuildFPExt(k->b, r, t, "") : NULL;
}

/* ---- integer unary ops ---- */

/* Math ops on integers compute in f32 and come back rounded to nearest even,
 * as OpenVINO's CPU plugin does (cvtps2dq); its references truncate some. */
static LLVMValueRef unary_int_via_float(cg_kernel *k, const ir_op *op, LLVMValueRef x,
                                        ir_etype et) {
  bool trunc_mode = op->kind == IR_OP_EXP_1 || op->kind == IR_OP_SIN_1 ||
                    op->kind == IR_OP_LOG_1 || op->kind == IR_OP_ASIN_1;
  if (!trunc_mode && !needs_f32(op->kind) && op->kind != IR_OP_SQRT_1 &&
      op->kind != IR_OP_COS_1 && op->kind != IR_OP_TAN_1 && op->kind != IR_OP_ATAN_1 &&
      op->kind != IR_OP_ACOS_1)
    return NULL;
  if (op->kind == IR_OP_SIGMOID_1 || op->kind == IR_OP_ELU_1 || op->kind == IR_OP_SELU_1 ||
      op->kind == IR_OP_GELU_2 || op->kind == IR_OP_GELU_7 || op->kind == IR_OP_SWISH_4 ||
      op->kind == IR_OP_MISH_4 || op->kind == IR_OP_SOFTPLUS_4)
    return NULL;
  LLVMValueRef f = cg_elem_convert(k, x, et, IR_ET_F32);
  LLVMValueRef r = unary_float(k, op, f, &f, 1);
  r = vm_call1(k, "llvm.roundeven", r);
  return cg_elem_convert(k, r, IR_ET_F32, et);
}

/* Clamp bounds for integers: ceil(min), floor(max), saturated to et. */
static LLVMValueRef clamp_int(cg_kernel *k, const ir_op *op, LLVMValueRef x, ir_etype et) {
  bool sgn = ir_etype_is_signed(et);
  unsigned bits = ir_etype_bits(et);
  double tlo = sgn ? -ldexp(1, (int)bits - 1) : 0;
  double thi = sgn ? ldexp(1, (int)bits - 1) - 1 : ldexp(1, (int)bits) - 1;
  double lo = fmin(fmax(ceil(ir_op_attr_float(op, "min", 0)), tlo), thi);
  double hi = fmin(fmax(floor(ir_op_attr_float(op, "max", 0)), tlo), thi);
  LLVMValueRef l = ic(k, x, (int64_t)lo), h = ic(k, x, (int64_t)(uint64_t)hi);
  LLVMIntPredicate lt = sgn ? LLVMIntSLT : LLVMIntULT, gt = sgn ? LLVMIntSGT : LLVMIntUGT;
  LLVMValueRef r = LLVMBuildSelect(k->b, LLVMBuildICmp(k->b, gt, x, h, ""), h, x, "");
  return LLVMBuildSelect(k->b, LLVMBuildICmp(k->b, lt, x, l, ""), l, r, "");
}

static LLVMValueRef unary_int(cg_kernel *k, const ir_op *op, LLVMValueRef x, ir_etype et) {
  LLVMBuilderRef b = k->b;
  bool sgn = ir_etype_is_signed(et) && et != IR_ET_BOOLEAN;
  LLVMValueRef zero = LLVMConstNull(LLVMTypeOf(x));
  switch (op->kind) {
  case IR_OP_ABS_1: {
    if (!sgn)
      return x;
    LLVMValueRef args[2] = {x, LLVMConstInt(k->m->t_i1, 0, false)};
    LLVMTypeRef t = LLVMTypeOf(x);
    return cg_intrinsic(k, "llvm.abs", &t, 1, args, 2);
  }
  case IR_OP_NEGATIVE_1: return LLVMBuildSub(b, zero, x, "");
  case IR_OP_SIGN_1: {
    LLVMValueRef pos = LLVMBuildZExt(b, LLVMBuildICmp(b, sgn ? LLVMIntSGT : LLVMIntUGT, x, zero, ""),
                                     LLVMTypeOf(x), "");
    if (!sgn)
      return pos;
    return LLVMBuildSub(b, pos, LLVMBuildZExt(b, LLVMBuildICmp(b, LLVMIntSLT, x, zero, ""),
                                              LLVMTypeOf(x), ""), "");
  }
  case IR_OP_RELU_1:
    return sgn ? LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntSGT, x, zero, ""), x, zero, "") : x;
  case IR_OP_CEILING_1: case IR_OP_FLOOR_1: case IR_OP_ROUND_5: case IR_OP_IDENTITY_16:
    return x;
  case IR_OP_LOGICALNOT_1: return LLVMBuildICmp(b, LLVMIntEQ, x, zero, "");
  case IR_OP_BITWISENOT_13: return LLVMBuildNot(b, x, "");
  case IR_OP_SIGMOID_1: /* 1 / (1 + (T)exp(-x)) in T */
    return LLVMBuildZExt(b, LLVMBuildICmp(b, sgn ? LLVMIntSGT : LLVMIntUGT, x, zero, ""),
                         LLVMTypeOf(x), "");
  case IR_OP_CLAMP_1: return clamp_int(k, op, x, et);
  default: return unary_int_via_float(k, op, x, et);
  }
}

/* ---- binary ---- */

/* The exponent when operand 1 is a constant with one value everywhere. */
static bool const_exponent(const ir_op *op, double *p) {
  const ir_tensor *t = ir_value_known(ir_op_operand(op, 1));
  if (!t || !t->data || t->numel == 0 || !ir_etype_is_float(t->et))
    return false;
  *p = ir_elem_get_f64(t->et, t->data, 0);
  for (uint64_t i = 1; i < t->numel; i++)
    if (ir_elem_get_f64(t->et, t->data, i) != *p)
      return false;
  return true;
}

/* oneDNN's pow special cases (exact), else exp(b log a). */
static LLVMValueRef power_float(cg_kernel *k, const ir_op *op, LLVMValueRef a, LLVMValueRef e) {
  LLVMBuilderRef b = k->b;
  double p;
  if (const_exponent(op, &p)) {
    if (p == 0) return fc(k, a, 1.0);
    if (p == 1) return a;
    if (p == 2) return LLVMBuildFMul(b, a, a, "");
    if (p == 3) return LLVMBuildFMul(b, LLVMBuildFMul(b, a, a, ""), a, "");
    if (p == 0.5) return vm_call1(k, "llvm.sqrt", a);
    if (p == 1.5) return LLVMBuildFMul(b, vm_call1(k, "llvm.sqrt", a), a, "");
    if (p == -1) return LLVMBuildFDiv(b, fc(k, a, 1.0), a, "");
  }
  LLVMTypeRef t = LLVMTypeOf(a);
  if (scalar_of(t) == k->m->t_f64) {
    LLVMTypeRef ft = is_vec(t) ? LLVMVectorType(k->m->t_f32, LLVMGetVectorSize(t)) : k->m->t_f32;
    LLVMValueRef r = vm_pow(k, LLVMBuildFPTrunc(b, a, ft, ""), LLVMBuildFPTrunc(b, e, ft, ""));
    return LLVMBuildFPExt(b, r, t, "");
  }
  return vm_pow(k, a, e);
}

static LLVMValueRef binary_float(cg_kernel *k, const ir_op *op, LLVMValueRef a, LLVMValueRef c) {
  LLVMBuilderRef b = k->b;
  switch (op->kind) {
  case IR_OP_ADD_1: return LLVMBuildFAdd(b, a, c, "");
  case IR_OP_SUBTRACT_1: return LLVMBuildFSub(b, a, c, "");
  case IR_OP_MULTIPLY_1: return LLVMBuildFMul(b, a, c, "");
  case IR_OP_DIVIDE_1: return LLVMBuildFDiv(b, a, c, "");
  case IR_OP_POWER_1: return power_float(k, op, a, c);
  case IR_OP_MAXIMUM_1: return vm_max(k, a, c);
  case IR_OP_MINIMUM_1: return vm_min(k, a, c);
  case IR_OP_MOD_1: case IR_OP_FLOORMOD_1: { /* a - round(a / c) c, as OpenVINO's emitters */
    LLVMValueRef q = LLVMBuildFDiv(b, a, c, "");
    q = vm_call1(k, op->kind == IR_OP_MOD_1 ? "llvm.trunc" : "llvm.floor", q);
    return LLVMBuildFSub(b, a, LLVMBuildFMul(b, q, c, ""), "");
  }
  case IR_OP_SQUAREDDIFFERENCE_1: {
    LLVMValueRef d = LLVMBuildFSub(b, a, c, "");
    return LLVMBuildFMul(b, d, d, "");
  }
  default: return NULL;
  }
}

/* a^e for integers by squaring; |a| >= 2 overflows within 7 squarings, and
 * negative e gives 1, +-1 or 0 (ir/eval_elementwise.c ipow). */
static LLVMValueRef power_int(cg_kernel *k, LLVMValueRef a, LLVMValueRef e, bool sgn) {
  LLVMBuilderRef b = k->b;
  LLVMValueRef one = ic(k, a, 1), zero = ic(k, a, 0);
  LLVMValueRef acc = one, base = a, ee = e;
  for (int i = 0; i < 7; i++) {
    LLVMValueRef bit = LLVMBuildTrunc(b, ee, vm_int_type(k, LLVMTypeOf(a), 1), "");
    acc = LLVMBuildSelect(b, bit, LLVMBuildMul(b, acc, base, ""), acc, "");
    base = LLVMBuildMul(b, base, base, "");
    ee = LLVMBuildLShr(b, ee, one, "");
  }
  LLVMValueRef a0 = LLVMBuildICmp(b, LLVMIntEQ, a, zero, ""); /* 0^e: 1 for e = 0, else 0 */
  acc = LLVMBuildSelect(b, a0, LLVMBuildZExt(b, LLVMBuildICmp(b, LLVMIntEQ, e, zero, ""),
                                             LLVMTypeOf(a), ""), acc, "");
  if (!sgn)
    return acc;
  LLVMValueRef odd = LLVMBuildICmp(b, LLVMIntNE, LLVMBuildAnd(b, e, one, ""), zero, "");
  LLVMValueRef neg_res = LLVMBuildSelect(
      b, LLVMBuildICmp(b, LLVMIntEQ, a, one, ""), one,
      LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntEQ, a, ic(k, a, -1), ""),
                      LLVMBuildSelect(b, odd, ic(k, a, -1), one, ""), zero, ""),
      "");
  LLVMValueRef big1 = LLVMBuildICmp(b, LLVMIntEQ, a, ic(k, a, -1), ""); /* (-1)^e by parity */
  acc = LLVMBuildSelect(b, big1, LLVMBuildSelect(b, odd, ic(k, a, -1), one, ""), acc, "");
  return LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntSLT, e, zero, ""), neg_res, acc, "");
}

/* Divide, Mod (sign of the dividend), FloorMod on integers, with x / 0 = 0
 * and MIN / -1 = MIN instead of a trap. Divide truncates toward zero whatever
 * m_pythondiv says: OpenVINO's CPU plugin divides integers in f32 and
 * truncates (its constant folding floors; so does ir/eval_elementwise.c). */
static LLVMValueRef divmod_int(cg_kernel *k, const ir_op *op, LLVMValueRef a, LLVMValueRef c,
                               bool sgn) {
  LLVMBuilderRef b = k->b;
  LLVMValueRef zero = ic(k, a, 0), one = ic(k, a, 1), m1 = ic(k, a, -1);
  LLVMValueRef c0 = LLVMBuildICmp(b, LLVMIntEQ, c, zero, "");
  LLVMValueRef cm1 = sgn ? LLVMBuildICmp(b, LLVMIntEQ, c, m1, "") : NULL;
  LLVMValueRef safe = LLVMBuildSelect(b, c0, one, c, "");
  if (sgn)
    safe = LLVMBuildSelect(b, cm1, one, safe, "");
  LLVMValueRef q = sgn ? LLVMBuildSDiv(b, a, safe, "") : LLVMBuildUDiv(b, a, safe, "");
  LLVMValueRef m = sgn ? LLVMBuildSRem(b, a, safe, "") : LLVMBuildURem(b, a, safe, "");
  if (sgn) { /* divisor -1: q = -a (wrapping), m = 0 */
    q = LLVMBuildSelect(b, cm1, LLVMBuildSub(b, zero, a, ""), q, "");
    m = LLVMBuildSelect(b, cm1, zero, m, "");
  }
  q = LLVMBuildSelect(b, c0, zero, q, "");
  m = LLVMBuildSelect(b, c0, zero, m, "");
  if (!sgn || op->kind != IR_OP_FLOORMOD_1)
    return op->kind == IR_OP_DIVIDE_1 ? q : m;
  /* remainder and divisor of different signs: floor adjusts by one step */
  LLVMValueRef adjust = LLVMBuildAnd(
      b, LLVMBuildICmp(b, LLVMIntNE, m, zero, ""),
      LLVMBuildICmp(b, LLVMIntNE, LLVMBuildICmp(b, LLVMIntSLT, m, zero, ""),
                    LLVMBuildICmp(b, LLVMIntSLT, c, zero, ""), ""),
      "");
  if (op->kind == IR_OP_FLOORMOD_1)
    return LLVMBuildSelect(b, adjust, LLVMBuildAdd(b, m, c, ""), m, "");
  return q;
}

/* Shifts by >= the width (or negative) give 0, or the sign fill for >>. */
static LLVMValueRef shift_int(cg_kernel *k, bool left, LLVMValueRef a, LLVMValueRef c, bool sgn,
                              unsigned bits) {
  LLVMBuilderRef b = k->b;
  LLVMValueRef wide = LLVMBuildICmp(b, LLVMIntUGE, c, ic(k, a, bits), "");
  LLVMValueRef amt = LLVMBuildSelect(b, wide, ic(k, a, bits - 1), c, "");
  if (left)
    return LLVMBuildSelect(b, wide, ic(k, a, 0), LLVMBuildShl(b, a, amt, ""), "");
  if (sgn)
    return LLVMBuildAShr(b, a, amt, "");
  return LLVMBuildSelect(b, wide, ic(k, a, 0), LLVMBuildLShr(b, a, amt, ""), "");
}

static LLVMValueRef binary_int(cg_kernel *k, const ir_op *op, LLVMValueRef a, LLVMValueRef c,
                               ir_etype et);

/* OpenVINO's CPU plugin computes u8/i8 arithmetic wide and stores it
 * saturated (u16/i16 and wider wrap). */
static bool saturates_8bit(ir_op_id kind) {
  return kind == IR_OP_ADD_1 || kind == IR_OP_SUBTRACT_1 || kind == IR_OP_MULTIPLY_1 ||
         kind == IR_OP_SQUAREDDIFFERENCE_1 || kind == IR_OP_POWER_1 || kind == IR_OP_DIVIDE_1;
}

static LLVMValueRef binary_int_saturated(cg_kernel *k, const ir_op *op, LLVMValueRef a,
                                         LLVMValueRef c, ir_etype et) {
  LLVMBuilderRef b = k->b;
  bool sgn = ir_etype_is_signed(et);
  LLVMTypeRef t = LLVMTypeOf(a), wt = vm_int_type(k, t, 32);
  LLVMValueRef wa = sgn ? LLVMBuildSExt(b, a, wt, "") : LLVMBuildZExt(b, a, wt, "");
  LLVMValueRef wc = sgn ? LLVMBuildSExt(b, c, wt, "") : LLVMBuildZExt(b, c, wt, "");
  LLVMValueRef r = binary_int(k, op, wa, wc, IR_ET_I32);
  LLVMValueRef lo = vm_iconst(k, wt, sgn ? -128 : 0), hi = vm_iconst(k, wt, sgn ? 127 : 255);
  r = LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntSLT, r, lo, ""), lo, r, "");
  r = LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntSGT, r, hi, ""), hi, r, "");
  return LLVMBuildTrunc(b, r, t, "");
}

static LLVMValueRef binary_int(cg_kernel *k, const ir_op *op, LLVMValueRef a, LLVMValueRef c,
                               ir_etype et) {
  if ((et == IR_ET_U8 || et == IR_ET_I8) && saturates_8bit(op->kind))
    return binary_int_saturated(k, op, a, c, et);
  LLVMBuilderRef b = k->b;
  bool sgn = ir_etype_is_signed(et) && et != IR_ET_BOOLEAN;
  bool boolean = et == IR_ET_BOOLEAN;
  LLVMIntPredicate gt = sgn ? LLVMIntSGT : LLVMIntUGT, lt = sgn ? LLVMIntSLT : LLVMIntULT;
  switch (op->kind) {
  case IR_OP_BITWISEAND_13: return LLVMBuildAnd(b, a, c, "");
  case IR_OP_BITWISEOR_13: return LLVMBuildOr(b, a, c, "");
  case IR_OP_BITWISEXOR_13: return LLVMBuildXor(b, a, c, "");
  case IR_OP_MAXIMUM_1: return LLVMBuildSelect(b, LLVMBuildICmp(b, gt, a, c, ""), a, c, "");
  case IR_OP_MINIMUM_1: return LLVMBuildSelect(b, LLVMBuildICmp(b, lt, a, c, ""), a, c, "");
  default: break;
  }
  if (boolean)
    return NULL; /* arithmetic on booleans: not an OpenVINO case */
  unsigned bits = LLVMGetIntTypeWidth(scalar_of(LLVMTypeOf(a)));
  switch (op->kind) {
  case IR_OP_ADD_1: return LLVMBuildAdd(b, a, c, "");
  case IR_OP_SUBTRACT_1: return LLVMBuildSub(b, a, c, "");
  case IR_OP_MULTIPLY_1: return LLVMBuildMul(b, a, c, "");
  case IR_OP_SQUAREDDIFFERENCE_1: {
    LLVMValueRef d = LLVMBuildSub(b, a, c, "");
    return LLVMBuildMul(b, d, d, "");
  }
  case IR_OP_DIVIDE_1: case IR_OP_MOD_1: case IR_OP_FLOORMOD_1:
    return divmod_int(k, op, a, c, sgn);
  case IR_OP_POWER_1: return power_int(k, a, c, sgn);
  case IR_OP_BITWISELEFTSHIFT_15: return shift_int(k, true, a, c, sgn, bits);
  case IR_OP_BITWISERIGHTSHIFT_15: return shift_int(k, false, a, c, sgn, bits);
  default: return NULL;
  }
}

/* ---- comparisons and logical ops ---- */

static LLVMValueRef compare(cg_kernel *k, const ir_op *op, LLVMValueRef a, LLVMValueRef c,
                            ir_etype et) {
  LLVMBuilderRef b = k->b;
  switch (op->kind) {
  case IR_OP_LOGICALAND_1: return LLVMBuildAnd(b, to_bool(k, a, et), to_bool(k, c, et), "");
  case IR_OP_LOGICALOR_1: return LLVMBuildOr(b, to_bool(k, a, et), to_bool(k, c, et), "");
  case IR_OP_LOGICALXOR_1: return LLVMBuildXor(b, to_bool(k, a, et), to_bool(k, c, et), "");
  default: break;
  }
  if (ir_etype_is_float(et)) {
    static const LLVMRealPredicate fp[] = {LLVMRealOEQ, LLVMRealUNE, LLVMRealOLT,
                                           LLVMRealOLE, LLVMRealOGT, LLVMRealOGE};
    int i = op->kind - IR_OP_EQUAL_1;
    return LLVMBuildFCmp(b, fp[i], a, c, "");
  }
  bool sgn = ir_etype_is_signed(et) && et != IR_ET_BOOLEAN;
  const LLVMIntPredicate ip[] = {LLVMIntEQ, LLVMIntNE, sgn ? LLVMIntSLT : LLVMIntULT,
                                 sgn ? LLVMIntSLE : LLVMIntULE, sgn ? LLVMIntSGT : LLVMIntUGT,
                                 sgn ? LLVMIntSGE : LLVMIntUGE};
  return LLVMBuildICmp(b, ip[op->kind - IR_OP_EQUAL_1], a, c, "");
}

_Static_assert(IR_OP_NOTEQUAL_1 == IR_OP_EQUAL_1 + 1 && IR_OP_LESS_1 == IR_OP_EQUAL_1 + 2 &&
                   IR_OP_LESSEQUAL_1 == IR_OP_EQUAL_1 + 3 && IR_OP_GREATER_1 == IR_OP_EQUAL_1 + 4 &&
                   IR_OP_GREATEREQUAL_1 == IR_OP_EQUAL_1 + 5,
               "compare() indexes predicates by op id from Equal to GreaterEqual");

/* ---- FakeQuantize, PRelu ---- */

/* OpenVINO's CPU kernel: crop to [il, ih], x isc + ish with isc = (L-1) /
 * (ih - il), ish = -il (L-1) / (ih - il), round half to even, then
 * x osc + ol with osc = (oh - ol) / (L-1); scales computed in f32 as it does. */
static LLVMValueRef fake_quantize(cg_kernel *k, const ir_op *op, LLVMValueRef *in) {
  LLVMBuilderRef b = k->b;
  LLVMValueRef x = in[0], il = in[1], ih = in[2], ol = in[3], oh = in[4];
  LLVMValueRef lm1 = fc(k, x, (double)(float)(ir_op_attr_int(op, "levels", 256) - 1));
  LLVMValueRef range = LLVMBuildFSub(b, ih, il, "");
  LLVMValueRef isc = LLVMBuildFDiv(b, lm1, range, "");
  LLVMValueRef ish = LLVMBuildFDiv(b, LLVMBuildFMul(b, LLVMBuildFNeg(b, il, ""), lm1, ""), range, "");
  LLVMValueRef osc = LLVMBuildFDiv(b, LLVMBuildFSub(b, oh, ol, ""), lm1, "");
  LLVMValueRef v = vm_min(k, vm_max(k, x, il), ih);
  v = vm_call1(k, "llvm.roundeven", vm_fma(k, v, isc, ish));
  return vm_fma(k, v, osc, ol);
}

static LLVMValueRef prelu(cg_kernel *k, LLVMValueRef x, LLVMValueRef s, ir_etype et) {
  LLVMBuilderRef b = k->b;
  if (ir_etype_is_float(et))
    return fsel(k, LLVMRealOLT, x, fc(k, x, 0.0), LLVMBuildFMul(b, x, s, ""), x);
  if (!ir_etype_is_signed(et))
    return x;
  LLVMValueRef neg = LLVMBuildICmp(b, LLVMIntSLT, x, LLVMConstNull(LLVMTypeOf(x)), "");
  return LLVMBuildSelect(b, neg, LLVMBuildMul(b, x, s, ""), x, "");
}

/* ---- dispatch ---- */

bool cg_elemental_supports(const ir_op *op) {
  if (!op->info || !(op->info->flags & OPF_EWISE) || op->n_results != 1)
    return false;
  return true;
}

static bool types_known(cg_kernel *k, const ir_op *op) {
  for (uint32_t i = 0; i < op->n_operands; i++)
    if (ir_op_operand(op, i) && !cg_compute_type(k->m, in_et(op, i)))
      return false;
  return cg_compute_type(k->m, out_et(op)) != NULL;
}

/* Same-typed operand pairs are what the binary ops expect. */
static ovcc_status emit_binary(cg_kernel *k, const ir_op *op, LLVMValueRef *in, LLVMValueRef *out) {
  ir_etype et = in_et(op, 0);
  if (in_et(op, 1) != et)
    return CG_UNSUPPORTED(k, "operands of different element types (%s, %s)", ir_etype_name(et),
                          ir_etype_name(in_et(op, 1)));
  if (op->info->flags & OPF_CMP)
    *out = compare(k, op, in[0], in[1], et);
  else if (ir_etype_is_float(et))
    *out = binary_float(k, op, in[0], in[1]);
  else
    *out = binary_int(k, op, in[0], in[1], et);
  return OVCC_OK;
}

ovcc_status cg_elemental_emit(cg_kernel *k, const ir_op *op, LLVMValueRef *in, unsigned n_in,
                              LLVMValueRef *out) {
  *out = NULL;
  if (!cg_elemental_supports(op) || n_in < 1)
    return CG_UNSUPPORTED(k, "not an elementwise op");
  if (!types_known(k, op))
    return CG_UNSUPPORTED(k, "element type %s -> %s has no elementwise code generator",
                          ir_etype_name(in_et(op, 0)), ir_etype_name(out_et(op)));
  ir_etype et = in_et(op, 0);
  switch (op->kind) {
  case IR_OP_CONVERT_1:
  case IR_OP_CONVERTLIKE_1: *out = cg_elem_convert(k, in[0], et, out_et(op)); break;
  case IR_OP_SELECT_1:
    if (n_in < 3)
      break;
    *out = LLVMBuildSelect(k->b, to_bool(k, in[0], et), in[1], in[2], "");
    break;
  case IR_OP_FAKEQUANTIZE_1:
    if (n_in < 5 || !ir_etype_is_float(et) || !ir_etype_is_float(out_et(op)))
      break;
    for (unsigned i = 1; i < 5; i++)
      if (in_et(op, i) != et)
        return CG_UNSUPPORTED(k, "FakeQuantize ranges of another type than the data");
    *out = fake_quantize(k, op, in);
    break;
  case IR_OP_PRELU_1:
    if (n_in < 2 || LLVMTypeOf(in[0]) != LLVMTypeOf(in[1]))
      return CG_UNSUPPORTED(k, "PRelu slope of another compute type than the data");
    *out = prelu(k, in[0], in[1], et);
    break;
  default:
    if (op->info->flags & OPF_BCAST) {
      if (n_in < 2)
        break;
      IR_TRY(emit_binary(k, op, in, out));
    } else if (ir_etype_is_float(et)) {
      for (unsigned i = 1; i < n_in; i++)
        if (in[i] && LLVMTypeOf(in[i]) != LLVMTypeOf(in[0]))
          return CG_UNSUPPORTED(k, "parameter %u of another compute type than the data", i);
      *out = unary_float_any(k, op, in, n_in);
    } else {
      *out = unary_int(k, op, in[0], et);
    }
  }
  if (!*out)
    return CG_UNSUPPORTED(k, "no %s code for element type %s", ir_etype_is_float(et) ? "float" : "integer",
                          ir_etype_name(et));
  return OVCC_OK;
}
