/* Attribute values, dicts and types of the textual IR.
 *
 * Values are parsed in their natural kind (the syntax says which) and then
 * coerced to the kind an op's schema wants (tp_coerce), so `shape = [1, 3]`
 * (an int list) fills a shape attribute and `alpha = 1` a float. In
 * free-form places (rt_info, port maps, graph attributes) the natural kind
 * stays: a list is a partial shape only if it has a '?', an interval or
 * '...'. Nesting is bounded by TP_MAX_VALUE_DEPTH. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "text_internal.h"

bool tp_etype_name(const char *s, size_t n, ir_etype *out) {
  for (int i = 0; i < IR_ET_COUNT; i++) {
    const char *nm = ir_etype_name((ir_etype)i);
    if (strlen(nm) == n && memcmp(nm, s, n) == 0) {
      *out = (ir_etype)i;
      return true;
    }
  }
  return false;
}

static ovcc_status expected(tl_lexer *lx, const char *what) {
  char b[64];
  return tl_error_tok(lx, "expected %s, got %s", what, tl_describe(&lx->tok, b, sizeof b));
}

static ovcc_status tok_i64(tl_lexer *lx, int64_t *out) {
  const tl_token *t = &lx->tok;
  if (t->neg ? t->mag > (uint64_t)INT64_MAX + 1 : t->mag > (uint64_t)INT64_MAX)
    return tl_error_tok(lx, "integer literal %s%" PRIu64 " is out of range of int64",
                        t->neg ? "-" : "", t->mag);
  *out = t->neg ? (int64_t)(0 - t->mag) : (int64_t)t->mag;
  return OVCC_OK;
}

/* A dimension bound: a non-negative int <= IR_MAX_DIM. */
static ovcc_status dim_bound(tl_lexer *lx, int64_t *out) {
  if (lx->tok.kind != TK_INT)
    return expected(lx, "a dimension");
  if (lx->tok.neg || lx->tok.mag > (uint64_t)IR_MAX_DIM)
    return tl_error_tok(lx, "dimension %s%" PRIu64 " is out of range (0..%" PRId64 ")",
                        lx->tok.neg ? "-" : "", lx->tok.mag, (int64_t)IR_MAX_DIM);
  *out = (int64_t)lx->tok.mag;
  return tl_next(lx);
}

/* After the lower bound and '..' (current token is the one after '..'). */
static ovcc_status interval_end(tl_lexer *lx, int64_t lo, int line, int col, ir_dim *out) {
  int64_t hi = IR_DIM_INF;
  if (lx->tok.kind == TK_INT) {
    IR_TRY(dim_bound(lx, &hi));
    if (hi < lo)
      return tl_error(lx, line, col, "empty interval %" PRId64 "..%" PRId64, lo, hi);
  }
  *out = (ir_dim){lo, hi};
  return OVCC_OK;
}

/* One dim of a type: N | ? | N.. | N..M | ..M */
static ovcc_status parse_dim(tl_lexer *lx, ir_dim *out) {
  int line = lx->tok.line, col = lx->tok.col;
  if (lx->tok.kind == TK_QUESTION) {
    *out = ir_dim_dynamic();
    return tl_next(lx);
  }
  if (lx->tok.kind == TK_DOTDOT) {
    IR_TRY(tl_next(lx));
    if (lx->tok.kind != TK_INT)
      return expected(lx, "an upper bound after '..'");
    return interval_end(lx, 0, line, col, out);
  }
  int64_t lo;
  IR_TRY(dim_bound(lx, &lo));
  if (lx->tok.kind != TK_DOTDOT) {
    *out = ir_dim_static(lo);
    return OVCC_OK;
  }
  IR_TRY(tl_next(lx));
  return interval_end(lx, lo, line, col, out);
}

ovcc_status tp_parse_type(tl_lexer *lx, ir_type *out) {
  if (lx->tok.kind != TK_IDENT || !tp_etype_name(lx->tok.p, lx->tok.n, &out->et))
    return expected(lx, "a type (element type and shape, e.g. f32[1,?])");
  IR_TRY(tl_next(lx));
  if (lx->tok.kind != TK_LBRACK)
    return expected(lx, "'[' after the element type");
  IR_TRY(tl_next(lx));
  ir_shape *s = &out->shape;
  s->rank = 0;
  if (lx->tok.kind == TK_ELLIPSIS) {
    s->rank = -1;
    IR_TRY(tl_next(lx));
  } else if (lx->tok.kind != TK_RBRACK) {
    for (;;) {
      if (s->rank >= IR_MAX_RANK)
        return tl_error_tok(lx, "rank exceeds %d", IR_MAX_RANK);
      IR_TRY(parse_dim(lx, &s->d[s->rank++]));
      if (lx->tok.kind != TK_COMMA)
        break;
      IR_TRY(tl_next(lx));
    }
  }
  if (lx->tok.kind != TK_RBRACK)
    return expected(lx, "',' or ']' in the shape");
  return tl_next(lx);
}

