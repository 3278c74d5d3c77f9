/* Constant data of the textual IR: `value = [...]` (numbers, booleans or
 * strings, converted exactly to the element type), `value = hex"..."` (raw
 * bytes, sub-byte types packed as in the .bin, strings in OpenVINO's packed
 * layout) or `offset = N, size = M` into the graph's weights file. Sizes are
 * checked against element_type and shape like the XML reader does. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "text_internal.h"

static const uint8_t EMPTY[1] = {0};

static int hexdig(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static ovcc_status parse_hex(tp_cst *c, tl_lexer *lx) {
  IR_TRY(tl_next(lx)); /* hex */
  if (lx->tok.kind != TK_STRING)
    return tl_error_tok(lx, "expected a string of hex digits after 'hex'");
  const char *s = lx->tok.p + 1;
  size_t n = lx->tok.n - 2;
  if (n % 2)
    return tl_error_tok(lx, "hex data has an odd number of digits (%zu)", n);
  uint8_t *b = ir_arena_alloc(&c->p->scratch, n / 2 + 1);
  if (!b)
    return IR_NOMEM(lx->d);
  for (size_t i = 0; i < n / 2; i++) {
    int hi = hexdig(s[2 * i]), lo = hexdig(s[2 * i + 1]);
    if (hi < 0 || lo < 0)
      return tl_error_tok(lx, "hex data: '%c%c' is not a hex byte", s[2 * i], s[2 * i + 1]);
    b[i] = (uint8_t)(hi * 16 + lo);
  }
  c->has_hex = true;
  c->hex = b;
  c->hex_len = n / 2;
  return tl_next(lx);
}

static bool is_literal(const tl_token *t) {
  return t->kind == TK_INT || t->kind == TK_FLOAT || t->kind == TK_STRING ||
         tl_is_ident(t, "true") || tl_is_ident(t, "false") || tl_is_ident(t, "nan") ||
         tl_is_ident(t, "inf");
}

ovcc_status tp_const_raw(void *ctx, const char *key, tl_lexer *lx, bool *claimed) {
  tp_cst *c = ctx;
  if (strcmp(key, "value") != 0)
    return OVCC_OK;
  *claimed = true;
  if (c->has_value || c->has_hex)
    return tl_error_tok(lx, "duplicate key 'value' (first at line %d)", c->line);
  c->line = lx->tok.line;
  c->col = lx->tok.col;
  if (tl_is_ident(&lx->tok, "hex"))
    return parse_hex(c, lx);
  if (lx->tok.kind != TK_LBRACK)
    return tl_error_tok(lx, "expected a list of numbers, booleans or strings, or hex\"...\", as "
                            "the Constant's value");
  IR_TRY(tl_next(lx));
  uint32_t cap = 0;
  while (lx->tok.kind != TK_RBRACK) {
    if (c->n_lits) {
      if (lx->tok.kind != TK_COMMA)
        return tl_error_tok(lx, "expected ',' or ']' in the Constant's value");
      IR_TRY(tl_next(lx));
    }
    if (!is_literal(&lx->tok))
      return tl_error_tok(lx, "expected a number, boolean or string in the Constant's value");
    if (c->n_lits == cap) {
      uint32_t nc = cap ? cap * 2 : 16;
      tl_token *nl = ir_arena_grow(&c->p->scratch, c->lits, cap * sizeof *nl, nc * sizeof *nl);
      if (!nl)
        return IR_NOMEM(lx->d);
      c->lits = nl;
      cap = nc;
    }
    c->lits[c->n_lits++] = lx->tok;
    IR_TRY(tl_next(lx));
  }
  c->has_value = true;
  return tl_next(lx);
}

/* ---- element conversion ---- */

static ovcc_status lit_error(tp *p, const tl_token *t, const char *what, ir_etype et) {
  return tl_error(&p->lx, t->line, t->col, "expected %s for a Constant of %s", what,
                  ir_etype_name(et));
}

