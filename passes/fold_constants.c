/* fold-constants: evaluates ops whose inputs are all Constants or known
 * values — and shape-only ops (ShapeOf) whose input shapes are static — with
 * the op's evaluator (ir_eval_op), and replaces their results by new
 * Constants inserted just before the op. A folded value that is a graph
 * output keeps its tensor names on the new Constant.
 * Never folded: sources, sinks, stateful and region ops, ops without an
 * evaluator, results with a non-static type or larger than the byte limit
 * (pass_options.fold_constants_max_bytes, default FOLD_DEFAULT_MAX_BYTES).
 * An evaluator that cannot handle a case (OVCC_ERR_UNSUPPORTED) leaves the op
 * alone; any other evaluator error is a model error naming the op.
 * Preconditions: verifier-valid IR with inferred result types (infer-shapes). */
#include "passes.h"

#include <stdlib.h>
#include <string.h>

#define FOLD_DEFAULT_MAX_BYTES ((uint64_t)1 << 20)

typedef struct fold_state {
  ir_model *m;
  ir_diag *d;
  uint64_t max_bytes;
  uint64_t folded, constants, too_large, unsupported, erased;
} fold_state;

/* Legality: the op's kind may be folded at all. */
static bool foldable_kind(const ir_op *op) {
  const ir_op_info *in = op->info;
  if (!in || op->n_results == 0 || !ir_op_has_eval_fn(in))
    return false;
  return !(in->flags & (OPF_SOURCE | OPF_SINK | OPF_STATEFUL | OPF_REGION));
}

/* Legality: every input is constant (or, for shape-only ops, statically shaped). */
static bool inputs_known(const ir_op *op) {
  for (uint32_t i = 0; i < op->n_operands; i++) {
    const ir_value *v = ir_op_operand(op, i);
    if (!v)
      continue;
    if (op->info->flags & OPF_SHAPE_ONLY) {
      if (!ir_shape_is_static(&v->type.shape))
        return false;
    } else if (!v->known && !(v->def && v->def->kind == IR_OP_CONSTANT_1)) {
      return false;
    }
  }
  return true;
}

/* Legality: results static, not strings, each within the byte limit. */
static bool results_fit(const ir_op *op, uint64_t max_bytes, bool *too_large) {
  *too_large = false;
  for (uint32_t i = 0; i < op->n_results; i++) {
    const ir_type *t = &op->results[i].type;
    uint64_t numel, nbytes;
    if (t->et == IR_ET_DYNAMIC || t->et == IR_ET_STRING || !ir_shape_numel(&t->shape, &numel) ||
        !ir_etype_nbytes(t->et, numel, &nbytes))
      return false;
    if (nbytes > max_bytes) {
      *too_large = true;
      return false;
    }
  }
  return true;
}

/* Rewrite: replaces each result of op by a Constant holding outs[i], then
 * erases op and the inputs only it used. */
static ovcc_status replace_by_constants(fold_state *s, ir_op *op, ir_tensor **outs) {
  enum { MAX_INPUTS = 16 };
  ir_op *inputs[MAX_INPUTS];
  uint32_t n_inputs = 0;
  for (uint32_t i = 0; i < op->n_operands && n_inputs < MAX_INPUTS; i++)
    if (ir_op_operand(op, i) && ir_op_operand(op, i)->def)
      inputs[n_inputs++] = ir_op_operand(op, i)->def;
  for (uint32_t i = 0; i < op->n_results; i++) {
    ir_value *old = &op->results[i];
    if (!old->uses)
      continue;
    ir_type t = {outs[i]->et, outs[i]->shape};
    ir_op *c = ir_const_create(s->m, &t, outs[i]->data, outs[i]->nbytes);
    if (!c)
      return IR_NOMEM(s->d);
    c->name = op->name;
    c->loc = op->loc;
    ir_graph_insert(op->graph, c, op);
    IR_TRY(ir_infer_op(c, false, s->d)); /* sets its known value */
    IR_TRY(pass_replace_value(s->m, old, &c->results[0], s->d));
    s->constants++;
  }
  ir_graph_erase(op->graph, op);
  s->folded++;
  for (uint32_t i = 0; i < n_inputs; i++)
    IR_TRY(pass_erase_if_dead(inputs[i], &s->erased, s->d));
  return OVCC_OK;
}

static ovcc_status fold_op(fold_state *s, ir_op *op) {
  bool too_large;
  if (!foldable_kind(op) || !inputs_known(op))
    return OVCC_OK;
  if (!results_fit(op, s->max_bytes, &too_large)) {
    s->too_large += too_large;
    return OVCC_OK;
  }
  ir_tensor **outs = calloc(op->n_results, sizeof *outs);
  if (!outs)
    return IR_NOMEM(s->d);
  ir_diag local;
  ir_diag_clear(&local);
  ovcc_status st = ir_eval_op(op, outs, s->max_bytes, &local);
  if (st == OVCC_OK) {
    st = replace_by_constants(s, op, outs);
  } else if (st == OVCC_ERR_UNSUPPORTED) {
    s->unsupported++;
    st = OVCC_OK;
  } else {
    char where[768];
    *s->d = local;
    ir_op_describe(op, where, sizeof where);
    ir_diag_prefix(s->d, "%s: cannot fold: ", where);
    if (!s->d->line)
      s->d->line = op->loc.line, s->d->col = op->loc.col;
  }
  free(outs);
  return st;
}

static ovcc_status fold_graph(ir_graph *g, void *vs) {
  fold_state *s = vs;
  ir_op *op = g->first;
  while (op) {
    ir_op *next = op->next; /* op may be erased; new Constants go before it */
    IR_TRY(fold_op(s, op));
    op = next;
  }
  return OVCC_OK;
}

ovcc_status pass_fold_constants_run(ir_model *m, pass_ctx *ctx, ir_diag *d) {
  fold_state s = {m, d, FOLD_DEFAULT_MAX_BYTES, 0, 0, 0, 0, 0};
  if (ctx->opts && ctx->opts->fold_constants_max_bytes)
    s.max_bytes = ctx->opts->fold_constants_max_bytes;
  ovcc_status st = ir_model_walk_graphs(m, fold_graph, &s);
  if (st == OVCC_ERR_NOMEM && d->status != OVCC_ERR_NOMEM)
    return IR_NOMEM(d);
  if (st != OVCC_OK)
    return st;
  pass_stat(ctx, "folded-ops", s.folded);
  pass_stat(ctx, "new-constants", s.constants);
  pass_stat(ctx, "too-large", s.too_large);
  pass_stat(ctx, "unsupported", s.unsupported);
  pass_stat(ctx, "erased-inputs", s.erased);
  return OVCC_OK;
}
