/* Convolutions: the normalized plan, the kernel choice and the
 * channel-vector kernel (see conv.h).
 *
 * Channel-vector kernel: for one output row (n, g, od, oh) and a chunk of
 * its pixels, blocks of mr pixels x one panel of nv * w output channels:
 *   acc[r][j] += X(ic, id, ih, iw(ow0 + r, kw)) * Wpanel[ic, kd, kh, kw][j]
 * over input channels and the taps valid for that row; pixels of a block
 * that fall into the padding (or, for backprop, between strided inputs) read
 * zero through a predicated load. The block is stored lane by lane (channels
 * are OD*OH*OW apart in NCDHW). Work item = (n, g, od, oh, chunk, panel), or
 * (panel, n, g, od, oh, chunk) when the weights are large. */
#include <string.h>

#include "conv.h"
#include "pack.h"

/* ---- plan ---- */

static bool float_type(cg_kernel *k, ir_etype et, LLVMTypeRef *out) {
  if (et != IR_ET_F32 && et != IR_ET_F16 && et != IR_ET_BF16)
    return false;
  *out = cg_mem_type(k->m, et);
  return true;
}

static void spatial_ints(const ir_op *op, const char *name, int n, int64_t def, int64_t *out) {
  uint32_t cnt = 0;
  const int64_t *v = ir_op_attr_ints(op, name, &cnt);
  for (int i = 0; i < n; i++)
    out[i] = (int64_t)cnt == n ? v[i] : def;
}

/* Begin pads as OpenVINO resolves them (shape inference keeps only shapes). */
static void resolve_pads(const ir_op *op, bool bwd, int n, const int64_t *in, const int64_t *out,
                         const int64_t *ker, const int64_t *s, const int64_t *dil, int64_t *pb) {
  const char *ap = ir_op_attr_str(op, "auto_pad", "explicit");
  bool upper = strcmp(ap, "same_upper") == 0, lower = strcmp(ap, "same_lower") == 0;
  int64_t opad[3];
  spatial_ints(op, "output_padding", n, 0, opad);
  spatial_ints(op, "pads_begin", n, 0, pb);
  if (strcmp(ap, "valid") == 0) {
    for (int i = 0; i < n; i++)
      pb[i] = 0;
    return;
  }
  if (!upper && !lower)
    return; /* explicit (notset) */
  for (int i = 0; i < n; i++) {
    int64_t dk = (ker[i] - 1) * dil[i] + 1, total;
    if (!bwd) {
      total = (out[i] - 1) * s[i] + dk - in[i];
      total = total < 0 ? 0 : total;
      pb[i] = upper ? total / 2 : total - total / 2;
    } else if (op->n_operands >= 3) {
      /* OpenVINO's apply_auto_pad: same_upper puts the larger half first. */
      total = (in[i] - 1) * s[i] + dk - out[i] + opad[i];
      total = total < 0 ? 0 : total;
      pb[i] = upper ? total - total / 2 : total / 2;
    } else {
      pb[i] = 0;
    }
  }
}

