/* RegionYolo-1 and ReorgYolo-2 (YOLO v2/v3 heads). */
#include "misc_internal.h"

ovcc_status cg_lower_region_yolo(cg_kernel *k, const ir_op *op) {
  if (misc_et(op, 0) != IR_ET_F32 || op->results[0].type.et != IR_ET_F32)
    return CG_UNSUPPORTED(k, "RegionYolo of %s (f32 only)", ir_etype_name(misc_et(op, 0)));
  int64_t d[IR_MAX_RANK];
  if (cg_dims(ir_op_operand(op, 0), d) != 4)
    return CG_UNSUPPORTED(k, "input of rank other than 4");
  uint32_t n_mask = 0;
  ir_op_attr_ints(op, "mask", &n_mask);
  bool softmax = ir_op_attr_bool(op, "do_softmax", true);
  int64_t p[UK_YOLO_NPARAMS] = {
      [UK_YOLO_BATCH] = d[0],
      [UK_YOLO_C] = d[1],
      [UK_YOLO_H] = d[2],
      [UK_YOLO_W] = d[3],
      [UK_YOLO_COORDS] = ir_op_attr_int(op, "coords", 4),
      [UK_YOLO_CLASSES] = ir_op_attr_int(op, "classes", 0),
      [UK_YOLO_REGIONS] = softmax ? ir_op_attr_int(op, "num", 0) : (int64_t)n_mask,
      [UK_YOLO_SOFTMAX] = softmax,
  };
  int64_t per_region = d[2] * d[3] * (p[UK_YOLO_CLASSES] + p[UK_YOLO_COORDS] + 1);
  uint64_t out_n = cg_numel(&op->results[0]);
  if (p[UK_YOLO_REGIONS] <= 0 || out_n != (uint64_t)(d[0] * p[UK_YOLO_REGIONS] * per_region) ||
      out_n > cg_numel(ir_op_operand(op, 0)) || (softmax && out_n != cg_numel(ir_op_operand(op, 0))))
    return cg_error(k, OVCC_ERR_INVALID_MODEL,
                    "output of %llu elements does not match %lld regions of %lld",
                    (unsigned long long)out_n, (long long)p[UK_YOLO_REGIONS],
                    (long long)per_region);
  k->work = d[0] * p[UK_YOLO_REGIONS];
  k->cost = (double)per_region * 4.0;
  LLVMValueRef args[] = {cg_operand(k, 0), cg_result(k, 0),
                         cg_uk_i64_table(k, p, UK_YOLO_NPARAMS), k->begin, k->end};
  return cg_uk_call(k, "ovcc_uk_region_yolo", args, 5);
}

ovcc_status cg_lower_reorg_yolo(cg_kernel *k, const ir_op *op) {
  ir_etype et = misc_et(op, 0);
  if (et != IR_ET_F32 && et != IR_ET_I32 && et != IR_ET_U32)
    return CG_UNSUPPORTED(k, "ReorgYolo of %s (4-byte elements only)", ir_etype_name(et));
  int64_t d[IR_MAX_RANK];
  if (cg_dims(ir_op_operand(op, 0), d) != 4)
    return CG_UNSUPPORTED(k, "input of rank other than 4");
  uint32_t n_strides = 0;
  const int64_t *strides = ir_op_attr_ints(op, "stride", &n_strides);
  int64_t s = n_strides ? strides[0] : 0;
  if (s <= 0 || d[1] % (s * s) != 0 || cg_numel(&op->results[0]) != cg_numel(ir_op_operand(op, 0)))
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "stride %lld does not divide the input",
                    (long long)s);
  int64_t p[UK_YOLO_NPARAMS] = {[UK_YOLO_BATCH] = d[0], [UK_YOLO_C] = d[1], [UK_YOLO_H] = d[2],
                                [UK_YOLO_W] = d[3], [UK_YOLO_STRIDE] = s};
  k->work = d[0] * d[1];
  k->cost = (double)(d[2] * d[3]);
  LLVMValueRef args[] = {cg_operand(k, 0), cg_result(k, 0),
                         cg_uk_i64_table(k, p, UK_YOLO_NPARAMS), k->begin, k->end};
  return cg_uk_call(k, "ovcc_uk_reorg_yolo", args, 5);
}
