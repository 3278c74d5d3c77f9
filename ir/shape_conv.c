/* Shape functions of the windowed ops: Convolution, GroupConvolution,
 * ConvolutionBackpropData, GroupConvolutionBackpropData, MaxPool, AvgPool,
 * AdaptiveAvgPool, AdaptiveMaxPool.
 *
 * Layout is always [N, C, spatial...] with 1 to 3 spatial dims. One helper
 * reads the per-spatial-dim attributes (strides, dilations, pads, kernel,
 * output_padding) and checks their lengths and ranges; one computes an output
 * spatial dim on the bounds of an interval dim:
 *   explicit/valid  out = round((in + pb + pe - dk) / s) + 1, dk = (k-1)*d + 1
 *   same_upper/low  out = ceil(in / s)
 *   ceil_torch      ceil, minus the last window if it starts in the end padding
 *   backprop        out = s*(in-1) + dk - pb - pe + output_padding
 * Rules and messages follow OpenVINO's convolution/pooling shape inference;
 * the caller prefixes the op location. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ir.h"
#include "shape_fn.h"

typedef enum pad_mode { PAD_EXPLICIT, PAD_SAME_UPPER, PAD_SAME_LOWER, PAD_VALID } pad_mode;
typedef enum round_mode { ROUND_FLOOR, ROUND_CEIL, ROUND_CEIL_TORCH } round_mode;

/* Per-spatial-dim window attributes of one op. */
typedef struct win {
  int n; /* spatial rank */
  int64_t k[IR_MAX_RANK], s[IR_MAX_RANK], dil[IR_MAX_RANK];
  int64_t pb[IR_MAX_RANK], pe[IR_MAX_RANK], opad[IR_MAX_RANK];
  pad_mode pad;
  round_mode round;
} win;

/* ---- helpers ---- */

static void fmt_dim(ir_dim x, char *buf, size_t cap) { ir_dim_format(x, buf, cap); }

static pad_mode read_pad_mode(const ir_op *op) {
  const char *p = ir_op_attr_str(op, "auto_pad", "explicit");
  if (strcmp(p, "same_upper") == 0)
    return PAD_SAME_UPPER;
  if (strcmp(p, "same_lower") == 0)
    return PAD_SAME_LOWER;
  if (strcmp(p, "valid") == 0)
    return PAD_VALID;
  return PAD_EXPLICIT; /* explicit, notset */
}

static round_mode read_round_mode(const ir_op *op) {
  const char *r = ir_op_attr_str(op, "rounding_type", "floor");
  if (strcmp(r, "ceil") == 0)
    return ROUND_CEIL;
  if (strcmp(r, "ceil_torch") == 0)
    return ROUND_CEIL_TORCH;
  return ROUND_FLOOR;
}

/* Reads ints attribute `name` into out[0..n): exactly n values, or none
 * (then `def` everywhere) unless `required`. min: smallest allowed value. */
static ovcc_status spatial_attr(const ir_op *op, const char *name, int n, int64_t def,
                                bool required, int64_t min, int64_t *out, ir_diag *d) {
  uint32_t cnt = 0;
  const int64_t *v = ir_op_attr_ints(op, name, &cnt);
  if (cnt == 0 && !required) {
    for (int i = 0; i < n; i++)
      out[i] = def;
    return OVCC_OK;
  }
  if ((int64_t)cnt != n)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "attribute '%s': expected %d values (spatial rank), got %u", name, n, cnt);
  for (int i = 0; i < n; i++) {
    if (v[i] < min)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "attribute '%s': value %lld at index %d must be %s",
                    name, (long long)v[i], i, min > 0 ? "positive" : "non-negative");
    if (v[i] > IR_MAX_DIM)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "attribute '%s': value %lld at index %d exceeds the limit %lld", name,
                    (long long)v[i], i, (long long)IR_MAX_DIM);
    out[i] = v[i];
  }
  return OVCC_OK;
}

