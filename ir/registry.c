/* The op table, built from ops.def, and name/version resolution. */
#include "registry.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "graph.h"

/* Declarations of every shape and eval function named in ops.def. */
#define OP(id, name, ver, imin, imax, nout, flags, shape, eval, ...)                               \
  ovcc_status ir_shape_##shape(ir_op *op, ir_diag *d);                                             \
  ovcc_status ir_eval_##eval(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d);
#include "ops.def"
#undef OP

#define A_(kind, req, name, def, enums) {name, kind, req, def, enums}
#define AB(n, def) A_(IR_ATTR_BOOL, false, n, def, NULL)
#define AI(n, def) A_(IR_ATTR_INT, false, n, def, NULL)
#define AF(n, def) A_(IR_ATTR_FLOAT, false, n, def, NULL)
#define AS(n, def) A_(IR_ATTR_STR, false, n, def, NULL)
#define AE(n, def, e) A_(IR_ATTR_STR, false, n, def, e)
#define AT(n, def) A_(IR_ATTR_ETYPE, false, n, def, NULL)
#define ASH(n, def) A_(IR_ATTR_SHAPE, false, n, def, NULL)
#define AIS(n, def) A_(IR_ATTR_INTS, false, n, def, NULL)
#define AFS(n, def) A_(IR_ATTR_FLOATS, false, n, def, NULL)
#define ASS(n, def) A_(IR_ATTR_STRS, false, n, def, NULL)
#define ATS(n, def) A_(IR_ATTR_ETYPES, false, n, def, NULL)
#define AL(n) A_(IR_ATTR_LIST, false, n, NULL, NULL)
#define RB(n) A_(IR_ATTR_BOOL, true, n, NULL, NULL)
#define RI(n) A_(IR_ATTR_INT, true, n, NULL, NULL)
#define RF(n) A_(IR_ATTR_FLOAT, true, n, NULL, NULL)
#define RS(n) A_(IR_ATTR_STR, true, n, NULL, NULL)
#define RE(n, e) A_(IR_ATTR_STR, true, n, NULL, e)
#define RT(n) A_(IR_ATTR_ETYPE, true, n, NULL, NULL)
#define RSH(n) A_(IR_ATTR_SHAPE, true, n, NULL, NULL)
#define RIS(n) A_(IR_ATTR_INTS, true, n, NULL, NULL)
#define RFS(n) A_(IR_ATTR_FLOATS, true, n, NULL, NULL)
#define RSS(n) A_(IR_ATTR_STRS, true, n, NULL, NULL)
#define NOATTR

/* Per-op schema arrays; a leading sentinel keeps empty ones legal C. */
#define OP(id, name, ver, imin, imax, nout, flags, shape, eval, ...)                               \
  static const ir_attr_schema attrs_##id[] = {{NULL, IR_ATTR_NONE, false, NULL, NULL}, __VA_ARGS__};
#include "ops.def"
#undef OP

