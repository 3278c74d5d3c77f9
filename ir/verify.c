/* The verifier: structural invariants every pass relies on. It runs after
 * reading and (with --verify-each) after every pass. Each failure names the
 * op (file:line, layer, type) and what is wrong. */
#include "ir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct verify_ctx {
  ir_diag *d;
  uint32_t epoch; /* mark of ops already seen in the current graph walk */
} verify_ctx;

static ovcc_status fail_at(verify_ctx *c, const ir_op *op, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static ovcc_status fail_at(verify_ctx *c, const ir_op *op, const char *fmt, ...) {
  char where[768], msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  ir_op_describe(op, where, sizeof where);
  IR_ERR(c->d, OVCC_ERR_INVALID_MODEL, "%s: %s", where, msg);
  c->d->line = op->loc.line;
  c->d->col = op->loc.col;
  return OVCC_ERR_INVALID_MODEL;
}

static bool in_list(ir_op *const *arr, uint32_t n, const ir_op *op) {
  for (uint32_t i = 0; i < n; i++)
    if (arr[i] == op)
      return true;
  return false;
}

static ovcc_status check_counts(verify_ctx *c, const ir_op *op) {
  const ir_op_info *in = op->info;
  if (!in)
    return OVCC_OK;
  if ((int)op->n_operands < in->min_in || (in->max_in >= 0 && (int)op->n_operands > in->max_in)) {
    if (in->max_in < 0)
      return fail_at(c, op, "expects at least %d inputs, got %u", in->min_in, op->n_operands);
    if (in->min_in == in->max_in)
      return fail_at(c, op, "expects %d inputs, got %u", in->min_in, op->n_operands);
    return fail_at(c, op, "expects %d to %d inputs, got %u", in->min_in, in->max_in,
                   op->n_operands);
  }
  if (in->n_out >= 0 && (int)op->n_results != in->n_out)
    return fail_at(c, op, "expects %d outputs, got %u", in->n_out, op->n_results);
  uint32_t want_bodies = 0;
  if (in->flags & OPF_REGION)
    want_bodies = op->kind == IR_OP_IF_8 ? 2 : 1;
  if (op->n_bodies != want_bodies)
    return fail_at(c, op, "expects %u bodies, got %u", want_bodies, op->n_bodies);
  return OVCC_OK;
}

static ovcc_status check_constant(verify_ctx *c, const ir_op *op) {
  if (!op->cst)
    return fail_at(c, op, "constant has no data");
  const ir_type *t = &op->results[0].type;
  uint64_t numel, want;
  if (!ir_shape_numel(&t->shape, &numel))
    return fail_at(c, op, "constant shape must be static");
  if (t->et == IR_ET_STRING)
    return OVCC_OK;
  if (!ir_etype_nbytes(t->et, numel, &want))
    return fail_at(c, op, "constant of element type %s cannot hold data", ir_etype_name(t->et));
  if (want != op->cst->nbytes)
    return fail_at(c, op, "constant data is %llu bytes, but %llu elements of %s need %llu",
                   (unsigned long long)op->cst->nbytes, (unsigned long long)numel,
                   ir_etype_name(t->et), (unsigned long long)want);
  return OVCC_OK;
}

/* Port-map entries must name existing outer ports and body Parameters/Results. */
static ovcc_status check_map(verify_ctx *c, const ir_op *op, const char *attr, uint32_t n_outer,
                             const ir_graph *body, bool is_input) {
  const ir_attr_value *map = ir_op_attr(op, attr);
  if (!map)
    return OVCC_OK;
  if (map->kind != IR_ATTR_LIST)
    return fail_at(c, op, "attribute '%s' must be a list of port-map entries", attr);
  uint32_t n_inner = is_input ? body->n_params : body->n_results;
  for (uint32_t i = 0; i < map->u.list.n; i++) {
    const ir_attr_value *e = &map->u.list.v[i];
    const ir_attr_value *ext = ir_dict_get(e, "external"), *in = ir_dict_get(e, "internal");
    if (!in || in->kind != IR_ATTR_INT || in->u.i < 0 || (uint64_t)in->u.i >= n_inner)
      return fail_at(c, op, "%s[%u]: body %s index out of range (body has %u)", attr, i,
                     is_input ? "parameter" : "result", n_inner);
    if (!ext || ext->kind != IR_ATTR_INT || ext->u.i < -1 || ext->u.i >= (int64_t)n_outer)
      return fail_at(c, op, "%s[%u]: external port out of range (op has %u)", attr, i, n_outer);
  }
  return OVCC_OK;
}

static ovcc_status check_bodies(verify_ctx *c, const ir_op *op) {
  for (uint32_t b = 0; b < op->n_bodies; b++)
    if (!op->bodies[b] || op->bodies[b]->parent != op)
      return fail_at(c, op, "body %u is not owned by this op", b);
  if (op->kind == IR_OP_IF_8) {
    IR_TRY(check_map(c, op, "then_inputs", op->n_operands, op->bodies[0], true));
    IR_TRY(check_map(c, op, "then_outputs", op->n_results, op->bodies[0], false));
    IR_TRY(check_map(c, op, "else_inputs", op->n_operands, op->bodies[1], true));
    return check_map(c, op, "else_outputs", op->n_results, op->bodies[1], false);
  }
  if (op->kind == IR_OP_K_FUSED) {
    const ir_graph *body = op->bodies[0];
    if (body->n_params != op->n_operands || body->n_results != op->n_results)
      return fail_at(c, op, "has %u operands and %u results, its body %u Parameters and %u Results",
                     op->n_operands, op->n_results, body->n_params, body->n_results);
    return OVCC_OK;
  }
  if (op->kind == IR_OP_TENSORITERATOR_1 || op->kind == IR_OP_LOOP_5) {
    const ir_graph *body = op->bodies[0];
    IR_TRY(check_map(c, op, "input_map", op->n_operands, body, true));
    IR_TRY(check_map(c, op, "output_map", op->n_results, body, false));
    const ir_attr_value *be = ir_op_attr(op, "back_edges");
    for (uint32_t i = 0; be && be->kind == IR_ATTR_LIST && i < be->u.list.n; i++) {
      const ir_attr_value *from = ir_dict_get(&be->u.list.v[i], "from"),
                          *to = ir_dict_get(&be->u.list.v[i], "to");
      if (!from || from->kind != IR_ATTR_INT || from->u.i < 0 ||
          (uint64_t)from->u.i >= body->n_results || !to || to->kind != IR_ATTR_INT ||
          to->u.i < 0 || (uint64_t)to->u.i >= body->n_params)
        return fail_at(c, op, "back_edges[%u]: body result/parameter index out of range", i);
    }
  }
  return OVCC_OK;
}

static ovcc_status check_operands(verify_ctx *c, const ir_graph *g, const ir_op *op) {
  for (uint32_t i = 0; i < op->n_operands; i++) {
    const ir_use *u = &op->operands[i];
    const ir_value *v = u->value;
    if (!v)
      return fail_at(c, op, "input %u is not connected", i);
    if (!v->def || v->def->graph != g)
      return fail_at(c, op, "input %u uses a value from outside this graph", i);
    if (v->def->scratch != c->epoch)
      return fail_at(c, op, "input %u uses a value defined after this op (cycle or order)", i);
    if (v->index >= v->def->n_results || &v->def->results[v->index] != v)
      return fail_at(c, op, "input %u refers to a malformed value", i);
    if (u->user != op || u->index != i)
      return fail_at(c, op, "input %u has a corrupt use record", i);
  }
  return OVCC_OK;
}

static ovcc_status check_uses(verify_ctx *c, const ir_op *op) {
  for (uint32_t r = 0; r < op->n_results; r++)
    for (const ir_use *u = op->results[r].uses; u; u = u->next) {
      if (u->value != &op->results[r] || !u->user || u->user->graph != op->graph)
        return fail_at(c, op, "output %u is used by an op outside this graph or erased", r);
    }
  return OVCC_OK;
}

static ovcc_status check_registration(verify_ctx *c, const ir_graph *g, const ir_op *op) {
  bool is_param = op->kind == IR_OP_PARAMETER_1, is_result = op->kind == IR_OP_RESULT_1;
  bool is_assign = op->kind == IR_OP_ASSIGN_3 || op->kind == IR_OP_ASSIGN_6;
  if (is_param != in_list(g->params, g->n_params, op))
    return fail_at(c, op, is_param ? "Parameter is not registered as a graph input"
                                   : "op is registered as a graph input but is no Parameter");
  if (is_result != in_list(g->results, g->n_results, op))
    return fail_at(c, op, is_result ? "Result is not registered as a graph output"
                                    : "op is registered as a graph output but is no Result");
  if (is_assign != in_list(g->sinks, g->n_sinks, op))
    return fail_at(c, op, is_assign ? "Assign is not registered as a sink"
                                    : "op is registered as a sink but is no Assign");
  return OVCC_OK;
}

static ovcc_status verify_op(verify_ctx *c, const ir_graph *g, ir_op *op) {
  if (op->graph != g)
    return fail_at(c, op, "op is linked into a graph it does not belong to");
  IR_TRY(check_counts(c, op));
  IR_TRY(check_operands(c, g, op));
  IR_TRY(check_registration(c, g, op));
  if (op->kind == IR_OP_CONSTANT_1)
    IR_TRY(check_constant(c, op));
  if (op->info && (op->info->flags & OPF_REGION))
    IR_TRY(check_bodies(c, op));
  for (uint32_t r = 0; r < op->n_results; r++)
    if (op->results[r].def != op || op->results[r].index != r)
      return fail_at(c, op, "output %u is malformed", r);
  op->scratch = c->epoch;
  return OVCC_OK;
}

/* Every Assign needs a ReadValue of the same variable in the same graph. */
static ovcc_status check_variables(verify_ctx *c, const ir_graph *g) {
  for (uint32_t s = 0; s < g->n_sinks; s++) {
    const ir_op *as = g->sinks[s];
    const char *id = ir_op_attr_str(as, "variable_id", NULL);
    if (!id)
      continue;
    bool found = false;
    IR_FOR_EACH_OP(g, op) {
      if ((op->kind == IR_OP_READVALUE_3 || op->kind == IR_OP_READVALUE_6) &&
          strcmp(ir_op_attr_str(op, "variable_id", ""), id) == 0)
        found = true;
    }
    if (!found)
      return fail_at(c, as, "Assign of variable '%s' has no ReadValue of that variable", id);
  }
  return OVCC_OK;
}

static ovcc_status verify_graph(ir_graph *g, void *vc) {
  verify_ctx *c = vc;
  c->epoch = 1;
  uint32_t count = 0;
  /* Clear marks first: passes use `scratch` for their own purposes. */
  for (ir_op *op = g->first; op && count <= g->n_ops; op = op->next, count++)
    op->scratch = 0;
  count = 0;
  const ir_op *prev = NULL;
  IR_FOR_EACH_OP(g, op) {
    if (op->prev != prev)
      return fail_at(c, op, "op list is corrupt (prev link)");
    prev = op;
    if (++count > g->n_ops)
      break;
    IR_TRY(verify_op(c, g, op));
  }
  if (count != g->n_ops || g->last != prev) {
    IR_ERR(c->d, OVCC_ERR_INTERNAL, "graph op list is corrupt (%u linked, %u counted)", count,
           g->n_ops);
    return OVCC_ERR_INTERNAL;
  }
  IR_FOR_EACH_OP(g, op) { IR_TRY(check_uses(c, op)); }
  return check_variables(c, g);
}

ovcc_status ir_verify(ir_model *m, ir_diag *d) {
  verify_ctx c = {d, 0};
  ovcc_status st = ir_model_walk_graphs(m, verify_graph, &c);
  if (st == OVCC_ERR_NOMEM && d->status != OVCC_ERR_NOMEM)
    return IR_NOMEM(d);
  return st;
}
