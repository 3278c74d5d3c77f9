#include "attr.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *ir_attr_kind_name(ir_attr_kind k) {
  static const char *const names[IR_ATTR_KIND_COUNT] = {
      "none", "bool", "int", "float", "string", "element type", "shape",
      "int list", "float list", "string list", "element type list", "list", "dict"};
  return (unsigned)k < IR_ATTR_KIND_COUNT ? names[k] : "?";
}

static bool same_double(double a, double b) {
  return a == b ? signbit(a) == signbit(b) : (isnan(a) && isnan(b));
}

bool ir_attr_value_equal(const ir_attr_value *a, const ir_attr_value *b) {
  if (a->kind != b->kind)
    return false;
  switch (a->kind) {
  case IR_ATTR_NONE: return true;
  case IR_ATTR_BOOL: return a->u.b == b->u.b;
  case IR_ATTR_INT: return a->u.i == b->u.i;
  case IR_ATTR_FLOAT: return same_double(a->u.f, b->u.f);
  case IR_ATTR_STR: return strcmp(a->u.s, b->u.s) == 0;
  case IR_ATTR_ETYPE: return a->u.et == b->u.et;
  case IR_ATTR_SHAPE: return ir_shape_equal(a->u.shape, b->u.shape);
  case IR_ATTR_INTS:
    return a->u.ints.n == b->u.ints.n &&
           (a->u.ints.n == 0 || memcmp(a->u.ints.v, b->u.ints.v, a->u.ints.n * sizeof(int64_t)) == 0);
  case IR_ATTR_FLOATS:
    if (a->u.floats.n != b->u.floats.n)
      return false;
    for (uint32_t i = 0; i < a->u.floats.n; i++)
      if (!same_double(a->u.floats.v[i], b->u.floats.v[i]))
        return false;
    return true;
  case IR_ATTR_STRS:
    if (a->u.strs.n != b->u.strs.n)
      return false;
    for (uint32_t i = 0; i < a->u.strs.n; i++)
      if (strcmp(a->u.strs.v[i], b->u.strs.v[i]) != 0)
        return false;
    return true;
  case IR_ATTR_ETYPES:
    return a->u.etypes.n == b->u.etypes.n &&
           (a->u.etypes.n == 0 ||
            memcmp(a->u.etypes.v, b->u.etypes.v, a->u.etypes.n * sizeof(ir_etype)) == 0);
  case IR_ATTR_LIST:
    if (a->u.list.n != b->u.list.n)
      return false;
    for (uint32_t i = 0; i < a->u.list.n; i++)
      if (!ir_attr_value_equal(&a->u.list.v[i], &b->u.list.v[i]))
        return false;
    return true;
  case IR_ATTR_DICT:
    if (a->u.dict.n != b->u.dict.n)
      return false;
    for (uint32_t i = 0; i < a->u.dict.n; i++)
      if (strcmp(a->u.dict.v[i].name, b->u.dict.v[i].name) != 0 ||
          !ir_attr_value_equal(&a->u.dict.v[i].val, &b->u.dict.v[i].val))
        return false;
    return true;
  case IR_ATTR_KIND_COUNT: break;
  }
  return false;
}

