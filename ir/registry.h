/* The op registry: one table entry per (op type, version), generated from
 * ops.def. Passes ask for flags, never compare op names. */
#ifndef OVCC_IR_REGISTRY_H
#define OVCC_IR_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attr.h"
#include "diag.h"

typedef struct ir_op ir_op;
typedef struct ir_tensor ir_tensor;

typedef enum ir_op_id {
#define OP(id, name, ver, imin, imax, nout, flags, shape, eval, ...) IR_OP_##id,
#include "ops.def"
#undef OP
  IR_OP_COUNT,
  IR_OP_OPAQUE = IR_OP_COUNT /* an op type ovcc does not know: kept, never computed */
} ir_op_id;

enum {
  OPF_EWISE = 1u << 0,      /* elementwise: output[i] depends on inputs[i] (after broadcast) */
  OPF_BCAST = 1u << 1,      /* has auto_broadcast and broadcasts its inputs */
  OPF_COMM = 1u << 2,       /* commutative in its first two inputs */
  OPF_SOURCE = 1u << 3,     /* Parameter, Constant: no data inputs */
  OPF_SINK = 1u << 4,       /* Result, Assign: graph roots (an Assign may echo its input) */
  OPF_REGION = 1u << 5,     /* has nested bodies */
  OPF_STATEFUL = 1u << 6,   /* reads or writes state / randomness: never folded, CSE'd or removed */
  OPF_INTERNAL = 1u << 7,   /* k.* op: text IR only, never in XML */
  OPF_CORE = 1u << 8,       /* in the "Core" list of op-coverage.md */
  OPF_VIEW = 1u << 9,       /* same bytes, new shape (Reshape, Squeeze, Unsqueeze) */
  OPF_SHAPE_ONLY = 1u << 10,/* result depends on input shapes only (ShapeOf) */
  OPF_ACTIVATION = 1u << 11,/* unary activation function */
  OPF_CMP = 1u << 12,       /* comparison/logical: boolean result */
};

typedef struct ir_attr_schema {
  const char *name;
  ir_attr_kind kind;
  bool required;
  const char *def;   /* default in XML <data> syntax; NULL: required or absent */
  const char *enums; /* allowed spellings "a|b|c" for enum strings, else NULL */
} ir_attr_schema;

/* Infers result types of op from its operand types (and known operand values);
 * fills op->results[*].type. Errors describe the problem without the op's
 * location (the caller adds it). */
typedef ovcc_status (*ir_shape_fn)(ir_op *op, ir_diag *d);
/* Computes the op on constant inputs. Output tensors come with type and shape
 * set (from the op's inferred result types, which must be static) and a zeroed
 * buffer; the function writes data. OVCC_ERR_UNSUPPORTED = cannot evaluate
 * this case (not an error for folding: the op simply stays). */
typedef ovcc_status (*ir_eval_fn)(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d);

typedef struct ir_op_info {
  const char *name; /* OpenVINO type name as in specs (Constant, Relu, Softmax) */
  uint16_t version; /* op version (= opset where this version appeared) */
  int8_t min_in, max_in; /* max_in -1: variadic */
  int8_t n_out;          /* -1: decided per op (Split, TopK, bodies...) */
  uint32_t flags;
  ir_shape_fn shape;     /* never NULL: ir_shape_none when there is none yet */
  ir_eval_fn eval;       /* never NULL: ir_eval_none when it cannot be evaluated */
  const ir_attr_schema *attrs;
  uint8_t n_attrs;
} ir_op_info;

/* The fallbacks named `none` in ops.def. */
ovcc_status ir_shape_none(ir_op *op, ir_diag *d);
ovcc_status ir_eval_none(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d);
bool ir_op_has_shape_fn(const ir_op_info *info);
bool ir_op_has_eval_fn(const ir_op_info *info);
/* Other registered versions share this op's type name (text IR then writes ".vN"). */
bool ir_op_info_multi_version(ir_op_id id);

const ir_op_info *ir_op_info_get(ir_op_id id);
/* Resolves an XML (type, version) pair: type case-insensitive with the IR
 * aliases (Const, ReLU, PReLU, SoftMax), version "opsetN" picks the newest op
 * version <= N, with OpenVINO's historical remaps; "experimental"/"extension"
 * resolve like opset6. Returns false if unknown; *why says whether the type or
 * the version was the problem. */
bool ir_op_resolve_xml(const char *type, const char *version, ir_op_id *out, const char **why);
/* Resolves a text IR name "ov.Gather" / "ov.Gather.v8" (newest version if none). */
bool ir_op_resolve_text(const char *name, size_t n, ir_op_id *out);
/* Index of attribute `name` in the op's schema, or -1. */
int ir_op_schema_index(ir_op_id id, const char *name);

#endif