/* ---- lists ---- */

enum { LI_VALUE, LI_DIM, LI_ELLIPSIS };

typedef struct list_item {
  ir_attr_value v;
  int what;
  ir_dim dim;
  int line, col;
} list_item;

static bool push_item(ir_arena *a, list_item **arr, uint32_t *n, uint32_t *cap) {
  if (*n < *cap)
    return true;
  uint32_t nc = *cap ? *cap * 2 : 8;
  list_item *na = ir_arena_grow(a, *arr, *cap * sizeof **arr, nc * sizeof **arr);
  if (!na)
    return false;
  *arr = na;
  *cap = nc;
  return true;
}

static ovcc_status parse_list_item(tl_lexer *lx, ir_arena *a, list_item *it, int depth) {
  it->line = lx->tok.line;
  it->col = lx->tok.col;
  switch (lx->tok.kind) {
  case TK_QUESTION:
  case TK_DOTDOT:
    it->what = LI_DIM;
    return parse_dim(lx, &it->dim);
  case TK_ELLIPSIS:
    it->what = LI_ELLIPSIS;
    return tl_next(lx);
  case TK_INT: {
    tl_token t = lx->tok;
    int64_t v;
    IR_TRY(tok_i64(lx, &v));
    IR_TRY(tl_next(lx));
    if (lx->tok.kind != TK_DOTDOT) {
      it->v = (ir_attr_value){.kind = IR_ATTR_INT, .u.i = v};
      return OVCC_OK;
    }
    if (t.neg || t.mag > (uint64_t)IR_MAX_DIM)
      return tl_error(lx, t.line, t.col, "dimension %" PRId64 " is out of range", v);
    IR_TRY(tl_next(lx));
    it->what = LI_DIM;
    return interval_end(lx, v, t.line, t.col, &it->dim);
  }
  default: return tp_parse_value(lx, a, &it->v, depth + 1);
  }
}

static ovcc_status make_shape(tl_lexer *lx, ir_arena *a, list_item *it, uint32_t n,
                              ir_attr_value *out) {
  ir_shape s;
  s.rank = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (it[i].what == LI_ELLIPSIS) {
      if (n != 1)
        return tl_error(lx, it[i].line, it[i].col, "'...' must be the only item of a shape");
      s.rank = -1;
      break;
    }
    if (s.rank >= IR_MAX_RANK)
      return tl_error(lx, it[i].line, it[i].col, "rank exceeds %d", IR_MAX_RANK);
    if (it[i].what == LI_DIM) {
      s.d[s.rank++] = it[i].dim;
      continue;
    }
    if (it[i].v.kind != IR_ATTR_INT || it[i].v.u.i < 0 || it[i].v.u.i > IR_MAX_DIM)
      return tl_error(lx, it[i].line, it[i].col,
                      "a shape holds dimensions only ('?', intervals and ints 0..%" PRId64 ")",
                      (int64_t)IR_MAX_DIM);
    s.d[s.rank++] = ir_dim_static(it[i].v.u.i);
  }
  out->kind = IR_ATTR_SHAPE;
  if (!(out->u.shape = ir_arena_memdup(a, &s, sizeof s)))
    return IR_NOMEM(lx->d);
  return OVCC_OK;
}

