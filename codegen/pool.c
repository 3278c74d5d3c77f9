/* MaxPool (-1, -8/-14 with indices), AvgPool (-1/-14/-16), AdaptiveAvgPool,
 * AdaptiveMaxPool on [N, C, spatial...] data, 1 to 3 spatial dims (treated as
 * 3 with leading dims of size 1).
 *
 * One work item is one output row (n, c, od, oh). Along the row, outputs
 * whose every horizontal tap lies inside the input (the interior, known at
 * compile time) go `lanes` at a time: one (strided) vector load per tap, the
 * vertical taps checked once per vector. The borders run the same code with
 * one lane and a check per tap. Padded cells never win a max and are skipped;
 * AvgPool divides by the taps inside the input (exclude-pad) or by the whole
 * kernel (see pl_lower_pool for when OpenVINO uses which). */
#include <float.h>
#include <string.h>

#include "lower_pool_internal.h"

typedef struct pool_ctx {
  pl_type t, ti; /* data; indices */
  bool is_max, exclude_pad, with_idx;
  int64_t nc_count, chans;
  int64_t in[3], out[3], k[3], s[3], d[3], pb[3], pe[3];
  int64_t imul[3]; /* index weight of each spatial coordinate (0: not counted) */
  int axis;        /* indices count from this data axis */
  LLVMValueRef src, dst, dst_idx;
  LLVMValueRef acc, acc_idx, cnt_real; /* stack slots */
  /* per row */
  LLVMValueRef in_base, idx_base, pos[3]; /* pos: window start along d, h */
  unsigned lanes;
} pool_ctx;

static bool read_spatial(const ir_op *op, const char *name, int sp, int64_t def, int64_t *out) {
  uint32_t n = 0;
  const int64_t *v = ir_op_attr_ints(op, name, &n);
  for (int i = 0; i < sp; i++)
    out[3 - sp + i] = n == 0 ? def : v[i];
  return n == 0 || (int)n == sp;
}

static ovcc_status pool_params(cg_kernel *k, const ir_op *op, pool_ctx *c) {
  const ir_value *x = ir_op_operand(op, 0), *y = &op->results[0];
  int64_t xd[IR_MAX_RANK], yd[IR_MAX_RANK];
  int rank = cg_dims(x, xd);
  cg_dims(y, yd);
  if (rank < 3 || rank > 5)
    return CG_UNSUPPORTED(k, "pooling needs rank 3 to 5, got %d", rank);
  int sp = rank - 2;
  for (int i = 0; i < 3; i++) {
    c->in[i] = c->out[i] = c->k[i] = c->s[i] = c->d[i] = 1;
    c->pb[i] = c->pe[i] = 0;
  }
  for (int i = 0; i < sp; i++) {
    c->in[3 - sp + i] = xd[2 + i];
    c->out[3 - sp + i] = yd[2 + i];
  }
  c->nc_count = xd[0] * xd[1];
  c->chans = xd[1];
  if (!read_spatial(op, "kernel", sp, 1, c->k) || !read_spatial(op, "strides", sp, 1, c->s) ||
      !read_spatial(op, "dilations", sp, 1, c->d) ||
      !read_spatial(op, "pads_begin", sp, 0, c->pb) || !read_spatial(op, "pads_end", sp, 0, c->pe))
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "window attributes do not match spatial rank %d",
                    sp);
  const char *ap = ir_op_attr_str(op, "auto_pad", "explicit");
  bool upper = strcmp(ap, "same_upper") == 0, lower = strcmp(ap, "same_lower") == 0;
  for (int i = 3 - sp; i < 3; i++) {
    if (strcmp(ap, "valid") == 0)
      c->pb[i] = c->pe[i] = 0;
    if (upper || lower) { /* split the padding that keeps out = ceil(in / s) */
      int64_t dk = (c->k[i] - 1) * c->d[i] + 1;
      int64_t total = (c->out[i] - 1) * c->s[i] + dk - c->in[i];
      total = total < 0 ? 0 : total;
      c->pb[i] = upper ? total / 2 : total - total / 2;
      c->pe[i] = total - c->pb[i];
    }
  }
  /* index weights: flat index over data dims [axis, rank) */
  int64_t stride = 1;
  for (int i = 2; i >= 3 - sp; i--) {
    int data_axis = 2 + i - (3 - sp);
    c->imul[i] = data_axis >= c->axis ? stride : 0;
    stride *= c->in[i];
  }
  return OVCC_OK;
}

