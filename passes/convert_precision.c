/* convert-precision: computes in f32 what the model stores as f16 or bf16,
 * as OpenVINO's CPU plugin does at f32 inference precision. The model's
 * inputs, outputs and constants keep their element types: Converts go after
 * f16/bf16 inputs and constants (fold-constants folds the latter) and before
 * outputs; every op in between, bodies included, is retyped by shape
 * inference from its new operands, and element-type attributes naming
 * f16/bf16 (Convert's destination, ReadValue's variable type, ...) become
 * f32. */
#include <stdlib.h>

#include "convert_insert.h"
#include "passes.h"

typedef struct cp_ctx {
  ir_diag *d;
  uint64_t converts, attrs;
} cp_ctx;

static bool is_low(ir_etype et) { return et == IR_ET_F16 || et == IR_ET_BF16; }

/* Element-type attributes naming f16/bf16 become f32 (not on Parameters and
 * Constants: there they describe stored data). */
static ovcc_status retarget_attrs(ir_model *m, ir_op *op, cp_ctx *c) {
  for (uint32_t i = 0; i < op->n_attrs; i++) {
    ir_attr_value *a = &op->attrs[i].val;
    if (a->kind == IR_ATTR_ETYPE && is_low(a->u.et)) {
      ir_attr_value f = {.kind = IR_ATTR_ETYPE, .u.et = IR_ET_F32};
      if (!ir_op_set_attr(m, op, op->attrs[i].name, &f))
        return IR_NOMEM(c->d);
      c->attrs++;
    }
  }
  return OVCC_OK;
}

/* Converts after low-precision sources (main-graph Parameters, Constants);
 * every other result forgets a low element type so inference retypes it. */
static ovcc_status rewrite_graph(ir_graph *g, void *arg) {
  cp_ctx *c = arg;
  ir_model *m = g->model;
  for (ir_op *op = g->first; op; op = op->next) {
    bool source = op->kind == IR_OP_CONSTANT_1 || (op->kind == IR_OP_PARAMETER_1 && !g->parent);
    if (source) {
      ir_value *v = &op->results[0];
      if (!is_low(v->type.et) || !v->uses)
        continue;
      ir_value *cv = pass_insert_convert(m, g, v, IR_ET_F32, op->next);
      if (!cv)
        return IR_NOMEM(c->d);
      pass_redirect_uses_except(v, cv, cv->def);
      op = cv->def; /* go on after the new Convert */
      c->converts++;
      continue;
    }
    if (op->kind != IR_OP_PARAMETER_1)
      IR_TRY(retarget_attrs(m, op, c));
    for (uint32_t r = 0; r < op->n_results; r++)
      if (is_low(op->results[r].type.et))
        op->results[r].type.et = IR_ET_DYNAMIC;
  }
  return OVCC_OK;
}

ovcc_status pass_convert_precision_run(ir_model *m, pass_ctx *ctx, ir_diag *d) {
  ir_graph *g = m->main;
  /* Each output's element type, restored at the boundary afterwards. */
  ir_etype *was = calloc(g->n_results + 1, sizeof *was);
  if (!was)
    return IR_NOMEM(d);
  for (uint32_t i = 0; i < g->n_results; i++) {
    ir_value *v = ir_op_operand(g->results[i], 0);
    was[i] = v ? v->type.et : IR_ET_DYNAMIC;
  }
  cp_ctx c = {.d = d};
  ovcc_status st = ir_model_walk_graphs(m, rewrite_graph, &c);
  if (st == OVCC_OK)
    st = ir_infer_types(m, false, d);
  for (uint32_t i = 0; st == OVCC_OK && i < g->n_results; i++) {
    ir_value *v = ir_op_operand(g->results[i], 0);
    if (v && is_low(was[i]) && v->type.et != was[i]) {
      st = pass_convert_result(m, g, g->results[i], was[i], d);
      c.converts++;
    }
  }
  free(was);
  if (st == OVCC_OK)
    st = ir_infer_types(m, false, d);
  pass_stat(ctx, "converts", c.converts);
  pass_stat(ctx, "attributes", c.attrs);
  return st;
}
