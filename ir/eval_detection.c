/* Evaluators of PriorBox (v1, v8) and PriorBoxClustered-1, which real models
 * constant-fold: their inputs are the (known) feature-map and image sizes.
 *
 * The arithmetic follows OpenVINO's reference implementations
 * (reference/prior_box.hpp, prior_box_clustered.hpp) step by step in float,
 * attribute values rounded to float first, so that folded priors match
 * OpenVINO's bit for bit. The output is [2, 4 * H * W * priors]: row 0 the
 * boxes (xmin, ymin, xmax, ymax), row 1 the variances. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "ir.h"

enum { MAX_RATIOS = 130 }; /* aspect ratios after flipping, plus 1 */

static uint32_t floats_get(const ir_op *op, const char *name, const double **v) {
  const ir_attr_value *a = ir_op_attr(op, name);
  if (!a || a->kind != IR_ATTR_FLOATS) {
    *v = NULL;
    return 0;
  }
  *v = a->u.floats.v;
  return a->u.floats.n;
}

/* H, W from input 0 and image H, W from input 1. */
static ovcc_status read_sizes(const ir_tensor *in, int64_t *h, int64_t *w, int64_t *ih,
                              int64_t *iw) {
  if (in[0].numel != 2 || in[1].numel != 2)
    return OVCC_ERR_UNSUPPORTED;
  *h = ir_elem_get_i64(in[0].et, in[0].data, 0);
  *w = ir_elem_get_i64(in[0].et, in[0].data, 1);
  *ih = ir_elem_get_i64(in[1].et, in[1].data, 0);
  *iw = ir_elem_get_i64(in[1].et, in[1].data, 1);
  if (*h <= 0 || *w <= 0 || *ih <= 0 || *iw <= 0)
    return OVCC_ERR_UNSUPPORTED;
  return OVCC_OK;
}

/* Variances: empty -> {0.1}; 1 or 4 values. Returns the count, or -1. */
static int read_variances(const ir_op *op, float *var) {
  const double *v;
  uint32_t n = floats_get(op, "variance", &v);
  if (n == 0) {
    var[0] = 0.1f;
    return 1;
  }
  if (n != 1 && n != 4)
    return -1;
  for (uint32_t i = 0; i < n; i++)
    var[i] = (float)v[i];
  return (int)n;
}

static void write_variances(float *dst, uint64_t row, uint64_t boxes, const float *var, int nv) {
  for (uint64_t i = 0; i < boxes; i++)
    for (int j = 0; j < 4; j++)
      dst[row + i * 4 + (uint64_t)j] = var[nv == 1 ? 0 : j];
}

/* ---- PriorBoxClustered ---- */

ovcc_status ir_eval_prior_box_clustered(ir_op *op, const ir_tensor *in, ir_tensor *out,
                                        ir_diag *d) {
  int64_t H, W, IH, IW;
  IR_TRY(read_sizes(in, &H, &W, &IH, &IW));
  const double *wd, *ht;
  uint32_t np = floats_get(op, "width", &wd);
  if (floats_get(op, "height", &ht) != np || np == 0 || out[0].et != IR_ET_F32)
    return OVCC_ERR_UNSUPPORTED;
  uint64_t row = (uint64_t)H * (uint64_t)W * np * 4;
  if (out[0].numel != 2 * row)
    return OVCC_ERR_UNSUPPORTED;
  float var[4];
  int nv = read_variances(op, var);
  if (nv < 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "variance must have 0, 1 or 4 values");
  float step = (float)ir_op_attr_float(op, "step", 0);
  float step_w = (float)ir_op_attr_float(op, "step_w", 0);
  float step_h = (float)ir_op_attr_float(op, "step_h", 0);
  float offset = (float)ir_op_attr_float(op, "offset", 0.5);
  bool clip = ir_op_attr_bool(op, "clip", true);
  if (step_w == 0)
    step_w = step;
  if (step_h == 0)
    step_h = step;
  if (step_w == 0 && step_h == 0) {
    step_w = (float)IW / (float)W;
    step_h = (float)IH / (float)H;
  }
  float *dst = out[0].data;
  for (int64_t h = 0; h < H; h++)
    for (int64_t w = 0; w < W; w++) {
      float cx = ((float)w + offset) * step_w, cy = ((float)h + offset) * step_h;
      for (uint32_t s = 0; s < np; s++) {
        float bw = (float)wd[s], bh = (float)ht[s];
        float b[4] = {(cx - bw / 2.0f) / (float)IW, (cy - bh / 2.0f) / (float)IH,
                      (cx + bw / 2.0f) / (float)IW, (cy + bh / 2.0f) / (float)IH};
        uint64_t idx = (((uint64_t)h * (uint64_t)W + (uint64_t)w) * np + s) * 4;
        for (int k = 0; k < 4; k++)
          dst[idx + (uint64_t)k] = clip ? fminf(fmaxf(b[k], 0.0f), 1.0f) : b[k];
      }
    }
  write_variances(dst, row, row / 4, var, nv);
  return OVCC_OK;
}

