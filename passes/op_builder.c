/* Replacement-subgraph builder for the decomposition passes. */
#include "op_builder.h"

#include <stdlib.h>
#include <string.h>

void ob_init(op_builder *b, ir_model *m, ir_op *anchor, ir_diag *d) {
  *b = (op_builder){.m = m, .anchor = anchor, .d = d};
}

bool ob_created(const op_builder *b, const ir_op *op) {
  for (const ir_op *o = b->first; o && o != b->anchor; o = o->next)
    if (o == op)
      return true;
  return false;
}

void ob_rollback(op_builder *b) {
  if (!b->first)
    return;
  /* Users come after their operands: erase from the back. */
  ir_op *op = b->anchor->prev;
  for (;;) {
    ir_op *prev = op->prev;
    bool last = op == b->first;
    ir_graph_erase(op->graph, op);
    if (last)
      break;
    op = prev;
  }
  b->first = NULL;
}

/* Inserts op (operands and attributes set) and infers its types. */
static ir_value *finish(op_builder *b, ir_op *op) {
  op->loc = b->anchor->loc;
  ir_graph_insert(b->anchor->graph, op, b->anchor);
  if (!b->first)
    b->first = op;
  if (ir_infer_op(op, true, b->d) != OVCC_OK)
    return NULL;
  return &op->results[0];
}

static ir_op *create(op_builder *b, ir_op_id kind, ir_value *const *operands, uint32_t n) {
  ir_op *op = ir_op_create(b->m, kind, n, 1);
  if (!op) {
    IR_NOMEM(b->d);
    return NULL;
  }
  for (uint32_t i = 0; i < n; i++)
    ir_op_set_operand(op, i, operands[i]);
  return op;
}

/* Fills schema defaults, then finishes. */
static ir_value *finish_with_schema(op_builder *b, ir_op *op) {
  if (ir_op_apply_schema(b->m, op, b->d) != OVCC_OK)
    return NULL;
  return finish(b, op);
}

static bool set_bool(op_builder *b, ir_op *op, const char *name, bool v) {
  ir_attr_value a = {.kind = IR_ATTR_BOOL, .u.b = v};
  if (ir_op_set_attr(b->m, op, name, &a))
    return true;
  IR_NOMEM(b->d);
  return false;
}

static bool set_int(op_builder *b, ir_op *op, const char *name, int64_t v) {
  ir_attr_value a = {.kind = IR_ATTR_INT, .u.i = v};
  if (ir_op_set_attr(b->m, op, name, &a))
    return true;
  IR_NOMEM(b->d);
  return false;
}

/* ---- constants ---- */

static ir_value *constant(op_builder *b, ir_etype et, const int64_t *dims, int rank,
                          const void *data, uint64_t nbytes) {
  ir_type t = {et, ir_shape_scalar()};
  if (!ir_shape_from_dims(&t.shape, dims, rank)) {
    IR_ERR(b->d, OVCC_ERR_UNSUPPORTED, "constant of rank %d (at most %d)", rank, IR_MAX_RANK);
    return NULL;
  }
  ir_op *c = ir_const_create(b->m, &t, data, nbytes);
  if (!c) {
    IR_NOMEM(b->d);
    return NULL;
  }
  return finish(b, c);
}

ir_value *ob_i64s(op_builder *b, const int64_t *v, int n) {
  int64_t dims[1] = {n};
  return constant(b, IR_ET_I64, dims, 1, v, (uint64_t)n * sizeof *v);
}

ir_value *ob_i64_scalar(op_builder *b, int64_t v) {
  return constant(b, IR_ET_I64, NULL, 0, &v, sizeof v);
}

bool ob_float_type_ok(ir_etype et) {
  return et == IR_ET_F64 || et == IR_ET_F32 || et == IR_ET_F16 || et == IR_ET_BF16;
}

/* Stores v as element i of a buffer of type et. */
static void store_float(void *buf, ir_etype et, uint64_t i, double v) {
  switch (et) {
  case IR_ET_F64: ((double *)buf)[i] = v; break;
  case IR_ET_F32: ((float *)buf)[i] = (float)v; break;
  case IR_ET_F16: ((uint16_t *)buf)[i] = ir_f32_to_f16((float)v); break;
  default: /* bf16 (ob_float_type_ok) */ ((uint16_t *)buf)[i] = ir_f32_to_bf16((float)v); break;
  }
}

