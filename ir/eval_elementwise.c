/* Evaluators of the elementwise ops on constant inputs: unary math and
 * activations, binary arithmetic/bitwise, comparisons and logical ops,
 * Select, Convert/ConvertLike, FakeQuantize, PRelu.
 *
 * Elements are read and written through ir_elem_get_* / ir_elem_set_*, so
 * every numeric element type (sub-byte, f8, nf4 included) works: integers
 * compute in int64 (u64 where it matters), floats in double, and the result
 * is stored in the output type. Broadcasting (numpy, pdpd, none) is one
 * walker (bc_walk) that keeps each input's flat offset while the output is
 * walked in row-major order. Results follow OpenVINO's reference
 * implementations; cases whose OpenVINO result is undefined or
 * platform-dependent (integer division by zero, out-of-range integer math,
 * over-wide shifts) return OVCC_ERR_UNSUPPORTED so the op is not folded. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ir.h"

enum { EW_MAX_IN = 5 };

typedef enum bc_mode { BC_NONE, BC_NUMPY, BC_PDPD, BC_OTHER } bc_mode;

/* ---- broadcast walker ---- */

/* PDPD alignment axis: OpenVINO writes it as `auto_broadcast.auto_broadcast_axis`;
 * its reader leaves 0 when the attribute is absent; -1 aligns trailing dims. */
static int64_t pdpd_axis(const ir_op *op) {
  return ir_op_attr_int(op, "auto_broadcast.auto_broadcast_axis", 0);
}

typedef struct bc_walk {
  int rank, n;
  int64_t dims[IR_MAX_RANK], idx[IR_MAX_RANK];
  int64_t st[EW_MAX_IN][IR_MAX_RANK];
  uint64_t off[EW_MAX_IN];
} bc_walk;

static bc_mode bcast_mode(const ir_op *op) {
  const char *s = ir_op_attr_str(op, "auto_broadcast", "numpy");
  if (strcasecmp(s, "none") == 0)
    return BC_NONE;
  if (strcasecmp(s, "numpy") == 0)
    return BC_NUMPY;
  if (strcasecmp(s, "pdpd") == 0)
    return BC_PDPD;
  return BC_OTHER;
}

static void walk_init(bc_walk *w, const ir_shape *out) {
  memset(w, 0, sizeof *w);
  w->rank = out->rank;
  for (int k = 0; k < out->rank; k++)
    w->dims[k] = out->d[k].lo;
}

/* Output axis that input dim 0 lines up with. */
static int walk_lead(bc_mode mode, int64_t axis, int out_rank, int in_rank) {
  if (in_rank == out_rank)
    return 0;
  if (mode == BC_PDPD && axis >= 0)
    return (int)axis;
  return out_rank - in_rank;
}

/* Adds an input whose dim j maps to output axis lead + j; size-1 dims
 * broadcast (stride 0). */
static ovcc_status walk_add(bc_walk *w, const ir_shape *in, int lead, ir_diag *d) {
  int k = w->n++;
  int64_t acc = 1;
  for (int j = in->rank - 1; j >= 0; j--) {
    int64_t n = in->d[j].lo;
    int o = lead + j;
    if (o < 0 || o >= w->rank) {
      if (n != 1)
        return IR_ERR(d, OVCC_ERR_INTERNAL, "input %d: dim %d does not fit the output rank", k, j);
      continue;
    }
    if (n == w->dims[o])
      w->st[k][o] = n == 1 ? 0 : acc;
    else if (n != 1)
      return IR_ERR(d, OVCC_ERR_INTERNAL, "input %d: dim %d (%lld) does not broadcast to %lld", k,
                    j, (long long)n, (long long)w->dims[o]);
    acc *= n;
  }
  return OVCC_OK;
}

static void walk_next(bc_walk *w) {
  for (int k = w->rank - 1; k >= 0; k--) {
    w->idx[k]++;
    for (int i = 0; i < w->n; i++)
      w->off[i] += (uint64_t)w->st[i][k];
    if (w->idx[k] < w->dims[k])
      return;
    for (int i = 0; i < w->n; i++)
      w->off[i] -= (uint64_t)(w->st[i][k] * w->dims[k]);
    w->idx[k] = 0;
  }
}