static ovcc_status conv_plan_make(cg_kernel *k, const ir_op *op, conv_plan *p) {
  memset(p, 0, sizeof *p);
  bool group = op->kind == IR_OP_GROUPCONVOLUTION_1 || op->kind == IR_OP_GROUPCONVOLUTIONBACKPROPDATA_1;
  p->bwd = op->kind == IR_OP_CONVOLUTIONBACKPROPDATA_1 ||
           op->kind == IR_OP_GROUPCONVOLUTIONBACKPROPDATA_1;
  const ir_value *vx = ir_op_operand(op, 0), *vw = ir_op_operand(op, 1), *vy = &op->results[0];
  if (!float_type(k, vx->type.et, &p->x_mem) || !float_type(k, vw->type.et, &p->w_mem) ||
      !float_type(k, vy->type.et, &p->y_mem))
    return CG_UNSUPPORTED(k, "convolution on %s data, %s weights -> %s: only f32/f16/bf16",
                          ir_etype_name(vx->type.et), ir_etype_name(vw->type.et),
                          ir_etype_name(vy->type.et));
  int64_t xd[IR_MAX_RANK], wd[IR_MAX_RANK], yd[IR_MAX_RANK];
  int xr = cg_dims(vx, xd), wr = cg_dims(vw, wd), yr = cg_dims(vy, yd);
  int n = xr - 2, woff = group ? 3 : 2;
  if (n < 1 || n > 3 || wr != n + woff || yr != xr)
    return CG_UNSUPPORTED(k, "convolution with data rank %d, filter rank %d", xr, wr);
  p->N = xd[0];
  p->G = group ? wd[0] : 1;
  /* filters: fwd [G][OCg][ICg][k], bwd [G][ICg][OCg][k] */
  int64_t f0 = wd[woff - 2], f1 = wd[woff - 1];
  p->OCg = p->bwd ? f1 : f0;
  p->ICg = p->bwd ? f0 : f1;
  if (p->ICg * p->G != xd[1] || p->OCg * p->G != yd[1])
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "convolution channels do not match the filters");
  int64_t in[3], out[3], ker[3], s[3], dil[3], pb[3];
  for (int i = 0; i < n; i++) {
    in[i] = xd[2 + i];
    out[i] = yd[2 + i];
    ker[i] = wd[woff + i];
  }
  spatial_ints(op, "strides", n, 1, s);
  spatial_ints(op, "dilations", n, 1, dil);
  resolve_pads(op, p->bwd, n, in, out, ker, s, dil, pb);
  int lead = 3 - n; /* leading dims of size 1 */
  for (int i = 0; i < 3; i++) {
    bool real = i >= lead;
    p->in[i] = real ? in[i - lead] : 1;
    p->out[i] = real ? out[i - lead] : 1;
    p->ker[i] = real ? ker[i - lead] : 1;
    p->s[i] = real ? s[i - lead] : 1;
    p->dil[i] = real ? dil[i - lead] : 1;
    p->pb[i] = real ? pb[i - lead] : 0;
  }
  p->T = p->ker[0] * p->ker[1] * p->ker[2];
  p->w_sg = p->OCg * p->ICg * p->T;
  p->w_soc = p->bwd ? p->T : p->ICg * p->T;
  p->w_sic = p->bwd ? p->OCg * p->T : p->T;
  /* A pointwise, unstrided, unpadded convolution sees all pixels as one row. */
  bool pointwise = p->T == 1;
  for (int i = 0; i < 3; i++)
    pointwise = pointwise && p->s[i] == 1 && p->pb[i] == 0 && p->in[i] == p->out[i];
  if (pointwise) {
    int64_t pix = p->in[0] * p->in[1] * p->in[2];
    for (int i = 0; i < 3; i++)
      p->in[i] = p->out[i] = i == 2 ? pix : 1;
  }
  const ir_tensor *t = ir_value_known(vw);
  p->wconst = t && t->data ? t : NULL;
  return OVCC_OK;
}

/* ---- shared addressing ---- */

static LLVMValueRef mul_add(cg_kernel *k, LLVMValueRef a, int64_t m, LLVMValueRef b) {
  return LLVMBuildAdd(k->b, LLVMBuildMul(k->b, a, cg_i64(k, m), ""), b, "");
}

LLVMValueRef conv_x_row(cg_kernel *k, const conv_plan *p, LLVMValueRef n, LLVMValueRef c,
                        LLVMValueRef id, LLVMValueRef ih) {
  LLVMValueRef r = mul_add(k, n, p->G * p->ICg, c);
  r = mul_add(k, r, p->in[0], id);
  r = mul_add(k, r, p->in[1], ih);
  return LLVMBuildMul(k->b, r, cg_i64(k, p->in[2]), "xrow");
}

ovcc_status conv_weights_f32(cg_kernel *k, const conv_plan *p, LLVMValueRef *wt,
                             LLVMTypeRef *w_mem) {
  if (!p->wconst)
    return OVCC_OK;
  uint64_t n = p->wconst->numel;
  float *buf = cg_pack_alloc(n);
  if (!buf)
    return cg_error(k, OVCC_ERR_NOMEM, "out of memory copying convolution weights");
  for (uint64_t i = 0; i < n; i++)
    buf[i] = (float)ir_elem_get_f64(p->wconst->et, p->wconst->data, i);
  uint32_t wb = cg_kernel_add_const(k, buf, n * sizeof(float));
  if (wb == UINT32_MAX)
    return k->d->status;
  *wt = cg_buf(k, wb);
  *w_mem = k->m->t_f32;
  return OVCC_OK;
}

