/* Helpers of the pool family: compute types, vector memory access with
 * masked tails, reduction steps, known axes, and the slice walker (see
 * lower_pool_internal.h). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "lower_pool_internal.h"
#include "vmath.h"

/* ---- types ---- */

bool pl_type_init(cg_kernel *k, ir_etype et, pl_type *t) {
  cg_module *m = k->m;
  memset(t, 0, sizeof *t);
  t->et = et;
  t->mem = cg_mem_type(m, et);
  if (!t->mem || et == IR_ET_F8E4M3 || et == IR_ET_F8E5M2 || et == IR_ET_F8E8M0)
    return false;
  t->is_float = ir_etype_is_float(et);
  if (t->is_float)
    t->comp = et == IR_ET_F64 ? m->t_f64 : m->t_f32;
  else
    t->comp = m->t_i64;
  t->is_unsigned = et == IR_ET_BOOLEAN || (ir_etype_is_int(et) && !ir_etype_is_signed(et));
  return true;
}

unsigned pl_lanes(const cg_kernel *k) {
  unsigned n = k->m->target->vec_bytes / 4;
  return n ? n : 4;
}

LLVMTypeRef pl_vtype(const pl_type *t, unsigned n) { return LLVMVectorType(t->comp, n); }

LLVMValueRef pl_const(cg_kernel *k, const pl_type *t, unsigned n, double v) {
  if (!t->is_float)
    return pl_const_i(k, t, n, (int64_t)v);
  return cg_splat(k, LLVMConstReal(t->comp, v), n);
}

LLVMValueRef pl_const_i(cg_kernel *k, const pl_type *t, unsigned n, int64_t v) {
  if (t->is_float)
    return cg_splat(k, LLVMConstReal(t->comp, (double)v), n);
  return cg_splat(k, LLVMConstInt(t->comp, (unsigned long long)v, true), n);
}

LLVMValueRef pl_tail_mask(cg_kernel *k, unsigned n, unsigned valid) {
  LLVMValueRef lanes[64];
  for (unsigned i = 0; i < n && i < 64; i++)
    lanes[i] = LLVMConstInt(k->m->t_i1, i < valid, false);
  return LLVMConstVector(lanes, n);
}

LLVMValueRef pl_iota(cg_kernel *k, LLVMValueRef base, unsigned n, int64_t step) {
  LLVMValueRef lanes[64];
  for (unsigned i = 0; i < n && i < 64; i++)
    lanes[i] = cg_i64(k, (int64_t)i * step);
  return LLVMBuildAdd(k->b, cg_splat(k, base, n), LLVMConstVector(lanes, n), "iota");
}

/* ---- memory ---- */

static unsigned mem_align(const pl_type *t) {
  unsigned bits = ir_etype_bits(t->et);
  return bits >= 8 ? bits / 8 : 1;
}

static LLVMValueRef widen(cg_kernel *k, const pl_type *t, LLVMValueRef v, unsigned n) {
  LLVMTypeRef vt = pl_vtype(t, n);
  if (t->mem == t->comp)
    return v;
  if (t->is_float)
    return LLVMBuildFPExt(k->b, v, vt, "");
  return t->is_unsigned ? LLVMBuildZExt(k->b, v, vt, "") : LLVMBuildSExt(k->b, v, vt, "");
}

static LLVMValueRef narrow(cg_kernel *k, const pl_type *t, LLVMValueRef v, unsigned n) {
  LLVMTypeRef vt = LLVMVectorType(t->mem, n);
  if (t->mem == t->comp)
    return v;
  if (t->is_float)
    return LLVMBuildFPTrunc(k->b, v, vt, "");
  if (t->et == IR_ET_BOOLEAN) /* any non-zero value is true */
    return LLVMBuildZExt(k->b, LLVMBuildICmp(k->b, LLVMIntNE, v, LLVMConstNull(LLVMTypeOf(v)), ""),
                         vt, "");
  return LLVMBuildTrunc(k->b, v, vt, "");
}

static LLVMValueRef masked_load(cg_kernel *k, LLVMTypeRef vt, LLVMValueRef p, LLVMValueRef mask,
                                unsigned align) {
  LLVMTypeRef ovl[] = {vt, k->m->t_ptr};
  LLVMValueRef args[] = {p, mask, LLVMConstNull(vt)};
  LLVMValueRef call = cg_intrinsic(k, "llvm.masked.load", ovl, 2, args, 3);
  LLVMSetInstrParamAlignment(call, 1, align);
  return call;
}

