/* TensorIterator, Loop and If: bodies become nested programs; the port maps
 * become copy plans the runner executes per iteration (slicing, concatenation,
 * back edges, conditions). Shapes are static here, so every slice size and
 * position is computed once at compile time. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "region.h"

static bool get_int(const ir_attr_value *e, const char *key, int64_t *out) {
  const ir_attr_value *v = ir_dict_get(e, key);
  if (!v || v->kind != IR_ATTR_INT)
    return false;
  *out = v->u.i;
  return true;
}

static const ir_attr_value *port_items(const ir_op *op, const char *name, uint32_t *n) {
  const ir_attr_value *v = ir_op_attr(op, name);
  *n = v && v->kind == IR_ATTR_LIST ? v->u.list.n : 0;
  return *n ? v->u.list.v : NULL;
}

static uint64_t type_nbytes(const ir_type *t) {
  uint64_t n = 0, b = 0;
  ir_shape_numel(&t->shape, &n);
  cg_etype_nbytes(t->et, n, &b);
  return b;
}

/* Fills the slicing geometry of port p over outer tensor type t (the body
 * side has part_size along axis). */
static ovcc_status slice_geometry(cg_region_port *p, const ir_attr_value *e, const ir_type *t,
                                  int64_t iterations, ir_diag *d) {
  int64_t axis = 0, start = 0, stride = 1, part = 1, end = -1;
  p->sliced = get_int(e, "axis", &axis);
  if (!p->sliced)
    return OVCC_OK;
  get_int(e, "start", &start);
  get_int(e, "stride", &stride);
  get_int(e, "part_size", &part);
  get_int(e, "end", &end);
  int rank = t->shape.rank;
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank || part <= 0 || stride == 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "bad slicing port (axis %" PRId64 ")", axis);
  uint64_t esize = 0;
  cg_etype_nbytes(t->et, 1, &esize);
  p->outer = 1;
  for (int i = 0; i < axis; i++)
    p->outer *= t->shape.d[i].lo;
  p->axis_len = t->shape.d[axis].lo;
  p->inner_bytes = (int64_t)esize;
  for (int i = (int)axis + 1; i < rank; i++)
    p->inner_bytes *= t->shape.d[i].lo;
  p->part_size = part;
  /* OpenVINO: positions run from start towards end; negative values count
   * from the end (-1 = the last element). With a negative stride the first
   * slice ends at start. */
  int64_t s = start < 0 ? start + p->axis_len : start;
  p->stride = stride;
  p->start = stride > 0 ? s : s + 1 - part;
  (void)iterations;
  (void)end;
  return OVCC_OK;
}

/* A parent arena buffer holding a body input. */
static ovcc_status body_buffer(cg_plan *plan, uint64_t nbytes, uint32_t *slot, ir_diag *d) {
  *slot = cg_plan_add_arena_slot(plan, nbytes);
  return *slot == UINT32_MAX ? IR_NOMEM(d) : OVCC_OK;
}

static bool is_back_edge_target(const ir_op *op, int64_t internal) {
  uint32_t n;
  const ir_attr_value *be = port_items(op, "back_edges", &n);
  for (uint32_t i = 0; i < n; i++) {
    int64_t to;
    if (get_int(&be[i], "to", &to) && to == internal)
      return true;
  }
  return false;
}

static ovcc_status build_inputs(ir_op *op, int b, const char *map, cg_region *r, cg_plan *plan,
                                ir_diag *d) {
  uint32_t n;
  const ir_attr_value *items = port_items(op, map, &n);
  r->in[b] = calloc(n + 1, sizeof *r->in[b]);
  if (!r->in[b])
    return IR_NOMEM(d);
  ir_graph *body = op->bodies[b];
  for (uint32_t k = 0; k < n; k++) {
    cg_region_port *p = &r->in[b][r->n_in[b]];
    int64_t ext, internal;
    if (!get_int(&items[k], "external", &ext) || !get_int(&items[k], "internal", &internal) ||
        internal < 0 || internal >= (int64_t)body->n_params)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "%s[%u] is malformed", map, k);
    if (ext < 0 || ext >= (int64_t)op->n_operands || !ir_op_operand(op, (uint32_t)ext))
      continue; /* a body input with no outer value keeps its zeros */
    ir_value *outer = ir_op_operand(op, (uint32_t)ext);
    p->outer_slot = cg_plan_slot_of(plan, outer);
    p->body_index = (uint32_t)internal;
    p->nbytes = type_nbytes(&body->params[internal]->results[0].type);
    IR_TRY(slice_geometry(p, &items[k], &outer->type, r->iterations, d));
    p->buf_slot = UINT32_MAX;
    if (p->sliced || is_back_edge_target(op, internal))
      IR_TRY(body_buffer(plan, p->nbytes, &p->buf_slot, d));
    r->n_in[b]++;
  }
  return OVCC_OK;
}

