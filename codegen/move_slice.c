/* Slice, StridedSlice (through ir/slice_plan.h, as the shape function) and
 * Pad (v1, v12; constant, edge, reflect, symmetric; negative pads crop). */
#include <stdlib.h>
#include <string.h>

#include "ir/slice_plan.h"
#include "move_internal.h"

enum { MAX_VEC = 64 };

/* The view of a resolved slice spec: output = the input axes (shrunk and new
 * axes are size 1 and do not change the element order). */
static ovcc_status lower_spec(cg_kernel *k, const ir_slice_spec *s, unsigned es) {
  int64_t xd[IR_MAX_RANK], ist[IR_MAX_RANK];
  int r = mv_dims(ir_op_operand(k->op, 0), xd, ist);
  if (s->in_rank != r)
    return cg_error(k, OVCC_ERR_INTERNAL, "slice plan rank %d for data of rank %d", s->in_rank, r);
  mv_view v;
  mv_view_init(&v, es, 0, k->op->n_operands);
  uint64_t total = 1;
  for (int i = 0; i < r; i++) {
    int64_t start, cnt;
    if (!ir_slice_axis_resolve(&s->ax[i], xd[i], &start, &cnt, k->d))
      return cg_error(k, OVCC_ERR_INVALID_MODEL, "%s", k->d->msg);
    mv_view_axis(&v, cnt, ist[i] * s->ax[i].stride, 0);
    v.src_base += start * ist[i];
    total *= (uint64_t)cnt;
  }
  if (total != cg_numel(&k->op->results[0]))
    return cg_error(k, OVCC_ERR_INTERNAL, "slice yields %llu elements, output has %llu",
                    (unsigned long long)total, (unsigned long long)cg_numel(&k->op->results[0]));
  mv_view_dense_dst(&v);
  return mv_emit_kernel(k, &v);
}

static ovcc_status lower_slice8(cg_kernel *k, unsigned es) {
  static const char *const what[] = {"Slice start", "Slice stop", "Slice step", "Slice axes"};
  int64_t v[4][MAX_VEC];
  int n[4] = {0, 0, 0, -1};
  for (uint32_t i = 1; i < k->op->n_operands && i <= 4; i++)
    if ((n[i - 1] = mv_const_ints(k, i, v[i - 1], MAX_VEC, what[i - 1])) < 0)
      return k->d->status;
  if (n[1] != n[0] || n[2] != n[0] || (n[3] >= 0 && n[3] != n[0]))
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "start, stop, step and axes differ in length");
  ir_slice_spec s;
  int r = ir_op_operand(k->op, 0)->type.shape.rank;
  if (ir_slice_spec_slice(&s, r, n[0], v[0], v[1], v[2], n[3] >= 0 ? v[3] : NULL, k->d))
    return cg_error(k, k->d->status, "%s", k->d->msg);
  return lower_spec(k, &s, es);
}

static ovcc_status lower_strided(cg_kernel *k, unsigned es) {
  static const char *const what[] = {"StridedSlice begin", "StridedSlice end",
                                     "StridedSlice strides"};
  int64_t v[3][MAX_VEC];
  int n[3] = {0, 0, -1};
  for (uint32_t i = 1; i < k->op->n_operands && i <= 3; i++)
    if ((n[i - 1] = mv_const_ints(k, i, v[i - 1], MAX_VEC, what[i - 1])) < 0)
      return k->d->status;
  if (n[1] != n[0] || (n[2] >= 0 && n[2] != n[0]))
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "begin, end and stride differ in length");
  ir_slice_spec s;
  int r = ir_op_operand(k->op, 0)->type.shape.rank;
  if (ir_slice_spec_strided(&s, k->op, r, n[0], v[0], v[1], n[2] >= 0 ? v[2] : NULL, n[2] < 0,
                            k->d))
    return cg_error(k, k->d->status, "%s", k->d->msg);
  return lower_spec(k, &s, es);
}

/* ---- Pad ---- */

enum pad_mode { PAD_CONSTANT, PAD_EDGE, PAD_REFLECT, PAD_SYMMETRIC };

/* Source coordinate of output coordinate o on an axis of size n, or -1 for
 * the pad value (ir/eval_movement.c pad_src). */
