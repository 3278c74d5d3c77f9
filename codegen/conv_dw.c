/* The depthwise kernel (one input and one output channel per group, forward,
 * row stride 1 or 2): a block of R output rows x nv vectors of
 * consecutive pixels of one channel. Every input row the block touches is
 * loaded once per kw and feeds the R output rows it reaches, each with its
 * own kh (fixed at compile time: input row t of the block is
 * oh0 * s - pb + t, and output row r takes kh = (t - r * s) / dil), so a
 * loaded vector serves up to R fmas instead of one. Input rows above or
 * below the image are skipped by a branch; columns outside the row are
 * masked at the edge blocks. Stride 2 along the row loads twice the width
 * and keeps the even lanes. Work item = (n, channel, row block). */
#include "conv.h"
#include "pack.h"

enum { DW_MAX_R = 8 };

typedef struct dw {
  const conv_plan *p;
  unsigned w;
  int nv, R;       /* vectors per row, rows per block */
  int64_t L, OHB;  /* pixels per block, row blocks */
  LLVMValueRef x, wt, y;
  LLVMTypeRef w_mem;
  LLVMValueRef n, ch, oh0, ow0, xplane, wbase;
  cg_gemm_acc *acc;
  int rows; /* rows of this block (<= R) */
  bool edge;
  unsigned n_valid;
} dw;


bool conv_dw_fits(const conv_plan *p) {
  return !p->bwd && p->ICg == 1 && p->OCg == 1 && p->s[2] <= 2 && p->ker[0] == 1 &&
         p->in[0] == 1 && p->out[0] == 1 && p->s[1] <= 2 &&
         p->ker[1] <= 7;
}

static LLVMValueRef mul_c(cg_kernel *k, LLVMValueRef a, int64_t m) {
  return LLVMBuildMul(k->b, a, cg_i64(k, m), "");
}

/* Pixel vector j of input row xrow for tap kw: one load for unit stride,
 * a double-width load keeping the even lanes for stride 2. */
static LLVMValueRef dw_load(cg_kernel *k, dw *c, LLVMValueRef xrow, int64_t kw, int j) {
  const conv_plan *p = c->p;
  unsigned w = c->w, s = (unsigned)p->s[2], n = w * s;
  LLVMValueRef ow = LLVMBuildAdd(k->b, c->ow0, cg_i64(k, (int64_t)j * w), "");
  LLVMValueRef i0 = LLVMBuildAdd(k->b, mul_c(k, ow, s), cg_i64(k, kw * p->dil[2] - p->pb[2]), "");
  LLVMValueRef at = LLVMBuildAdd(k->b, xrow, i0, "");
  LLVMValueRef v;
  if (!c->edge) {
    v = cg_gemm_load_vec(k, p->x_mem, c->x, at, n, n);
  } else {
    LLVMValueRef iv = LLVMBuildAdd(k->b, cg_splat(k, i0, n), cg_gemm_iota(k, n, 1), "");
    LLVMValueRef ok = LLVMBuildICmp(k->b, LLVMIntULT, iv, cg_splat(k, cg_i64(k, p->in[2]), n), "");
    v = cg_gemm_load_vec_masked(k, p->x_mem, c->x, at, ok, n);
  }
  if (s == 1)
    return v;
  LLVMValueRef even[64];
  for (unsigned l = 0; l < w; l++)
    even[l] = cg_i32(k, (int32_t)(2 * l));
  return LLVMBuildShuffleVector(k->b, v, LLVMGetPoison(LLVMTypeOf(v)), LLVMConstVector(even, w), "even");
}

/* Input row t of the block: loads it (when it exists) into every output
 * row it reaches. */
