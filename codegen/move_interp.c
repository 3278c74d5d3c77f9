/* Interpolate (v1, v4, v11): nearest (every rounding mode), linear_onnx,
 * cubic and linear under every coordinate transformation,
 * following OpenVINO's CPU plugin (nodes/interpolate.cpp tables and the
 * reference executor): coordinates are computed in float exactly as there,
 * at compile time, into per-axis tap tables (input offset, weight).
 *
 * Nearest is a pure gather: a view with one table per resized axis. The
 * other modes sum weight * input over the tensor product of every resized
 * axis' taps in f32 (linear also divides by the weight sum, as OpenVINO's
 * linear kernel does). An axis whose size does not change is the identity
 * in every mode and is left out. v1 is read as OpenVINO's
 * ConvertInterpolate1ToInterpolate4 rewrites it. The pillow modes (v11) use
 * the CPU plugin's tables (buildTblPillow): a normalized filter window per
 * output coordinate around Pillow's sample centre; OpenVINO runs them as
 * two passes, here the taps multiply out like the other modes (f32 rounding
 * apart, the same sums). Non-zero pads are not supported yet. Antialias is
 * ignored, as OpenVINO's CPU plugin does (checked against OpenVINO 2026.4). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "move_internal.h"

enum interp_mode {
  IM_NEAREST,
  IM_LINEAR,
  IM_LINEAR_ONNX,
  IM_CUBIC,
  IM_PILLOW_LINEAR,
  IM_PILLOW_CUBIC
};
enum coord_mode { CT_HALF_PIXEL, CT_PYTORCH_HALF_PIXEL, CT_ASYMMETRIC, CT_TF_HALF_PIXEL, CT_ALIGN_CORNERS };
enum near_mode { NM_ROUND_PREFER_FLOOR, NM_ROUND_PREFER_CEIL, NM_FLOOR, NM_CEIL, NM_SIMPLE };

typedef struct interp_cfg {
  enum interp_mode mode;
  enum coord_mode coord;
  enum near_mode near;
  float cube_coeff;
  int rank;
  int64_t in[IR_MAX_RANK], out[IR_MAX_RANK], ist[IR_MAX_RANK];
  float scale[IR_MAX_RANK];
} interp_cfg;

static int enum_index(const char *s, const char *const *names, int n) {
  for (int i = 0; i < n; i++)
    if (strcmp(s, names[i]) == 0)
      return i;
  return -1;
}

/* ---- reading the op ---- */

static ovcc_status read_v1(cg_kernel *k, interp_cfg *c) {
  const ir_op *op = k->op;
  const char *m = ir_op_attr_str(op, "mode", "nearest");
  uint32_t na;
  const int64_t *axes = ir_op_attr_ints(op, "axes", &na);
  c->near = NM_SIMPLE;
  c->coord = CT_ASYMMETRIC;
  c->cube_coeff = -0.75f;
  if (strcmp(m, "nearest") == 0)
    c->mode = IM_NEAREST;
  else if (strcmp(m, "cubic") == 0)
    c->mode = IM_CUBIC;
  else if (strcmp(m, "linear") == 0)
    c->mode = c->rank < 5 ? IM_LINEAR_ONNX : IM_LINEAR;
  else
    return CG_UNSUPPORTED(k, "Interpolate-1 mode %s", m);
  bool hw = c->rank == 4 && na == 2 && axes && axes[0] == 2 && axes[1] == 3;
  if (ir_op_attr_bool(op, "align_corners", false))
    c->coord = CT_ALIGN_CORNERS;
  else if ((c->mode == IM_LINEAR_ONNX || c->mode == IM_LINEAR) && !hw)
    c->coord = CT_HALF_PIXEL; /* pads are checked to be zero by the caller */
  for (int i = 0; i < c->rank; i++)
    c->scale[i] = (float)c->out[i] / (float)c->in[i];
  return OVCC_OK;
}