LLVMValueRef conv_y_row(cg_kernel *k, const conv_plan *p, LLVMValueRef n, LLVMValueRef c,
                        LLVMValueRef od, LLVMValueRef oh) {
  LLVMValueRef r = mul_add(k, n, p->G * p->OCg, c);
  r = mul_add(k, r, p->out[0], od);
  r = mul_add(k, r, p->out[1], oh);
  return LLVMBuildMul(k->b, r, cg_i64(k, p->out[2]), "yrow");
}

static LLVMValueRef smax(cg_kernel *k, LLVMValueRef a, LLVMValueRef b) {
  return LLVMBuildSelect(k->b, LLVMBuildICmp(k->b, LLVMIntSGT, a, b, ""), a, b, "");
}
static LLVMValueRef smin(cg_kernel *k, LLVMValueRef a, LLVMValueRef b) {
  return LLVMBuildSelect(k->b, LLVMBuildICmp(k->b, LLVMIntSLT, a, b, ""), a, b, "");
}

/* Forward: taps t of dim i with 0 <= o*s - pb + t*dil < in, as [lo, hi). */
static void fwd_tap_range(cg_kernel *k, const conv_plan *p, int i, LLVMValueRef o,
                          LLVMValueRef *lo, LLVMValueRef *hi) {
  int64_t d = p->dil[i];
  /* base = o*s - pb; lo = ceil(-base / d) clipped at 0; hi = floor((in-1-base)/d)+1 */
  LLVMValueRef base = LLVMBuildSub(k->b, LLVMBuildMul(k->b, o, cg_i64(k, p->s[i]), ""),
                                   cg_i64(k, p->pb[i]), "");
  LLVMValueRef neg = LLVMBuildSub(k->b, cg_i64(k, d - 1), base, ""); /* -base + d - 1 */
  LLVMValueRef l = LLVMBuildSDiv(k->b, smax(k, neg, cg_i64(k, 0)), cg_i64(k, d), "");
  LLVMValueRef top = LLVMBuildSub(k->b, cg_i64(k, p->in[i] - 1), base, "");
  LLVMValueRef h = LLVMBuildAdd(
      k->b, LLVMBuildSDiv(k->b, smax(k, top, cg_i64(k, -1)), cg_i64(k, d), ""), cg_i64(k, 1), "");
  /* top = -1 gives 0 taps: sdiv(-1, d) is 0 in C semantics, so clamp first */
  h = LLVMBuildSelect(k->b, LLVMBuildICmp(k->b, LLVMIntSLT, top, cg_i64(k, 0), ""), cg_i64(k, 0),
                      h, "");
  *lo = l;
  *hi = smin(k, h, cg_i64(k, p->ker[i]));
}

/* Backprop: input coordinate of output o and tap t, and whether it exists. */
static LLVMValueRef bwd_coord(cg_kernel *k, const conv_plan *p, int i, LLVMValueRef o,
                              LLVMValueRef t, LLVMValueRef *valid) {
  LLVMValueRef num = LLVMBuildSub(k->b, LLVMBuildAdd(k->b, o, cg_i64(k, p->pb[i]), ""),
                                  LLVMBuildMul(k->b, t, cg_i64(k, p->dil[i]), ""), "");
  LLVMValueRef ok = LLVMBuildICmp(k->b, LLVMIntSGE, num, cg_i64(k, 0), "");
  LLVMValueRef q = num;
  if (p->s[i] != 1) {
    LLVMValueRef rem = LLVMBuildSRem(k->b, num, cg_i64(k, p->s[i]), "");
    ok = LLVMBuildAnd(k->b, ok, LLVMBuildICmp(k->b, LLVMIntEQ, rem, cg_i64(k, 0), ""), "");
    q = LLVMBuildSDiv(k->b, num, cg_i64(k, p->s[i]), "");
  }
  ok = LLVMBuildAnd(k->b, ok, LLVMBuildICmp(k->b, LLVMIntSLT, q, cg_i64(k, p->in[i]), ""), "");
  *valid = ok;
  return q;
}

