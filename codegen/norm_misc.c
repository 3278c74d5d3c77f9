/* BatchNormInference (per-channel affine), LRN (windowed sum of squares)
 * and CumSum (running sums along one axis), vectorized along the contiguous
 * dim where the op allows it. */
#include <math.h>
#include <string.h>

#include "lower_pool_internal.h"

/* ---- BatchNormInference ---- */

typedef struct bn_ctx {
  pl_type t;
  unsigned n;
  LLVMValueRef in, out, gamma, beta, mean, var;
  LLVMValueRef mul, add; /* per channel (spatial case) */
  LLVMValueRef row;      /* per-channel case: element offset of the row */
  double eps;
} bn_ctx;

/* y = x * gamma / sqrt(var + eps) + (beta - mean * gamma / sqrt(var + eps)) */
static void bn_coeffs(cg_kernel *k, bn_ctx *c, LLVMValueRef ch, unsigned n, LLVMValueRef mask,
                      LLVMValueRef *mul, LLVMValueRef *add) {
  const pl_type *t = &c->t;
  LLVMValueRef g = pl_load(k, t, c->gamma, ch, n, mask), b = pl_load(k, t, c->beta, ch, n, mask);
  LLVMValueRef m = pl_load(k, t, c->mean, ch, n, mask), v = pl_load(k, t, c->var, ch, n, mask);
  LLVMValueRef den = pl_fun(k, "llvm.sqrt", LLVMBuildFAdd(k->b, v, pl_const(k, t, n, c->eps), ""));
  *mul = LLVMBuildFDiv(k->b, g, den, "");
  *add = LLVMBuildFSub(k->b, b, LLVMBuildFMul(k->b, m, *mul, ""), "");
}

static void bn_visit(cg_kernel *k, LLVMValueRef off, LLVMValueRef mask, void *p) {
  bn_ctx *c = p;
  LLVMValueRef mul = c->mul, add = c->add;
  if (c->row) /* channels along the vector */
    bn_coeffs(k, c, LLVMBuildSub(k->b, off, c->row, ""), c->n, mask, &mul, &add);
  LLVMValueRef x = pl_load(k, &c->t, c->in, off, c->n, mask);
  pl_store(k, &c->t, c->out, off, LLVMBuildFAdd(k->b, LLVMBuildFMul(k->b, x, mul, ""), add, ""),
           mask);
}

ovcc_status pl_lower_batch_norm(cg_kernel *k, const ir_op *op) {
  bool v1 = op->kind == IR_OP_BATCHNORMINFERENCE_1;
  uint32_t di = v1 ? 2 : 0, gi = v1 ? 0 : 1, bi = v1 ? 1 : 2;
  const ir_value *x = ir_op_operand(op, di);
  bn_ctx c = {.eps = ir_op_attr_float(op, "epsilon", 1e-5)};
  if (!pl_type_init(k, x->type.et, &c.t) || !c.t.is_float)
    return CG_UNSUPPORTED(k, "element type %s", ir_etype_name(x->type.et));
  int64_t dims[IR_MAX_RANK];
  int rank = cg_dims(x, dims);
  int64_t spatial = 1;
  for (int i = 2; i < rank; i++)
    spatial *= dims[i];
  c.n = pl_lanes(k);
  c.in = cg_operand(k, di);
  c.gamma = cg_operand(k, gi);
  c.beta = cg_operand(k, bi);
  c.mean = cg_operand(k, 3);
  c.var = cg_operand(k, 4);
  c.out = cg_result(k, 0);
  cg_loop l;
  if (spatial == 1) { /* [N, C]: one row per item, channels in lanes */
    k->work = dims[0];
    k->cost = (double)dims[1];
    LLVMValueRef it = cg_loop_begin(k, &l, k->begin, k->end, 1, "row");
    c.row = LLVMBuildMul(k->b, it, cg_i64(k, dims[1]), "");
    pl_walk_contig(k, c.row, dims[1], c.n, bn_visit, &c);
    cg_loop_end(k, &l);
    return OVCC_OK;
  }
  k->work = dims[0] * dims[1];
  k->cost = (double)spatial;
  LLVMValueRef it = cg_loop_begin(k, &l, k->begin, k->end, 1, "plane");
  LLVMValueRef ch = LLVMBuildURem(k->b, it, cg_i64(k, dims[1]), "");
  bn_coeffs(k, &c, ch, 1, NULL, &c.mul, &c.add);
  c.mul = pl_bcast(k, c.mul, c.n);
  c.add = pl_bcast(k, c.add, c.n);
  pl_walk_contig(k, LLVMBuildMul(k->b, it, cg_i64(k, spatial), ""), spatial, c.n, bn_visit, &c);
  cg_loop_end(k, &l);
  return OVCC_OK;
}

/* ---- LRN ---- */