bool ir_attr_value_copy(ir_arena *a, ir_attr_value *dst, const ir_attr_value *src) {
  *dst = *src;
  switch (src->kind) {
  case IR_ATTR_STR: return (dst->u.s = ir_arena_strdup(a, src->u.s)) != NULL;
  case IR_ATTR_SHAPE: return (dst->u.shape = ir_arena_memdup(a, src->u.shape, sizeof(ir_shape))) != NULL;
  case IR_ATTR_INTS:
    return (dst->u.ints.v = ir_arena_memdup(a, src->u.ints.v, src->u.ints.n * sizeof(int64_t))) != NULL;
  case IR_ATTR_FLOATS:
    return (dst->u.floats.v = ir_arena_memdup(a, src->u.floats.v, src->u.floats.n * sizeof(double))) !=
           NULL;
  case IR_ATTR_ETYPES:
    return (dst->u.etypes.v = ir_arena_memdup(a, src->u.etypes.v, src->u.etypes.n * sizeof(ir_etype))) !=
           NULL;
  case IR_ATTR_STRS: {
    const char **v = ir_arena_alloc(a, (src->u.strs.n + 1) * sizeof(char *));
    if (!v)
      return false;
    for (uint32_t i = 0; i < src->u.strs.n; i++)
      if (!(v[i] = ir_arena_strdup(a, src->u.strs.v[i])))
        return false;
    dst->u.strs.v = v;
    return true;
  }
  case IR_ATTR_LIST: {
    ir_attr_value *v = ir_arena_alloc(a, (src->u.list.n + 1) * sizeof(*v));
    if (!v)
      return false;
    for (uint32_t i = 0; i < src->u.list.n; i++)
      if (!ir_attr_value_copy(a, &v[i], &src->u.list.v[i]))
        return false;
    dst->u.list.v = v;
    return true;
  }
  case IR_ATTR_DICT: {
    ir_attr *v = ir_arena_alloc(a, (src->u.dict.n + 1) * sizeof(*v));
    if (!v)
      return false;
    for (uint32_t i = 0; i < src->u.dict.n; i++) {
      if (!(v[i].name = ir_arena_strdup(a, src->u.dict.v[i].name)) ||
          !ir_attr_value_copy(a, &v[i].val, &src->u.dict.v[i].val))
        return false;
    }
    dst->u.dict.v = v;
    return true;
  }
  default: return true;
  }
}

const ir_attr_value *ir_dict_get(const ir_attr_value *dict, const char *name) {
  if (!dict || dict->kind != IR_ATTR_DICT)
    return NULL;
  for (uint32_t i = 0; i < dict->u.dict.n; i++)
    if (strcmp(dict->u.dict.v[i].name, name) == 0)
      return &dict->u.dict.v[i].val;
  return NULL;
}

bool ir_dict_set(ir_arena *a, ir_attr_value *dict, const char *name, const ir_attr_value *v) {
  if (dict->kind != IR_ATTR_DICT) {
    dict->kind = IR_ATTR_DICT;
    dict->u.dict.v = NULL;
    dict->u.dict.n = 0;
  }
  ir_attr_value copy;
  if (!ir_attr_value_copy(a, &copy, v))
    return false;
  for (uint32_t i = 0; i < dict->u.dict.n; i++)
    if (strcmp(dict->u.dict.v[i].name, name) == 0) {
      dict->u.dict.v[i].val = copy;
      return true;
    }
  uint32_t n = dict->u.dict.n;
  ir_attr *nv = ir_arena_grow(a, dict->u.dict.v, n * sizeof(ir_attr), (n + 1) * sizeof(ir_attr));
  if (!nv)
    return false;
  if (!(nv[n].name = ir_arena_strdup(a, name)))
    return false;
  nv[n].val = copy;
  dict->u.dict.v = nv;
  dict->u.dict.n = n + 1;
  return true;
}

/* ---- XML <data> syntax ---- */

static void trim(const char **p, const char **e) {
  while (*p < *e && isspace((unsigned char)**p))
    (*p)++;
  while (*e > *p && isspace((unsigned char)(*e)[-1]))
    (*e)--;
}

static bool parse_bool(const char *p, const char *e, bool *out) {
  size_t n = (size_t)(e - p);
  if ((n == 4 && strncasecmp(p, "true", 4) == 0) || (n == 1 && *p == '1'))
    return *out = true, true;
  if ((n == 5 && strncasecmp(p, "false", 5) == 0) || (n == 1 && *p == '0'))
    return *out = false, true;
  return false;
}

static bool parse_int(const char *p, const char *e, int64_t *out) {
  char buf[64];
  size_t n = (size_t)(e - p);
  if (n == 0 || n >= sizeof buf)
    return false;
  memcpy(buf, p, n);
  buf[n] = 0;
  char *end;
  errno = 0;
  long long v = strtoll(buf, &end, 10);
  if (errno || *end)
    return false;
  *out = v;
  return true;
}

static bool parse_float(const char *p, const char *e, double *out) {
  char buf[128];
  size_t n = (size_t)(e - p);
  if (n == 0 || n >= sizeof buf)
    return false;
  memcpy(buf, p, n);
  buf[n] = 0;
  char *end;
  double v = strtod(buf, &end);
  if (*end)
    return false;
  *out = v;
  return true;
}

