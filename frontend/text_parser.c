/* Textual IR reader (docs/textual-ir.md): builds an ir_model exactly as the
 * XML reader would — ops in text order, Parameters/Results/Assigns registered
 * in that order, attributes coerced to their schema kind and completed with
 * defaults, declared result types from `: types`, bodies with their own value
 * scopes — then runs type inference (non-strict) and the verifier.
 *
 * Every error is "name:line:col: message" with d->line/col set. Body nesting
 * is bounded by FE_MAX_BODY_DEPTH and value nesting by TP_MAX_VALUE_DEPTH, so
 * the recursive descent is bounded by constants. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_internal.h"

/* ---- value scopes: name -> value, one per graph ---- */

typedef struct scope_ent {
  const char *name; /* into the source text */
  size_t n;
  ir_value *v;
  int line;
} scope_ent;

typedef struct scope {
  scope_ent *t;
  uint32_t cap, n;
} scope;

static uint32_t hash_name(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (uint8_t)s[i]) * 16777619u;
  return h;
}

static scope_ent *scope_find(scope *s, const char *name, size_t n) {
  if (!s->cap)
    return NULL;
  for (uint32_t i = hash_name(name, n) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
    scope_ent *e = &s->t[i];
    if (!e->name)
      return NULL;
    if (e->n == n && memcmp(e->name, name, n) == 0)
      return e;
  }
}

static bool scope_add(ir_arena *a, scope *s, const char *name, size_t n, ir_value *v, int line) {
  if (2 * (s->n + 1) > s->cap) {
    uint32_t nc = s->cap ? s->cap * 2 : 64;
    scope_ent *nt = ir_arena_alloc(a, nc * sizeof *nt);
    if (!nt)
      return false;
    for (uint32_t i = 0; i < s->cap; i++) {
      if (!s->t[i].name)
        continue;
      uint32_t j = hash_name(s->t[i].name, s->t[i].n) & (nc - 1);
      while (nt[j].name)
        j = (j + 1) & (nc - 1);
      nt[j] = s->t[i];
    }
    s->t = nt;
    s->cap = nc;
  }
  uint32_t j = hash_name(name, n) & (s->cap - 1);
  while (s->t[j].name)
    j = (j + 1) & (s->cap - 1);
  s->t[j] = (scope_ent){name, n, v, line};
  s->n++;
  return true;
}

/* ---- helpers ---- */

static ovcc_status expect(tp *p, tl_kind k, const char *what) {
  if (p->lx.tok.kind != k) {
    char b[64];
    return tl_error_tok(&p->lx, "expected %s, got %s", what, tl_describe(&p->lx.tok, b, sizeof b));
  }
  return tl_next(&p->lx);
}

static ovcc_status unexpected(tp *p, const char *what) {
  char b[64];
  return tl_error_tok(&p->lx, "expected %s, got %s", what, tl_describe(&p->lx.tok, b, sizeof b));
}

static ovcc_status at_error(tp *p, const tp_attr *a, const char *fmt, const char *x) {
  return tl_error(&p->lx, a->line, a->col, fmt, a->key, x);
}

/* Deep copy of a scratch value into the model arena (NULL for an empty dict). */
static ovcc_status keep_dict(tp *p, const ir_attr_value *v, ir_attr_value **out) {
  if (v->u.dict.n == 0) {
    *out = NULL;
    return OVCC_OK;
  }
  ir_attr_value *c = ir_arena_alloc(&p->m->arena, sizeof *c);
  if (!c || !ir_attr_value_copy(&p->m->arena, c, v))
    return IR_NOMEM(p->d);
  *out = c;
  return OVCC_OK;
}

/* Relocates the current message to a place in the text. */
static ovcc_status locate(tp *p, ovcc_status st, int line, int col) {
  if (st == OVCC_ERR_NOMEM)
    return st;
  ir_diag_prefix(p->d, "%s:%d:%d: ", p->file, line, col);
  p->d->status = st;
  p->d->line = line;
  p->d->col = col;
  return st;
}

/* ---- graph attributes ---- */