/* Picks the list's kind from its items (see the file comment). */
static ovcc_status classify(tl_lexer *lx, ir_arena *a, list_item *it, uint32_t n,
                            ir_attr_value *out) {
  uint32_t count[IR_ATTR_KIND_COUNT] = {0}, dims = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (it[i].what != LI_VALUE)
      dims++;
    else
      count[it[i].v.kind]++;
  }
  if (dims)
    return make_shape(lx, a, it, n, out);
  ir_attr_kind k = IR_ATTR_LIST;
  if (n && count[IR_ATTR_INT] == n)
    k = IR_ATTR_INTS;
  else if (n && count[IR_ATTR_FLOAT] == n)
    k = IR_ATTR_FLOATS;
  else if (n && count[IR_ATTR_STR] == n)
    k = IR_ATTR_STRS;
  else if (n && count[IR_ATTR_ETYPE] == n)
    k = IR_ATTR_ETYPES;
  size_t w = k == IR_ATTR_INTS ? sizeof(int64_t)
             : k == IR_ATTR_FLOATS ? sizeof(double)
             : k == IR_ATTR_STRS ? sizeof(char *)
             : k == IR_ATTR_ETYPES ? sizeof(ir_etype)
                                   : sizeof(ir_attr_value);
  void *arr = ir_arena_alloc(a, (n + 1) * w);
  if (!arr)
    return IR_NOMEM(lx->d);
  for (uint32_t i = 0; i < n; i++) {
    if (k == IR_ATTR_INTS)
      ((int64_t *)arr)[i] = it[i].v.u.i;
    else if (k == IR_ATTR_FLOATS)
      ((double *)arr)[i] = it[i].v.u.f;
    else if (k == IR_ATTR_STRS)
      ((const char **)arr)[i] = it[i].v.u.s;
    else if (k == IR_ATTR_ETYPES)
      ((ir_etype *)arr)[i] = it[i].v.u.et;
    else
      ((ir_attr_value *)arr)[i] = it[i].v;
  }
  out->kind = k;
  if (k == IR_ATTR_INTS)
    out->u.ints.v = arr, out->u.ints.n = n;
  else if (k == IR_ATTR_FLOATS)
    out->u.floats.v = arr, out->u.floats.n = n;
  else if (k == IR_ATTR_STRS)
    out->u.strs.v = arr, out->u.strs.n = n;
  else if (k == IR_ATTR_ETYPES)
    out->u.etypes.v = arr, out->u.etypes.n = n;
  else
    out->u.list.v = arr, out->u.list.n = n;
  return OVCC_OK;
}

static ovcc_status parse_list(tl_lexer *lx, ir_arena *a, ir_attr_value *out, int depth) {
  IR_TRY(tl_next(lx)); /* '[' */
  list_item *it = NULL;
  uint32_t n = 0, cap = 0;
  if (lx->tok.kind != TK_RBRACK) {
    for (;;) {
      if (!push_item(a, &it, &n, &cap))
        return IR_NOMEM(lx->d);
      memset(&it[n], 0, sizeof it[n]);
      IR_TRY(parse_list_item(lx, a, &it[n], depth));
      n++;
      if (lx->tok.kind == TK_RBRACK)
        break;
      if (lx->tok.kind != TK_COMMA)
        return expected(lx, "',' or ']' in the list");
      IR_TRY(tl_next(lx));
    }
  }
  IR_TRY(tl_next(lx)); /* ']' */
  return classify(lx, a, it, n, out);
}

/* ---- dicts ---- */

static ovcc_status parse_dict_at(tl_lexer *lx, ir_arena *a, tp_dict *out, tp_raw_fn raw, void *ctx,
                                 int depth) {
  if (depth > TP_MAX_VALUE_DEPTH)
    return tl_error_tok(lx, "attribute values nested deeper than %d levels", TP_MAX_VALUE_DEPTH);
  if (lx->tok.kind != TK_LBRACE)
    return expected(lx, "'{'");
  IR_TRY(tl_next(lx));
  tp_attr *items = NULL;
  uint32_t n = 0, cap = 0;
  bool first = true;
  while (lx->tok.kind != TK_RBRACE) {
    bool at_first = first;
    if (!first)
      IR_TRY(tl_next(lx)); /* ',' checked below */
    first = false;
    tp_attr at = {.line = lx->tok.line, .col = lx->tok.col};
    char *key;
    size_t klen;
    if (lx->tok.kind == TK_IDENT) {
      if (!(key = ir_arena_strndup(a, lx->tok.p, lx->tok.n)))
        return IR_NOMEM(lx->d);
    } else if (lx->tok.kind == TK_STRING) {
      IR_TRY(tl_string(lx, &lx->tok, a, &key, &klen));
      if (strlen(key) != klen)
        return tl_error_tok(lx, "a key cannot contain a NUL byte");
    } else {
      return expected(lx, at_first ? "a key or '}'" : "a key");
    }
    for (uint32_t i = 0; i < n; i++)
      if (strcmp(items[i].key, key) == 0)
        return tl_error_tok(lx, "duplicate key '%s' (first at line %d)", key, items[i].line);
    at.key = key;
    IR_TRY(tl_next(lx));
    if (lx->tok.kind != TK_EQ)
      return expected(lx, "'=' after the key");
    IR_TRY(tl_next(lx));
    bool claimed = false;
    if (raw)
      IR_TRY(raw(ctx, key, lx, &claimed));
    if (claimed) { /* kept by the raw handler */
      if (lx->tok.kind != TK_COMMA && lx->tok.kind != TK_RBRACE)
        return expected(lx, "',' or '}' in the dict");
      continue;
    }
    IR_TRY(tp_parse_value(lx, a, &at.v, depth));
    if (n == cap) {
      uint32_t nc = cap ? cap * 2 : 8;
      tp_attr *ni = ir_arena_grow(a, items, cap * sizeof *items, nc * sizeof *items);
      if (!ni)
        return IR_NOMEM(lx->d);
      items = ni;
      cap = nc;
    }
    items[n++] = at;
    if (lx->tok.kind != TK_COMMA && lx->tok.kind != TK_RBRACE)
      return expected(lx, "',' or '}' in the dict");
  }
  IR_TRY(tl_next(lx)); /* '}' */
  out->items = items;
  out->n = n;
  return OVCC_OK;
}

