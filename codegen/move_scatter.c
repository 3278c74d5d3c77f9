/* ScatterUpdate-3, ScatterElementsUpdate (v3, v12 with reductions and
 * use_init_val), ScatterNDUpdate (v3, v15 with reductions).
 *
 * Updates apply in order (later duplicates win, reductions accumulate), so
 * the kernel is one serial work item: copy data to the output, then walk the
 * updates. Semantics follow OpenVINO's CPU node (nodes/scatter_update.cpp):
 * negative indices count from the end; reductions run in the data type
 * (f16/bf16 through f32); mean divides in double by the number of updates
 * (+1 with use_init_val) and converts back. An index still out of range is
 * skipped (OpenVINO throws), never written out of bounds. */
#include <float.h>
#include <string.h>

#include "move_internal.h"

typedef enum reduction { RED_NONE, RED_SUM, RED_SUB, RED_PROD, RED_MIN, RED_MAX, RED_MEAN } reduction;

static reduction reduction_of(const ir_op *op) {
  static const char *const names[] = {"none", "sum", "sub", "prod", "min", "max", "mean"};
  const char *s = ir_op_attr_str(op, "reduction", "none");
  for (int i = 0; i < 7; i++)
    if (strcmp(s, names[i]) == 0)
      return (reduction)i;
  return RED_NONE;
}

typedef struct scatter_ctx {
  cg_kernel *k;
  ir_etype et;
  LLVMTypeRef mt;      /* memory type of one element */
  LLVMTypeRef at;      /* arithmetic type: mt, or f32 for f16/bf16 */
  bool fl, sg;         /* float; signed integer */
  reduction red;
  LLVMValueRef out, upd, idx;
  ir_etype idx_et;
} scatter_ctx;

static ovcc_status ctx_init(scatter_ctx *c, cg_kernel *k, uint32_t idx_op, uint32_t upd_op) {
  c->k = k;
  c->et = k->op->results[0].type.et;
  c->mt = cg_mem_type(k->m, c->et);
  c->fl = ir_etype_is_float(c->et);
  c->sg = ir_etype_is_signed(c->et);
  c->red = reduction_of(k->op);
  c->idx_et = ir_op_operand(k->op, idx_op)->type.et;
  if (!mv_elem_size(k, c->et))
    return k->d->status;
  if (!ir_etype_is_int(c->idx_et) || ir_etype_bits(c->idx_et) % 8)
    return CG_UNSUPPORTED(k, "indices of type %s", ir_etype_name(c->idx_et));
  if (c->red != RED_NONE && (!c->mt || c->et == IR_ET_BOOLEAN || c->et == IR_ET_F8E4M3 ||
                             c->et == IR_ET_F8E5M2 || c->et == IR_ET_F8E8M0))
    return CG_UNSUPPORTED(k, "reduction on %s data", ir_etype_name(c->et));
  c->at = c->et == IR_ET_F16 || c->et == IR_ET_BF16 ? k->m->t_f32 : c->mt;
  if (ir_op_operand(k->op, upd_op)->type.et != c->et)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "updates have another element type");
  c->out = cg_result(k, 0);
  c->upd = cg_operand(k, upd_op);
  c->idx = cg_operand(k, idx_op);
  return OVCC_OK;
}

/* Output = data, serially. */
static ovcc_status copy_data(cg_kernel *k) {
  unsigned es = mv_elem_size(k, k->op->results[0].type.et);
  mv_view v;
  mv_view_init(&v, es, 0, k->op->n_operands);
  mv_view_axis(&v, (int64_t)cg_numel(&k->op->results[0]), 1, 1);
  v.serial = true;
  int64_t rows;
  return mv_emit(k, &v, 0, &rows);
}

/* Index at position pos made non-negative; *valid: inside [0, dim). */
static LLVMValueRef load_index(scatter_ctx *c, LLVMValueRef pos, int64_t dim, LLVMValueRef *valid) {
  cg_kernel *k = c->k;
  LLVMValueRef i = mv_load_index(k, c->idx, c->idx_et, pos);
  LLVMValueRef neg = LLVMBuildICmp(k->b, LLVMIntSLT, i, cg_i64(k, 0), "");
  i = LLVMBuildSelect(k->b, neg, LLVMBuildAdd(k->b, i, cg_i64(k, dim), ""), i, "");
  LLVMValueRef ok = LLVMBuildICmp(k->b, LLVMIntULT, i, cg_i64(k, dim), "");
  *valid = *valid ? LLVMBuildAnd(k->b, *valid, ok, "") : ok;
  return i;
}

