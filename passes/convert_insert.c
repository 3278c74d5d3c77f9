/* Convert insertion helpers for the precision passes. */
#include "convert_insert.h"

ir_value *pass_insert_convert(ir_model *m, ir_graph *g, ir_value *v, ir_etype et, ir_op *before) {
  ir_op *c = ir_op_create(m, IR_OP_CONVERT_1, 1, 1);
  if (!c)
    return NULL;
  ir_attr_value a = {.kind = IR_ATTR_ETYPE, .u.et = et};
  if (!ir_op_set_attr(m, c, "destination_type", &a))
    return NULL;
  ir_op_set_operand(c, 0, v);
  c->results[0].type = (ir_type){et, v->type.shape};
  c->loc = v->def ? v->def->loc : c->loc;
  ir_graph_insert(g, c, before);
  return &c->results[0];
}

void pass_redirect_uses_except(ir_value *v, ir_value *to, const ir_op *keep) {
  ir_use *u = v->uses;
  while (u) {
    ir_use *next = u->next;
    if (u->user != keep)
      ir_op_set_operand(u->user, u->index, to);
    u = next;
  }
}

ovcc_status pass_convert_result(ir_model *m, ir_graph *g, ir_op *r, ir_etype et, ir_diag *d) {
  ir_value *v = ir_op_operand(r, 0);
  ir_value *c = pass_insert_convert(m, g, v, et, r);
  if (!c)
    return IR_NOMEM(d);
  if (!ir_value_set_names(m, c, v->names, v->n_names))
    return IR_NOMEM(d);
  v->names = NULL;
  v->n_names = 0;
  ir_op_set_operand(r, 0, c);
  return OVCC_OK;
}
