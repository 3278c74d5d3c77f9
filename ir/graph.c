#include "graph.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

/* ---- model ---- */

ovcc_status ir_model_create(ir_model **out, ir_diag *d) {
  ir_model *m = calloc(1, sizeof *m);
  if (!m)
    return IR_NOMEM(d);
  ir_arena_init(&m->arena);
  m->ir_version = 11;
  m->main = ir_graph_create(m, NULL);
  if (!m->main) {
    ir_model_free(m);
    return IR_NOMEM(d);
  }
  *out = m;
  return OVCC_OK;
}

void ir_model_free(ir_model *m) {
  if (!m)
    return;
  if (m->weights.map)
    munmap(m->weights.map, m->weights.map_size);
  ir_arena_free(&m->arena);
  free(m);
}

/* ---- graphs ---- */

ir_graph *ir_graph_create(ir_model *m, ir_op *parent) {
  ir_graph *g = ir_arena_alloc(&m->arena, sizeof *g);
  if (g) {
    g->model = m;
    g->parent = parent;
  }
  return g;
}

void ir_graph_insert(ir_graph *g, ir_op *op, ir_op *before) {
  op->graph = g;
  if (before) {
    op->next = before;
    op->prev = before->prev;
    if (before->prev)
      before->prev->next = op;
    else
      g->first = op;
    before->prev = op;
  } else {
    op->prev = g->last;
    op->next = NULL;
    if (g->last)
      g->last->next = op;
    else
      g->first = op;
    g->last = op;
  }
  g->n_ops++;
}

static void remove_from(ir_op **arr, uint32_t *n, ir_op *op) {
  for (uint32_t i = 0; i < *n; i++)
    if (arr[i] == op) {
      memmove(arr + i, arr + i + 1, (*n - i - 1) * sizeof *arr);
      (*n)--;
      return;
    }
}

void ir_graph_erase(ir_graph *g, ir_op *op) {
  for (uint32_t i = 0; i < op->n_operands; i++)
    ir_op_set_operand(op, i, NULL);
  if (op->prev)
    op->prev->next = op->next;
  else
    g->first = op->next;
  if (op->next)
    op->next->prev = op->prev;
  else
    g->last = op->prev;
  op->prev = op->next = NULL;
  op->graph = NULL;
  g->n_ops--;
  remove_from(g->params, &g->n_params, op);
  remove_from(g->results, &g->n_results, op);
  remove_from(g->sinks, &g->n_sinks, op);
}

static bool push_op(ir_arena *a, ir_op ***arr, uint32_t *n, uint32_t *cap, ir_op *op) {
  if (*n == *cap) {
    uint32_t nc = *cap ? *cap * 2 : 8;
    ir_op **na = ir_arena_grow(a, *arr, *cap * sizeof(ir_op *), nc * sizeof(ir_op *));
    if (!na)
      return false;
    *arr = na;
    *cap = nc;
  }
  (*arr)[(*n)++] = op;
  return true;
}

bool ir_graph_add_param(ir_graph *g, ir_op *op) {
  return push_op(&g->model->arena, &g->params, &g->n_params, &g->cap_params, op);
}
bool ir_graph_add_result(ir_graph *g, ir_op *op) {
  return push_op(&g->model->arena, &g->results, &g->n_results, &g->cap_results, op);
}
bool ir_graph_add_sink(ir_graph *g, ir_op *op) {
  return push_op(&g->model->arena, &g->sinks, &g->n_sinks, &g->cap_sinks, op);
}

/* ---- ops ---- */

static ir_op *op_alloc(ir_model *m, uint32_t n_operands, uint32_t n_results) {
  ir_op *op = ir_arena_alloc(&m->arena, sizeof *op);
  if (!op)
    return NULL;
  op->xml_id = -1;
  if (n_operands && !(op->operands = ir_arena_alloc(&m->arena, n_operands * sizeof(ir_use))))
    return NULL;
  if (n_results && !(op->results = ir_arena_alloc(&m->arena, n_results * sizeof(ir_value))))
    return NULL;
  op->n_operands = n_operands;
  op->n_results = n_results;
  for (uint32_t i = 0; i < n_operands; i++) {
    op->operands[i].user = op;
    op->operands[i].index = i;
  }
  for (uint32_t i = 0; i < n_results; i++) {
    op->results[i].def = op;
    op->results[i].index = i;
    op->results[i].type.et = IR_ET_DYNAMIC;
    op->results[i].type.shape = ir_shape_dynamic_rank();
  }
  return op;
}