static ovcc_status set_int(tp *p, const tl_token *t, ir_etype et, uint8_t *data, uint64_t i) {
  if (t->kind != TK_INT)
    return lit_error(p, t, "an integer", et);
  unsigned bits = ir_etype_bits(et);
  bool sgn = ir_etype_is_signed(et);
  unsigned vbits = sgn ? bits - 1 : bits;
  uint64_t max = vbits >= 64 ? UINT64_MAX : ((uint64_t)1 << vbits) - 1;
  bool ok = t->neg ? sgn && t->mag <= max + 1 : t->mag <= max;
  if (!ok)
    return tl_error(&p->lx, t->line, t->col, "value %s%" PRIu64 " is out of range of %s",
                    t->neg ? "-" : "", t->mag, ir_etype_name(et));
  if (t->neg)
    ir_elem_set_i64(et, data, i, (int64_t)(0 - t->mag));
  else
    ir_elem_set_bits(et, data, i, t->mag);
  return OVCC_OK;
}

static ovcc_status set_elem(tp *p, const tl_token *t, ir_etype et, uint8_t *data, uint64_t i) {
  if (et == IR_ET_BOOLEAN) {
    bool v;
    if (tl_is_ident(t, "true") || tl_is_ident(t, "false"))
      v = t->n == 4;
    else if (t->kind == TK_INT && !t->neg && t->mag <= 1)
      v = t->mag == 1;
    else
      return lit_error(p, t, "true or false", et);
    ir_elem_set_bits(et, data, i, v);
    return OVCC_OK;
  }
  if (ir_etype_is_int(et))
    return set_int(p, t, et, data, i);
  double v;
  if (t->kind == TK_FLOAT)
    v = t->f;
  else if (t->kind == TK_INT)
    v = t->neg ? -(double)t->mag : (double)t->mag;
  else if (tl_is_ident(t, "nan"))
    v = NAN;
  else if (tl_is_ident(t, "inf"))
    v = INFINITY;
  else
    return lit_error(p, t, "a number", et);
  ir_elem_set_f64(et, data, i, v);
  return OVCC_OK;
}

/* ---- strings ---- */

static void wr32(uint8_t *b, uint32_t v) {
  b[0] = (uint8_t)v, b[1] = (uint8_t)(v >> 8), b[2] = (uint8_t)(v >> 16), b[3] = (uint8_t)(v >> 24);
}

static uint32_t rd32(const uint8_t *b) {
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* Packs string literals: int32 count N, N+1 int32 offsets, then the bytes. */
static ovcc_status pack_strings(tp *p, const tp_cst *c, uint8_t **out, uint64_t *nbytes) {
  uint64_t n = c->n_lits, total = 0;
  char **s = ir_arena_alloc(&p->scratch, (n + 1) * sizeof *s);
  size_t *len = ir_arena_alloc(&p->scratch, (n + 1) * sizeof *len);
  if (!s || !len)
    return IR_NOMEM(p->d);
  for (uint64_t i = 0; i < n; i++) {
    const tl_token *t = &c->lits[i];
    if (t->kind != TK_STRING)
      return lit_error(p, t, "a string", IR_ET_STRING);
    IR_TRY(tl_string(&p->lx, t, &p->scratch, &s[i], &len[i]));
    total += len[i];
  }
  uint64_t header = 8 + 4 * n;
  if (total > UINT32_MAX - header)
    return tl_error(&p->lx, c->line, c->col, "string constant too large");
  uint8_t *b = ir_arena_alloc(&p->m->arena, header + total + 1);
  if (!b)
    return IR_NOMEM(p->d);
  wr32(b, (uint32_t)n);
  uint64_t at = 0;
  for (uint64_t i = 0; i <= n; i++) {
    wr32(b + 4 + 4 * i, (uint32_t)at);
    if (i < n) {
      memcpy(b + header + at, s[i], len[i]);
      at += len[i];
    }
  }
  *out = b;
  *nbytes = header + total;
  return OVCC_OK;
}

/* Checks OpenVINO's packed string layout (as the XML reader does). */
static bool check_packed(const uint8_t *b, uint64_t size, uint64_t numel, ir_diag *d) {
  if (size < 8 || rd32(b) != numel || numel > (size - 8) / 4)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "string constant: %" PRIu64 " bytes do not hold a packed header for %" PRIu64
                  " strings", size, numel),
           false;
  uint64_t header = 8 + 4 * numel, prev = 0;
  for (uint64_t i = 0; i <= numel; i++) {
    uint64_t o = rd32(b + 4 + 4 * i);
    if (o < prev || o > size - header)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "string constant: offset %" PRIu64 " of element %" PRIu64
                    " is out of order or out of range", o, i),
             false;
    prev = o;
  }
  return true;
}