static ovcc_status read_v4(cg_kernel *k, interp_cfg *c) {
  static const char *const modes[] = {"nearest", "linear", "linear_onnx", "cubic",
                                      "bilinear_pillow", "bicubic_pillow"};
  static const char *const coords[] = {"half_pixel", "pytorch_half_pixel", "asymmetric",
                                       "tf_half_pixel_for_nn", "align_corners"};
  static const char *const nears[] = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil",
                                      "simple"};
  const ir_op *op = k->op;
  const char *m = ir_op_attr_str(op, "mode", "nearest");
  int mi = enum_index(m, modes, 6);
  int ci = enum_index(ir_op_attr_str(op, "coordinate_transformation_mode", "half_pixel"), coords, 5);
  int ni = enum_index(ir_op_attr_str(op, "nearest_mode", "round_prefer_floor"), nears, 5);
  if (mi < 0 || ci < 0 || ni < 0)
    return CG_UNSUPPORTED(k, "Interpolate mode %s is unsupported", m);
  c->mode = (enum interp_mode)mi;
  c->coord = (enum coord_mode)ci;
  c->near = (enum near_mode)ni;
  c->cube_coeff = (float)ir_op_attr_float(op, "cube_coeff", -0.75);
  bool v11 = op->kind == IR_OP_INTERPOLATE_11;
  bool by_scales = strcmp(ir_op_attr_str(op, "shape_calculation_mode", "sizes"), "scales") == 0;
  for (int i = 0; i < c->rank; i++)
    c->scale[i] = (float)c->out[i] / (float)c->in[i];
  if (!by_scales)
    return OVCC_OK;
  uint32_t si = v11 ? 1 : 2, ai = v11 ? 2 : 3;
  const ir_tensor *st = si < op->n_operands ? ir_value_known(ir_op_operand(op, si)) : NULL;
  if (!st || !ir_etype_is_float(st->et) || st->numel > IR_MAX_RANK)
    return CG_UNSUPPORTED(k, "Interpolate scales must be compile-time constants");
  int64_t axes[IR_MAX_RANK];
  int na = c->rank;
  for (int i = 0; i < c->rank; i++)
    axes[i] = i;
  if (ai < op->n_operands && (na = mv_const_ints(k, ai, axes, IR_MAX_RANK, "Interpolate axes")) < 0)
    return k->d->status;
  if ((uint64_t)na != st->numel)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "%d axes for %llu scales", na,
                    (unsigned long long)st->numel);
  for (int j = 0; j < na; j++) {
    int64_t a;
    if (!ir_axis_normalize(axes[j], c->rank, &a, k->d))
      return cg_error(k, OVCC_ERR_INVALID_MODEL, "axis %lld is out of range", (long long)axes[j]);
    c->scale[a] = (float)ir_elem_get_f64(st->et, st->data, (uint64_t)j);
  }
  return OVCC_OK;
}

static bool pads_zero(const ir_op *op) {
  static const char *const names[] = {"pads_begin", "pads_end"};
  for (int p = 0; p < 2; p++) {
    uint32_t n;
    const int64_t *v = ir_op_attr_ints(op, names[p], &n);
    for (uint32_t i = 0; v && i < n; i++)
      if (v[i])
        return false;
  }
  return true;
}

/* ---- coordinates (float, as OpenVINO computes them) ---- */

static float coord_to_input(const interp_cfg *c, int o, float scale, int in, int out) {
  if (scale == 1.0f || in == out)
    return (float)o;
  switch (c->coord) {
  case CT_HALF_PIXEL:
    return ((float)o + 0.5f) / scale - 0.5f;
  case CT_PYTORCH_HALF_PIXEL:
    return out > 1 ? ((float)o + 0.5f) / scale - 0.5f : 0.0f;
  case CT_ASYMMETRIC:
    return (float)o / scale;
  case CT_TF_HALF_PIXEL:
    return ((float)o + 0.5f) / scale;
  default: /* align_corners */
    return out > 1 ? (float)o * ((float)(in - 1) / (float)(out - 1)) : 0.0f;
  }
}

