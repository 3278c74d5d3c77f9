/* Shape functions of the infrastructure ops: Parameter, Constant, Result,
 * ReadValue (v3, v6), Assign, and the region ops TensorIterator-1, Loop-5,
 * If-8.
 *
 * Region ops type their bodies: each body Parameter named by the port map
 * gets the type of its outer input (a sliced input: part_size along the
 * slicing axis), the body is inferred with ir_infer_graph, and the outer
 * results take the types of the body Results (concatenated outputs: the body
 * dim times the iteration count along the axis).
 *
 * Body Parameter types are written into the Parameter's `element_type` and
 * `shape` attributes (and onto its result), because the body's inference runs
 * the Parameter shape function, which reads the attributes. The new type is
 * the outer-derived one merged with what the body declared when the two are
 * compatible; when they are not, the outer input wins (OpenVINO re-types body
 * Parameters from the outer inputs the same way when a model is reshaped).
 * Merged inputs (fed by a back edge) whose body Result type differs from the
 * Parameter's are relaxed (differing dims become dynamic) and the body is
 * inferred again, as OpenVINO's TensorIterator/Loop do. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "shape_fn.h"

enum { MAX_RELAX_ROUNDS = 4 }; /* body re-inference rounds for merged inputs */

static void fmt_type(const ir_type *t, char *buf, size_t cap) {
  char s[512];
  ir_shape_format(&t->shape, s, sizeof s);
  snprintf(buf, cap, "%s[%s]", ir_etype_name(t->et), s);
}

/* A known one-element boolean/integer value (1/0), or -1. */
static int known_bool(const ir_value *v) {
  const ir_tensor *t = ir_value_known(v);
  ir_tensor ct;
  if (!t && v && v->def && v->def->kind == IR_OP_CONSTANT_1 && ir_const_tensor(v->def, &ct))
    t = &ct;
  if (!t || t->numel != 1 || !(t->et == IR_ET_BOOLEAN || ir_etype_is_int(t->et)))
    return -1;
  return ir_elem_get_i64(t->et, t->data, 0) != 0;
}

/* ---- Parameter, Constant, Result ---- */

static ovcc_status type_from_attrs(ir_op *op, ir_type *t, ir_diag *d) {
  const ir_attr_value *et = ir_op_attr(op, "element_type");
  const ir_attr_value *sh = ir_op_attr(op, "shape");
  if (!et || et->kind != IR_ATTR_ETYPE)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "missing attribute 'element_type'");
  if (!sh || sh->kind != IR_ATTR_SHAPE || !sh->u.shape)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "missing attribute 'shape'");
  t->et = et->u.et;
  t->shape = *sh->u.shape;
  return OVCC_OK;
}

ovcc_status ir_shape_parameter(ir_op *op, ir_diag *d) {
  ir_type t;
  IR_TRY(type_from_attrs(op, &t, d));
  op->results[0].type = t;
  return OVCC_OK;
}

ovcc_status ir_shape_constant(ir_op *op, ir_diag *d) {
  ir_type t;
  IR_TRY(type_from_attrs(op, &t, d));
  char ts[600];
  if (!ir_shape_is_static(&t.shape)) {
    fmt_type(&t, ts, sizeof ts);
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "constant type %s is not static", ts);
  }
  if (t.et == IR_ET_DYNAMIC)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "constant element type is dynamic");
  if (op->cst && !(ir_etype_flags(t.et) & IR_ETF_STRING)) {
    uint64_t numel, nbytes;
    fmt_type(&t, ts, sizeof ts);
    if (!ir_shape_numel(&t.shape, &numel) || !ir_etype_nbytes(t.et, numel, &nbytes))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "constant %s is too large", ts);
    if (nbytes != op->cst->nbytes)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "constant %s needs %" PRIu64 " bytes, its data has %" PRIu64, ts, nbytes,
                    op->cst->nbytes);
  }
  op->results[0].type = t;
  return OVCC_OK;
}

ovcc_status ir_shape_result(ir_op *op, ir_diag *d) {
  if (!has_in(op, 0))
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "Result has no input");
  return OVCC_OK;
}

/* ---- ReadValue, Assign ---- */

/* v3: the state has the initializer's type. v6: the state has the variable's
 * type and shape (variable_type/variable_shape), which must relax the
 * initializer's. Files without variable info (both dynamic) take the
 * initializer's type, as OpenVINO's reader does for old IRs. The output is
 * not merged with the initializer: states such as KV caches grow. */