void conv_for_taps_dh(cg_kernel *k, const conv_plan *p, LLVMValueRef od, LLVMValueRef oh,
                      conv_tap_body body, void *ctx) {
  cg_loop ld, lh;
  if (!p->bwd) {
    LLVMValueRef dlo, dhi, hlo, hhi;
    fwd_tap_range(k, p, 0, od, &dlo, &dhi);
    fwd_tap_range(k, p, 1, oh, &hlo, &hhi);
    LLVMValueRef dbase = LLVMBuildSub(k->b, LLVMBuildMul(k->b, od, cg_i64(k, p->s[0]), ""),
                                      cg_i64(k, p->pb[0]), "");
    LLVMValueRef hbase = LLVMBuildSub(k->b, LLVMBuildMul(k->b, oh, cg_i64(k, p->s[1]), ""),
                                      cg_i64(k, p->pb[1]), "");
    LLVMValueRef kd = cg_loop_begin(k, &ld, dlo, dhi, 1, "kd");
    LLVMValueRef id = mul_add(k, kd, p->dil[0], dbase);
    LLVMValueRef kh = cg_loop_begin(k, &lh, hlo, hhi, 1, "kh");
    LLVMValueRef ih = mul_add(k, kh, p->dil[1], hbase);
    body(k, ctx, kd, kh, id, ih);
    cg_loop_end(k, &lh);
    cg_loop_end(k, &ld);
    return;
  }
  LLVMValueRef kd = cg_loop_begin(k, &ld, cg_i64(k, 0), cg_i64(k, p->ker[0]), 1, "kd");
  LLVMValueRef vd, vh;
  LLVMValueRef id = bwd_coord(k, p, 0, od, kd, &vd);
  LLVMValueRef kh = cg_loop_begin(k, &lh, cg_i64(k, 0), cg_i64(k, p->ker[1]), 1, "kh");
  LLVMValueRef ih = bwd_coord(k, p, 1, oh, kh, &vh);
  cg_if c;
  cg_if_begin(k, &c, LLVMBuildAnd(k->b, vd, vh, ""));
  body(k, ctx, kd, kh, id, ih);
  cg_if_end(k, &c);
  cg_loop_end(k, &lh);
  cg_loop_end(k, &ld);
}

/* ---- channel-vector kernel ---- */

typedef struct chv {
  const conv_plan *p;
  cg_gemm_tile tile;
  int64_t NR, NP, CH, NCH; /* panel width, panels, pixels per chunk, chunks */
  LLVMValueRef x, y, packed;
  /* per item */
  LLVMValueRef n, g, od, oh, panel;
  /* per block */
  cg_gemm_acc *acc;
  LLVMValueRef ow0;
  int mr;
  bool edge; /* predicated loads */
  unsigned n_valid;
} chv;

/* The taps of one input row (kd, kh): per kw, each pixel's input column
 * (and, at the edges, whether it exists) is fixed, so the innermost loop
 * runs over input channels with only loads and fmas in it. */