/* ---- PriorBox ---- */

typedef struct pb_writer {
  float *dst;
  uint64_t idx, cap; /* floats written / allowed in row 0 */
  float iwi, ihi;
} pb_writer;

/* One box. The output holds number_of_priors boxes per cell, but with
 * scale_all_sizes=false and max_size OpenVINO writes more (min, max and ratio
 * boxes): its boxes run on into the variance row, which then overwrites them,
 * so the output is the first `cap` values of the box stream. Boxes past the
 * row are dropped. */
static void pb_box(pb_writer *p, float cx, float cy, float bw, float bh, bool clip) {
  if (p->idx + 4 > p->cap)
    return;
  float b[4] = {(cx - bw) * p->iwi, (cy - bh) * p->ihi, (cx + bw) * p->iwi, (cy + bh) * p->ihi};
  if (clip) {
    b[0] = b[0] > 0 ? b[0] : 0;
    b[1] = b[1] > 0 ? b[1] : 0;
    b[2] = b[2] < 1 ? b[2] : 1;
    b[3] = b[3] < 1 ? b[3] : 1;
  }
  memcpy(p->dst + p->idx, b, sizeof b);
  p->idx += 4;
}

/* Reference order of aspect ratios: 1, then each new ratio (and its inverse with flip). */
static int pb_ratios(const ir_op *op, float *ar) {
  const double *v;
  uint32_t n = floats_get(op, "aspect_ratio", &v);
  bool flip = ir_op_attr_bool(op, "flip", false);
  int k = 0;
  ar[k++] = 1.0f;
  for (uint32_t i = 0; i < n; i++) {
    float r = (float)v[i];
    bool exist = false;
    for (int j = 0; j < k; j++)
      exist |= fabsf(r - ar[j]) < 1e-6f;
    if (exist)
      continue;
    if (k + 2 > MAX_RATIOS)
      return -1;
    ar[k++] = r;
    if (flip)
      ar[k++] = 1.0f / r;
  }
  return k;
}

/* The density grid of one fixed size: density^2 boxes around the centre. */
static void pb_density(pb_writer *p, float cx, float cy, float fs, int64_t density, float bw,
                       float bh) {
  size_t fixed = (size_t)fs;
  int64_t shift = (int64_t)(fs / (float)density);
  for (int64_t r = 0; r < density; r++)
    for (int64_t c = 0; c < density; c++) {
      float x = cx - (float)(fixed / 2) + (float)shift / 2.f + (float)(c * shift);
      float y = cy - (float)(fixed / 2) + (float)shift / 2.f + (float)(r * shift);
      pb_box(p, x, y, bw, bh, true);
    }
}

typedef struct pb_attrs {
  const double *fixed, *ratio, *density, *max;
  uint32_t nfixed, nratio, ndensity, nmax, nmin;
  float min[64];
  float ar[MAX_RATIOS];
  int nar;
  bool scale_all, order;
} pb_attrs;

static void pb_fixed(pb_writer *p, const pb_attrs *a, float cx, float cy) {
  for (uint32_t s = 0; s < a->nfixed; s++) {
    float fs = (float)a->fixed[s];
    int64_t density = (int64_t)a->density[s];
    if (a->nratio) {
      for (uint32_t i = 0; i < a->nratio; i++) {
        float r = sqrtf((float)a->ratio[i]);
        pb_density(p, cx, cy, fs, density, fs * 0.5f * r, fs * 0.5f / r);
      }
      continue;
    }
    float half = (float)(size_t)fs * 0.5f;
    if (a->ndensity)
      pb_density(p, cx, cy, fs, density, half, half);
    for (int i = 0; i < a->nar; i++) {
      if (fabsf(a->ar[i] - 1.0f) < 1e-6f)
        continue;
      float r = sqrtf(a->ar[i]);
      pb_density(p, cx, cy, fs, density, fs * 0.5f * r, fs * 0.5f / r);
    }
  }
}