LLVMValueRef pl_load(cg_kernel *k, const pl_type *t, LLVMValueRef base, LLVMValueRef idx,
                     unsigned n, LLVMValueRef mask) {
  LLVMTypeRef vt = LLVMVectorType(t->mem, n);
  LLVMValueRef p = cg_gep(k, t->mem, base, idx);
  LLVMValueRef v;
  if (mask) {
    v = masked_load(k, vt, p, mask, mem_align(t));
  } else {
    v = LLVMBuildLoad2(k->b, vt, p, "");
    LLVMSetAlignment(v, mem_align(t));
  }
  return widen(k, t, v, n);
}

LLVMValueRef pl_load_strided(cg_kernel *k, const pl_type *t, LLVMValueRef base, LLVMValueRef idx,
                             unsigned n, int64_t stride) {
  if (stride == 1 || n == 1)
    return pl_load(k, t, base, idx, n, NULL);
  /* Elements idx .. idx + (n-1)*stride: one load of n*stride lanes with the
   * lanes past the last element masked off, then every stride-th lane. */
  unsigned wide = n * (unsigned)stride;
  unsigned need = (n - 1) * (unsigned)stride + 1;
  LLVMTypeRef vt = LLVMVectorType(t->mem, wide);
  LLVMValueRef lanes[512];
  if (wide > 512) { /* very large strides: one element at a time */
    LLVMValueRef v = LLVMGetPoison(LLVMVectorType(t->mem, n));
    for (unsigned i = 0; i < n; i++) {
      LLVMValueRef off = LLVMBuildAdd(k->b, idx, cg_i64(k, (int64_t)i * stride), "");
      LLVMValueRef e = LLVMBuildLoad2(k->b, t->mem, cg_gep(k, t->mem, base, off), "");
      v = LLVMBuildInsertElement(k->b, v, e, cg_i32(k, (int32_t)i), "");
    }
    return widen(k, t, v, n);
  }
  for (unsigned i = 0; i < wide; i++)
    lanes[i] = LLVMConstInt(k->m->t_i1, i < need, false);
  LLVMValueRef mask = LLVMConstVector(lanes, wide);
  LLVMValueRef v = masked_load(k, vt, cg_gep(k, t->mem, base, idx), mask, mem_align(t));
  for (unsigned i = 0; i < n; i++)
    lanes[i] = cg_i32(k, (int32_t)(i * (unsigned)stride));
  v = LLVMBuildShuffleVector(k->b, v, LLVMGetPoison(vt), LLVMConstVector(lanes, n), "strided");
  return widen(k, t, v, n);
}

void pl_store(cg_kernel *k, const pl_type *t, LLVMValueRef base, LLVMValueRef idx, LLVMValueRef v,
              LLVMValueRef mask) {
  unsigned n = LLVMGetVectorSize(LLVMTypeOf(v));
  LLVMValueRef nv = narrow(k, t, v, n);
  LLVMValueRef p = cg_gep(k, t->mem, base, idx);
  if (!mask) {
    LLVMValueRef st = LLVMBuildStore(k->b, nv, p);
    LLVMSetAlignment(st, mem_align(t));
    return;
  }
  LLVMTypeRef ovl[] = {LLVMTypeOf(nv), k->m->t_ptr};
  LLVMValueRef args[] = {nv, p, mask};
  LLVMValueRef call = cg_intrinsic(k, "llvm.masked.store", ovl, 2, args, 3);
  LLVMSetInstrParamAlignment(call, 2, mem_align(t));
}

LLVMValueRef pl_alloca(cg_kernel *k, LLVMTypeRef ty, const char *name) {
  return cg_entry_alloca(k, ty, 1, name);
}

LLVMValueRef pl_ld(cg_kernel *k, LLVMTypeRef ty, LLVMValueRef slot) {
  return LLVMBuildLoad2(k->b, ty, slot, "");
}

LLVMValueRef pl_select(cg_kernel *k, LLVMValueRef mask, LLVMValueRef v, LLVMValueRef old) {
  return mask ? LLVMBuildSelect(k->b, mask, v, old, "") : v;
}

/* ---- arithmetic ---- */

LLVMValueRef pl_add(cg_kernel *k, const pl_type *t, LLVMValueRef a, LLVMValueRef b) {
  return t->is_float ? LLVMBuildFAdd(k->b, a, b, "") : LLVMBuildAdd(k->b, a, b, "");
}

LLVMValueRef pl_sub(cg_kernel *k, const pl_type *t, LLVMValueRef a, LLVMValueRef b) {
  return t->is_float ? LLVMBuildFSub(k->b, a, b, "") : LLVMBuildSub(k->b, a, b, "");
}