/* Walker over out[0] for inputs [0, n) under the op's auto_broadcast. */
static ovcc_status walk_setup(bc_walk *w, const ir_op *op, const ir_tensor *in, int n,
                              const ir_tensor *out, ir_diag *d) {
  bc_mode mode = bcast_mode(op);
  int64_t axis = pdpd_axis(op);
  walk_init(w, &out->shape);
  for (int i = 0; i < n; i++)
    IR_TRY(walk_add(w, &in[i].shape,
                    walk_lead(mode, axis, out->shape.rank, in[i].shape.rank), d));
  return OVCC_OK;
}

/* ---- scalar helpers ---- */

static bool et_unsigned(ir_etype t) { return ir_etype_is_int(t) && !ir_etype_is_signed(t); }

/* Value range of an integer type (u64 capped at INT64_MAX). */
static void int_range(ir_etype t, int64_t *lo, int64_t *hi) {
  unsigned b = ir_etype_bits(t);
  if (t == IR_ET_BOOLEAN) {
    *lo = 0, *hi = 1;
  } else if (ir_etype_is_signed(t)) {
    *lo = b >= 64 ? INT64_MIN : -((int64_t)1 << (b - 1));
    *hi = b >= 64 ? INT64_MAX : ((int64_t)1 << (b - 1)) - 1;
  } else {
    *lo = 0;
    *hi = b >= 63 ? INT64_MAX : ((int64_t)1 << b) - 1;
  }
}

static double round_half_even(double x) {
  double r = round(x);
  if (fabs(x - trunc(x)) == 0.5)
    r = 2.0 * round(x / 2.0);
  return r;
}

/* v rounded to the precision of float type t. */
static double in_type(ir_etype t, double v) {
  if (t == IR_ET_F64)
    return v;
  if (t == IR_ET_F32)
    return (float)v;
  uint64_t buf = 0;
  ir_elem_set_f64(t, &buf, 0, v);
  return ir_elem_get_f64(t, &buf, 0);
}

static bool is_string(const ir_tensor *t) { return t->et == IR_ET_STRING; }

/* ---- unary ---- */

typedef struct unary_par {
  double a, b;   /* Elu alpha; Selu alpha/lambda; HardSigmoid alpha/beta; Swish beta; Clamp lo/hi */
  bool tanh_gelu, half_even, neg, pos;
} unary_par;

/* Integer semantics of OpenVINO's math references: trunc (cast) or std::round. */
typedef enum imode { IM_NONE, IM_TRUNC, IM_ROUND } imode;

static imode unary_int_mode(ir_op_id k) {
  switch (k) {
  case IR_OP_EXP_1: case IR_OP_SIN_1: case IR_OP_LOG_1: case IR_OP_ASIN_1:
    return IM_TRUNC;
  case IR_OP_SQRT_1: case IR_OP_TANH_1: case IR_OP_COS_1: case IR_OP_TAN_1: case IR_OP_ERF_1:
  case IR_OP_ATAN_1: case IR_OP_ACOS_1: case IR_OP_SINH_1: case IR_OP_COSH_1:
  case IR_OP_ASINH_3: case IR_OP_ACOSH_3: case IR_OP_ATANH_3:
    return IM_ROUND;
  default:
    return IM_NONE;
  }
}

static double softplus_threshold(ir_etype t) {
  switch (t) {
  case IR_ET_F64: return 709.782712893384; /* log(DBL_MAX) */
  case IR_ET_F16: return 11.089866488461016; /* log(65504) */
  default: return 88.72283905206835; /* log(FLT_MAX); bf16 is the same to f32 precision */
  }
}

static double gelu(double x, bool tanh_mode) {
  if (tanh_mode)
    return 0.5 * x * (1.0 + tanh(sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x)));
  return 0.5 * x * (1.0 + erf(x / sqrt(2.0)));
}