static LLVMValueRef to_arith(scatter_ctx *c, LLVMValueRef x) {
  return c->at == c->mt ? x : LLVMBuildFPExt(c->k->b, x, c->at, "");
}

static LLVMValueRef from_arith(scatter_ctx *c, LLVMValueRef x) {
  return c->at == c->mt ? x : LLVMBuildFPTrunc(c->k->b, x, c->mt, "");
}

/* dst op= src in the arithmetic type (std::min/std::max compare order). */
static LLVMValueRef reduce(scatter_ctx *c, LLVMValueRef d, LLVMValueRef s) {
  LLVMBuilderRef b = c->k->b;
  switch (c->red) {
  case RED_SUM:
  case RED_MEAN:
    return c->fl ? LLVMBuildFAdd(b, d, s, "") : LLVMBuildAdd(b, d, s, "");
  case RED_SUB:
    return c->fl ? LLVMBuildFSub(b, d, s, "") : LLVMBuildSub(b, d, s, "");
  case RED_PROD:
    return c->fl ? LLVMBuildFMul(b, d, s, "") : LLVMBuildMul(b, d, s, "");
  case RED_MAX: { /* std::max(d, s) = d < s ? s : d */
    LLVMValueRef lt = c->fl ? LLVMBuildFCmp(b, LLVMRealOLT, d, s, "")
                            : LLVMBuildICmp(b, c->sg ? LLVMIntSLT : LLVMIntULT, d, s, "");
    return LLVMBuildSelect(b, lt, s, d, "");
  }
  case RED_MIN: { /* std::min(d, s) = s < d ? s : d */
    LLVMValueRef lt = c->fl ? LLVMBuildFCmp(b, LLVMRealOLT, s, d, "")
                            : LLVMBuildICmp(b, c->sg ? LLVMIntSLT : LLVMIntULT, s, d, "");
    return LLVMBuildSelect(b, lt, s, d, "");
  }
  default:
    return s;
  }
}

/* out[dst] (op)= upd[src], element offsets. */
static void apply(scatter_ctx *c, LLVMValueRef dst, LLVMValueRef src) {
  cg_kernel *k = c->k;
  LLVMValueRef dp = cg_gep(k, c->mt, c->out, dst);
  LLVMValueRef s = LLVMBuildLoad2(k->b, c->mt, cg_gep(k, c->mt, c->upd, src), "");
  if (c->red == RED_NONE) {
    LLVMBuildStore(k->b, s, dp);
    return;
  }
  LLVMValueRef d = LLVMBuildLoad2(k->b, c->mt, dp, "");
  LLVMBuildStore(k->b, from_arith(c, reduce(c, to_arith(c, d), to_arith(c, s))), dp);
}

/* The value that leaves a reduction unchanged (OpenVINO's neutral value:
 * lowest() for max, max() for min). */
static LLVMValueRef neutral(scatter_ctx *c) {
  unsigned bits = ir_etype_bits(c->et);
  bool big = c->red == RED_MIN;
  if (c->red == RED_PROD)
    return c->fl ? LLVMConstReal(c->mt, 1.0) : LLVMConstInt(c->mt, 1, false);
  if (c->red != RED_MIN && c->red != RED_MAX)
    return LLVMConstNull(c->mt);
  if (c->fl) {
    double m = c->et == IR_ET_F16 ? 65504.0 : c->et == IR_ET_F64 ? DBL_MAX
                                           : c->et == IR_ET_BF16 ? 3.3895313892515355e38 : FLT_MAX;
    return LLVMConstReal(c->mt, big ? m : -m);
  }
  uint64_t all = bits == 64 ? UINT64_MAX : (((uint64_t)1 << bits) - 1);
  uint64_t v = c->sg ? (big ? all >> 1 : ((uint64_t)1 << (bits - 1))) : (big ? all : 0);
  return LLVMConstInt(c->mt, v, false);
}

/* ---- ScatterUpdate: out[pre, idx[i], post] = upd[pre, i, post] ---- */