static ovcc_status build_outputs(ir_op *op, int b, const char *map, cg_region *r, cg_plan *plan,
                                 ir_diag *d) {
  uint32_t n;
  const ir_attr_value *items = port_items(op, map, &n);
  r->out[b] = calloc(n + 1, sizeof *r->out[b]);
  if (!r->out[b])
    return IR_NOMEM(d);
  ir_graph *body = op->bodies[b];
  for (uint32_t k = 0; k < n; k++) {
    cg_region_port *p = &r->out[b][k];
    int64_t ext, internal;
    if (!get_int(&items[k], "external", &ext) || !get_int(&items[k], "internal", &internal) ||
        ext < 0 || ext >= (int64_t)op->n_results || internal < 0 ||
        internal >= (int64_t)body->n_results)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "%s[%u] is malformed", map, k);
    p->outer_slot = cg_plan_slot_of(plan, &op->results[ext]);
    p->body_index = (uint32_t)internal;
    p->nbytes = type_nbytes(&ir_op_operand(body->results[internal], 0)->type);
    p->buf_slot = UINT32_MAX;
    IR_TRY(slice_geometry(p, &items[k], &op->results[ext].type, r->iterations, d));
  }
  r->n_out[b] = n;
  return OVCC_OK;
}

static ovcc_status build_back_edges(ir_op *op, cg_region *r, ir_diag *d) {
  uint32_t n;
  const ir_attr_value *items = port_items(op, "back_edges", &n);
  r->be_from = calloc(n + 1, sizeof *r->be_from);
  r->be_to = calloc(n + 1, sizeof *r->be_to);
  if (!r->be_from || !r->be_to)
    return IR_NOMEM(d);
  ir_graph *body = op->bodies[0];
  for (uint32_t k = 0; k < n; k++) {
    int64_t from, to;
    if (!get_int(&items[k], "from", &from) || !get_int(&items[k], "to", &to) || from < 0 ||
        from >= (int64_t)body->n_results || to < 0 || to >= (int64_t)body->n_params)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "back_edges[%u] is malformed", k);
    r->be_from[k] = (uint32_t)from;
    r->be_to[k] = (uint32_t)to;
  }
  r->n_be = n;
  return OVCC_OK;
}

/* Iterations of a TensorIterator: what its sliced inputs (or outputs) imply. */
static int64_t ti_iterations(ir_op *op, cg_plan *plan) {
  uint32_t n;
  const ir_attr_value *items = port_items(op, "input_map", &n);
  for (uint32_t k = 0; k < n; k++) {
    int64_t ext, axis, part = 1;
    if (!get_int(&items[k], "axis", &axis) || !get_int(&items[k], "external", &ext) || ext < 0 ||
        ext >= (int64_t)op->n_operands)
      continue;
    get_int(&items[k], "part_size", &part);
    const ir_shape *s = &ir_op_operand(op, (uint32_t)ext)->type.shape;
    if (axis < 0)
      axis += s->rank;
    int64_t start = 0, end = -1, len = s->d[axis].lo;
    get_int(&items[k], "start", &start);
    get_int(&items[k], "end", &end);
    start = start < 0 ? start + len : start;
    end = end < 0 ? end + len : end;
    return ((end > start ? end - start : start - end) + 1) / (part > 0 ? part : 1);
  }
  (void)plan;
  return 1;
}