ir_value *ob_float_tensor(op_builder *b, ir_etype et, const int64_t *dims, int rank,
                          const double *v) {
  if (!ob_float_type_ok(et)) {
    IR_ERR(b->d, OVCC_ERR_UNSUPPORTED, "no constants of type %s", ir_etype_name(et));
    return NULL;
  }
  uint64_t n = 1;
  for (int i = 0; i < rank; i++)
    n *= (uint64_t)dims[i];
  uint64_t nbytes = n * ir_etype_bits(et) / 8;
  void *buf = malloc(nbytes ? nbytes : 1);
  if (!buf) {
    IR_NOMEM(b->d);
    return NULL;
  }
  for (uint64_t i = 0; i < n; i++)
    store_float(buf, et, i, v[i]);
  ir_value *c = constant(b, et, dims, rank, buf, nbytes); /* copies into the arena */
  free(buf);
  return c;
}

ir_value *ob_float_scalar(op_builder *b, ir_etype et, double v) {
  return ob_float_tensor(b, et, NULL, 0, &v);
}

/* ---- ops ---- */

ir_value *ob_op(op_builder *b, ir_op_id kind, ir_value *const *operands, uint32_t n) {
  ir_op *op = create(b, kind, operands, n);
  return op ? finish_with_schema(b, op) : NULL;
}

ir_value *ob_binary(op_builder *b, ir_op_id kind, ir_value *x, ir_value *y) {
  ir_value *in[2] = {x, y};
  return ob_op(b, kind, in, 2);
}

static bool is_identity(const int64_t *perm, int n) {
  for (int i = 0; i < n; i++)
    if (perm[i] != i)
      return false;
  return true;
}

ir_value *ob_transpose(op_builder *b, ir_value *x, const int64_t *perm) {
  int rank = x->type.shape.rank;
  if (is_identity(perm, rank))
    return x;
  ir_value *p = ob_i64s(b, perm, rank);
  ir_value *in[2] = {x, p};
  return p ? ob_op(b, IR_OP_TRANSPOSE_1, in, 2) : NULL;
}

ir_value *ob_reshape(op_builder *b, ir_value *x, const int64_t *dims, int rank) {
  ir_shape want;
  if (ir_shape_from_dims(&want, dims, rank) && ir_shape_equal(&want, &x->type.shape))
    return x;
  ir_value *target = ob_i64s(b, dims, rank);
  ir_value *in[2] = {x, target};
  ir_op *op = target ? create(b, IR_OP_RESHAPE_1, in, 2) : NULL;
  if (!op || !set_bool(b, op, "special_zero", false))
    return NULL;
  return finish_with_schema(b, op);
}

ir_value *ob_reduce_sum(op_builder *b, ir_value *x, const int64_t *axes, int n) {
  if (n == 0)
    return x;
  ir_value *a = ob_i64s(b, axes, n);
  ir_value *in[2] = {x, a};
  ir_op *op = a ? create(b, IR_OP_REDUCESUM_1, in, 2) : NULL;
  if (!op || !set_bool(b, op, "keep_dims", false))
    return NULL;
  return finish_with_schema(b, op);
}

ir_value *ob_gather(op_builder *b, ir_value *x, const int64_t *indices, int n, int64_t axis) {
  ir_value *idx = ob_i64s(b, indices, n);
  ir_value *ax = idx ? ob_i64_scalar(b, axis) : NULL;
  ir_value *in[3] = {x, idx, ax};
  return ax ? ob_op(b, IR_OP_GATHER_8, in, 3) : NULL;
}

ir_value *ob_matmul(op_builder *b, ir_value *x, ir_value *y, bool transpose_a, bool transpose_b) {
  ir_value *in[2] = {x, y};
  ir_op *op = create(b, IR_OP_MATMUL_1, in, 2);
  if (!op || !set_bool(b, op, "transpose_a", transpose_a) ||
      !set_bool(b, op, "transpose_b", transpose_b))
    return NULL;
  return finish_with_schema(b, op);
}

ir_value *ob_select(op_builder *b, ir_value *cond, ir_value *then_v, ir_value *else_v) {
  ir_value *in[3] = {cond, then_v, else_v};
  return ob_op(b, IR_OP_SELECT_1, in, 3);
}

ir_value *ob_softmax(op_builder *b, ir_value *x, int64_t axis) {
  ir_op *op = create(b, IR_OP_SOFTMAX_8, &x, 1);
  if (!op || !set_int(b, op, "axis", axis))
    return NULL;
  return finish_with_schema(b, op);
}
