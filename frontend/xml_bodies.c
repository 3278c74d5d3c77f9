/* Bodies of TensorIterator-1, Loop-5 and If-8 and their port maps.
 *
 * A body is a complete graph with its own layer ids; the port map names body
 * layers by id, while the IR keeps indices: `internal` is the index of the
 * body Parameter/Result (document order), `external` the op's input index
 * (from the layer's input port ids) or, for outputs, the rank among the
 * mapped outputs sorted by external_port_id (as OpenVINO assigns them).
 * Entries with external_port_id -1 are kept only for merged inputs (a back
 * edge feeds them); Loop's purpose="current_iteration"/"execution_condition"
 * entries become current_iteration_input_idx / body_condition_output_idx.
 * Nesting is bounded by FE_MAX_BODY_DEPTH, so the recursion through
 * xr_read_graph is bounded by that constant. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "xml_internal.h"

typedef struct pm_entry {
  xmlNode *node;
  uint32_t doc; /* document position: stable sort */
  int64_t ext, internal_id;
  int64_t internal; /* body Parameter/Result index */
  bool has_axis;
  int64_t axis, start, stride, part_size, end;
  const char *purpose;
} pm_entry;

static int cmp_entry(const void *a, const void *b) {
  const pm_entry *x = a, *y = b;
  if (x->ext != y->ext)
    return x->ext < y->ext ? -1 : 1;
  return x->doc < y->doc ? -1 : x->doc > y->doc;
}

static int64_t index_in(ir_op *const *arr, uint32_t n, const ir_op *op) {
  for (uint32_t i = 0; i < n; i++)
    if (arr[i] == op)
      return i;
  return -1;
}

/* Index of the body Parameter (is_param) or Result with layer id `id`, or -1. */
static int64_t body_index(const ir_graph *g, const xr_graph *xg, int64_t id, bool is_param) {
  int64_t li = xr_find_layer(xg, id);
  if (li < 0)
    return -1;
  const ir_op *op = xg->layers[li].op;
  return is_param ? index_in(g->params, g->n_params, op) : index_in(g->results, g->n_results, op);
}

static ovcc_status pm_int(xr *r, ir_op *op, xmlNode *e, const char *name, bool required,
                          int64_t def, int64_t *out, bool *present) {
  const char *t = xr_attr(r, e, name);
  *out = def;
  if (present)
    *present = t != NULL;
  if (!t) {
    if (required)
      return xr_op_err(r, op, "port map <%s> at line %ld has no '%s'", (const char *)e->name,
                       xr_line(e), name);
    return OVCC_OK;
  }
  if (!xr_parse_i64(t, out))
    return xr_op_err(r, op, "port map <%s> at line %ld: '%s' = '%s' is not an integer",
                     (const char *)e->name, xr_line(e), name, t);
  return OVCC_OK;
}

/* Reads the <input> or <output> entries of a port map, sorted by external id. */
static ovcc_status read_entries(xr *r, ir_op *op, xmlNode *pm, const char *tag,
                                const ir_graph *body, const xr_graph *xg, pm_entry **out,
                                uint32_t *n_out) {
  bool is_in = strcmp(tag, "input") == 0;
  uint32_t n = 0;
  for (xmlNode *c = xr_child(pm, tag); c; c = xr_next(c, tag))
    n++;
  if (n > FE_MAX_PORTS)
    return xr_op_err(r, op, "%u port map %s entries (limit %d)", n, tag, FE_MAX_PORTS);
  pm_entry *e = ir_arena_alloc(&r->scratch, (n + 1) * sizeof *e);
  if (!e)
    return IR_NOMEM(r->d);
  uint32_t i = 0;
  for (xmlNode *c = xr_child(pm, tag); c; c = xr_next(c, tag), i++) {
    pm_entry *x = &e[i];
    x->node = c;
    x->doc = i;
    IR_TRY(pm_int(r, op, c, "external_port_id", true, 0, &x->ext, NULL));
    IR_TRY(pm_int(r, op, c, "internal_layer_id", true, 0, &x->internal_id, NULL));
    IR_TRY(pm_int(r, op, c, "axis", false, 0, &x->axis, &x->has_axis));
    IR_TRY(pm_int(r, op, c, "start", false, 0, &x->start, NULL));
    IR_TRY(pm_int(r, op, c, "stride", false, 1, &x->stride, NULL));
    IR_TRY(pm_int(r, op, c, "part_size", false, 1, &x->part_size, NULL));
    IR_TRY(pm_int(r, op, c, "end", false, -1, &x->end, NULL));
    x->purpose = xr_attr(r, c, "purpose");
    x->internal = body_index(body, xg, x->internal_id, is_in);
    if (x->internal < 0)
      return xr_op_err(r, op, "port map <%s> at line %ld: internal_layer_id %" PRId64
                       " is not a body %s", tag, xr_line(c), x->internal_id,
                       is_in ? "Parameter" : "Result");
  }
  qsort(e, n, sizeof *e, cmp_entry);
  *out = e;
  *n_out = n;
  return OVCC_OK;
}