ovcc_status ir_shape_read_value(ir_op *op, ir_diag *d) {
  bool v6 = op->kind == IR_OP_READVALUE_6;
  if (!v6) {
    if (!has_in(op, 0))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "ReadValue-3 needs an initializer input");
    op->results[0].type = ir_op_operand(op, 0)->type;
    return OVCC_OK;
  }
  const ir_attr_value *vt = ir_op_attr(op, "variable_type");
  const ir_attr_value *vs = ir_op_attr(op, "variable_shape");
  ir_type var = {IR_ET_DYNAMIC, ir_shape_dynamic_rank()};
  if (vt && vt->kind == IR_ATTR_ETYPE)
    var.et = vt->u.et;
  if (vs && vs->kind == IR_ATTR_SHAPE && vs->u.shape)
    var.shape = *vs->u.shape;
  if (has_in(op, 0)) {
    const ir_type *init = &ir_op_operand(op, 0)->type;
    char a[600], b[600];
    fmt_type(init, a, sizeof a);
    fmt_type(&var, b, sizeof b);
    if (var.et != IR_ET_DYNAMIC && init->et != IR_ET_DYNAMIC && var.et != init->et)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "initializer type %s does not match the variable type %s", a, b);
    if (!ir_shape_compatible(&var.shape, &init->shape))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "initializer shape %s is not compatible with the variable shape %s", a, b);
    if (var.et == IR_ET_DYNAMIC && var.shape.rank < 0) {
      op->results[0].type = *init;
      return OVCC_OK;
    }
    if (var.et == IR_ET_DYNAMIC)
      var.et = init->et;
  }
  op->results[0].type = var;
  return OVCC_OK;
}

ovcc_status ir_shape_assign(ir_op *op, ir_diag *d) {
  if (!has_in(op, 0))
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "Assign has no input");
  const char *id = ir_op_attr_str(op, "variable_id", NULL);
  if (!id || !*id)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "Assign has an empty 'variable_id'");
  if (op->n_results > 1)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "Assign has %u outputs; it has at most one",
                  op->n_results);
  if (op->n_results == 1) /* OpenVINO's output port: the assigned value itself */
    op->results[0].type = ir_op_operand(op, 0)->type;
  return OVCC_OK;
}

/* ---- port maps ---- */

typedef struct port {
  int64_t ext, internal;
  bool has_axis;
  int64_t axis, start, stride, part_size, end;
} port;

/* Reads entry k of list attribute `name` (a dict of ints). */
static ovcc_status read_port(const ir_attr_value *e, const char *name, uint32_t k, port *p,
                             ir_diag *d) {
  static const char *const keys[7] = {"external", "internal", "axis", "start",
                                      "stride", "part_size", "end"};
  int64_t vals[7] = {-1, -1, 0, 0, 1, 1, -1};
  if (e->kind != IR_ATTR_DICT)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "%s[%u] is a %s, expected a dict", name, k,
                  ir_attr_kind_name(e->kind));
  p->has_axis = false;
  for (int i = 0; i < 7; i++) {
    const ir_attr_value *v = ir_dict_get(e, keys[i]);
    if (!v) {
      if (i < 2)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "%s[%u] has no '%s'", name, k, keys[i]);
      continue;
    }
    if (v->kind != IR_ATTR_INT)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "%s[%u].%s is not an integer", name, k, keys[i]);
    vals[i] = v->u.i;
    if (i == 2)
      p->has_axis = true;
  }
  p->ext = vals[0];
  p->internal = vals[1];
  p->axis = vals[2];
  p->start = vals[3];
  p->stride = vals[4];
  p->part_size = vals[5];
  p->end = vals[6];
  if (p->has_axis && p->part_size <= 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "%s[%u]: part_size %" PRId64 " must be positive",
                  name, k, p->part_size);
  if (p->has_axis && p->stride == 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "%s[%u]: stride must not be 0", name, k);
  return OVCC_OK;
}

/* Port list attribute `name`: entries and count (absent = empty). */
static ovcc_status port_list(const ir_op *op, const char *name, const ir_attr_value **items,
                             uint32_t *n, ir_diag *d) {
  const ir_attr_value *v = ir_op_attr(op, name);
  *items = NULL;
  *n = 0;
  if (!v)
    return OVCC_OK;
  if (v->kind != IR_ATTR_LIST)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "attribute '%s' is a %s, expected a list", name,
                  ir_attr_kind_name(v->kind));
  *items = v->u.list.v;
  *n = v->u.list.n;
  return OVCC_OK;
}

