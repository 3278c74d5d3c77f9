/* The graph IR: SSA values are tensors; ops come from the registry; a graph is
 * an ordered op list (defs before uses) with its Parameters, Results and sinks;
 * TensorIterator/Loop/If own nested bodies (graphs isolated from above). A model
 * owns the arena every object of every graph lives in, and the mapped weights. */
#ifndef OVCC_IR_GRAPH_H
#define OVCC_IR_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "attr.h"
#include "diag.h"
#include "registry.h"
#include "shape.h"
#include "types.h"

typedef struct ir_graph ir_graph;
typedef struct ir_model ir_model;
typedef struct ir_value ir_value;

typedef struct ir_type {
  ir_etype et;
  ir_shape shape;
} ir_type;

/* Where an op came from: file, line (and column for text IR). */
typedef struct ir_loc {
  const char *file; /* arena or model owned; NULL if unknown */
  int line, col;
} ir_loc;

/* One operand slot of an op; also a node in the used value's use list. */
typedef struct ir_use {
  ir_value *value;
  ir_op *user;
  uint32_t index; /* operand index in user */
  struct ir_use *prev, *next;
} ir_use;

/* Constant data: a view into the model's mapped .bin or arena-owned bytes. */
typedef struct ir_const {
  const uint8_t *data;
  uint64_t nbytes;
  int64_t bin_offset; /* >= 0: bytes are weights[bin_offset .. +nbytes]; -1: inline/owned */
} ir_const;

/* A dense tensor view used by evaluators and known values. Strings use
 * OpenVINO's packed layout (count, offsets, bytes). */
struct ir_tensor {
  ir_etype et;
  ir_shape shape; /* static */
  uint64_t numel;
  void *data;
  uint64_t nbytes;
};

struct ir_value {
  ir_op *def;
  uint32_t index; /* result index in def */
  ir_type type;
  const char **names; /* tensor names (port `names`), sorted as read */
  uint32_t n_names;
  ir_attr_value *rt_info; /* port rt_info dict, or NULL */
  ir_use *uses;           /* first use */
  /* Known value (set by shape inference for small shape-like tensors and for
   * constants): lets Reshape/Broadcast/... see ShapeOf chains. NULL if unknown. */
  ir_tensor *known;
  uint32_t print_id; /* scratch for printers */
};

struct ir_op {
  ir_op_id kind;
  const ir_op_info *info; /* NULL for opaque */
  const char *type_name;  /* opaque: the XML type; else info->name */
  const char *version_name; /* opaque: the XML version string; else NULL */
  const char *name;       /* friendly name (layer name), may be NULL */
  int64_t xml_id;         /* layer id, -1 if none */
  ir_loc loc;
  ir_attr *attrs; /* schema attributes in schema order (opaque: as read) */
  uint32_t n_attrs;
  ir_use *operands;
  uint32_t n_operands;
  ir_value *results;
  uint32_t n_results;
  ir_graph **bodies;
  uint32_t n_bodies;
  ir_attr_value *rt_info; /* node rt_info dict, or NULL */
  ir_const *cst;          /* Constant data */
  ir_graph *graph;        /* owning graph; NULL once erased */
  ir_op *prev, *next;
  uint32_t scratch; /* pass-private marker */
};

struct ir_graph {
  ir_model *model;
  ir_op *parent;  /* op owning this body, NULL for the main graph */
  const char *name; /* body name (text IR), may be NULL */
  ir_op *first, *last;
  uint32_t n_ops;
  ir_op **params; /* Parameter ops, input order */
  uint32_t n_params, cap_params;
  ir_op **results; /* Result ops, output order */
  uint32_t n_results, cap_results;
  ir_op **sinks; /* Assign ops, document order */
  uint32_t n_sinks, cap_sinks;
};

typedef struct ir_weights {
  const uint8_t *data;
  uint64_t size;
  void *map; /* mmap base, NULL if not mapped */
  uint64_t map_size;
  const char *path; /* arena owned; NULL if none */
} ir_weights;

struct ir_model {
  ir_arena arena;
  ir_graph *main;
  const char *name;      /* <net name>, may be NULL */
  int ir_version;        /* 10 or 11 (text IR keeps the original) */
  ir_attr_value *rt_info; /* model-level rt_info dict or NULL */
  ir_attr_value *meta;    /* legacy <meta_data>/<quantization_parameters>, or NULL */
  ir_weights weights;
  const char *source_path; /* the file it was read from */
};

