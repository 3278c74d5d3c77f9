/* The ir room: one include for its users. */
#ifndef OVCC_IR_IR_H
#define OVCC_IR_IR_H

#include "arena.h"
#include "attr.h"
#include "diag.h"
#include "graph.h"
#include "registry.h"
#include "shape.h"
#include "types.h"

/* ---- verify.c ---- */
/* Checks a whole model: operand/result counts against the registry, types,
 * defs before uses (dominance), no cycles, every body well formed (its
 * Parameters/Results match the port maps), Parameters/Results registered,
 * Constants sized right. The message names the op. */
ovcc_status ir_verify(ir_model *m, ir_diag *d);

/* ---- infer.c ---- */
/* Runs shape functions over the model in op order (bodies included), sets
 * known values for small shape-like results, and checks each inferred type
 * against the type already on the value (from XML port dims or text IR):
 * they must be compatible; the result is their merge. `strict`: a missing
 * shape function is an error naming the op; otherwise the op keeps its
 * declared types. */
ovcc_status ir_infer_types(ir_model *m, bool strict, ir_diag *d);
ovcc_status ir_infer_graph(ir_graph *g, bool strict, ir_diag *d);
/* Infers one op (shape function + merge with declared types + known value).
 * On error the message is prefixed with the op's location. */
ovcc_status ir_infer_op(ir_op *op, bool strict, ir_diag *d);
/* Largest result (bytes) for which shape inference keeps a known value. */
enum { IR_KNOWN_MAX_BYTES = 8192 };

/* ---- eval.c ---- */
/* Evaluates op on its constant / known inputs into fresh tensors (arena).
 * OVCC_ERR_UNSUPPORTED if it cannot (no eval fn, non-static, too large). */
ovcc_status ir_eval_op(ir_op *op, ir_tensor **outs, uint64_t max_bytes, ir_diag *d);

/* ---- print.c ---- */
/* Writes the textual IR of m; returns OVCC_ERR_IO on write failure. */
#include <stdio.h>
ovcc_status ir_print_model(ir_model *m, FILE *f, ir_diag *d);

#endif