static void pb_ratio_boxes(pb_writer *p, const pb_attrs *a, uint32_t ms, float cx, float cy) {
  if (!a->scale_all && ms != a->nmin - 1)
    return;
  uint32_t si = a->scale_all ? ms : 0;
  for (int i = 0; i < a->nar; i++) {
    if (fabsf(a->ar[i] - 1.0f) < 1e-6f)
      continue;
    float r = sqrtf(a->ar[i]);
    pb_box(p, cx, cy, a->min[si] * 0.5f * r, a->min[si] * 0.5f / r, false);
  }
}

static void pb_min_max(pb_writer *p, const pb_attrs *a, float cx, float cy) {
  for (uint32_t ms = 0; ms < a->nmin; ms++) {
    float half = a->min[ms] * 0.5f;
    pb_box(p, cx, cy, half, half, false);
    bool has_max = a->nmax > ms;
    float mm = has_max ? sqrtf(a->min[ms] * (float)a->max[ms]) * 0.5f : 0;
    if (a->order && has_max)
      pb_box(p, cx, cy, mm, mm, false);
    pb_ratio_boxes(p, a, ms, cx, cy);
    if (!a->order && has_max)
      pb_box(p, cx, cy, mm, mm, false);
  }
}

ovcc_status ir_eval_prior_box(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  int64_t H, W, IH, IW;
  IR_TRY(read_sizes(in, &H, &W, &IH, &IW));
  if (out[0].et != IR_ET_F32 || out[0].shape.rank != 2)
    return OVCC_ERR_UNSUPPORTED;
  uint64_t row = (uint64_t)out[0].shape.d[1].lo;
  pb_attrs a;
  memset(&a, 0, sizeof a);
  const double *mins;
  a.nmin = floats_get(op, "min_size", &mins);
  a.nmax = floats_get(op, "max_size", &a.max);
  a.nfixed = floats_get(op, "fixed_size", &a.fixed);
  a.nratio = floats_get(op, "fixed_ratio", &a.ratio);
  a.ndensity = floats_get(op, "density", &a.density);
  a.scale_all = ir_op_attr_bool(op, "scale_all_sizes", true);
  a.order = op->kind == IR_OP_PRIORBOX_1 || ir_op_attr_bool(op, "min_max_aspect_ratios_order", true);
  a.nar = pb_ratios(op, a.ar);
  float var[4];
  int nv = read_variances(op, var);
  if (nv < 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "variance must have 0, 1 or 4 values");
  if (a.nar < 0 || a.nmin > 64 || (a.nfixed && a.ndensity < a.nfixed))
    return OVCC_ERR_UNSUPPORTED;
  float step = (float)ir_op_attr_float(op, "step", 0);
  for (uint32_t i = 0; i < a.nmin; i++)
    a.min[i] = (float)mins[i];
  if (!a.scale_all) { /* mxnet-like PriorBox */
    step = step == -1 ? 1.f * (float)IH / (float)H : step * (float)IH;
    for (uint32_t i = 0; i < a.nmin; i++)
      a.min[i] *= (float)IH;
  }
  float offset = (float)ir_op_attr_float(op, "offset", 0.5);
  float step_x = step == 0 ? (float)IW / (float)W : step;
  float step_y = step == 0 ? (float)IH / (float)H : step;
  pb_writer p = {out[0].data, 0, row, 1.0f / (float)IW, 1.0f / (float)IH};
  for (int64_t h = 0; h < H; h++)
    for (int64_t w = 0; w < W; w++) {
      float cx = step == 0 ? ((float)w + 0.5f) * step_x : (offset + (float)w) * step;
      float cy = step == 0 ? ((float)h + 0.5f) * step_y : (offset + (float)h) * step;
      pb_fixed(&p, &a, cx, cy);
      pb_min_max(&p, &a, cx, cy);
    }
  if (ir_op_attr_bool(op, "clip", false))
    for (uint64_t i = 0; i < row; i++)
      p.dst[i] = fminf(fmaxf(p.dst[i], 0.0f), 1.0f);
  write_variances(p.dst, row, row / 4, var, nv);
  return OVCC_OK;
}