/* ---- building the data ---- */

static const tp_attr *find_attr(const tp_dict *attrs, const char *key) {
  for (uint32_t i = 0; i < attrs->n; i++)
    if (strcmp(attrs->items[i].key, key) == 0)
      return &attrs->items[i];
  return NULL;
}

static ovcc_status attr_nonneg(tp *p, const tp_attr *a, int64_t *out) {
  if (a->v.kind != IR_ATTR_INT || a->v.u.i < 0)
    return tl_error(&p->lx, a->line, a->col, "'%s' must be a non-negative integer", a->key);
  *out = a->v.u.i;
  return OVCC_OK;
}

static ovcc_status from_weights(tp *p, const tp_attr *off, const tp_attr *sz, ir_type *t,
                                uint64_t numel, uint64_t want, ir_const *c) {
  int64_t o = 0, s = 0;
  if (!off || !sz)
    return tl_error(&p->lx, (off ? off : sz)->line, (off ? off : sz)->col,
                    "a Constant in the weights needs both 'offset' and 'size'");
  IR_TRY(attr_nonneg(p, off, &o));
  IR_TRY(attr_nonneg(p, sz, &s));
  bool is_str = t->et == IR_ET_STRING;
  if (!is_str && (uint64_t)s != want)
    return tl_error(&p->lx, sz->line, sz->col,
                    "constant data size mismatch: size %" PRId64 ", but %" PRIu64
                    " elements of %s need %" PRIu64 " bytes", s, numel, ir_etype_name(t->et), want);
  if (is_str && s == 0 && numel != 0)
    return tl_error(&p->lx, sz->line, sz->col, "string constant of %" PRIu64 " elements has size 0",
                    numel);
  const uint8_t *data = EMPTY;
  if (s > 0) {
    ovcc_status st = fe_weights_range(p->m, o, s, &data, p->d);
    if (st == OVCC_OK && is_str && !check_packed(data, (uint64_t)s, numel, p->d))
      st = OVCC_ERR_INVALID_MODEL;
    if (st != OVCC_OK) {
      ir_diag_prefix(p->d, "%s:%d:%d: ", p->file, off->line, off->col);
      p->d->line = off->line;
      p->d->col = off->col;
      return st;
    }
  }
  c->data = data;
  c->nbytes = (uint64_t)s;
  c->bin_offset = s > 0 ? o : -1;
  return OVCC_OK;
}

