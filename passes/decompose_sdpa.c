/* decompose-sdpa: ScaledDotProductAttention-13 as the ops of its
 * specification, the way OpenVINO's ScaledDotProductAttentionDecomposition
 * builds it:
 *
 *   scores = MatMul(query * scale, key, transpose_b)      [..., L, S]
 *   scores += bias                                        (if any)
 *   out    = MatMul(Softmax(scores, axis -1), value)      [..., L, Ev]
 *
 * scale is input 4, or 1/sqrt(E) (E: the query's last dim) as a constant.
 * bias: causal -> a constant [L, S], -inf above the diagonal (s > l), 0 else
 * (the mask input is then ignored); a boolean mask -> Select(mask, 0, -inf)
 * (true takes part); a float mask is added as it is.
 *
 * Needs static query/key/value shapes and a floating-point type the constants
 * can hold; other ops stay as they are. If the decomposition's result type
 * does not equal the op's (a mask that would broadcast the output), the op
 * stays too. */
#include <math.h>
#include <stdlib.h>

#include "op_builder.h"
#include "passes.h"

typedef struct sdpa_stats {
  uint64_t decomposed, skipped, erased;
} sdpa_stats;

static ir_value *input(const ir_op *op, uint32_t i) {
  return i < op->n_operands ? ir_op_operand(op, i) : NULL;
}

static int64_t dim_from_end(const ir_value *v, int k) {
  return v->type.shape.d[v->type.shape.rank - k].lo;
}

/* Static float inputs whose mask and scale types fit the query's. */
static bool sdpa_fits(const ir_op *op) {
  ir_value *q = input(op, 0), *k = input(op, 1), *v = input(op, 2);
  if (!q || !k || !v)
    return false;
  ir_etype et = q->type.et;
  if (!ob_float_type_ok(et) || k->type.et != et || v->type.et != et)
    return false;
  if (!ir_shape_is_static(&q->type.shape) || !ir_shape_is_static(&k->type.shape) ||
      !ir_shape_is_static(&v->type.shape))
    return false;
  ir_value *mask = input(op, 3);
  bool causal = ir_op_attr_bool(op, "causal", false);
  if (!causal && mask && mask->type.et != IR_ET_BOOLEAN && mask->type.et != et)
    return false;
  ir_value *scale = input(op, 4);
  return !scale || scale->type.et == et;
}

/* The [L, S] causal bias: -inf where s > l. */
static ir_value *causal_bias(op_builder *b, ir_etype et, int64_t l_len, int64_t s_len) {
  uint64_t n = (uint64_t)l_len * (uint64_t)s_len;
  double *bias = malloc((n ? n : 1) * sizeof *bias);
  if (!bias) {
    IR_NOMEM(b->d);
    return NULL;
  }
  for (int64_t l = 0; l < l_len; l++)
    for (int64_t s = 0; s < s_len; s++)
      bias[l * s_len + s] = s > l ? -INFINITY : 0.0;
  int64_t dims[2] = {l_len, s_len};
  ir_value *c = ob_float_tensor(b, et, dims, 2, bias);
  free(bias);
  return c;
}

/* What is added to the scores, or *none = true when nothing is. */
static ir_value *attention_bias(op_builder *b, const ir_op *op, bool *none) {
  ir_value *q = input(op, 0), *k = input(op, 1), *mask = input(op, 3);
  ir_etype et = q->type.et;
  *none = false;
  if (ir_op_attr_bool(op, "causal", false))
    return causal_bias(b, et, dim_from_end(q, 2), dim_from_end(k, 2));
  if (!mask) {
    *none = true;
    return NULL;
  }
  if (mask->type.et != IR_ET_BOOLEAN)
    return mask;
  ir_value *zero = ob_float_scalar(b, et, 0.0);
  ir_value *minus_inf = zero ? ob_float_scalar(b, et, -INFINITY) : NULL;
  return minus_inf ? ob_select(b, mask, zero, minus_inf) : NULL;
}

static ir_value *build(op_builder *b, const ir_op *op) {
  ir_value *q = input(op, 0), *k = input(op, 1), *v = input(op, 2);
  ir_value *scale = input(op, 4);
  if (!scale)
    scale = ob_float_scalar(b, q->type.et, 1.0 / sqrt((double)dim_from_end(q, 1)));
  ir_value *q_scaled = scale ? ob_binary(b, IR_OP_MULTIPLY_1, q, scale) : NULL;
  ir_value *scores = q_scaled ? ob_matmul(b, q_scaled, k, false, true) : NULL;
  if (!scores)
    return NULL;
  bool none;
  ir_value *bias = attention_bias(b, op, &none);
  if (!none)
    scores = bias ? ob_binary(b, IR_OP_ADD_1, scores, bias) : NULL;
  ir_value *probs = scores ? ob_softmax(b, scores, -1) : NULL;
  return probs ? ob_matmul(b, probs, v, false, false) : NULL;
}

static bool same_static_type(const ir_type *a, const ir_type *b) {
  return a->et == b->et && ir_shape_is_static(&a->shape) &&
         ir_shape_compatible(&a->shape, &b->shape);
}

static ovcc_status decompose(ir_model *m, ir_op *op, sdpa_stats *st, ir_diag *d) {
  op_builder b;
  ob_init(&b, m, op, d);
  ir_value *out = build(&b, op);
  if (!out)
    return d->status;
  if (!same_static_type(&out->type, &op->results[0].type) ||
      !pass_can_replace(&op->results[0], out)) {
    ob_rollback(&b);
    st->skipped++;
    return OVCC_OK;
  }
  out->def->name = op->name; /* out is the final MatMul, always new */
  out->def->rt_info = op->rt_info;
  IR_TRY(pass_replace_value(m, &op->results[0], out, d));
  st->decomposed++;
  return pass_erase_if_dead(op, &st->erased, d);
}

typedef struct sdpa_walk {
  sdpa_stats st;
  ir_diag *d;
} sdpa_walk;

static ovcc_status decompose_graph(ir_graph *g, void *arg) {
  sdpa_walk *w = arg;
  for (ir_op *op = g->first; op;) {
    ir_op *next = op->next; /* new ops go before op; op itself may go */
    if (op->kind == IR_OP_SCALEDDOTPRODUCTATTENTION_13) {
      if (!sdpa_fits(op))
        w->st.skipped++;
      else
        IR_TRY(decompose(g->model, op, &w->st, w->d));
    }
    op = next;
  }
  return OVCC_OK;
}

ovcc_status pass_decompose_sdpa_run(ir_model *m, pass_ctx *ctx, ir_diag *d) {
  sdpa_walk w = {.d = d};
  IR_TRY(ir_model_walk_graphs(m, decompose_graph, &w));
  pass_stat(ctx, "decomposed", w.st.decomposed);
  pass_stat(ctx, "skipped", w.st.skipped);
  return OVCC_OK;
}
