/* Lexer of the textual IR: tokens with line:col (1-based, bytes), `//`
 * comments, integer literals checked for 64-bit overflow, strings with
 * \" \\ \n \t \r \xNN escapes. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_internal.h"

void tl_init(tl_lexer *lx, const char *text, size_t len, const char *name, ir_diag *d) {
  memset(lx, 0, sizeof *lx);
  lx->cur = text ? text : "";
  lx->end = lx->cur + (text ? len : 0);
  lx->line = 1;
  lx->col = 1;
  lx->name = name;
  lx->d = d;
}

static ovcc_status verror(tl_lexer *lx, int line, int col, const char *fmt, va_list ap) {
  char msg[IR_DIAG_MSG_MAX];
  vsnprintf(msg, sizeof msg, fmt, ap);
  IR_ERR(lx->d, OVCC_ERR_INVALID_MODEL, "%s:%d:%d: %s", lx->name, line, col, msg);
  lx->d->line = line;
  lx->d->col = col;
  return OVCC_ERR_INVALID_MODEL;
}

ovcc_status tl_error(tl_lexer *lx, int line, int col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ovcc_status st = verror(lx, line, col, fmt, ap);
  va_end(ap);
  return st;
}

ovcc_status tl_error_tok(tl_lexer *lx, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ovcc_status st = verror(lx, lx->tok.line, lx->tok.col, fmt, ap);
  va_end(ap);
  return st;
}

const char *tl_describe(const tl_token *t, char *buf, size_t cap) {
  switch (t->kind) {
  case TK_EOF: snprintf(buf, cap, "end of input"); break;
  case TK_STRING: snprintf(buf, cap, "a string"); break;
  default: {
    int n = t->n > 40 ? 40 : (int)t->n;
    snprintf(buf, cap, "'%.*s%s'", n, t->p, t->n > 40 ? "..." : "");
  }
  }
  return buf;
}

bool tl_is_ident(const tl_token *t, const char *s) {
  return t->kind == TK_IDENT && strlen(s) == t->n && memcmp(t->p, s, t->n) == 0;
}

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_name_char(char c) {
  return is_alpha(c) || is_digit(c) || c == '.' || c == '$' || c == '-';
}

static void advance(tl_lexer *lx, size_t n) {
  for (size_t i = 0; i < n && lx->cur < lx->end; i++) {
    if (*lx->cur == '\n') {
      lx->line++;
      lx->col = 1;
    } else {
      lx->col++;
    }
    lx->cur++;
  }
}

static int hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Scans a quoted string starting at lx->cur ('"'); validates escapes. */
static ovcc_status scan_string(tl_lexer *lx, tl_token *t) {
  const char *s = lx->cur;
  advance(lx, 1);
  while (lx->cur < lx->end && *lx->cur != '"') {
    char c = *lx->cur;
    if (c == '\n')
      return tl_error(lx, t->line, t->col, "unterminated string (a newline must be written \\n)");
    if (c == '\\') {
      int line = lx->line, col = lx->col;
      if (lx->cur + 1 >= lx->end)
        break;
      char e = lx->cur[1];
      if (e == 'x') {
        if (lx->cur + 3 >= lx->end || hexval(lx->cur[2]) < 0 || hexval(lx->cur[3]) < 0)
          return tl_error(lx, line, col, "bad escape: \\x needs two hex digits");
        advance(lx, 4);
        continue;
      }
      if (e != '"' && e != '\\' && e != 'n' && e != 't' && e != 'r')
        return tl_error(lx, line, col, "unknown escape '\\%c' in string", e);
      advance(lx, 2);
      continue;
    }
    advance(lx, 1);
  }
  if (lx->cur >= lx->end)
    return tl_error(lx, t->line, t->col, "unterminated string");
  advance(lx, 1);
  t->p = s;
  t->n = (size_t)(lx->cur - s);
  return OVCC_OK;
}

ovcc_status tl_string(tl_lexer *lx, const tl_token *t, ir_arena *a, char **out, size_t *len) {
  char *buf = ir_arena_alloc(a, t->n + 1);
  if (!buf)
    return IR_NOMEM(lx->d);
  size_t k = 0;
  for (size_t i = 1; i + 1 < t->n; i++) {
    char c = t->p[i];
    if (c != '\\') {
      buf[k++] = c;
      continue;
    }
    char e = t->p[++i];
    switch (e) {
    case 'n': buf[k++] = '\n'; break;
    case 't': buf[k++] = '\t'; break;
    case 'r': buf[k++] = '\r'; break;
    case 'x':
      buf[k++] = (char)(hexval(t->p[i + 1]) * 16 + hexval(t->p[i + 2]));
      i += 2;
      break;
    default: buf[k++] = e;
    }
  }
  buf[k] = 0;
  *out = buf;
  *len = k;
  return OVCC_OK;
}

