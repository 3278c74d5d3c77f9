/* Attributes: typed values attached to ops (schema-checked), to graphs and
 * to ops/ports as rt_info (free-form dictionaries). All storage is arena-owned. */
#ifndef OVCC_IR_ATTR_H
#define OVCC_IR_ATTR_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "shape.h"
#include "types.h"

typedef enum ir_attr_kind {
  IR_ATTR_NONE = 0,
  IR_ATTR_BOOL,
  IR_ATTR_INT,
  IR_ATTR_FLOAT,
  IR_ATTR_STR,    /* also enums: schema lists the allowed spellings */
  IR_ATTR_ETYPE,
  IR_ATTR_SHAPE,  /* partial shape */
  IR_ATTR_INTS,
  IR_ATTR_FLOATS,
  IR_ATTR_STRS,
  IR_ATTR_ETYPES,
  IR_ATTR_LIST,   /* heterogeneous list of values (port maps) */
  IR_ATTR_DICT,   /* named values, in insertion order (port-map entries, rt_info) */
  IR_ATTR_KIND_COUNT
} ir_attr_kind;

typedef struct ir_attr ir_attr;

typedef struct ir_attr_value {
  ir_attr_kind kind;
  union {
    bool b;
    int64_t i;
    double f;
    const char *s;
    ir_etype et;
    ir_shape *shape;
    struct {
      int64_t *v;
      uint32_t n;
    } ints;
    struct {
      double *v;
      uint32_t n;
    } floats;
    struct {
      const char **v;
      uint32_t n;
    } strs;
    struct {
      ir_etype *v;
      uint32_t n;
    } etypes;
    struct {
      struct ir_attr_value *v;
      uint32_t n;
    } list;
    struct {
      ir_attr *v;
      uint32_t n;
    } dict;
  } u;
} ir_attr_value;

struct ir_attr {
  const char *name;
  ir_attr_value val;
};

const char *ir_attr_kind_name(ir_attr_kind k);
bool ir_attr_value_equal(const ir_attr_value *a, const ir_attr_value *b);
/* Deep copy into arena a. */
bool ir_attr_value_copy(ir_arena *a, ir_attr_value *dst, const ir_attr_value *src);
/* Dictionary helpers (linear search; dictionaries are small). */
const ir_attr_value *ir_dict_get(const ir_attr_value *dict, const char *name);
/* Appends or replaces; false on NOMEM. */
bool ir_dict_set(ir_arena *a, ir_attr_value *dict, const char *name, const ir_attr_value *v);

/* Parses an attribute value written in OpenVINO XML <data> syntax into `kind`:
 * bool true/false/1/0 (any case), ints/floats decimal, lists joined by commas
 * with optional spaces (empty = empty list), element types by name or
 * precision, partial shapes as in ir_shape_parse. Errors name the problem; the
 * caller prefixes the attribute and layer. */
bool ir_attr_parse_xml(ir_arena *a, ir_attr_kind kind, const char *text, ir_attr_value *out,
                       ir_diag *d);

#endif