static void dw_input_row(cg_kernel *k, dw *c, int t) {
  const conv_plan *p = c->p;
  int64_t s = p->s[1], dil = p->dil[1];
  int kh[DW_MAX_R], any = 0;
  for (int r = 0; r < c->rows; r++) {
    int64_t d = t - r * s;
    kh[r] = d >= 0 && d % dil == 0 && d / dil < p->ker[1] ? (int)(d / dil) : -1;
    any |= kh[r] >= 0;
  }
  if (!any)
    return;
  LLVMValueRef ih = LLVMBuildAdd(k->b, mul_c(k, c->oh0, s), cg_i64(k, t - p->pb[1]), "");
  cg_if in;
  cg_if_begin(k, &in, LLVMBuildICmp(k->b, LLVMIntULT, ih, cg_i64(k, p->in[1]), ""));
  LLVMValueRef xrow = LLVMBuildAdd(k->b, c->xplane, mul_c(k, ih, p->in[2]), "");
  LLVMTypeRef vt = c->acc->vt;
  for (int64_t kw = 0; kw < p->ker[2]; kw++) {
    LLVMValueRef xv[CG_GEMM_MAX_NV] = {0};
    for (int j = 0; j < c->nv; j++)
      if ((int64_t)j * c->w < c->n_valid)
        xv[j] = dw_load(k, c, xrow, kw, j);
    for (int r = 0; r < c->rows; r++) {
      if (kh[r] < 0)
        continue;
      LLVMValueRef wi = LLVMBuildAdd(k->b, c->wbase, cg_i64(k, kh[r] * p->ker[2] + kw), "");
      LLVMValueRef wv = cg_splat(k, cg_gemm_load_scalar(k, c->w_mem, c->wt, wi), c->w);
      for (int j = 0; j < c->nv; j++) {
        if (!xv[j])
          continue;
        LLVMValueRef args[3] = {xv[j], wv, cg_gemm_acc_get(k, c->acc, r, j)};
        LLVMBuildStore(k->b, cg_intrinsic(k, "llvm.fmuladd", &vt, 1, args, 3), c->acc->slot[r][j]);
      }
    }
  }
  cg_if_end(k, &in);
}

static void dw_block(cg_kernel *k, dw *c, LLVMValueRef ow0, bool edge, unsigned n_valid,
                     const cg_gemm_epilogue *epi) {
  const conv_plan *p = c->p;
  cg_gemm_tile tile = {.mr = c->R, .nv = c->nv, .w = c->w};
  cg_gemm_acc acc;
  cg_gemm_acc_init(k, &acc, tile, c->rows);
  cg_gemm_acc_zero(k, &acc);
  c->acc = &acc;
  c->ow0 = ow0;
  c->edge = edge;
  c->n_valid = n_valid;
  int64_t trows = (c->rows - 1) * p->s[1] + (p->ker[1] - 1) * p->dil[1] + 1;
  for (int t = 0; t < trows; t++)
    dw_input_row(k, c, t);
  /* output rows oh0 + r of the channel: element offset ((n*C + ch)*OH + oh)*OW */
  LLVMValueRef plane = mul_c(k, LLVMBuildAdd(k->b, mul_c(k, c->n, p->G), c->ch, ""), p->out[1]);
  cg_gemm_out out = {.base = c->y, .mem = p->y_mem, .col_stride = 1, .n_valid = n_valid,
                     .row0 = c->oh0, .col0 = ow0};
  for (int r = 0; r < c->rows; r++) {
    LLVMValueRef oh = LLVMBuildAdd(k->b, c->oh0, cg_i64(k, r), "");
    out.row_off[r] = LLVMBuildAdd(k->b, mul_c(k, LLVMBuildAdd(k->b, plane, oh, ""), p->out[2]), ow0, "");
  }
  /* The epilogue sees (row = output row, col = pixel); channel-indexed
   * epilogues need the channel: none is wired to this kernel yet. */
  cg_gemm_acc_store(k, &acc, &out, epi);
}

/* Whether the full block at ow0 reads inside the row for every kw. */
static LLVMValueRef dw_interior(cg_kernel *k, const dw *c, LLVMValueRef ow0) {
  const conv_plan *p = c->p;
  int64_t s = p->s[2];
  LLVMValueRef first = LLVMBuildSub(k->b, mul_c(k, ow0, s), cg_i64(k, p->pb[2]), "");
  /* the last vector's load is w * s wide */
  int64_t span = (c->L - 1) * s + (s - 1) + (p->ker[2] - 1) * p->dil[2];
  LLVMValueRef last = LLVMBuildAdd(k->b, first, cg_i64(k, span), "");
  return LLVMBuildAnd(k->b, LLVMBuildICmp(k->b, LLVMIntSGE, first, cg_i64(k, 0), ""),
                      LLVMBuildICmp(k->b, LLVMIntSLT, last, cg_i64(k, p->in[2]), ""), "");
}

