/* Softmax, LogSoftmax, MVN, NormalizeL2 (slice walker: statistics passes,
 * then a pass writing the output through the same offsets), and
 * GroupNormalization (walker statistics, per-channel affine write). Floating
 * types only; statistics in f32 (f64 for f64). BatchNormInference, LRN and
 * CumSum are in norm_misc.c. */
#include <math.h>
#include <string.h>

#include "lower_pool_internal.h"

/* What one visit of the walker does. */
typedef enum norm_stage {
  ST_SUM,       /* acc += x */
  ST_MAX,       /* acc = max(acc, x) */
  ST_SQDEV,     /* acc += (x - a)^2 */
  ST_SUMSQ,     /* acc += x^2 */
  ST_AFFINE,    /* out = (x - a) * b */
  ST_SCALE,     /* out = x * b */
  ST_EXP_OUT,   /* e = exp(x - a); out = e; acc += e */
  ST_EXP_SUM,   /* acc += exp(x - a) */
  ST_OUT_SCALE, /* out = out * b */
  ST_SUB_OUT,   /* out = x - b */
} norm_stage;

typedef struct norm_ctx {
  pl_type t;
  LLVMTypeRef vt;
  unsigned n;
  LLVMValueRef in, out, acc;
  LLVMValueRef a, b; /* per-item vectors the write stages use */
  norm_stage stage;
  /* op parameters */
  bool log, normalize_variance, eps_inside, eps_max;
  double eps;
} norm_ctx;

static void acc_update(cg_kernel *k, norm_ctx *c, LLVMValueRef mask, LLVMValueRef v, bool max) {
  LLVMValueRef acc = pl_ld(k, c->vt, c->acc);
  LLVMValueRef nv = max ? pl_max(k, &c->t, acc, v) : pl_add(k, &c->t, acc, v);
  LLVMBuildStore(k->b, pl_select(k, mask, nv, acc), c->acc);
}

static void norm_visit(cg_kernel *k, LLVMValueRef off, LLVMValueRef mask, void *p) {
  norm_ctx *c = p;
  const pl_type *t = &c->t;
  if (c->stage == ST_OUT_SCALE) {
    LLVMValueRef y = pl_load(k, t, c->out, off, c->n, mask);
    pl_store(k, t, c->out, off, pl_mul(k, t, y, c->b), mask);
    return;
  }
  LLVMValueRef x = pl_load(k, t, c->in, off, c->n, mask), d;
  switch (c->stage) {
  case ST_SUM: acc_update(k, c, mask, x, false); break;
  case ST_MAX: acc_update(k, c, mask, x, true); break;
  case ST_SQDEV:
    d = pl_sub(k, t, x, c->a);
    acc_update(k, c, mask, pl_mul(k, t, d, d), false);
    break;
  case ST_SUMSQ: acc_update(k, c, mask, pl_mul(k, t, x, x), false); break;
  case ST_AFFINE:
    pl_store(k, t, c->out, off, pl_mul(k, t, pl_sub(k, t, x, c->a), c->b), mask);
    break;
  case ST_SCALE: pl_store(k, t, c->out, off, pl_mul(k, t, x, c->b), mask); break;
  case ST_EXP_OUT:
    d = pl_exp(k, pl_sub(k, t, x, c->a));
    pl_store(k, t, c->out, off, d, mask);
    acc_update(k, c, mask, d, false);
    break;
  case ST_EXP_SUM: acc_update(k, c, mask, pl_exp(k, pl_sub(k, t, x, c->a)), false); break;
  case ST_SUB_OUT: pl_store(k, t, c->out, off, pl_sub(k, t, x, c->b), mask); break;
  default: break;
  }
}

/* Runs one walker pass with the accumulator starting at init; returns the
 * item's total (per lane or combined). */
static LLVMValueRef pass(cg_kernel *k, const pl_geom *g, const pl_item *it, norm_ctx *c,
                         norm_stage st, pl_red r) {
  c->stage = st;
  LLVMBuildStore(k->b, pl_red_init(k, &c->t, r, c->n), c->acc);
  pl_walk(k, g, it, norm_visit, c);
  return pl_item_total(k, g, &c->t, r, pl_ld(k, c->vt, c->acc));
}