/* Float formula of a unary op; *ok false if the op has none. */
static double unary_f(ir_op_id k, ir_etype t, double x, const unary_par *p, bool *ok) {
  switch (k) {
  case IR_OP_ABS_1: return fabs(x);
  case IR_OP_ACOS_1: return acos(x);
  case IR_OP_ACOSH_3: return acosh(x);
  case IR_OP_ASIN_1: return asin(x);
  case IR_OP_ASINH_3: return asinh(x);
  case IR_OP_ATAN_1: return atan(x);
  case IR_OP_ATANH_3: return atanh(x);
  case IR_OP_CEILING_1: return ceil(x);
  case IR_OP_COS_1: return cos(x);
  case IR_OP_COSH_1: return cosh(x);
  case IR_OP_ERF_1: return erf(x);
  case IR_OP_EXP_1: return exp(x);
  case IR_OP_FLOOR_1: return floor(x);
  case IR_OP_LOG_1: return log(x);
  case IR_OP_NEGATIVE_1: return -x;
  case IR_OP_ROUND_5: return p->half_even ? round_half_even(x) : round(x);
  case IR_OP_SIGN_1: return isnan(x) ? x : (double)((x > 0) - (x < 0));
  case IR_OP_SIN_1: return sin(x);
  case IR_OP_SINH_1: return sinh(x);
  case IR_OP_SQRT_1: return sqrt(x);
  case IR_OP_TAN_1: return tan(x);
  case IR_OP_TANH_1: return tanh(x);
  case IR_OP_LOGICALNOT_1: return x == 0;
  case IR_OP_ISFINITE_10: return isfinite(x);
  case IR_OP_ISNAN_10: return isnan(x);
  case IR_OP_ISINF_10: return isinf(x) && ((x > 0 && p->pos) || (x < 0 && p->neg));
  case IR_OP_RELU_1: return x > 0 ? x : 0;
  case IR_OP_SIGMOID_1: return 1.0 / (1.0 + exp(-x));
  case IR_OP_ELU_1: return x < 0 ? p->a * (exp(x) - 1.0) : x;
  case IR_OP_SELU_1: return x > 0 ? p->b * x : p->a * p->b * (exp(x) - 1.0);
  case IR_OP_GELU_2: return gelu(x, false);
  case IR_OP_GELU_7: return gelu(x, p->tanh_gelu);
  case IR_OP_SWISH_4: return x / (1.0 + exp(-p->a * x));
  case IR_OP_HSWISH_4: return x * fmin(fmax(x + 3.0, 0.0), 6.0) / 6.0;
  case IR_OP_HSIGMOID_5: return fmin(fmax(x + 3.0, 0.0), 6.0) / 6.0;
  case IR_OP_HARDSIGMOID_1: return fmax(0.0, fmin(1.0, p->a * x + p->b));
  case IR_OP_MISH_4: return x * tanh(log(exp(x) + 1.0));
  case IR_OP_SOFTPLUS_4: return x < softplus_threshold(t) ? log(exp(x) + 1.0) : x;
  case IR_OP_SOFTSIGN_9: return x / (1.0 + fabs(x));
  case IR_OP_CLAMP_1: return x < p->a ? p->a : (x > p->b ? p->b : x);
  default:
    *ok = false;
    return 0;
  }
}

/* Integer result of a unary op on x of type t. */
static ovcc_status unary_i(ir_op_id k, ir_etype t, int64_t x, const unary_par *p, int64_t *r) {
  bool uns = et_unsigned(t);
  switch (k) {
  case IR_OP_ABS_1: *r = uns || x >= 0 ? x : (int64_t)(0 - (uint64_t)x); return OVCC_OK;
  case IR_OP_NEGATIVE_1: *r = (int64_t)(0 - (uint64_t)x); return OVCC_OK;
  case IR_OP_SIGN_1: *r = uns ? x != 0 : (x > 0) - (x < 0); return OVCC_OK;
  case IR_OP_RELU_1: *r = uns || x > 0 ? x : 0; return OVCC_OK;
  case IR_OP_CEILING_1: case IR_OP_FLOOR_1: case IR_OP_ROUND_5: case IR_OP_IDENTITY_16:
    *r = x;
    return OVCC_OK;
  case IR_OP_LOGICALNOT_1: *r = x == 0; return OVCC_OK;
  case IR_OP_BITWISENOT_13: *r = t == IR_ET_BOOLEAN ? x == 0 : ~x; return OVCC_OK;
  case IR_OP_SIGMOID_1: *r = x > 0; return OVCC_OK; /* 1 / (1 + (T)exp(-x)) in T */
  case IR_OP_CLAMP_1: {
    int64_t lo, hi, tlo, thi;
    int_range(t, &tlo, &thi);
    double cl = ceil(p->a), fh = floor(p->b);
    lo = cl <= (double)tlo ? tlo : (cl >= (double)thi ? thi : (int64_t)cl);
    hi = fh <= (double)tlo ? tlo : (fh >= (double)thi ? thi : (int64_t)fh);
    *r = x < lo ? lo : (x > hi ? hi : x);
    return OVCC_OK;
  }
  default:
    break;
  }
  imode m = unary_int_mode(k);
  if (m == IM_NONE || t == IR_ET_U64)
    return OVCC_ERR_UNSUPPORTED;
  bool ok = true;
  double v = unary_f(k, t, (double)x, p, &ok);
  v = m == IM_TRUNC ? trunc(v) : round(v);
  int64_t lo, hi;
  int_range(t, &lo, &hi);
  if (!ok || !isfinite(v) || v < (double)lo || v > (double)hi)
    return OVCC_ERR_UNSUPPORTED; /* OpenVINO's result is platform-defined */
  *r = (int64_t)v;
  return OVCC_OK;
}