static void chv_taps_w(cg_kernel *k, void *ctx, LLVMValueRef kd, LLVMValueRef kh, LLVMValueRef id,
                       LLVMValueRef ih) {
  chv *c = ctx;
  const conv_plan *p = c->p;
  unsigned w = c->tile.w;
  LLVMValueRef cin = LLVMBuildMul(k->b, c->g, cg_i64(k, p->ICg), "");
  LLVMValueRef xrow = conv_x_row(k, p, c->n, cin, id, ih);
  int64_t x_sic = p->in[0] * p->in[1] * p->in[2];
  /* packed row of (tap (kd, kh, kw=0), ic=0): panels are [tap][ic][NR] */
  LLVMValueRef tap0 = mul_add(k, mul_add(k, kd, p->ker[1], kh), p->ker[2], cg_i64(k, 0));
  LLVMValueRef panel = LLVMBuildAdd(k->b, LLVMBuildMul(k->b, c->g, cg_i64(k, c->NP), ""), c->panel, "");
  cg_loop lw;
  LLVMValueRef kw = cg_loop_begin(k, &lw, cg_i64(k, 0), cg_i64(k, p->ker[2]), 1, "kw");
  LLVMValueRef xat[CG_GEMM_MAX_MR], valid[CG_GEMM_MAX_MR];
  for (int r = 0; r < c->mr; r++) {
    LLVMValueRef ow = LLVMBuildAdd(k->b, c->ow0, cg_i64(k, r), "");
    LLVMValueRef iw;
    valid[r] = NULL;
    if (p->bwd) {
      iw = bwd_coord(k, p, 2, ow, kw, &valid[r]);
      valid[r] = LLVMBuildAnd(k->b, valid[r], LLVMBuildICmp(k->b, LLVMIntSGE, iw, cg_i64(k, 0), ""), "");
    } else {
      iw = LLVMBuildSub(k->b, mul_add(k, ow, p->s[2], LLVMBuildMul(k->b, kw, cg_i64(k, p->dil[2]), "")),
                        cg_i64(k, p->pb[2]), "");
      if (c->edge)
        valid[r] = LLVMBuildICmp(k->b, LLVMIntULT, iw, cg_i64(k, p->in[2]), "");
    }
    if (valid[r])
      iw = LLVMBuildSelect(k->b, valid[r], iw, cg_i64(k, 0), "");
    xat[r] = LLVMBuildAdd(k->b, xrow, iw, "");
  }
  LLVMValueRef prow = mul_add(k, LLVMBuildAdd(k->b, tap0, kw, ""), p->ICg,
                              LLVMBuildMul(k->b, panel, cg_i64(k, p->T * p->ICg), ""));
  prow = LLVMBuildMul(k->b, prow, cg_i64(k, c->NR), "");
  cg_loop li;
  LLVMValueRef ic = cg_loop_begin(k, &li, cg_i64(k, 0), cg_i64(k, p->ICg), 1, "ic");
  LLVMValueRef xoff = LLVMBuildMul(k->b, ic, cg_i64(k, x_sic), "");
  LLVMValueRef av[CG_GEMM_MAX_MR], bv[CG_GEMM_MAX_NV] = {0};
  for (int r = 0; r < c->mr; r++) {
    av[r] = cg_gemm_load_scalar(k, p->x_mem, c->x, LLVMBuildAdd(k->b, xat[r], xoff, ""));
    if (valid[r])
      av[r] = LLVMBuildSelect(k->b, valid[r], av[r], cg_f32(k, 0.0), "");
  }
  LLVMValueRef pk = mul_add(k, ic, c->NR, prow);
  for (int j = 0; j < c->tile.nv; j++) {
    if ((int64_t)j * w >= c->n_valid)
      break;
    bv[j] = cg_gemm_load_vec(k, k->m->t_f32, c->packed,
                             LLVMBuildAdd(k->b, pk, cg_i64(k, (int64_t)j * w), ""), w, w);
  }
  cg_gemm_acc_fma(k, c->acc, av, bv);
  cg_loop_end(k, &li);
  cg_loop_end(k, &lw);
}

/* One block of mr pixels from ow0. */
static void chv_block(cg_kernel *k, chv *c, LLVMValueRef ow0, int mr, bool edge,
                      const cg_gemm_epilogue *epi) {
  const conv_plan *p = c->p;
  cg_gemm_acc acc;
  cg_gemm_acc_init(k, &acc, c->tile, mr);
  cg_gemm_acc_zero(k, &acc);
  c->acc = &acc;
  c->ow0 = ow0;
  c->mr = mr;
  c->edge = edge;
  conv_for_taps_dh(k, p, c->od, c->oh, chv_taps_w, c);
  LLVMValueRef oc0 = LLVMBuildMul(k->b, c->panel, cg_i64(k, c->NR), "oc0");
  LLVMValueRef cout = LLVMBuildAdd(k->b, LLVMBuildMul(k->b, c->g, cg_i64(k, p->OCg), ""), oc0, "");
  LLVMValueRef yrow = conv_y_row(k, p, c->n, cout, c->od, c->oh);
  cg_gemm_out out = {.base = c->y, .mem = p->y_mem,
                     .col_stride = p->out[0] * p->out[1] * p->out[2],
                     .n_valid = c->n_valid, .row0 = ow0, .col0 = oc0};
  for (int r = 0; r < mr; r++)
    out.row_off[r] = LLVMBuildAdd(k->b, yrow, LLVMBuildAdd(k->b, ow0, cg_i64(k, r), ""), "");
  cg_gemm_acc_store(k, &acc, &out, epi);
}

