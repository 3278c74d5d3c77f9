/* The misc family's lowerings (codegen/misc_*.c), dispatched by
 * lower_misc.c. Most call C ukernels (see ukernel.h for why). */
#ifndef OVCC_CODEGEN_MISC_INTERNAL_H
#define OVCC_CODEGEN_MISC_INTERNAL_H

#include "cg.h"
#include "ukernel.h"
#include "ukernels/uk_abi.h"

ovcc_status cg_lower_topk(cg_kernel *k, const ir_op *op);
ovcc_status cg_lower_detection_output(cg_kernel *k, const ir_op *op);
ovcc_status cg_lower_ctc_greedy(cg_kernel *k, const ir_op *op);
ovcc_status cg_lower_ctc_greedy_seq_len(cg_kernel *k, const ir_op *op);
ovcc_status cg_lower_region_yolo(cg_kernel *k, const ir_op *op);
ovcc_status cg_lower_reorg_yolo(cg_kernel *k, const ir_op *op);
ovcc_status cg_lower_rnn(cg_kernel *k, const ir_op *op); /* misc_rnn.c */

/* Product of dims[lo..hi). */
static inline int64_t misc_prod(const int64_t *dims, int lo, int hi) {
  int64_t p = 1;
  for (int i = lo; i < hi; i++)
    p *= dims[i];
  return p;
}

static inline ir_etype misc_et(const ir_op *op, uint32_t operand) {
  return ir_op_operand(op, operand)->type.et;
}

/* The null pointer, for an absent optional operand. */
static inline LLVMValueRef misc_null(cg_kernel *k) { return LLVMConstNull(k->m->t_ptr); }

#endif