ovcc_status tp_parse_dict(tl_lexer *lx, ir_arena *a, tp_dict *out, tp_raw_fn raw, void *ctx) {
  return parse_dict_at(lx, a, out, raw, ctx, 1);
}

ovcc_status tp_parse_value(tl_lexer *lx, ir_arena *a, ir_attr_value *out, int depth) {
  if (depth > TP_MAX_VALUE_DEPTH)
    return tl_error_tok(lx, "attribute values nested deeper than %d levels", TP_MAX_VALUE_DEPTH);
  memset(out, 0, sizeof *out);
  const tl_token *t = &lx->tok;
  switch (t->kind) {
  case TK_INT:
    out->kind = IR_ATTR_INT;
    IR_TRY(tok_i64(lx, &out->u.i));
    return tl_next(lx);
  case TK_FLOAT:
    out->kind = IR_ATTR_FLOAT;
    out->u.f = t->f;
    return tl_next(lx);
  case TK_STRING: {
    char *s;
    size_t n;
    IR_TRY(tl_string(lx, t, a, &s, &n));
    if (strlen(s) != n)
      return tl_error_tok(lx, "this string cannot contain a NUL byte");
    out->kind = IR_ATTR_STR;
    out->u.s = s;
    return tl_next(lx);
  }
  case TK_IDENT:
    if (tl_is_ident(t, "true") || tl_is_ident(t, "false")) {
      out->kind = IR_ATTR_BOOL;
      out->u.b = t->n == 4;
    } else if (tl_is_ident(t, "nan") || tl_is_ident(t, "inf")) {
      out->kind = IR_ATTR_FLOAT;
      out->u.f = t->n == 3 && t->p[0] == 'n' ? NAN : INFINITY;
    } else if (tp_etype_name(t->p, t->n, &out->u.et)) {
      out->kind = IR_ATTR_ETYPE;
    } else if (tl_is_ident(t, "hex")) {
      return tl_error_tok(lx, "hex data is only allowed as the value of a Constant");
    } else {
      char b[64];
      return tl_error_tok(lx, "unexpected %s, expected a value (number, string, element type, "
                          "true/false, list or dict)", tl_describe(t, b, sizeof b));
    }
    return tl_next(lx);
  case TK_LBRACK: return parse_list(lx, a, out, depth);
  case TK_LBRACE: {
    tp_dict dict;
    IR_TRY(parse_dict_at(lx, a, &dict, NULL, NULL, depth + 1));
    ir_attr *items = ir_arena_alloc(a, (dict.n + 1) * sizeof *items);
    if (!items)
      return IR_NOMEM(lx->d);
    for (uint32_t i = 0; i < dict.n; i++)
      items[i] = (ir_attr){dict.items[i].key, dict.items[i].v};
    out->kind = IR_ATTR_DICT;
    out->u.dict.v = items;
    out->u.dict.n = dict.n;
    return OVCC_OK;
  }
  case TK_QUESTION:
  case TK_DOTDOT:
  case TK_ELLIPSIS:
    return tl_error_tok(lx, "'?', intervals and '...' are only allowed inside a shape list");
  default: return expected(lx, "a value");
  }
}

/* ---- coercion to a schema kind ---- */

static bool empty_list(const ir_attr_value *v) {
  return v->kind == IR_ATTR_LIST && v->u.list.n == 0;
}

static bool to_shape(ir_arena *a, const ir_attr_value *v, ir_attr_value *out, ir_diag *d) {
  ir_shape s;
  s.rank = 0;
  if (v->kind == IR_ATTR_INTS) {
    if (v->u.ints.n > IR_MAX_RANK)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "rank %u exceeds %d", v->u.ints.n, IR_MAX_RANK),
             false;
    for (uint32_t i = 0; i < v->u.ints.n; i++) {
      int64_t x = v->u.ints.v[i];
      if (x < -1 || x > IR_MAX_DIM)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "dimension %" PRId64 " is out of range", x),
               false;
      s.d[s.rank++] = x < 0 ? ir_dim_dynamic() : ir_dim_static(x);
    }
  }
  out->kind = IR_ATTR_SHAPE;
  if (!(out->u.shape = ir_arena_memdup(a, &s, sizeof s)))
    return IR_NOMEM(d), false;
  return true;
}