/* Counts comma-separated items of a non-empty list. */
static uint32_t count_items(const char *p, const char *e) {
  uint32_t n = 1;
  for (; p < e; p++)
    n += *p == ',';
  return n;
}

bool ir_attr_parse_xml(ir_arena *a, ir_attr_kind kind, const char *text, ir_attr_value *out,
                       ir_diag *d) {
  const char *p = text, *e = text + strlen(text);
  trim(&p, &e);
  ir_attr_value v;
  memset(&v, 0, sizeof v);
  v.kind = kind;
  switch (kind) {
  case IR_ATTR_BOOL:
    if (!parse_bool(p, e, &v.u.b))
      goto bad;
    break;
  case IR_ATTR_INT:
    if (!parse_int(p, e, &v.u.i))
      goto bad;
    break;
  case IR_ATTR_FLOAT:
    if (!parse_float(p, e, &v.u.f))
      goto bad;
    break;
  case IR_ATTR_STR:
    if (!(v.u.s = ir_arena_strndup(a, p, (size_t)(e - p))))
      return IR_NOMEM(d), false;
    break;
  case IR_ATTR_ETYPE:
    if (!ir_etype_parse(p, (size_t)(e - p), &v.u.et))
      goto bad;
    break;
  case IR_ATTR_SHAPE: {
    ir_shape s;
    if (!ir_shape_parse(p, (size_t)(e - p), &s, d))
      return false;
    if (!(v.u.shape = ir_arena_memdup(a, &s, sizeof s)))
      return IR_NOMEM(d), false;
    break;
  }
  case IR_ATTR_INTS:
  case IR_ATTR_FLOATS:
  case IR_ATTR_STRS:
  case IR_ATTR_ETYPES: {
    if (e - p >= 2 && *p == '[' && e[-1] == ']') {
      p++;
      e--;
      trim(&p, &e);
    }
    uint32_t n = p == e ? 0 : count_items(p, e);
    size_t w = kind == IR_ATTR_INTS ? sizeof(int64_t)
               : kind == IR_ATTR_FLOATS ? sizeof(double)
               : kind == IR_ATTR_STRS ? sizeof(char *)
                                      : sizeof(ir_etype);
    void *arr = ir_arena_alloc(a, (n + 1) * w);
    if (!arr)
      return IR_NOMEM(d), false;
    const char *q = p;
    for (uint32_t i = 0; i < n; i++) {
      const char *c = memchr(q, ',', (size_t)(e - q));
      const char *ie = c ? c : e, *is = q;
      trim(&is, &ie);
      bool ok = true;
      if (kind == IR_ATTR_INTS)
        ok = parse_int(is, ie, &((int64_t *)arr)[i]);
      else if (kind == IR_ATTR_FLOATS)
        ok = parse_float(is, ie, &((double *)arr)[i]);
      else if (kind == IR_ATTR_ETYPES)
        ok = ir_etype_parse(is, (size_t)(ie - is), &((ir_etype *)arr)[i]);
      else if (!(((const char **)arr)[i] = ir_arena_strndup(a, is, (size_t)(ie - is))))
        return IR_NOMEM(d), false;
      if (!ok) {
        IR_ERR(d, OVCC_ERR_INVALID_MODEL, "bad %s item '%.*s' in '%s'", ir_attr_kind_name(kind),
               (int)(ie - is), is, text);
        return false;
      }
      q = c ? c + 1 : e;
    }
    if (kind == IR_ATTR_INTS)
      v.u.ints.v = arr, v.u.ints.n = n;
    else if (kind == IR_ATTR_FLOATS)
      v.u.floats.v = arr, v.u.floats.n = n;
    else if (kind == IR_ATTR_STRS)
      v.u.strs.v = arr, v.u.strs.n = n;
    else
      v.u.etypes.v = arr, v.u.etypes.n = n;
    break;
  }
  default:
    IR_ERR(d, OVCC_ERR_INTERNAL, "%s attributes have no XML syntax", ir_attr_kind_name(kind));
    return false;
  }
  *out = v;
  return true;
bad:
  IR_ERR(d, OVCC_ERR_INVALID_MODEL, "expected %s, got '%s'", ir_attr_kind_name(kind), text);
  return false;
}