static ovcc_status map_weights(tp *p, const tp_attr *a) {
  if (a->v.kind != IR_ATTR_STR || !*a->v.u.s)
    return at_error(p, a, "graph attribute '%s' must be a non-empty path string%s", "");
  const char *path = a->v.u.s;
  char *full = (char *)path;
  if (path[0] != '/' && p->base_dir && *p->base_dir) {
    size_t bl = strlen(p->base_dir), pl = strlen(path);
    if (!(full = ir_arena_alloc(&p->scratch, bl + pl + 2)))
      return IR_NOMEM(p->d);
    memcpy(full, p->base_dir, bl);
    full[bl] = '/';
    memcpy(full + bl + 1, path, pl + 1);
  }
  ovcc_status st = fe_weights_map_file(p->m, full, false, p->d);
  if (st != OVCC_OK)
    return locate(p, st, a->line, a->col);
  /* Kept as written, so that printing gives the same text back. */
  if (!(p->m->weights.path = ir_arena_strdup(&p->m->arena, path)))
    return IR_NOMEM(p->d);
  return OVCC_OK;
}

static ovcc_status graph_attrs(tp *p, const tp_dict *g) {
  for (uint32_t i = 0; i < g->n; i++) {
    const tp_attr *a = &g->items[i];
    if (strcmp(a->key, "ir_version") == 0) {
      if (a->v.kind != IR_ATTR_INT || a->v.u.i < 1 || a->v.u.i > INT_MAX)
        return at_error(p, a, "graph attribute '%s' must be a positive integer%s", "");
      p->m->ir_version = (int)a->v.u.i;
    } else if (strcmp(a->key, "weights") == 0) {
      IR_TRY(map_weights(p, a));
    } else if (strcmp(a->key, "rt_info") == 0 || strcmp(a->key, "meta_data") == 0) {
      if (a->v.kind != IR_ATTR_DICT)
        return at_error(p, a, "graph attribute '%s' must be a dict%s", "");
      IR_TRY(keep_dict(p, &a->v, a->key[0] == 'r' ? &p->m->rt_info : &p->m->meta));
    } else {
      return at_error(p, a, "unknown graph attribute '%s' (expected ir_version, weights, "
                            "rt_info or meta_data)%s", "");
    }
  }
  return OVCC_OK;
}

/* ---- one op ---- */

/* What the text says about one op before the op exists. */
typedef struct op_text {
  int line, col;
  tl_token name;
  tl_token *res; /* result names */
  uint32_t n_res;
  ir_value **args;
  uint32_t n_args;
  tp_dict attrs, meta;
  ir_type *types;
  uint32_t n_types;
  bool has_types;
  tp_cst cst;
} op_text;

static ovcc_status parse_graph(tp *p, ir_graph *g, int depth);

/* '{' 'graph' not followed by '=': bodies, not an attribute dict. */
static bool at_bodies(tp *p) {
  if (p->lx.tok.kind != TK_LBRACE)
    return false;
  tl_lexer peek = p->lx;
  ir_diag local;
  ir_diag_clear(&local);
  peek.d = &local;
  if (tl_next(&peek) != OVCC_OK || !tl_is_ident(&peek.tok, "graph"))
    return false;
  return tl_next(&peek) == OVCC_OK && peek.tok.kind != TK_EQ;
}

static ovcc_status grow_tokens(tp *p, tl_token **arr, uint32_t n, uint32_t *cap) {
  if (n < *cap)
    return OVCC_OK;
  uint32_t nc = *cap ? *cap * 2 : 4;
  tl_token *na = ir_arena_grow(&p->scratch, *arr, *cap * sizeof **arr, nc * sizeof **arr);
  if (!na)
    return IR_NOMEM(p->d);
  *arr = na;
  *cap = nc;
  return OVCC_OK;
}