/* Max starts at the lowest finite value: a window lying entirely in the
 * padding yields it, as in OpenVINO. */
static LLVMValueRef pool_init(cg_kernel *k, const pool_ctx *c, unsigned n) {
  if (!c->is_max)
    return pl_const(k, &c->t, n, 0);
  if (c->t.is_float)
    return pl_const(k, &c->t, n, c->t.et == IR_ET_F64 ? -DBL_MAX : -FLT_MAX);
  return pl_red_init(k, &c->t, PL_MAX, n);
}

/* Emits the taps of the outputs [ow0, ow0 + n) of the current row; `check_w`
 * adds the horizontal bounds check (scalar border path). */
static void pool_block(cg_kernel *k, pool_ctx *c, LLVMValueRef ow0, unsigned n, bool check_w) {
  const pl_type *t = &c->t;
  LLVMTypeRef vt = pl_vtype(t, n), it = LLVMVectorType(k->m->t_i64, n);
  c->acc = pl_alloca(k, vt, "acc");
  c->acc_idx = pl_alloca(k, it, "acc_idx");
  LLVMBuildStore(k->b, pool_init(k, c, n), c->acc);
  if (c->with_idx) /* an empty window reports the plane's first cell */
    LLVMBuildStore(k->b, cg_splat(k, c->idx_base, n), c->acc_idx);
  if (c->exclude_pad)
    LLVMBuildStore(k->b, cg_i64(k, 0), c->cnt_real);
  LLVMValueRef w0 =
      LLVMBuildSub(k->b, LLVMBuildMul(k->b, ow0, cg_i64(k, c->s[2]), ""), cg_i64(k, c->pb[2]), "");
  cg_loop ld, lh, lw;
  LLVMValueRef pos[3], real = LLVMConstInt(k->m->t_i1, 1, false);
  LLVMValueRef kv[3];
  kv[0] = cg_loop_begin(k, &ld, cg_i64(k, 0), cg_i64(k, c->k[0]), 1, "kd");
  kv[1] = cg_loop_begin(k, &lh, cg_i64(k, 0), cg_i64(k, c->k[1]), 1, "kh");
  kv[2] = cg_loop_begin(k, &lw, cg_i64(k, 0), cg_i64(k, c->k[2]), 1, "kw");
  for (int i = 0; i < 3; i++) {
    LLVMValueRef start = i < 2 ? c->pos[i] : w0;
    pos[i] = LLVMBuildAdd(k->b, start, LLVMBuildMul(k->b, kv[i], cg_i64(k, c->d[i]), ""), "");
    if (i == 2 && !check_w)
      continue;
    LLVMValueRef ge0 = LLVMBuildICmp(k->b, LLVMIntSGE, pos[i], cg_i64(k, 0), "");
    LLVMValueRef ltn = LLVMBuildICmp(k->b, LLVMIntSLT, pos[i], cg_i64(k, c->in[i]), "");
    real = LLVMBuildAnd(k->b, real, LLVMBuildAnd(k->b, ge0, ltn, ""), "");
  }
  if (c->exclude_pad) {
    LLVMValueRef cr = pl_ld(k, k->m->t_i64, c->cnt_real);
    LLVMBuildStore(k->b, LLVMBuildAdd(k->b, cr, LLVMBuildZExt(k->b, real, k->m->t_i64, ""), ""),
                   c->cnt_real);
  }
  cg_if ci;
  cg_if_begin(k, &ci, real);
  LLVMValueRef sp = LLVMBuildAdd(
      k->b,
      LLVMBuildMul(
          k->b, LLVMBuildAdd(k->b, LLVMBuildMul(k->b, pos[0], cg_i64(k, c->in[1]), ""), pos[1], ""),
          cg_i64(k, c->in[2]), ""),
      pos[2], "");
  LLVMValueRef x =
      pl_load_strided(k, t, c->src, LLVMBuildAdd(k->b, c->in_base, sp, ""), n, c->s[2]);
  LLVMValueRef acc = pl_ld(k, vt, c->acc);
  if (!c->is_max) {
    LLVMBuildStore(k->b, pl_add(k, t, acc, x), c->acc);
  } else {
    LLVMValueRef better = pl_gt(k, t, x, acc);
    LLVMBuildStore(k->b, LLVMBuildSelect(k->b, better, x, acc, ""), c->acc);
    if (c->with_idx) {
      LLVMValueRef ib = c->idx_base;
      for (int i = 0; i < 2; i++)
        ib = LLVMBuildAdd(k->b, ib, LLVMBuildMul(k->b, pos[i], cg_i64(k, c->imul[i]), ""), "");
      ib = LLVMBuildAdd(k->b, ib, LLVMBuildMul(k->b, pos[2], cg_i64(k, c->imul[2]), ""), "");
      LLVMValueRef cur = pl_iota(k, ib, n, c->s[2] * c->imul[2]);
      LLVMValueRef old = pl_ld(k, it, c->acc_idx);
      LLVMBuildStore(k->b, LLVMBuildSelect(k->b, better, cur, old, ""), c->acc_idx);
    }
  }
  cg_if_end(k, &ci);
  cg_loop_end(k, &lw);
  cg_loop_end(k, &lh);
  cg_loop_end(k, &ld);
}

