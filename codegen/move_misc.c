/* ShapeOf and Range when they reach code generation (not folded): ShapeOf
 * stores the compile-time dims; Range computes start + i * step in the
 * output type from runtime scalars. */
#include "move_internal.h"

static ovcc_status lower_shape_of(cg_kernel *k) {
  int64_t xd[IR_MAX_RANK];
  int r = cg_dims(ir_op_operand(k->op, 0), xd);
  ir_etype et = k->op->results[0].type.et;
  if (et != IR_ET_I32 && et != IR_ET_I64)
    return CG_UNSUPPORTED(k, "ShapeOf output type %s", ir_etype_name(et));
  LLVMTypeRef t = cg_mem_type(k->m, et);
  LLVMValueRef out = cg_result(k, 0);
  for (int i = 0; i < r; i++)
    LLVMBuildStore(k->b, LLVMConstInt(t, (unsigned long long)xd[i], true),
                   cg_gep(k, t, out, cg_i64(k, i)));
  k->work = 1;
  return OVCC_OK;
}

/* Scalar operand i converted to the LLVM type t (integer or float). */
static LLVMValueRef scalar_as(cg_kernel *k, uint32_t i, LLVMTypeRef t, bool t_float) {
  ir_etype et = ir_op_operand(k->op, i)->type.et;
  LLVMTypeRef st = cg_mem_type(k->m, et);
  LLVMValueRef x = LLVMBuildLoad2(k->b, st, cg_operand(k, i), "");
  bool s_float = ir_etype_is_float(et), s_signed = ir_etype_is_signed(et);
  if (s_float && t_float)
    return LLVMBuildFPCast(k->b, x, t, "");
  if (s_float)
    return LLVMBuildFPToSI(k->b, x, t, "");
  if (t_float)
    return s_signed ? LLVMBuildSIToFP(k->b, x, t, "") : LLVMBuildUIToFP(k->b, x, t, "");
  return LLVMBuildIntCast2(k->b, x, t, s_signed, "");
}

static ovcc_status lower_range(cg_kernel *k) {
  ir_etype et = k->op->results[0].type.et;
  LLVMTypeRef t = cg_mem_type(k->m, et);
  for (uint32_t i = 0; i < 3; i++)
    if (!cg_mem_type(k->m, ir_op_operand(k->op, i)->type.et))
      return CG_UNSUPPORTED(k, "Range input type %s",
                            ir_etype_name(ir_op_operand(k->op, i)->type.et));
  if (!t || et == IR_ET_BOOLEAN)
    return CG_UNSUPPORTED(k, "Range output type %s", ir_etype_name(et));
  bool fl = ir_etype_is_float(et);
  LLVMValueRef start = scalar_as(k, 0, t, fl), step = scalar_as(k, 2, t, fl);
  LLVMValueRef out = cg_result(k, 0);
  cg_loop l;
  LLVMValueRef i = cg_loop_begin(k, &l, cg_i64(k, 0), cg_i64(k, (int64_t)cg_numel(&k->op->results[0])), 1, "i");
  LLVMValueRef x;
  if (fl)
    x = LLVMBuildFAdd(k->b, start, LLVMBuildFMul(k->b, LLVMBuildSIToFP(k->b, i, t, ""), step, ""), "");
  else
    x = LLVMBuildAdd(k->b, start, LLVMBuildMul(k->b, LLVMBuildTrunc(k->b, i, t, ""), step, ""), "");
  LLVMBuildStore(k->b, x, cg_gep(k, t, out, i));
  cg_loop_end(k, &l);
  k->work = 1;
  return OVCC_OK;
}

ovcc_status mv_lower_misc(cg_kernel *k, const ir_op *op, bool *handled) {
  switch (op->kind) {
  case IR_OP_SHAPEOF_1:
  case IR_OP_SHAPEOF_3:
    *handled = true;
    return lower_shape_of(k);
  case IR_OP_RANGE_1:
  case IR_OP_RANGE_4:
    *handled = true;
    return lower_range(k);
  default:
    return OVCC_OK;
  }
}