ir_op *ir_op_create(ir_model *m, ir_op_id kind, uint32_t n_operands, uint32_t n_results) {
  const ir_op_info *info = ir_op_info_get(kind);
  if (!info)
    return NULL;
  ir_op *op = op_alloc(m, n_operands, n_results);
  if (!op)
    return NULL;
  op->kind = kind;
  op->info = info;
  op->type_name = info->name;
  return op;
}

ir_op *ir_op_create_opaque(ir_model *m, const char *type, const char *version,
                           uint32_t n_operands, uint32_t n_results) {
  ir_op *op = op_alloc(m, n_operands, n_results);
  if (!op)
    return NULL;
  op->kind = IR_OP_OPAQUE;
  op->type_name = ir_arena_strdup(&m->arena, type);
  op->version_name = version ? ir_arena_strdup(&m->arena, version) : NULL;
  if (!op->type_name || (version && !op->version_name))
    return NULL;
  return op;
}

void ir_op_set_operand(ir_op *op, uint32_t i, ir_value *v) {
  ir_use *u = &op->operands[i];
  if (u->value) { /* unlink from the old value's use list */
    if (u->prev)
      u->prev->next = u->next;
    else
      u->value->uses = u->next;
    if (u->next)
      u->next->prev = u->prev;
  }
  u->value = v;
  u->prev = NULL;
  u->next = NULL;
  if (v) {
    u->next = v->uses;
    if (v->uses)
      v->uses->prev = u;
    v->uses = u;
  }
}

bool ir_op_set_attr(ir_model *m, ir_op *op, const char *name, const ir_attr_value *v) {
  ir_attr_value copy;
  if (!ir_attr_value_copy(&m->arena, &copy, v))
    return false;
  for (uint32_t i = 0; i < op->n_attrs; i++)
    if (strcmp(op->attrs[i].name, name) == 0) {
      op->attrs[i].val = copy;
      return true;
    }
  ir_attr *na = ir_arena_grow(&m->arena, op->attrs, op->n_attrs * sizeof(ir_attr),
                              (op->n_attrs + 1) * sizeof(ir_attr));
  if (!na)
    return false;
  if (!(na[op->n_attrs].name = ir_arena_strdup(&m->arena, name)))
    return false;
  na[op->n_attrs].val = copy;
  op->attrs = na;
  op->n_attrs++;
  return true;
}

const ir_attr_value *ir_op_attr(const ir_op *op, const char *name) {
  for (uint32_t i = 0; i < op->n_attrs; i++)
    if (strcmp(op->attrs[i].name, name) == 0)
      return &op->attrs[i].val;
  return NULL;
}

int64_t ir_op_attr_int(const ir_op *op, const char *name, int64_t fallback) {
  const ir_attr_value *v = ir_op_attr(op, name);
  return v && v->kind == IR_ATTR_INT ? v->u.i : fallback;
}

double ir_op_attr_float(const ir_op *op, const char *name, double fallback) {
  const ir_attr_value *v = ir_op_attr(op, name);
  if (v && v->kind == IR_ATTR_FLOAT)
    return v->u.f;
  return v && v->kind == IR_ATTR_INT ? (double)v->u.i : fallback;
}

bool ir_op_attr_bool(const ir_op *op, const char *name, bool fallback) {
  const ir_attr_value *v = ir_op_attr(op, name);
  return v && v->kind == IR_ATTR_BOOL ? v->u.b : fallback;
}

const char *ir_op_attr_str(const ir_op *op, const char *name, const char *fallback) {
  const ir_attr_value *v = ir_op_attr(op, name);
  return v && v->kind == IR_ATTR_STR ? v->u.s : fallback;
}

const int64_t *ir_op_attr_ints(const ir_op *op, const char *name, uint32_t *n) {
  const ir_attr_value *v = ir_op_attr(op, name);
  if (!v || v->kind != IR_ATTR_INTS) {
    *n = 0;
    return NULL;
  }
  *n = v->u.ints.n;
  return v->u.ints.v;
}

/* Finds `s` among "a|b|c" case-insensitively; returns the schema spelling.
 * An entry "alias=name" accepts `alias` and returns `name`. */