static void pool_store(cg_kernel *k, pool_ctx *c, LLVMValueRef out_row, LLVMValueRef ow0,
                       unsigned n) {
  LLVMValueRef o = LLVMBuildAdd(k->b, out_row, ow0, "");
  LLVMValueRef v = pl_ld(k, pl_vtype(&c->t, n), c->acc);
  if (!c->is_max) {
    LLVMValueRef cnt = c->exclude_pad ? pl_ld(k, k->m->t_i64, c->cnt_real)
                                      : cg_i64(k, c->k[0] * c->k[1] * c->k[2]);
    LLVMValueRef f = LLVMBuildSIToFP(k->b, cnt, c->t.comp, "");
    v = LLVMBuildFDiv(k->b, v, cg_splat(k, f, n), "avg");
  }
  pl_store(k, &c->t, c->dst, o, v, NULL);
  if (c->with_idx)
    pl_store(k, &c->ti, c->dst_idx, o, pl_ld(k, LLVMVectorType(k->m->t_i64, n), c->acc_idx), NULL);
}

/* Outputs [lo, hi) of the row one at a time with checks. */
static void pool_scalar_range(cg_kernel *k, pool_ctx *c, LLVMValueRef out_row, int64_t lo,
                              int64_t hi) {
  if (lo >= hi)
    return;
  cg_loop l;
  LLVMValueRef ow = cg_loop_begin(k, &l, cg_i64(k, lo), cg_i64(k, hi), 1, "ow");
  pool_block(k, c, ow, 1, true);
  pool_store(k, c, out_row, ow, 1);
  cg_loop_end(k, &l);
}