typedef struct lrn_ctx {
  pl_type t;
  unsigned n;
  int rank;
  int64_t dims[IR_MAX_RANK], strides[IR_MAX_RANK];
  bool win[IR_MAX_RANK];
  int64_t size;
  double alpha_scaled, beta, bias;
  LLVMValueRef in, out, acc;
  LLVMValueRef coord[IR_MAX_RANK]; /* coordinates of lane 0 */
} lrn_ctx;

/* Nested window loops over the windowed axes from `axis` on. */
static void lrn_window(cg_kernel *k, lrn_ctx *c, int axis, LLVMValueRef off, LLVMValueRef mask) {
  while (axis < c->rank && !c->win[axis])
    axis++;
  if (axis == c->rank) {
    LLVMValueRef x = pl_load(k, &c->t, c->in, off, c->n, mask);
    LLVMValueRef acc = pl_ld(k, pl_vtype(&c->t, c->n), c->acc);
    LLVMBuildStore(k->b, pl_red_step(k, &c->t, PL_L2, acc, x), c->acc);
    return;
  }
  /* window [max(0, i - size/2), min(dim, i + size/2 + 1)) as in the spec */
  LLVMValueRef i = c->coord[axis], h = cg_i64(k, c->size / 2);
  LLVMValueRef lo = LLVMBuildSub(k->b, i, h, ""),
               hi = LLVMBuildAdd(k->b, LLVMBuildAdd(k->b, i, h, ""), cg_i64(k, 1), "");
  LLVMValueRef zero = cg_i64(k, 0), dim = cg_i64(k, c->dims[axis]);
  lo = LLVMBuildSelect(k->b, LLVMBuildICmp(k->b, LLVMIntSLT, lo, zero, ""), zero, lo, "");
  hi = LLVMBuildSelect(k->b, LLVMBuildICmp(k->b, LLVMIntSGT, hi, dim, ""), dim, hi, "");
  cg_loop l;
  LLVMValueRef j = cg_loop_begin(k, &l, lo, hi, 1, "win");
  LLVMValueRef delta =
      LLVMBuildMul(k->b, LLVMBuildSub(k->b, j, i, ""), cg_i64(k, c->strides[axis]), "");
  lrn_window(k, c, axis + 1, LLVMBuildAdd(k->b, off, delta, ""), mask);
  cg_loop_end(k, &l);
}

static void lrn_visit(cg_kernel *k, LLVMValueRef off, LLVMValueRef mask, void *p) {
  lrn_ctx *c = p;
  int last = c->rank - 1;
  if (c->n == 1) /* the innermost axis is windowed: its coordinate is per element */
    c->coord[last] = LLVMBuildURem(k->b, off, cg_i64(k, c->dims[last]), "");
  LLVMBuildStore(k->b, pl_const(k, &c->t, c->n, 0), c->acc);
  lrn_window(k, c, 0, off, mask);
  LLVMValueRef s = pl_ld(k, pl_vtype(&c->t, c->n), c->acc);
  LLVMValueRef base =
      LLVMBuildFAdd(k->b, pl_const(k, &c->t, c->n, c->bias),
                    LLVMBuildFMul(k->b, s, pl_const(k, &c->t, c->n, c->alpha_scaled), ""), "");
  LLVMValueRef den = pl_pow(k, base, pl_const(k, &c->t, c->n, c->beta));
  LLVMValueRef x = pl_load(k, &c->t, c->in, off, c->n, mask);
  pl_store(k, &c->t, c->out, off, LLVMBuildFDiv(k->b, x, den, ""), mask);
}

ovcc_status pl_lower_lrn(cg_kernel *k, const ir_op *op) {
  const ir_value *x = ir_op_operand(op, 0);
  lrn_ctx c = {0};
  if (!pl_type_init(k, x->type.et, &c.t) || !c.t.is_float)
    return CG_UNSUPPORTED(k, "element type %s", ir_etype_name(x->type.et));
  c.rank = cg_dims(x, c.dims);
  if (c.rank < 1)
    return CG_UNSUPPORTED(k, "scalar input");
  cg_strides(c.dims, c.rank, c.strides);
  int naxes;
  ovcc_status st = pl_known_axes(k, 1, c.rank, c.win, &naxes);
  if (st != OVCC_OK)
    return st;
  c.size = ir_op_attr_int(op, "size", 1);
  c.beta = ir_op_attr_float(op, "beta", 0.5);
  c.bias = ir_op_attr_float(op, "bias", 1);
  c.alpha_scaled = ir_op_attr_float(op, "alpha", 1) / pow((double)c.size, (double)naxes);
  int last = c.rank - 1;
  int64_t len = c.dims[last];
  c.n = c.win[last] ? 1 : pl_lanes(k);
  c.in = cg_operand(k, 0);
  c.out = cg_result(k, 0);
  c.acc = pl_alloca(k, pl_vtype(&c.t, c.n), "acc");
  int64_t rows = len ? (int64_t)cg_numel(x) / len : 0;
  k->work = rows > 0 ? rows : 1;
  k->cost = (double)len * (double)c.size * naxes;
  if (rows == 0)
    return OVCC_OK;
  cg_loop l;
  LLVMValueRef row = cg_loop_begin(k, &l, k->begin, k->end, 1, "row");
  LLVMValueRef rem = row;
  for (int i = last - 1; i >= 0; i--) { /* coordinates of the row */
    LLVMValueRef d = cg_i64(k, c.dims[i]);
    c.coord[i] = LLVMBuildURem(k->b, rem, d, "");
    rem = LLVMBuildUDiv(k->b, rem, d, "");
  }
  pl_walk_contig(k, LLVMBuildMul(k->b, row, cg_i64(k, len), ""), len, c.n, lrn_visit, &c);
  cg_loop_end(k, &l);
  return OVCC_OK;
}