/* Whether the block at ow0 reads only inside the row for every kw. */
static LLVMValueRef chv_interior(cg_kernel *k, const conv_plan *p, LLVMValueRef ow0, int mr) {
  LLVMValueRef first = LLVMBuildSub(k->b, LLVMBuildMul(k->b, ow0, cg_i64(k, p->s[2]), ""),
                                    cg_i64(k, p->pb[2]), "");
  LLVMValueRef last =
      LLVMBuildAdd(k->b, first, cg_i64(k, (mr - 1) * p->s[2] + (p->ker[2] - 1) * p->dil[2]), "");
  return LLVMBuildAnd(k->b, LLVMBuildICmp(k->b, LLVMIntSGE, first, cg_i64(k, 0), ""),
                      LLVMBuildICmp(k->b, LLVMIntSLT, last, cg_i64(k, p->in[2]), ""), "");
}

/* All blocks of chunk `ch` of the item's row. */
static void chv_row(cg_kernel *k, chv *c, LLVMValueRef ch, unsigned n_valid,
                    const cg_gemm_epilogue *epi) {
  const conv_plan *p = c->p;
  int mr = c->tile.mr;
  int64_t OW = p->out[2], full = OW / mr * mr;
  c->n_valid = n_valid;
  LLVMValueRef lo = LLVMBuildMul(k->b, ch, cg_i64(k, c->CH), "");
  LLVMValueRef hi = smin(k, LLVMBuildAdd(k->b, lo, cg_i64(k, c->CH), ""), cg_i64(k, full));
  cg_loop lb;
  LLVMValueRef ow0 = cg_loop_begin(k, &lb, lo, hi, mr, "ow");
  if (p->bwd) {
    chv_block(k, c, ow0, mr, true, epi);
  } else {
    cg_if in;
    cg_if_begin(k, &in, chv_interior(k, p, ow0, mr));
    chv_block(k, c, ow0, mr, false, epi);
    cg_if_else(k, &in);
    chv_block(k, c, ow0, mr, true, epi);
    cg_if_end(k, &in);
  }
  cg_loop_end(k, &lb);
  if (OW % mr) {
    cg_if last;
    cg_if_begin(k, &last, LLVMBuildICmp(k->b, LLVMIntEQ, ch, cg_i64(k, c->NCH - 1), ""));
    chv_block(k, c, cg_i64(k, full), (int)(OW % mr), true, epi);
    cg_if_end(k, &last);
  }
}