/* Every block of the row band. */
static void dw_band(cg_kernel *k, dw *c, int rows, const cg_gemm_epilogue *epi) {
  const conv_plan *p = c->p;
  int64_t OW = p->out[2], full = OW / c->L * c->L;
  c->rows = rows;
  if (full) {
    cg_loop lb;
    LLVMValueRef ow0 = cg_loop_begin(k, &lb, cg_i64(k, 0), cg_i64(k, full), c->L, "ow");
    cg_if in;
    cg_if_begin(k, &in, dw_interior(k, c, ow0));
    dw_block(k, c, ow0, false, (unsigned)c->L, epi);
    cg_if_else(k, &in);
    dw_block(k, c, ow0, true, (unsigned)c->L, epi);
    cg_if_end(k, &in);
    cg_loop_end(k, &lb);
  }
  if (OW % c->L)
    dw_block(k, c, cg_i64(k, full), true, (unsigned)(OW % c->L), epi);
}

ovcc_status conv_lower_dw(cg_kernel *k, const conv_plan *p, const cg_gemm_epilogue *epi) {
  const cg_target *t = k->m->target;
  dw c = {.p = p, .w = cg_gemm_lanes(t), .w_mem = p->w_mem};
  int64_t need = (p->out[2] + c.w - 1) / c.w;
  c.nv = need >= 2 ? 2 : 1;
  c.L = (int64_t)c.nv * c.w;
  /* accumulators + the loaded vectors + one weight, and room for the edge
   * blocks' lane masks (GVN keeps them live across the unrolled rows) */
  int R = (t->vec_regs - c.nv - 2 - 4) / c.nv;
  R = R > DW_MAX_R ? DW_MAX_R : R;
  c.R = p->out[1] < R ? (int)p->out[1] : R;
  c.OHB = (p->out[1] + c.R - 1) / c.R;
  c.x = cg_operand(k, 0);
  c.wt = cg_operand(k, 1);
  c.y = cg_result(k, 0);
  IR_TRY(conv_weights_f32(k, p, &c.wt, &c.w_mem));
  k->work = p->N * p->G * c.OHB;
  k->cost = (double)need * c.R * p->ker[1] * p->ker[2] + 1.0;

  cg_loop il;
  LLVMValueRef item = cg_loop_begin(k, &il, k->begin, k->end, 1, "item");
  LLVMValueRef ohb = LLVMBuildURem(k->b, item, cg_i64(k, c.OHB), "ohb");
  LLVMValueRef rest = LLVMBuildUDiv(k->b, item, cg_i64(k, c.OHB), "");
  c.ch = LLVMBuildURem(k->b, rest, cg_i64(k, p->G), "ch");
  c.n = LLVMBuildUDiv(k->b, rest, cg_i64(k, p->G), "n");
  c.oh0 = mul_c(k, ohb, c.R);
  c.xplane = mul_c(k, LLVMBuildAdd(k->b, mul_c(k, c.n, p->G), c.ch, ""), p->in[1] * p->in[2]);
  c.wbase = mul_c(k, c.ch, p->w_sg);
  int tail = (int)(p->out[1] % c.R);
  if (tail) {
    cg_if lb;
    cg_if_begin(k, &lb, LLVMBuildICmp(k->b, LLVMIntEQ, ohb, cg_i64(k, c.OHB - 1), ""));
    dw_band(k, &c, tail, epi);
    cg_if_else(k, &lb);
    dw_band(k, &c, c.R, epi);
    cg_if_end(k, &lb);
  } else {
    dw_band(k, &c, c.R, epi);
  }
  cg_loop_end(k, &il);
  return OVCC_OK;
}
