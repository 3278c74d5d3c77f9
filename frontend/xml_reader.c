/* OpenVINO IR v10/v11 reader on the libxml2 DOM.
 *
 * Each graph (the <net> and every body) is read in three steps:
 *  1. every <layer> in document order: id, type/version, ports, the op with
 *     its attributes (schema-typed), declared output types, tensor names,
 *     rt_info, Constant data (views into the .bin) and bodies;
 *  2. every <edge>: (from-layer, from-port) -> producer output index and
 *     (to-layer, to-port) -> consumer input index through per-layer port-id
 *     maps (port ids are not indices);
 *  3. op order: Parameters in document order, the rest in topological order
 *     (iterative DFS from Results/Assigns, then any unreachable layer), Results
 *     last in document order. A cycle is an error naming a layer on it.
 * Then the model gets its metadata, the v10 name fix-ups, type inference
 * (port precisions are hints, port dims a cross-check: see infer_main) and
 * the verifier. Nothing the input does can crash the reader: libxml2 runs
 * without network, entity substitution or DTD loading, every number is
 * parsed strictly and every limit is checked. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlversion.h>

#include "xml_internal.h"

/* ---- DOM helpers ---- */

bool xr_is(const xmlNode *n, const char *name) {
  return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

xmlNode *xr_child(xmlNode *n, const char *name) {
  for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
    if (xr_is(c, name))
      return c;
  return NULL;
}

xmlNode *xr_next(xmlNode *c, const char *name) {
  for (c = c->next; c; c = c->next)
    if (xr_is(c, name))
      return c;
  return NULL;
}

static uint32_t count_children(xmlNode *n, const char *name) {
  uint32_t k = 0;
  for (xmlNode *c = xr_child(n, name); c && k < UINT32_MAX; c = xr_next(c, name))
    k++;
  return k;
}

const char *xr_attr(xr *r, xmlNode *n, const char *name) {
  if (!n)
    return NULL;
  for (xmlAttr *a = n->properties; a; a = a->next) {
    if (strcmp((const char *)a->name, name) != 0)
      continue;
    xmlNode *c = a->children;
    if (!c)
      return "";
    if (!c->next && c->type == XML_TEXT_NODE)
      return c->content ? (const char *)c->content : "";
    /* Several nodes (entity references): join them without expanding. */
    xmlChar *s = xmlNodeListGetString(r->doc, c, 0);
    if (!s)
      return "";
    char *cp = ir_arena_strdup(&r->scratch, (const char *)s);
    xmlFree(s);
    return cp;
  }
  return NULL;
}

const char *xr_text(xr *r, xmlNode *n) {
  xmlNode *only = NULL;
  size_t len = 0, parts = 0;
  for (xmlNode *c = n->children; c; c = c->next)
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
      only = c;
      len += strlen((const char *)c->content);
      parts++;
    }
  if (parts == 0)
    return "";
  if (parts == 1)
    return (const char *)only->content;
  char *buf = ir_arena_alloc(&r->scratch, len + 1);
  if (!buf)
    return "";
  size_t at = 0;
  for (xmlNode *c = n->children; c; c = c->next)
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
      size_t k = strlen((const char *)c->content);
      memcpy(buf + at, c->content, k);
      at += k;
    }
  buf[at] = 0;
  return buf;
}

bool xr_parse_i64(const char *s, int64_t *out) {
  if (!s)
    return false;
  while (isspace((unsigned char)*s))
    s++;
  if (!*s || !(isdigit((unsigned char)*s) || *s == '-' || *s == '+'))
    return false;
  errno = 0;
  char *end;
  long long v = strtoll(s, &end, 10);
  if (end == s || errno)
    return false;
  while (isspace((unsigned char)*end))
    end++;
  if (*end)
    return false;
  *out = v;
  return true;
}

long xr_line(const xmlNode *n) {
  long l = n ? xmlGetLineNo(n) : 0;
  return l < 0 ? 0 : l;
}

/* ---- diagnostics ---- */

static int clamp_line(long line) { return line > INT_MAX ? INT_MAX : (int)line; }