static int64_t pad_src(int64_t o, int64_t pb, int64_t n, enum pad_mode mode) {
  int64_t c = o - pb;
  if (c >= 0 && c < n)
    return c;
  switch (mode) {
  case PAD_EDGE:
    return c < 0 ? 0 : n - 1;
  case PAD_REFLECT:
    return c < 0 ? -c : 2 * (n - 1) - c;
  case PAD_SYMMETRIC:
    return c < 0 ? -c - 1 : 2 * n - 1 - c;
  default:
    return -1;
  }
}

static enum pad_mode pad_mode_of(const ir_op *op) {
  static const char *const modes[] = {"constant", "edge", "reflect", "symmetric"};
  const char *ms = ir_op_attr_str(op, "pad_mode", "constant");
  for (int i = 0; i < 4; i++)
    if (strcmp(ms, modes[i]) == 0)
      return (enum pad_mode)i;
  return PAD_CONSTANT;
}

/* One output axis of Pad: affine when it only crops, else a table. */
static ovcc_status pad_axis(cg_kernel *k, mv_view *v, int64_t on, int64_t pb, int64_t xn,
                            int64_t stride, enum pad_mode mode) {
  int a = mv_view_axis(v, on, stride, 0);
  if (pb <= 0 && on - pb <= xn) { /* every output point is inside the input */
    v->src_base += -pb * stride;
    return OVCC_OK;
  }
  if (xn == 0 && mode != PAD_CONSTANT)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "cannot pad an empty axis outside constant mode");
  int64_t *t = malloc((size_t)(on > 0 ? on : 1) * sizeof *t);
  if (!t)
    return cg_error(k, OVCC_ERR_NOMEM, "out of memory for a pad table");
  for (int64_t o = 0; o < on; o++) {
    int64_t c = pad_src(o, pb, xn, mode);
    t[o] = c < 0 || c >= xn ? -1 : c * stride;
  }
  v->table[a] = t;
  return OVCC_OK;
}

static ovcc_status lower_pad(cg_kernel *k, unsigned es) {
  const ir_op *op = k->op;
  int64_t xd[IR_MAX_RANK], ist[IR_MAX_RANK], od[IR_MAX_RANK], pb[MAX_VEC];
  int r = mv_dims(ir_op_operand(op, 0), xd, ist);
  cg_dims(&op->results[0], od);
  int n = mv_const_ints(k, 1, pb, MAX_VEC, "Pad pads_begin");
  if (n < 0)
    return k->d->status;
  if (n != r)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "pads_begin has %d entries for rank %d", n, r);
  enum pad_mode mode = pad_mode_of(op);
  mv_view v;
  mv_view_init(&v, es, 0, op->n_operands);
  if (mode == PAD_CONSTANT && op->n_operands > 3) {
    const ir_value *pv = ir_op_operand(op, 3);
    if (pv->type.et != op->results[0].type.et || cg_numel(pv) < 1)
      return cg_error(k, OVCC_ERR_INVALID_MODEL, "pad_value must be one %s element",
                      ir_etype_name(op->results[0].type.et));
    v.fill_buf = 3;
  }
  for (int i = 0; i < r; i++) {
    ovcc_status st = pad_axis(k, &v, od[i], pb[i], xd[i], ist[i], mode);
    if (st != OVCC_OK) {
      for (int j = 0; j < v.rank; j++)
        free(v.table[j]);
      return st;
    }
  }
  mv_view_dense_dst(&v);
  return mv_emit_kernel(k, &v);
}

ovcc_status mv_lower_slice(cg_kernel *k, const ir_op *op, bool *handled) {
  ovcc_status (*fn)(cg_kernel *, unsigned) = NULL;
  switch (op->kind) {
  case IR_OP_SLICE_8:
    fn = lower_slice8;
    break;
  case IR_OP_STRIDEDSLICE_1:
    fn = lower_strided;
    break;
  case IR_OP_PAD_1:
  case IR_OP_PAD_12:
    fn = lower_pad;
    break;
  default:
    return OVCC_OK;
  }
  *handled = true;
  unsigned es = mv_elem_size(k, op->results[0].type.et);
  if (!es)
    return k->d->status;
  return fn(k, es);
}