static ovcc_status parse_results(tp *p, scope *s, op_text *o) {
  uint32_t cap = 0;
  for (;;) {
    if (p->lx.tok.kind != TK_VALUE)
      return expect(p, TK_VALUE, "a result name (%name)");
    const tl_token *t = &p->lx.tok;
    scope_ent *e = scope_find(s, t->p, t->n);
    if (e)
      return tl_error_tok(&p->lx, "value '%%%.*s' defined twice (first at line %d)", (int)t->n,
                          t->p, e->line);
    for (uint32_t i = 0; i < o->n_res; i++)
      if (o->res[i].n == t->n && memcmp(o->res[i].p, t->p, t->n) == 0)
        return tl_error_tok(&p->lx, "value '%%%.*s' defined twice in one result list", (int)t->n,
                            t->p);
    IR_TRY(grow_tokens(p, &o->res, o->n_res, &cap));
    o->res[o->n_res++] = *t;
    IR_TRY(tl_next(&p->lx));
    if (p->lx.tok.kind != TK_COMMA)
      break;
    IR_TRY(tl_next(&p->lx));
  }
  return expect(p, TK_EQ, "',' or '=' after the results");
}

static ovcc_status parse_operands(tp *p, scope *s, op_text *o) {
  IR_TRY(expect(p, TK_LPAREN, "'(' after the op name"));
  uint32_t cap = 0;
  while (p->lx.tok.kind != TK_RPAREN) {
    if (o->n_args)
      IR_TRY(expect(p, TK_COMMA, "',' or ')' in the operands"));
    const tl_token *t = &p->lx.tok;
    if (t->kind != TK_VALUE)
      return expect(p, TK_VALUE, o->n_args ? "an operand (%name)" : "an operand (%name) or ')'");
    scope_ent *e = scope_find(s, t->p, t->n);
    if (!e)
      return tl_error_tok(&p->lx, "use of undefined value '%%%.*s'", (int)t->n, t->p);
    if (o->n_args == cap) {
      uint32_t nc = cap ? cap * 2 : 4;
      ir_value **na = ir_arena_grow(&p->scratch, o->args, cap * sizeof *na, nc * sizeof *na);
      if (!na)
        return IR_NOMEM(p->d);
      o->args = na;
      cap = nc;
    }
    o->args[o->n_args++] = e->v;
    IR_TRY(tl_next(&p->lx));
  }
  return tl_next(&p->lx);
}

static ovcc_status parse_types(tp *p, op_text *o) {
  uint32_t cap = 0;
  o->has_types = true;
  for (;;) {
    if (o->n_types == cap) {
      uint32_t nc = cap ? cap * 2 : 4;
      ir_type *nt = ir_arena_grow(&p->scratch, o->types, cap * sizeof *nt, nc * sizeof *nt);
      if (!nt)
        return IR_NOMEM(p->d);
      o->types = nt;
      cap = nc;
    }
    IR_TRY(tp_parse_type(&p->lx, &o->types[o->n_types++]));
    if (p->lx.tok.kind != TK_COMMA)
      return OVCC_OK;
    IR_TRY(tl_next(&p->lx));
  }
}

/* The op's textual parts, up to (not including) its bodies. */
static ovcc_status parse_op_text(tp *p, scope *s, op_text *o) {
  o->line = p->lx.tok.line;
  o->col = p->lx.tok.col;
  if (p->lx.tok.kind == TK_VALUE)
    IR_TRY(parse_results(p, s, o));
  const tl_token *t = &p->lx.tok;
  if (t->kind != TK_IDENT || !((t->n > 3 && memcmp(t->p, "ov.", 3) == 0) ||
                               (t->n > 2 && memcmp(t->p, "k.", 2) == 0)))
    return unexpected(p, o->n_res ? "an op name (ov.<Type> or k.<name>)"
                                  : "an op (ov.<Type>(...), %x = ...) or '}'");
  o->name = *t;
  IR_TRY(tl_next(&p->lx));
  IR_TRY(parse_operands(p, s, o));
  ir_op_id kind;
  bool is_const = ir_op_resolve_text(o->name.p, o->name.n, &kind) && kind == IR_OP_CONSTANT_1;
  o->cst.p = p;
  if (p->lx.tok.kind == TK_LBRACE && !at_bodies(p))
    IR_TRY(tp_parse_dict(&p->lx, &p->scratch, &o->attrs, is_const ? tp_const_raw : NULL, &o->cst));
  if (p->lx.tok.kind == TK_COLON) {
    IR_TRY(tl_next(&p->lx));
    IR_TRY(parse_types(p, o));
  }
  if (tl_is_ident(&p->lx.tok, "meta")) {
    IR_TRY(tl_next(&p->lx));
    IR_TRY(tp_parse_dict(&p->lx, &p->scratch, &o->meta, NULL, NULL));
  }
  return OVCC_OK;
}