/* Scalar parameter from a one-element input tensor. */
static bool scalar_in(const ir_tensor *in, uint32_t n_in, uint32_t i, double *v) {
  if (i >= n_in || !in[i].data || in[i].numel != 1)
    return false;
  *v = ir_elem_get_f64(in[i].et, in[i].data, 0);
  return true;
}

static ovcc_status unary_params(const ir_op *op, const ir_tensor *in, unary_par *p) {
  memset(p, 0, sizeof *p);
  uint32_t n = op->n_operands;
  switch (op->kind) {
  case IR_OP_ELU_1: p->a = ir_op_attr_float(op, "alpha", 1.0); break;
  case IR_OP_SELU_1:
  case IR_OP_HARDSIGMOID_1:
    if (!scalar_in(in, n, 1, &p->a) || !scalar_in(in, n, 2, &p->b))
      return OVCC_ERR_UNSUPPORTED;
    break;
  case IR_OP_SWISH_4:
    p->a = 1.0;
    if (n > 1 && ir_op_operand(op, 1) && !scalar_in(in, n, 1, &p->a))
      return OVCC_ERR_UNSUPPORTED;
    break;
  case IR_OP_GELU_7:
    p->tanh_gelu = strcasecmp(ir_op_attr_str(op, "approximation_mode", "ERF"), "TANH") == 0;
    break;
  case IR_OP_ROUND_5:
    p->half_even = strcasecmp(ir_op_attr_str(op, "mode", "half_to_even"), "half_to_even") == 0;
    break;
  case IR_OP_ISINF_10:
    p->neg = ir_op_attr_bool(op, "detect_negative", true);
    p->pos = ir_op_attr_bool(op, "detect_positive", true);
    break;
  case IR_OP_CLAMP_1:
    p->a = ir_op_attr_float(op, "min", 0);
    p->b = ir_op_attr_float(op, "max", 0);
    break;
  default:
    break;
  }
  return OVCC_OK;
}

ovcc_status ir_eval_unary(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  const ir_tensor *x = &in[0];
  ir_tensor *o = &out[0];
  if (is_string(x) || x->numel != o->numel)
    return OVCC_ERR_UNSUPPORTED;
  if (op->kind == IR_OP_IDENTITY_16 && x->et == o->et) {
    memcpy(o->data, x->data, (size_t)o->nbytes);
    return OVCC_OK;
  }
  unary_par p;
  IR_TRY(unary_params(op, in, &p));
  ir_etype t = x->et;
  if (ir_etype_is_float(t)) {
    if (op->kind == IR_OP_CLAMP_1) /* bounds are converted to T first */
      p.a = in_type(t, p.a), p.b = in_type(t, p.b);
    for (uint64_t i = 0; i < x->numel; i++) {
      bool ok = true;
      double v = unary_f(op->kind, t, ir_elem_get_f64(t, x->data, i), &p, &ok);
      if (!ok)
        return OVCC_ERR_UNSUPPORTED;
      ir_elem_set_f64(o->et, o->data, i, v);
    }
    return OVCC_OK;
  }
  if (!ir_etype_is_int(t) && t != IR_ET_BOOLEAN)
    return OVCC_ERR_UNSUPPORTED;
  if (t == IR_ET_U64 && op->kind == IR_OP_CLAMP_1)
    return OVCC_ERR_UNSUPPORTED;
  for (uint64_t i = 0; i < x->numel; i++) {
    int64_t r;
    IR_TRY(unary_i(op->kind, t, ir_elem_get_i64(t, x->data, i), &p, &r));
    ir_elem_set_i64(o->et, o->data, i, r);
  }
  (void)d;
  return OVCC_OK;
}