static int nearest_round(float x, bool down, enum near_mode m) {
  switch (m) {
  case NM_ROUND_PREFER_FLOOR:
    if (x == (float)(int)x + 0.5f)
      return (int)floorf(x);
    return (int)roundf(x);
  case NM_ROUND_PREFER_CEIL:
    return (int)roundf(x);
  case NM_FLOOR:
    return (int)floorf(x);
  case NM_CEIL:
    return (int)ceilf(x);
  default:
    return down ? (int)ceilf(x) : (int)x;
  }
}

static int64_t clip(int64_t v, int64_t n) { return v < 0 ? 0 : v >= n ? n - 1 : v; }

/* ---- nearest: a gather view ---- */

static ovcc_status lower_nearest(cg_kernel *k, const interp_cfg *c, unsigned es) {
  mv_view v;
  mv_view_init(&v, es, 0, k->op->n_operands);
  for (int i = 0; i < c->rank; i++) {
    int a = mv_view_axis(&v, c->out[i], c->ist[i], 0);
    if (c->in[i] == c->out[i])
      continue;
    int64_t *t = malloc((size_t)c->out[i] * sizeof *t);
    if (!t) {
      for (int j = 0; j < v.rank; j++)
        free(v.table[j]);
      return cg_error(k, OVCC_ERR_NOMEM, "out of memory for an index table");
    }
    for (int64_t o = 0; o < c->out[i]; o++) {
      float x = coord_to_input(c, (int)o, c->scale[i], (int)c->in[i], (int)c->out[i]);
      t[o] = clip(nearest_round(x, c->scale[i] < 1.0f, c->near), c->in[i]) * c->ist[i];
    }
    v.table[a] = t;
  }
  mv_view_dense_dst(&v);
  return mv_emit_kernel(k, &v);
}

/* ---- weighted modes: per-axis taps ---- */

typedef struct axis_taps {
  int axis;
  int taps;
  int64_t *off; /* [out * taps] input element offsets */
  float *w;     /* [out * taps] weights */
} axis_taps;

static float cubic_coeff(float m, float a, int j) {
  m = fabsf(m);
  switch (j) {
  case 0:
    return a * (m - 1.0f) * (m - 1.0f) * m;
  case 1:
    return ((a + 2.0f) * m - (a + 3.0f)) * m * m + 1.0f;
  case 2:
    return (((-a - 2.0f) * m + (2.0f * a + 3.0f)) * m - a) * m;
  default:
    return -a * m * m * (m - 1.0f);
  }
}

static float triangle(float x) {
  float ax = fabsf(x);
  return ax < 1.0f ? 1.0f - ax : 0.0f;
}

/* Pillow's bicubic kernel with a = -0.5 (cube_coeff does not apply), in
 * double as OpenVINO evaluates it, rounded to f32. */
static float pillow_cubic(float m) {
  const double a = -0.5;
  m = fabsf(m);
  if (m < 1.0f)
    return (float)(((a + 2.0) * m - (a + 3.0)) * m * m + 1.0);
  if (m < 2.0f)
    return (float)((((m - 5) * m + 8) * m - 4) * a);
  return 0.0f;
}

/* The pillow filter of an axis: scale_clip = max(1, in/out) widens it when
 * downscaling; `taps` is the most input samples one output reads. The scale
 * is out/in even when the op gives scales (as OpenVINO's CPU plugin 2026.4
 * computes: checked with scales 1.7 and 0.6 that floor to other sizes). */
typedef struct pillow_filter {
  float scale, radius, recip;
  int taps;
} pillow_filter;

static pillow_filter pillow_filter_of(const interp_cfg *c, int i) {
  pillow_filter f;
  f.scale = (float)c->out[i] / (float)c->in[i];
  float down = 1.0f / f.scale;
  float clip_scale = down < 1.0f ? 1.0f : down;
  f.recip = 1.0f / clip_scale;
  f.radius = (c->mode == IM_PILLOW_LINEAR ? 1.0f : 2.0f) * clip_scale;
  f.taps = (int)(ceilf(f.radius) * 2 + 1);
  return f;
}

/* Window [lo, lo + n) of input samples around Pillow's centre (o + 0.5) /
 * scale, weights normalized to sum 1; the taps past n weigh 0. OpenVINO's CPU
 * plugin ignores coordinate_transformation_mode here (checked against 2026.4:
 * all five give the same result). */