/* Reads strides, dilations, pads (and kernel for pools) for n spatial dims. */
static ovcc_status read_win(const ir_op *op, int n, bool pool, win *w, ir_diag *d) {
  memset(w, 0, sizeof *w);
  w->n = n;
  w->pad = read_pad_mode(op);
  w->round = pool ? read_round_mode(op) : ROUND_FLOOR;
  IR_TRY(spatial_attr(op, "strides", n, 1, false, 1, w->s, d));
  IR_TRY(spatial_attr(op, "dilations", n, 1, false, 1, w->dil, d));
  /* OpenVINO allows negative convolution pads (crop); pools need >= 0. */
  int64_t pmin = pool ? 0 : -IR_MAX_DIM;
  IR_TRY(spatial_attr(op, "pads_begin", n, 0, false, pmin, w->pb, d));
  IR_TRY(spatial_attr(op, "pads_end", n, 0, false, pmin, w->pe, d));
  if (pool)
    IR_TRY(spatial_attr(op, "kernel", n, 0, true, 1, w->k, d));
  if (ir_op_schema_index(op->kind, "output_padding") >= 0)
    IR_TRY(spatial_attr(op, "output_padding", n, 0, false, 0, w->opad, d));
  if (w->pad != PAD_EXPLICIT)
    for (int i = 0; i < n; i++)
      w->pb[i] = w->pe[i] = 0; /* valid: none; same_*: derived from the input */
  return OVCC_OK;
}

/* Dilated kernel extent (k-1)*dil + 1, bounded by IR_MAX_DIM. */
static ovcc_status dilated(int64_t k, int64_t dil, int axis, int64_t *out, ir_diag *d) {
  int64_t r;
  if (__builtin_mul_overflow(k - 1, dil, &r) || r >= IR_MAX_DIM)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "dilated kernel (kernel %lld, dilation %lld) along axis %d exceeds the limit",
                  (long long)k, (long long)dil, axis);
  *out = r + 1;
  return OVCC_OK;
}

static ovcc_status check_out_limit(int64_t v, int axis, ir_diag *d) {
  if (v > IR_MAX_DIM)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "output size %lld along axis %d exceeds the limit %lld", (long long)v, axis,
                  (long long)IR_MAX_DIM);
  return OVCC_OK;
}

/* One bound of a forward (conv/pool) output dim for input extent `in`. */
static int64_t fwd_bound(int64_t in, int64_t pb, int64_t pe, int64_t dk, int64_t s, round_mode r) {
  int64_t num = in + pb + pe - dk;
  if (num < 0)
    num = 0;
  int64_t out = (r == ROUND_FLOOR ? num / s : (num + s - 1) / s) + 1;
  if (r == ROUND_CEIL_TORCH && out > 1 && (out - 1) * s >= in + pb)
    out--; /* the last window would start in the end padding */
  return out;
}

/* Output dim of spatial index i (data axis i+2) for a forward window op;
 * dk: dilated kernel extent, or -1 when the kernel size is unknown. */
static ovcc_status fwd_dim(const win *w, int i, ir_dim in, int64_t dk, ir_dim *out, ir_diag *d) {
  int axis = i + 2;
  int64_t s = w->s[i];
  if (w->pad == PAD_SAME_UPPER || w->pad == PAD_SAME_LOWER) {
    out->lo = (in.lo + s - 1) / s;
    out->hi = in.hi == IR_DIM_INF ? IR_DIM_INF : (in.hi + s - 1) / s;
    return OVCC_OK;
  }
  if (dk < 0) {
    *out = ir_dim_dynamic();
    return OVCC_OK;
  }
  int64_t pads = w->pb[i] + w->pe[i];
  if (in.hi != IR_DIM_INF && in.hi + pads < dk) {
    char ib[64];
    fmt_dim(in, ib, sizeof ib);
    if (ir_dim_is_static(in))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "kernel %lld (after dilation) larger than padded input %lld along axis %d",
                    (long long)dk, (long long)(in.hi + pads), axis);
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "kernel %lld (after dilation) larger than padded input %s+%lld along axis %d",
                  (long long)dk, ib, (long long)pads, axis);
  }
  out->lo = fwd_bound(in.lo, w->pb[i], w->pe[i], dk, s, w->round);
  out->hi =
      in.hi == IR_DIM_INF ? IR_DIM_INF : fwd_bound(in.hi, w->pb[i], w->pe[i], dk, s, w->round);
  if (out->hi != IR_DIM_INF && out->lo > out->hi)
    out->lo = out->hi;
  return OVCC_OK;
}