/* ---- binary ---- */

static double binary_f(ir_op_id k, double a, double b, bool *ok) {
  switch (k) {
  case IR_OP_ADD_1: return a + b;
  case IR_OP_SUBTRACT_1: return a - b;
  case IR_OP_MULTIPLY_1: return a * b;
  case IR_OP_DIVIDE_1: return a / b;
  case IR_OP_POWER_1: return pow(a, b);
  case IR_OP_MAXIMUM_1: return a > b ? a : b;
  case IR_OP_MINIMUM_1: return a < b ? a : b;
  case IR_OP_MOD_1: return fmod(a, b);
  case IR_OP_FLOORMOD_1: {
    double r = fmod(a, b);
    return r != 0 && ((r < 0) != (b < 0)) ? r + b : r;
  }
  case IR_OP_SQUAREDDIFFERENCE_1: return (a - b) * (a - b);
  default:
    *ok = false;
    return 0;
  }
}

/* a^b in int64; false on overflow or a negative exponent with |a| > 1 gives 0. */
static bool ipow(int64_t a, int64_t b, int64_t *r) {
  if (b < 0) {
    *r = a == 1 ? 1 : (a == -1 ? (b % 2 ? -1 : 1) : 0);
    return a != 0;
  }
  int64_t acc = 1, base = a;
  while (b) {
    if ((b & 1) && __builtin_mul_overflow(acc, base, &acc))
      return false;
    b >>= 1;
    if (b && __builtin_mul_overflow(base, base, &base))
      return false;
  }
  *r = acc;
  return true;
}

typedef struct ibin_ctx {
  ir_etype t;
  unsigned bits;
  bool uns, pydiv;
} ibin_ctx;

static ovcc_status binary_i(ir_op_id k, const ibin_ctx *c, int64_t a, int64_t b, int64_t *r) {
  uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
  bool u64 = c->t == IR_ET_U64;
  switch (k) {
  case IR_OP_ADD_1: *r = (int64_t)(ua + ub); return OVCC_OK;
  case IR_OP_SUBTRACT_1: *r = (int64_t)(ua - ub); return OVCC_OK;
  case IR_OP_MULTIPLY_1: *r = (int64_t)(ua * ub); return OVCC_OK;
  case IR_OP_SQUAREDDIFFERENCE_1: *r = (int64_t)((ua - ub) * (ua - ub)); return OVCC_OK;
  case IR_OP_MAXIMUM_1: *r = (u64 ? ua > ub : a > b) ? a : b; return OVCC_OK;
  case IR_OP_MINIMUM_1: *r = (u64 ? ua < ub : a < b) ? a : b; return OVCC_OK;
  case IR_OP_BITWISEAND_13: *r = a & b; return OVCC_OK;
  case IR_OP_BITWISEOR_13: *r = a | b; return OVCC_OK;
  case IR_OP_BITWISEXOR_13: *r = a ^ b; return OVCC_OK;
  case IR_OP_BITWISELEFTSHIFT_15:
    if (b < 0 || (uint64_t)b >= c->bits || (u64 && ub >= 64))
      return OVCC_ERR_UNSUPPORTED; /* undefined in C++; OpenVINO's result is platform-defined */
    *r = (int64_t)(ua << b);
    return OVCC_OK;
  case IR_OP_BITWISERIGHTSHIFT_15:
    if (b < 0 || (uint64_t)b >= c->bits || (u64 && ub >= 64))
      return OVCC_ERR_UNSUPPORTED;
    *r = c->uns ? (int64_t)(ua >> b) : (a < 0 ? ~(~a >> b) : a >> b);
    return OVCC_OK;
  case IR_OP_POWER_1:
    if (u64 || !ipow(a, b, r))
      return OVCC_ERR_UNSUPPORTED;
    return OVCC_OK;
  default:
    break;
  }
  /* Divide, Mod, FloorMod */
  if (b == 0)
    return OVCC_ERR_UNSUPPORTED; /* integer division by zero: leave it to run time */
  if (u64) {
    *r = (int64_t)(k == IR_OP_DIVIDE_1 ? ua / ub : ua % ub);
    return OVCC_OK;
  }
  if (a == INT64_MIN && b == -1) {
    *r = k == IR_OP_DIVIDE_1 ? INT64_MIN : 0;
    return OVCC_OK;
  }
  int64_t q = a / b, m = a % b;
  bool adjust = m != 0 && ((m < 0) != (b < 0));
  if (k == IR_OP_DIVIDE_1)
    *r = c->pydiv && adjust ? q - 1 : q;
  else if (k == IR_OP_FLOORMOD_1)
    *r = adjust ? m + b : m;
  else
    *r = m; /* Mod: sign of the dividend */
  return OVCC_OK;
}