LLVMValueRef pl_mul(cg_kernel *k, const pl_type *t, LLVMValueRef a, LLVMValueRef b) {
  return t->is_float ? LLVMBuildFMul(k->b, a, b, "") : LLVMBuildMul(k->b, a, b, "");
}

LLVMValueRef pl_gt(cg_kernel *k, const pl_type *t, LLVMValueRef a, LLVMValueRef b) {
  if (t->is_float)
    return LLVMBuildFCmp(k->b, LLVMRealOGT, a, b, "");
  return LLVMBuildICmp(k->b, t->is_unsigned ? LLVMIntUGT : LLVMIntSGT, a, b, "");
}

LLVMValueRef pl_max(cg_kernel *k, const pl_type *t, LLVMValueRef a, LLVMValueRef b) {
  return LLVMBuildSelect(k->b, pl_gt(k, t, b, a), b, a, "");
}

LLVMValueRef pl_min(cg_kernel *k, const pl_type *t, LLVMValueRef a, LLVMValueRef b) {
  return LLVMBuildSelect(k->b, pl_gt(k, t, a, b), b, a, "");
}

LLVMValueRef pl_fun(cg_kernel *k, const char *intrinsic, LLVMValueRef v) {
  LLVMTypeRef ty = LLVMTypeOf(v);
  return cg_intrinsic(k, intrinsic, &ty, 1, &v, 1);
}

static bool is_f32(cg_kernel *k, LLVMValueRef v) {
  LLVMTypeRef t = LLVMTypeOf(v);
  if (LLVMGetTypeKind(t) == LLVMVectorTypeKind)
    t = LLVMGetElementType(t);
  return t == k->m->t_f32;
}

/* f32 goes through vmath's polynomials (OpenVINO's numerics, no libm calls);
 * f64 keeps the intrinsics. */
LLVMValueRef pl_exp(cg_kernel *k, LLVMValueRef v) {
  return is_f32(k, v) ? vm_exp(k, v) : pl_fun(k, "llvm.exp", v);
}

LLVMValueRef pl_log(cg_kernel *k, LLVMValueRef v) {
  return is_f32(k, v) ? vm_log(k, v) : pl_fun(k, "llvm.log", v);
}

LLVMValueRef pl_pow(cg_kernel *k, LLVMValueRef x, LLVMValueRef y) {
  if (is_f32(k, x))
    return vm_pow(k, x, y);
  LLVMTypeRef ty = LLVMTypeOf(x);
  LLVMValueRef args[] = {x, y};
  return cg_intrinsic(k, "llvm.pow", &ty, 1, args, 2);
}

LLVMValueRef pl_bcast(cg_kernel *k, LLVMValueRef v, unsigned n) {
  LLVMTypeRef vt = LLVMTypeOf(v);
  LLVMValueRef zero = LLVMConstNull(LLVMVectorType(k->m->t_i32, n));
  return LLVMBuildShuffleVector(k->b, v, LLVMGetPoison(vt), zero, "bcast");
}

/* ---- reductions ---- */

LLVMValueRef pl_red_init(cg_kernel *k, const pl_type *t, pl_red r, unsigned n) {
  switch (r) {
  case PL_PROD:
  case PL_AND: return pl_const_i(k, t, n, 1);
  case PL_MAX:
    if (t->is_float)
      return pl_const(k, t, n, -INFINITY);
    return pl_const_i(k, t, n, t->is_unsigned ? 0 : INT64_MIN);
  case PL_MIN:
    if (t->is_float)
      return pl_const(k, t, n, INFINITY);
    return pl_const_i(k, t, n, t->is_unsigned ? -1 : INT64_MAX);
  default: return pl_const_i(k, t, n, 0);
  }
}

static LLVMValueRef red_combine(cg_kernel *k, const pl_type *t, pl_red r, LLVMValueRef a,
                                LLVMValueRef b) {
  switch (r) {
  case PL_MAX: return pl_max(k, t, a, b);
  case PL_MIN: return pl_min(k, t, a, b);
  case PL_PROD: return pl_mul(k, t, a, b);
  case PL_AND: return LLVMBuildAnd(k->b, a, b, "");
  case PL_OR: return LLVMBuildOr(k->b, a, b, "");
  default: return pl_add(k, t, a, b);
  }
}

