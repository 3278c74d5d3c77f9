/* fuse-elementwise: groups chains of elementwise ops (unary, activations,
 * binary with broadcasting, Convert, FakeQuantize, Select, Clamp, ...) into
 * k.fused ops, each of which becomes one loop nest: intermediate tensors
 * never touch memory.
 *
 * A group grows from its last op (the root) towards its producers. A
 * producer joins when it is elementwise, produces a tensor of the root's
 * shape (operands may still broadcast into it), and every use of it is inside
 * the group (so nothing outside needs the intermediate). Groups of one op stay
 * as they are. Constants stay operands: the kernel reads them as buffers. */
#include <stdlib.h>
#include <string.h>

#include "passes.h"

enum { FUSE_MAX_OPS = 64, FUSE_MAX_INPUTS = 32 };

typedef struct group {
  ir_op *ops[FUSE_MAX_OPS]; /* members, any order while growing */
  uint32_t n;
  ir_value *inputs[FUSE_MAX_INPUTS];
  uint32_t n_inputs;
} group;

/* Inside a group every operand is read at the group's output index, with
 * numpy (right-aligned) broadcasting. Ops whose operands line up otherwise
 * (pdpd axes, PRelu's channel slope) fuse only when no operand broadcasts. */
static bool numpy_aligned(const ir_op *op) {
  const ir_shape *out = &op->results[0].type.shape;
  bool all_same = true;
  for (uint32_t i = 0; i < op->n_operands; i++) {
    const ir_value *v = ir_op_operand(op, i);
    if (v && !ir_shape_equal(&v->type.shape, out))
      all_same = false;
  }
  if (all_same)
    return true;
  if (op->kind == IR_OP_PRELU_1)
    return false;
  const char *mode = ir_op_attr_str(op, "auto_broadcast", "numpy");
  return strcmp(mode, "numpy") == 0 || strcmp(mode, "none") == 0;
}

static bool is_fusable(const ir_op *op) {
  if (!op->info || !(op->info->flags & OPF_EWISE) || (op->info->flags & OPF_STATEFUL))
    return false;
  if (!numpy_aligned(op))
    return false;
  if (op->n_results != 1 || !ir_shape_is_static(&op->results[0].type.shape))
    return false;
  /* Strings and sub-byte results have no element-at-a-time form. */
  ir_etype et = op->results[0].type.et;
  return et != IR_ET_STRING && et != IR_ET_DYNAMIC && ir_etype_bits(et) >= 8;
}

static bool in_group(const group *g, const ir_op *op) {
  for (uint32_t i = 0; i < g->n; i++)
    if (g->ops[i] == op)
      return true;
  return false;
}

static bool all_uses_in_group(const group *g, const ir_value *v) {
  for (const ir_use *u = v->uses; u; u = u->next)
    if (!in_group(g, u->user))
      return false;
  return true;
}

/* Operands of members defined outside the group, in first-use order. */
static bool collect_inputs(group *g) {
  g->n_inputs = 0;
  for (uint32_t i = 0; i < g->n; i++) {
    const ir_op *op = g->ops[i];
    for (uint32_t k = 0; k < op->n_operands; k++) {
      ir_value *v = ir_op_operand(op, k);
      if (!v || in_group(g, v->def))
        continue;
      bool seen = false;
      for (uint32_t j = 0; j < g->n_inputs && !seen; j++)
        seen = g->inputs[j] == v;
      if (seen)
        continue;
      if (g->n_inputs == FUSE_MAX_INPUTS)
        return false;
      g->inputs[g->n_inputs++] = v;
    }
  }
  return true;
}

/* Grows the group from root until no producer can join. */
static void grow(group *g, ir_op *root) {
  g->ops[0] = root;
  g->n = 1;
  const ir_shape *shape = &root->results[0].type.shape;
  bool changed = true;
  while (changed && g->n < FUSE_MAX_OPS) {
    changed = false;
    for (uint32_t i = 0; i < g->n && g->n < FUSE_MAX_OPS; i++) {
      ir_op *op = g->ops[i];
      for (uint32_t k = 0; k < op->n_operands && g->n < FUSE_MAX_OPS; k++) {
        ir_value *v = ir_op_operand(op, k);
        if (!v || in_group(g, v->def) || !is_fusable(v->def) ||
            !ir_shape_equal(&v->type.shape, shape) || !all_uses_in_group(g, v) ||
            pass_value_feeds_result(v))
          continue;
        g->ops[g->n++] = v->def;
        changed = true;
      }
    }
  }
}

/* Members in graph order (defs before uses) for the body. */
static void sort_members(group *g, ir_graph *graph) {
  uint32_t n = 0;
  ir_op *sorted[FUSE_MAX_OPS];
  IR_FOR_EACH_OP(graph, op)
  if (in_group(g, op))
    sorted[n++] = op;
  memcpy(g->ops, sorted, n * sizeof *sorted);
}

