/* Private to the textual IR reader (text_lexer.c, text_values.c,
 * text_parser.c): tokens, the lexer, the parser state and the attribute-value
 * helpers. Grammar: docs/textual-ir.md. */
#ifndef OVCC_FRONTEND_TEXT_INTERNAL_H
#define OVCC_FRONTEND_TEXT_INTERNAL_H

#include "frontend.h"

/* Nesting limit of attribute values (lists, dicts). */
enum { TP_MAX_VALUE_DEPTH = 64 };

typedef enum tl_kind {
  TK_EOF,
  TK_IDENT,    /* [A-Za-z_][A-Za-z0-9_.]*  (ov.Gather.v8, f32, true, hex) */
  TK_VALUE,    /* %name: p/n span the name without '%' */
  TK_AT,       /* @name or @"name": p/n span the name (string: quoted span) */
  TK_INT,      /* mag/neg */
  TK_FLOAT,    /* f */
  TK_STRING,   /* p/n span the quoted text including quotes */
  TK_LPAREN, TK_RPAREN, TK_LBRACE, TK_RBRACE, TK_LBRACK, TK_RBRACK,
  TK_COMMA, TK_EQ, TK_COLON, TK_QUESTION, TK_DOTDOT, TK_ELLIPSIS,
} tl_kind;

typedef struct tl_token {
  tl_kind kind;
  const char *p;
  size_t n;
  int line, col;
  uint64_t mag; /* TK_INT magnitude */
  bool neg;     /* TK_INT sign */
  bool quoted;  /* TK_AT written as @"..." */
  double f;     /* TK_FLOAT */
} tl_token;

typedef struct tl_lexer {
  const char *cur, *end;
  int line, col;
  const char *name; /* for messages */
  ir_diag *d;
  tl_token tok; /* current token */
} tl_lexer;

/* ---- text_lexer.c ---- */
void tl_init(tl_lexer *lx, const char *text, size_t len, const char *name, ir_diag *d);
/* Advances to the next token; lexical errors are located messages. */
ovcc_status tl_next(tl_lexer *lx);
/* "name:line:col: message" with d->line/col set; returns OVCC_ERR_INVALID_MODEL. */
ovcc_status tl_error(tl_lexer *lx, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Same at the current token. */
ovcc_status tl_error_tok(tl_lexer *lx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Short description of the current token for messages ("'foo'", "end of input"). */
const char *tl_describe(const tl_token *t, char *buf, size_t cap);
bool tl_is_ident(const tl_token *t, const char *s);
/* Decodes a TK_STRING token into arena memory (NUL terminated; *len excludes it). */
ovcc_status tl_string(tl_lexer *lx, const tl_token *t, ir_arena *a, char **out, size_t *len);

/* ---- text_values.c ---- */
/* A parsed `key = value` of an attribute dict, with its location. */
typedef struct tp_attr {
  const char *key;
  ir_attr_value v;
  int line, col;
} tp_attr;

/* Parses one attribute value (scratch arena) in its natural kind: ints,
 * floats, strings, element types, booleans, lists (int/float/string/etype
 * lists, partial shapes when a '?', interval or '...' appears, else a
 * generic list) and dicts. */
ovcc_status tp_parse_value(tl_lexer *lx, ir_arena *a, ir_attr_value *out, int depth);
/* Parses '{' [key '=' value (',' ...)*] '}' into items; `raw` is called for
 * keys it claims (returns true after consuming the value itself). */
typedef struct tp_dict {
  tp_attr *items;
  uint32_t n;
} tp_dict;
typedef ovcc_status (*tp_raw_fn)(void *ctx, const char *key, tl_lexer *lx, bool *claimed);
ovcc_status tp_parse_dict(tl_lexer *lx, ir_arena *a, tp_dict *out, tp_raw_fn raw, void *ctx);
/* Converts v to `want` (int list -> shape, int -> float, ...); false with a
 * message in d (no location) if it cannot. */
bool tp_coerce(ir_arena *a, ir_attr_kind want, const ir_attr_value *v, ir_attr_value *out,
               ir_diag *d);
/* Exact element type name (f32, boolean, dynamic ...). */
bool tp_etype_name(const char *s, size_t n, ir_etype *out);
/* etype '[' dims ']' */
ovcc_status tp_parse_type(tl_lexer *lx, ir_type *out);

/* ---- text_parser.c ---- */
/* The parser state of one fe_read_text call. */
typedef struct tp {
  tl_lexer lx;
  ir_model *m;
  ir_arena scratch; /* freed when parsing ends */
  ir_diag *d;
  const char *file; /* model arena: messages and op locations */
  const char *base_dir;
} tp;

/* ---- text_const.c ---- */
/* Constant data as written: `value = [...]`, `value = hex"..."`, or the
 * `offset`/`size` attributes (taken from the dict by tp_const_data). */
typedef struct tp_cst {
  tp *p;
  bool has_value, has_hex;
  tl_token *lits; /* flat literal list of `value` */
  uint32_t n_lits;
  uint8_t *hex;
  size_t hex_len;
  int line, col; /* of the value */
} tp_cst;
/* tp_raw_fn for a Constant's attribute dict: claims `value`. */
ovcc_status tp_const_raw(void *ctx, const char *key, tl_lexer *lx, bool *claimed);
/* Builds op->cst from c and the offset/size entries of attrs, checks sizes,
 * and sets the result type from element_type/shape. */
ovcc_status tp_const_data(tp *p, ir_op *op, const tp_cst *c, const tp_dict *attrs);

#endif