static ovcc_status inline_data(tp *p, const tp_cst *cs, ir_type *t, uint64_t numel, uint64_t want,
                               ir_const *c) {
  bool is_str = t->et == IR_ET_STRING;
  c->bin_offset = -1;
  if (cs->has_hex) {
    if (is_str ? cs->hex_len && !check_packed(cs->hex, cs->hex_len, numel, p->d)
               : cs->hex_len != want) {
      if (!is_str)
        IR_ERR(p->d, OVCC_ERR_INVALID_MODEL,
               "constant data size mismatch: hex has %zu bytes, but %" PRIu64
               " elements of %s need %" PRIu64, cs->hex_len, numel, ir_etype_name(t->et), want);
      ir_diag_prefix(p->d, "%s:%d:%d: ", p->file, cs->line, cs->col);
      p->d->line = cs->line, p->d->col = cs->col;
      return OVCC_ERR_INVALID_MODEL;
    }
    if (is_str && cs->hex_len == 0 && numel != 0)
      return tl_error(&p->lx, cs->line, cs->col, "string constant of %" PRIu64
                      " elements has no data", numel);
    c->nbytes = cs->hex_len;
    c->data = cs->hex_len ? ir_arena_memdup(&p->m->arena, cs->hex, cs->hex_len) : EMPTY;
    return c->data ? OVCC_OK : IR_NOMEM(p->d);
  }
  if (cs->n_lits != numel)
    return tl_error(&p->lx, cs->line, cs->col,
                    "constant data size mismatch: %u values for %" PRIu64 " elements", cs->n_lits,
                    numel);
  if (numel == 0) {
    c->data = EMPTY;
    c->nbytes = 0;
    return OVCC_OK;
  }
  if (is_str) {
    uint8_t *b = NULL;
    IR_TRY(pack_strings(p, cs, &b, &c->nbytes));
    c->data = b;
    return OVCC_OK;
  }
  uint8_t *b = ir_arena_alloc(&p->m->arena, want + 1);
  if (!b)
    return IR_NOMEM(p->d);
  for (uint64_t i = 0; i < numel; i++)
    IR_TRY(set_elem(p, &cs->lits[i], t->et, b, i));
  c->data = b;
  c->nbytes = want;
  return OVCC_OK;
}

ovcc_status tp_const_data(tp *p, ir_op *op, const tp_cst *cs, const tp_dict *attrs) {
  const ir_attr_value *eta = ir_op_attr(op, "element_type"), *sha = ir_op_attr(op, "shape");
  int line = op->loc.line, col = op->loc.col;
  if (!eta || !sha || eta->kind != IR_ATTR_ETYPE || sha->kind != IR_ATTR_SHAPE)
    return tl_error(&p->lx, line, col, "Constant needs element_type and shape");
  ir_type t = {eta->u.et, *sha->u.shape};
  uint64_t numel, want = 0;
  if (!ir_shape_is_static(&t.shape) || !ir_shape_numel(&t.shape, &numel))
    return tl_error(&p->lx, line, col, "constant shape must be static with a representable "
                                       "element count");
  if (t.et != IR_ET_STRING && !ir_etype_nbytes(t.et, numel, &want))
    return tl_error(&p->lx, line, col, "element type %s cannot hold constant data",
                    ir_etype_name(t.et));
  const tp_attr *off = find_attr(attrs, "offset"), *sz = find_attr(attrs, "size");
  int given = (cs->has_value || cs->has_hex) + (off || sz);
  if (given > 1)
    return tl_error(&p->lx, cs->line, cs->col, "give either 'value' or 'offset'/'size', not both");
  ir_const *c = ir_arena_alloc(&p->m->arena, sizeof *c);
  if (!c)
    return IR_NOMEM(p->d);
  if (off || sz) {
    IR_TRY(from_weights(p, off, sz, &t, numel, want, c));
  } else if (given) {
    IR_TRY(inline_data(p, cs, &t, numel, want, c));
  } else if (numel == 0) {
    c->data = EMPTY;
    c->bin_offset = -1;
  } else {
    return tl_error(&p->lx, line, col, "Constant needs its data: 'value = [...]', "
                                       "'value = hex\"...\"' or 'offset'/'size'");
  }
  op->cst = c;
  ir_type *decl = &op->results[0].type;
  ir_shape merged;
  if ((decl->et != IR_ET_DYNAMIC && decl->et != t.et) ||
      !ir_shape_merge(&merged, &decl->shape, &t.shape))
    return tl_error(&p->lx, line, col, "declared result type contradicts element_type/shape");
  *decl = t;
  return OVCC_OK;
}
