/* rt_info and legacy metadata of the IR XML.
 *  - node/port <rt_info> (v11): <attribute name="fused_names" version="0"
 *    value="a,b"/> -> dict fused_names -> {version = "0", value = "a,b"};
 *  - model <rt_info>: a tree; each element's key is its `name` attribute or
 *    its tag, a `value` attribute makes a string leaf, children a nested dict;
 *  - v10 <meta_data>/<quantization_parameters>: the same tree form, kept in
 *    m->meta as {meta_data = {...}, quantization_parameters = {...}}.
 * Dicts are built directly in the model arena (no copies); a repeated key
 * keeps its last value, as OpenVINO's maps do. */
#include <ctype.h>
#include <string.h>

#include "xml_internal.h"

/* Appends or replaces key in items[0..*n). */
static void put(ir_attr *items, uint32_t *n, const char *key, ir_attr_value v) {
  for (uint32_t i = 0; i < *n; i++)
    if (strcmp(items[i].name, key) == 0) {
      items[i].val = v;
      return;
    }
  items[*n].name = key;
  items[*n].val = v;
  (*n)++;
}

static uint32_t count_elements(const xmlNode *n) {
  uint32_t k = 0;
  for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
    k += c->type == XML_ELEMENT_NODE;
  return k;
}

ovcc_status xr_node_rt_info(xr *r, xmlNode *rt, ir_attr_value **out) {
  ir_arena *a = &r->m->arena;
  uint32_t cap = count_elements(rt), n = 0;
  if (cap == 0)
    return OVCC_OK;
  ir_attr *items = ir_arena_alloc(a, cap * sizeof *items);
  if (!items)
    return IR_NOMEM(r->d);
  for (xmlNode *c = xr_child(rt, "attribute"); c; c = xr_next(c, "attribute")) {
    const char *name = xr_attr(r, c, "name");
    if (!name)
      continue;
    uint32_t nf = 0, k = 0;
    for (xmlAttr *p = c->properties; p; p = p->next)
      nf++;
    ir_attr *f = ir_arena_alloc(a, (nf + 1) * sizeof *f);
    const char *key = ir_arena_strdup(a, name);
    if (!f || !key)
      return IR_NOMEM(r->d);
    for (xmlAttr *p = c->properties; p; p = p->next) {
      if (strcmp((const char *)p->name, "name") == 0)
        continue;
      const char *val = xr_attr(r, c, (const char *)p->name);
      const char *k2 = ir_arena_strdup(a, (const char *)p->name);
      const char *v2 = ir_arena_strdup(a, val ? val : "");
      if (!k2 || !v2)
        return IR_NOMEM(r->d);
      put(f, &k, k2, (ir_attr_value){.kind = IR_ATTR_STR, .u.s = v2});
    }
    put(items, &n, key, (ir_attr_value){.kind = IR_ATTR_DICT, .u.dict = {f, k}});
  }
  if (n == 0)
    return OVCC_OK;
  ir_attr_value *v = ir_arena_alloc(a, sizeof *v);
  if (!v)
    return IR_NOMEM(r->d);
  *v = (ir_attr_value){.kind = IR_ATTR_DICT, .u.dict = {items, n}};
  *out = v;
  return OVCC_OK;
}

static bool blank(const char *s) {
  for (; *s; s++)
    if (!isspace((unsigned char)*s))
      return false;
  return true;
}

static const char *trimmed_copy(ir_arena *a, const char *s) {
  while (isspace((unsigned char)*s))
    s++;
  size_t n = strlen(s);
  while (n && isspace((unsigned char)s[n - 1]))
    n--;
  return ir_arena_strndup(a, s, n);
}

/* The children of n as a dict (depth bounded by XR_MAX_META_DEPTH). */
static ovcc_status meta_tree(xr *r, xmlNode *n, int depth, ir_attr_value *out) {
  ir_arena *a = &r->m->arena;
  if (depth > XR_MAX_META_DEPTH)
    return xr_err_at(r, xr_line(n), OVCC_ERR_INVALID_MODEL, "<%s> nested deeper than %d levels",
                     (const char *)n->name, XR_MAX_META_DEPTH);
  uint32_t cap = count_elements(n), k = 0;
  ir_attr *items = ir_arena_alloc(a, (cap + 1) * sizeof *items);
  if (!items)
    return IR_NOMEM(r->d);
  for (xmlNode *c = n->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    const char *key = xr_attr(r, c, "name");
    key = ir_arena_strdup(a, key ? key : (const char *)c->name);
    if (!key)
      return IR_NOMEM(r->d);
    const char *val = xr_attr(r, c, "value");
    if (!val && strcmp((const char *)c->name, "unset") == 0)
      val = xr_attr(r, c, "unset_cli_parameters");
    ir_attr_value v;
    if (val) {
      v = (ir_attr_value){.kind = IR_ATTR_STR, .u.s = ir_arena_strdup(a, val)};
      if (!v.u.s)
        return IR_NOMEM(r->d);
    } else if (count_elements(c)) {
      IR_TRY(meta_tree(r, c, depth + 1, &v));
    } else {
      const char *t = xr_text(r, c);
      if (blank(t)) {
        v = (ir_attr_value){.kind = IR_ATTR_DICT, .u.dict = {NULL, 0}};
      } else {
        v = (ir_attr_value){.kind = IR_ATTR_STR, .u.s = trimmed_copy(a, t)};
        if (!v.u.s)
          return IR_NOMEM(r->d);
      }
    }
    put(items, &k, key, v);
  }
  *out = (ir_attr_value){.kind = IR_ATTR_DICT, .u.dict = {items, k}};
  return OVCC_OK;
}

static ovcc_status boxed_tree(xr *r, xmlNode *n, ir_attr_value **out) {
  ir_attr_value v;
  IR_TRY(meta_tree(r, n, 0, &v));
  if (v.u.dict.n == 0)
    return OVCC_OK;
  if (!(*out = ir_arena_memdup(&r->m->arena, &v, sizeof v)))
    return IR_NOMEM(r->d);
  return OVCC_OK;
}

ovcc_status xr_model_meta(xr *r, xmlNode *net) {
  xmlNode *rt = xr_child(net, "rt_info");
  if (rt)
    IR_TRY(boxed_tree(r, rt, &r->m->rt_info));
  static const char *const legacy[2] = {"meta_data", "quantization_parameters"};
  ir_attr items[2];
  uint32_t k = 0;
  for (int i = 0; i < 2; i++) {
    xmlNode *s = xr_child(net, legacy[i]);
    if (!s)
      continue;
    ir_attr_value v;
    IR_TRY(meta_tree(r, s, 0, &v));
    items[k].name = legacy[i];
    items[k].val = v;
    k++;
  }
  if (k == 0)
    return OVCC_OK;
  ir_attr *arr = ir_arena_memdup(&r->m->arena, items, k * sizeof *items);
  ir_attr_value *m = ir_arena_alloc(&r->m->arena, sizeof *m);
  if (!arr || !m)
    return IR_NOMEM(r->d);
  *m = (ir_attr_value){.kind = IR_ATTR_DICT, .u.dict = {arr, k}};
  r->m->meta = m;
  return OVCC_OK;
}
