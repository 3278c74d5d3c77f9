/* Shape-only movement as views: Reshape/Squeeze/Unsqueeze (a plain copy for
 * when the memory plan cannot alias), Transpose, DepthToSpace, SpaceToDepth,
 * ShuffleChannels, Tile, Broadcast. Semantics mirror ir/eval_movement.c. */
#include <string.h>

#include "move_internal.h"

static ovcc_status lower_copy(cg_kernel *k, unsigned es) {
  mv_view v;
  mv_view_init(&v, es, 0, k->op->n_operands);
  int64_t n = (int64_t)cg_numel(ir_op_operand(k->op, 0));
  mv_view_axis(&v, n, 1, 1);
  return mv_emit_kernel(k, &v);
}

static ovcc_status lower_transpose(cg_kernel *k, unsigned es) {
  int64_t dims[IR_MAX_RANK], ist[IR_MAX_RANK], ord[IR_MAX_RANK];
  int r = mv_dims(ir_op_operand(k->op, 0), dims, ist);
  int n = mv_const_ints(k, 1, ord, IR_MAX_RANK, "Transpose order");
  if (n < 0)
    return k->d->status;
  if (n == 0)
    for (int i = 0; i < r; i++)
      ord[i] = r - 1 - i;
  else if (n != r)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "order has %d entries for data of rank %d", n, r);
  mv_view v;
  mv_view_init(&v, es, 0, k->op->n_operands);
  for (int i = 0; i < r; i++) {
    if (ord[i] < 0 || ord[i] >= r)
      return cg_error(k, OVCC_ERR_INVALID_MODEL, "order entry %lld is out of range",
                      (long long)ord[i]);
    mv_view_axis(&v, dims[ord[i]], ist[ord[i]], 0);
  }
  mv_view_dense_dst(&v);
  return mv_emit_kernel(k, &v);
}

static bool blocks_first(const ir_op *op) {
  return strcmp(ir_op_attr_str(op, "mode", "blocks_first"), "blocks_first") == 0;
}

/* Output [N, C/bs^K, D1, b1, ..., DK, bK]; input channel = b_flat * C' + c
 * (blocks_first) or c * bs^K + b_flat (depth_first). */
static ovcc_status lower_depth_to_space(cg_kernel *k, unsigned es) {
  int64_t dims[IR_MAX_RANK], ist[IR_MAX_RANK];
  int r = mv_dims(ir_op_operand(k->op, 0), dims, ist);
  int64_t bs = ir_op_attr_int(k->op, "block_size", 1), nsp = r - 2, bk = 1;
  for (int i = 0; i < nsp; i++)
    bk *= bs;
  if (r < 3 || bs < 1 || dims[1] % bk)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "bad DepthToSpace shape or block size");
  int64_t cp = dims[1] / bk;
  bool bf = blocks_first(k->op);
  mv_view v;
  mv_view_init(&v, es, 0, k->op->n_operands);
  mv_view_axis(&v, dims[0], ist[0], 0);
  mv_view_axis(&v, cp, bf ? ist[1] : bk * ist[1], 0);
  int64_t bw = bk; /* weight of block i in b_flat: bs^(K-1-i) */
  for (int i = 0; i < nsp; i++) {
    bw /= bs;
    mv_view_axis(&v, dims[2 + i], ist[2 + i], 0);
    mv_view_axis(&v, bs, bf ? bw * cp * ist[1] : bw * ist[1], 0);
  }
  mv_view_dense_dst(&v);
  return mv_emit_kernel(k, &v);
}

/* Output channel = b_flat * C + c (blocks_first) or c * bs^K + b_flat. */
static ovcc_status lower_space_to_depth(cg_kernel *k, unsigned es) {
  int64_t dims[IR_MAX_RANK], ist[IR_MAX_RANK];
  int r = mv_dims(ir_op_operand(k->op, 0), dims, ist);
  int64_t bs = ir_op_attr_int(k->op, "block_size", 1), nsp = r - 2;
  if (r < 3 || bs < 1)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "bad SpaceToDepth shape or block size");
  bool bf = blocks_first(k->op);
  mv_view v;
  mv_view_init(&v, es, 0, k->op->n_operands);
  mv_view_axis(&v, dims[0], ist[0], 0);
  if (!bf)
    mv_view_axis(&v, dims[1], ist[1], 0);
  for (int i = 0; i < nsp; i++)
    mv_view_axis(&v, bs, ist[2 + i], 0);
  if (bf)
    mv_view_axis(&v, dims[1], ist[1], 0);
  for (int i = 0; i < nsp; i++) {
    if (dims[2 + i] % bs)
      return cg_error(k, OVCC_ERR_INVALID_MODEL, "dimension %d is not divisible by block_size",
                      2 + i);
    mv_view_axis(&v, dims[2 + i] / bs, bs * ist[2 + i], 0);
  }
  mv_view_dense_dst(&v);
  return mv_emit_kernel(k, &v);
}