static ovcc_status check_input_port(const ir_op *op, const ir_graph *body, const char *name,
                                    uint32_t k, const port *p, ir_diag *d) {
  if (p->ext < -1 || p->ext >= (int64_t)op->n_operands)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "%s[%u]: external %" PRId64 " is not an input of the op (it has %u)", name, k,
                  p->ext, op->n_operands);
  if (p->internal < 0 || p->internal >= (int64_t)body->n_params)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "%s[%u]: internal %" PRId64 " is not a body Parameter (the body has %u)", name,
                  k, p->internal, body->n_params);
  if (p->ext >= 0 && !has_in(op, (uint32_t)p->ext))
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "%s[%u]: input %" PRId64 " is not connected", name,
                  k, p->ext);
  return OVCC_OK;
}

static ovcc_status check_output_port(const ir_op *op, const ir_graph *body, const char *name,
                                     uint32_t k, const port *p, ir_diag *d) {
  if (p->ext < 0 || p->ext >= (int64_t)op->n_results)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "%s[%u]: external %" PRId64 " is not an output of the op (it has %u)", name, k,
                  p->ext, op->n_results);
  if (p->internal < 0 || p->internal >= (int64_t)body->n_results)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "%s[%u]: internal %" PRId64 " is not a body Result (the body has %u)", name, k,
                  p->internal, body->n_results);
  return OVCC_OK;
}

/* Type of body Result i (its input value). */
static const ir_type *body_result_type(const ir_graph *body, int64_t i) {
  const ir_op *r = body->results[i];
  if (r->n_operands < 1 || !ir_op_operand(r, 0))
    return NULL;
  return &ir_op_operand(r, 0)->type;
}

/* Sets body Parameter `idx` to type t (merged with the declared type when
 * compatible, else t), on its attributes and its result. */
static ovcc_status set_body_param(ir_graph *body, int64_t idx, const ir_type *t, ir_diag *d) {
  ir_op *p = body->params[idx];
  ir_type cur, nt = *t;
  if (type_from_attrs(p, &cur, d) != OVCC_OK)
    ir_diag_clear(d), cur = p->results[0].type;
  if ((cur.et == IR_ET_DYNAMIC || nt.et == IR_ET_DYNAMIC || cur.et == nt.et)) {
    ir_shape m;
    if (ir_shape_merge(&m, &cur.shape, &nt.shape))
      nt.shape = m;
    if (nt.et == IR_ET_DYNAMIC)
      nt.et = cur.et;
  }
  ir_model *mod = body->model;
  ir_attr_value et = {.kind = IR_ATTR_ETYPE, .u.et = nt.et};
  ir_attr_value sh = {.kind = IR_ATTR_SHAPE, .u.shape = &nt.shape};
  if (!ir_op_set_attr(mod, p, "element_type", &et) || !ir_op_set_attr(mod, p, "shape", &sh))
    return IR_NOMEM(d);
  p->results[0].type = nt;
  return OVCC_OK;
}

/* Infers a body, prefixing errors with `what`. */
static ovcc_status infer_body(ir_graph *body, const char *what, ir_diag *d) {
  ovcc_status st = ir_infer_graph(body, false, d);
  if (st != OVCC_OK)
    ir_diag_prefix(d, "%s: ", what);
  return st;
}

/* ---- TensorIterator and Loop ---- */

/* Iteration count from a sliced input (-1 if unknown); OpenVINO's rule:
 * (|end - start| + 1) / part_size with negative start/end counted from the end. */
static int64_t slice_iterations(const ir_shape *x, int64_t axis, const port *p) {
  if (x->rank < 0 || !ir_dim_is_static(x->d[axis]))
    return -1;
  int64_t n = x->d[axis].lo;
  int64_t s = p->start < 0 ? p->start + n : p->start;
  int64_t e = p->end < 0 ? p->end + n : p->end;
  int64_t len = (e > s ? e - s : s - e) + 1;
  return len / p->part_size;
}

typedef struct region_ctx {
  ir_op *op;
  ir_graph *body;
  const ir_attr_value *in_items, *out_items, *be_items;
  uint32_t n_in, n_out, n_be;
  int64_t iterations; /* -1: unknown */
} region_ctx;