ovcc_status ir_eval_binary(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  ir_etype t = in[0].et;
  ir_tensor *o = &out[0];
  if (is_string(&in[0]) || in[1].et != t)
    return OVCC_ERR_UNSUPPORTED;
  bc_walk w;
  IR_TRY(walk_setup(&w, op, in, 2, o, d));
  if (ir_etype_is_float(t)) {
    for (uint64_t i = 0; i < o->numel; i++, walk_next(&w)) {
      bool ok = true;
      double v = binary_f(op->kind, ir_elem_get_f64(t, in[0].data, w.off[0]),
                          ir_elem_get_f64(t, in[1].data, w.off[1]), &ok);
      if (!ok)
        return OVCC_ERR_UNSUPPORTED;
      ir_elem_set_f64(o->et, o->data, i, v);
    }
    return OVCC_OK;
  }
  if (!ir_etype_is_int(t) && t != IR_ET_BOOLEAN)
    return OVCC_ERR_UNSUPPORTED;
  ibin_ctx c = {t, ir_etype_bits(t), et_unsigned(t), ir_op_attr_bool(op, "m_pythondiv", true)};
  for (uint64_t i = 0; i < o->numel; i++, walk_next(&w)) {
    int64_t r;
    IR_TRY(binary_i(op->kind, &c, ir_elem_get_i64(t, in[0].data, w.off[0]),
                    ir_elem_get_i64(t, in[1].data, w.off[1]), &r));
    ir_elem_set_i64(o->et, o->data, i, r);
  }
  return OVCC_OK;
}

/* ---- comparison and logical ---- */

/* -1, 0, 1 ordering of a and b; 2 if unordered (NaN). */
static int cmp_elems(ir_etype t, const void *pa, uint64_t ia, const void *pb, uint64_t ib) {
  if (ir_etype_is_float(t)) {
    double a = ir_elem_get_f64(t, pa, ia), b = ir_elem_get_f64(t, pb, ib);
    if (isnan(a) || isnan(b))
      return 2;
    return (a > b) - (a < b);
  }
  if (t == IR_ET_U64) {
    uint64_t a = ir_elem_get_bits(t, pa, ia), b = ir_elem_get_bits(t, pb, ib);
    return (a > b) - (a < b);
  }
  int64_t a = ir_elem_get_i64(t, pa, ia), b = ir_elem_get_i64(t, pb, ib);
  return (a > b) - (a < b);
}

static bool compare_result(ir_op_id k, int c, bool a, bool b) {
  switch (k) {
  case IR_OP_EQUAL_1: return c == 0;
  case IR_OP_NOTEQUAL_1: return c != 0;
  case IR_OP_LESS_1: return c == -1;
  case IR_OP_LESSEQUAL_1: return c == -1 || c == 0;
  case IR_OP_GREATER_1: return c == 1;
  case IR_OP_GREATEREQUAL_1: return c == 1 || c == 0;
  case IR_OP_LOGICALAND_1: return a && b;
  case IR_OP_LOGICALOR_1: return a || b;
  case IR_OP_LOGICALXOR_1: case IR_OP_XOR_1: return a != b;
  default: return false;
  }
}