static ovcc_status lower_scatter_update(cg_kernel *k) {
  scatter_ctx c;
  IR_TRY(ctx_init(&c, k, 1, 2));
  int64_t xd[IR_MAX_RANK], axis;
  int r = cg_dims(ir_op_operand(k->op, 0), xd);
  if (mv_const_ints(k, 3, &axis, 1, "ScatterUpdate axis") != 1)
    return k->d->status ? k->d->status : cg_error(k, OVCC_ERR_INVALID_MODEL, "axis is no scalar");
  if (!ir_axis_normalize(axis, r, &axis, k->d))
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "axis is out of range");
  int64_t pre = 1, post = 1, ni = (int64_t)cg_numel(ir_op_operand(k->op, 1));
  for (int i = 0; i < axis; i++)
    pre *= xd[i];
  for (int i = (int)axis + 1; i < r; i++)
    post *= xd[i];
  if ((int64_t)cg_numel(ir_op_operand(k->op, 2)) != pre * ni * post)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "updates do not match data and indices");
  IR_TRY(copy_data(k));
  unsigned es = mv_elem_size(k, c.et);
  cg_loop lp, li;
  LLVMValueRef p = cg_loop_begin(k, &lp, cg_i64(k, 0), cg_i64(k, pre), 1, "pre");
  LLVMValueRef i = cg_loop_begin(k, &li, cg_i64(k, 0), cg_i64(k, ni), 1, "i");
  LLVMValueRef valid = NULL;
  LLVMValueRef at = load_index(&c, i, xd[axis], &valid);
  cg_if ok;
  cg_if_begin(k, &ok, valid);
  LLVMValueRef dst = LLVMBuildMul(k->b, LLVMBuildAdd(k->b, LLVMBuildMul(k->b, p, cg_i64(k, xd[axis]), ""), at, ""), cg_i64(k, post), "");
  LLVMValueRef src = LLVMBuildMul(k->b, LLVMBuildAdd(k->b, LLVMBuildMul(k->b, p, cg_i64(k, ni), ""), i, ""), cg_i64(k, post), "");
  LLVMValueRef bd = cg_gep(k, k->m->t_i8, c.out, LLVMBuildMul(k->b, dst, cg_i64(k, es), ""));
  LLVMValueRef bs = cg_gep(k, k->m->t_i8, c.upd, LLVMBuildMul(k->b, src, cg_i64(k, es), ""));
  mv_copy_bytes(k, bd, bs, post * (int64_t)es);
  cg_if_end(k, &ok);
  cg_loop_end(k, &li);
  cg_loop_end(k, &lp);
  k->work = 1;
  return OVCC_OK;
}

/* ---- ScatterNDUpdate: out[idx tuple t, rest] (op)= upd[t, rest] ---- */

static ovcc_status lower_scatter_nd(cg_kernel *k) {
  scatter_ctx c;
  IR_TRY(ctx_init(&c, k, 1, 2));
  int64_t xd[IR_MAX_RANK], xst[IR_MAX_RANK], id[IR_MAX_RANK];
  int r = mv_dims(ir_op_operand(k->op, 0), xd, xst);
  int ir = cg_dims(ir_op_operand(k->op, 1), id);
  if (ir < 1 || id[ir - 1] > r)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "bad ScatterNDUpdate indices shape");
  int64_t kk = id[ir - 1], nt = 1, block = 1;
  for (int i = 0; i < ir - 1; i++)
    nt *= id[i];
  for (int i = (int)kk; i < r; i++)
    block *= xd[i];
  if ((int64_t)cg_numel(ir_op_operand(k->op, 2)) != nt * block)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "updates do not match data and indices");
  IR_TRY(copy_data(k));
  cg_loop lt;
  LLVMValueRef t = cg_loop_begin(k, &lt, cg_i64(k, 0), cg_i64(k, nt), 1, "t");
  LLVMValueRef valid = NULL, dst = cg_i64(k, 0);
  for (int j = 0; j < kk; j++) {
    LLVMValueRef pos = LLVMBuildAdd(k->b, LLVMBuildMul(k->b, t, cg_i64(k, kk), ""), cg_i64(k, j), "");
    LLVMValueRef ij = load_index(&c, pos, xd[j], &valid);
    dst = LLVMBuildAdd(k->b, dst, LLVMBuildMul(k->b, ij, cg_i64(k, xst[j]), ""), "");
  }
  cg_if ok;
  if (valid)
    cg_if_begin(k, &ok, valid);
  LLVMValueRef src = LLVMBuildMul(k->b, t, cg_i64(k, block), "");
  if (c.red == RED_NONE) {
    unsigned es = mv_elem_size(k, c.et);
    LLVMValueRef bd = cg_gep(k, k->m->t_i8, c.out, LLVMBuildMul(k->b, dst, cg_i64(k, es), ""));
    LLVMValueRef bs = cg_gep(k, k->m->t_i8, c.upd, LLVMBuildMul(k->b, src, cg_i64(k, es), ""));
    mv_copy_bytes(k, bd, bs, block * (int64_t)es);
  } else {
    cg_loop le;
    LLVMValueRef e = cg_loop_begin(k, &le, cg_i64(k, 0), cg_i64(k, block), 1, "e");
    apply(&c, LLVMBuildAdd(k->b, dst, e, ""), LLVMBuildAdd(k->b, src, e, ""));
    cg_loop_end(k, &le);
  }
  if (valid)
    cg_if_end(k, &ok);
  cg_loop_end(k, &lt);
  k->work = 1;
  return OVCC_OK;
}