/* Types the body Parameters from the outer inputs; fills the iteration count
 * implied by the sliced inputs (ctx->iterations, -1 if none or unknown). */
static ovcc_status bind_inputs(region_ctx *c, ir_diag *d) {
  c->iterations = -1;
  for (uint32_t k = 0; k < c->n_in; k++) {
    port p;
    IR_TRY(read_port(&c->in_items[k], "input_map", k, &p, d));
    IR_TRY(check_input_port(c->op, c->body, "input_map", k, &p, d));
    if (p.ext < 0)
      continue; /* merged input with no outer value: keeps its declared type */
    ir_type t = ir_op_operand(c->op, (uint32_t)p.ext)->type;
    if (p.has_axis && t.shape.rank >= 0) {
      int64_t ax;
      if (!ir_axis_normalize(p.axis, t.shape.rank, &ax, d)) {
        ir_diag_prefix(d, "input_map[%u]: ", k);
        return d->status;
      }
      int64_t it = slice_iterations(&t.shape, ax, &p);
      if (it >= 0 && c->iterations >= 0 && it != c->iterations)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                      "input_map[%u]: sliced input gives %" PRId64
                      " iterations, an earlier one %" PRId64,
                      k, it, c->iterations);
      if (it >= 0)
        c->iterations = it;
      t.shape.d[ax] = ir_dim_static(p.part_size);
    }
    IR_TRY(set_body_param(c->body, p.internal, &t, d));
  }
  return OVCC_OK;
}

/* Relaxes dims where a and b differ (different ranks: dynamic rank). */
static ir_shape relax(const ir_shape *a, const ir_shape *b) {
  if (a->rank < 0 || b->rank < 0 || a->rank != b->rank)
    return ir_shape_dynamic_rank();
  ir_shape r = *a;
  for (int i = 0; i < a->rank; i++)
    if (a->d[i].lo != b->d[i].lo || a->d[i].hi != b->d[i].hi)
      r.d[i] = ir_dim_dynamic();
  return r;
}

/* After a body inference: relaxes merged Parameters whose back-edge Result
 * type differs. *changed: something was relaxed (infer again). */
static ovcc_status relax_back_edges(region_ctx *c, bool *changed, ir_diag *d) {
  *changed = false;
  for (uint32_t k = 0; k < c->n_be; k++) {
    const ir_attr_value *e = &c->be_items[k];
    const ir_attr_value *f = e->kind == IR_ATTR_DICT ? ir_dict_get(e, "from") : NULL;
    const ir_attr_value *t = e->kind == IR_ATTR_DICT ? ir_dict_get(e, "to") : NULL;
    if (!f || !t || f->kind != IR_ATTR_INT || t->kind != IR_ATTR_INT)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "back_edges[%u] needs integer 'from' and 'to'", k);
    if (f->u.i < 0 || f->u.i >= (int64_t)c->body->n_results)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "back_edges[%u]: from %" PRId64 " is not a body Result (the body has %u)", k,
                    f->u.i, c->body->n_results);
    if (t->u.i < 0 || t->u.i >= (int64_t)c->body->n_params)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "back_edges[%u]: to %" PRId64 " is not a body Parameter (the body has %u)", k,
                    t->u.i, c->body->n_params);
    const ir_type *rt = body_result_type(c->body, f->u.i);
    ir_op *par = c->body->params[t->u.i];
    ir_type pt = par->results[0].type;
    if (!rt || (ir_shape_equal(&rt->shape, &pt.shape) &&
                (rt->et == pt.et || rt->et == IR_ET_DYNAMIC)))
      continue;
    if (rt->et != IR_ET_DYNAMIC && pt.et != IR_ET_DYNAMIC && rt->et != pt.et) {
      char a[600], b[600];
      fmt_type(rt, a, sizeof a);
      fmt_type(&pt, b, sizeof b);
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "back_edges[%u]: body Result %" PRId64 " type %s does not match body "
                    "Parameter %" PRId64 " type %s",
                    k, f->u.i, a, t->u.i, b);
    }
    ir_type nt = {pt.et != IR_ET_DYNAMIC ? pt.et : rt->et, relax(&pt.shape, &rt->shape)};
    if (ir_shape_equal(&nt.shape, &pt.shape) && nt.et == pt.et)
      continue;
    ir_attr_value et = {.kind = IR_ATTR_ETYPE, .u.et = nt.et};
    ir_attr_value sh = {.kind = IR_ATTR_SHAPE, .u.shape = &nt.shape};
    if (!ir_op_set_attr(c->body->model, par, "element_type", &et) ||
        !ir_op_set_attr(c->body->model, par, "shape", &sh))
      return IR_NOMEM(d);
    par->results[0].type = nt;
    *changed = true;
  }
  return OVCC_OK;
}