/* One bound of a backprop output dim; false if it overflows. */
static bool bwd_bound(int64_t in, const win *w, int i, int64_t dk, int64_t *out) {
  int64_t base = in > 0 ? in - 1 : 0, v;
  if (__builtin_mul_overflow(base, w->s[i], &v) || v > IR_MAX_DIM)
    return false;
  *out = v + dk - w->pb[i] - w->pe[i] + w->opad[i];
  return true;
}

static ovcc_status bwd_dim(const win *w, int i, ir_dim in, int64_t dk, ir_dim *out, ir_diag *d) {
  int axis = i + 2;
  if (dk < 0) {
    *out = ir_dim_dynamic();
    return OVCC_OK;
  }
  int64_t lo, hi = 0;
  bool bounded = in.hi != IR_DIM_INF; /* IR_DIM_INF is -1: keep it apart from sizes */
  if (!bwd_bound(in.lo, w, i, dk, &lo) || (bounded && !bwd_bound(in.hi, w, i, dk, &hi)))
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "output size along axis %d exceeds the limit %lld",
                  axis, (long long)IR_MAX_DIM);
  if (bounded && hi < 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "output size %lld along axis %d is negative (input %lld, stride %lld, kernel "
                  "%lld after dilation, pads %lld+%lld, output_padding %lld)",
                  (long long)hi, axis, (long long)in.hi, (long long)w->s[i], (long long)dk,
                  (long long)w->pb[i], (long long)w->pe[i], (long long)w->opad[i]);
  IR_TRY(check_out_limit(lo, axis, d));
  if (bounded)
    IR_TRY(check_out_limit(hi, axis, d));
  out->lo = lo < 0 ? 0 : lo;
  out->hi = bounded ? hi : IR_DIM_INF;
  return OVCC_OK;
}

/* Checks a [N, C, spatial...] data rank: 3, 4 or 5. */
static ovcc_status check_data_rank(const ir_shape *x, ir_diag *d) {
  if (x->rank >= 0 && (x->rank < 3 || x->rank > 5))
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "input 0 (data): expected rank 3, 4 or 5 ([N, C, spatial...]), got %d",
                  (int)x->rank);
  return OVCC_OK;
}

/* Spatial rank from the data rank, else from an attribute's length; -1 if unknown. */
static int spatial_rank(const ir_op *op, const ir_shape *x, const char *attr) {
  if (x->rank >= 0)
    return x->rank - 2;
  uint32_t n = 0;
  ir_op_attr_ints(op, attr, &n);
  return n > 0 && n <= 3 ? (int)n : -1;
}

static ovcc_status merge_et(ir_etype a, ir_etype b, const char *what, ir_etype *out, ir_diag *d) {
  if (a != IR_ET_DYNAMIC && b != IR_ET_DYNAMIC && a != b)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "element types of data (%s) and %s (%s) do not match",
                  ir_etype_name(a), what, ir_etype_name(b));
  *out = a != IR_ET_DYNAMIC ? a : b;
  return OVCC_OK;
}

/* ---- Convolution family ---- */

typedef enum conv_kind { CONV_FWD, CONV_GROUP, CONV_BP, CONV_GROUP_BP } conv_kind;

