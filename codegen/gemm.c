/* The parametric f32 GEMM microkernel generator (see gemm.h). */

#include "gemm.h"

unsigned cg_gemm_lanes(const cg_target *t) {
  unsigned w = t->vec_bytes / 4;
  return w >= 4 ? w : 4;
}

cg_gemm_tile cg_gemm_pick_tile(const cg_target *t, int64_t rows, int64_t cols) {
  cg_gemm_tile tile = {.w = cg_gemm_lanes(t)};
  int nregs = t->vec_regs;
  int max_nv = nregs >= 32 ? 4 : 2;
  int64_t need = (cols + tile.w - 1) / tile.w;
  tile.nv = need < 1 ? 1 : need > max_nv ? max_nv : (int)need;
  /* accumulators + one register per loaded vector + one broadcast */
  int mr = (nregs - tile.nv - 1) / tile.nv;
  if (mr > 12)
    mr = 12; /* more rows only add broadcast loads per FMA */
  if (mr > CG_GEMM_MAX_MR)
    mr = CG_GEMM_MAX_MR;
  if (rows > 0 && rows < mr)
    mr = (int)rows;
  tile.mr = mr < 1 ? 1 : mr;
  return tile;
}

void cg_gemm_acc_init(cg_kernel *k, cg_gemm_acc *acc, cg_gemm_tile tile, int mr) {
  acc->tile = tile;
  acc->tile.mr = mr;
  acc->vt = LLVMVectorType(k->m->t_f32, tile.w);
  for (int r = 0; r < mr; r++)
    for (int j = 0; j < tile.nv; j++)
      acc->slot[r][j] = cg_entry_alloca(k, acc->vt, 1, "acc");
}

void cg_gemm_acc_zero(cg_kernel *k, cg_gemm_acc *acc) {
  LLVMValueRef z = LLVMConstNull(acc->vt);
  for (int r = 0; r < acc->tile.mr; r++)
    for (int j = 0; j < acc->tile.nv; j++)
      LLVMBuildStore(k->b, z, acc->slot[r][j]);
}

LLVMValueRef cg_gemm_acc_get(cg_kernel *k, const cg_gemm_acc *acc, int r, int j) {
  return LLVMBuildLoad2(k->b, acc->vt, acc->slot[r][j], "acc");
}

void cg_gemm_acc_fma(cg_kernel *k, cg_gemm_acc *acc, const LLVMValueRef *a,
                     const LLVMValueRef *b) {
  LLVMTypeRef vt = acc->vt;
  for (int r = 0; r < acc->tile.mr; r++) {
    LLVMValueRef av = cg_splat(k, a[r], acc->tile.w);
    for (int j = 0; j < acc->tile.nv; j++) {
      if (!b[j])
        continue;
      LLVMValueRef args[3] = {av, b[j], cg_gemm_acc_get(k, acc, r, j)};
      LLVMValueRef s = cg_intrinsic(k, "llvm.fmuladd", &vt, 1, args, 3);
      LLVMBuildStore(k->b, s, acc->slot[r][j]);
    }
  }
}

LLVMValueRef cg_gemm_lane_mask(cg_kernel *k, unsigned w, unsigned lanes) {
  LLVMValueRef bits[64];
  for (unsigned i = 0; i < w && i < 64; i++)
    bits[i] = LLVMConstInt(k->m->t_i1, i < lanes, false);
  return LLVMConstVector(bits, w);
}

/* f32 value of a loaded scalar or vector of memory type `mem`. */
static LLVMValueRef to_f32(cg_kernel *k, LLVMTypeRef mem, LLVMValueRef v, unsigned w) {
  if (mem == k->m->t_f32)
    return v;
  LLVMTypeRef t = w ? LLVMVectorType(k->m->t_f32, w) : k->m->t_f32;
  return LLVMBuildFPExt(k->b, v, t, "");
}

static LLVMValueRef from_f32(cg_kernel *k, LLVMTypeRef mem, LLVMValueRef v, unsigned w) {
  if (mem == k->m->t_f32)
    return v;
  LLVMTypeRef t = w ? LLVMVectorType(mem, w) : mem;
  return LLVMBuildFPTrunc(k->b, v, t, "");
}

static unsigned mem_bytes(cg_kernel *k, LLVMTypeRef mem) {
  return mem == k->m->t_f32 ? 4 : 2;
}

/* LLVM 22's masked intrinsics carry the alignment as an `align` attribute on
 * their pointer argument (1-based index), not as an i32 operand. */
static void set_arg_align(cg_kernel *k, LLVMValueRef call, unsigned arg, unsigned align) {
  unsigned kind = LLVMGetEnumAttributeKindForName("align", 5);
  LLVMAddCallSiteAttribute(call, arg, LLVMCreateEnumAttribute(k->m->ctx, kind, align));
}

LLVMValueRef cg_gemm_load_scalar(cg_kernel *k, LLVMTypeRef mem, LLVMValueRef base,
                                 LLVMValueRef idx) {
  LLVMValueRef v = LLVMBuildLoad2(k->b, mem, cg_gep(k, mem, base, idx), "");
  return to_f32(k, mem, v, 0);
}

static LLVMValueRef masked_load(cg_kernel *k, LLVMTypeRef mem, LLVMValueRef p, LLVMValueRef mask,
                                unsigned w) {
  LLVMTypeRef vt = LLVMVectorType(mem, w);
  LLVMTypeRef ovl[2] = {vt, k->m->t_ptr};
  LLVMValueRef args[3] = {p, mask, LLVMConstNull(vt)};
  LLVMValueRef v = cg_intrinsic(k, "llvm.masked.load", ovl, 2, args, 3);
  set_arg_align(k, v, 1, mem_bytes(k, mem));
  return to_f32(k, mem, v, w);
}