static void pool_row(cg_kernel *k, pool_ctx *c, LLVMValueRef it) {
  LLVMValueRef oh = LLVMBuildURem(k->b, it, cg_i64(k, c->out[1]), "oh");
  LLVMValueRef t = LLVMBuildUDiv(k->b, it, cg_i64(k, c->out[1]), "");
  LLVMValueRef od = LLVMBuildURem(k->b, t, cg_i64(k, c->out[0]), "od");
  LLVMValueRef nc = LLVMBuildUDiv(k->b, t, cg_i64(k, c->out[0]), "nc");
  int64_t plane = c->in[0] * c->in[1] * c->in[2];
  c->in_base = LLVMBuildMul(k->b, nc, cg_i64(k, plane), "");
  c->idx_base = cg_i64(k, 0);
  if (c->with_idx && c->axis <= 1) {
    LLVMValueRef which = c->axis == 0 ? nc : LLVMBuildURem(k->b, nc, cg_i64(k, c->chans), "");
    c->idx_base = LLVMBuildMul(k->b, which, cg_i64(k, plane), "");
  }
  LLVMValueRef o[2] = {od, oh};
  for (int i = 0; i < 2; i++)
    c->pos[i] = LLVMBuildSub(k->b, LLVMBuildMul(k->b, o[i], cg_i64(k, c->s[i]), ""),
                             cg_i64(k, c->pb[i]), "");
  LLVMValueRef out_row = LLVMBuildMul(k->b, it, cg_i64(k, c->out[2]), "");
  /* interior along w: every tap in [0, in) */
  int64_t ow_n = c->out[2], s = c->s[2], pb = c->pb[2];
  int64_t last_tap = (c->k[2] - 1) * c->d[2];
  int64_t lo = (pb + s - 1) / s, top = c->in[2] - 1 + pb - last_tap;
  int64_t hi = top < 0 ? 0 : top / s + 1;
  if (hi > ow_n)
    hi = ow_n;
  if (lo > hi)
    lo = hi;
  int64_t nvec = c->lanes > 1 ? (hi - lo) / c->lanes : 0;
  int64_t vend = lo + nvec * c->lanes;
  if (nvec == 0) {
    pool_scalar_range(k, c, out_row, 0, ow_n);
    return;
  }
  pool_scalar_range(k, c, out_row, 0, lo);
  cg_loop l;
  LLVMValueRef ow = cg_loop_begin(k, &l, cg_i64(k, lo), cg_i64(k, vend), c->lanes, "owv");
  pool_block(k, c, ow, c->lanes, false);
  pool_store(k, c, out_row, ow, c->lanes);
  cg_loop_end(k, &l);
  pool_scalar_range(k, c, out_row, vend, ow_n);
}

ovcc_status pl_lower_pool(cg_kernel *k, const ir_op *op) {
  pool_ctx c = {0};
  c.is_max =
      op->kind == IR_OP_MAXPOOL_1 || op->kind == IR_OP_MAXPOOL_8 || op->kind == IR_OP_MAXPOOL_14;
  c.with_idx = c.is_max && op->n_results > 1;
  c.exclude_pad = !c.is_max && ir_op_attr_bool(op, "exclude-pad", false);
  c.axis = (int)ir_op_attr_int(op, "axis", 0);
  const ir_value *x = ir_op_operand(op, 0);
  if (c.axis < 0)
    c.axis += x->type.shape.rank;
  if (!pl_type_init(k, x->type.et, &c.t) || (!c.is_max && !c.t.is_float) ||
      x->type.et == IR_ET_BOOLEAN)
    return CG_UNSUPPORTED(k, "element type %s", ir_etype_name(x->type.et));
  if (c.with_idx && !pl_type_init(k, op->results[1].type.et, &c.ti))
    return CG_UNSUPPORTED(k, "index type %s", ir_etype_name(op->results[1].type.et));
  ovcc_status st = pool_params(k, op, &c);
  if (st != OVCC_OK)
    return st;
  /* OpenVINO's CPU plugin counts padding only when some pad is non-zero, and
   * then divides by the whole kernel (pads_end grows to fit ceil-mode
   * windows); otherwise it divides by the cells inside the input. */
  bool padded = false;
  for (int i = 0; i < 3; i++)
    padded = padded || c.pb[i] || c.pe[i];
  if (!c.is_max && !padded)
    c.exclude_pad = true;
  c.lanes = pl_lanes(k);
  c.src = cg_operand(k, 0);
  c.dst = cg_result(k, 0);
  c.dst_idx = c.with_idx ? cg_result(k, 1) : NULL;
  c.cnt_real = pl_alloca(k, k->m->t_i64, "cnt_real");
  int64_t rows = c.nc_count * c.out[0] * c.out[1];
  k->work = rows > 0 ? rows : 1;
  k->cost = (double)(c.out[2] * c.k[0] * c.k[1] * c.k[2]);
  if (rows == 0 || c.out[2] == 0)
    return OVCC_OK;
  cg_loop l;
  LLVMValueRef it = cg_loop_begin(k, &l, k->begin, k->end, 1, "row");
  pool_row(k, &c, it);
  cg_loop_end(k, &l);
  return OVCC_OK;
}