/* A port-map dict {external, internal[, axis, start, stride, part_size, end]}. */
static bool make_entry(ir_arena *a, ir_attr_value *out, int64_t ext, const pm_entry *x) {
  static const char *const keys[7] = {"external", "internal", "axis", "start",
                                      "stride", "part_size", "end"};
  int64_t vals[7] = {ext, x->internal, x->axis, x->start, x->stride, x->part_size, x->end};
  uint32_t n = x->has_axis ? 7 : 2;
  ir_attr *items = ir_arena_alloc(a, n * sizeof *items);
  if (!items)
    return false;
  for (uint32_t i = 0; i < n; i++) {
    items[i].name = keys[i];
    items[i].val = (ir_attr_value){.kind = IR_ATTR_INT, .u.i = vals[i]};
  }
  *out = (ir_attr_value){.kind = IR_ATTR_DICT, .u.dict = {items, n}};
  return true;
}

static ovcc_status set_list(xr *r, ir_op *op, const char *name, ir_attr_value *items, uint32_t n) {
  ir_attr_value v = {.kind = IR_ATTR_LIST, .u.list = {items, n}};
  return ir_op_set_attr(r->m, op, name, &v) ? OVCC_OK : IR_NOMEM(r->d);
}

typedef struct back_edge {
  int64_t from, to; /* body Result / Parameter indices */
} back_edge;

static bool is_merged(const back_edge *be, uint32_t n, int64_t param) {
  for (uint32_t i = 0; i < n; i++)
    if (be[i].to == param)
      return true;
  return false;
}

/* input_map (or then_inputs/else_inputs). */
static ovcc_status map_inputs(xr *r, const xr_layer *L, ir_op *op, const pm_entry *e, uint32_t n,
                              const back_edge *be, uint32_t n_be, const char *attr,
                              int64_t *cur_iter) {
  ir_attr_value *items = ir_arena_alloc(&r->scratch, (n + 1) * sizeof *items);
  if (!items)
    return IR_NOMEM(r->d);
  uint32_t k = 0;
  for (uint32_t i = 0; i < n; i++) {
    const pm_entry *x = &e[i];
    if (cur_iter && x->purpose && strcmp(x->purpose, "current_iteration") == 0)
      *cur_iter = x->internal;
    int64_t ext = -1;
    if (x->ext >= 0) {
      for (uint32_t p = 0; p < L->n_in && ext < 0; p++)
        if (L->in[p].id == x->ext)
          ext = p;
      if (ext < 0)
        return xr_op_err(r, op, "port map <input> at line %ld: external_port_id %" PRId64
                         " is not an input port of the op (it has %u inputs)",
                         xr_line(x->node), x->ext, L->n_in);
    } else if (!is_merged(be, n_be, x->internal)) {
      continue; /* body-internal Parameter (e.g. Loop's iteration counter) */
    }
    if (!make_entry(&r->scratch, &items[k++], ext, x))
      return IR_NOMEM(r->d);
  }
  return set_list(r, op, attr, items, k);
}

/* output_map (or then_outputs/else_outputs). */
static ovcc_status map_outputs(xr *r, ir_op *op, const pm_entry *e, uint32_t n, const char *attr,
                               int64_t *cond) {
  ir_attr_value *items = ir_arena_alloc(&r->scratch, (n + 1) * sizeof *items);
  if (!items)
    return IR_NOMEM(r->d);
  uint32_t k = 0;
  for (uint32_t i = 0; i < n; i++) {
    const pm_entry *x = &e[i];
    if (cond && x->purpose && strcmp(x->purpose, "execution_condition") == 0)
      *cond = x->internal;
    if (x->ext < 0)
      continue;
    if (k >= op->n_results)
      return xr_op_err(r, op, "port map <output> at line %ld: external_port_id %" PRId64
                       " maps more outputs than the op's %u", xr_line(x->node), x->ext,
                       op->n_results);
    if (!make_entry(&r->scratch, &items[k], k, x))
      return IR_NOMEM(r->d);
    k++;
  }
  return set_list(r, op, attr, items, k);
}

static ovcc_status read_body(xr *r, const xr_layer *L, ir_op *op, const char *tag, int depth,
                             ir_graph **g, xr_graph *xg) {
  xmlNode *b = xr_child(L->node, tag);
  if (!b)
    return xr_op_err(r, op, "missing <%s>", tag);
  if (depth + 1 > FE_MAX_BODY_DEPTH)
    return xr_op_err(r, op, "bodies nested deeper than %d levels", FE_MAX_BODY_DEPTH);
  if (!(*g = ir_graph_create(r->m, op)))
    return IR_NOMEM(r->d);
  return xr_read_graph(r, b, *g, depth + 1, xg);
}

