/* Shape functions of the elementwise ops: unary math and activations,
 * binary arithmetic/bitwise, comparisons and logical ops, Select, Convert,
 * ConvertLike, FakeQuantize, PRelu, IsFinite/IsInf/IsNaN.
 *
 * Broadcasting follows OpenVINO (broadcast-rules.rst): `none` merges equal
 * shapes, `numpy` aligns trailing dims (dynamic and interval dims via
 * ir_shape_broadcast_numpy), `pdpd` broadcasts the second operand onto the
 * first one-sidedly. Element types of the data operands must agree unless one
 * is dynamic. Messages name the operand; the caller adds the op location. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ir.h"
#include "shape_fn.h"

typedef enum bc_mode { BC_NONE, BC_NUMPY, BC_PDPD, BC_OTHER } bc_mode;

/* ---- helpers ---- */

/* PDPD alignment axis: OpenVINO writes it as `auto_broadcast.auto_broadcast_axis`;
 * its reader leaves 0 when the attribute is absent; -1 aligns trailing dims. */
static int64_t pdpd_axis(const ir_op *op) {
  return ir_op_attr_int(op, "auto_broadcast.auto_broadcast_axis", 0);
}

static const ir_type *in_type(const ir_op *op, uint32_t i) { return &ir_op_operand(op, i)->type; }

static ovcc_status need_inputs(const ir_op *op, uint32_t n, ir_diag *d) {
  for (uint32_t i = 0; i < n; i++)
    if (!has_in(op, i))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u is missing", i);
  return OVCC_OK;
}

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

static void shape_str(const ir_shape *s, char *buf, size_t cap) {
  char t[512];
  ir_shape_format(s, t, sizeof t);
  snprintf(buf, cap, "[%s]", t);
}

/* True if the dim can be 1 at run time. */
static bool dim_may_be_one(ir_dim x) { return x.lo <= 1 && (x.hi == IR_DIM_INF || x.hi >= 1); }

/* PDPD: src is broadcast onto dst (dst keeps its shape, refined where src
 * pins a dim). axis -1 aligns trailing; trailing 1-dims of src are ignored. */
static bool bcast_pdpd(ir_shape *dst, const ir_shape *src, int64_t axis) {
  if (dst->rank < 0 || src->rank < 0)
    return true;
  if (src->rank > dst->rank)
    return false;
  if (src->rank == dst->rank && ir_shape_compatible(dst, src))
    axis = 0;
  else if (axis < -1)
    return false;
  else if (axis == -1)
    axis = dst->rank - src->rank;
  int len = src->rank;
  while (len > 0 && ir_dim_is_static(src->d[len - 1]) && src->d[len - 1].lo == 1)
    len--;
  if (axis + len > dst->rank)
    return false;
  for (int j = 0; j < len; j++) {
    ir_dim s = src->d[j], *t = &dst->d[axis + j];
    if (dim_may_be_one(s))
      continue;
    if (!ir_dim_merge(t, *t, s))
      return false;
  }
  return true;
}

/* Broadcasts operand `idx` (shape b) into acc under mode. */
static ovcc_status bcast_into(const ir_op *op, ir_shape *acc, const ir_shape *b, uint32_t idx,
                              bc_mode mode, ir_diag *d) {
  char sa[560], sb[560];
  switch (mode) {
  case BC_NONE:
    if (ir_shape_merge(acc, acc, b))
      return OVCC_OK;
    shape_str(b, sb, sizeof sb);
    shape_str(acc, sa, sizeof sa);
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "input %u: shape %s does not match %s (auto_broadcast none)", idx, sb, sa);
  case BC_NUMPY: {
    ir_diag tmp;
    ir_diag_clear(&tmp);
    if (ir_shape_broadcast_numpy(acc, acc, b, &tmp))
      return OVCC_OK;
    shape_str(b, sb, sizeof sb);
    shape_str(acc, sa, sizeof sa);
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u: shape %s does not broadcast with %s", idx,
                  sb, sa);
  }
  case BC_PDPD:
    if (bcast_pdpd(acc, b, pdpd_axis(op)))
      return OVCC_OK;
    shape_str(b, sb, sizeof sb);
    shape_str(acc, sa, sizeof sa);
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "input %u: shape %s does not broadcast onto %s (auto_broadcast pdpd)", idx, sb,
                  sa);
  default:
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "auto_broadcast '%s' is not valid for an elementwise op",
                  ir_op_attr_str(op, "auto_broadcast", "?"));
  }
}