static ovcc_status conv_lower_chv(cg_kernel *k, const conv_plan *p, const cg_gemm_epilogue *epi) {
  chv c = {.p = p};
  c.tile = cg_gemm_pick_tile(k->m->target, p->out[2], p->OCg);
  c.NR = (int64_t)c.tile.nv * c.tile.w;
  c.NP = (p->OCg + c.NR - 1) / c.NR;
  /* pack every group's weights: [g][panel][tap][ic][NR] */
  cg_pack_src src = {.et = p->wconst->et, .data = p->wconst->data, .K1 = p->T, .s1 = 1,
                     .K2 = p->ICg, .s2 = p->w_sic, .N = p->OCg, .sn = p->w_soc};
  uint64_t per = cg_pack_panels_size(&src, (int)c.NR);
  float *buf = cg_pack_alloc(per * (uint64_t)p->G);
  if (!buf)
    return cg_error(k, OVCC_ERR_NOMEM, "out of memory packing convolution weights");
  for (int64_t g = 0; g < p->G; g++) {
    src.base = (uint64_t)(g * p->w_sg);
    cg_pack_panels(&src, (int)c.NR, buf + per * (uint64_t)g);
  }
  uint32_t wb = cg_kernel_add_const(k, buf, per * (uint64_t)p->G * sizeof(float));
  if (wb == UINT32_MAX)
    return k->d->status;
  c.x = cg_operand(k, 0);
  c.y = cg_result(k, 0);
  c.packed = cg_buf(k, wb);

  int64_t mr = c.tile.mr, blocks = (p->out[2] + mr - 1) / mr;
  int64_t rows = p->N * p->G * p->out[0] * p->out[1] * c.NP, want = 16;
  int64_t nch = rows >= want ? 1 : (want + rows - 1) / rows;
  nch = nch > blocks ? blocks : nch < 1 ? 1 : nch;
  c.CH = (blocks + nch - 1) / nch * mr;
  c.NCH = (p->out[2] + c.CH - 1) / c.CH;
  k->work = rows * c.NCH;
  k->cost = (double)c.CH * p->ICg * p->T * c.tile.nv / 2.0 + 1.0;

  cg_loop il;
  LLVMValueRef item = cg_loop_begin(k, &il, k->begin, k->end, 1, "item");
  LLVMValueRef t = item;
#define NEXT(var, extent)                                                                          \
  LLVMValueRef var = LLVMBuildURem(k->b, t, cg_i64(k, (extent)), #var);                           \
  t = LLVMBuildUDiv(k->b, t, cg_i64(k, (extent)), "")
  /* Consecutive items (one thread's range) share a row's input when the
   * panel varies fastest, or a panel's weights when it varies slowest: the
   * latter once a group's packed weights outgrow the L2 cache (~256 KiB). */
  bool panel_outer = per * sizeof(float) > 262144;
  LLVMValueRef panel = NULL;
  if (!panel_outer) {
    NEXT(pin, c.NP);
    panel = pin;
  }
  NEXT(ch, c.NCH);
  NEXT(oh, p->out[1]);
  NEXT(od, p->out[0]);
  NEXT(g, p->G);
  if (panel_outer) {
    NEXT(pout, p->N);
    c.n = pout;
    panel = t;
  } else {
    c.n = t;
  }
#undef NEXT
  c.g = g;
  c.od = od;
  c.oh = oh;
  c.panel = panel;
  unsigned last_cols = (unsigned)(p->OCg - (c.NP - 1) * c.NR);
  if (last_cols != c.NR) {
    cg_if lp;
    cg_if_begin(k, &lp, LLVMBuildICmp(k->b, LLVMIntEQ, panel, cg_i64(k, c.NP - 1), ""));
    chv_row(k, &c, ch, last_cols, epi);
    cg_if_else(k, &lp);
    chv_row(k, &c, ch, (unsigned)c.NR, epi);
    cg_if_end(k, &lp);
  } else {
    chv_row(k, &c, ch, (unsigned)c.NR, epi);
  }
  cg_loop_end(k, &il);
  return OVCC_OK;
}

/* ---- choice ---- */

ovcc_status cg_lower_conv(cg_kernel *k, const ir_op *op, const cg_gemm_epilogue *epi) {
  conv_plan p;
  IR_TRY(conv_plan_make(k, op, &p));
  if (cg_numel(&op->results[0]) == 0) {
    k->work = 0;
    return OVCC_OK;
  }
  if (conv_deconv_fits(k->m->target, &p))
    return conv_lower_deconv(k, &p, epi);
  if (conv_dw_fits(&p) && !(epi && epi->fn))
    return conv_lower_dw(k, &p, epi);
  unsigned w = cg_gemm_lanes(k->m->target);
  double chv_fit = (double)p.OCg / (double)(((p.OCg + w - 1) / w) * w);
  double pix_fit = conv_pixel_fit(k->m->target, &p);
  if (p.wconst && chv_fit > pix_fit)
    return conv_lower_chv(k, &p, epi);
  return conv_lower_pixel(k, &p, epi);
}