/* Checks data channels against the filters; returns the output channel dim. */
static ovcc_status conv_channels(conv_kind kind, const ir_shape *x, const ir_shape *f, ir_dim *cout,
                                 ir_diag *d) {
  ir_dim cin = x->rank >= 0 ? x->d[1] : ir_dim_dynamic();
  if (f->rank < 0) {
    *cout = ir_dim_dynamic();
    return OVCC_OK;
  }
  char a[64], b[64], g[64];
  if (kind == CONV_FWD || kind == CONV_BP) {
    ir_dim fin = f->d[kind == CONV_FWD ? 1 : 0];
    *cout = f->d[kind == CONV_FWD ? 0 : 1];
    ir_dim m;
    if (!ir_dim_merge(&m, cin, fin)) {
      fmt_dim(cin, a, sizeof a);
      fmt_dim(fin, b, sizeof b);
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "input 0: channels %s do not match filter input channels %s (filters dim %d)",
                    a, b, kind == CONV_FWD ? 1 : 0);
    }
    return OVCC_OK;
  }
  ir_dim groups = f->d[0];
  ir_dim fin = f->d[kind == CONV_GROUP ? 2 : 1];
  *cout = ir_dim_mul(groups, f->d[kind == CONV_GROUP ? 1 : 2]);
  ir_dim total = ir_dim_mul(groups, fin), m;
  fmt_dim(cin, a, sizeof a);
  fmt_dim(groups, g, sizeof g);
  if (ir_dim_is_static(cin) && ir_dim_is_static(groups) && groups.lo > 0 && cin.lo % groups.lo)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input 0: channels %s are not divisible by groups %s",
                  a, g);
  if (!ir_dim_merge(&m, cin, total)) {
    fmt_dim(fin, b, sizeof b);
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "input 0: channels %s do not match groups %s x filter input channels %s", a, g,
                  b);
  }
  return OVCC_OK;
}

/* Known output_shape input (backprop port 2): fills spatial dims into out
 * (dynamic if unknown); *n = its length or -1. */
static ovcc_status bp_output_shape(const ir_op *op, ir_dim *out, int *n, ir_diag *d) {
  *n = -1;
  if (!has_in(op, 2))
    return OVCC_OK;
  const ir_shape *s = in_shape(op, 2);
  if (s->rank >= 0 && s->rank != 1)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "input 2 (output_shape): expected a 1-D tensor, got rank %d", (int)s->rank);
  int64_t v[IR_MAX_RANK];
  int k = ir_value_known_ints(ir_op_operand(op, 2), v, IR_MAX_RANK);
  if (k >= 0) {
    for (int i = 0; i < k; i++) {
      if (v[i] < 0 || v[i] > IR_MAX_DIM)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input 2 (output_shape): value %lld is invalid",
                      (long long)v[i]);
      out[i] = ir_dim_static(v[i]);
    }
    *n = k;
  } else if (s->rank == 1 && ir_dim_is_static(s->d[0]) && s->d[0].lo <= IR_MAX_RANK) {
    *n = (int)s->d[0].lo;
    for (int i = 0; i < *n; i++)
      out[i] = ir_dim_dynamic();
  }
  return OVCC_OK;
}