/* Number: [-] digits [. digits] [e [+-] digits], or -inf. */
static ovcc_status scan_number(tl_lexer *lx, tl_token *t) {
  const char *s = lx->cur, *q = s;
  bool neg = false;
  if (*q == '-') {
    neg = true;
    q++;
    if (lx->end - q >= 3 && memcmp(q, "inf", 3) == 0 && (lx->end - q == 3 || !is_name_char(q[3]))) {
      t->kind = TK_FLOAT;
      t->f = -INFINITY;
      t->p = s;
      t->n = 4;
      advance(lx, 4);
      return OVCC_OK;
    }
    if (q >= lx->end || !is_digit(*q))
      return tl_error(lx, t->line, t->col, "unexpected character '-' (expected a number)");
  }
  uint64_t mag = 0;
  bool overflow = false;
  while (q < lx->end && is_digit(*q)) {
    unsigned dg = (unsigned)(*q - '0');
    if (mag > (UINT64_MAX - dg) / 10)
      overflow = true;
    else
      mag = mag * 10 + dg;
    q++;
  }
  bool is_float = false;
  if (q + 1 < lx->end && *q == '.' && is_digit(q[1])) {
    is_float = true;
    q++;
    while (q < lx->end && is_digit(*q))
      q++;
  }
  if (q < lx->end && (*q == 'e' || *q == 'E')) {
    const char *r = q + 1;
    if (r < lx->end && (*r == '+' || *r == '-'))
      r++;
    if (r < lx->end && is_digit(*r)) {
      is_float = true;
      q = r;
      while (q < lx->end && is_digit(*q))
        q++;
    }
  }
  if (q < lx->end && is_alpha(*q))
    return tl_error(lx, t->line, t->col, "bad number '%.*s'", (int)(q - s + 1), s);
  t->p = s;
  t->n = (size_t)(q - s);
  if (is_float) {
    char buf[128];
    if (t->n >= sizeof buf)
      return tl_error(lx, t->line, t->col, "number literal too long");
    memcpy(buf, s, t->n);
    buf[t->n] = 0;
    t->kind = TK_FLOAT;
    t->f = strtod(buf, NULL);
  } else {
    if (overflow)
      return tl_error(lx, t->line, t->col, "integer literal '%.*s' overflows 64 bits", (int)t->n, s);
    t->kind = TK_INT;
    t->mag = mag;
    t->neg = neg && mag != 0;
  }
  advance(lx, t->n);
  return OVCC_OK;
}

static void skip_space(tl_lexer *lx) {
  while (lx->cur < lx->end) {
    char c = *lx->cur;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      advance(lx, 1);
    } else if (c == '/' && lx->cur + 1 < lx->end && lx->cur[1] == '/') {
      while (lx->cur < lx->end && *lx->cur != '\n')
        advance(lx, 1);
    } else {
      break;
    }
  }
}

static ovcc_status scan_sigil(tl_lexer *lx, tl_token *t, tl_kind kind) {
  advance(lx, 1);
  if (kind == TK_AT && lx->cur < lx->end && *lx->cur == '"') {
    IR_TRY(scan_string(lx, t));
    t->kind = TK_AT;
    t->quoted = true;
    return OVCC_OK;
  }
  const char *s = lx->cur;
  while (lx->cur < lx->end && is_name_char(*lx->cur))
    advance(lx, 1);
  if (lx->cur == s)
    return tl_error(lx, t->line, t->col, "expected a name after '%c'", kind == TK_AT ? '@' : '%');
  t->kind = kind;
  t->p = s;
  t->n = (size_t)(lx->cur - s);
  return OVCC_OK;
}

ovcc_status tl_next(tl_lexer *lx) {
  skip_space(lx);
  tl_token *t = &lx->tok;
  memset(t, 0, sizeof *t);
  t->line = lx->line;
  t->col = lx->col;
  t->p = lx->cur;
  t->n = 1;
  if (lx->cur >= lx->end) {
    t->kind = TK_EOF;
    t->n = 0;
    return OVCC_OK;
  }
  char c = *lx->cur;
  if (is_alpha(c)) {
    const char *s = lx->cur;
    while (lx->cur < lx->end && (is_alpha(*lx->cur) || is_digit(*lx->cur) || *lx->cur == '.'))
      advance(lx, 1);
    t->kind = TK_IDENT;
    t->n = (size_t)(lx->cur - s);
    return OVCC_OK;
  }
  if (is_digit(c) || c == '-')
    return scan_number(lx, t);
  if (c == '"') {
    t->kind = TK_STRING;
    return scan_string(lx, t);
  }
  if (c == '%')
    return scan_sigil(lx, t, TK_VALUE);
  if (c == '@')
    return scan_sigil(lx, t, TK_AT);
  if (c == '.') {
    if (lx->end - lx->cur >= 3 && lx->cur[1] == '.' && lx->cur[2] == '.') {
      t->kind = TK_ELLIPSIS;
      t->n = 3;
    } else if (lx->end - lx->cur >= 2 && lx->cur[1] == '.') {
      t->kind = TK_DOTDOT;
      t->n = 2;
    } else {
      return tl_error(lx, t->line, t->col, "unexpected character '.'");
    }
    advance(lx, t->n);
    return OVCC_OK;
  }
  static const char punct[] = "(){}[],=:?";
  static const tl_kind kinds[] = {TK_LPAREN, TK_RPAREN, TK_LBRACE, TK_RBRACE, TK_LBRACK,
                                  TK_RBRACK, TK_COMMA,  TK_EQ,     TK_COLON,  TK_QUESTION};
  const char *pc = strchr(punct, c);
  if (c && pc) {
    t->kind = kinds[pc - punct];
    advance(lx, 1);
    return OVCC_OK;
  }
  if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
    return tl_error(lx, t->line, t->col, "unexpected byte 0x%02x", (unsigned char)c);
  return tl_error(lx, t->line, t->col, "unexpected character '%c'", c);
}