/* An int/float/string/etype list as a generic list of scalars. */
static bool to_list(ir_arena *a, const ir_attr_value *v, ir_attr_value *out, ir_diag *d) {
  uint32_t n = v->kind == IR_ATTR_INTS     ? v->u.ints.n
               : v->kind == IR_ATTR_FLOATS ? v->u.floats.n
               : v->kind == IR_ATTR_STRS   ? v->u.strs.n
                                           : v->u.etypes.n;
  ir_attr_value *items = ir_arena_alloc(a, (n + 1) * sizeof *items);
  if (!items)
    return IR_NOMEM(d), false;
  for (uint32_t i = 0; i < n; i++) {
    if (v->kind == IR_ATTR_INTS)
      items[i] = (ir_attr_value){.kind = IR_ATTR_INT, .u.i = v->u.ints.v[i]};
    else if (v->kind == IR_ATTR_FLOATS)
      items[i] = (ir_attr_value){.kind = IR_ATTR_FLOAT, .u.f = v->u.floats.v[i]};
    else if (v->kind == IR_ATTR_STRS)
      items[i] = (ir_attr_value){.kind = IR_ATTR_STR, .u.s = v->u.strs.v[i]};
    else
      items[i] = (ir_attr_value){.kind = IR_ATTR_ETYPE, .u.et = v->u.etypes.v[i]};
  }
  *out = (ir_attr_value){.kind = IR_ATTR_LIST, .u.list = {items, n}};
  return true;
}

static bool to_floats(ir_arena *a, const ir_attr_value *v, ir_attr_value *out, ir_diag *d) {
  uint32_t n = v->kind == IR_ATTR_INTS ? v->u.ints.n : v->u.list.n;
  double *f = ir_arena_alloc(a, (n + 1) * sizeof *f);
  if (!f)
    return IR_NOMEM(d), false;
  for (uint32_t i = 0; i < n; i++) {
    if (v->kind == IR_ATTR_INTS) {
      f[i] = (double)v->u.ints.v[i];
      continue;
    }
    const ir_attr_value *x = &v->u.list.v[i];
    if (x->kind != IR_ATTR_INT && x->kind != IR_ATTR_FLOAT)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "expected float list, item %u is a %s", i,
                    ir_attr_kind_name(x->kind)),
             false;
    f[i] = x->kind == IR_ATTR_INT ? (double)x->u.i : x->u.f;
  }
  *out = (ir_attr_value){.kind = IR_ATTR_FLOATS, .u.floats = {f, n}};
  return true;
}

bool tp_coerce(ir_arena *a, ir_attr_kind want, const ir_attr_value *v, ir_attr_value *out,
               ir_diag *d) {
  if (v->kind == want) {
    *out = *v;
    return true;
  }
  switch (want) {
  case IR_ATTR_FLOAT:
    if (v->kind == IR_ATTR_INT) {
      *out = (ir_attr_value){.kind = IR_ATTR_FLOAT, .u.f = (double)v->u.i};
      return true;
    }
    break;
  case IR_ATTR_ETYPE:
    if (v->kind == IR_ATTR_STR && ir_etype_parse(v->u.s, strlen(v->u.s), &out->u.et)) {
      out->kind = IR_ATTR_ETYPE;
      return true;
    }
    break;
  case IR_ATTR_SHAPE:
    if (v->kind == IR_ATTR_INTS || empty_list(v))
      return to_shape(a, v, out, d);
    break;
  case IR_ATTR_INTS:
  case IR_ATTR_STRS:
  case IR_ATTR_ETYPES:
    if (empty_list(v)) {
      *out = (ir_attr_value){.kind = want};
      return true;
    }
    break;
  case IR_ATTR_FLOATS:
    if (v->kind == IR_ATTR_INTS || v->kind == IR_ATTR_LIST)
      return to_floats(a, v, out, d);
    break;
  case IR_ATTR_LIST:
    if (v->kind == IR_ATTR_INTS || v->kind == IR_ATTR_FLOATS || v->kind == IR_ATTR_STRS ||
        v->kind == IR_ATTR_ETYPES)
      return to_list(a, v, out, d);
    break;
  default: break;
  }
  IR_ERR(d, OVCC_ERR_INVALID_MODEL, "expected %s, got %s", ir_attr_kind_name(want),
         ir_attr_kind_name(v->kind));
  return false;
}
