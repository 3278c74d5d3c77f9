/* Reduce{Sum,Mean,Max,Min,Prod,L1,L2,LogicalAnd,LogicalOr}: any constant
 * axes, keep_dims either way (the output layout is the same). Built on the
 * slice walker: vector accumulators along the contiguous dim, combined across
 * lanes when the innermost dim is reduced. Floats accumulate in f32 (f64 for
 * f64), integers in i64 and wrap into the output type like the reference. */
#include "lower_pool_internal.h"

typedef struct reduce_ctx {
  pl_type t;
  pl_red r;
  LLVMValueRef in, out, acc; /* acc: stack slot <lanes x comp> */
  LLVMTypeRef vt;
} reduce_ctx;

static void reduce_visit(cg_kernel *k, LLVMValueRef off, LLVMValueRef mask, void *p) {
  reduce_ctx *c = p;
  unsigned n = LLVMGetVectorSize(c->vt);
  LLVMValueRef x = pl_load(k, &c->t, c->in, off, n, mask);
  LLVMValueRef acc = pl_ld(k, c->vt, c->acc);
  LLVMBuildStore(k->b, pl_select(k, mask, pl_red_step(k, &c->t, c->r, acc, x), acc), c->acc);
}

/* Mean and L2 post-processing of the combined accumulator. */
static LLVMValueRef reduce_finish(cg_kernel *k, const reduce_ctx *c, const pl_geom *g,
                                  LLVMValueRef v) {
  unsigned n = LLVMGetVectorSize(c->vt);
  if (c->r == PL_MEAN) {
    if (c->t.is_float)
      return LLVMBuildFDiv(k->b, v, pl_const(k, &c->t, n, (double)g->red_count), "mean");
    LLVMValueRef cnt = pl_const_i(k, &c->t, n, g->red_count > 0 ? g->red_count : 1);
    return c->t.is_unsigned ? LLVMBuildUDiv(k->b, v, cnt, "") : LLVMBuildSDiv(k->b, v, cnt, "");
  }
  if (c->r == PL_L2) {
    if (c->t.is_float)
      return pl_fun(k, "llvm.sqrt", v);
    LLVMTypeRef ft = LLVMVectorType(k->m->t_f64, n);
    LLVMValueRef f = LLVMBuildSIToFP(k->b, v, ft, "");
    return LLVMBuildFPToSI(k->b, pl_fun(k, "llvm.sqrt", f), c->vt, "");
  }
  return v;
}

static void reduce_item(cg_kernel *k, const pl_geom *g, const pl_item *it, void *p) {
  reduce_ctx *c = p;
  unsigned n = LLVMGetVectorSize(c->vt);
  LLVMBuildStore(k->b, pl_red_init(k, &c->t, c->r, n), c->acc);
  pl_walk(k, g, it, reduce_visit, c);
  LLVMValueRef v = pl_item_total(k, g, &c->t, c->r, pl_ld(k, c->vt, c->acc));
  v = reduce_finish(k, c, g, v);
  if (g->inner_red) {
    LLVMValueRef one = LLVMBuildShuffleVector(k->b, v, LLVMGetPoison(c->vt),
                                              LLVMConstNull(LLVMVectorType(k->m->t_i32, 1)), "");
    pl_store(k, &c->t, c->out, it->out, one, NULL);
  } else {
    pl_store(k, &c->t, c->out, it->out, v, it->mask);
  }
}

ovcc_status pl_lower_reduce(cg_kernel *k, const ir_op *op, pl_red r) {
  const ir_value *x = ir_op_operand(op, 0);
  reduce_ctx c = {.r = r};
  if (!pl_type_init(k, x->type.et, &c.t) || op->results[0].type.et != x->type.et)
    return CG_UNSUPPORTED(k, "element type %s", ir_etype_name(x->type.et));
  if (c.t.is_float == false && c.t.et == IR_ET_U64 && (r == PL_MEAN || r == PL_L2))
    return CG_UNSUPPORTED(k, "u64 mean/L2");
  int64_t dims[IR_MAX_RANK];
  int rank = cg_dims(x, dims);
  bool red[IR_MAX_RANK];
  int cnt;
  ovcc_status st = pl_known_axes(k, 1, rank, red, &cnt);
  if (st != OVCC_OK)
    return st;
  pl_geom g;
  pl_geom_init(&g, dims, rank, red, pl_lanes(k));
  c.vt = pl_vtype(&c.t, g.lanes);
  c.acc = pl_alloca(k, c.vt, "acc");
  c.in = cg_operand(k, 0);
  c.out = cg_result(k, 0);
  pl_for_items(k, &g, reduce_item, &c);
  return OVCC_OK;
}