static const tp_attr *dict_find(const tp_dict *dd, const char *key) {
  for (uint32_t i = 0; i < dd->n; i++)
    if (strcmp(dd->items[i].key, key) == 0)
      return &dd->items[i];
  return NULL;
}

/* Creates the op (registered or opaque) with operand and result counts checked. */
static ovcc_status create_op(tp *p, op_text *o, ir_op **out) {
  const tl_token *nm = &o->name;
  const tp_attr *ver = dict_find(&o->meta, "version");
  ir_op_id kind;
  ir_op *op;
  if (ver) { /* an op type ovcc does not know, as read from XML */
    if (ver->v.kind != IR_ATTR_STR)
      return at_error(p, ver, "meta '%s' must be a string%s", "");
    if (nm->n <= 3 || memcmp(nm->p, "ov.", 3) != 0)
      return tl_error(&p->lx, nm->line, nm->col, "an opaque op (meta version) must be named ov.<Type>");
    char *type = ir_arena_strndup(&p->scratch, nm->p + 3, nm->n - 3);
    if (!type)
      return IR_NOMEM(p->d);
    op = ir_op_create_opaque(p->m, type, *ver->v.u.s ? ver->v.u.s : NULL, o->n_args, o->n_res);
  } else {
    if (!ir_op_resolve_text(nm->p, nm->n, &kind))
      return tl_error(&p->lx, nm->line, nm->col,
                      "unknown op '%.*s' (an op type ovcc does not know needs meta {version = "
                      "\"...\"})", (int)nm->n, nm->p);
    const ir_op_info *in = ir_op_info_get(kind);
    int n = (int)o->n_args;
    if (n < in->min_in || (in->max_in >= 0 && n > in->max_in)) {
      if (in->max_in < 0)
        return tl_error(&p->lx, nm->line, nm->col, "%.*s expects at least %d operands, got %d",
                        (int)nm->n, nm->p, in->min_in, n);
      if (in->min_in == in->max_in)
        return tl_error(&p->lx, nm->line, nm->col, "%.*s expects %d operands, got %d", (int)nm->n,
                        nm->p, in->min_in, n);
      return tl_error(&p->lx, nm->line, nm->col, "%.*s expects %d to %d operands, got %d",
                      (int)nm->n, nm->p, in->min_in, in->max_in, n);
    }
    if (in->n_out >= 0 && (uint32_t)in->n_out != o->n_res)
      return tl_error(&p->lx, o->line, o->col, "%.*s has %d result%s, got %u", (int)nm->n, nm->p,
                      in->n_out, in->n_out == 1 ? "" : "s", o->n_res);
    op = ir_op_create(p->m, kind, o->n_args, o->n_res);
  }
  if (!op)
    return IR_NOMEM(p->d);
  op->loc = (ir_loc){p->file, o->line, o->col};
  for (uint32_t i = 0; i < o->n_args; i++)
    ir_op_set_operand(op, i, o->args[i]);
  *out = op;
  return OVCC_OK;
}

static ovcc_status set_attrs(tp *p, const op_text *o, ir_op *op) {
  for (uint32_t i = 0; i < o->attrs.n; i++) {
    const tp_attr *a = &o->attrs.items[i];
    ir_attr_value v = a->v;
    if (!op->info) {
      if (a->v.kind != IR_ATTR_STR)
        return at_error(p, a, "attribute '%s' of an opaque op must be a string, got %s",
                        ir_attr_kind_name(a->v.kind));
    } else if (op->kind == IR_OP_CONSTANT_1 &&
               (strcmp(a->key, "offset") == 0 || strcmp(a->key, "size") == 0)) {
      continue; /* data location: tp_const_data */
    } else {
      int si = ir_op_schema_index(op->kind, a->key);
      if (si < 0) {
        char t[96];
        ir_op_type_str(op, t, sizeof t);
        return at_error(p, a, "unknown attribute '%s' for %s", t);
      }
      if (!tp_coerce(&p->scratch, op->info->attrs[si].kind, &a->v, &v, p->d)) {
        if (p->d->status == OVCC_ERR_NOMEM)
          return OVCC_ERR_NOMEM;
        ir_diag_prefix(p->d, "attribute '%s': ", a->key);
        return locate(p, OVCC_ERR_INVALID_MODEL, a->line, a->col);
      }
    }
    if (!ir_op_set_attr(p->m, op, a->key, &v))
      return IR_NOMEM(p->d);
  }
  return OVCC_OK;
}