/* Merges the element type of input i into *et. */
static ovcc_status merge_et(const ir_op *op, uint32_t i, uint32_t ref, ir_etype *et, ir_diag *d) {
  ir_etype t = in_type(op, i)->et;
  if (t == IR_ET_DYNAMIC)
    return OVCC_OK;
  if (*et == IR_ET_DYNAMIC) {
    *et = t;
    return OVCC_OK;
  }
  if (*et != t)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u: element type %s does not match input %u (%s)",
                  i, ir_etype_name(t), ref, ir_etype_name(*et));
  return OVCC_OK;
}

/* Input i must hold one element (scalar or all dims possibly 1). */
static ovcc_status check_single(const ir_op *op, uint32_t i, const char *what, ir_diag *d) {
  const ir_shape *s = &in_type(op, i)->shape;
  if (s->rank < 0)
    return OVCC_OK;
  for (int k = 0; k < s->rank; k++)
    if (!dim_may_be_one(s->d[k])) {
      char sb[560];
      shape_str(s, sb, sizeof sb);
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u (%s): expected one element, got shape %s",
                    i, what, sb);
    }
  return OVCC_OK;
}

static bool is_bitwise(ir_op_id k) {
  return k == IR_OP_BITWISEAND_13 || k == IR_OP_BITWISEOR_13 || k == IR_OP_BITWISEXOR_13 ||
         k == IR_OP_BITWISELEFTSHIFT_15 || k == IR_OP_BITWISERIGHTSHIFT_15;
}

static bool is_logical(ir_op_id k) {
  return k == IR_OP_LOGICALAND_1 || k == IR_OP_LOGICALOR_1 || k == IR_OP_LOGICALXOR_1 ||
         k == IR_OP_XOR_1;
}

/* Shape and merged element type of a two-operand broadcasting op. */
static ovcc_status bcast_two(ir_op *op, ir_shape *s, ir_etype *et, ir_diag *d) {
  IR_TRY(need_inputs(op, 2, d));
  *et = in_type(op, 0)->et;
  IR_TRY(merge_et(op, 1, 0, et, d));
  *s = in_type(op, 0)->shape;
  return bcast_into(op, s, &in_type(op, 1)->shape, 1, bcast_mode(op), d);
}

/* ---- shape functions ---- */

ovcc_status ir_shape_unary(ir_op *op, ir_diag *d) {
  IR_TRY(need_inputs(op, 1, d));
  const ir_type *x = in_type(op, 0);
  ir_etype et = x->et;
  switch (op->kind) {
  case IR_OP_SELU_1:
    IR_TRY(need_inputs(op, 3, d));
    IR_TRY(merge_et(op, 1, 0, &et, d));
    IR_TRY(merge_et(op, 2, 0, &et, d));
    IR_TRY(check_single(op, 1, "alpha", d));
    IR_TRY(check_single(op, 2, "lambda", d));
    break;
  case IR_OP_HARDSIGMOID_1:
    IR_TRY(need_inputs(op, 3, d));
    IR_TRY(merge_et(op, 1, 0, &et, d));
    IR_TRY(merge_et(op, 2, 0, &et, d));
    IR_TRY(check_single(op, 1, "alpha", d));
    IR_TRY(check_single(op, 2, "beta", d));
    break;
  case IR_OP_SWISH_4:
    if (has_in(op, 1)) {
      IR_TRY(merge_et(op, 1, 0, &et, d));
      IR_TRY(check_single(op, 1, "beta", d));
    }
    break;
  case IR_OP_CLAMP_1: {
    double lo = ir_op_attr_float(op, "min", 0), hi = ir_op_attr_float(op, "max", 0);
    if (lo > hi)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "attribute 'min' (%g) is greater than 'max' (%g)",
                    lo, hi);
    break;
  }
  default:
    break;
  }
  if (et == IR_ET_STRING)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input 0: element type string is not numeric");
  set_out(op, 0, x->et, &x->shape);
  return OVCC_OK;
}

ovcc_status ir_shape_is_class(ir_op *op, ir_diag *d) {
  IR_TRY(need_inputs(op, 1, d));
  const ir_type *x = in_type(op, 0);
  if (x->et != IR_ET_DYNAMIC && !ir_etype_is_float(x->et))
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "input 0: element type must be floating point, got %s", ir_etype_name(x->et));
  set_out(op, 0, IR_ET_BOOLEAN, &x->shape);
  return OVCC_OK;
}

ovcc_status ir_shape_binary(ir_op *op, ir_diag *d) {
  ir_shape s;
  ir_etype et;
  IR_TRY(bcast_two(op, &s, &et, d));
  if (et == IR_ET_STRING)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "element type string is not numeric");
  if (is_bitwise(op->kind)) {
    if (et != IR_ET_DYNAMIC && !ir_etype_is_int(et) && et != IR_ET_BOOLEAN)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "element type must be integer or boolean, got %s", ir_etype_name(et));
    if (et == IR_ET_BOOLEAN &&
        (op->kind == IR_OP_BITWISELEFTSHIFT_15 || op->kind == IR_OP_BITWISERIGHTSHIFT_15))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "element type must be integer, got boolean");
  } else if (et == IR_ET_BOOLEAN) {
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "arithmetic on boolean element type");
  }
  set_out(op, 0, et, &s);
  return OVCC_OK;
}