LLVMValueRef pl_red_step(cg_kernel *k, const pl_type *t, pl_red r, LLVMValueRef acc,
                         LLVMValueRef x) {
  switch (r) {
  case PL_L1:
    if (t->is_float)
      x = pl_fun(k, "llvm.fabs", x);
    else if (!t->is_unsigned)
      x = LLVMBuildSelect(k->b,
                          LLVMBuildICmp(k->b, LLVMIntSLT, x, LLVMConstNull(LLVMTypeOf(x)), ""),
                          LLVMBuildNeg(k->b, x, ""), x, "");
    break;
  case PL_L2:
    if (t->is_float) {
      LLVMTypeRef ty = LLVMTypeOf(x);
      LLVMValueRef args[] = {x, x, acc};
      return cg_intrinsic(k, "llvm.fmuladd", &ty, 1, args, 3);
    }
    x = pl_mul(k, t, x, x);
    break;
  case PL_AND:
  case PL_OR:
    x = LLVMBuildZExt(k->b, LLVMBuildICmp(k->b, LLVMIntNE, x, LLVMConstNull(LLVMTypeOf(x)), ""),
                      LLVMTypeOf(x), "");
    break;
  default: break;
  }
  return red_combine(k, t, r, acc, x);
}

LLVMValueRef pl_red_lanes(cg_kernel *k, const pl_type *t, pl_red r, LLVMValueRef v) {
  unsigned n = LLVMGetVectorSize(LLVMTypeOf(v));
  LLVMValueRef idx[64];
  /* Tree: fold the upper half onto the lower half until one lane is left. */
  for (unsigned half = n / 2; half >= 1; half /= 2) {
    for (unsigned i = 0; i < n; i++)
      idx[i] = cg_i32(k, (int32_t)((i + half) % n));
    LLVMValueRef hi =
        LLVMBuildShuffleVector(k->b, v, LLVMGetPoison(LLVMTypeOf(v)), LLVMConstVector(idx, n), "");
    v = red_combine(k, t, r, v, hi);
  }
  return pl_bcast(k, v, n);
}

/* ---- inputs ---- */

ovcc_status pl_known_axes(cg_kernel *k, uint32_t operand, int rank, bool *mask, int *count) {
  int64_t ax[IR_MAX_RANK * 2];
  const ir_value *v = ir_op_operand(k->op, operand);
  int n = ir_value_known_ints(v, ax, IR_MAX_RANK * 2);
  if (n < 0)
    return CG_UNSUPPORTED(k, "input %u (axes) must be a constant", operand);
  for (int i = 0; i < rank; i++)
    mask[i] = false;
  for (int i = 0; i < n; i++) {
    int64_t a = ax[i] < 0 ? ax[i] + rank : ax[i];
    if (a < 0 || a >= rank)
      return cg_error(k, OVCC_ERR_INVALID_MODEL,
                      "input %u (axes): axis %lld out of range for rank %d", operand,
                      (long long)ax[i], rank);
    mask[a] = true;
  }
  *count = n;
  return OVCC_OK;
}

/* ---- slice walker ---- */

void pl_geom_init(pl_geom *g, const int64_t *dims, int rank, const bool *red, unsigned lanes) {
  memset(g, 0, sizeof *g);
  g->lanes = lanes;
  for (int i = 0; i < rank; i++) {
    if (dims[i] == 1)
      continue;
    if (g->n > 0 && g->red[g->n - 1] == red[i]) {
      g->dim[g->n - 1] *= dims[i];
      continue;
    }
    g->dim[g->n] = dims[i];
    g->red[g->n] = red[i];
    g->n++;
  }
  if (g->n == 0) {
    g->n = 1;
    g->dim[0] = 1;
    g->red[0] = false;
  }
  cg_strides(g->dim, g->n, g->stride);
  g->red_count = g->n_out = 1;
  for (int i = 0; i < g->n; i++) {
    if (g->red[i])
      g->red_count *= g->dim[i];
    else
      g->n_out *= g->dim[i];
  }
  g->inner_red = g->red[g->n - 1];
  if (g->inner_red) {
    g->n_items = g->n_out;
  } else {
    g->inner = g->dim[g->n - 1];
    g->chunks = (g->inner + lanes - 1) / lanes;
    g->full_chunks = g->inner / lanes;
    g->n_items = g->inner ? g->n_out / g->inner * g->chunks : 0;
  }
}

/* Element offset of the kept index `row` over kept dims [0, last). */
static LLVMValueRef kept_offset(cg_kernel *k, const pl_geom *g, LLVMValueRef row, int last) {
  LLVMValueRef off = cg_i64(k, 0), rem = row;
  for (int i = last - 1; i >= 0; i--) {
    if (g->red[i])
      continue;
    LLVMValueRef d = cg_i64(k, g->dim[i]);
    LLVMValueRef idx = LLVMBuildURem(k->b, rem, d, "");
    rem = LLVMBuildUDiv(k->b, rem, d, "");
    off = LLVMBuildAdd(k->b, off, LLVMBuildMul(k->b, idx, cg_i64(k, g->stride[i]), ""), "");
  }
  return off;
}