static bool is_str_list(const ir_attr_value *v) {
  return v->kind == IR_ATTR_STRS || (v->kind == IR_ATTR_LIST && v->u.list.n == 0);
}

/* A per-result meta list (names, port_rt_info): one entry per result. */
static ovcc_status per_result(tp *p, const tp_attr *a, const ir_op *op, bool dicts) {
  const ir_attr_value *v = &a->v;
  uint32_t n = v->kind == IR_ATTR_LIST ? v->u.list.n : 0;
  if (v->kind != IR_ATTR_LIST && !(v->kind == IR_ATTR_STRS && op->n_results == 0))
    return at_error(p, a, "meta '%s' must be a list with one %s per result",
                    dicts ? "dict" : "string list");
  if (n != op->n_results)
    return tl_error(&p->lx, a->line, a->col, "meta '%s' has %u entries for %u results", a->key, n,
                    op->n_results);
  for (uint32_t i = 0; i < n; i++) {
    const ir_attr_value *e = &v->u.list.v[i];
    ir_value *r = &op->results[i];
    if (dicts) {
      if (e->kind != IR_ATTR_DICT)
        return at_error(p, a, "meta '%s' entries must be dicts%s", "");
      IR_TRY(keep_dict(p, e, &r->rt_info));
    } else {
      if (!is_str_list(e))
        return at_error(p, a, "meta '%s' entries must be lists of strings%s", "");
      uint32_t k = e->kind == IR_ATTR_STRS ? e->u.strs.n : 0;
      if (k && !ir_value_set_names(p->m, r, e->u.strs.v, k))
        return IR_NOMEM(p->d);
    }
  }
  return OVCC_OK;
}

static ovcc_status set_meta(tp *p, const op_text *o, ir_op *op) {
  for (uint32_t i = 0; i < o->meta.n; i++) {
    const tp_attr *a = &o->meta.items[i];
    const ir_attr_value *v = &a->v;
    if (strcmp(a->key, "name") == 0) {
      if (v->kind != IR_ATTR_STR)
        return at_error(p, a, "meta '%s' must be a string%s", "");
      if (!(op->name = ir_arena_strdup(&p->m->arena, v->u.s)))
        return IR_NOMEM(p->d);
    } else if (strcmp(a->key, "id") == 0) {
      if (v->kind != IR_ATTR_INT || v->u.i < 0)
        return at_error(p, a, "meta '%s' must be a non-negative integer%s", "");
      op->xml_id = v->u.i;
    } else if (strcmp(a->key, "rt_info") == 0) {
      if (v->kind != IR_ATTR_DICT)
        return at_error(p, a, "meta '%s' must be a dict%s", "");
      IR_TRY(keep_dict(p, v, &op->rt_info));
    } else if (strcmp(a->key, "names") == 0 || strcmp(a->key, "port_rt_info") == 0) {
      IR_TRY(per_result(p, a, op, a->key[0] == 'p'));
    } else if (strcmp(a->key, "version") != 0) { /* version: create_op */
      return at_error(p, a, "unknown meta field '%s' (expected name, id, rt_info, names, "
                            "port_rt_info or version)%s", "");
    }
  }
  return OVCC_OK;
}