LLVMValueRef cg_gemm_load_vec(cg_kernel *k, LLVMTypeRef mem, LLVMValueRef base, LLVMValueRef idx,
                              unsigned w, unsigned lanes) {
  LLVMValueRef p = cg_gep(k, mem, base, idx);
  if (lanes < w)
    return masked_load(k, mem, p, cg_gemm_lane_mask(k, w, lanes), w);
  LLVMValueRef v = LLVMBuildLoad2(k->b, LLVMVectorType(mem, w), p, "");
  LLVMSetAlignment(v, mem_bytes(k, mem));
  return to_f32(k, mem, v, w);
}

LLVMValueRef cg_gemm_load_vec_masked(cg_kernel *k, LLVMTypeRef mem, LLVMValueRef base,
                                     LLVMValueRef idx, LLVMValueRef mask, unsigned w) {
  return masked_load(k, mem, cg_gep(k, mem, base, idx), mask, w);
}

LLVMValueRef cg_gemm_gather_idx(cg_kernel *k, LLVMTypeRef mem, LLVMValueRef base,
                                LLVMValueRef idx, LLVMValueRef mask, unsigned w) {
  LLVMValueRef ptrs = LLVMBuildInBoundsGEP2(k->b, mem, base, &idx, 1, "");
  LLVMTypeRef vt = LLVMVectorType(mem, w);
  LLVMTypeRef ovl[2] = {vt, LLVMVectorType(k->m->t_ptr, w)};
  LLVMValueRef args[3] = {ptrs, mask, LLVMConstNull(vt)};
  LLVMValueRef v = cg_intrinsic(k, "llvm.masked.gather", ovl, 2, args, 3);
  set_arg_align(k, v, 1, mem_bytes(k, mem));
  return to_f32(k, mem, v, w);
}

LLVMValueRef cg_gemm_iota(cg_kernel *k, unsigned w, int64_t stride) {
  LLVMValueRef steps[64];
  for (unsigned i = 0; i < w && i < 64; i++)
    steps[i] = LLVMConstInt(k->m->t_i64, (unsigned long long)((int64_t)i * stride), true);
  return LLVMConstVector(steps, w);
}

LLVMValueRef cg_gemm_gather_vec(cg_kernel *k, LLVMTypeRef mem, LLVMValueRef base,
                                LLVMValueRef idx, int64_t stride, unsigned w, unsigned lanes) {
  LLVMValueRef off = LLVMBuildAdd(k->b, cg_splat(k, idx, w), cg_gemm_iota(k, w, stride), "");
  return cg_gemm_gather_idx(k, mem, base, off, cg_gemm_lane_mask(k, w, lanes), w);
}

/* Stores one accumulator vector at base[off + lane * col_stride]. */
static void store_vec(cg_kernel *k, const cg_gemm_out *out, LLVMValueRef v, LLVMValueRef off,
                      unsigned w, unsigned lanes) {
  LLVMValueRef mv = from_f32(k, out->mem, v, w);
  unsigned align = mem_bytes(k, out->mem);
  if (out->col_stride == 1) {
    LLVMValueRef p = cg_gep(k, out->mem, out->base, off);
    if (lanes >= w) {
      LLVMValueRef st = LLVMBuildStore(k->b, mv, p);
      LLVMSetAlignment(st, align);
    } else {
      LLVMTypeRef ovl[2] = {LLVMVectorType(out->mem, w), k->m->t_ptr};
      LLVMValueRef args[3] = {mv, p, cg_gemm_lane_mask(k, w, lanes)};
      set_arg_align(k, cg_intrinsic(k, "llvm.masked.store", ovl, 2, args, 3), 2, align);
    }
    return;
  }
  for (unsigned i = 0; i < lanes; i++) {
    LLVMValueRef e = LLVMBuildExtractElement(k->b, mv, cg_i32(k, (int32_t)i), "");
    LLVMValueRef idx = LLVMBuildAdd(k->b, off, cg_i64(k, (int64_t)i * out->col_stride), "");
    LLVMValueRef st = LLVMBuildStore(k->b, e, cg_gep(k, out->mem, out->base, idx));
    LLVMSetAlignment(st, align);
  }
}

void cg_gemm_acc_store(cg_kernel *k, const cg_gemm_acc *acc, const cg_gemm_out *out,
                       const cg_gemm_epilogue *epi) {
  unsigned w = acc->tile.w;
  for (int r = 0; r < acc->tile.mr; r++)
    for (int j = 0; j < acc->tile.nv; j++) {
      int64_t first = (int64_t)j * w;
      if (first >= out->n_valid)
        break;
      unsigned lanes = out->n_valid - first >= w ? w : (unsigned)(out->n_valid - first);
      LLVMValueRef v = cg_gemm_acc_get(k, acc, r, j);
      if (epi && epi->fn) {
        cg_gemm_pos pos = {
            .r = r,
            .j = j,
            .row = LLVMBuildAdd(k->b, out->row0, cg_i64(k, r), ""),
            .col = LLVMBuildAdd(k->b, out->col0, cg_i64(k, first), ""),
            .lanes = lanes,
        };
        v = epi->fn(k, epi->ctx, v, &pos);
      }
      LLVMValueRef off =
          LLVMBuildAdd(k->b, out->row_off[r], cg_i64(k, first * out->col_stride), "");
      store_vec(k, out, v, off, w, lanes);
    }
}