ovcc_status ir_shape_compare(ir_op *op, ir_diag *d) {
  ir_shape s;
  ir_etype et;
  IR_TRY(bcast_two(op, &s, &et, d));
  if (is_logical(op->kind) && et != IR_ET_DYNAMIC && et != IR_ET_BOOLEAN)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "element type must be boolean, got %s",
                  ir_etype_name(et));
  set_out(op, 0, IR_ET_BOOLEAN, &s);
  return OVCC_OK;
}

ovcc_status ir_shape_select(ir_op *op, ir_diag *d) {
  IR_TRY(need_inputs(op, 3, d));
  ir_etype ct = in_type(op, 0)->et;
  if (ct != IR_ET_DYNAMIC && ct != IR_ET_BOOLEAN)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input 0 (cond): element type must be boolean, got %s",
                  ir_etype_name(ct));
  ir_etype et = in_type(op, 1)->et;
  IR_TRY(merge_et(op, 2, 1, &et, d));
  bc_mode mode = bcast_mode(op);
  ir_shape s;
  if (mode == BC_PDPD) {
    s = in_type(op, 1)->shape; /* 'then' is the target */
    IR_TRY(bcast_into(op, &s, &in_type(op, 2)->shape, 2, mode, d));
    IR_TRY(bcast_into(op, &s, &in_type(op, 0)->shape, 0, mode, d));
  } else {
    s = in_type(op, 2)->shape;
    IR_TRY(bcast_into(op, &s, &in_type(op, 1)->shape, 1, mode, d));
    IR_TRY(bcast_into(op, &s, &in_type(op, 0)->shape, 0, mode, d));
  }
  set_out(op, 0, et, &s);
  return OVCC_OK;
}

ovcc_status ir_shape_convert(ir_op *op, ir_diag *d) {
  IR_TRY(need_inputs(op, 1, d));
  const ir_attr_value *a = ir_op_attr(op, "destination_type");
  if (!a || a->kind != IR_ATTR_ETYPE)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "attribute 'destination_type' is missing");
  set_out(op, 0, a->u.et, &in_type(op, 0)->shape);
  return OVCC_OK;
}

ovcc_status ir_shape_convert_like(ir_op *op, ir_diag *d) {
  IR_TRY(need_inputs(op, 2, d));
  set_out(op, 0, in_type(op, 1)->et, &in_type(op, 0)->shape);
  return OVCC_OK;
}

ovcc_status ir_shape_fake_quantize(ir_op *op, ir_diag *d) {
  IR_TRY(need_inputs(op, 5, d));
  int64_t levels = ir_op_attr_int(op, "levels", 0);
  if (levels < 2)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "attribute 'levels' must be at least 2, got %lld",
                  (long long)levels);
  const ir_type *x = in_type(op, 0);
  if (x->et != IR_ET_DYNAMIC && !ir_etype_is_float(x->et))
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "input 0: element type must be floating point, got %s", ir_etype_name(x->et));
  ir_shape s = x->shape;
  bc_mode mode = bcast_mode(op);
  for (uint32_t i = 1; i < 5; i++)
    IR_TRY(bcast_into(op, &s, &in_type(op, i)->shape, i, mode, d));
  set_out(op, 0, x->et, &s);
  return OVCC_OK;
}

ovcc_status ir_shape_prelu(ir_op *op, ir_diag *d) {
  IR_TRY(need_inputs(op, 2, d));
  /* OpenVINO does not tie the slope's element type to the data's (f16 models
   * carry f32 slopes). */
  const ir_type *x = in_type(op, 0), *sl = in_type(op, 1);
  const ir_shape *xs = &x->shape, *ss = &sl->shape;
  if (xs->rank >= 0 && ss->rank == 1 && xs->rank >= 1) {
    ir_dim c = xs->d[xs->rank > 1 ? 1 : 0], m;
    if (ir_dim_merge(&m, c, ss->d[0]))
      goto ok; /* per-channel slope */
  }
  ir_shape b;
  ir_diag tmp;
  ir_diag_clear(&tmp);
  if (!ir_shape_broadcast_numpy(&b, xs, ss, &tmp)) {
    char a1[560], a2[560];
    shape_str(ss, a2, sizeof a2);
    shape_str(xs, a1, sizeof a1);
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "input 1 (slope): shape %s neither matches the channels of %s nor broadcasts "
                  "with it",
                  a2, a1);
  }
ok:
  set_out(op, 0, x->et, xs);
  return OVCC_OK;
}
