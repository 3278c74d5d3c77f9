/* TopK-1/3/11: one ukernel call per chunk of slices along the axis. k comes
 * from the (static) result shape, which shape inference set to
 * min(k, axis length). */
#include <string.h>

#include "misc_internal.h"

static const char *topk_ukernel(ir_etype et) {
  switch (et) {
  case IR_ET_F32:
    return "ovcc_uk_topk_f32";
  case IR_ET_I32:
    return "ovcc_uk_topk_i32";
  case IR_ET_I64:
    return "ovcc_uk_topk_i64";
  default:
    return NULL;
  }
}

static int topk_sort(const char *s) {
  if (!strcmp(s, "value"))
    return UK_TOPK_SORT_VALUE;
  if (!strcmp(s, "index"))
    return UK_TOPK_SORT_INDEX;
  return UK_TOPK_SORT_NONE;
}

ovcc_status cg_lower_topk(cg_kernel *k, const ir_op *op) {
  const ir_value *in = ir_op_operand(op, 0);
  const char *uk = topk_ukernel(in->type.et);
  if (!uk)
    return CG_UNSUPPORTED(k, "TopK of %s elements", ir_etype_name(in->type.et));
  ir_etype ix_et = op->results[1].type.et;
  if (ix_et != IR_ET_I32 && ix_et != IR_ET_I64)
    return CG_UNSUPPORTED(k, "TopK indices of type %s", ir_etype_name(ix_et));
  int64_t dims[IR_MAX_RANK], odims[IR_MAX_RANK];
  int rank = cg_dims(in, dims);
  cg_dims(&op->results[0], odims);
  int64_t axis = ir_op_attr_int(op, "axis", 0);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "axis out of range for rank %d", rank);
  int64_t params[UK_TOPK_NPARAMS] = {
      [UK_TOPK_AXIS_LEN] = dims[axis],
      [UK_TOPK_INNER] = misc_prod(dims, (int)axis + 1, rank),
      [UK_TOPK_K] = odims[axis],
      [UK_TOPK_MODE_MAX] = !strcmp(ir_op_attr_str(op, "mode", "max"), "max"),
      [UK_TOPK_SORT] = topk_sort(ir_op_attr_str(op, "sort", "none")),
      [UK_TOPK_INDEX_I64] = ix_et == IR_ET_I64,
  };
  if (params[UK_TOPK_K] > params[UK_TOPK_AXIS_LEN])
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "k %lld exceeds the axis length %lld",
                    (long long)params[UK_TOPK_K], (long long)params[UK_TOPK_AXIS_LEN]);
  k->work = misc_prod(dims, 0, (int)axis) * params[UK_TOPK_INNER];
  k->cost = (double)dims[axis] * 4.0;
  LLVMValueRef args[] = {cg_operand(k, 0), cg_result(k, 0), cg_result(k, 1),
                         cg_uk_i64_table(k, params, UK_TOPK_NPARAMS), k->begin, k->end};
  return cg_uk_call(k, uk, args, 6);
}