ovcc_status ir_eval_compare(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  ir_etype t = in[0].et;
  ir_tensor *o = &out[0];
  if (is_string(&in[0]) || in[1].et != t || t == IR_ET_DYNAMIC)
    return OVCC_ERR_UNSUPPORTED;
  bool logical = op->kind == IR_OP_LOGICALAND_1 || op->kind == IR_OP_LOGICALOR_1 ||
                 op->kind == IR_OP_LOGICALXOR_1 || op->kind == IR_OP_XOR_1;
  bc_walk w;
  IR_TRY(walk_setup(&w, op, in, 2, o, d));
  for (uint64_t i = 0; i < o->numel; i++, walk_next(&w)) {
    bool a = false, b = false;
    int c = 0;
    if (logical) {
      a = ir_elem_get_f64(t, in[0].data, w.off[0]) != 0;
      b = ir_elem_get_f64(t, in[1].data, w.off[1]) != 0;
    } else {
      c = cmp_elems(t, in[0].data, w.off[0], in[1].data, w.off[1]);
    }
    ir_elem_set_i64(o->et, o->data, i, compare_result(op->kind, c, a, b));
  }
  return OVCC_OK;
}

/* ---- select ---- */

ovcc_status ir_eval_select(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  ir_tensor *o = &out[0];
  if (is_string(&in[1]) || in[1].et != o->et || in[2].et != o->et)
    return OVCC_ERR_UNSUPPORTED;
  bc_walk w;
  IR_TRY(walk_setup(&w, op, in, 3, o, d));
  for (uint64_t i = 0; i < o->numel; i++, walk_next(&w)) {
    bool c = ir_elem_get_bits(in[0].et, in[0].data, w.off[0]) != 0;
    const ir_tensor *src = c ? &in[1] : &in[2];
    ir_elem_set_bits(o->et, o->data, i, ir_elem_get_bits(o->et, src->data, w.off[c ? 1 : 2]));
  }
  return OVCC_OK;
}

/* ---- convert ---- */

static void convert_elem(ir_etype st, const void *src, ir_etype dt, void *dst, uint64_t i) {
  if (dt == IR_ET_BOOLEAN) {
    bool nz = ir_etype_is_float(st) ? ir_elem_get_f64(st, src, i) != 0
                                    : ir_elem_get_bits(st, src, i) != 0;
    ir_elem_set_bits(dt, dst, i, nz);
  } else if (ir_etype_is_float(st) && ir_etype_is_float(dt)) {
    ir_elem_set_f64(dt, dst, i, ir_elem_get_f64(st, src, i)); /* exact rounding */
  } else if (ir_etype_is_float(st)) {
    /* float -> int as OpenVINO does on x86: truncate toward zero to int64
     * (NaN, inf and out-of-range give INT64_MIN, like cvttsd2si), then wrap
     * to the destination width. */
    double v = trunc(ir_elem_get_f64(st, src, i));
    int64_t k = INT64_MIN;
    if (v >= -9223372036854775808.0 && v < 9223372036854775808.0)
      k = (int64_t)v;
    else if (dt == IR_ET_U64 && v >= 0 && v < 18446744073709551616.0)
      k = (int64_t)(uint64_t)v;
    ir_elem_set_i64(dt, dst, i, k);
  } else if (ir_etype_is_float(dt)) {
    /* int -> float: round once, straight from the integer */
    double v;
    if (st == IR_ET_U64)
      v = dt == IR_ET_F32 ? (double)(float)ir_elem_get_bits(st, src, i)
                          : (double)ir_elem_get_bits(st, src, i);
    else
      v = dt == IR_ET_F32 ? (double)(float)ir_elem_get_i64(st, src, i)
                          : (double)ir_elem_get_i64(st, src, i);
    ir_elem_set_f64(dt, dst, i, v);
  } else {
    ir_elem_set_i64(dt, dst, i, ir_elem_get_i64(st, src, i)); /* modular */
  }
}