static ovcc_status conv_shape(ir_op *op, conv_kind kind, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0), *f = in_shape(op, 1);
  int foff = (kind == CONV_GROUP || kind == CONV_GROUP_BP) ? 3 : 2; /* first kernel dim */
  bool bp = kind == CONV_BP || kind == CONV_GROUP_BP;
  ir_etype et = IR_ET_DYNAMIC;
  IR_TRY(merge_et(in_et(op, 0), in_et(op, 1), "filters", &et, d));
  IR_TRY(check_data_rank(x, d));
  if (x->rank >= 0 && f->rank >= 0 && f->rank != x->rank + foff - 2)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "input 1 (filters): rank %d does not match data rank %d (expected %d)",
                  (int)f->rank, (int)x->rank, (int)x->rank + foff - 2);
  ir_dim osp[IR_MAX_RANK];
  int nos = -1;
  if (bp)
    IR_TRY(bp_output_shape(op, osp, &nos, d));
  int n = x->rank >= 0 ? x->rank - 2 : f->rank >= 0 ? f->rank - foff : nos;
  if (n < 0)
    n = spatial_rank(op, x, "strides");
  if (n < 0) {
    ir_shape s = ir_shape_dynamic_rank();
    set_out(op, 0, et, &s);
    return OVCC_OK;
  }
  if (n < 1 || n > 3)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "expected 1 to 3 spatial dims, got %d", n);
  if (nos >= 0 && nos != n)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "input 2 (output_shape): expected %d values (spatial rank), got %d", n, nos);
  win w;
  IR_TRY(read_win(op, n, false, &w, d));
  ir_dim cout;
  IR_TRY(conv_channels(kind, x, f, &cout, d));
  ir_shape r = ir_shape_dynamic_of_rank(n + 2);
  if (x->rank >= 0)
    r.d[0] = x->d[0];
  r.d[1] = cout;
  for (int i = 0; i < n; i++) {
    ir_dim in = x->rank >= 0 ? x->d[i + 2] : ir_dim_dynamic();
    int64_t dk = -1;
    if (f->rank >= 0 && ir_dim_is_static(f->d[foff + i])) {
      if (f->d[foff + i].lo < 1)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                      "input 1 (filters): kernel size 0 along filters axis %d", foff + i);
      IR_TRY(dilated(f->d[foff + i].lo, w.dil[i], i + 2, &dk, d));
    }
    if (nos >= 0)
      r.d[i + 2] = osp[i];
    else if (bp)
      IR_TRY(bwd_dim(&w, i, in, dk, &r.d[i + 2], d));
    else
      IR_TRY(fwd_dim(&w, i, in, dk, &r.d[i + 2], d));
  }
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

ovcc_status ir_shape_convolution(ir_op *op, ir_diag *d) { return conv_shape(op, CONV_FWD, d); }

ovcc_status ir_shape_group_convolution(ir_op *op, ir_diag *d) {
  return conv_shape(op, CONV_GROUP, d);
}

ovcc_status ir_shape_convolution_backprop(ir_op *op, ir_diag *d) {
  return conv_shape(op, CONV_BP, d);
}

ovcc_status ir_shape_group_convolution_backprop(ir_op *op, ir_diag *d) {
  return conv_shape(op, CONV_GROUP_BP, d);
}

/* ---- pooling ---- */

/* Reads an element-type attribute that must be i32 or i64. */
static ovcc_status index_type(const ir_op *op, ir_etype *out, ir_diag *d) {
  const ir_attr_value *a = ir_op_attr(op, "index_element_type");
  *out = a && a->kind == IR_ATTR_ETYPE ? a->u.et : IR_ET_I64;
  if (*out != IR_ET_I32 && *out != IR_ET_I64)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "attribute 'index_element_type': expected i32 or i64, got %s",
                  ir_etype_name(*out));
  return OVCC_OK;
}

/* AvgPool with exclude-pad: a window lying entirely in the padding has no
 * element to average. */
static ovcc_status avg_pad_check(const win *w, int i, int64_t dk, ir_diag *d) {
  if (dk > w->pb[i] && dk > w->pe[i])
    return OVCC_OK;
  return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                "kernel %lld (after dilation) fits entirely in the padding (pads_begin %lld, "
                "pads_end %lld) along axis %d, which exclude-pad does not allow",
                (long long)dk, (long long)w->pb[i], (long long)w->pe[i], i + 2);
}

