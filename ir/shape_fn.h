/* Small accessors shared by the shape functions (ir/shape_*.c): operand
 * types in, result types out. Private to the ir room. */
#ifndef OVCC_IR_SHAPE_FN_H
#define OVCC_IR_SHAPE_FN_H

#include "ir.h"

/* Input i exists and is connected (optional inputs may be absent). */
static inline bool has_in(const ir_op *op, uint32_t i) {
  return i < op->n_operands && ir_op_operand(op, i) != NULL;
}

static inline const ir_shape *in_shape(const ir_op *op, uint32_t i) {
  return &ir_op_operand(op, i)->type.shape;
}

static inline ir_etype in_et(const ir_op *op, uint32_t i) { return ir_op_operand(op, i)->type.et; }

/* Sets result i's type; results the op does not have are ignored. */
static inline void set_out(ir_op *op, uint32_t i, ir_etype et, const ir_shape *s) {
  if (i >= op->n_results)
    return;
  op->results[i].type.et = et;
  op->results[i].type.shape = *s;
}

#endif