static void pillow_taps(const interp_cfg *c, int i, int64_t o, int64_t *off, float *w) {
  int in = (int)c->in[i];
  pillow_filter f = pillow_filter_of(c, i);
  float x = ((float)o + 0.5f) / f.scale;
  int lo = (int)(x - f.radius + 0.5f), hi = (int)(x + f.radius + 0.5f);
  lo = lo < 0 ? 0 : lo;
  hi = hi > in ? in : hi;
  int n = hi - lo;
  float sum = 0.0f;
  for (int j = 0; j < n; j++) {
    float d = (float)((double)((float)(j + lo) - x) + 0.5) * f.recip;
    w[j] = c->mode == IM_PILLOW_LINEAR ? triangle(d) : pillow_cubic(d);
    sum += w[j];
  }
  for (int j = 0; j < f.taps; j++) {
    if (j < n && sum != 0.0f)
      w[j] /= sum;
    else if (j >= n)
      w[j] = 0.0f;
    off[j] = (j < n ? lo + j : lo) * c->ist[i];
  }
}

/* Taps of one output coordinate o on axis i into off/w (count = t->taps). */
static void fill_taps(const interp_cfg *c, int i, int64_t o, float aa, int radius, int64_t *off,
                      float *w) {
  int in = (int)c->in[i];
  float x = coord_to_input(c, (int)o, c->scale[i], in, (int)c->out[i]);
  int64_t st = c->ist[i];
  if (c->mode == IM_PILLOW_LINEAR || c->mode == IM_PILLOW_CUBIC) {
    pillow_taps(c, i, o, off, w);
  } else if (c->mode == IM_LINEAR_ONNX) {
    x = fmaxf(0.0f, fminf(x, (float)(in - 1)));
    int i0 = (int)x < in - 1 ? (int)x : in - 1;
    int i1 = i0 + 1 < in - 1 ? i0 + 1 : in - 1;
    off[0] = i0 * st;
    off[1] = i1 * st;
    w[0] = i0 == i1 ? 0.5f : fabsf(x - (float)i1);
    w[1] = i0 == i1 ? 0.5f : fabsf(x - (float)i0);
  } else if (c->mode == IM_CUBIC) {
    int org = (int)floorf(x);
    float m = x - (float)org;
    for (int j = 0; j < 4; j++) {
      off[j] = clip(org - 1 + j, in) * st;
      w[j] = cubic_coeff(m, c->cube_coeff, j);
    }
  } else { /* linear: triangle window, out-of-range taps weigh 0 */
    int r0 = (int)roundf(x) - radius;
    for (int j = 0; j <= 2 * radius; j++) {
      int r = r0 + j;
      bool inside = r >= 0 && r < in;
      off[j] = inside ? r * st : 0;
      w[j] = inside ? aa * triangle(aa * (x - (float)r)) : 0.0f;
    }
  }
}

static ovcc_status build_taps(cg_kernel *k, const interp_cfg *c, axis_taps *t, int *n) {
  *n = 0;
  for (int i = 0; i < c->rank; i++) {
    if (c->in[i] == c->out[i])
      continue;
    /* OpenVINO's CPU plugin (2026.4) gives antialias=true the antialias=false
     * result for linear: follow it rather than the spec's widened kernel. */
    float aa = 1.0f;
    int radius = c->scale[i] > 1.0f ? 2 : (int)ceilf(2.0f / aa);
    axis_taps *a = &t[(*n)++];
    a->axis = i;
    bool pillow = c->mode == IM_PILLOW_LINEAR || c->mode == IM_PILLOW_CUBIC;
    a->taps = pillow                    ? pillow_filter_of(c, i).taps
              : c->mode == IM_LINEAR_ONNX ? 2
              : c->mode == IM_CUBIC       ? 4
                                          : 2 * radius + 1;
    a->off = malloc((size_t)(c->out[i] * a->taps) * sizeof *a->off);
    a->w = malloc((size_t)(c->out[i] * a->taps) * sizeof *a->w);
    if (!a->off || !a->w)
      return cg_error(k, OVCC_ERR_NOMEM, "out of memory for interpolation tables");
    for (int64_t o = 0; o < c->out[i]; o++)
      fill_taps(c, i, o, aa, radius, a->off + o * a->taps, a->w + o * a->taps);
  }
  return OVCC_OK;
}

