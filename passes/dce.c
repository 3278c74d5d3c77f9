/* dce: removes ops whose results are all unused and that have no side
 * effects — not sinks (Result, Assign), not stateful (ReadValue, random),
 * not Parameters, not opaque (unknown effects), no stateful op in their
 * bodies. Erasing an op may kill the defs of its operands: a worklist follows
 * them to a fixpoint. Bodies are cleaned too; their Parameters and Results
 * stay (port maps refer to them by index).
 * Preconditions: verifier-valid IR. */
#include "passes.h"

#include <stdlib.h>

typedef struct dce_state {
  uint64_t erased;
  ir_diag *d;
} dce_state;

static ovcc_status dce_graph(ir_graph *g, void *vs) {
  dce_state *s = vs;
  if (!g->n_ops)
    return OVCC_OK;
  /* Snapshot the ops, users first (reverse order): erasing follows operand
   * defs itself, and ops erased on the way are skipped (no graph any more). */
  ir_op **ops = malloc(g->n_ops * sizeof *ops);
  if (!ops)
    return IR_NOMEM(s->d);
  uint32_t n = 0;
  for (ir_op *op = g->last; op && n < g->n_ops; op = op->prev)
    ops[n++] = op;
  ovcc_status st = OVCC_OK;
  for (uint32_t i = 0; i < n && st == OVCC_OK; i++)
    st = pass_erase_if_dead(ops[i], &s->erased, s->d);
  free(ops);
  return st;
}

ovcc_status pass_dce_run(ir_model *m, pass_ctx *ctx, ir_diag *d) {
  dce_state s = {0, d};
  ovcc_status st = ir_model_walk_graphs(m, dce_graph, &s);
  if (st == OVCC_ERR_NOMEM && d->status != OVCC_ERR_NOMEM)
    return IR_NOMEM(d);
  if (st != OVCC_OK)
    return st;
  pass_stat(ctx, "erased-ops", s.erased);
  return OVCC_OK;
}