/* [outer, group, C/group, inner] -> [outer, C/group, group, inner]. */
static ovcc_status lower_shuffle_channels(cg_kernel *k, unsigned es) {
  int64_t dims[IR_MAX_RANK], ist[IR_MAX_RANK], axis;
  int r = mv_dims(ir_op_operand(k->op, 0), dims, ist);
  int64_t g = ir_op_attr_int(k->op, "group", 1);
  if (!ir_axis_normalize(ir_op_attr_int(k->op, "axis", 1), r, &axis, k->d))
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "axis is out of range");
  if (g < 1 || dims[axis] % g)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "channels are not divisible by group %lld",
                    (long long)g);
  int64_t outer = 1, cg = dims[axis] / g;
  for (int i = 0; i < axis; i++)
    outer *= dims[i];
  mv_view v;
  mv_view_init(&v, es, 0, k->op->n_operands);
  mv_view_axis(&v, outer, dims[axis] * ist[axis], 0);
  mv_view_axis(&v, cg, ist[axis], 0);
  mv_view_axis(&v, g, cg * ist[axis], 0);
  mv_view_axis(&v, ist[axis], 1, 0);
  mv_view_dense_dst(&v);
  return mv_emit_kernel(k, &v);
}

/* Output axis i splits into (repeat, input dim): the repeat reads stride 0. */
static ovcc_status lower_tile(cg_kernel *k, unsigned es) {
  int64_t xd[IR_MAX_RANK], ist[IR_MAX_RANK], od[IR_MAX_RANK];
  int xr = mv_dims(ir_op_operand(k->op, 0), xd, ist);
  int r = cg_dims(&k->op->results[0], od);
  mv_view v;
  mv_view_init(&v, es, 0, k->op->n_operands);
  for (int i = 0; i < r; i++) {
    int xi = i - (r - xr);
    int64_t d = xi >= 0 ? xd[xi] : 1;
    if (d == 0 || od[i] % d)
      return cg_numel(&k->op->results[0]) == 0
                 ? (k->work = 1, OVCC_OK)
                 : cg_error(k, OVCC_ERR_INVALID_MODEL, "output dim %d is not a multiple", i);
    mv_view_axis(&v, od[i] / d, 0, 0);
    mv_view_axis(&v, d, xi >= 0 ? ist[xi] : 0, 0);
  }
  mv_view_dense_dst(&v);
  return mv_emit_kernel(k, &v);
}

static ovcc_status lower_broadcast(cg_kernel *k, unsigned es) {
  int64_t xd[IR_MAX_RANK], ist[IR_MAX_RANK], od[IR_MAX_RANK], map[IR_MAX_RANK];
  int xr = mv_dims(ir_op_operand(k->op, 0), xd, ist);
  int r = cg_dims(&k->op->results[0], od);
  const char *mode = ir_op_attr_str(k->op, "mode", "numpy");
  if (strcmp(mode, "explicit") == 0) {
    int n = mv_const_ints(k, 2, map, IR_MAX_RANK, "Broadcast axes_mapping");
    if (n < 0)
      return k->d->status;
    if (n != xr)
      return cg_error(k, OVCC_ERR_INVALID_MODEL, "axes_mapping has %d entries for rank %d", n,
                      xr);
  } else {
    int start = strcmp(mode, "pdpd") == 0 ? 0 : r - xr;
    for (int i = 0; i < xr; i++)
      map[i] = start + i;
  }
  mv_view v;
  mv_view_init(&v, es, 0, k->op->n_operands);
  for (int i = 0; i < r; i++)
    mv_view_axis(&v, od[i], 0, 0);
  for (int i = 0; i < xr; i++) {
    if (map[i] < 0 || map[i] >= r || (xd[i] != 1 && xd[i] != od[map[i]]))
      return cg_error(k, OVCC_ERR_INVALID_MODEL, "data dimension %d does not broadcast", i);
    v.src_stride[map[i]] = xd[i] == 1 ? 0 : ist[i];
  }
  mv_view_dense_dst(&v);
  return mv_emit_kernel(k, &v);
}

ovcc_status mv_lower_shape(cg_kernel *k, const ir_op *op, bool *handled) {
  ovcc_status (*fn)(cg_kernel *, unsigned) = NULL;
  switch (op->kind) {
  case IR_OP_RESHAPE_1:
  case IR_OP_SQUEEZE_1:
  case IR_OP_SQUEEZE_15:
  case IR_OP_UNSQUEEZE_1:
    fn = lower_copy;
    break;
  case IR_OP_TRANSPOSE_1:
    fn = lower_transpose;
    break;
  case IR_OP_DEPTHTOSPACE_1:
    fn = lower_depth_to_space;
    break;
  case IR_OP_SPACETODEPTH_1:
    fn = lower_space_to_depth;
    break;
  case IR_OP_SHUFFLECHANNELS_1:
    fn = lower_shuffle_channels;
    break;
  case IR_OP_TILE_1:
    fn = lower_tile;
    break;
  case IR_OP_BROADCAST_1:
  case IR_OP_BROADCAST_3:
    fn = lower_broadcast;
    break;
  default:
    return OVCC_OK;
  }
  *handled = true;
  unsigned es = mv_elem_size(k, k->op->results[0].type.et);
  if (!es)
    return k->d->status;
  return fn(k, es);
}