typedef struct interp_emit {
  cg_kernel *k;
  const interp_cfg *c;
  const axis_taps *t;
  int n;
  LLVMValueRef x, off_tab[IR_MAX_RANK], w_tab[IR_MAX_RANK];
  LLVMValueRef tap0[IR_MAX_RANK]; /* first tap index of the current coordinate */
  LLVMValueRef acc, wsum;         /* f32 allocas */
  ir_etype et;
  LLVMTypeRef mt;
} interp_emit;

static LLVMValueRef load_f32(interp_emit *e, LLVMValueRef off) {
  cg_kernel *k = e->k;
  LLVMValueRef v = LLVMBuildLoad2(k->b, e->mt, cg_gep(k, e->mt, e->x, off), "");
  if (ir_etype_is_float(e->et))
    return LLVMBuildFPCast(k->b, v, k->m->t_f32, "");
  return ir_etype_is_signed(e->et) ? LLVMBuildSIToFP(k->b, v, k->m->t_f32, "")
                                   : LLVMBuildUIToFP(k->b, v, k->m->t_f32, "");
}

/* acc += w * x[off] over the taps of axes level..n-1. */
static void emit_taps(interp_emit *e, int level, LLVMValueRef off, LLVMValueRef w) {
  cg_kernel *k = e->k;
  if (level == e->n) {
    LLVMValueRef v = load_f32(e, off);
    LLVMValueRef a = LLVMBuildLoad2(k->b, k->m->t_f32, e->acc, "");
    LLVMBuildStore(k->b, LLVMBuildFAdd(k->b, a, LLVMBuildFMul(k->b, w, v, ""), ""), e->acc);
    if (e->c->mode == IM_LINEAR) {
      LLVMValueRef s = LLVMBuildLoad2(k->b, k->m->t_f32, e->wsum, "");
      LLVMBuildStore(k->b, LLVMBuildFAdd(k->b, s, w, ""), e->wsum);
    }
    return;
  }
  cg_loop l;
  LLVMValueRef j = cg_loop_begin(k, &l, cg_i64(k, 0), cg_i64(k, e->t[level].taps), 1, "tap");
  LLVMValueRef at = LLVMBuildAdd(k->b, e->tap0[level], j, "");
  LLVMValueRef o = LLVMBuildLoad2(k->b, k->m->t_i64, cg_gep(k, k->m->t_i64, e->off_tab[level], at), "");
  LLVMValueRef wt = LLVMBuildLoad2(k->b, k->m->t_f32, cg_gep(k, k->m->t_f32, e->w_tab[level], at), "");
  emit_taps(e, level + 1, LLVMBuildAdd(k->b, off, o, ""), w ? LLVMBuildFMul(k->b, w, wt, "") : wt);
  cg_loop_end(k, &l);
}

static LLVMValueRef from_f32(interp_emit *e, LLVMValueRef v, LLVMTypeRef ot, ir_etype oet) {
  cg_kernel *k = e->k;
  if (ir_etype_is_float(oet))
    return LLVMBuildFPCast(k->b, v, ot, "");
  if (ir_etype_is_signed(oet))
    return LLVMBuildFPToSI(k->b, v, ot, "");
  LLVMValueRef neg = LLVMBuildFCmp(k->b, LLVMRealOLT, v, cg_f32(k, 0.0), "");
  return LLVMBuildFPToUI(k->b, LLVMBuildSelect(k->b, neg, cg_f32(k, 0.0), v, ""), ot, "");
}

static LLVMValueRef entry_alloca(cg_kernel *k, LLVMTypeRef t, const char *name) {
  return cg_entry_alloca(k, t, 1, name);
}

