/* infer-shapes: runs every op's shape function in op order, in the main graph
 * and in every body, merging with the declared types (ir_infer_op, not
 * strict), and refreshes the known values of small shape-like tensors.
 * Ops without a shape function keep their declared types and are counted
 * (statistic `no-shape-fn`). A contradiction between an inferred and a
 * declared type is an error naming the op.
 * Preconditions: verifier-valid IR. */
#include "passes.h"

typedef struct infer_state {
  pass_ctx *ctx;
  ir_diag *d;
  uint64_t ops, no_shape_fn, known;
} infer_state;

/* Legality: an op whose shapes can be computed here. */
static bool has_shape_fn(const ir_op *op) { return op->info && ir_op_has_shape_fn(op->info); }

static ovcc_status infer_graph(ir_graph *g, void *vs) {
  infer_state *s = vs;
  IR_FOR_EACH_OP(g, op) {
    for (uint32_t i = 0; i < op->n_results; i++)
      op->results[i].known = NULL;
  }
  IR_FOR_EACH_OP(g, op) {
    s->ops++;
    if (!has_shape_fn(op))
      s->no_shape_fn++;
    IR_TRY(ir_infer_op(op, false, s->d));
    for (uint32_t i = 0; i < op->n_results; i++)
      s->known += op->results[i].known != NULL;
  }
  return OVCC_OK;
}

ovcc_status pass_infer_shapes_run(ir_model *m, pass_ctx *ctx, ir_diag *d) {
  infer_state s = {ctx, d, 0, 0, 0};
  ovcc_status st = ir_model_walk_graphs(m, infer_graph, &s);
  if (st == OVCC_ERR_NOMEM && d->status != OVCC_ERR_NOMEM)
    return IR_NOMEM(d);
  if (st != OVCC_OK)
    return st;
  pass_stat(ctx, "ops", s.ops);
  pass_stat(ctx, "no-shape-fn", s.no_shape_fn);
  pass_stat(ctx, "known-values", s.known);
  return OVCC_OK;
}
