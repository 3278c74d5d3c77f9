/* Lowering of the pool family (see cg.h): pools (pool.c), reductions
 * (reduce.c) and normalizations, softmax and scans (norm.c). Memory-bound
 * kernels with explicit vectors over the contiguous dim; the shared pieces are
 * in pool_util.c. */
#include "lower_pool_internal.h"

static ovcc_status lower_reduce_family(cg_kernel *k, const ir_op *op, bool *handled) {
  static const struct {
    ir_op_id id;
    pl_red r;
  } reds[] = {
      {IR_OP_REDUCESUM_1, PL_SUM},      {IR_OP_REDUCEMEAN_1, PL_MEAN},
      {IR_OP_REDUCEMAX_1, PL_MAX},      {IR_OP_REDUCEMIN_1, PL_MIN},
      {IR_OP_REDUCEPROD_1, PL_PROD},    {IR_OP_REDUCEL1_4, PL_L1},
      {IR_OP_REDUCEL2_4, PL_L2},        {IR_OP_REDUCELOGICALAND_1, PL_AND},
      {IR_OP_REDUCELOGICALOR_1, PL_OR},
  };
  for (size_t i = 0; i < sizeof reds / sizeof reds[0]; i++)
    if (reds[i].id == op->kind) {
      *handled = true;
      return pl_lower_reduce(k, op, reds[i].r);
    }
  return OVCC_OK;
}

ovcc_status cg_lower_pool(cg_kernel *k, const ir_op *op, bool *handled) {
  *handled = true;
  switch (op->kind) {
  case IR_OP_MAXPOOL_1:
  case IR_OP_MAXPOOL_8:
  case IR_OP_MAXPOOL_14:
  case IR_OP_AVGPOOL_1:
  case IR_OP_AVGPOOL_14:
  case IR_OP_AVGPOOL_16: return pl_lower_pool(k, op);
  case IR_OP_ADAPTIVEAVGPOOL_8:
  case IR_OP_ADAPTIVEMAXPOOL_8: return pl_lower_adaptive_pool(k, op);
  case IR_OP_SOFTMAX_1:
  case IR_OP_SOFTMAX_8: return pl_lower_softmax(k, op, false);
  case IR_OP_LOGSOFTMAX_5: return pl_lower_softmax(k, op, true);
  case IR_OP_MVN_1:
  case IR_OP_MVN_6: return pl_lower_mvn(k, op);
  case IR_OP_NORMALIZEL2_1: return pl_lower_normalize_l2(k, op);
  case IR_OP_BATCHNORMINFERENCE_1:
  case IR_OP_BATCHNORMINFERENCE_5: return pl_lower_batch_norm(k, op);
  case IR_OP_GROUPNORMALIZATION_12: return pl_lower_group_norm(k, op);
  case IR_OP_LRN_1: return pl_lower_lrn(k, op);
  case IR_OP_CUMSUM_3: return pl_lower_cumsum(k, op);
  default: *handled = false; return lower_reduce_family(k, op, handled);
  }
}