static ovcc_status add_tables(interp_emit *e, const axis_taps *t, int n) {
  cg_kernel *k = e->k;
  for (int a = 0; a < n; a++) {
    uint64_t cnt = (uint64_t)(e->c->out[t[a].axis] * t[a].taps);
    int64_t *off = malloc(cnt * sizeof *off);
    float *w = malloc(cnt * sizeof *w);
    if (off)
      memcpy(off, t[a].off, cnt * sizeof *off);
    if (w)
      memcpy(w, t[a].w, cnt * sizeof *w);
    uint32_t bo = cg_kernel_add_const(k, off, cnt * sizeof *off);
    uint32_t bw = bo == UINT32_MAX ? (free(w), UINT32_MAX) : cg_kernel_add_const(k, w, cnt * sizeof *w);
    if (bw == UINT32_MAX)
      return k->d->status ? k->d->status : OVCC_ERR_NOMEM;
    e->off_tab[a] = cg_buf(k, bo);
    e->w_tab[a] = cg_buf(k, bw);
  }
  return OVCC_OK;
}

/* One work item per output row (every coordinate but the last). */
static ovcc_status emit_weighted(cg_kernel *k, const interp_cfg *c, const axis_taps *t, int n) {
  if (2 * n > CG_MAX_KERNEL_CONSTS - (int)k->n_consts)
    return CG_UNSUPPORTED(k, "interpolation over %d axes", n);
  ir_etype oet = k->op->results[0].type.et;
  interp_emit e = {.k = k, .c = c, .t = t, .n = n, .et = ir_op_operand(k->op, 0)->type.et};
  e.mt = cg_mem_type(k->m, e.et);
  LLVMTypeRef ot = cg_mem_type(k->m, oet);
  if (!e.mt || !ot || e.et == IR_ET_BOOLEAN)
    return CG_UNSUPPORTED(k, "Interpolate on %s data", ir_etype_name(e.et));
  IR_TRY(add_tables(&e, t, n));
  e.acc = entry_alloca(k, k->m->t_f32, "acc");
  e.wsum = entry_alloca(k, k->m->t_f32, "wsum");
  e.x = cg_operand(k, 0);
  LLVMValueRef y = cg_result(k, 0);
  int r = c->rank, last = r - 1;
  int64_t rows = 1, ost[IR_MAX_RANK];
  cg_strides(c->out, r, ost);
  for (int i = 0; i < last; i++)
    rows *= c->out[i];
  int axis_level[IR_MAX_RANK];
  for (int i = 0; i < r; i++)
    axis_level[i] = -1;
  for (int a = 0; a < n; a++)
    axis_level[t[a].axis] = a;
  cg_loop lr;
  LLVMValueRef row = cg_loop_begin(k, &lr, k->begin, k->end, 1, "row");
  LLVMValueRef base = cg_i64(k, 0);
  int64_t div = 1;
  for (int i = last - 1; i >= 0; i--) {
    LLVMValueRef ci = LLVMBuildURem(k->b, LLVMBuildUDiv(k->b, row, cg_i64(k, div), ""), cg_i64(k, c->out[i]), "");
    div *= c->out[i];
    if (axis_level[i] >= 0)
      e.tap0[axis_level[i]] = LLVMBuildMul(k->b, ci, cg_i64(k, t[axis_level[i]].taps), "");
    else
      base = LLVMBuildAdd(k->b, base, LLVMBuildMul(k->b, ci, cg_i64(k, c->ist[i]), ""), "");
  }
  cg_loop lx;
  LLVMValueRef ox = cg_loop_begin(k, &lx, cg_i64(k, 0), cg_i64(k, c->out[last]), 1, "ox");
  LLVMValueRef off = base;
  if (axis_level[last] >= 0)
    e.tap0[axis_level[last]] = LLVMBuildMul(k->b, ox, cg_i64(k, t[axis_level[last]].taps), "");
  else
    off = LLVMBuildAdd(k->b, off, LLVMBuildMul(k->b, ox, cg_i64(k, c->ist[last]), ""), "");
  LLVMBuildStore(k->b, cg_f32(k, 0.0), e.acc);
  LLVMBuildStore(k->b, cg_f32(k, 0.0), e.wsum);
  emit_taps(&e, 0, off, NULL);
  LLVMValueRef v = LLVMBuildLoad2(k->b, k->m->t_f32, e.acc, "");
  if (c->mode == IM_LINEAR) {
    LLVMValueRef s = LLVMBuildLoad2(k->b, k->m->t_f32, e.wsum, "");
    LLVMValueRef zero = LLVMBuildFCmp(k->b, LLVMRealOEQ, s, cg_f32(k, 0.0), "");
    v = LLVMBuildSelect(k->b, zero, cg_f32(k, 0.0), LLVMBuildFDiv(k->b, v, s, ""), "");
  }
  LLVMValueRef at = LLVMBuildAdd(k->b, LLVMBuildMul(k->b, row, cg_i64(k, c->out[last]), ""), ox, "");
  LLVMBuildStore(k->b, from_f32(&e, v, ot, oet), cg_gep(k, ot, y, at));
  cg_loop_end(k, &lx);
  cg_loop_end(k, &lr);
  k->work = rows;
  k->cost = (double)c->out[last] * 8.0;
  return OVCC_OK;
}

