/* Concat, Split and VariadicSplit: one view per input (Concat) or per output
 * (Split), each a [outer, len * inner] block copy; their rows are laid end to
 * end in one work range so every thread shares every part. */
#include "move_internal.h"

/* Outer and inner element counts around `axis` of dims. */
static void outer_inner(const int64_t *dims, int r, int64_t axis, int64_t *outer, int64_t *inner) {
  *outer = 1;
  *inner = 1;
  for (int i = 0; i < axis; i++)
    *outer *= dims[i];
  for (int i = (int)axis + 1; i < r; i++)
    *inner *= dims[i];
}

static ovcc_status finish(cg_kernel *k, int64_t rows, int64_t bytes) {
  k->work = rows > 0 ? rows : 1;
  k->cost = rows > 0 ? (double)bytes / (double)rows / 8.0 + 10.0 : 0;
  return OVCC_OK;
}

static ovcc_status lower_concat(cg_kernel *k, unsigned es) {
  const ir_op *op = k->op;
  int64_t od[IR_MAX_RANK], axis, outer, inner;
  int r = cg_dims(&op->results[0], od);
  if (!ir_axis_normalize(ir_op_attr_int(op, "axis", 0), r, &axis, k->d))
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "axis is out of range");
  outer_inner(od, r, axis, &outer, &inner);
  int64_t at = 0, rows = 0;
  for (uint32_t i = 0; i < op->n_operands; i++) {
    int64_t xd[IR_MAX_RANK];
    mv_dims(ir_op_operand(op, i), xd, NULL);
    int64_t len = xd[axis], part;
    if (ir_op_operand(op, i)->type.et != op->results[0].type.et)
      return cg_error(k, OVCC_ERR_INVALID_MODEL, "input %u has another element type", i);
    mv_view v;
    mv_view_init(&v, es, i, op->n_operands);
    mv_view_axis(&v, outer, len * inner, od[axis] * inner);
    mv_view_axis(&v, len * inner, 1, 1);
    v.dst_base = at * inner;
    IR_TRY(mv_emit(k, &v, rows, &part));
    rows += part;
    at += len;
  }
  if (at != od[axis])
    return cg_error(k, OVCC_ERR_INTERNAL, "inputs cover %lld of %lld on the axis", (long long)at,
                    (long long)od[axis]);
  return finish(k, rows, (int64_t)cg_numel(&op->results[0]) * es);
}

static ovcc_status lower_split(cg_kernel *k, unsigned es) {
  const ir_op *op = k->op;
  int64_t xd[IR_MAX_RANK], axis, outer, inner;
  int r = mv_dims(ir_op_operand(op, 0), xd, NULL);
  if (mv_const_ints(k, 1, &axis, 1, "split axis") != 1)
    return k->d->status ? k->d->status : cg_error(k, OVCC_ERR_INVALID_MODEL, "axis is no scalar");
  if (!ir_axis_normalize(axis, r, &axis, k->d))
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "axis is out of range");
  outer_inner(xd, r, axis, &outer, &inner);
  int64_t at = 0, rows = 0;
  for (uint32_t i = 0; i < op->n_results; i++) {
    int64_t od[IR_MAX_RANK], part;
    cg_dims(&op->results[i], od);
    int64_t len = od[axis];
    mv_view v;
    mv_view_init(&v, es, 0, op->n_operands + i);
    mv_view_axis(&v, outer, xd[axis] * inner, len * inner);
    mv_view_axis(&v, len * inner, 1, 1);
    v.src_base = at * inner;
    IR_TRY(mv_emit(k, &v, rows, &part));
    rows += part;
    at += len;
  }
  if (at > xd[axis])
    return cg_error(k, OVCC_ERR_INTERNAL, "outputs exceed the input on the axis");
  return finish(k, rows, (int64_t)cg_numel(ir_op_operand(op, 0)) * es);
}

ovcc_status mv_lower_concat(cg_kernel *k, const ir_op *op, bool *handled) {
  bool concat = op->kind == IR_OP_CONCAT_1;
  if (!concat && op->kind != IR_OP_SPLIT_1 && op->kind != IR_OP_VARIADICSPLIT_1)
    return OVCC_OK;
  *handled = true;
  unsigned es = mv_elem_size(k, op->results[0].type.et);
  if (!es)
    return k->d->status;
  return concat ? lower_concat(k, es) : lower_split(k, es);
}