static ir_op *make_param(ir_model *m, ir_graph *body, const ir_type *t) {
  ir_op *p = ir_op_create(m, IR_OP_PARAMETER_1, 0, 1);
  if (!p)
    return NULL;
  ir_attr_value et = {.kind = IR_ATTR_ETYPE, .u.et = t->et};
  ir_shape sh = t->shape;
  ir_attr_value shv = {.kind = IR_ATTR_SHAPE, .u.shape = &sh};
  if (!ir_op_set_attr(m, p, "element_type", &et) || !ir_op_set_attr(m, p, "shape", &shv))
    return NULL;
  p->results[0].type = *t;
  ir_graph_insert(body, p, NULL);
  return ir_graph_add_param(body, p) ? p : NULL;
}

/* A copy of op in body reading `map`ped operands. */
static ir_op *clone_into(ir_model *m, ir_graph *body, const ir_op *op, const group *g,
                         ir_op *const *params, ir_value *const *member_out) {
  ir_op *c = ir_op_create(m, op->kind, op->n_operands, op->n_results);
  if (!c)
    return NULL;
  for (uint32_t i = 0; i < op->n_attrs; i++)
    if (!ir_op_set_attr(m, c, op->attrs[i].name, &op->attrs[i].val))
      return NULL;
  c->name = op->name;
  c->xml_id = op->xml_id;
  c->loc = op->loc;
  c->results[0].type = op->results[0].type;
  for (uint32_t k = 0; k < op->n_operands; k++) {
    ir_value *v = ir_op_operand(op, k);
    ir_value *nv = NULL;
    for (uint32_t j = 0; j < g->n && !nv; j++)
      if (g->ops[j] == v->def)
        nv = member_out[j];
    for (uint32_t j = 0; j < g->n_inputs && !nv; j++)
      if (g->inputs[j] == v)
        nv = &params[j]->results[0];
    ir_op_set_operand(c, k, nv);
  }
  ir_graph_insert(body, c, NULL);
  return c;
}

static ovcc_status build_fused(ir_model *m, ir_graph *graph, group *g, ir_op *root, ir_op **out,
                               ir_diag *d) {
  sort_members(g, graph);
  ir_op *f = ir_op_create(m, IR_OP_K_FUSED, g->n_inputs, 1);
  if (!f)
    return IR_NOMEM(d);
  ir_graph *body = ir_graph_create(m, f);
  f->bodies = ir_arena_alloc(&m->arena, sizeof *f->bodies);
  if (!body || !f->bodies)
    return IR_NOMEM(d);
  f->bodies[0] = body;
  f->n_bodies = 1;
  f->name = root->name;
  f->xml_id = root->xml_id;
  f->loc = root->loc;
  ir_op *params[FUSE_MAX_INPUTS];
  for (uint32_t i = 0; i < g->n_inputs; i++) {
    if (!(params[i] = make_param(m, body, &g->inputs[i]->type)))
      return IR_NOMEM(d);
    ir_op_set_operand(f, i, g->inputs[i]);
  }
  ir_value *member_out[FUSE_MAX_OPS];
  for (uint32_t j = 0; j < g->n; j++) {
    ir_op *c = clone_into(m, body, g->ops[j], g, params, member_out);
    if (!c)
      return IR_NOMEM(d);
    member_out[j] = &c->results[0];
  }
  ir_op *res = ir_op_create(m, IR_OP_RESULT_1, 1, 0);
  if (!res)
    return IR_NOMEM(d);
  ir_op_set_operand(res, 0, member_out[g->n - 1]); /* root is last in graph order */
  ir_graph_insert(body, res, NULL);
  if (!ir_graph_add_result(body, res))
    return IR_NOMEM(d);
  f->results[0].type = root->results[0].type;
  ir_graph_insert(graph, f, root);
  IR_TRY(pass_replace_value(m, &root->results[0], &f->results[0], d));
  /* Erase members, uses first. */
  for (uint32_t j = g->n; j-- > 0;)
    ir_graph_erase(graph, g->ops[j]);
  *out = f;
  return OVCC_OK;
}

static ovcc_status fuse_graph(ir_model *m, ir_graph *graph, uint64_t *n_groups, uint64_t *n_ops,
                              ir_diag *d) {
  /* Roots from the end: a group takes its producers before they can root
   * groups of their own. */
  for (ir_op *op = graph->last; op;) {
    ir_op *prev = op->prev;
    if (op->kind != IR_OP_K_FUSED && is_fusable(op)) {
      group *g = calloc(1, sizeof *g);
      if (!g)
        return IR_NOMEM(d);
      grow(g, op);
      ovcc_status st = OVCC_OK;
      if (g->n >= 2 && collect_inputs(g)) {
        ir_op *f = NULL;
        st = build_fused(m, graph, g, op, &f, d);
        if (st == OVCC_OK) {
          (*n_groups)++;
          *n_ops += g->n;
          prev = f->prev; /* members are gone; go on before the new op */
        }
      }
      free(g);
      IR_TRY(st);
    }
    op = prev;
  }
  return OVCC_OK;
}

ovcc_status pass_fuse_elementwise_run(ir_model *m, pass_ctx *ctx, ir_diag *d) {
  uint64_t n_groups = 0, n_ops = 0;
  IR_TRY(fuse_graph(m, m->main, &n_groups, &n_ops, d));
  pass_stat(ctx, "groups", n_groups);
  pass_stat(ctx, "ops-fused", n_ops);
  return OVCC_OK;
}