/* Saves (save = true) or restores the result types of every op of `root`
 * and of its nested bodies except root's Parameters, in a fixed walk order;
 * *n counts them. Later inference rounds must start from the declared types,
 * not from the previous round's inferred ones (which would be merged in). */
static ovcc_status body_types(ir_graph *root, ir_type *buf, uint64_t *n, bool save, ir_diag *d) {
  uint32_t cap = 16, top = 0;
  ir_graph **stack = malloc(cap * sizeof *stack);
  if (!stack)
    return IR_NOMEM(d);
  stack[top++] = root;
  *n = 0;
  while (top) {
    ir_graph *g = stack[--top];
    IR_FOR_EACH_OP(g, op) {
      for (uint32_t i = 0; i < op->n_results; i++, (*n)++) {
        if (!buf || (g == root && op->kind == IR_OP_PARAMETER_1))
          continue;
        if (save)
          buf[*n] = op->results[i].type;
        else
          op->results[i].type = buf[*n];
      }
      for (uint32_t b = 0; b < op->n_bodies; b++) {
        if (top == cap) {
          ir_graph **ns = realloc(stack, 2 * cap * sizeof *stack);
          if (!ns) {
            free(stack);
            return IR_NOMEM(d);
          }
          stack = ns;
          cap *= 2;
        }
        stack[top++] = op->bodies[b];
      }
    }
  }
  free(stack);
  return OVCC_OK;
}

static ovcc_status infer_loop_body(region_ctx *c, ir_diag *d) {
  uint64_t n;
  IR_TRY(body_types(c->body, NULL, &n, true, d));
  ir_type *saved = malloc((size_t)(n ? n : 1) * sizeof *saved);
  if (!saved)
    return IR_NOMEM(d);
  ovcc_status st = body_types(c->body, saved, &n, true, d);
  for (int round = 0; st == OVCC_OK; round++) {
    bool changed = false;
    if (round > 0)
      st = body_types(c->body, saved, &n, false, d);
    if (st == OVCC_OK)
      st = infer_body(c->body, "body", d);
    if (st == OVCC_OK && round + 1 < MAX_RELAX_ROUNDS)
      st = relax_back_edges(c, &changed, d);
    if (!changed)
      break;
  }
  free(saved);
  return st;
}

/* Outer results from the body Results. */
static ovcc_status bind_outputs(region_ctx *c, ir_diag *d) {
  for (uint32_t i = 0; i < c->op->n_results; i++)
    c->op->results[i].type = (ir_type){IR_ET_DYNAMIC, ir_shape_dynamic_rank()};
  for (uint32_t k = 0; k < c->n_out; k++) {
    port p;
    IR_TRY(read_port(&c->out_items[k], "output_map", k, &p, d));
    IR_TRY(check_output_port(c->op, c->body, "output_map", k, &p, d));
    const ir_type *bt = body_result_type(c->body, p.internal);
    if (!bt)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "output_map[%u]: body Result %" PRId64
                    " has no input", k, p.internal);
    ir_type t = *bt;
    if (p.has_axis && t.shape.rank >= 0) {
      int64_t ax;
      if (!ir_axis_normalize(p.axis, t.shape.rank, &ax, d)) {
        ir_diag_prefix(d, "output_map[%u]: ", k);
        return d->status;
      }
      ir_dim it = c->iterations >= 0 ? ir_dim_static(c->iterations) : ir_dim_dynamic();
      t.shape.d[ax] = ir_dim_mul(t.shape.d[ax], it);
    }
    c->op->results[p.ext].type = t;
  }
  return OVCC_OK;
}