/* ---- CumSum ---- */

typedef struct cumsum_ctx {
  pl_type t;
  bool exclusive, reverse;
  int64_t len, stride; /* along the axis */
  LLVMValueRef in, out, acc;
} cumsum_ctx;

/* Running sum over the axis for the lanes at base (scalar when n == 1). */
static void cumsum_run(cg_kernel *k, cumsum_ctx *c, LLVMValueRef base, unsigned n,
                       LLVMValueRef mask) {
  const pl_type *t = &c->t;
  LLVMTypeRef vt = pl_vtype(t, n);
  LLVMBuildStore(k->b, pl_const_i(k, t, n, 0), c->acc);
  cg_loop l;
  LLVMValueRef j = cg_loop_begin(k, &l, cg_i64(k, 0), cg_i64(k, c->len), 1, "scan");
  LLVMValueRef pos = c->reverse ? LLVMBuildSub(k->b, cg_i64(k, c->len - 1), j, "") : j;
  LLVMValueRef off =
      LLVMBuildAdd(k->b, base, LLVMBuildMul(k->b, pos, cg_i64(k, c->stride), ""), "");
  LLVMValueRef x = pl_load(k, t, c->in, off, n, mask);
  LLVMValueRef acc = pl_ld(k, vt, c->acc), next = pl_add(k, t, acc, x);
  pl_store(k, t, c->out, off, c->exclusive ? acc : next, mask);
  LLVMBuildStore(k->b, next, c->acc);
  cg_loop_end(k, &l);
}

static void cumsum_item(cg_kernel *k, const pl_geom *g, const pl_item *it, void *p) {
  cumsum_run(k, p, it->base, g->lanes, it->mask);
}

ovcc_status pl_lower_cumsum(cg_kernel *k, const ir_op *op) {
  const ir_value *x = ir_op_operand(op, 0);
  cumsum_ctx c = {.exclusive = ir_op_attr_bool(op, "exclusive", false),
                  .reverse = ir_op_attr_bool(op, "reverse", false)};
  if (!pl_type_init(k, x->type.et, &c.t) || x->type.et == IR_ET_BOOLEAN)
    return CG_UNSUPPORTED(k, "element type %s", ir_etype_name(x->type.et));
  int64_t dims[IR_MAX_RANK];
  int rank = cg_dims(x, dims);
  bool red[IR_MAX_RANK] = {false};
  int axis = 0, cnt = 1;
  if (op->n_operands > 1 && ir_op_operand(op, 1)) {
    ovcc_status st = pl_known_axes(k, 1, rank, red, &cnt);
    if (st != OVCC_OK)
      return st;
    for (int i = 0; i < rank; i++)
      if (red[i])
        axis = i;
  }
  if (rank == 0 || cnt != 1)
    return CG_UNSUPPORTED(k, "CumSum needs one axis of a non-scalar input");
  red[axis] = true;
  c.in = cg_operand(k, 0);
  c.out = cg_result(k, 0);
  c.len = dims[axis];
  int64_t inner = 1;
  for (int i = axis + 1; i < rank; i++)
    inner *= dims[i];
  c.stride = inner;
  if (inner == 1) { /* the axis is contiguous: one scalar scan per row */
    int64_t rows = c.len ? (int64_t)cg_numel(x) / c.len : 0;
    k->work = rows > 0 ? rows : 1;
    k->cost = (double)c.len;
    if (rows == 0)
      return OVCC_OK;
    c.acc = pl_alloca(k, pl_vtype(&c.t, 1), "acc");
    cg_loop l;
    LLVMValueRef row = cg_loop_begin(k, &l, k->begin, k->end, 1, "row");
    cumsum_run(k, &c, LLVMBuildMul(k->b, row, cg_i64(k, c.len), ""), 1, NULL);
    cg_loop_end(k, &l);
    return OVCC_OK;
  }
  /* Lanes along the inner dims: the walker's kept case gives rows x chunks. */
  int64_t span = c.len * inner;
  int64_t gdims[3] = {span > 0 ? (int64_t)cg_numel(x) / span : 0, c.len, inner};
  bool gred[3] = {false, true, false};
  pl_geom g;
  pl_geom_init(&g, gdims, 3, gred, pl_lanes(k));
  c.acc = pl_alloca(k, pl_vtype(&c.t, g.lanes), "acc");
  pl_for_items(k, &g, cumsum_item, &c);
  return OVCC_OK;
}