static ovcc_status parse_bodies(tp *p, ir_op *op, int depth) {
  uint32_t want = 0;
  if (op->info && (op->info->flags & OPF_REGION))
    want = op->kind == IR_OP_IF_8 ? 2 : 1;
  char t[96];
  ir_op_type_str(op, t, sizeof t);
  if (p->lx.tok.kind != TK_LBRACE) {
    if (want)
      return tl_error(&p->lx, op->loc.line, op->loc.col, "%s needs %u bod%s", t, want,
                      want == 1 ? "y" : "ies");
    return OVCC_OK;
  }
  if (!want)
    return tl_error_tok(&p->lx, "%s has no bodies", t);
  if (depth + 1 > FE_MAX_BODY_DEPTH)
    return tl_error_tok(&p->lx, "bodies nested deeper than %d levels", FE_MAX_BODY_DEPTH);
  int line = p->lx.tok.line, col = p->lx.tok.col;
  IR_TRY(tl_next(&p->lx));
  if (!(op->bodies = ir_arena_alloc(&p->m->arena, want * sizeof *op->bodies)))
    return IR_NOMEM(p->d);
  uint32_t n = 0;
  while (tl_is_ident(&p->lx.tok, "graph")) {
    if (n == want)
      return tl_error_tok(&p->lx, "%s has %u bod%s, got more", t, want, want == 1 ? "y" : "ies");
    ir_graph *g = ir_graph_create(p->m, op);
    if (!g)
      return IR_NOMEM(p->d);
    op->bodies[n++] = g;
    op->n_bodies = n;
    IR_TRY(parse_graph(p, g, depth + 1));
  }
  if (n != want)
    return tl_error(&p->lx, line, col, "%s needs %u bod%s, got %u", t, want,
                    want == 1 ? "y" : "ies", n);
  return expect(p, TK_RBRACE, "'graph' or '}' after the bodies");
}

static ovcc_status register_op(tp *p, ir_graph *g, ir_op *op) {
  bool ok = true;
  if (op->kind == IR_OP_PARAMETER_1)
    ok = ir_graph_add_param(g, op);
  else if (op->kind == IR_OP_RESULT_1)
    ok = ir_graph_add_result(g, op);
  else if (op->kind == IR_OP_ASSIGN_3 || op->kind == IR_OP_ASSIGN_6)
    ok = ir_graph_add_sink(g, op);
  return ok ? OVCC_OK : IR_NOMEM(p->d);
}

static ovcc_status parse_op(tp *p, ir_graph *g, scope *s, int depth) {
  op_text o;
  memset(&o, 0, sizeof o);
  IR_TRY(parse_op_text(p, s, &o));
  ir_op *op = NULL;
  IR_TRY(create_op(p, &o, &op));
  IR_TRY(set_attrs(p, &o, op));
  if (o.has_types) {
    if (o.n_types != o.n_res)
      return tl_error(&p->lx, o.line, o.col, "%u result type%s for %u result%s", o.n_types,
                      o.n_types == 1 ? "" : "s", o.n_res, o.n_res == 1 ? "" : "s");
    for (uint32_t i = 0; i < o.n_res; i++)
      op->results[i].type = o.types[i];
  }
  IR_TRY(set_meta(p, &o, op));
  IR_TRY(parse_bodies(p, op, depth));
  ovcc_status st = ir_op_apply_schema(p->m, op, p->d);
  if (st != OVCC_OK) {
    char t[96];
    ir_op_type_str(op, t, sizeof t);
    ir_diag_prefix(p->d, "%s: ", t);
    return locate(p, st, o.line, o.col);
  }
  if (op->kind == IR_OP_CONSTANT_1)
    IR_TRY(tp_const_data(p, op, &o.cst, &o.attrs));
  else if (o.cst.has_value || o.cst.has_hex)
    return tl_error(&p->lx, o.cst.line, o.cst.col, "only a Constant has a value");
  ir_graph_insert(g, op, NULL);
  IR_TRY(register_op(p, g, op));
  for (uint32_t i = 0; i < o.n_res; i++)
    if (!scope_add(&p->scratch, s, o.res[i].p, o.res[i].n, &op->results[i], o.res[i].line))
      return IR_NOMEM(p->d);
  return OVCC_OK;
}

/* ---- graphs ---- */