static ovcc_status region_init(region_ctx *c, ir_op *op, ir_diag *d) {
  memset(c, 0, sizeof *c);
  c->op = op;
  if (op->n_bodies < 1 || !op->bodies[0])
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "%s has no body", op->type_name);
  c->body = op->bodies[0];
  IR_TRY(port_list(op, "input_map", &c->in_items, &c->n_in, d));
  IR_TRY(port_list(op, "output_map", &c->out_items, &c->n_out, d));
  IR_TRY(port_list(op, "back_edges", &c->be_items, &c->n_be, d));
  return OVCC_OK;
}

ovcc_status ir_shape_tensor_iterator(ir_op *op, ir_diag *d) {
  region_ctx c;
  IR_TRY(region_init(&c, op, d));
  IR_TRY(bind_inputs(&c, d));
  IR_TRY(infer_loop_body(&c, d));
  return bind_outputs(&c, d);
}


/* Loop iteration count: trip count (input 0) when known and non-negative and
 * the body condition is absent or known true; 1 when the body condition is
 * known false; 0 when the initial condition (input 1) is known false. */
static int64_t loop_iterations(const ir_op *op, const ir_graph *body, int64_t slices) {
  if (known_bool(has_in(op, 1) ? ir_op_operand(op, 1) : NULL) == 0)
    return 0;
  int64_t cidx = ir_op_attr_int(op, "body_condition_output_idx", -1);
  int cond = 1;
  if (cidx >= 0 && cidx < (int64_t)body->n_results) {
    const ir_op *r = body->results[cidx];
    cond = known_bool(r->n_operands ? ir_op_operand(r, 0) : NULL);
  }
  if (cond == 0)
    return 1;
  if (cond < 0)
    return -1;
  int64_t trip[1];
  int64_t n = -1;
  if (has_in(op, 0) && ir_value_known_ints(ir_op_operand(op, 0), trip, 1) == 1 && trip[0] >= 0)
    n = trip[0];
  if (slices >= 0 && (n < 0 || slices < n))
    n = slices;
  return n;
}

ovcc_status ir_shape_loop(ir_op *op, ir_diag *d) {
  region_ctx c;
  IR_TRY(region_init(&c, op, d));
  if (op->n_operands < 2)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "Loop needs trip_count and execution_condition inputs");
  for (uint32_t i = 0; i < 2; i++)
    if (has_in(op, i) && ir_op_operand(op, i)->type.shape.rank > 1)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "Loop input %u (%s) must be a scalar", i,
                    i ? "execution_condition" : "trip_count");
  int64_t ci = ir_op_attr_int(op, "current_iteration_input_idx", -1);
  int64_t bi = ir_op_attr_int(op, "body_condition_output_idx", -1);
  if (ci < -1 || ci >= (int64_t)c.body->n_params)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "current_iteration_input_idx %" PRId64 " is not a body Parameter (the body has %u)",
                  ci, c.body->n_params);
  if (bi < -1 || bi >= (int64_t)c.body->n_results)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "body_condition_output_idx %" PRId64 " is not a body Result (the body has %u)",
                  bi, c.body->n_results);
  IR_TRY(bind_inputs(&c, d));
  int64_t slices = c.iterations;
  IR_TRY(infer_loop_body(&c, d));
  c.iterations = loop_iterations(op, c.body, slices);
  return bind_outputs(&c, d);
}

/* ---- If ---- */

static ovcc_status bind_if_inputs(ir_op *op, ir_graph *body, const char *name, ir_diag *d) {
  const ir_attr_value *items;
  uint32_t n;
  IR_TRY(port_list(op, name, &items, &n, d));
  for (uint32_t k = 0; k < n; k++) {
    port p;
    IR_TRY(read_port(&items[k], name, k, &p, d));
    IR_TRY(check_input_port(op, body, name, k, &p, d));
    if (p.ext < 1)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "%s[%u]: external %" PRId64 " must be an input after the condition", name, k,
                    p.ext);
    IR_TRY(set_body_param(body, p.internal, &ir_op_operand(op, (uint32_t)p.ext)->type, d));
  }
  return OVCC_OK;
}

/* Type of outer output `out` from branch `body` (NULL if unmapped). */
static ovcc_status if_branch_type(ir_op *op, ir_graph *body, const char *name, uint32_t out,
                                  const ir_type **t, ir_diag *d) {
  const ir_attr_value *items;
  uint32_t n;
  *t = NULL;
  IR_TRY(port_list(op, name, &items, &n, d));
  for (uint32_t k = 0; k < n; k++) {
    port p;
    IR_TRY(read_port(&items[k], name, k, &p, d));
    IR_TRY(check_output_port(op, body, name, k, &p, d));
    if (p.ext == (int64_t)out) {
      *t = body_result_type(body, p.internal);
      return OVCC_OK;
    }
  }
  return OVCC_OK;
}

