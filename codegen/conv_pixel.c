/* The pixel-vector convolution kernel (see conv.h): for one output row
 * (n, g, od, oh), blocks of mr output channels x nv * w consecutive pixels:
 *   acc[r][j] += W[g, oc0 + r, ic, tap] * X(ic, id, ih, iw(ow0 + j*w + lane, kw))
 * The pixel vector is a plain load for stride 1 (masked at the row edges), a
 * double-width load keeping the even lanes for stride 2, and a masked gather
 * otherwise and for the transposed form. Weights are read in place (constant
 * or not). Work item = (n, g, od, oh, pixel chunk, oc block). */
#include "conv.h"
#include "pack.h"

double conv_pixel_fit(const cg_target *t, const conv_plan *p) {
  unsigned w = cg_gemm_lanes(t);
  double use = (double)p->out[2] / (double)(((p->out[2] + w - 1) / w) * w);
  if (p->bwd)
    return use * 0.1;
  if (p->s[2] == 1)
    return use;
  return p->s[2] == 2 ? use * 0.5 : use * 0.1;
}

typedef struct pxv {
  const conv_plan *p;
  cg_gemm_tile tile;
  int64_t L, CH, NCH, OCB; /* pixels per block, pixels per chunk, chunks, oc blocks */
  LLVMValueRef x, wt, y;
  LLVMTypeRef w_mem; /* element type behind wt */
  LLVMValueRef n, g, od, oh, ocb;
  cg_gemm_acc *acc;
  LLVMValueRef ow0, ic;
  int mr;
  bool edge;
  unsigned n_valid;
} pxv;

static LLVMValueRef mul_c(cg_kernel *k, LLVMValueRef a, int64_t m) {
  return LLVMBuildMul(k->b, a, cg_i64(k, m), "");
}

/* <n x i1>: lanes whose input coordinate v lies in [0, in). */
static LLVMValueRef in_row(cg_kernel *k, LLVMValueRef v, int64_t in, unsigned n) {
  return LLVMBuildICmp(k->b, LLVMIntULT, v, cg_splat(k, cg_i64(k, in), n), "");
}