static void write_pass(cg_kernel *k, const pl_geom *g, const pl_item *it, norm_ctx *c,
                       norm_stage st) {
  c->stage = st;
  pl_walk(k, g, it, norm_visit, c);
}

static LLVMValueRef fconst(cg_kernel *k, norm_ctx *c, double v) {
  return pl_const(k, &c->t, c->n, v);
}

static LLVMValueRef recip(cg_kernel *k, norm_ctx *c, LLVMValueRef v) {
  return LLVMBuildFDiv(k->b, fconst(k, c, 1.0), v, "");
}

/* Common setup: float type, geometry over the reduced axes, slots. */
static ovcc_status norm_setup(cg_kernel *k, const ir_op *op, const bool *red, norm_ctx *c,
                              pl_geom *g) {
  const ir_value *x = ir_op_operand(op, 0);
  if (!pl_type_init(k, x->type.et, &c->t) || !c->t.is_float)
    return CG_UNSUPPORTED(k, "element type %s (floating types only)", ir_etype_name(x->type.et));
  int64_t dims[IR_MAX_RANK];
  int rank = cg_dims(x, dims);
  pl_geom_init(g, dims, rank, red, pl_lanes(k));
  c->n = g->lanes;
  c->vt = pl_vtype(&c->t, c->n);
  c->acc = pl_alloca(k, c->vt, "acc");
  c->in = cg_operand(k, 0);
  c->out = cg_result(k, 0);
  return OVCC_OK;
}

/* ---- Softmax / LogSoftmax ---- */

static void softmax_item(cg_kernel *k, const pl_geom *g, const pl_item *it, void *p) {
  norm_ctx *c = p;
  c->a = pass(k, g, it, c, ST_MAX, PL_MAX);
  if (!c->log) {
    LLVMValueRef s = pass(k, g, it, c, ST_EXP_OUT, PL_SUM);
    c->b = recip(k, c, s);
    write_pass(k, g, it, c, ST_OUT_SCALE);
    return;
  }
  LLVMValueRef s = pass(k, g, it, c, ST_EXP_SUM, PL_SUM);
  c->b = pl_add(k, &c->t, c->a, pl_log(k, s));
  write_pass(k, g, it, c, ST_SUB_OUT);
}

ovcc_status pl_lower_softmax(cg_kernel *k, const ir_op *op, bool log) {
  int rank = ir_op_operand(op, 0)->type.shape.rank;
  int64_t axis = ir_op_attr_int(op, "axis", 1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "axis out of range for rank %d", rank);
  bool red[IR_MAX_RANK] = {false};
  red[axis] = true;
  norm_ctx c = {.log = log};
  pl_geom g;
  ovcc_status st = norm_setup(k, op, red, &c, &g);
  if (st != OVCC_OK)
    return st;
  pl_for_items(k, &g, softmax_item, &c);
  k->cost *= 3;
  return OVCC_OK;
}

/* ---- MVN ---- */

static void mvn_item(cg_kernel *k, const pl_geom *g, const pl_item *it, void *p) {
  norm_ctx *c = p;
  double cnt = (double)g->red_count;
  c->a = LLVMBuildFDiv(k->b, pass(k, g, it, c, ST_SUM, PL_SUM), fconst(k, c, cnt), "mean");
  c->b = fconst(k, c, 1.0);
  if (c->normalize_variance) {
    LLVMValueRef var =
        LLVMBuildFDiv(k->b, pass(k, g, it, c, ST_SQDEV, PL_SUM), fconst(k, c, cnt), "var");
    LLVMValueRef eps = fconst(k, c, c->eps);
    LLVMValueRef den = c->eps_inside ? pl_fun(k, "llvm.sqrt", LLVMBuildFAdd(k->b, var, eps, ""))
                                     : LLVMBuildFAdd(k->b, pl_fun(k, "llvm.sqrt", var), eps, "");
    c->b = recip(k, c, den);
  }
  write_pass(k, g, it, c, ST_AFFINE);
}