/* ---- AdaptiveAvgPool / AdaptiveMaxPool ----
 * Output o along a dim of input extent I and output extent O covers
 * [floor(o*I/O), ceil((o+1)*I/O)). Bins overlap and vary in size, so each
 * output is a scalar loop nest over its bin. */

static void bin_bounds(cg_kernel *k, LLVMValueRef o, int64_t in, int64_t out, LLVMValueRef *lo,
                       LLVMValueRef *hi) {
  LLVMValueRef vin = cg_i64(k, in), vout = cg_i64(k, out);
  *lo = LLVMBuildUDiv(k->b, LLVMBuildMul(k->b, o, vin, ""), vout, "");
  LLVMValueRef e = LLVMBuildMul(k->b, LLVMBuildAdd(k->b, o, cg_i64(k, 1), ""), vin, "");
  *hi = LLVMBuildUDiv(k->b, LLVMBuildAdd(k->b, e, cg_i64(k, out - 1), ""), vout, "");
}

static void adaptive_output(cg_kernel *k, pool_ctx *c, LLVMValueRef o[3], LLVMValueRef out_idx) {
  const pl_type *t = &c->t;
  LLVMTypeRef vt = pl_vtype(t, 1), it = LLVMVectorType(k->m->t_i64, 1);
  LLVMBuildStore(k->b, pl_red_init(k, t, c->is_max ? PL_MAX : PL_SUM, 1), c->acc);
  LLVMBuildStore(k->b, LLVMConstNull(it), c->acc_idx);
  LLVMValueRef lo[3], hi[3], p[3];
  cg_loop l[3];
  for (int i = 0; i < 3; i++)
    bin_bounds(k, o[i], c->in[i], c->out[i], &lo[i], &hi[i]);
  for (int i = 0; i < 3; i++)
    p[i] = cg_loop_begin(k, &l[i], lo[i], hi[i], 1, "bin");
  LLVMValueRef sp = LLVMBuildAdd(
      k->b,
      LLVMBuildMul(k->b,
                   LLVMBuildAdd(k->b, LLVMBuildMul(k->b, p[0], cg_i64(k, c->in[1]), ""), p[1], ""),
                   cg_i64(k, c->in[2]), ""),
      p[2], "");
  LLVMValueRef x = pl_load(k, t, c->src, LLVMBuildAdd(k->b, c->in_base, sp, ""), 1, NULL);
  LLVMValueRef acc = pl_ld(k, vt, c->acc);
  if (c->is_max) {
    LLVMValueRef better = pl_gt(k, t, x, acc);
    LLVMBuildStore(k->b, LLVMBuildSelect(k->b, better, x, acc, ""), c->acc);
    LLVMValueRef cur = pl_iota(k, sp, 1, 0);
    LLVMBuildStore(k->b, LLVMBuildSelect(k->b, better, cur, pl_ld(k, it, c->acc_idx), ""),
                   c->acc_idx);
  } else {
    LLVMBuildStore(k->b, pl_add(k, t, acc, x), c->acc);
  }
  for (int i = 2; i >= 0; i--)
    cg_loop_end(k, &l[i]);
  LLVMValueRef v = pl_ld(k, vt, c->acc);
  if (!c->is_max) {
    LLVMValueRef cnt = cg_i64(k, 1);
    for (int i = 0; i < 3; i++)
      cnt = LLVMBuildMul(k->b, cnt, LLVMBuildSub(k->b, hi[i], lo[i], ""), "");
    v = LLVMBuildFDiv(k->b, v, cg_splat(k, LLVMBuildSIToFP(k->b, cnt, t->comp, ""), 1), "avg");
  }
  pl_store(k, t, c->dst, out_idx, v, NULL);
  if (c->with_idx)
    pl_store(k, &c->ti, c->dst_idx, out_idx, pl_ld(k, it, c->acc_idx), NULL);
}