/* Pixel vector j of the block for tap kw of input row xrow. */
static LLVMValueRef pxv_load(cg_kernel *k, pxv *c, LLVMValueRef xrow, LLVMValueRef kw, int j) {
  const conv_plan *p = c->p;
  unsigned w = c->tile.w;
  LLVMValueRef ow = LLVMBuildAdd(k->b, c->ow0, cg_i64(k, (int64_t)j * w), "");
  if (p->bwd) { /* t = ow + pb - kw*dil; input t / s where s divides t */
    LLVMValueRef t0 = LLVMBuildSub(k->b, LLVMBuildAdd(k->b, ow, cg_i64(k, p->pb[2]), ""),
                                   mul_c(k, kw, p->dil[2]), "");
    LLVMValueRef t = LLVMBuildAdd(k->b, cg_splat(k, t0, w), cg_gemm_iota(k, w, 1), "");
    LLVMValueRef sv = cg_splat(k, cg_i64(k, p->s[2]), w);
    LLVMValueRef q = p->s[2] == 1 ? t : LLVMBuildSDiv(k->b, t, sv, "");
    LLVMValueRef ok = LLVMBuildICmp(k->b, LLVMIntSGE, t, LLVMConstNull(LLVMTypeOf(t)), "");
    if (p->s[2] != 1)
      ok = LLVMBuildAnd(k->b, ok,
                        LLVMBuildICmp(k->b, LLVMIntEQ, LLVMBuildSRem(k->b, t, sv, ""),
                                      LLVMConstNull(LLVMTypeOf(t)), ""), "");
    ok = LLVMBuildAnd(k->b, ok, in_row(k, q, p->in[2], w), "");
    LLVMValueRef idx = LLVMBuildAdd(k->b, cg_splat(k, xrow, w), q, "");
    return cg_gemm_gather_idx(k, p->x_mem, c->x, idx, ok, w);
  }
  /* first input coordinate: ow*s - pb + kw*dil */
  LLVMValueRef i0 = LLVMBuildAdd(k->b, LLVMBuildSub(k->b, mul_c(k, ow, p->s[2]), cg_i64(k, p->pb[2]), ""),
                                 mul_c(k, kw, p->dil[2]), "");
  LLVMValueRef at = LLVMBuildAdd(k->b, xrow, i0, "");
  if (p->s[2] == 1) {
    if (!c->edge)
      return cg_gemm_load_vec(k, p->x_mem, c->x, at, w, w);
    LLVMValueRef iv = LLVMBuildAdd(k->b, cg_splat(k, i0, w), cg_gemm_iota(k, w, 1), "");
    return cg_gemm_load_vec_masked(k, p->x_mem, c->x, at, in_row(k, iv, p->in[2], w), w);
  }
  if (p->s[2] == 2) {
    LLVMValueRef wide;
    if (!c->edge) {
      wide = cg_gemm_load_vec(k, p->x_mem, c->x, at, 2 * w, 2 * w);
    } else {
      LLVMValueRef iv = LLVMBuildAdd(k->b, cg_splat(k, i0, 2 * w), cg_gemm_iota(k, 2 * w, 1), "");
      wide = cg_gemm_load_vec_masked(k, p->x_mem, c->x, at, in_row(k, iv, p->in[2], 2 * w), 2 * w);
    }
    LLVMValueRef even[64];
    for (unsigned l = 0; l < w; l++)
      even[l] = cg_i32(k, (int32_t)(2 * l));
    return LLVMBuildShuffleVector(k->b, wide, LLVMGetPoison(LLVMTypeOf(wide)),
                                  LLVMConstVector(even, w), "even");
  }
  LLVMValueRef iv = LLVMBuildAdd(k->b, cg_splat(k, i0, w), cg_gemm_iota(k, w, p->s[2]), "");
  LLVMValueRef idx = LLVMBuildAdd(k->b, cg_splat(k, xrow, w), iv, "");
  return cg_gemm_gather_idx(k, p->x_mem, c->x, idx, in_row(k, iv, p->in[2], w), w);
}

static void pxv_taps_w(cg_kernel *k, void *ctx, LLVMValueRef kd, LLVMValueRef kh, LLVMValueRef id,
                       LLVMValueRef ih) {
  pxv *c = ctx;
  const conv_plan *p = c->p;
  LLVMValueRef cin = LLVMBuildAdd(k->b, mul_c(k, c->g, p->ICg), c->ic, "");
  LLVMValueRef xrow = conv_x_row(k, p, c->n, cin, id, ih);
  LLVMValueRef tap0 = mul_c(k, LLVMBuildAdd(k->b, mul_c(k, kd, p->ker[1]), kh, ""), p->ker[2]);
  LLVMValueRef oc0 = mul_c(k, c->ocb, c->tile.mr);
  LLVMValueRef wbase = LLVMBuildAdd(
      k->b, LLVMBuildAdd(k->b, mul_c(k, c->g, p->w_sg), mul_c(k, c->ic, p->w_sic), ""), tap0, "");
  cg_loop lw;
  LLVMValueRef kw = cg_loop_begin(k, &lw, cg_i64(k, 0), cg_i64(k, p->ker[2]), 1, "kw");
  LLVMValueRef av[CG_GEMM_MAX_MR], bv[CG_GEMM_MAX_NV] = {0};
  LLVMValueRef wtap = LLVMBuildAdd(k->b, wbase, kw, "");
  for (int r = 0; r < c->mr; r++) {
    LLVMValueRef oc = LLVMBuildAdd(k->b, oc0, cg_i64(k, r), "");
    av[r] = cg_gemm_load_scalar(k, c->w_mem, c->wt, LLVMBuildAdd(k->b, wtap, mul_c(k, oc, p->w_soc), ""));
  }
  for (int j = 0; j < c->tile.nv; j++) {
    if ((int64_t)j * c->tile.w >= c->n_valid)
      break;
    bv[j] = pxv_load(k, c, xrow, kw, j);
  }
  cg_gemm_acc_fma(k, c->acc, av, bv);
  cg_loop_end(k, &lw);
}

