/* The phase kernel for transposed convolutions whose taps do not overlap
 * along the row ((ker_w - 1) * dil_w < s_w, e.g. kernel == stride
 * upsampling): every output pixel of a row receives at most one kw tap, so
 * along the row the pattern (which kw, which input pixel) repeats with period
 * s_w. A block of L = lcm(s_w, w) output pixels starting where
 * (ow0 + pb) % s == 0 has, per lane, a fixed tap kw[l] and a fixed input
 * offset d[l] from b = (ow0 + pb) / s:
 *   Y[oc, ow0 + l] += X[ic, b + d[l]] * W[ic, oc, kh, kw[l]]
 * so the input vector is one short load shuffled to the lanes, and the
 * weights are prepacked per lane ([g][kd][kh][ic][oc][L], zero where no tap
 * reaches the pixel). Rows (kd, kh) go through conv_for_taps_dh. Output
 * channels are the register rows (mr x nv accumulators, nv = L / w). Blocks
 * reaching past the row or reading outside the input gather and store with
 * masks. Work item = (n, g, oc block, od, oh, block chunk). */

#include "conv.h"
#include "pack.h"

enum { DCV_MAX_L = 4 * 16 };

typedef struct dcv {
  const conv_plan *p;
  cg_gemm_tile tile;
  int64_t L, a0, b0, blo, NB; /* block width, first phase-aligned ow, its b, first block, blocks */
  int64_t CHB, NCH, OCB, OCP; /* blocks per chunk, chunks, oc blocks, padded oc */
  int kw[DCV_MAX_L];          /* tap of lane l, -1: none */
  int64_t d[DCV_MAX_L];       /* input offset of lane l from b */
  int64_t dmin[4], vl[4];     /* per vector: first offset loaded, load width */
  LLVMValueRef x, y, wp;
  LLVMValueRef n, g, od, oh, ocb;
  cg_gemm_acc *acc;
  LLVMValueRef ow0, b;
  bool edge;
} dcv;