ovcc_status ir_eval_convert(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  (void)op;
  (void)d;
  ir_etype st = in[0].et, dt = out[0].et;
  if (is_string(&in[0]) || dt == IR_ET_STRING || st == IR_ET_DYNAMIC || dt == IR_ET_DYNAMIC ||
      in[0].numel != out[0].numel)
    return OVCC_ERR_UNSUPPORTED;
  if (st == dt) {
    memcpy(out[0].data, in[0].data, (size_t)out[0].nbytes);
    return OVCC_OK;
  }
  for (uint64_t i = 0; i < in[0].numel; i++)
    convert_elem(st, in[0].data, dt, out[0].data, i);
  return OVCC_OK;
}

/* ---- fake quantize ---- */

/* OpenVINO's formula, every step rounded to T. */
static double fq_one(ir_etype t, double x, double il, double ih, double ol, double oh, double lm1) {
  if (x <= fmin(il, ih))
    return ol;
  if (x > fmax(il, ih))
    return oh;
  double v = in_type(t, in_type(t, x - il) / in_type(t, ih - il));
  v = round_half_even(in_type(t, v * lm1));
  v = in_type(t, v / lm1);
  v = in_type(t, v * in_type(t, oh - ol));
  return in_type(t, v + ol);
}

ovcc_status ir_eval_fake_quantize(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  ir_etype t = in[0].et;
  ir_tensor *o = &out[0];
  if (!ir_etype_is_float(t) || o->et != t)
    return OVCC_ERR_UNSUPPORTED;
  for (int i = 1; i < 5; i++)
    if (!ir_etype_is_float(in[i].et))
      return OVCC_ERR_UNSUPPORTED;
  int64_t levels = ir_op_attr_int(op, "levels", 0);
  if (levels < 2)
    return OVCC_ERR_UNSUPPORTED;
  double lm1 = in_type(t, (double)(levels - 1));
  bc_walk w;
  IR_TRY(walk_setup(&w, op, in, 5, o, d));
  for (uint64_t i = 0; i < o->numel; i++, walk_next(&w)) {
    double v[5];
    for (int k = 0; k < 5; k++)
      v[k] = in_type(t, ir_elem_get_f64(in[k].et, in[k].data, w.off[k]));
    ir_elem_set_f64(t, o->data, i, fq_one(t, v[0], v[1], v[2], v[3], v[4], lm1));
  }
  return OVCC_OK;
}

/* ---- prelu ---- */

ovcc_status ir_eval_prelu(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  (void)op;
  const ir_tensor *x = &in[0], *s = &in[1];
  ir_tensor *o = &out[0];
  ir_etype t = x->et;
  if (is_string(x) || (!ir_etype_is_float(t) && !ir_etype_is_int(t)) ||
      (!ir_etype_is_float(s->et) && !ir_etype_is_int(s->et)) ||
      ir_etype_is_float(s->et) != ir_etype_is_float(t))
    return OVCC_ERR_UNSUPPORTED;
  bc_walk w;
  walk_init(&w, &o->shape);
  IR_TRY(walk_add(&w, &x->shape, 0, d));
  int ch = x->shape.rank > 1 ? 1 : 0;
  if (s->shape.rank == 1 && x->shape.rank >= 1 && s->shape.d[0].lo == x->shape.d[ch].lo)
    IR_TRY(walk_add(&w, &s->shape, ch, d)); /* per-channel slope */
  else
    IR_TRY(walk_add(&w, &s->shape, o->shape.rank - s->shape.rank, d));
  bool fl = ir_etype_is_float(t);
  for (uint64_t i = 0; i < o->numel; i++, walk_next(&w)) {
    if (fl) {
      double a = ir_elem_get_f64(t, x->data, w.off[0]);
      double b = ir_elem_get_f64(s->et, s->data, w.off[1]);
      ir_elem_set_f64(t, o->data, i, a < 0 ? a * b : a);
    } else {
      int64_t a = ir_elem_get_i64(t, x->data, w.off[0]);
      int64_t b = ir_elem_get_i64(s->et, s->data, w.off[1]);
      bool neg = !et_unsigned(t) && a < 0;
      ir_elem_set_i64(t, o->data, i, neg ? (int64_t)((uint64_t)a * (uint64_t)b) : a);
    }
  }
  return OVCC_OK;
}