static ovcc_status build(ir_op *op, cg_plan *plan, cg_body_compiler compile_body, void *ctx,
                         cg_region *r, ir_diag *d) {
  r->trip_slot = r->cond_slot = UINT32_MAX;
  r->cur_iter_param = r->body_cond_result = -1;
  r->cur_iter_slot = UINT32_MAX;
  int n_bodies = op->kind == IR_OP_IF_8 ? 2 : 1;
  if ((int)op->n_bodies < n_bodies)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "%s has %u bodies", op->type_name, op->n_bodies);
  /* An If with a known condition runs one branch; the other may not even
   * have static shapes. */
  int known = -1;
  if (op->kind == IR_OP_IF_8) {
    const ir_tensor *c = ir_value_known(ir_op_operand(op, 0));
    if (c && c->numel >= 1)
      known = ir_elem_get_i64(c->et, c->data, 0) != 0;
  }
  for (int b = 0; b < n_bodies; b++) {
    if (known >= 0 && b != (known ? 0 : 1))
      continue;
    IR_TRY(compile_body(ctx, op->bodies[b], &r->body[b], d));
    IR_TRY(body_buffer(plan, r->body[b]->arena_size, &r->body_arena_slot[b], d));
  }
  if (op->kind == IR_OP_IF_8) {
    r->kind = CG_REGION_IF;
    r->cond_slot = cg_plan_slot_of(plan, ir_op_operand(op, 0));
    r->cond_et = ir_op_operand(op, 0)->type.et;
    static const char *const maps[2][2] = {{"then_inputs", "then_outputs"},
                                           {"else_inputs", "else_outputs"}};
    for (int b = 0; b < 2; b++) {
      if (!r->body[b])
        continue;
      IR_TRY(build_inputs(op, b, maps[b][0], r, plan, d));
      IR_TRY(build_outputs(op, b, maps[b][1], r, plan, d));
    }
    return OVCC_OK;
  }
  if (op->kind == IR_OP_LOOP_5) {
    r->kind = CG_REGION_LOOP;
    r->iterations = -1;
    r->trip_slot = cg_plan_slot_of(plan, ir_op_operand(op, 0));
    r->trip_et = ir_op_operand(op, 0)->type.et;
    r->cond_slot = cg_plan_slot_of(plan, ir_op_operand(op, 1));
    r->cond_et = ir_op_operand(op, 1)->type.et;
    r->cur_iter_param = ir_op_attr_int(op, "current_iteration_input_idx", -1);
    r->body_cond_result = ir_op_attr_int(op, "body_condition_output_idx", -1);
    ir_graph *body = op->bodies[0];
    if (r->cur_iter_param >= (int64_t)body->n_params ||
        r->body_cond_result >= (int64_t)body->n_results)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "Loop special port index out of range");
    if (r->cur_iter_param >= 0) {
      const ir_type *t = &body->params[r->cur_iter_param]->results[0].type;
      r->cur_iter_et = t->et;
      IR_TRY(body_buffer(plan, type_nbytes(t), &r->cur_iter_slot, d));
    }
  } else {
    r->kind = CG_REGION_TI;
    r->iterations = ti_iterations(op, plan);
  }
  IR_TRY(build_inputs(op, 0, "input_map", r, plan, d));
  IR_TRY(build_outputs(op, 0, "output_map", r, plan, d));
  return build_back_edges(op, r, d);
}

ovcc_status cg_region_build(ir_op *op, cg_plan *plan, cg_body_compiler compile_body, void *ctx,
                            cg_region **out, ir_diag *d) {
  cg_region *r = calloc(1, sizeof *r);
  if (!r)
    return IR_NOMEM(d);
  ovcc_status st = build(op, plan, compile_body, ctx, r, d);
  if (st != OVCC_OK) {
    cg_region_free(r);
    char where[512];
    ir_op_describe(op, where, sizeof where);
    ir_diag_prefix(d, "%s: ", where);
    return st;
  }
  *out = r;
  return OVCC_OK;
}

void cg_region_free(cg_region *r) {
  if (!r)
    return;
  for (int b = 0; b < 2; b++) {
    cg_program_free(r->body[b]);
    free(r->in[b]);
    free(r->out[b]);
  }
  free(r->be_from);
  free(r->be_to);
  free(r);
}