/* ---- ScatterElementsUpdate ---- */

typedef struct elem_walk {
  int rank;
  int64_t axis, id[IR_MAX_RANK], ist[IR_MAX_RANK], xst[IR_MAX_RANK], dim;
  LLVMValueRef ioff, doff; /* per worker: index/update offset, data offset */
} elem_walk;

/* For j along the axis: k = idx[ioff + j * ist[axis]], body(k valid). */
typedef void (*elem_fn)(scatter_ctx *c, const elem_walk *w, LLVMValueRef pos, LLVMValueRef dst,
                        LLVMValueRef count_slot);

static void walk_axis(scatter_ctx *c, const elem_walk *w, elem_fn fn, LLVMValueRef counts) {
  cg_kernel *k = c->k;
  cg_loop lj;
  LLVMValueRef j = cg_loop_begin(k, &lj, cg_i64(k, 0), cg_i64(k, w->id[w->axis]), 1, "j");
  LLVMValueRef pos = LLVMBuildAdd(k->b, w->ioff, LLVMBuildMul(k->b, j, cg_i64(k, w->ist[w->axis]), ""), "");
  LLVMValueRef valid = NULL;
  LLVMValueRef at = load_index(c, pos, w->dim, &valid);
  cg_if ok;
  cg_if_begin(k, &ok, valid);
  LLVMValueRef dst = LLVMBuildAdd(k->b, w->doff, LLVMBuildMul(k->b, at, cg_i64(k, w->xst[w->axis]), ""), "");
  fn(c, w, pos, dst, counts ? cg_gep(k, k->m->t_i32, counts, at) : NULL);
  cg_if_end(k, &ok);
  cg_loop_end(k, &lj);
}

static void set_neutral(scatter_ctx *c, const elem_walk *w, LLVMValueRef pos, LLVMValueRef dst,
                        LLVMValueRef slot) {
  (void)w, (void)pos, (void)slot;
  LLVMBuildStore(c->k->b, neutral(c), cg_gep(c->k, c->mt, c->out, dst));
}

static void accumulate(scatter_ctx *c, const elem_walk *w, LLVMValueRef pos, LLVMValueRef dst,
                       LLVMValueRef slot) {
  (void)w;
  apply(c, dst, pos);
  if (slot) {
    LLVMValueRef n = LLVMBuildLoad2(c->k->b, c->k->m->t_i32, slot, "");
    LLVMBuildStore(c->k->b, LLVMBuildAdd(c->k->b, n, cg_i32(c->k, 1), ""), slot);
  }
}

/* out[pos] = out / (count + init) through double, for every counted slot. */
static void finish_mean(scatter_ctx *c, const elem_walk *w, LLVMValueRef counts, bool init) {
  cg_kernel *k = c->k;
  cg_loop lq;
  LLVMValueRef q = cg_loop_begin(k, &lq, cg_i64(k, 0), cg_i64(k, w->dim), 1, "q");
  LLVMValueRef n = LLVMBuildLoad2(k->b, k->m->t_i32, cg_gep(k, k->m->t_i32, counts, q), "");
  cg_if any;
  cg_if_begin(k, &any, LLVMBuildICmp(k->b, LLVMIntSGT, n, cg_i32(k, 0), ""));
  LLVMValueRef dp = cg_gep(k, c->mt, c->out, LLVMBuildAdd(k->b, w->doff, LLVMBuildMul(k->b, q, cg_i64(k, w->xst[w->axis]), ""), ""));
  LLVMValueRef x = LLVMBuildLoad2(k->b, c->mt, dp, "");
  LLVMTypeRef f64 = k->m->t_f64;
  LLVMValueRef xd = c->fl ? LLVMBuildFPCast(k->b, x, f64, "")
                          : c->sg ? LLVMBuildSIToFP(k->b, x, f64, "") : LLVMBuildUIToFP(k->b, x, f64, "");
  LLVMValueRef nn = LLVMBuildSIToFP(k->b, LLVMBuildAdd(k->b, n, cg_i32(k, init ? 1 : 0), ""), f64, "");
  LLVMValueRef y = LLVMBuildFDiv(k->b, xd, nn, "");
  y = c->fl ? LLVMBuildFPCast(k->b, y, c->mt, "")
            : c->sg ? LLVMBuildFPToSI(k->b, y, c->mt, "") : LLVMBuildFPToUI(k->b, y, c->mt, "");
  LLVMBuildStore(k->b, y, dp);
  cg_if_end(k, &any);
  cg_loop_end(k, &lq);
}

