/* CTCGreedyDecoder-1 and CTCGreedyDecoderSeqLen-6: one ukernel call per
 * chunk of batch items (each item decodes its own row). */
#include "misc_internal.h"

static bool is_index_type(ir_etype et) { return et == IR_ET_I32 || et == IR_ET_I64; }
static bool is_float_type(ir_etype et) { return et == IR_ET_F32 || et == IR_ET_F16; }

ovcc_status cg_lower_ctc_greedy(cg_kernel *k, const ir_op *op) {
  ir_etype et = misc_et(op, 0);
  if (!is_float_type(et) || misc_et(op, 1) != et || op->results[0].type.et != et)
    return CG_UNSUPPORTED(k, "element types %s, %s -> %s (all f32 or all f16)",
                          ir_etype_name(misc_et(op, 0)), ir_etype_name(misc_et(op, 1)),
                          ir_etype_name(op->results[0].type.et));
  int64_t d[IR_MAX_RANK];
  if (cg_dims(ir_op_operand(op, 0), d) != 3)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "data must be [T, N, C]");
  int64_t p[UK_CTC_NPARAMS] = {[UK_CTC_T] = d[0], [UK_CTC_N] = d[1], [UK_CTC_C] = d[2],
                               [UK_CTC_MERGE] = ir_op_attr_bool(op, "ctc_merge_repeated", true),
                               [UK_CTC_F16] = et == IR_ET_F16};
  if (cg_numel(&op->results[0]) != (uint64_t)(d[0] * d[1]))
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "output must hold N x T values");
  k->work = d[1];
  k->cost = (double)(d[0] * d[2]);
  LLVMValueRef args[] = {cg_operand(k, 0), cg_operand(k, 1), cg_result(k, 0),
                         cg_uk_i64_table(k, p, UK_CTC_NPARAMS), k->begin, k->end};
  return cg_uk_call(k, "ovcc_uk_ctc_greedy", args, 6);
}

ovcc_status cg_lower_ctc_greedy_seq_len(cg_kernel *k, const ir_op *op) {
  bool blank = op->n_operands > 2;
  if (!is_float_type(misc_et(op, 0)) || !is_index_type(misc_et(op, 1)) ||
      (blank && !is_index_type(misc_et(op, 2))) || !is_index_type(op->results[0].type.et) ||
      !is_index_type(op->results[1].type.et))
    return CG_UNSUPPORTED(k, "element types (f32/f16 data, i32/i64 indices only)");
  int64_t d[IR_MAX_RANK];
  if (cg_dims(ir_op_operand(op, 0), d) != 3)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "data must be [N, T, C]");
  int64_t p[UK_CTC_NPARAMS] = {
      [UK_CTC_T] = d[1],
      [UK_CTC_N] = d[0],
      [UK_CTC_C] = d[2],
      [UK_CTC_MERGE] = ir_op_attr_bool(op, "merge_repeated", true),
      [UK_CTC_SEQ_I64] = misc_et(op, 1) == IR_ET_I64,
      [UK_CTC_BLANK_I64] = blank && misc_et(op, 2) == IR_ET_I64,
      [UK_CTC_CLASSES_I64] = op->results[0].type.et == IR_ET_I64,
      [UK_CTC_LENGTHS_I64] = op->results[1].type.et == IR_ET_I64,
      [UK_CTC_F16] = misc_et(op, 0) == IR_ET_F16,
  };
  if (cg_numel(&op->results[0]) != (uint64_t)(d[0] * d[1]) ||
      cg_numel(&op->results[1]) != (uint64_t)d[0] || cg_numel(ir_op_operand(op, 1)) != (uint64_t)d[0])
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "outputs must be [N, T] and [N]");
  k->work = d[0];
  k->cost = (double)(d[1] * d[2]);
  LLVMValueRef args[] = {cg_operand(k, 0),
                         cg_operand(k, 1),
                         blank ? cg_operand(k, 2) : misc_null(k),
                         cg_result(k, 0),
                         cg_result(k, 1),
                         cg_uk_i64_table(k, p, UK_CTC_NPARAMS),
                         k->begin,
                         k->end};
  return cg_uk_call(k, "ovcc_uk_ctc_greedy_seq_len", args, 8);
}