static int64_t gcd64(int64_t a, int64_t b) {
  while (b) {
    int64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}


/* Block width lcm(s_w, w), 0 when the kernel does not apply. */
static int64_t dcv_width(const cg_target *t, const conv_plan *p) {
  if (!p->bwd || !p->wconst || (p->ker[2] - 1) * p->dil[2] >= p->s[2])
    return 0;
  int64_t w = cg_gemm_lanes(t), L = p->s[2] / gcd64(p->s[2], w) * w;
  return L <= 4 * w && L <= DCV_MAX_L ? L : 0;
}

bool conv_deconv_fits(const cg_target *t, const conv_plan *p) { return dcv_width(t, p) != 0; }

static int64_t floor_mod(int64_t a, int64_t m) { return ((a % m) + m) % m; }

/* Lane tables: kw[l], d[l], and per vector the loaded span. */
static void dcv_phase(dcv *c) {
  const conv_plan *p = c->p;
  int64_t s = p->s[2], dil = p->dil[2];
  unsigned w = c->tile.w;
  for (int64_t l = 0; l < c->L; l++) {
    c->kw[l] = -1;
    c->d[l] = 0;
    for (int64_t t = 0; t < p->ker[2]; t++)
      if (floor_mod(l - t * dil, s) == 0) {
        c->kw[l] = (int)t;
        c->d[l] = (l - t * dil) / s; /* exact */
      }
  }
  for (int j = 0; j < c->tile.nv; j++) {
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (unsigned i = 0; i < w; i++) {
      int64_t l = (int64_t)j * w + i;
      if (c->kw[l] < 0)
        continue;
      lo = c->d[l] < lo ? c->d[l] : lo;
      hi = c->d[l] > hi ? c->d[l] : hi;
    }
    if (lo > hi)
      lo = hi = 0; /* no tap in this vector */
    int64_t vl = 1;
    while (vl < hi - lo + 1)
      vl *= 2;
    c->dmin[j] = lo;
    c->vl[j] = vl;
  }
}

/* Weights per lane: [g][kd][kh][ic][OCP][L]; a program-owned constant. */
static ovcc_status dcv_pack(cg_kernel *k, dcv *c) {
  const conv_plan *p = c->p;
  const ir_tensor *t = p->wconst;
  int64_t KDH = p->ker[0] * p->ker[1];
  uint64_t n = (uint64_t)(p->G * KDH * p->ICg * c->OCP * c->L);
  float *buf = cg_pack_alloc(n);
  if (!buf)
    return cg_error(k, OVCC_ERR_NOMEM, "out of memory packing convolution weights");
  float *dst = buf;
  for (int64_t g = 0; g < p->G; g++)
    for (int64_t dh = 0; dh < KDH; dh++)
      for (int64_t ic = 0; ic < p->ICg; ic++)
        for (int64_t oc = 0; oc < c->OCP; oc++)
          for (int64_t l = 0; l < c->L; l++, dst++) {
            if (oc >= p->OCg || c->kw[l] < 0)
              continue; /* zeroed by cg_pack_alloc */
            int64_t tap = dh * p->ker[2] + c->kw[l];
            uint64_t i = (uint64_t)(g * p->w_sg + ic * p->w_sic + oc * p->w_soc + tap);
            *dst = t->et == IR_ET_F32 ? ((const float *)t->data)[i]
                                      : (float)ir_elem_get_f64(t->et, t->data, i);
          }
  uint32_t wb = cg_kernel_add_const(k, buf, n * sizeof(float));
  if (wb == UINT32_MAX)
    return k->d->status;
  c->wp = cg_buf(k, wb);
  return OVCC_OK;
}

static LLVMValueRef mul_c(cg_kernel *k, LLVMValueRef a, int64_t m) {
  return LLVMBuildMul(k->b, a, cg_i64(k, m), "");
}

/* Input vector j of the block from input row xrow. */
static LLVMValueRef dcv_xvec(cg_kernel *k, dcv *c, LLVMValueRef xrow, int j) {
  const conv_plan *p = c->p;
  unsigned w = c->tile.w;
  if (!c->edge) {
    /* one load of vl pixels from b + dmin, lanes picked by a constant mask;
     * lanes without a tap take the zero vector (0 * inf must not appear) */
    unsigned vl = (unsigned)c->vl[j];
    LLVMValueRef at = LLVMBuildAdd(k->b, xrow, LLVMBuildAdd(k->b, c->b, cg_i64(k, c->dmin[j]), ""), "");
    LLVMValueRef v = cg_gemm_load_vec(k, p->x_mem, c->x, at, vl, vl);
    LLVMValueRef sel[64];
    for (unsigned i = 0; i < w; i++) {
      int64_t l = (int64_t)j * w + i;
      sel[i] = cg_i32(k, (int32_t)(c->kw[l] < 0 ? vl : c->d[l] - c->dmin[j]));
    }
    return LLVMBuildShuffleVector(k->b, v, LLVMConstNull(LLVMTypeOf(v)), LLVMConstVector(sel, w), "");
  }
  LLVMValueRef off[64], tap[64];
  for (unsigned i = 0; i < w; i++) {
    int64_t l = (int64_t)j * w + i;
    off[i] = cg_i64(k, c->d[l]);
    tap[i] = LLVMConstInt(k->m->t_i1, c->kw[l] >= 0, false);
  }
  LLVMValueRef iw = LLVMBuildAdd(k->b, cg_splat(k, c->b, w), LLVMConstVector(off, w), "");
  LLVMValueRef ok = LLVMBuildAnd(
      k->b, LLVMConstVector(tap, w),
      LLVMBuildICmp(k->b, LLVMIntULT, iw, cg_splat(k, cg_i64(k, p->in[2]), w), ""), "");
  LLVMValueRef idx = LLVMBuildAdd(k->b, cg_splat(k, xrow, w), iw, "");
  return cg_gemm_gather_idx(k, p->x_mem, c->x, idx, ok, w);
}

/* The ic loop of one input row (kd, kh). */
static void dcv_taps(cg_kernel *k, void *ctx, LLVMValueRef kd, LLVMValueRef kh, LLVMValueRef id,
                     LLVMValueRef ih) {
  dcv *c = ctx;
  const conv_plan *p = c->p;
  unsigned w = c->tile.w;
  LLVMTypeRef vt = c->acc->vt;
  LLVMValueRef dh = LLVMBuildAdd(k->b, mul_c(k, kd, p->ker[1]), kh, "");
  LLVMValueRef wrow0 = mul_c(k, LLVMBuildAdd(k->b, mul_c(k, c->g, p->ker[0] * p->ker[1]), dh, ""),
                             p->ICg);
  cg_loop li;
  LLVMValueRef ic = cg_loop_begin(k, &li, cg_i64(k, 0), cg_i64(k, p->ICg), 1, "ic");
  LLVMValueRef cin = LLVMBuildAdd(k->b, mul_c(k, c->g, p->ICg), ic, "");
  LLVMValueRef xrow = conv_x_row(k, p, c->n, cin, id, ih);
  LLVMValueRef xv[4];
  for (int j = 0; j < c->tile.nv; j++)
    xv[j] = dcv_xvec(k, c, xrow, j);
  /* weights of (ic, oc0): ((wrow0 + ic) * OCP + oc0) * L */
  LLVMValueRef wb = mul_c(k, LLVMBuildAdd(k->b, mul_c(k, LLVMBuildAdd(k->b, wrow0, ic, ""), c->OCP),
                                          mul_c(k, c->ocb, c->tile.mr), ""),
                          c->L);
  for (int r = 0; r < c->acc->tile.mr; r++)
    for (int j = 0; j < c->tile.nv; j++) {
      LLVMValueRef wv = cg_gemm_load_vec(k, k->m->t_f32, c->wp,
                                         LLVMBuildAdd(k->b, wb, cg_i64(k, r * c->L + j * (int64_t)w), ""),
                                         w, w);
      LLVMValueRef args[3] = {xv[j], wv, cg_gemm_acc_get(k, c->acc, r, j)};
      LLVMBuildStore(k->b, cg_intrinsic(k, "llvm.fmuladd", &vt, 1, args, 3), c->acc->slot[r][j]);
    }
  cg_loop_end(k, &li);
}

/* Stores the block: full vectors inside the row, lane masks at its edges. */
static void dcv_store(cg_kernel *k, dcv *c, const cg_gemm_epilogue *epi) {
  const conv_plan *p = c->p;
  unsigned w = c->tile.w;
  LLVMValueRef oc0 = LLVMBuildAdd(k->b, mul_c(k, c->g, p->OCg), mul_c(k, c->ocb, c->tile.mr), "");
  for (int r = 0; r < c->acc->tile.mr; r++) {
    LLVMValueRef oc = LLVMBuildAdd(k->b, oc0, cg_i64(k, r), "");
    LLVMValueRef yrow = conv_y_row(k, p, c->n, oc, c->od, c->oh);
    for (int j = 0; j < c->tile.nv; j++) {
      LLVMValueRef col = LLVMBuildAdd(k->b, c->ow0, cg_i64(k, (int64_t)j * w), "");
      LLVMValueRef v = cg_gemm_acc_get(k, c->acc, r, j);
      if (epi && epi->fn) {
        cg_gemm_pos pos = {.r = r, .j = j, .row = oc, .col = col, .lanes = w};
        v = epi->fn(k, epi->ctx, v, &pos);
      }
      if (p->y_mem != k->m->t_f32)
        v = LLVMBuildFPTrunc(k->b, v, LLVMVectorType(p->y_mem, w), "");
      LLVMValueRef ptr = cg_gep(k, p->y_mem, c->y, LLVMBuildAdd(k->b, yrow, col, ""));
      if (!c->edge) {
        LLVMSetAlignment(LLVMBuildStore(k->b, v, ptr), p->y_mem == k->m->t_f32 ? 4 : 2);
        continue;
      }
      LLVMValueRef ow = LLVMBuildAdd(k->b, cg_splat(k, col, w), cg_gemm_iota(k, w, 1), "");
      LLVMValueRef mask =
          LLVMBuildICmp(k->b, LLVMIntULT, ow, cg_splat(k, cg_i64(k, p->out[2]), w), "");
      LLVMTypeRef ovl[2] = {LLVMVectorType(p->y_mem, w), k->m->t_ptr};
      LLVMValueRef args[3] = {v, ptr, mask};
      LLVMValueRef st = cg_intrinsic(k, "llvm.masked.store", ovl, 2, args, 3);
      unsigned kind = LLVMGetEnumAttributeKindForName("align", 5);
      LLVMAddCallSiteAttribute(st, 2, LLVMCreateEnumAttribute(k->m->ctx, kind,
                                                              p->y_mem == k->m->t_f32 ? 4 : 2));
    }
  }
}

static void dcv_block(cg_kernel *k, dcv *c, int mr, bool edge, const cg_gemm_epilogue *epi) {
  cg_gemm_acc acc;
  cg_gemm_acc_init(k, &acc, c->tile, mr);
  cg_gemm_acc_zero(k, &acc);
  c->acc = &acc;
  c->edge = edge;
  conv_for_taps_dh(k, c->p, c->od, c->oh, dcv_taps, c);
  dcv_store(k, c, epi);
}

/* Whether block bi (absolute block index) stays inside the output row and
 * its loads inside the input row: decided at compile time. */
static bool dcv_interior(const dcv *c, int64_t bi) {
  const conv_plan *p = c->p;
  int64_t ow0 = c->a0 + bi * c->L, b = c->b0 + bi * (c->L / p->s[2]);
  if (ow0 < 0 || ow0 + c->L > p->out[2])
    return false;
  for (int j = 0; j < c->tile.nv; j++)
    if (b + c->dmin[j] < 0 || b + c->dmin[j] + c->vl[j] > p->in[2])
      return false;
  return true;
}

/* Blocks of chunk ch: interior ones plain, the others masked. */
static void dcv_row(cg_kernel *k, dcv *c, LLVMValueRef ch, int mr, const cg_gemm_epilogue *epi) {
  int64_t ilo = c->blo + c->NB, ihi = c->blo; /* interior block range, empty if none */
  for (int64_t bi = c->blo; bi < c->blo + c->NB; bi++)
    if (dcv_interior(c, bi)) {
      ilo = bi < ilo ? bi : ilo;
      ihi = bi + 1;
    }
  LLVMValueRef lo = LLVMBuildAdd(k->b, mul_c(k, ch, c->CHB), cg_i64(k, c->blo), "");
  LLVMValueRef hi = LLVMBuildAdd(k->b, lo, cg_i64(k, c->CHB), "");
  LLVMValueRef end = cg_i64(k, c->blo + c->NB);
  hi = LLVMBuildSelect(k->b, LLVMBuildICmp(k->b, LLVMIntSLT, hi, end, ""), hi, end, "");
  cg_loop lb;
  LLVMValueRef bi = cg_loop_begin(k, &lb, lo, hi, 1, "blk");
  c->ow0 = LLVMBuildAdd(k->b, mul_c(k, bi, c->L), cg_i64(k, c->a0), "ow0");
  c->b = LLVMBuildAdd(k->b, mul_c(k, bi, c->L / c->p->s[2]), cg_i64(k, c->b0), "b");
  LLVMValueRef inside = LLVMBuildAnd(k->b, LLVMBuildICmp(k->b, LLVMIntSGE, bi, cg_i64(k, ilo), ""),
                                     LLVMBuildICmp(k->b, LLVMIntSLT, bi, cg_i64(k, ihi), ""), "");
  cg_if in;
  cg_if_begin(k, &in, inside);
  dcv_block(k, c, mr, false, epi);
  cg_if_else(k, &in);
  dcv_block(k, c, mr, true, epi);
  cg_if_end(k, &in);
  cg_loop_end(k, &lb);
}

ovcc_status conv_lower_deconv(cg_kernel *k, const conv_plan *p, const cg_gemm_epilogue *epi) {
  const cg_target *t = k->m->target;
  dcv c = {.p = p};
  c.L = dcv_width(t, p);
  if (!c.L)
    return cg_error(k, OVCC_ERR_INTERNAL, "phase deconvolution kernel chosen for a plan it cannot run");
  c.tile.w = cg_gemm_lanes(t);
  c.tile.nv = (int)(c.L / c.tile.w);
  int mr = (t->vec_regs - c.tile.nv - 1) / c.tile.nv;
  mr = mr > 12 ? 12 : mr < 1 ? 1 : mr;
  c.tile.mr = p->OCg < mr ? (int)p->OCg : mr;
  dcv_phase(&c);
  int64_t s = p->s[2];
  c.a0 = floor_mod(-p->pb[2], s);
  c.b0 = (c.a0 + p->pb[2]) / s; /* exact */
  c.blo = c.a0 > 0 ? -1 : 0;
  c.NB = (p->out[2] - c.a0 + c.L - 1) / c.L - c.blo;
  c.OCB = (p->OCg + c.tile.mr - 1) / c.tile.mr;
  c.OCP = c.OCB * c.tile.mr;
  int64_t rows = p->N * p->G * c.OCB * p->out[0] * p->out[1], want = 16;
  int64_t nch = rows >= want ? 1 : (want + rows - 1) / rows;
  nch = nch > c.NB ? c.NB : nch < 1 ? 1 : nch;
  c.CHB = (c.NB + nch - 1) / nch;
  c.NCH = (c.NB + c.CHB - 1) / c.CHB;
  IR_TRY(dcv_pack(k, &c));
  c.x = cg_operand(k, 0);
  c.y = cg_result(k, 0);
  int64_t taps = (p->ker[0] + p->s[0] - 1) / p->s[0] * ((p->ker[1] + p->s[1] - 1) / p->s[1]);
  k->work = rows * c.NCH;
  k->cost = (double)c.CHB * c.tile.mr * c.tile.nv * p->ICg * taps / 2.0 + 1.0;

  cg_loop il;
  LLVMValueRef item = cg_loop_begin(k, &il, k->begin, k->end, 1, "item");
  LLVMValueRef rem = item;
#define NEXT(var, extent)                                                                          \
  LLVMValueRef var = LLVMBuildURem(k->b, rem, cg_i64(k, (extent)), #var);                         \
  rem = LLVMBuildUDiv(k->b, rem, cg_i64(k, (extent)), "")
  NEXT(ch, c.NCH);
  NEXT(oh, p->out[1]);
  NEXT(od, p->out[0]);
  NEXT(ocb, c.OCB);
  NEXT(g, p->G);
#undef NEXT
  c.n = rem;
  c.g = g;
  c.od = od;
  c.oh = oh;
  c.ocb = ocb;
  int tail = (int)(p->OCg % c.tile.mr);
  if (tail) {
    cg_if lb;
    cg_if_begin(k, &lb, LLVMBuildICmp(k->b, LLVMIntEQ, ocb, cg_i64(k, c.OCB - 1), ""));
    dcv_row(k, &c, ch, tail, epi);
    cg_if_else(k, &lb);
    dcv_row(k, &c, ch, c.tile.mr, epi);
    cg_if_end(k, &lb);
  } else {
    dcv_row(k, &c, ch, c.tile.mr, epi);
  }
  cg_loop_end(k, &il);
  return OVCC_OK;
}