static const char *enum_match(ir_arena *a, const char *enums, const char *s) {
  size_t sl = strlen(s);
  for (const char *p = enums; *p;) {
    const char *bar = strchr(p, '|');
    size_t n = bar ? (size_t)(bar - p) : strlen(p);
    const char *eq = memchr(p, '=', n);
    size_t key = eq ? (size_t)(eq - p) : n;
    if (key == sl && strncasecmp(p, s, key) == 0)
      return eq ? ir_arena_strndup(a, eq + 1, n - key - 1) : ir_arena_strndup(a, p, n);
    if (!bar)
      break;
    p = bar + 1;
  }
  return NULL;
}

ovcc_status ir_op_apply_schema(ir_model *m, ir_op *op, ir_diag *d) {
  if (!op->info)
    return OVCC_OK;
  const ir_op_info *in = op->info;
  ir_attr *sorted = ir_arena_alloc(&m->arena, (in->n_attrs + 1) * sizeof(ir_attr));
  if (!sorted)
    return IR_NOMEM(d);
  uint32_t n = 0;
  for (uint32_t i = 0; i < in->n_attrs; i++) {
    const ir_attr_schema *s = &in->attrs[i];
    const ir_attr_value *have = ir_op_attr(op, s->name);
    ir_attr_value v;
    if (have) {
      if (have->kind != s->kind)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "attribute '%s': expected %s, got %s", s->name,
                      ir_attr_kind_name(s->kind), ir_attr_kind_name(have->kind));
      v = *have;
    } else if (s->required) {
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "missing required attribute '%s'", s->name);
    } else if (!s->def) {
      continue; /* optional without default (port maps): absent */
    } else if (!ir_attr_parse_xml(&m->arena, s->kind, s->def, &v, d)) {
      ir_diag_prefix(d, "default of attribute '%s': ", s->name);
      d->status = OVCC_ERR_INTERNAL;
      return OVCC_ERR_INTERNAL;
    }
    if (s->enums && v.kind == IR_ATTR_STR) {
      const char *canon = enum_match(&m->arena, s->enums, v.u.s);
      if (!canon)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "attribute '%s': '%s' is not one of %s", s->name,
                      v.u.s, s->enums);
      v.u.s = canon;
    }
    sorted[n].name = s->name;
    sorted[n].val = v;
    n++;
  }
  op->attrs = sorted;
  op->n_attrs = n;
  return OVCC_OK;
}

void ir_op_type_str(const ir_op *op, char *buf, size_t cap) {
  if (op->info)
    snprintf(buf, cap, "%s-%u", op->info->name, op->info->version);
  else
    snprintf(buf, cap, "%s (%s)", op->type_name ? op->type_name : "?",
             op->version_name ? op->version_name : "no version");
}

void ir_op_describe(const ir_op *op, char *buf, size_t cap) {
  char t[128], where[512] = "";
  ir_op_type_str(op, t, sizeof t);
  if (op->loc.file && op->loc.col)
    snprintf(where, sizeof where, "%s:%d:%d: ", op->loc.file, op->loc.line, op->loc.col);
  else if (op->loc.file && op->loc.line)
    snprintf(where, sizeof where, "%s:%d: ", op->loc.file, op->loc.line);
  else if (op->loc.file)
    snprintf(where, sizeof where, "%s: ", op->loc.file);
  if (op->xml_id >= 0)
    snprintf(buf, cap, "%slayer '%s' (id %" PRId64 ", %s)", where, op->name ? op->name : "",
             op->xml_id, t);
  else if (op->name)
    snprintf(buf, cap, "%s'%s' (%s)", where, op->name, t);
  else
    snprintf(buf, cap, "%s%s", where, t);
}

void ir_value_replace_uses(ir_value *from, ir_value *to) {
  while (from->uses) {
    ir_use *u = from->uses;
    ir_op_set_operand(u->user, u->index, to);
  }
}

uint32_t ir_value_num_uses(const ir_value *v) {
  uint32_t n = 0;
  for (const ir_use *u = v->uses; u; u = u->next)
    n++;
  return n;
}

bool ir_value_set_names(ir_model *m, ir_value *v, const char *const *names, uint32_t n) {
  const char **arr = n ? ir_arena_alloc(&m->arena, n * sizeof(char *)) : NULL;
  if (n && !arr)
    return false;
  for (uint32_t i = 0; i < n; i++)
    if (!(arr[i] = ir_arena_strdup(&m->arena, names[i])))
      return false;
  v->names = arr;
  v->n_names = n;
  return true;
}