static ovcc_status lower_weighted(cg_kernel *k, const interp_cfg *c) {
  axis_taps t[IR_MAX_RANK];
  memset(t, 0, sizeof t);
  int n = 0;
  ovcc_status st = build_taps(k, c, t, &n);
  if (st == OVCC_OK && n == 0) {
    unsigned es = mv_elem_size(k, k->op->results[0].type.et);
    if (ir_op_operand(k->op, 0)->type.et != k->op->results[0].type.et || !es) {
      st = CG_UNSUPPORTED(k, "Interpolate with a type change and no resized axis");
    } else {
      mv_view v;
      mv_view_init(&v, es, 0, k->op->n_operands);
      mv_view_axis(&v, (int64_t)cg_numel(&k->op->results[0]), 1, 1);
      st = mv_emit_kernel(k, &v);
    }
  } else if (st == OVCC_OK) {
    st = emit_weighted(k, c, t, n);
  }
  for (int a = 0; a < IR_MAX_RANK; a++) {
    free(t[a].off);
    free(t[a].w);
  }
  return st;
}

ovcc_status mv_lower_interp(cg_kernel *k, const ir_op *op, bool *handled) {
  if (op->kind != IR_OP_INTERPOLATE_1 && op->kind != IR_OP_INTERPOLATE_4 &&
      op->kind != IR_OP_INTERPOLATE_11)
    return OVCC_OK;
  *handled = true;
  interp_cfg c;
  memset(&c, 0, sizeof c);
  c.rank = mv_dims(ir_op_operand(op, 0), c.in, c.ist);
  if (cg_dims(&op->results[0], c.out) != c.rank || c.rank < 1)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "output rank differs from the input rank");
  for (int i = 0; i < c.rank; i++)
    if (c.in[i] == 0 && c.out[i] != 0)
      return cg_error(k, OVCC_ERR_INVALID_MODEL, "cannot resize an empty axis");
  if (!pads_zero(op))
    return CG_UNSUPPORTED(k, "Interpolate with non-zero pads");
  IR_TRY(op->kind == IR_OP_INTERPOLATE_1 ? read_v1(k, &c) : read_v4(k, &c));
  if ((c.mode == IM_PILLOW_LINEAR || c.mode == IM_PILLOW_CUBIC) &&
      !ir_etype_is_float(op->results[0].type.et))
    return CG_UNSUPPORTED(k, "pillow Interpolate on %s data (OpenVINO rounds between its two "
                             "passes) is unsupported", ir_etype_name(op->results[0].type.et));
  if (cg_numel(&op->results[0]) == 0) {
    k->work = 1;
    return OVCC_OK;
  }
  if (c.mode == IM_NEAREST) {
    if (ir_op_operand(op, 0)->type.et != op->results[0].type.et)
      return CG_UNSUPPORTED(k, "nearest Interpolate with a type change");
    unsigned es = mv_elem_size(k, op->results[0].type.et);
    if (!es)
      return k->d->status;
    return lower_nearest(k, &c, es);
  }
  return lower_weighted(k, &c);
}
