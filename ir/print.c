/* Textual IR printer (docs/textual-ir.md).
 *
 * Output is deterministic and is the canonical form the text parser
 * (frontend/text_parser.c) reads back: print -> parse -> print is
 * byte-identical. Values are numbered %0.. per graph in op order; only
 * attributes that differ from their schema default are written (Constant
 * element_type/shape always); Constant data is a weights reference
 * (offset/size) when the model has a weights file, else inline: a `value`
 * list when every element prints exactly (<= 16 byte-aligned numbers or
 * booleans, or strings), otherwise `hex`. Bodies print nested; nesting of
 * bodies and attribute values is bounded by IR_PRINT_MAX_DEPTH. */
#include "ir.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { IR_PRINT_MAX_DEPTH = 64, IR_PRINT_MAX_VALUES = 16 };

typedef struct pr {
  FILE *f;
  ir_diag *d;
  const ir_model *m;
  ir_arena tmp; /* schema defaults; reset per op */
  ovcc_status st;
} pr;

static void put(pr *p, const char *s) { fputs(s, p->f); }

static void indent(pr *p, int n) {
  for (int i = 0; i < n; i++)
    fputs("  ", p->f);
}

static ovcc_status too_deep(pr *p) {
  if (p->st == OVCC_OK)
    p->st = IR_ERR(p->d, OVCC_ERR_INVALID_ARG, "cannot print: nesting deeper than %d levels",
                   IR_PRINT_MAX_DEPTH);
  return p->st;
}

/* ---- scalars ---- */

static void put_string(pr *p, const char *s, size_t n) {
  fputc('"', p->f);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '"': put(p, "\\\""); break;
    case '\\': put(p, "\\\\"); break;
    case '\n': put(p, "\\n"); break;
    case '\t': put(p, "\\t"); break;
    case '\r': put(p, "\\r"); break;
    default:
      if (c < 0x20 || c == 0x7f)
        fprintf(p->f, "\\x%02x", c);
      else
        fputc(c, p->f);
    }
  }
  fputc('"', p->f);
}

static void put_cstr(pr *p, const char *s) { put_string(p, s, strlen(s)); }

