/* Building a replacement subgraph in front of an op (shared by the
 * decomposition passes). Every new op goes right before the anchor, gets the
 * anchor's location and is typed by shape inference at once, so each step can
 * read the static shape of the previous one. The new ops form one contiguous
 * run before the anchor, which ob_rollback erases when a decomposition turns
 * out not to fit.
 *
 * Builders return the new value, or NULL with the error in b->d (NOMEM, or a
 * shape-inference failure that names the new op). */
#ifndef OVCC_PASSES_OP_BUILDER_H
#define OVCC_PASSES_OP_BUILDER_H

#include "ir/ir.h"

typedef struct op_builder {
  ir_model *m;
  ir_op *anchor; /* new ops are inserted before it */
  ir_op *first;  /* first op created, NULL while none */
  ir_diag *d;
} op_builder;

void ob_init(op_builder *b, ir_model *m, ir_op *anchor, ir_diag *d);
/* Whether op is one this builder created. */
bool ob_created(const op_builder *b, const ir_op *op);
/* Erases every op created so far (they must have no uses outside the run). */
void ob_rollback(op_builder *b);

/* Constants. */
ir_value *ob_i64s(op_builder *b, const int64_t *v, int n); /* 1-D [n] */
ir_value *ob_i64_scalar(op_builder *b, int64_t v);
/* A tensor of a floating-point type (f64, f32, f16, bf16) from f64 values. */
ir_value *ob_float_tensor(op_builder *b, ir_etype et, const int64_t *dims, int rank,
                          const double *v);
ir_value *ob_float_scalar(op_builder *b, ir_etype et, double v);
/* Whether ob_float_tensor can hold values of et. */
bool ob_float_type_ok(ir_etype et);

/* Generic: an op of `kind` reading operands[0..n); attributes default. */
ir_value *ob_op(op_builder *b, ir_op_id kind, ir_value *const *operands, uint32_t n);

/* Common ops. The view-like ones return x itself when they would do nothing. */
ir_value *ob_binary(op_builder *b, ir_op_id kind, ir_value *x, ir_value *y);
ir_value *ob_transpose(op_builder *b, ir_value *x, const int64_t *perm); /* perm: rank of x */
ir_value *ob_reshape(op_builder *b, ir_value *x, const int64_t *dims, int rank);
ir_value *ob_reduce_sum(op_builder *b, ir_value *x, const int64_t *axes, int n); /* drops axes */
ir_value *ob_gather(op_builder *b, ir_value *x, const int64_t *indices, int n, int64_t axis);
ir_value *ob_matmul(op_builder *b, ir_value *x, ir_value *y, bool transpose_a, bool transpose_b);
ir_value *ob_select(op_builder *b, ir_value *cond, ir_value *then_v, ir_value *else_v);
ir_value *ob_softmax(op_builder *b, ir_value *x, int64_t axis);

#endif