ovcc_status xr_err_at(xr *r, long line, ovcc_status st, const char *fmt, ...) {
  char msg[IR_DIAG_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (line > 0)
    IR_ERR(r->d, st, "%s:%ld: %s", r->file, line, msg);
  else
    IR_ERR(r->d, st, "%s: %s", r->file, msg);
  r->d->line = clamp_line(line);
  return st;
}

ovcc_status xr_op_err(xr *r, const ir_op *op, const char *fmt, ...) {
  char msg[IR_DIAG_MSG_MAX], where[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  ir_op_describe(op, where, sizeof where);
  IR_ERR(r->d, OVCC_ERR_INVALID_MODEL, "%s: %s", where, msg);
  r->d->line = op->loc.line;
  return OVCC_ERR_INVALID_MODEL;
}

ovcc_status xr_op_fail(xr *r, const ir_op *op, ovcc_status st) {
  if (st == OVCC_ERR_NOMEM)
    return st;
  char where[768];
  ir_op_describe(op, where, sizeof where);
  ir_diag_prefix(r->d, "%s: ", where);
  r->d->status = st;
  r->d->line = op->loc.line;
  return st;
}

/* Errors about a layer whose op does not exist yet. */
static ovcc_status layer_err(xr *r, const xr_layer *L, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static ovcc_status layer_err(xr *r, const xr_layer *L, const char *fmt, ...) {
  char msg[IR_DIAG_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return xr_err_at(r, L->line, OVCC_ERR_INVALID_MODEL, "layer '%s' (id %" PRId64 ", %s %s): %s",
                   L->name ? L->name : "", L->id, L->type ? L->type : "?",
                   L->version ? L->version : "", msg);
}

/* ---- layer header and ports ---- */

static ovcc_status parse_ports(xr *r, xr_layer *L, const char *list, xr_port **out, uint32_t *n) {
  xmlNode *ln = xr_child(L->node, list);
  uint32_t k = count_children(ln, "port");
  if (k > FE_MAX_PORTS)
    return layer_err(r, L, "%u %s ports (limit %d)", k, list, FE_MAX_PORTS);
  xr_port *p = ir_arena_alloc(&r->scratch, (k + 1) * sizeof *p);
  if (!p)
    return IR_NOMEM(r->d);
  uint32_t i = 0;
  for (xmlNode *c = xr_child(ln, "port"); c; c = xr_next(c, "port"), i++) {
    const char *id = xr_attr(r, c, "id");
    if (!id)
      return layer_err(r, L, "%s port at line %ld has no 'id'", list, xr_line(c));
    if (!xr_parse_i64(id, &p[i].id) || p[i].id < 0)
      return layer_err(r, L, "%s port id '%s' is not a non-negative integer", list, id);
    for (uint32_t j = 0; j < i; j++)
      if (p[j].id == p[i].id)
        return layer_err(r, L, "duplicate %s port id %" PRId64, list, p[i].id);
    p[i].node = c;
  }
  *out = p;
  *n = k;
  return OVCC_OK;
}


/* Op types become `ov.<Type>` in textual IR, so they must be identifiers;
 * every OpenVINO op type is one. */
static bool is_op_type_name(const char *s) {
  if (!(isalpha((unsigned char)*s) || *s == '_'))
    return false;
  for (s++; *s; s++)
    if (!(isalnum((unsigned char)*s) || *s == '_'))
      return false;
  return true;
}

static ovcc_status parse_layer_header(xr *r, xmlNode *n, xr_layer *L) {
  L->node = n;
  L->line = xr_line(n);
  L->id = -1;
  const char *id = xr_attr(r, n, "id");
  if (!id)
    return xr_err_at(r, L->line, OVCC_ERR_INVALID_MODEL, "layer has no 'id' attribute");
  if (!xr_parse_i64(id, &L->id) || L->id < 0)
    return xr_err_at(r, L->line, OVCC_ERR_INVALID_MODEL,
                     "layer id '%s' is not a non-negative integer", id);
  L->name = xr_attr(r, n, "name");
  L->type = xr_attr(r, n, "type");
  L->version = xr_attr(r, n, "version");
  if (!L->type || !*L->type)
    return layer_err(r, L, "missing attribute 'type'");
  if (!is_op_type_name(L->type))
    return layer_err(r, L, "attribute 'type' = '%s' is not an op type name ([A-Za-z_][A-Za-z0-9_]*)",
                     L->type);
  IR_TRY(parse_ports(r, L, "input", &L->in, &L->n_in));
  IR_TRY(parse_ports(r, L, "output", &L->out, &L->n_out));
  L->src = ir_arena_alloc(&r->scratch, (L->n_in + 1) * sizeof *L->src);
  L->src_port = ir_arena_alloc(&r->scratch, (L->n_in + 1) * sizeof *L->src_port);
  L->src_line = ir_arena_alloc(&r->scratch, (L->n_in + 1) * sizeof *L->src_line);
  if (!L->src || !L->src_port || !L->src_line)
    return IR_NOMEM(r->d);
  return OVCC_OK;
}

/* ---- op creation ---- */

static ovcc_status check_counts(xr *r, const xr_layer *L, const ir_op *op) {
  const ir_op_info *in = op->info;
  if (!in)
    return OVCC_OK;
  int n = (int)L->n_in;
  if (n < in->min_in || (in->max_in >= 0 && n > in->max_in)) {
    if (in->max_in < 0)
      return xr_op_err(r, op, "expects at least %d inputs, got %d", in->min_in, n);
    if (in->min_in == in->max_in)
      return xr_op_err(r, op, "expects %d inputs, got %d", in->min_in, n);
    return xr_op_err(r, op, "expects %d to %d inputs, got %d", in->min_in, in->max_in, n);
  }
  if (in->n_out >= 0 && (int)L->n_out != in->n_out)
    return xr_op_err(r, op, "expects %d outputs, got %u output ports", in->n_out, L->n_out);
  return OVCC_OK;
}

static ovcc_status read_schema_attrs(xr *r, ir_op *op, xmlNode *data) {
  const ir_op_info *in = op->info;
  for (uint32_t i = 0; i < in->n_attrs && data; i++) {
    const ir_attr_schema *s = &in->attrs[i];
    if (s->kind == IR_ATTR_LIST || s->kind == IR_ATTR_DICT)
      continue; /* port maps: from <port_map>, never <data> */
    const char *t = xr_attr(r, data, s->name);
    if (!t)
      continue;
    ir_attr_value v;
    if (!ir_attr_parse_xml(&r->scratch, s->kind, t, &v, r->d)) {
      if (r->d->status == OVCC_ERR_NOMEM)
        return OVCC_ERR_NOMEM;
      ir_diag_prefix(r->d, "attribute '%s': ", s->name);
      return xr_op_fail(r, op, OVCC_ERR_INVALID_MODEL);
    }
    if (!ir_op_set_attr(r->m, op, s->name, &v))
      return IR_NOMEM(r->d);
  }
  return OVCC_OK;
}

static ovcc_status read_opaque_attrs(xr *r, ir_op *op, xmlNode *data) {
  for (xmlAttr *a = data ? data->properties : NULL; a; a = a->next) {
    const char *t = xr_attr(r, data, (const char *)a->name);
    ir_attr_value v = {.kind = IR_ATTR_STR, .u.s = t ? t : ""};
    if (!ir_op_set_attr(r->m, op, (const char *)a->name, &v))
      return IR_NOMEM(r->d);
  }
  return OVCC_OK;
}

/* Port `names`: comma separated, "\\," is a literal comma, items trimmed,
 * empty items dropped. The names live in scratch. */
static ovcc_status parse_names(xr *r, const char *s, const char ***out, uint32_t *n_out) {
  size_t len = strlen(s), cap = 1;
  for (size_t i = 0; i < len; i++)
    cap += s[i] == ',';
  const char **names = ir_arena_alloc(&r->scratch, cap * sizeof *names);
  char *buf = ir_arena_alloc(&r->scratch, len + 1);
  if (!names || !buf)
    return IR_NOMEM(r->d);
  uint32_t n = 0;
  size_t at = 0, start = 0;
  for (size_t i = 0;; i++) {
    if (i < len && s[i] == '\\' && i + 1 < len && s[i + 1] == ',') {
      buf[at++] = ',';
      i++;
      continue;
    }
    if (i == len || s[i] == ',') {
      size_t b = start, e = at;
      while (b < e && isspace((unsigned char)buf[b]))
        b++;
      while (e > b && isspace((unsigned char)buf[e - 1]))
        e--;
      if (e > b) {
        buf[e] = 0;
        names[n++] = buf + b;
      }
      at++; /* keeps each name's terminator inside buf */
      start = at;
      if (i == len)
        break;
      continue;
    }
    buf[at++] = s[i];
  }
  *out = names;
  *n_out = n;
  return OVCC_OK;
}

static bool has_name(const ir_value *v, const char *s) {
  for (uint32_t i = 0; i < v->n_names; i++)
    if (strcmp(v->names[i], s) == 0)
      return true;
  return false;
}

/* Adds tensor name s to v unless it has it. */
static ovcc_status add_name(xr *r, ir_value *v, const char *s) {
  if (has_name(v, s))
    return OVCC_OK;
  const char **arr = ir_arena_alloc(&r->scratch, (v->n_names + 1) * sizeof *arr);
  if (!arr)
    return IR_NOMEM(r->d);
  for (uint32_t i = 0; i < v->n_names; i++)
    arr[i] = v->names[i];
  arr[v->n_names] = s;
  return ir_value_set_names(r->m, v, arr, v->n_names + 1) ? OVCC_OK : IR_NOMEM(r->d);
}

static ovcc_status add_names(xr *r, ir_value *v, const char *s) {
  const char **names = NULL;
  uint32_t n = 0;
  IR_TRY(parse_names(r, s, &names, &n));
  for (uint32_t i = 0; i < n; i++)
    IR_TRY(add_name(r, v, names[i]));
  return OVCC_OK;
}

static ovcc_status read_out_port(xr *r, const xr_layer *L, ir_op *op, uint32_t i) {
  xmlNode *p = L->out[i].node;
  ir_value *v = &op->results[i];
  int64_t pid = L->out[i].id;
  const char *prec = xr_attr(r, p, "precision");
  ir_etype et = IR_ET_DYNAMIC;
  if (prec && *prec && !ir_etype_parse(prec, strlen(prec), &et))
    return xr_op_err(r, op, "output port %" PRId64 ": unknown precision '%s'", pid, prec);
  ir_shape s;
  s.rank = 0;
  for (xmlNode *dn = xr_child(p, "dim"); dn; dn = xr_next(dn, "dim")) {
    if (s.rank >= IR_MAX_RANK)
      return xr_op_err(r, op, "output port %" PRId64 ": rank exceeds %d", pid, IR_MAX_RANK);
    const char *t = xr_text(r, dn);
    int64_t dv;
    if (!xr_parse_i64(t, &dv))
      return xr_op_err(r, op, "output port %" PRId64 ": dimension '%s' is not an integer", pid,
                       t);
    if (dv < -1 || dv > IR_MAX_DIM)
      return xr_op_err(r, op, "output port %" PRId64 ": dimension %" PRId64
                       " is out of range (-1 or 0..%" PRId64 ")", pid, dv, (int64_t)IR_MAX_DIM);
    s.d[s.rank++] = dv < 0 ? ir_dim_dynamic() : ir_dim_static(dv);
  }
  v->type.et = et;
  v->type.shape = s;
  const char *names = xr_attr(r, p, "names");
  if (names)
    IR_TRY(add_names(r, v, names));
  if (r->version >= 11) {
    xmlNode *rt = xr_child(p, "rt_info");
    if (rt)
      IR_TRY(xr_node_rt_info(r, rt, &v->rt_info));
  }
  return OVCC_OK;
}

static ovcc_status attr_i64(xr *r, ir_op *op, xmlNode *data, const char *name, bool required,
                            int64_t *out) {
  const char *t = xr_attr(r, data, name);
  if (!t) {
    if (required)
      return xr_op_err(r, op, "missing required attribute '%s'", name);
    return OVCC_OK;
  }
  if (!xr_parse_i64(t, out))
    return xr_op_err(r, op, "attribute '%s': expected int, got '%s'", name, t);
  return OVCC_OK;
}

static uint32_t le32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* String constants: int32 count N, N+1 int32 offsets, then the bytes. */
static ovcc_status check_string_blob(xr *r, ir_op *op, const uint8_t *p, uint64_t size,
                                     uint64_t numel) {
  if (size < 8)
    return xr_op_err(r, op, "string constant: %" PRIu64 " bytes cannot hold its header", size);
  uint64_t n = le32(p);
  if (n != numel)
    return xr_op_err(r, op, "string constant: packed count %" PRIu64 " but shape has %" PRIu64
                     " elements", n, numel);
  if (n > (size - 8) / 4)
    return xr_op_err(r, op, "string constant: %" PRIu64 " offsets do not fit in %" PRIu64 " bytes",
                     n + 1, size);
  uint64_t header = 8 + 4 * n, prev = 0;
  for (uint64_t i = 0; i <= n; i++) {
    uint64_t o = le32(p + 4 + 4 * i);
    if (o < prev || o > size - header)
      return xr_op_err(r, op, "string constant: offset %" PRIu64 " of element %" PRIu64
                       " is out of order or out of range", o, i);
    prev = o;
  }
  return OVCC_OK;
}

static ovcc_status read_constant(xr *r, ir_op *op, xmlNode *data) {
  static const uint8_t empty[1] = {0};
  const ir_attr_value *eta = ir_op_attr(op, "element_type"), *sha = ir_op_attr(op, "shape");
  if (!eta || !sha)
    return xr_op_err(r, op, "missing element_type or shape");
  ir_type t = {eta->u.et, *sha->u.shape};
  uint64_t numel, want = 0;
  if (!ir_shape_is_static(&t.shape) || !ir_shape_numel(&t.shape, &numel)) {
    char buf[256];
    ir_shape_format(&t.shape, buf, sizeof buf);
    return xr_op_err(r, op, "constant shape [%s] must be static with a representable element count",
                     buf);
  }
  int64_t off = 0, size = 0;
  IR_TRY(attr_i64(r, op, data, "offset", numel != 0, &off));
  IR_TRY(attr_i64(r, op, data, "size", numel != 0, &size));
  if (off < 0 || size < 0)
    return xr_op_err(r, op, "negative weights range (offset %" PRId64 ", size %" PRId64 ")", off,
                     size);
  bool is_str = t.et == IR_ET_STRING;
  if (!is_str) {
    if (!ir_etype_nbytes(t.et, numel, &want))
      return xr_op_err(r, op, "element type %s cannot hold constant data (%" PRIu64 " elements)",
                       ir_etype_name(t.et), numel);
    if ((uint64_t)size != want)
      return xr_op_err(r, op, "size %" PRId64 " does not match %" PRIu64 " elements of %s (%" PRIu64
                       " bytes)", size, numel, ir_etype_name(t.et), want);
  }
  const uint8_t *p = empty;
  if (size > 0) {
    ovcc_status st = fe_weights_range(r->m, off, size, &p, r->d);
    if (st != OVCC_OK)
      return xr_op_fail(r, op, st);
    if (is_str)
      IR_TRY(check_string_blob(r, op, p, (uint64_t)size, numel));
  } else if (is_str && numel != 0) {
    return xr_op_err(r, op, "string constant of %" PRIu64 " elements has size 0", numel);
  }
  ir_const *c = ir_arena_alloc(&r->m->arena, sizeof *c);
  if (!c)
    return IR_NOMEM(r->d);
  c->data = p;
  c->nbytes = (uint64_t)size;
  c->bin_offset = size > 0 ? off : -1;
  op->cst = c;
  /* The attributes are authoritative; port dims must agree. */
  ir_type *decl = &op->results[0].type;
  ir_shape merged;
  if ((decl->et != IR_ET_DYNAMIC && decl->et != t.et) ||
      !ir_shape_merge(&merged, &decl->shape, &t.shape))
    return xr_op_err(r, op, "output port type contradicts element_type/shape attributes");
  *decl = t;
  return OVCC_OK;
}

static bool has_bodies(const ir_op *op) { return op->info && (op->info->flags & OPF_REGION); }

/* Step 1 for one layer: the op, complete except its operands. */
static ovcc_status build_op(xr *r, xr_layer *L, int depth) {
  ir_model *m = r->m;
  ir_op_id kind;
  const char *why = NULL;
  ir_op *op;
  if (ir_op_resolve_xml(L->type, L->version, &kind, &why))
    op = ir_op_create(m, kind, L->n_in, L->n_out);
  else
    op = ir_op_create_opaque(m, L->type, L->version, L->n_in, L->n_out);
  if (!op)
    return IR_NOMEM(r->d);
  if (L->name && !(op->name = ir_arena_strdup(&m->arena, L->name)))
    return IR_NOMEM(r->d);
  op->xml_id = L->id;
  op->loc = (ir_loc){r->file, clamp_line(L->line), 0};
  L->op = op;
  IR_TRY(check_counts(r, L, op));
  xmlNode *data = xr_child(L->node, "data");
  if (!op->info) {
    IR_TRY(read_opaque_attrs(r, op, data));
  } else {
    IR_TRY(read_schema_attrs(r, op, data));
    if (has_bodies(op))
      IR_TRY(xr_read_bodies(r, L, op, depth));
    ovcc_status st = ir_op_apply_schema(m, op, r->d);
    if (st != OVCC_OK)
      return xr_op_fail(r, op, st);
  }
  for (uint32_t i = 0; i < L->n_out; i++)
    IR_TRY(read_out_port(r, L, op, i));
  if (r->version >= 11) {
    xmlNode *rt = xr_child(L->node, "rt_info");
    if (rt)
      IR_TRY(xr_node_rt_info(r, rt, &op->rt_info));
  }
  if (op->kind == IR_OP_CONSTANT_1)
    IR_TRY(read_constant(r, op, data));
  return OVCC_OK;
}

/* ---- ids and edges ---- */

static int cmp_idx(const void *a, const void *b) {
  const xr_idx *x = a, *y = b;
  if (x->id != y->id)
    return x->id < y->id ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

int64_t xr_find_layer(const xr_graph *g, int64_t id) {
  size_t lo = 0, hi = g->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (g->by_id[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < g->n && g->by_id[lo].id == id ? (int64_t)g->by_id[lo].index : -1;
}

static int64_t find_port(const xr_port *p, uint32_t n, int64_t id) {
  for (uint32_t i = 0; i < n; i++)
    if (p[i].id == id)
      return i;
  return -1;
}

static ovcc_status read_edge(xr *r, xr_graph *g, xmlNode *e) {
  static const char *const keys[4] = {"from-layer", "from-port", "to-layer", "to-port"};
  int64_t v[4];
  long line = xr_line(e);
  for (int k = 0; k < 4; k++) {
    const char *t = xr_attr(r, e, keys[k]);
    if (!t)
      return xr_err_at(r, line, OVCC_ERR_INVALID_MODEL, "edge has no '%s' attribute", keys[k]);
    if (!xr_parse_i64(t, &v[k]) || v[k] < 0)
      return xr_err_at(r, line, OVCC_ERR_INVALID_MODEL,
                       "edge attribute '%s' = '%s' is not a non-negative integer", keys[k], t);
  }
  int64_t fl = xr_find_layer(g, v[0]), tl = xr_find_layer(g, v[2]);
  if (fl < 0 || tl < 0)
    return xr_err_at(r, line, OVCC_ERR_INVALID_MODEL,
                     "edge %" PRId64 ":%" PRId64 " -> %" PRId64 ":%" PRId64
                     ": no layer with id %" PRId64, v[0], v[1], v[2], v[3], fl < 0 ? v[0] : v[2]);
  xr_layer *from = &g->layers[fl], *to = &g->layers[tl];
  int64_t fp = find_port(from->out, from->n_out, v[1]);
  if (fp < 0)
    return xr_op_err(r, from->op, "edge at line %ld: no output port %" PRId64, line, v[1]);
  int64_t tp = find_port(to->in, to->n_in, v[3]);
  if (tp < 0)
    return xr_op_err(r, to->op, "edge at line %ld: no input port %" PRId64, line, v[3]);
  if (to->src_line[tp])
    return xr_op_err(r, to->op, "input port %" PRId64 " has more than one incoming edge (lines %ld and %ld)",
                     v[3], to->src_line[tp], line ? line : -1);
  to->src[tp] = (uint32_t)fl;
  to->src_port[tp] = (uint32_t)fp;
  to->src_line[tp] = line ? line : -1;
  return OVCC_OK;
}

/* ---- order ---- */

static bool is_kind(const xr_layer *L, ir_op_id k) { return L->op->kind == k; }
static bool is_assign(const xr_layer *L) {
  return is_kind(L, IR_OP_ASSIGN_3) || is_kind(L, IR_OP_ASSIGN_6);
}

/* Post-order DFS over inputs from `root` (explicit stack); appends to order,
 * except Results (they go last). */
static ovcc_status dfs(xr *r, xr_graph *g, uint32_t root, uint32_t *stack, uint32_t *order,
                       uint32_t *n_order) {
  uint32_t sp = 0;
  if (g->layers[root].state)
    return OVCC_OK;
  g->layers[root].state = 1;
  stack[sp++] = root;
  while (sp) {
    xr_layer *L = &g->layers[stack[sp - 1]];
    if (L->next < L->n_in) {
      uint32_t s = L->src[L->next++];
      xr_layer *S = &g->layers[s];
      if (S->state == 1)
        return xr_op_err(r, S->op, "is part of a cycle (it depends on itself through its inputs)");
      if (S->state == 0) {
        S->state = 1;
        stack[sp++] = s;
      }
      continue;
    }
    L->state = 2;
    sp--;
    if (!is_kind(L, IR_OP_RESULT_1))
      order[(*n_order)++] = (uint32_t)(L - g->layers);
  }
  return OVCC_OK;
}

static ovcc_status order_layers(xr *r, xr_graph *g, uint32_t *order) {
  uint32_t n = 0, *stack = ir_arena_alloc(&r->scratch, (g->n + 1) * sizeof *stack);
  if (!stack)
    return IR_NOMEM(r->d);
  for (uint32_t i = 0; i < g->n; i++)
    if (is_kind(&g->layers[i], IR_OP_PARAMETER_1)) {
      g->layers[i].state = 2;
      order[n++] = i;
    }
  for (uint32_t i = 0; i < g->n; i++)
    if (is_kind(&g->layers[i], IR_OP_RESULT_1) || is_assign(&g->layers[i]))
      IR_TRY(dfs(r, g, i, stack, order, &n));
  for (uint32_t i = 0; i < g->n; i++) /* unreachable layers: kept for DCE */
    IR_TRY(dfs(r, g, i, stack, order, &n));
  for (uint32_t i = 0; i < g->n; i++)
    if (is_kind(&g->layers[i], IR_OP_RESULT_1))
      order[n++] = i;
  return n == g->n ? OVCC_OK : IR_ERR(r->d, OVCC_ERR_INTERNAL, "layer order lost layers");
}

/* ---- a graph ---- */

static ovcc_status index_layers(xr *r, xr_graph *g) {
  g->by_id = ir_arena_alloc(&r->scratch, (g->n + 1) * sizeof *g->by_id);
  if (!g->by_id)
    return IR_NOMEM(r->d);
  for (uint32_t i = 0; i < g->n; i++)
    g->by_id[i] = (xr_idx){g->layers[i].id, i};
  qsort(g->by_id, g->n, sizeof *g->by_id, cmp_idx);
  for (uint32_t i = 1; i < g->n; i++)
    if (g->by_id[i].id == g->by_id[i - 1].id) {
      const xr_layer *a = &g->layers[g->by_id[i - 1].index], *b = &g->layers[g->by_id[i].index];
      return xr_err_at(r, b->line, OVCC_ERR_INVALID_MODEL,
                       "duplicate layer id %" PRId64 " (layers '%s' at line %ld and '%s')", b->id,
                       a->name ? a->name : "", a->line, b->name ? b->name : "");
    }
  return OVCC_OK;
}

static ovcc_status link_graph(xr *r, xr_graph *xg, ir_graph *g, const uint32_t *order) {
  for (uint32_t k = 0; k < xg->n; k++) {
    xr_layer *L = &xg->layers[order[k]];
    for (uint32_t j = 0; j < L->n_in; j++)
      ir_op_set_operand(L->op, j, &xg->layers[L->src[j]].op->results[L->src_port[j]]);
    ir_graph_insert(g, L->op, NULL);
    /* Result `output_names` (newest v11 writers): names of the model output */
    const char *on = L->op->kind == IR_OP_RESULT_1 ? xr_attr(r, L->node, "output_names") : NULL;
    if (on)
      IR_TRY(add_names(r, ir_op_operand(L->op, 0), on));
  }
  for (uint32_t i = 0; i < xg->n; i++) { /* registrations in document order */
    xr_layer *L = &xg->layers[i];
    bool ok = true;
    if (is_kind(L, IR_OP_PARAMETER_1))
      ok = ir_graph_add_param(g, L->op);
    else if (is_kind(L, IR_OP_RESULT_1))
      ok = ir_graph_add_result(g, L->op);
    else if (is_assign(L))
      ok = ir_graph_add_sink(g, L->op);
    if (!ok)
      return IR_NOMEM(r->d);
  }
  return OVCC_OK;
}

ovcc_status xr_read_graph(xr *r, xmlNode *root, ir_graph *g, int depth, xr_graph *xg) {
  memset(xg, 0, sizeof *xg);
  xmlNode *layers = xr_child(root, "layers");
  if (!layers)
    return xr_err_at(r, xr_line(root), OVCC_ERR_INVALID_MODEL, "<%s> has no <layers>",
                     (const char *)root->name);
  uint32_t n = count_children(layers, "layer");
  if (n > FE_MAX_LAYERS)
    return xr_err_at(r, xr_line(layers), OVCC_ERR_INVALID_MODEL, "%u layers (limit %d)", n,
                     FE_MAX_LAYERS);
  xg->layers = ir_arena_alloc(&r->scratch, (n + 1) * sizeof *xg->layers);
  if (!xg->layers)
    return IR_NOMEM(r->d);
  xg->n = n;
  uint32_t i = 0;
  for (xmlNode *c = xr_child(layers, "layer"); c; c = xr_next(c, "layer"), i++)
    IR_TRY(parse_layer_header(r, c, &xg->layers[i]));
  IR_TRY(index_layers(r, xg));
  for (i = 0; i < n; i++)
    IR_TRY(build_op(r, &xg->layers[i], depth));
  xmlNode *edges = xr_child(root, "edges");
  for (xmlNode *e = xr_child(edges, "edge"); e; e = xr_next(e, "edge"))
    IR_TRY(read_edge(r, xg, e));
  for (i = 0; i < n; i++) {
    xr_layer *L = &xg->layers[i];
    for (uint32_t j = 0; j < L->n_in; j++)
      if (!L->src_line[j])
        return xr_op_err(r, L->op, "input port %" PRId64 " is not connected (no edge)", L->in[j].id);
  }
  uint32_t *order = ir_arena_alloc(&r->scratch, (n + 1) * sizeof *order);
  if (!order)
    return IR_NOMEM(r->d);
  IR_TRY(order_layers(r, xg, order));
  return link_graph(r, xg, g, order);
}

/* ---- model ---- */

/* IR v10 (OpenVINO's update_v10_model): Parameter friendly names become
 * tensor names of their outputs; each Result's producer name (".<port>" when
 * the producer has several outputs) names the Result's input. The legacy
 * v10 I/O precision conversions are not applied: types stay as stored. */
static ovcc_status v10_fixups(xr *r) {
  ir_graph *g = r->m->main;
  for (uint32_t i = 0; i < g->n_params; i++) {
    ir_op *p = g->params[i];
    if (p->name && *p->name && p->n_results == 1)
      IR_TRY(add_name(r, &p->results[0], p->name));
  }
  for (uint32_t i = 0; i < g->n_results; i++) {
    ir_value *v = ir_op_operand(g->results[i], 0);
    if (!v || !v->def->name || !*v->def->name)
      continue;
    char buf[1024];
    if (v->def->n_results > 1)
      snprintf(buf, sizeof buf, "%s.%u", v->def->name, v->index);
    else
      snprintf(buf, sizeof buf, "%s", v->def->name);
    IR_TRY(add_name(r, v, buf));
  }
  return OVCC_OK;
}

static bool undeclared(const ir_type *t) { return t->et == IR_ET_DYNAMIC && t->shape.rank < 0; }

/* Type inference over the main graph. OpenVINO re-infers every known op and
 * never reads port precisions (real files carry wrong ones: MaxPool-8 indices
 * written as FP32, v10 outputs in their legacy API precision), so for known
 * non-source ops the inferred element type wins; port dims stay a cross-check
 * (merged, an incompatible shape is an error). Where no shape function runs
 * yet (or it cannot handle the case) the op keeps its port types, and so do
 * opaque ops, Parameters and Constants (checked by their shape functions). */
static ovcc_status infer_main(xr *r) {
  ir_graph *g = r->m->main;
  uint32_t most = 0;
  IR_FOR_EACH_OP(g, op) {
    most = op->n_results > most ? op->n_results : most;
    for (uint32_t i = 0; i < op->n_results; i++)
      op->results[i].known = NULL;
  }
  ir_type *xml = ir_arena_alloc(&r->scratch, (most + 1) * sizeof *xml);
  if (!xml)
    return IR_NOMEM(r->d);
  IR_FOR_EACH_OP(g, op) {
    bool reinfer = op->info && ir_op_has_shape_fn(op->info) && !(op->info->flags & OPF_SOURCE);
    if (!reinfer) {
      IR_TRY(ir_infer_op(op, false, r->d));
      continue;
    }
    for (uint32_t i = 0; i < op->n_results; i++) {
      xml[i] = op->results[i].type;
      op->results[i].type = (ir_type){IR_ET_DYNAMIC, ir_shape_dynamic_rank()};
    }
    IR_TRY(ir_infer_op(op, false, r->d));
    for (uint32_t i = 0; i < op->n_results; i++) {
      ir_type *t = &op->results[i].type;
      if (undeclared(t)) {
        *t = xml[i];
        continue;
      }
      if (t->et == IR_ET_DYNAMIC)
        t->et = xml[i].et;
      ir_shape merged;
      if (!ir_shape_merge(&merged, &xml[i].shape, &t->shape)) {
        char a[512], b[512];
        ir_shape_format(&t->shape, a, sizeof a);
        ir_shape_format(&xml[i].shape, b, sizeof b);
        return xr_op_err(r, op, "output %u: inferred shape [%s] contradicts the port dims [%s]", i,
                         a, b);
      }
      t->shape = merged;
    }
  }
  return OVCC_OK;
}

static ovcc_status read_net(xr *r) {
  ir_model *m = r->m;
  xmlNode *net = xmlDocGetRootElement(r->doc);
  if (!xr_is(net, "net"))
    return xr_err_at(r, xr_line(net), OVCC_ERR_INVALID_MODEL, "root element is <%s>, expected <net>",
                     net ? (const char *)net->name : "");
  const char *ver = xr_attr(r, net, "version");
  int64_t v = 0;
  if (!ver)
    return xr_err_at(r, xr_line(net), OVCC_ERR_INVALID_MODEL, "<net> has no 'version' attribute");
  if (!xr_parse_i64(ver, &v) || (v != 10 && v != 11))
    return xr_err_at(r, xr_line(net), OVCC_ERR_UNSUPPORTED,
                     "unsupported IR version '%s' (only 10 and 11 are read)", ver);
  r->version = (int)v;
  m->ir_version = (int)v;
  const char *name = xr_attr(r, net, "name");
  if (name && !(m->name = ir_arena_strdup(&m->arena, name)))
    return IR_NOMEM(r->d);
  xr_graph xg;
  IR_TRY(xr_read_graph(r, net, m->main, 0, &xg));
  IR_TRY(xr_model_meta(r, net));
  if (r->version == 10)
    IR_TRY(v10_fixups(r));
  IR_TRY(infer_main(r));
  return ir_verify(m, r->d);
}

enum {
  XR_PARSE_OPTS = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES |
                  XML_PARSE_COMPACT
};

/* The first libxml2 error of a parse (later ones are often consequences). */
typedef struct first_error {
  bool set;
  int line;
  char msg[512];
} first_error;

#if LIBXML_VERSION >= 21200
#define XR_ERROR_CONST const
#else
#define XR_ERROR_CONST
#endif

static void on_xml_error(void *data, XR_ERROR_CONST xmlError *e) {
  xmlParserCtxt *ctxt = data;
  first_error *fe = ctxt ? ctxt->_private : NULL;
  if (!fe || fe->set || !e || e->level < XML_ERR_ERROR)
    return;
  fe->set = true;
  fe->line = e->line;
  snprintf(fe->msg, sizeof fe->msg, "%s", e->message ? e->message : "unknown error");
  size_t l = strlen(fe->msg);
  while (l && (fe->msg[l - 1] == '\n' || fe->msg[l - 1] == '\r'))
    fe->msg[--l] = 0;
}

static xmlParserCtxt *new_parser(first_error *fe) {
  memset(fe, 0, sizeof *fe);
  xmlInitParser();
  xmlParserCtxt *ctxt = xmlNewParserCtxt();
  if (ctxt) {
    ctxt->_private = fe;
    ctxt->userData = ctxt;
    ctxt->sax->serror = on_xml_error;
  }
  return ctxt;
}

/* Checks the parse and reads the model; frees the document. */
static ovcc_status finish(xr *r, xmlParserCtxt *ctxt, xmlDoc *doc) {
  if (!doc || !ctxt->wellFormed) {
    const first_error *fe = ctxt->_private;
    const xmlError *e = xmlCtxtGetLastError(ctxt);
    const char *msg = fe->set ? fe->msg : e && e->message ? e->message : "unknown error";
    int line = fe->set ? fe->line : e ? e->line : 0;
    if (doc)
      xmlFreeDoc(doc);
    xr_err_at(r, line, OVCC_ERR_INVALID_MODEL, "malformed XML: %s", msg);
    size_t l = strlen(r->d->msg);
    while (l && (r->d->msg[l - 1] == '\n' || r->d->msg[l - 1] == '\r'))
      r->d->msg[--l] = 0;
    return OVCC_ERR_INVALID_MODEL;
  }
  r->doc = doc;
  ovcc_status st = read_net(r);
  xmlFreeDoc(doc);
  r->doc = NULL;
  return st;
}

static ovcc_status reader_start(xr *r, const char *name, ir_model **m, ir_diag *d) {
  memset(r, 0, sizeof *r);
  r->d = d;
  ir_arena_init(&r->scratch);
  IR_TRY(ir_model_create(m, d));
  r->m = *m;
  if (!(r->file = ir_arena_strdup(&(*m)->arena, name)) ||
      !((*m)->source_path = ir_arena_strdup(&(*m)->arena, name))) {
    ir_model_free(*m);
    return IR_NOMEM(d);
  }
  return OVCC_OK;
}

static ovcc_status reader_end(xr *r, ovcc_status st, ir_model **out) {
  ir_arena_free(&r->scratch);
  if (st != OVCC_OK) {
    ir_model_free(r->m);
    return st;
  }
  *out = r->m;
  return OVCC_OK;
}

ovcc_status fe_read_xml_memory(const char *xml, size_t xml_len, const uint8_t *bin, size_t bin_len,
                               const char *name, ir_model **out, ir_diag *d) {
  xr r;
  if (!name)
    name = "model.xml";
  IR_TRY(reader_start(&r, name, &r.m, d));
  ovcc_status st = OVCC_OK;
  if (bin)
    st = fe_weights_from_memory(r.m, bin, bin_len, d);
  if (st == OVCC_OK && xml_len > INT_MAX)
    st = xr_err_at(&r, 0, OVCC_ERR_UNSUPPORTED, "XML of %zu bytes is too large", xml_len);
  if (st == OVCC_OK) {
    first_error fe;
    xmlParserCtxt *ctxt = new_parser(&fe);
    if (!ctxt) {
      st = IR_NOMEM(d);
    } else {
      xmlDoc *doc = xmlCtxtReadMemory(ctxt, xml ? xml : "", (int)xml_len, name, NULL, XR_PARSE_OPTS);
      st = finish(&r, ctxt, doc);
      xmlFreeParserCtxt(ctxt);
    }
  }
  return reader_end(&r, st, out);
}

/* model.xml -> model.bin: replaces the last extension of the file name. */
static char *bin_path_of(ir_arena *a, const char *xml_path) {
  size_t n = strlen(xml_path);
  const char *slash = strrchr(xml_path, '/');
  const char *dot = strrchr(xml_path, '.');
  if (dot && (!slash || dot > slash))
    n = (size_t)(dot - xml_path);
  char *p = ir_arena_alloc(a, n + 5);
  if (p) {
    memcpy(p, xml_path, n);
    memcpy(p + n, ".bin", 5);
  }
  return p;
}

ovcc_status fe_read_xml_file(const char *xml_path, const char *bin_path, ir_model **out,
                             ir_diag *d) {
  int fd = open(xml_path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return IR_ERR(d, OVCC_ERR_IO, "%s: cannot open: %s", xml_path, strerror(errno));
  xr r;
  ovcc_status st = reader_start(&r, xml_path, &r.m, d);
  if (st != OVCC_OK) {
    close(fd);
    return st;
  }
  const char *bp = bin_path ? bin_path : bin_path_of(&r.scratch, xml_path);
  if (!bp)
    st = IR_NOMEM(d);
  else
    st = fe_weights_map_file(r.m, bp, bin_path == NULL, d);
  if (st == OVCC_OK) {
    first_error fe;
    xmlParserCtxt *ctxt = new_parser(&fe);
    if (!ctxt) {
      st = IR_NOMEM(d);
    } else {
      /* xmlCtxtReadFd does not close fd. */
      xmlDoc *doc = xmlCtxtReadFd(ctxt, fd, xml_path, NULL, XR_PARSE_OPTS);
      st = finish(&r, ctxt, doc);
      xmlFreeParserCtxt(ctxt);
    }
  }
  close(fd);
  return reader_end(&r, st, out);
}