/* ---- model ---- */
ovcc_status ir_model_create(ir_model **out, ir_diag *d);
void ir_model_free(ir_model *m); /* NULL is a no-op; unmaps weights */

/* ---- graphs ---- */
ir_graph *ir_graph_create(ir_model *m, ir_op *parent);
/* Appends op at the end of g, or before `before` if non-NULL. */
void ir_graph_insert(ir_graph *g, ir_op *op, ir_op *before);
/* Unlinks an op with no remaining uses of its results; drops its operand uses
 * and its Parameter/Result/sink registration. */
void ir_graph_erase(ir_graph *g, ir_op *op);
bool ir_graph_add_param(ir_graph *g, ir_op *op);
bool ir_graph_add_result(ir_graph *g, ir_op *op);
bool ir_graph_add_sink(ir_graph *g, ir_op *op);
#define IR_FOR_EACH_OP(g, op) for (ir_op *op = (g)->first; op; op = op->next)

/* ---- ops ---- */
/* Creates an op of `kind` (not inserted) with n_operands empty operand slots
 * and n_results results of dynamic type; attributes empty. NULL on NOMEM. */
ir_op *ir_op_create(ir_model *m, ir_op_id kind, uint32_t n_operands, uint32_t n_results);
ir_op *ir_op_create_opaque(ir_model *m, const char *type, const char *version,
                           uint32_t n_operands, uint32_t n_results);
void ir_op_set_operand(ir_op *op, uint32_t i, ir_value *v); /* v may be NULL */
static inline ir_value *ir_op_operand(const ir_op *op, uint32_t i) {
  return op->operands[i].value;
}
/* Sets (adds or replaces) an attribute; name is copied. false on NOMEM. */
bool ir_op_set_attr(ir_model *m, ir_op *op, const char *name, const ir_attr_value *v);
const ir_attr_value *ir_op_attr(const ir_op *op, const char *name);
/* Typed getters: return the attribute (or schema default already applied at
 * creation); `fallback` if absent or of another kind. */
int64_t ir_op_attr_int(const ir_op *op, const char *name, int64_t fallback);
double ir_op_attr_float(const ir_op *op, const char *name, double fallback);
bool ir_op_attr_bool(const ir_op *op, const char *name, bool fallback);
const char *ir_op_attr_str(const ir_op *op, const char *name, const char *fallback);
/* ints: returns pointer and count, or NULL/0 if absent. */
const int64_t *ir_op_attr_ints(const ir_op *op, const char *name, uint32_t *n);
/* Fills every schema attribute the op lacks with its default; fails naming the
 * first missing required one. Enum values are checked case-insensitively and
 * rewritten to the schema spelling. */
ovcc_status ir_op_apply_schema(ir_model *m, ir_op *op, ir_diag *d);
/* "Convolution-1", or the opaque type and version. */
void ir_op_type_str(const ir_op *op, char *buf, size_t cap);
/* Location prefix for messages: "file:line: layer 'name' (id 7, Convolution-1)". */
void ir_op_describe(const ir_op *op, char *buf, size_t cap);
/* Replaces every use of `from` by `to`. */
void ir_value_replace_uses(ir_value *from, ir_value *to);
uint32_t ir_value_num_uses(const ir_value *v);
bool ir_value_set_names(ir_model *m, ir_value *v, const char *const *names, uint32_t n);

/* ---- constants and known values ---- */
/* Creates an (uninserted) Constant op of type t with a copy of data (arena). */
ir_op *ir_const_create(ir_model *m, const ir_type *t, const void *data, uint64_t nbytes);
/* View of a Constant op's data as a tensor (no copy). false if not static. */
bool ir_const_tensor(const ir_op *op, ir_tensor *out);
/* Allocates a zeroed tensor of static type t in the arena. NULL on NOMEM/overflow. */
ir_tensor *ir_tensor_alloc(ir_model *m, ir_etype et, const ir_shape *s);
/* The value's data if its def is a Constant or it has a known value; else NULL. */
const ir_tensor *ir_value_known(const ir_value *v);
/* Reads a known 0-D/1-D integer tensor into out (max n); returns count or -1. */
int ir_value_known_ints(const ir_value *v, int64_t *out, int max);

/* ---- walking ---- */
/* Calls fn on every graph (main first, then bodies, preorder, via a worklist). */
ovcc_status ir_model_walk_graphs(ir_model *m, ovcc_status (*fn)(ir_graph *, void *), void *ctx);

#endif