#define OP(id, name, ver, imin, imax, nout, flags, shape, eval, ...)                               \
  {name,                                                                                           \
   ver,                                                                                            \
   imin,                                                                                           \
   imax,                                                                                           \
   nout,                                                                                           \
   flags,                                                                                          \
   ir_shape_##shape,                                                                               \
   ir_eval_##eval,                                                                                 \
   attrs_##id + 1,                                                                                 \
   (uint8_t)(sizeof(attrs_##id) / sizeof(attrs_##id[0]) - 1)},
static const ir_op_info OP_TABLE[IR_OP_COUNT] = {
#include "ops.def"
};
#undef OP

_Static_assert(sizeof(OP_TABLE) / sizeof(OP_TABLE[0]) == IR_OP_COUNT, "op table size");

/* Whether another registered version shares the type name (computed, not stored:
 * the table is const). */
static bool has_other_version(ir_op_id id) {
  for (int i = 0; i < IR_OP_COUNT; i++)
    if (i != (int)id && strcmp(OP_TABLE[i].name, OP_TABLE[id].name) == 0)
      return true;
  return false;
}

const ir_op_info *ir_op_info_get(ir_op_id id) {
  if ((unsigned)id >= IR_OP_COUNT)
    return NULL;
  return &OP_TABLE[id];
}

bool ir_op_info_multi_version(ir_op_id id) { return (unsigned)id < IR_OP_COUNT && has_other_version(id); }

bool ir_op_has_shape_fn(const ir_op_info *info) { return info && info->shape != ir_shape_none; }
bool ir_op_has_eval_fn(const ir_op_info *info) { return info && info->eval != ir_eval_none; }

/* IR spellings that differ from the spec class names. */
static const char *canonical_type(const char *t) {
  static const char *const alias[][2] = {
      {"Const", "Constant"}, {"ReLU", "Relu"}, {"PReLU", "PRelu"}, {"SoftMax", "Softmax"}};
  for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
    if (strcasecmp(t, alias[i][0]) == 0)
      return alias[i][1];
  return t;
}

/* Newest version of `type` (case-insensitive) that is <= maxver, or the oldest
 * version if `oldest_if_none` and none is <= maxver. */
static bool find_version(const char *type, size_t tn, long maxver, bool oldest_if_none,
                         ir_op_id *out, bool *type_known) {
  int best = -1, oldest = -1;
  *type_known = false;
  for (int i = 0; i < IR_OP_COUNT; i++) {
    const ir_op_info *in = &OP_TABLE[i];
    if (in->flags & OPF_INTERNAL)
      continue;
    if (strlen(in->name) != tn || strncasecmp(in->name, type, tn) != 0)
      continue;
    *type_known = true;
    if (in->version <= maxver && (best < 0 || in->version > OP_TABLE[best].version))
      best = i;
    if (oldest < 0 || in->version < OP_TABLE[oldest].version)
      oldest = i;
  }
  if (best < 0 && oldest_if_none)
    best = oldest;
  if (best < 0)
    return false;
  *out = (ir_op_id)best;
  return true;
}

bool ir_op_resolve_xml(const char *type, const char *version, ir_op_id *out, const char **why) {
  const char *t = canonical_type(type);
  long maxver;
  bool remap_old = false;
  if (!version || !*version) {
    maxver = 1000; /* execution-graph dumps carry no version: take the newest */
  } else if (strncasecmp(version, "opset", 5) == 0) {
    char *end;
    maxver = strtol(version + 5, &end, 10);
    if (end == version + 5 || *end || maxver < 1 || maxver > 1000) {
      *why = "version";
      return false;
    }
    /* MVN, ROIPooling, ReorgYolo written as opset1 name their opset2 classes;
     * RNNCell-3 is OpenVINO's class v0::RNNCell, which serializes as opset1. */
    remap_old = maxver == 1 && (strcasecmp(t, "MVN") == 0 || strcasecmp(t, "ROIPooling") == 0 ||
                                strcasecmp(t, "ReorgYolo") == 0 || strcasecmp(t, "RNNCell") == 0);
  } else if (strcasecmp(version, "experimental") == 0 || strcasecmp(version, "extension") == 0) {
    maxver = 6;
  } else {
    *why = "version";
    return false;
  }
  bool known;
  if (find_version(t, strlen(t), maxver, remap_old, out, &known))
    return true;
  *why = known ? "version" : "type";
  return false;
}

bool ir_op_resolve_text(const char *name, size_t n, ir_op_id *out) {
  const char *p = name;
  size_t len = n;
  bool internal = false;
  if (len > 3 && strncmp(p, "ov.", 3) == 0) {
    p += 3;
    len -= 3;
  } else if (len > 2 && strncmp(p, "k.", 2) == 0) {
    internal = true;
  } else {
    return false;
  }
  if (internal) {
    for (int i = 0; i < IR_OP_COUNT; i++)
      if ((OP_TABLE[i].flags & OPF_INTERNAL) && strlen(OP_TABLE[i].name) == len &&
          strncmp(OP_TABLE[i].name, p, len) == 0) {
        *out = (ir_op_id)i;
        return true;
      }
    return false;
  }
  long ver = 1000;
  const char *dot = memchr(p, '.', len);
  size_t tn = len;
  if (dot) {
    tn = (size_t)(dot - p);
    if (len - tn < 3 || dot[1] != 'v')
      return false;
    char buf[16];
    size_t vl = len - tn - 2;
    if (vl >= sizeof buf)
      return false;
    memcpy(buf, dot + 2, vl);
    buf[vl] = 0;
    char *end;
    ver = strtol(buf, &end, 10);
    if (*end || end == buf)
      return false;
  }
  bool known;
  if (!find_version(p, tn, ver, false, out, &known))
    return false;
  /* An explicit ".vN" must name exactly that version. */
  if (dot && OP_TABLE[*out].version != ver)
    return false;
  /* Text names are case-sensitive: the spec spelling only. */
  return strncmp(OP_TABLE[*out].name, p, tn) == 0;
}

int ir_op_schema_index(ir_op_id id, const char *name) {
  if ((unsigned)id >= IR_OP_COUNT)
    return -1;
  const ir_op_info *in = &OP_TABLE[id];
  for (int i = 0; i < in->n_attrs; i++)
    if (strcmp(in->attrs[i].name, name) == 0)
      return i;
  return -1;
}

/* Fallbacks for ops without a shape or eval function yet. */
ovcc_status ir_shape_none(ir_op *op, ir_diag *d) {
  char t[96];
  ir_op_type_str(op, t, sizeof t);
  return IR_ERR(d, OVCC_ERR_UNSUPPORTED, "no shape inference for %s yet", t);
}

ovcc_status ir_eval_none(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  (void)in;
  (void)out;
  char t[96];
  ir_op_type_str(op, t, sizeof t);
  return IR_ERR(d, OVCC_ERR_UNSUPPORTED, "%s cannot be evaluated", t);
}