static ovcc_status read_back_edges(xr *r, ir_op *op, xmlNode *bes, const ir_graph *body,
                                   const xr_graph *xg, back_edge **out, uint32_t *n_out) {
  uint32_t n = 0;
  for (xmlNode *c = xr_child(bes, "edge"); c; c = xr_next(c, "edge"))
    n++;
  back_edge *be = ir_arena_alloc(&r->scratch, (n + 1) * sizeof *be);
  ir_attr_value *items = ir_arena_alloc(&r->scratch, (n + 1) * sizeof *items);
  ir_attr *kv = ir_arena_alloc(&r->scratch, (2 * n + 1) * sizeof *kv);
  if (!be || !items || !kv)
    return IR_NOMEM(r->d);
  uint32_t i = 0;
  for (xmlNode *c = xr_child(bes, "edge"); c; c = xr_next(c, "edge"), i++) {
    int64_t from, to;
    IR_TRY(pm_int(r, op, c, "from-layer", true, 0, &from, NULL));
    IR_TRY(pm_int(r, op, c, "to-layer", true, 0, &to, NULL));
    be[i].from = body_index(body, xg, from, false);
    be[i].to = body_index(body, xg, to, true);
    if (be[i].from < 0)
      return xr_op_err(r, op, "back edge at line %ld: from-layer %" PRId64 " is not a body Result",
                       xr_line(c), from);
    if (be[i].to < 0)
      return xr_op_err(r, op, "back edge at line %ld: to-layer %" PRId64
                       " is not a body Parameter", xr_line(c), to);
    kv[2 * i] = (ir_attr){"from", {.kind = IR_ATTR_INT, .u.i = be[i].from}};
    kv[2 * i + 1] = (ir_attr){"to", {.kind = IR_ATTR_INT, .u.i = be[i].to}};
    items[i] = (ir_attr_value){.kind = IR_ATTR_DICT, .u.dict = {&kv[2 * i], 2}};
  }
  *out = be;
  *n_out = n;
  return set_list(r, op, "back_edges", items, n);
}

static ovcc_status read_loop_like(xr *r, xr_layer *L, ir_op *op, int depth) {
  ir_graph *body;
  xr_graph xg;
  IR_TRY(read_body(r, L, op, "body", depth, &body, &xg));
  op->bodies[0] = body;
  xmlNode *pm = xr_child(L->node, "port_map");
  back_edge *be = NULL;
  uint32_t n_be = 0, n_in = 0, n_out = 0;
  pm_entry *ins = NULL, *outs = NULL;
  IR_TRY(read_back_edges(r, op, xr_child(L->node, "back_edges"), body, &xg, &be, &n_be));
  IR_TRY(read_entries(r, op, pm, "input", body, &xg, &ins, &n_in));
  IR_TRY(read_entries(r, op, pm, "output", body, &xg, &outs, &n_out));
  bool loop = op->kind == IR_OP_LOOP_5;
  int64_t cur = -1, cond = -1;
  IR_TRY(map_inputs(r, L, op, ins, n_in, be, n_be, "input_map", loop ? &cur : NULL));
  IR_TRY(map_outputs(r, op, outs, n_out, "output_map", loop ? &cond : NULL));
  if (loop) {
    ir_attr_value a = {.kind = IR_ATTR_INT, .u.i = cur}, b = {.kind = IR_ATTR_INT, .u.i = cond};
    if (!ir_op_set_attr(r->m, op, "current_iteration_input_idx", &a) ||
        !ir_op_set_attr(r->m, op, "body_condition_output_idx", &b))
      return IR_NOMEM(r->d);
  }
  return OVCC_OK;
}

static ovcc_status read_if(xr *r, xr_layer *L, ir_op *op, int depth) {
  static const char *const bodies[2] = {"then_body", "else_body"};
  static const char *const maps[2] = {"then_port_map", "else_port_map"};
  static const char *const in_attr[2] = {"then_inputs", "else_inputs"};
  static const char *const out_attr[2] = {"then_outputs", "else_outputs"};
  for (int b = 0; b < 2; b++) {
    ir_graph *body;
    xr_graph xg;
    IR_TRY(read_body(r, L, op, bodies[b], depth, &body, &xg));
    op->bodies[b] = body;
    xmlNode *pm = xr_child(L->node, maps[b]);
    uint32_t n_in = 0, n_out = 0;
    pm_entry *ins = NULL, *outs = NULL;
    IR_TRY(read_entries(r, op, pm, "input", body, &xg, &ins, &n_in));
    IR_TRY(read_entries(r, op, pm, "output", body, &xg, &outs, &n_out));
    IR_TRY(map_inputs(r, L, op, ins, n_in, NULL, 0, in_attr[b], NULL));
    IR_TRY(map_outputs(r, op, outs, n_out, out_attr[b], NULL));
  }
  return OVCC_OK;
}

ovcc_status xr_read_bodies(xr *r, xr_layer *L, ir_op *op, int depth) {
  uint32_t nb = op->kind == IR_OP_IF_8 ? 2 : 1;
  op->bodies = ir_arena_alloc(&r->m->arena, nb * sizeof *op->bodies);
  if (!op->bodies)
    return IR_NOMEM(r->d);
  op->n_bodies = nb;
  if (op->kind == IR_OP_IF_8)
    return read_if(r, L, op, depth);
  return read_loop_like(r, L, op, depth);
}