static ovcc_status graph_name(tp *p, ir_graph *g) {
  const tl_token *t = &p->lx.tok;
  char *name;
  size_t n;
  if (t->quoted) {
    IR_TRY(tl_string(&p->lx, t, &p->m->arena, &name, &n));
    if (strlen(name) != n)
      return tl_error_tok(&p->lx, "a graph name cannot contain a NUL byte");
  } else if (!(name = ir_arena_strndup(&p->m->arena, t->p, t->n))) {
    return IR_NOMEM(p->d);
  }
  if (g->parent)
    g->name = name;
  else
    p->m->name = name;
  return tl_next(&p->lx);
}

static ovcc_status parse_graph(tp *p, ir_graph *g, int depth) {
  if (!tl_is_ident(&p->lx.tok, "graph"))
    return unexpected(p, "'graph'");
  IR_TRY(tl_next(&p->lx));
  if (p->lx.tok.kind == TK_AT)
    IR_TRY(graph_name(p, g));
  if (tl_is_ident(&p->lx.tok, "attributes")) {
    if (g->parent)
      return tl_error_tok(&p->lx, "only the top-level graph has attributes");
    IR_TRY(tl_next(&p->lx));
    tp_dict attrs;
    IR_TRY(tp_parse_dict(&p->lx, &p->scratch, &attrs, NULL, NULL));
    IR_TRY(graph_attrs(p, &attrs));
  }
  IR_TRY(expect(p, TK_LBRACE, "'{' to open the graph"));
  scope s = {0};
  while (p->lx.tok.kind != TK_RBRACE) {
    if (p->lx.tok.kind == TK_EOF)
      return expect(p, TK_RBRACE, "an op or '}'");
    IR_TRY(parse_op(p, g, &s, depth));
  }
  return tl_next(&p->lx);
}

/* ---- entry points ---- */

static ovcc_status parse_all(tp *p, const char *text, size_t len) {
  tl_init(&p->lx, text, len, p->file, p->d);
  IR_TRY(tl_next(&p->lx));
  IR_TRY(parse_graph(p, p->m->main, 0));
  if (p->lx.tok.kind != TK_EOF) {
    char b[64];
    return tl_error_tok(&p->lx, "expected end of input after the graph, got %s",
                        tl_describe(&p->lx.tok, b, sizeof b));
  }
  return OVCC_OK;
}

ovcc_status fe_read_text(const char *text, size_t len, const char *name, const char *base_dir,
                         ir_model **out, ir_diag *d) {
  ir_model *m;
  IR_TRY(ir_model_create(&m, d));
  tp p;
  memset(&p, 0, sizeof p);
  p.m = m;
  p.d = d;
  p.base_dir = base_dir;
  ir_arena_init(&p.scratch);
  ovcc_status st = OVCC_OK;
  if (!(p.file = ir_arena_strdup(&m->arena, name ? name : "<text>")))
    st = IR_NOMEM(d);
  m->source_path = p.file;
  if (st == OVCC_OK)
    st = parse_all(&p, text, len);
  ir_arena_free(&p.scratch);
  if (st == OVCC_OK)
    st = ir_infer_types(m, false, d);
  if (st == OVCC_OK)
    st = ir_verify(m, d);
  if (st != OVCC_OK) {
    ir_model_free(m);
    return st;
  }
  *out = m;
  return OVCC_OK;
}

ovcc_status fe_read_text_file(const char *path, ir_model **out, ir_diag *d) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return IR_ERR(d, OVCC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  ovcc_status st = buf ? OVCC_OK : IR_NOMEM(d);
  while (st == OVCC_OK) {
    if (len == cap) {
      char *nb = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
      if (!nb) {
        st = IR_NOMEM(d);
        break;
      }
      buf = nb;
      cap *= 2;
    }
    size_t k = fread(buf + len, 1, cap - len, f);
    len += k;
    if (k == 0) {
      if (ferror(f))
        st = IR_ERR(d, OVCC_ERR_IO, "%s: read error", path);
      break;
    }
  }
  fclose(f);
  char *dir = NULL;
  const char *slash = strrchr(path, '/');
  if (st == OVCC_OK && slash) {
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    if ((dir = malloc(n + 1))) {
      memcpy(dir, path, n);
      dir[n] = 0;
    } else {
      st = IR_NOMEM(d);
    }
  }
  if (st == OVCC_OK)
    st = fe_read_text(buf, len, path, dir, out, d);
  free(dir);
  free(buf);
  return st;
}