static bool is_ident(const char *s) {
  if (!(s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
    return false;
  for (const char *q = s + 1; *q; q++)
    if (!(*q == '_' || (*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') ||
          (*q >= '0' && *q <= '9')))
      return false;
  return true;
}

/* Graph names after '@': [A-Za-z0-9_.$-]+, else quoted. */
static bool is_sym_name(const char *s) {
  if (!*s)
    return false;
  for (const char *q = s; *q; q++)
    if (!(*q == '_' || *q == '.' || *q == '$' || *q == '-' || (*q >= 'A' && *q <= 'Z') ||
          (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9')))
      return false;
  return true;
}

static void put_key(pr *p, const char *k) {
  if (is_ident(k))
    put(p, k);
  else
    put_cstr(p, k);
}

/* Adds ".0" when a formatted finite number has no '.' or exponent. */
static void force_float(char *buf, size_t cap) {
  if (strpbrk(buf, ".eEn")) /* n: nan, inf */
    return;
  size_t n = strlen(buf);
  if (n + 3 <= cap)
    memcpy(buf + n, ".0", 3);
}

static void fmt_double(char *buf, size_t cap, double v, int digits) {
  if (isnan(v))
    snprintf(buf, cap, "nan");
  else if (isinf(v))
    snprintf(buf, cap, v < 0 ? "-inf" : "inf");
  else
    snprintf(buf, cap, "%.*g", digits, v);
  force_float(buf, cap);
}

static void put_double(pr *p, double v) {
  char buf[64];
  fmt_double(buf, sizeof buf, v, 17);
  put(p, buf);
}

static void put_shape(pr *p, const ir_shape *s) {
  char buf[IR_MAX_RANK * 48 + 8];
  ir_shape_format(s, buf, sizeof buf);
  fputc('[', p->f);
  put(p, buf);
  fputc(']', p->f);
}

static void put_type(pr *p, const ir_type *t) {
  put(p, ir_etype_name(t->et));
  put_shape(p, &t->shape);
}

/* ---- attribute values ---- */

static ovcc_status put_value(pr *p, const ir_attr_value *v, int depth);

static ovcc_status put_dict(pr *p, const ir_attr *items, uint32_t n, int depth) {
  fputc('{', p->f);
  for (uint32_t i = 0; i < n; i++) {
    if (i)
      put(p, ", ");
    put_key(p, items[i].name);
    put(p, " = ");
    IR_TRY(put_value(p, &items[i].val, depth + 1));
  }
  fputc('}', p->f);
  return OVCC_OK;
}

static ovcc_status put_value(pr *p, const ir_attr_value *v, int depth) {
  if (depth > IR_PRINT_MAX_DEPTH)
    return too_deep(p);
  switch (v->kind) {
  case IR_ATTR_BOOL: put(p, v->u.b ? "true" : "false"); break;
  case IR_ATTR_INT: fprintf(p->f, "%" PRId64, v->u.i); break;
  case IR_ATTR_FLOAT: put_double(p, v->u.f); break;
  case IR_ATTR_STR: put_cstr(p, v->u.s); break;
  case IR_ATTR_ETYPE: put(p, ir_etype_name(v->u.et)); break;
  case IR_ATTR_SHAPE: put_shape(p, v->u.shape); break;
  case IR_ATTR_INTS:
    fputc('[', p->f);
    for (uint32_t i = 0; i < v->u.ints.n; i++)
      fprintf(p->f, "%s%" PRId64, i ? ", " : "", v->u.ints.v[i]);
    fputc(']', p->f);
    break;
  case IR_ATTR_FLOATS:
    fputc('[', p->f);
    for (uint32_t i = 0; i < v->u.floats.n; i++) {
      if (i)
        put(p, ", ");
      put_double(p, v->u.floats.v[i]);
    }
    fputc(']', p->f);
    break;
  case IR_ATTR_STRS:
    fputc('[', p->f);
    for (uint32_t i = 0; i < v->u.strs.n; i++) {
      if (i)
        put(p, ", ");
      put_cstr(p, v->u.strs.v[i]);
    }
    fputc(']', p->f);
    break;
  case IR_ATTR_ETYPES:
    fputc('[', p->f);
    for (uint32_t i = 0; i < v->u.etypes.n; i++)
      fprintf(p->f, "%s%s", i ? ", " : "", ir_etype_name(v->u.etypes.v[i]));
    fputc(']', p->f);
    break;
  case IR_ATTR_LIST:
    fputc('[', p->f);
    for (uint32_t i = 0; i < v->u.list.n; i++) {
      if (i)
        put(p, ", ");
      IR_TRY(put_value(p, &v->u.list.v[i], depth + 1));
    }
    fputc(']', p->f);
    break;
  case IR_ATTR_DICT: return put_dict(p, v->u.dict.v, v->u.dict.n, depth);
  case IR_ATTR_NONE:
  case IR_ATTR_KIND_COUNT:
    if (p->st == OVCC_OK)
      p->st = IR_ERR(p->d, OVCC_ERR_INTERNAL, "cannot print an attribute of kind %s",
                     ir_attr_kind_name(v->kind));
    return p->st;
  }
  return OVCC_OK;
}

/* ---- constant data ---- */

static void put_hex(pr *p, const uint8_t *b, uint64_t n) {
  put(p, "hex\"");
  for (uint64_t i = 0; i < n; i++)
    fprintf(p->f, "%02x", b[i]);
  fputc('"', p->f);
}

static uint32_t rd32(const uint8_t *b) {
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* Strings print as a list when the packed blob is exactly what the parser
 * rebuilds: count, offsets 0..total ascending, bytes, no NUL, nothing extra. */
static bool strings_exact(const uint8_t *b, uint64_t nbytes, uint64_t numel) {
  if (numel == 0)
    return nbytes == 0;
  if (nbytes < 8 || rd32(b) != numel || numel > (nbytes - 8) / 4)
    return false;
  uint64_t header = 8 + 4 * numel, prev = 0;
  if (rd32(b + 4) != 0)
    return false;
  for (uint64_t i = 1; i <= numel; i++) {
    uint64_t o = rd32(b + 4 + 4 * i);
    if (o < prev || o > nbytes - header)
      return false;
    prev = o;
  }
  if (header + prev != nbytes)
    return false;
  return memchr(b + header, 0, prev) == NULL;
}

static void put_strings(pr *p, const uint8_t *b, uint64_t numel) {
  uint64_t header = 8 + 4 * numel;
  put(p, "value = [");
  for (uint64_t i = 0; i < numel; i++) {
    uint32_t lo = rd32(b + 4 + 4 * i), hi = rd32(b + 8 + 4 * i);
    if (i)
      put(p, ", ");
    put_string(p, (const char *)b + header + lo, hi - lo);
  }
  fputc(']', p->f);
}

/* Formats element i exactly, or returns false if no decimal form reads back
 * to the same bits (NaN payloads, non-0/1 booleans). */
static bool fmt_elem(ir_etype et, const uint8_t *data, uint64_t i, char *buf, size_t cap) {
  uint64_t bits = ir_elem_get_bits(et, data, i);
  if (et == IR_ET_BOOLEAN) {
    if (bits > 1)
      return false;
    snprintf(buf, cap, bits ? "true" : "false");
    return true;
  }
  if (ir_etype_is_int(et)) {
    if (ir_etype_is_signed(et))
      snprintf(buf, cap, "%" PRId64, ir_elem_get_i64(et, data, i));
    else
      snprintf(buf, cap, "%" PRIu64, bits);
    return true;
  }
  double v = ir_elem_get_f64(et, data, i);
  if (et == IR_ET_F64)
    fmt_double(buf, cap, v, 17);
  else
    fmt_double(buf, cap, (double)(float)v, 9);
  /* Read back the way the parser does. */
  double back = strcmp(buf, "nan") == 0 ? NAN : strtod(buf, NULL);
  uint8_t tmp[8] = {0};
  ir_elem_set_f64(et, tmp, 0, back);
  return ir_elem_get_bits(et, tmp, 0) == bits;
}

static bool numbers_exact(ir_etype et, const uint8_t *data, uint64_t numel) {
  unsigned bits = ir_etype_bits(et);
  if (bits == 0 || bits % 8 || numel > IR_PRINT_MAX_VALUES)
    return false;
  char buf[64];
  for (uint64_t i = 0; i < numel; i++)
    if (!fmt_elem(et, data, i, buf, sizeof buf))
      return false;
  return true;
}

static void put_const_data(pr *p, const ir_op *op) {
  const ir_const *c = op->cst;
  const ir_type *t = &op->results[0].type;
  if (!c) {
    return;
  }
  if (c->bin_offset >= 0 && p->m->weights.path) {
    fprintf(p->f, ", offset = %" PRId64 ", size = %" PRIu64, c->bin_offset, c->nbytes);
    return;
  }
  uint64_t numel = 0;
  bool counted = ir_shape_numel(&t->shape, &numel);
  put(p, ", ");
  if (counted && t->et == IR_ET_STRING && strings_exact(c->data, c->nbytes, numel)) {
    put_strings(p, c->data, numel);
    return;
  }
  uint64_t want;
  if (counted && t->et != IR_ET_STRING && ir_etype_nbytes(t->et, numel, &want) &&
      want == c->nbytes && numbers_exact(t->et, c->data, numel)) {
    char buf[64];
    put(p, "value = [");
    for (uint64_t i = 0; i < numel; i++) {
      fmt_elem(t->et, c->data, i, buf, sizeof buf);
      fprintf(p->f, "%s%s", i ? ", " : "", buf);
    }
    fputc(']', p->f);
    return;
  }
  put(p, "value = ");
  put_hex(p, c->data, c->nbytes);
}

/* ---- ops ---- */

/* Whether attribute a equals its schema default (then it is not printed). */
static bool is_default(pr *p, const ir_op *op, const ir_attr *a) {
  int si = ir_op_schema_index(op->kind, a->name);
  if (si < 0)
    return false;
  const ir_attr_schema *s = &op->info->attrs[si];
  if (!s->def || s->kind != a->val.kind)
    return false;
  ir_attr_value dv;
  ir_diag scratch;
  ir_diag_clear(&scratch);
  if (!ir_attr_parse_xml(&p->tmp, s->kind, s->def, &dv, &scratch))
    return false;
  if (s->enums && dv.kind == IR_ATTR_STR)
    return strcasecmp(dv.u.s, a->val.u.s) == 0;
  return ir_attr_value_equal(&dv, &a->val);
}

static void put_op_name(pr *p, const ir_op *op) {
  if (!op->info) {
    put(p, "ov.");
    put(p, op->type_name ? op->type_name : "?");
  } else if (op->info->flags & OPF_INTERNAL) {
    put(p, op->info->name);
  } else {
    fprintf(p->f, "ov.%s", op->info->name);
    if (ir_op_info_multi_version(op->kind))
      fprintf(p->f, ".v%u", op->info->version);
  }
}

static ovcc_status put_attrs(pr *p, const ir_op *op) {
  bool is_const = op->kind == IR_OP_CONSTANT_1;
  bool any = false;
  for (uint32_t i = 0; i < op->n_attrs; i++) {
    const ir_attr *a = &op->attrs[i];
    if (op->info && !is_const && is_default(p, op, a))
      continue;
    put(p, any ? ", " : " {");
    any = true;
    put_key(p, a->name);
    put(p, " = ");
    IR_TRY(put_value(p, &a->val, 1));
  }
  if (is_const && op->cst) {
    if (!any) { /* no element_type/shape attributes: malformed, still printable */
      put(p, " {element_type = ");
      put(p, ir_etype_name(op->results[0].type.et));
      any = true;
    }
    put_const_data(p, op);
  }
  if (any)
    fputc('}', p->f);
  return OVCC_OK;
}

static bool has_names(const ir_op *op) {
  for (uint32_t i = 0; i < op->n_results; i++)
    if (op->results[i].n_names)
      return true;
  return false;
}

static bool has_port_rt(const ir_op *op) {
  for (uint32_t i = 0; i < op->n_results; i++) {
    const ir_attr_value *r = op->results[i].rt_info;
    if (r && r->kind == IR_ATTR_DICT && r->u.dict.n)
      return true;
  }
  return false;
}

static void meta_sep(pr *p, bool *any) {
  put(p, *any ? ", " : " meta {");
  *any = true;
}

static ovcc_status put_meta(pr *p, const ir_op *op) {
  bool any = false;
  if (op->name) {
    meta_sep(p, &any);
    put(p, "name = ");
    put_cstr(p, op->name);
  }
  if (op->xml_id >= 0) {
    meta_sep(p, &any);
    fprintf(p->f, "id = %" PRId64, op->xml_id);
  }
  if (op->rt_info && op->rt_info->kind == IR_ATTR_DICT && op->rt_info->u.dict.n) {
    meta_sep(p, &any);
    put(p, "rt_info = ");
    IR_TRY(put_value(p, op->rt_info, 1));
  }
  if (has_names(op)) {
    meta_sep(p, &any);
    put(p, "names = [");
    for (uint32_t i = 0; i < op->n_results; i++) {
      const ir_value *v = &op->results[i];
      put(p, i ? ", [" : "[");
      for (uint32_t k = 0; k < v->n_names; k++) {
        if (k)
          put(p, ", ");
        put_cstr(p, v->names[k]);
      }
      fputc(']', p->f);
    }
    fputc(']', p->f);
  }
  if (has_port_rt(op)) {
    meta_sep(p, &any);
    put(p, "port_rt_info = [");
    for (uint32_t i = 0; i < op->n_results; i++) {
      const ir_attr_value *r = op->results[i].rt_info;
      if (i)
        put(p, ", ");
      if (r && r->kind == IR_ATTR_DICT)
        IR_TRY(put_value(p, r, 2));
      else
        put(p, "{}");
    }
    fputc(']', p->f);
  }
  if (!op->info) {
    meta_sep(p, &any);
    put(p, "version = ");
    put_cstr(p, op->version_name ? op->version_name : "");
  }
  if (any)
    fputc('}', p->f);
  return OVCC_OK;
}

static void put_value_ref(pr *p, const ir_value *v) {
  if (!v)
    put(p, "%<null>");
  else
    fprintf(p->f, "%%%u", v->print_id);
}

static ovcc_status put_graph(pr *p, const ir_graph *g, int ind, int depth);

static ovcc_status put_op(pr *p, const ir_op *op, int ind, int depth) {
  indent(p, ind);
  for (uint32_t i = 0; i < op->n_results; i++) {
    if (i)
      put(p, ", ");
    put_value_ref(p, &op->results[i]);
  }
  if (op->n_results)
    put(p, " = ");
  put_op_name(p, op);
  fputc('(', p->f);
  for (uint32_t i = 0; i < op->n_operands; i++) {
    if (i)
      put(p, ", ");
    put_value_ref(p, op->operands[i].value);
  }
  fputc(')', p->f);
  IR_TRY(put_attrs(p, op));
  for (uint32_t i = 0; i < op->n_results; i++) {
    put(p, i ? ", " : " : ");
    put_type(p, &op->results[i].type);
  }
  IR_TRY(put_meta(p, op));
  if (op->n_bodies) {
    put(p, " {\n");
    for (uint32_t b = 0; b < op->n_bodies; b++)
      IR_TRY(put_graph(p, op->bodies[b], ind + 1, depth + 1));
    indent(p, ind);
    fputc('}', p->f);
  }
  fputc('\n', p->f);
  return OVCC_OK;
}

static ovcc_status put_graph_attrs(pr *p, const ir_model *m) {
  fprintf(p->f, " attributes {ir_version = %d", m->ir_version);
  if (m->weights.path) {
    put(p, ", weights = ");
    put_cstr(p, m->weights.path);
  }
  if (m->rt_info && m->rt_info->kind == IR_ATTR_DICT && m->rt_info->u.dict.n) {
    put(p, ", rt_info = ");
    IR_TRY(put_value(p, m->rt_info, 1));
  }
  if (m->meta && m->meta->kind == IR_ATTR_DICT && m->meta->u.dict.n) {
    put(p, ", meta_data = ");
    IR_TRY(put_value(p, m->meta, 1));
  }
  fputc('}', p->f);
  return OVCC_OK;
}

static ovcc_status put_graph(pr *p, const ir_graph *g, int ind, int depth) {
  if (depth > IR_PRINT_MAX_DEPTH)
    return too_deep(p);
  if (!g) {
    p->st = IR_ERR(p->d, OVCC_ERR_INVALID_ARG, "cannot print: missing body graph");
    return p->st;
  }
  uint32_t id = 0;
  IR_FOR_EACH_OP(g, op) {
    for (uint32_t i = 0; i < op->n_results; i++)
      op->results[i].print_id = id++;
  }
  indent(p, ind);
  put(p, "graph");
  const char *name = g->parent ? g->name : (g->name ? g->name : p->m->name);
  if (name) {
    fputc(' ', p->f);
    fputc('@', p->f);
    if (is_sym_name(name))
      put(p, name);
    else
      put_cstr(p, name);
  }
  if (!g->parent)
    IR_TRY(put_graph_attrs(p, p->m));
  put(p, " {\n");
  IR_FOR_EACH_OP(g, op) {
    IR_TRY(put_op(p, op, ind + 1, depth));
    ir_arena_free(&p->tmp);
    ir_arena_init(&p->tmp);
  }
  indent(p, ind);
  put(p, "}\n");
  return OVCC_OK;
}

ovcc_status ir_print_model(ir_model *m, FILE *f, ir_diag *d) {
  pr p = {.f = f, .d = d, .m = m, .st = OVCC_OK};
  ir_arena_init(&p.tmp);
  ovcc_status st = put_graph(&p, m->main, 0, 0);
  ir_arena_free(&p.tmp);
  if (st != OVCC_OK)
    return st;
  if (fflush(f) != 0 || ferror(f))
    return IR_ERR(d, OVCC_ERR_IO, "cannot write the textual IR");
  return OVCC_OK;
}