/* Union of two dims (the result can be either). */
static ir_dim dim_union(ir_dim a, ir_dim b) {
  ir_dim r;
  r.lo = a.lo < b.lo ? a.lo : b.lo;
  r.hi = (a.hi == IR_DIM_INF || b.hi == IR_DIM_INF) ? IR_DIM_INF : (a.hi > b.hi ? a.hi : b.hi);
  return r;
}

static ovcc_status if_union(const ir_type *a, const ir_type *b, uint32_t out, ir_type *r,
                            ir_diag *d) {
  if (a->et != IR_ET_DYNAMIC && b->et != IR_ET_DYNAMIC && a->et != b->et)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "output %u: then branch gives %s, else branch %s", out, ir_etype_name(a->et),
                  ir_etype_name(b->et));
  r->et = a->et != IR_ET_DYNAMIC ? a->et : b->et;
  if (a->shape.rank < 0 || b->shape.rank < 0 || a->shape.rank != b->shape.rank) {
    r->shape = ir_shape_dynamic_rank();
    return OVCC_OK;
  }
  r->shape = a->shape;
  for (int i = 0; i < a->shape.rank; i++)
    r->shape.d[i] = dim_union(a->shape.d[i], b->shape.d[i]);
  return OVCC_OK;
}

ovcc_status ir_shape_if(ir_op *op, ir_diag *d) {
  if (op->n_bodies < 2 || !op->bodies[0] || !op->bodies[1])
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "If needs a then body and an else body");
  if (!has_in(op, 0))
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "If has no condition input");
  const ir_type *ct = &ir_op_operand(op, 0)->type;
  if (ct->shape.rank > 1 || (ct->shape.rank == 1 && !ir_dim_merge(&(ir_dim){0, 0},
                                                                  ct->shape.d[0], ir_dim_static(1))))
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "If condition must be a scalar or a 1-element tensor");
  int cond = known_bool(ir_op_operand(op, 0));
  ir_graph *then_b = op->bodies[0], *else_b = op->bodies[1];
  IR_TRY(bind_if_inputs(op, then_b, "then_inputs", d));
  IR_TRY(bind_if_inputs(op, else_b, "else_inputs", d));
  if (cond != 0)
    IR_TRY(infer_body(then_b, "then body", d));
  if (cond != 1)
    IR_TRY(infer_body(else_b, "else body", d));
  for (uint32_t i = 0; i < op->n_results; i++) {
    const ir_type *tt = NULL, *et = NULL;
    IR_TRY(if_branch_type(op, then_b, "then_outputs", i, &tt, d));
    IR_TRY(if_branch_type(op, else_b, "else_outputs", i, &et, d));
    ir_type dyn = {IR_ET_DYNAMIC, ir_shape_dynamic_rank()};
    if (cond == 1)
      op->results[i].type = tt ? *tt : dyn;
    else if (cond == 0)
      op->results[i].type = et ? *et : dyn;
    else if (!tt || !et)
      op->results[i].type = tt ? *tt : et ? *et : dyn;
    else
      IR_TRY(if_union(tt, et, i, &op->results[i].type, d));
  }
  return OVCC_OK;
}

/* ---- k.fused ---- */

ovcc_status ir_shape_fused(ir_op *op, ir_diag *d) {
  if (op->n_bodies != 1 || !op->bodies[0])
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "k.fused needs one body");
  ir_graph *body = op->bodies[0];
  if (body->n_params != op->n_operands || body->n_results != op->n_results)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "k.fused has %u operands and %u results, its body %u Parameters and %u Results",
                  op->n_operands, op->n_results, body->n_params, body->n_results);
  for (uint32_t i = 0; i < op->n_operands; i++) {
    if (!has_in(op, i))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "k.fused operand %u is not connected", i);
    IR_TRY(set_body_param(body, i, &ir_op_operand(op, i)->type, d));
  }
  IR_TRY(infer_body(body, "body", d));
  for (uint32_t i = 0; i < op->n_results; i++) {
    const ir_type *t = body_result_type(body, i);
    if (!t)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "k.fused body Result %u has no input", i);
    op->results[i].type = *t;
  }
  return OVCC_OK;
}