/* ---- constants and known values ---- */

ir_op *ir_const_create(ir_model *m, const ir_type *t, const void *data, uint64_t nbytes) {
  ir_op *op = ir_op_create(m, IR_OP_CONSTANT_1, 0, 1);
  if (!op)
    return NULL;
  ir_const *c = ir_arena_alloc(&m->arena, sizeof *c);
  if (!c)
    return NULL;
  c->data = ir_arena_memdup(&m->arena, data, nbytes);
  if (!c->data)
    return NULL;
  c->nbytes = nbytes;
  c->bin_offset = -1;
  op->cst = c;
  op->results[0].type = *t;
  ir_attr_value et = {.kind = IR_ATTR_ETYPE, .u.et = t->et};
  ir_attr_value sh = {.kind = IR_ATTR_SHAPE, .u.shape = (ir_shape *)&t->shape};
  if (!ir_op_set_attr(m, op, "element_type", &et) || !ir_op_set_attr(m, op, "shape", &sh))
    return NULL;
  return op;
}

bool ir_const_tensor(const ir_op *op, ir_tensor *out) {
  if (op->kind != IR_OP_CONSTANT_1 || !op->cst)
    return false;
  const ir_type *t = &op->results[0].type;
  if (!ir_shape_numel(&t->shape, &out->numel))
    return false;
  out->et = t->et;
  out->shape = t->shape;
  out->data = (void *)op->cst->data;
  out->nbytes = op->cst->nbytes;
  return true;
}

ir_tensor *ir_tensor_alloc(ir_model *m, ir_etype et, const ir_shape *s) {
  uint64_t numel, nbytes;
  if (!ir_shape_numel(s, &numel) || !ir_etype_nbytes(et, numel, &nbytes) || nbytes > SIZE_MAX / 2)
    return NULL;
  ir_tensor *t = ir_arena_alloc(&m->arena, sizeof *t);
  if (!t)
    return NULL;
  t->data = ir_arena_alloc(&m->arena, (size_t)nbytes);
  if (!t->data)
    return NULL;
  t->et = et;
  t->shape = *s;
  t->numel = numel;
  t->nbytes = nbytes;
  return t;
}

const ir_tensor *ir_value_known(const ir_value *v) {
  if (!v)
    return NULL;
  if (v->known)
    return v->known;
  return NULL;
}

int ir_value_known_ints(const ir_value *v, int64_t *out, int max) {
  const ir_tensor *t = ir_value_known(v);
  ir_tensor ct;
  if (!t && v && v->def && v->def->kind == IR_OP_CONSTANT_1 && ir_const_tensor(v->def, &ct))
    t = &ct;
  if (!t || t->shape.rank > 1 || !(ir_etype_is_int(t->et) || ir_etype_is_float(t->et)))
    return -1;
  if (t->numel > (uint64_t)max)
    return -1;
  for (uint64_t i = 0; i < t->numel; i++)
    out[i] = ir_elem_get_i64(t->et, t->data, i);
  return (int)t->numel;
}

/* ---- walking ---- */

ovcc_status ir_model_walk_graphs(ir_model *m, ovcc_status (*fn)(ir_graph *, void *), void *ctx) {
  /* Explicit stack: nesting depth is input controlled. */
  uint32_t cap = 16, n = 0;
  ir_graph **stack = malloc(cap * sizeof *stack);
  if (!stack)
    return OVCC_ERR_NOMEM;
  stack[n++] = m->main;
  ovcc_status st = OVCC_OK;
  while (n && st == OVCC_OK) {
    ir_graph *g = stack[--n];
    st = fn(g, ctx);
    if (st != OVCC_OK)
      break;
    /* push bodies in reverse so they are visited in op order */
    for (ir_op *op = g->last; op; op = op->prev)
      for (uint32_t b = op->n_bodies; b-- > 0;) {
        if (n == cap) {
          ir_graph **ns = realloc(stack, cap * 2 * sizeof *stack);
          if (!ns) {
            free(stack);
            return OVCC_ERR_NOMEM;
          }
          stack = ns;
          cap *= 2;
        }
        stack[n++] = op->bodies[b];
      }
  }
  free(stack);
  return st;
}