void pl_for_items(cg_kernel *k, const pl_geom *g, pl_item_fn body, void *ctx) {
  k->work = g->n_items > 0 ? g->n_items : 1;
  k->cost = (double)g->red_count * (g->inner_red ? 1.0 : (double)g->lanes);
  if (g->n_items == 0)
    return;
  cg_loop l;
  LLVMValueRef it = cg_loop_begin(k, &l, k->begin, k->end, 1, "item");
  pl_item item = {0};
  if (g->inner_red) {
    item.base = kept_offset(k, g, it, g->n);
    item.out = it;
    body(k, g, &item, ctx);
    cg_loop_end(k, &l);
    return;
  }
  LLVMValueRef nch = cg_i64(k, g->chunks);
  LLVMValueRef row = LLVMBuildUDiv(k->b, it, nch, "row");
  LLVMValueRef ch = LLVMBuildURem(k->b, it, nch, "chunk");
  LLVMValueRef lane0 = LLVMBuildMul(k->b, ch, cg_i64(k, g->lanes), "");
  item.base = LLVMBuildAdd(k->b, kept_offset(k, g, row, g->n - 1), lane0, "");
  item.out = LLVMBuildAdd(k->b, LLVMBuildMul(k->b, row, cg_i64(k, g->inner), ""), lane0, "");
  LLVMValueRef tail = pl_tail_mask(k, g->lanes, (unsigned)(g->inner % g->lanes));
  if (g->full_chunks == g->chunks) {
    body(k, g, &item, ctx);
  } else if (g->full_chunks == 0) {
    item.mask = tail;
    body(k, g, &item, ctx);
  } else {
    cg_if c;
    cg_if_begin(k, &c, LLVMBuildICmp(k->b, LLVMIntULT, ch, cg_i64(k, g->full_chunks), ""));
    body(k, g, &item, ctx);
    cg_if_else(k, &c);
    item.mask = tail;
    body(k, g, &item, ctx);
    cg_if_end(k, &c);
  }
  cg_loop_end(k, &l);
}

void pl_walk_contig(cg_kernel *k, LLVMValueRef off, int64_t len, unsigned lanes, pl_visit_fn visit,
                    void *ctx) {
  int64_t full = len / lanes * lanes;
  if (full > 0) {
    cg_loop l;
    LLVMValueRef i = cg_loop_begin(k, &l, cg_i64(k, 0), cg_i64(k, full), lanes, "inner");
    visit(k, LLVMBuildAdd(k->b, off, i, ""), NULL, ctx);
    cg_loop_end(k, &l);
  }
  if (full < len)
    visit(k, LLVMBuildAdd(k->b, off, cg_i64(k, full), ""),
          pl_tail_mask(k, lanes, (unsigned)(len - full)), ctx);
}

/* Loops over the reduced dims in [from, stop); the innermost contiguous one
 * (reduced case) goes lanes at a time. */
static void walk_dims(cg_kernel *k, const pl_geom *g, int from, int stop, LLVMValueRef off,
                      const pl_item *it, pl_visit_fn visit, void *ctx) {
  int i = from;
  while (i < stop && !g->red[i])
    i++;
  if (i >= stop) {
    if (g->inner_red)
      pl_walk_contig(k, off, g->dim[g->n - 1], g->lanes, visit, ctx);
    else
      visit(k, off, it->mask, ctx);
    return;
  }
  cg_loop l;
  LLVMValueRef iv = cg_loop_begin(k, &l, cg_i64(k, 0), cg_i64(k, g->dim[i]), 1, "red");
  LLVMValueRef o = LLVMBuildAdd(k->b, off, LLVMBuildMul(k->b, iv, cg_i64(k, g->stride[i]), ""), "");
  walk_dims(k, g, i + 1, stop, o, it, visit, ctx);
  cg_loop_end(k, &l);
}

void pl_walk(cg_kernel *k, const pl_geom *g, const pl_item *it, pl_visit_fn visit, void *ctx) {
  walk_dims(k, g, 0, g->inner_red ? g->n - 1 : g->n, it->base, it, visit, ctx);
}

LLVMValueRef pl_item_total(cg_kernel *k, const pl_geom *g, const pl_type *t, pl_red r,
                           LLVMValueRef acc) {
  return g->inner_red ? pl_red_lanes(k, t, r, acc) : acc;
}
