/* legacy-v10-io: the element types OpenVINO gives the inputs and outputs of
 * an IR v10 model (its read_model applies them through pre/post-processing,
 * `update_v10_model`): f16 inputs are read as f32; outputs come out as i32
 * for every 32/64-bit integer type and as f32 for everything else. The graph
 * inside keeps its types: Converts go after the inputs and before the outputs.
 * A no-op on IR v11 models. */
#include "convert_insert.h"
#include "passes.h"

static ir_etype legacy_output_type(ir_etype et) {
  if (et == IR_ET_I64 || et == IR_ET_U64 || et == IR_ET_I32 || et == IR_ET_U32)
    return IR_ET_I32;
  return IR_ET_F32;
}

ovcc_status pass_legacy_v10_io_run(ir_model *m, pass_ctx *ctx, ir_diag *d) {
  if (m->ir_version != 10)
    return OVCC_OK;
  ir_graph *g = m->main;
  uint64_t n_in = 0, n_out = 0;
  for (uint32_t i = 0; i < g->n_params; i++) {
    ir_op *p = g->params[i];
    ir_value *v = &p->results[0];
    if (v->type.et != IR_ET_F16)
      continue;
    ir_attr_value a = {.kind = IR_ATTR_ETYPE, .u.et = IR_ET_F32};
    if (!ir_op_set_attr(m, p, "element_type", &a))
      return IR_NOMEM(d);
    v->type.et = IR_ET_F32;
    ir_value *c = pass_insert_convert(m, g, v, IR_ET_F16, p->next);
    if (!c)
      return IR_NOMEM(d);
    pass_redirect_uses_except(v, c, c->def);
    n_in++;
  }
  for (uint32_t i = 0; i < g->n_results; i++) {
    ir_op *r = g->results[i];
    ir_value *v = ir_op_operand(r, 0);
    if (!v || v->type.et == IR_ET_DYNAMIC || v->type.et == IR_ET_STRING)
      continue;
    ir_etype want = legacy_output_type(v->type.et);
    if (v->type.et == want)
      continue;
    IR_TRY(pass_convert_result(m, g, r, want, d));
    n_out++;
  }
  pass_stat(ctx, "inputs-converted", n_in);
  pass_stat(ctx, "outputs-converted", n_out);
  return OVCC_OK;
}