static ovcc_status pool_shape(ir_op *op, bool is_max, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  IR_TRY(check_data_rank(x, d));
  ir_etype idx_et = IR_ET_I64;
  bool two = is_max && op->kind != IR_OP_MAXPOOL_1;
  if (two) {
    IR_TRY(index_type(op, &idx_et, d));
    int64_t axis = ir_op_attr_int(op, "axis", 0), na;
    if (x->rank >= 0 && !ir_axis_normalize(axis, x->rank, &na, d)) {
      ir_diag_prefix(d, "attribute 'axis': ");
      return d->status;
    }
  }
  int n = spatial_rank(op, x, "kernel");
  ir_shape r;
  if (n < 0) {
    r = ir_shape_dynamic_rank();
  } else {
    win w;
    IR_TRY(read_win(op, n, true, &w, d));
    bool excl = !is_max && ir_op_attr_bool(op, "exclude-pad", false);
    r = ir_shape_dynamic_of_rank(n + 2);
    if (x->rank >= 0)
      r.d[0] = x->d[0], r.d[1] = x->d[1];
    for (int i = 0; i < n; i++) {
      int64_t dk = 1;
      IR_TRY(dilated(w.k[i], w.dil[i], i + 2, &dk, d));
      if (excl && w.pad == PAD_EXPLICIT)
        IR_TRY(avg_pad_check(&w, i, dk, d));
      ir_dim in = x->rank >= 0 ? x->d[i + 2] : ir_dim_dynamic();
      IR_TRY(fwd_dim(&w, i, in, dk, &r.d[i + 2], d));
    }
  }
  set_out(op, 0, et, &r);
  if (two)
    set_out(op, 1, idx_et, &r);
  return OVCC_OK;
}

ovcc_status ir_shape_max_pool(ir_op *op, ir_diag *d) { return pool_shape(op, true, d); }

ovcc_status ir_shape_avg_pool(ir_op *op, ir_diag *d) { return pool_shape(op, false, d); }

/* AdaptiveAvgPool-8 / AdaptiveMaxPool-8: data [N, C, spatial...], output
 * spatial sizes as a 1-D input. */
ovcc_status ir_shape_adaptive_pool(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0), *o = in_shape(op, 1);
  ir_etype et = in_et(op, 0), idx_et = IR_ET_I64;
  bool is_max = op->kind == IR_OP_ADAPTIVEMAXPOOL_8;
  if (is_max)
    IR_TRY(index_type(op, &idx_et, d));
  IR_TRY(check_data_rank(x, d));
  if (o->rank >= 0 && o->rank != 1)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "input 1 (output shape): expected a 1-D tensor, got rank %d", (int)o->rank);
  ir_etype oet = in_et(op, 1);
  if (oet != IR_ET_DYNAMIC && oet != IR_ET_I32 && oet != IR_ET_I64)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input 1 (output shape): expected i32 or i64, got %s",
                  ir_etype_name(oet));
  int64_t v[IR_MAX_RANK];
  int k = ir_value_known_ints(ir_op_operand(op, 1), v, IR_MAX_RANK);
  int n = x->rank >= 0 ? x->rank - 2 : -1;
  int len = k >= 0 ? k : (o->rank == 1 && ir_dim_is_static(o->d[0]) ? (int)o->d[0].lo : -1);
  if (n >= 0 && len >= 0 && len != n)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "input 1 (output shape): expected %d values (spatial rank), got %d", n, len);
  if (n < 0)
    n = len >= 1 && len <= 3 ? len : -1;
  ir_shape r = n < 0 ? ir_shape_dynamic_rank() : ir_shape_dynamic_of_rank(n + 2);
  if (n >= 0) {
    if (x->rank >= 0)
      r.d[0] = x->d[0], r.d[1] = x->d[1];
    for (int i = 0; k >= 0 && i < n; i++) {
      if (v[i] < 0 || v[i] > IR_MAX_DIM)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input 1 (output shape): value %lld is invalid",
                      (long long)v[i]);
      r.d[i + 2] = ir_dim_static(v[i]);
    }
  }
  set_out(op, 0, et, &r);
  if (is_max)
    set_out(op, 1, idx_et, &r);
  return OVCC_OK;
}