static ovcc_status mvn_axes(cg_kernel *k, const ir_op *op, int rank, bool *red) {
  int cnt;
  if (op->kind == IR_OP_MVN_6)
    return pl_known_axes(k, 1, rank, red, &cnt);
  uint32_t n = 0;
  const int64_t *ax = ir_op_attr_ints(op, "reduction_axes", &n);
  for (int i = 0; i < rank; i++)
    red[i] = false;
  if (n == 0) { /* across_channels: all but batch, else all but batch and channel */
    int from = ir_op_attr_bool(op, "across_channels", false) ? 1 : 2;
    for (int i = from; i < rank; i++)
      red[i] = true;
    return OVCC_OK;
  }
  for (uint32_t i = 0; i < n; i++) {
    int64_t a = ax[i] < 0 ? ax[i] + rank : ax[i];
    if (a < 0 || a >= rank)
      return cg_error(k, OVCC_ERR_INVALID_MODEL, "reduction axis %lld out of range",
                      (long long)ax[i]);
    red[a] = true;
  }
  return OVCC_OK;
}

ovcc_status pl_lower_mvn(cg_kernel *k, const ir_op *op) {
  int rank = ir_op_operand(op, 0)->type.shape.rank;
  bool red[IR_MAX_RANK];
  ovcc_status st = mvn_axes(k, op, rank, red);
  if (st != OVCC_OK)
    return st;
  norm_ctx c = {0};
  c.normalize_variance = ir_op_attr_bool(op, "normalize_variance", true);
  c.eps = ir_op_attr_float(op, "eps", 1e-9);
  /* MVN-1 adds eps outside the square root. */
  c.eps_inside = op->kind == IR_OP_MVN_6 &&
                 strcmp(ir_op_attr_str(op, "eps_mode", "inside_sqrt"), "inside_sqrt") == 0;
  pl_geom g;
  st = norm_setup(k, op, red, &c, &g);
  if (st != OVCC_OK)
    return st;
  pl_for_items(k, &g, mvn_item, &c);
  k->cost *= 3;
  return OVCC_OK;
}

/* ---- NormalizeL2 ---- */

static void l2_item(cg_kernel *k, const pl_geom *g, const pl_item *it, void *p) {
  norm_ctx *c = p;
  LLVMValueRef s = pass(k, g, it, c, ST_SUMSQ, PL_SUM);
  LLVMValueRef eps = fconst(k, c, c->eps);
  s = c->eps_max ? pl_max(k, &c->t, s, eps) : LLVMBuildFAdd(k->b, s, eps, "");
  c->b = recip(k, c, pl_fun(k, "llvm.sqrt", s));
  write_pass(k, g, it, c, ST_SCALE);
}

ovcc_status pl_lower_normalize_l2(cg_kernel *k, const ir_op *op) {
  int rank = ir_op_operand(op, 0)->type.shape.rank, cnt;
  bool red[IR_MAX_RANK];
  ovcc_status st = pl_known_axes(k, 1, rank, red, &cnt);
  if (st != OVCC_OK)
    return st;
  norm_ctx c = {0};
  c.eps = ir_op_attr_float(op, "eps", 0);
  c.eps_max = strcmp(ir_op_attr_str(op, "eps_mode", "add"), "max") == 0;
  pl_geom g;
  st = norm_setup(k, op, red, &c, &g);
  if (st != OVCC_OK)
    return st;
  pl_for_items(k, &g, l2_item, &c);
  k->cost *= 2;
  return OVCC_OK;
}

/* ---- GroupNormalization ---- */

typedef struct gn_ctx {
  norm_ctx c;
  int64_t groups, cpg, spatial; /* channels per group, elements per channel */
  LLVMValueRef scale, bias;     /* parameter buffers */
  LLVMValueRef mul, add;        /* per channel: y = x * mul + add */
} gn_ctx;

static void gn_visit(cg_kernel *k, LLVMValueRef off, LLVMValueRef mask, void *p) {
  gn_ctx *gc = p;
  norm_ctx *c = &gc->c;
  LLVMValueRef x = pl_load(k, &c->t, c->in, off, c->n, mask);
  LLVMValueRef y = pl_add(k, &c->t, pl_mul(k, &c->t, x, gc->mul), gc->add);
  pl_store(k, &c->t, c->out, off, y, mask);
}