/* Workers are the index positions with the axis coordinate 0; each owns the
 * destinations along the axis at its other coordinates. */
static ovcc_status lower_scatter_elements(cg_kernel *k) {
  scatter_ctx c;
  IR_TRY(ctx_init(&c, k, 1, 2));
  elem_walk w;
  int64_t xd[IR_MAX_RANK];
  w.rank = mv_dims(ir_op_operand(k->op, 0), xd, w.xst);
  int ir = mv_dims(ir_op_operand(k->op, 1), w.id, w.ist);
  if (ir != w.rank || cg_numel(ir_op_operand(k->op, 2)) != cg_numel(ir_op_operand(k->op, 1)))
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "indices and updates must match the data rank");
  int64_t axis;
  if (mv_const_ints(k, 3, &axis, 1, "ScatterElementsUpdate axis") != 1)
    return k->d->status ? k->d->status : cg_error(k, OVCC_ERR_INVALID_MODEL, "axis is no scalar");
  if (!ir_axis_normalize(axis, w.rank, &axis, k->d))
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "axis is out of range");
  w.axis = axis;
  w.dim = xd[axis];
  bool init = ir_op_attr_bool(k->op, "use_init_val", true);
  LLVMValueRef counts = NULL;
  if (c.red == RED_MEAN) {
    if (w.dim > 65536)
      return CG_UNSUPPORTED(k, "mean reduction over an axis of %lld", (long long)w.dim);
    /* Entry-block array: static size, promoted out of the loops. */
    counts = cg_entry_alloca(k, k->m->t_i32, w.dim > 0 ? w.dim : 1, "counts");
  }
  IR_TRY(copy_data(k));
  int64_t workers = w.id[axis] ? (int64_t)cg_numel(ir_op_operand(k->op, 1)) / w.id[axis] : 0;
  cg_loop lw;
  LLVMValueRef wk = cg_loop_begin(k, &lw, cg_i64(k, 0), cg_i64(k, workers), 1, "w");
  w.ioff = cg_i64(k, 0);
  w.doff = cg_i64(k, 0);
  int64_t div = 1;
  for (int i = w.rank - 1; i >= 0; i--) {
    if (i == axis)
      continue;
    LLVMValueRef ci = LLVMBuildURem(k->b, LLVMBuildUDiv(k->b, wk, cg_i64(k, div), ""), cg_i64(k, w.id[i]), "");
    div *= w.id[i];
    w.ioff = LLVMBuildAdd(k->b, w.ioff, LLVMBuildMul(k->b, ci, cg_i64(k, w.ist[i]), ""), "");
    w.doff = LLVMBuildAdd(k->b, w.doff, LLVMBuildMul(k->b, ci, cg_i64(k, w.xst[i]), ""), "");
  }
  if (counts) {
    cg_loop lz;
    LLVMValueRef z = cg_loop_begin(k, &lz, cg_i64(k, 0), cg_i64(k, w.dim), 1, "z");
    LLVMBuildStore(k->b, cg_i32(k, 0), cg_gep(k, k->m->t_i32, counts, z));
    cg_loop_end(k, &lz);
  }
  if (!init && c.red != RED_NONE)
    walk_axis(&c, &w, set_neutral, NULL);
  walk_axis(&c, &w, accumulate, counts);
  if (counts)
    finish_mean(&c, &w, counts, init);
  cg_loop_end(k, &lw);
  k->work = 1;
  return OVCC_OK;
}

ovcc_status mv_lower_scatter(cg_kernel *k, const ir_op *op, bool *handled) {
  switch (op->kind) {
  case IR_OP_SCATTERUPDATE_3:
    *handled = true;
    return lower_scatter_update(k);
  case IR_OP_SCATTERNDUPDATE_3:
  case IR_OP_SCATTERNDUPDATE_15:
    *handled = true;
    return lower_scatter_nd(k);
  case IR_OP_SCATTERELEMENTSUPDATE_3:
  case IR_OP_SCATTERELEMENTSUPDATE_12:
    *handled = true;
    return lower_scatter_elements(k);
  default:
    return OVCC_OK;
  }
}