static void pxv_block(cg_kernel *k, pxv *c, LLVMValueRef ow0, int mr, bool edge, unsigned n_valid,
                      const cg_gemm_epilogue *epi) {
  const conv_plan *p = c->p;
  cg_gemm_acc acc;
  cg_gemm_acc_init(k, &acc, c->tile, mr);
  cg_gemm_acc_zero(k, &acc);
  c->acc = &acc;
  c->ow0 = ow0;
  c->mr = mr;
  c->edge = edge;
  c->n_valid = n_valid;
  cg_loop li;
  c->ic = cg_loop_begin(k, &li, cg_i64(k, 0), cg_i64(k, p->ICg), 1, "ic");
  conv_for_taps_dh(k, p, c->od, c->oh, pxv_taps_w, c);
  cg_loop_end(k, &li);
  LLVMValueRef oc0 = mul_c(k, c->ocb, c->tile.mr);
  LLVMValueRef cout = LLVMBuildAdd(k->b, mul_c(k, c->g, p->OCg), oc0, "");
  cg_gemm_out out = {.base = c->y, .mem = p->y_mem, .col_stride = 1, .n_valid = n_valid,
                     .row0 = oc0, .col0 = ow0};
  for (int r = 0; r < mr; r++) {
    LLVMValueRef yrow = conv_y_row(k, p, c->n, LLVMBuildAdd(k->b, cout, cg_i64(k, r), ""), c->od, c->oh);
    out.row_off[r] = LLVMBuildAdd(k->b, yrow, ow0, "");
  }
  cg_gemm_acc_store(k, &acc, &out, epi);
}

/* Whether the full block at ow0 reads inside the row for every kw. */
static LLVMValueRef pxv_interior(cg_kernel *k, const pxv *c, LLVMValueRef ow0) {
  const conv_plan *p = c->p;
  int64_t s = p->s[2];
  LLVMValueRef first = LLVMBuildSub(k->b, mul_c(k, ow0, s), cg_i64(k, p->pb[2]), "");
  int64_t span = (c->L - 1) * s + (s == 2 ? 1 : 0) + (p->ker[2] - 1) * p->dil[2];
  LLVMValueRef last = LLVMBuildAdd(k->b, first, cg_i64(k, span), "");
  return LLVMBuildAnd(k->b, LLVMBuildICmp(k->b, LLVMIntSGE, first, cg_i64(k, 0), ""),
                      LLVMBuildICmp(k->b, LLVMIntSLT, last, cg_i64(k, p->in[2]), ""), "");
}

static void pxv_row(cg_kernel *k, pxv *c, LLVMValueRef ch, int mr, const cg_gemm_epilogue *epi) {
  const conv_plan *p = c->p;
  int64_t OW = p->out[2], full = OW / c->L * c->L;
  LLVMValueRef lo = mul_c(k, ch, c->CH);
  LLVMValueRef hi = LLVMBuildAdd(k->b, lo, cg_i64(k, c->CH), "");
  hi = LLVMBuildSelect(k->b, LLVMBuildICmp(k->b, LLVMIntSLT, hi, cg_i64(k, full), ""), hi,
                       cg_i64(k, full), "");
  cg_loop lb;
  LLVMValueRef ow0 = cg_loop_begin(k, &lb, lo, hi, c->L, "ow");
  if (p->bwd || p->s[2] > 2) {
    pxv_block(k, c, ow0, mr, true, (unsigned)c->L, epi);
  } else {
    cg_if in;
    cg_if_begin(k, &in, pxv_interior(k, c, ow0));
    pxv_block(k, c, ow0, mr, false, (unsigned)c->L, epi);
    cg_if_else(k, &in);
    pxv_block(k, c, ow0, mr, true, (unsigned)c->L, epi);
    cg_if_end(k, &in);
  }
  cg_loop_end(k, &lb);
  if (OW % c->L) {
    cg_if last;
    cg_if_begin(k, &last, LLVMBuildICmp(k->b, LLVMIntEQ, ch, cg_i64(k, c->NCH - 1), ""));
    pxv_block(k, c, cg_i64(k, full), mr, true, (unsigned)(OW % c->L), epi);
    cg_if_end(k, &last);
  }
}