static LLVMValueRef load_param(cg_kernel *k, const pl_type *t, LLVMValueRef buf, LLVMValueRef i,
                               unsigned n) {
  return pl_bcast(k, pl_load(k, t, buf, i, 1, NULL), n);
}

static void gn_item(cg_kernel *k, const pl_geom *g, const pl_item *it, void *p) {
  gn_ctx *gc = p;
  norm_ctx *c = &gc->c;
  double cnt = (double)g->red_count;
  LLVMValueRef mean =
      LLVMBuildFDiv(k->b, pass(k, g, it, c, ST_SUM, PL_SUM), fconst(k, c, cnt), "mean");
  c->a = mean;
  LLVMValueRef var =
      LLVMBuildFDiv(k->b, pass(k, g, it, c, ST_SQDEV, PL_SUM), fconst(k, c, cnt), "var");
  LLVMValueRef rstd =
      recip(k, c, pl_fun(k, "llvm.sqrt", LLVMBuildFAdd(k->b, var, fconst(k, c, c->eps), "")));
  /* Channels of this group, each a contiguous run of `spatial` elements. */
  LLVMValueRef grp = LLVMBuildURem(k->b, it->out, cg_i64(k, gc->groups), "");
  LLVMValueRef ch0 = LLVMBuildMul(k->b, grp, cg_i64(k, gc->cpg), "");
  cg_loop l;
  LLVMValueRef cc = cg_loop_begin(k, &l, cg_i64(k, 0), cg_i64(k, gc->cpg), 1, "ch");
  LLVMValueRef ch = LLVMBuildAdd(k->b, ch0, cc, "");
  LLVMValueRef sc = load_param(k, &c->t, gc->scale, ch, c->n);
  LLVMValueRef bi = load_param(k, &c->t, gc->bias, ch, c->n);
  gc->mul = LLVMBuildFMul(k->b, sc, rstd, "");
  gc->add = LLVMBuildFSub(k->b, bi, LLVMBuildFMul(k->b, mean, gc->mul, ""), "");
  LLVMValueRef off =
      LLVMBuildAdd(k->b, it->base, LLVMBuildMul(k->b, cc, cg_i64(k, gc->spatial), ""), "");
  pl_walk_contig(k, off, gc->spatial, c->n, gn_visit, gc);
  cg_loop_end(k, &l);
}

ovcc_status pl_lower_group_norm(cg_kernel *k, const ir_op *op) {
  const ir_value *x = ir_op_operand(op, 0);
  int64_t dims[IR_MAX_RANK];
  int rank = cg_dims(x, dims);
  gn_ctx gc = {0};
  gc.groups = ir_op_attr_int(op, "num_groups", 1);
  if (rank < 2 || gc.groups < 1 || dims[1] % gc.groups)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "channels not divisible by num_groups");
  gc.cpg = dims[1] / gc.groups;
  gc.spatial = 1;
  for (int i = 2; i < rank; i++)
    gc.spatial *= dims[i];
  /* [N * groups, cpg * spatial], the second reduced. */
  int64_t gdims[2] = {dims[0] * gc.groups, gc.cpg * gc.spatial};
  bool red[2] = {false, true};
  if (gdims[1] <= 1)
    return CG_UNSUPPORTED(k, "one element per group");
  gc.c.eps = ir_op_attr_float(op, "epsilon", 1e-5);
  bool none[IR_MAX_RANK] = {false}; /* setup only: the geometry is the grouped one */
  pl_geom flat;
  ovcc_status st = norm_setup(k, op, none, &gc.c, &flat);
  if (st != OVCC_OK)
    return st;
  pl_geom g;
  pl_geom_init(&g, gdims, 2, red, gc.c.n);
  gc.scale = cg_operand(k, 1);
  gc.bias = cg_operand(k, 2);
  pl_for_items(k, &g, gn_item, &gc);
  k->cost *= 3;
  return OVCC_OK;
}