ovcc_status pl_lower_adaptive_pool(cg_kernel *k, const ir_op *op) {
  pool_ctx c = {0};
  c.is_max = op->kind == IR_OP_ADAPTIVEMAXPOOL_8;
  c.with_idx = c.is_max;
  const ir_value *x = ir_op_operand(op, 0), *y = &op->results[0];
  if (!pl_type_init(k, x->type.et, &c.t) || !c.t.is_float)
    return CG_UNSUPPORTED(k, "element type %s", ir_etype_name(x->type.et));
  if (c.with_idx && !pl_type_init(k, op->results[1].type.et, &c.ti))
    return CG_UNSUPPORTED(k, "index type %s", ir_etype_name(op->results[1].type.et));
  int64_t xd[IR_MAX_RANK], yd[IR_MAX_RANK];
  int rank = cg_dims(x, xd);
  cg_dims(y, yd);
  if (rank < 3 || rank > 5)
    return CG_UNSUPPORTED(k, "adaptive pooling needs rank 3 to 5, got %d", rank);
  int sp = rank - 2;
  for (int i = 0; i < 3; i++)
    c.in[i] = c.out[i] = 1;
  for (int i = 0; i < sp; i++) {
    c.in[3 - sp + i] = xd[2 + i];
    c.out[3 - sp + i] = yd[2 + i];
  }
  c.src = cg_operand(k, 0);
  c.dst = cg_result(k, 0);
  c.dst_idx = c.with_idx ? cg_result(k, 1) : NULL;
  c.acc = pl_alloca(k, pl_vtype(&c.t, 1), "acc");
  c.acc_idx = pl_alloca(k, LLVMVectorType(k->m->t_i64, 1), "acc_idx");
  int64_t rows = xd[0] * xd[1] * c.out[0] * c.out[1];
  k->work = rows > 0 ? rows : 1;
  int64_t n_out = c.out[0] * c.out[1] * c.out[2];
  k->cost =
      (double)c.out[2] * (double)(c.in[0] * c.in[1] * c.in[2]) / (double)(n_out > 0 ? n_out : 1);
  if (rows == 0 || c.out[2] == 0)
    return OVCC_OK;
  cg_loop l, lw;
  LLVMValueRef it = cg_loop_begin(k, &l, k->begin, k->end, 1, "row");
  LLVMValueRef oh = LLVMBuildURem(k->b, it, cg_i64(k, c.out[1]), "oh");
  LLVMValueRef t = LLVMBuildUDiv(k->b, it, cg_i64(k, c.out[1]), "");
  LLVMValueRef od = LLVMBuildURem(k->b, t, cg_i64(k, c.out[0]), "od");
  LLVMValueRef nc = LLVMBuildUDiv(k->b, t, cg_i64(k, c.out[0]), "nc");
  c.in_base = LLVMBuildMul(k->b, nc, cg_i64(k, c.in[0] * c.in[1] * c.in[2]), "");
  LLVMValueRef out_row = LLVMBuildMul(k->b, it, cg_i64(k, c.out[2]), "");
  LLVMValueRef ow = cg_loop_begin(k, &lw, cg_i64(k, 0), cg_i64(k, c.out[2]), 1, "ow");
  LLVMValueRef o[3] = {od, oh, ow};
  adaptive_output(k, &c, o, LLVMBuildAdd(k->b, out_row, ow, ""));
  cg_loop_end(k, &lw);
  cg_loop_end(k, &l);
  return OVCC_OK;
}