ovcc_status conv_lower_pixel(cg_kernel *k, const conv_plan *p, const cg_gemm_epilogue *epi) {
  pxv c = {.p = p, .w_mem = p->w_mem};
  c.tile = cg_gemm_pick_tile(k->m->target, p->OCg, p->out[2]);
  c.L = (int64_t)c.tile.nv * c.tile.w;
  c.OCB = (p->OCg + c.tile.mr - 1) / c.tile.mr;
  int64_t blocks = (p->out[2] + c.L - 1) / c.L;
  int64_t rows = p->N * p->G * c.OCB * p->out[0] * p->out[1], want = 16;
  int64_t nch = rows >= want ? 1 : (want + rows - 1) / rows;
  /* A chunk's input (all its channels) should stay in cache while every oc
   * block of it runs (those are consecutive items): about 256 KiB (L2). */
  int64_t span = (c.L - 1) * p->s[2] + (p->ker[2] - 1) * p->dil[2] + 1;
  int64_t fit = 262144 / (4 * p->ICg * p->ker[1] * span > 0 ? 4 * p->ICg * p->ker[1] * span : 1);
  int64_t cache_nch = (blocks + (fit < 1 ? 1 : fit) - 1) / (fit < 1 ? 1 : fit);
  nch = cache_nch > nch ? cache_nch : nch;
  nch = nch > blocks ? blocks : nch < 1 ? 1 : nch;
  c.CH = (blocks + nch - 1) / nch * c.L;
  c.NCH = (p->out[2] + c.CH - 1) / c.CH;
  k->work = rows * c.NCH;
  k->cost = (double)c.CH / c.tile.w * c.tile.mr * p->ICg * p->T / 2.0 + 1.0;
  c.x = cg_operand(k, 0);
  c.wt = cg_operand(k, 1);
  c.y = cg_result(k, 0);
  IR_TRY(conv_weights_f32(k, p, &c.wt, &c.w_mem));

  cg_loop il;
  LLVMValueRef item = cg_loop_begin(k, &il, k->begin, k->end, 1, "item");
  LLVMValueRef t = item;
#define NEXT(var, extent)                                                                          \
  LLVMValueRef var = LLVMBuildURem(k->b, t, cg_i64(k, (extent)), #var);                           \
  t = LLVMBuildUDiv(k->b, t, cg_i64(k, (extent)), "")
  NEXT(ocb, c.OCB); /* innermost: consecutive items share the input chunk */
  NEXT(ch, c.NCH);
  NEXT(oh, p->out[1]);
  NEXT(od, p->out[0]);
  NEXT(g, p->G);
#undef NEXT
  c.n = t;
  c.g = g;
  c.od = od;
  c.oh = oh;
  c.ocb = ocb;
  int tail = (int)(p->OCg % c.tile.mr);
  if (tail) {
    cg_if lb;
    cg_if_begin(k, &lb, LLVMBuildICmp(k->b, LLVMIntEQ, ocb, cg_i64(k, c.OCB - 1), ""));
    pxv_row(k, &c, ch, tail, epi);
    cg_if_else(k, &lb);
    pxv_row(k, &c, ch, c.tile.mr, epi);
    cg_if_end(k, &lb);
  } else {
    pxv_row(k, &c, ch, c.tile.mr, epi);
  }
  cg_loop_end(k, &il);
  return OVCC_OK;
}
