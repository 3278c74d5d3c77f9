/* Gather (v1, v7, v8), GatherElements, GatherND (v5, v8) as views with
 * runtime index terms: indices are read at run time (constant or not), a
 * negative index counts from the end, an index still out of range yields
 * zeros (OpenVINO CPU behaviour) and never an out-of-bounds read. */
#include "move_internal.h"

static bool index_type_ok(cg_kernel *k, uint32_t i) {
  ir_etype et = ir_op_operand(k->op, i)->type.et;
  if (ir_etype_is_int(et) && ir_etype_bits(et) >= 8 && ir_etype_bits(et) % 8 == 0)
    return true;
  CG_UNSUPPORTED(k, "indices of type %s", ir_etype_name(et));
  return false;
}

static int64_t prod(const int64_t *d, int from, int to) {
  int64_t p = 1;
  for (int i = from; i < to; i++)
    p *= d[i];
  return p;
}

/* Output [batch, pre, indices..., inner] with data [batch, pre, axis, inner]. */
static ovcc_status lower_gather(cg_kernel *k, unsigned es) {
  const ir_op *op = k->op;
  int64_t xd[IR_MAX_RANK], id[IR_MAX_RANK], axis;
  int xr = mv_dims(ir_op_operand(op, 0), xd, NULL);
  int ir = mv_dims(ir_op_operand(op, 1), id, NULL);
  if (mv_const_ints(k, 2, &axis, 1, "Gather axis") != 1)
    return k->d->status ? k->d->status : cg_error(k, OVCC_ERR_INVALID_MODEL, "axis is no scalar");
  if (!ir_axis_normalize(axis, xr, &axis, k->d))
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "axis is out of range");
  int64_t b = op->kind == IR_OP_GATHER_1 ? 0 : ir_op_attr_int(op, "batch_dims", 0);
  if (b < 0)
    b += ir;
  if (b < 0 || b > axis || b > ir)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "batch_dims %lld is out of range", (long long)b);
  if (!index_type_ok(k, 1))
    return k->d->status;
  int64_t nb = prod(xd, 0, (int)b), np = prod(xd, (int)b, (int)axis), na = xd[axis];
  int64_t inner = prod(xd, (int)axis + 1, xr), ni = prod(id, (int)b, ir);
  mv_view v;
  mv_view_init(&v, es, 0, op->n_operands);
  int ab = mv_view_axis(&v, nb, np * na * inner, 0);
  mv_view_axis(&v, np, na * inner, 0);
  int an = mv_view_axis(&v, ni, 0, 0);
  mv_view_axis(&v, inner, 1, 0);
  mv_view_dense_dst(&v);
  mv_term *t = &v.terms[v.n_terms++];
  t->buf = 1;
  t->et = ir_op_operand(op, 1)->type.et;
  t->pos_stride[ab] = ni;
  t->pos_stride[an] = 1;
  t->dim = na;
  t->src_stride = inner;
  return mv_emit_kernel(k, &v);
}

/* out[c] = data[c with c[axis] = idx[c]]: one term per element. */
static ovcc_status lower_gather_elements(cg_kernel *k, unsigned es) {
  const ir_op *op = k->op;
  int64_t xd[IR_MAX_RANK], xst[IR_MAX_RANK], od[IR_MAX_RANK], ost[IR_MAX_RANK], axis;
  int r = mv_dims(ir_op_operand(op, 0), xd, xst);
  mv_dims(&op->results[0], od, ost);
  if (!ir_axis_normalize(ir_op_attr_int(op, "axis", 0), r, &axis, k->d))
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "axis is out of range");
  if (!index_type_ok(k, 1))
    return k->d->status;
  mv_view v;
  mv_view_init(&v, es, 0, op->n_operands);
  for (int i = 0; i < r; i++)
    mv_view_axis(&v, od[i], i == axis ? 0 : xst[i], 0);
  mv_view_dense_dst(&v);
  mv_term *t = &v.terms[v.n_terms++];
  t->buf = 1;
  t->et = ir_op_operand(op, 1)->type.et;
  for (int i = 0; i < r; i++)
    t->pos_stride[i] = ost[i];
  t->dim = xd[axis];
  t->src_stride = xst[axis];
  return mv_emit_kernel(k, &v);
}

/* Output [batch..., idx_outer..., data_rest] (v5 flattens the batch, which
 * keeps the element order): K terms pick data axes b..b+K-1. */
static ovcc_status lower_gather_nd(cg_kernel *k, unsigned es) {
  const ir_op *op = k->op;
  int64_t xd[IR_MAX_RANK], xst[IR_MAX_RANK], id[IR_MAX_RANK], ist[IR_MAX_RANK];
  int xr = mv_dims(ir_op_operand(op, 0), xd, xst);
  int ir = mv_dims(ir_op_operand(op, 1), id, ist);
  int64_t b = ir_op_attr_int(op, "batch_dims", 0);
  if (ir < 1 || b < 0 || b >= ir || b >= xr)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "bad GatherND ranks or batch_dims");
  int64_t kk = id[ir - 1];
  if (b + kk > xr || kk > MV_MAX_TERMS)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "index tuples of %lld entries are too long",
                    (long long)kk);
  if (!index_type_ok(k, 1))
    return k->d->status;
  mv_view v;
  mv_view_init(&v, es, 0, op->n_operands);
  int64_t pos[MV_MAX_RANK] = {0};
  for (int i = 0; i < b; i++) {
    pos[mv_view_axis(&v, xd[i], xst[i], 0)] = ist[i];
  }
  for (int i = (int)b; i < ir - 1; i++)
    pos[mv_view_axis(&v, id[i], 0, 0)] = ist[i];
  for (int i = (int)(b + kk); i < xr; i++)
    mv_view_axis(&v, xd[i], xst[i], 0);
  mv_view_dense_dst(&v);
  for (int j = 0; j < kk; j++) {
    mv_term *t = &v.terms[v.n_terms++];
    t->buf = 1;
    t->et = ir_op_operand(op, 1)->type.et;
    for (int a = 0; a < v.rank; a++)
      t->pos_stride[a] = pos[a];
    t->pos_base = j;
    t->dim = xd[b + j];
    t->src_stride = xst[b + j];
  }
  return mv_emit_kernel(k, &v);
}

ovcc_status mv_lower_gather(cg_kernel *k, const ir_op *op, bool *handled) {
  ovcc_status (*fn)(cg_kernel *, unsigned) = NULL;
  switch (op->kind) {
  case IR_OP_GATHER_1:
  case IR_OP_GATHER_7:
  case IR_OP_GATHER_8:
    fn = lower_gather;
    break;
  case IR_OP_GATHERELEMENTS_6:
    fn = lower_gather_elements;
    break;
  case IR_OP_GATHERND_5:
  case IR_OP_GATHERND_8:
    fn = lower_gather_nd;
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
