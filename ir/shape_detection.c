/* Shape functions of the detection heads and OCR decoders: DetectionOutput
 * (v1, v8), PriorBox (v1, v8), PriorBoxClustered-1, RegionYolo-1,
 * ReorgYolo-2, CTCGreedyDecoder-1, CTCGreedyDecoderSeqLen-6.
 *
 * Rules follow OpenVINO's shape inference (detection_output_shape_inference,
 * prior_box, region_yolo, ...). The evaluators of PriorBox and
 * PriorBoxClustered are in eval_detection.c; they take the prior count from
 * the output shape computed here. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "shape_fn.h"

static ovcc_status need_rank(const ir_op *op, uint32_t i, int rank, const char *what,
                             ir_diag *d) {
  const ir_shape *s = in_shape(op, i);
  if (s->rank >= 0 && s->rank != rank)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u (%s) must have rank %d, got %d", i, what,
                  rank, (int)s->rank);
  return OVCC_OK;
}

static ir_dim dim_at(const ir_shape *s, int i) {
  return s->rank > i ? s->d[i] : ir_dim_dynamic();
}

static ovcc_status merge_dim(ir_dim *acc, ir_dim v, const char *what, ir_diag *d) {
  if (!ir_dim_merge(acc, *acc, v)) {
    char a[64], b[64];
    ir_dim_format(v, a, sizeof a);
    ir_dim_format(*acc, b, sizeof b);
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "%s: %s does not match %s", what, a, b);
  }
  return OVCC_OK;
}

/* ---- DetectionOutput ---- */

ovcc_status ir_shape_detection_output(ir_op *op, ir_diag *d) {
  bool v1 = op->kind == IR_OP_DETECTIONOUTPUT_1;
  for (uint32_t i = 0; i < 3; i++)
    if (!has_in(op, i))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u is missing", i);
  IR_TRY(need_rank(op, 0, 2, "box_logits", d));
  IR_TRY(need_rank(op, 1, 2, "class_preds", d));
  IR_TRY(need_rank(op, 2, 3, "proposals", d));
  const ir_shape *loc = in_shape(op, 0), *conf = in_shape(op, 1), *pri = in_shape(op, 2);
  int64_t num_classes = v1 ? ir_op_attr_int(op, "num_classes", -1) : -1;
  if (v1 && num_classes <= 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "num_classes %" PRId64 " must be positive",
                  num_classes);
  uint32_t nk;
  const int64_t *keep = ir_op_attr_ints(op, "keep_top_k", &nk);
  if (nk < 1)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "keep_top_k must have at least one value");
  int64_t top_k = ir_op_attr_int(op, "top_k", -1);
  bool share = ir_op_attr_bool(op, "share_location", true);
  int64_t box_size = ir_op_attr_bool(op, "normalized", false) ? 4 : 5;
  ir_dim images = dim_at(loc, 0);
  IR_TRY(merge_dim(&images, dim_at(conf, 0), "class_preds batch vs box_logits batch", d));
  /* Prior count: from the proposals, else from the box logits. */
  int64_t priors = -1;
  ir_dim p2 = dim_at(pri, 2);
  if (ir_dim_is_static(p2)) {
    ir_dim p1 = dim_at(pri, 1);
    if (ir_dim_is_static(p1) && p1.lo != 1 && p1.lo != 2)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "proposals dim 1 must be 1 or 2, got %" PRId64,
                    p1.lo);
    if (p2.lo % box_size)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "proposals dim 2 (%" PRId64 ") is not a multiple of the prior box size %" PRId64,
                    p2.lo, box_size);
    priors = p2.lo / box_size;
  }
  int64_t loc_classes = share ? 1 : num_classes;
  ir_dim l1 = dim_at(loc, 1);
  if (priors < 0 && ir_dim_is_static(l1) && loc_classes > 0)
    priors = l1.lo / (loc_classes * 4);
  if (!v1 && priors > 0 && ir_dim_is_static(dim_at(conf, 1))) {
    if (dim_at(conf, 1).lo % priors)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "class_preds dim 1 (%" PRId64 ") is not a multiple of the prior count %" PRId64,
                    dim_at(conf, 1).lo, priors);
    num_classes = dim_at(conf, 1).lo / priors;
  }
  if (v1 && priors > 0 && ir_dim_is_static(l1) && l1.lo != priors * loc_classes * 4)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "box_logits dim 1 is %" PRId64 ", expected %" PRId64
                  " (priors * location classes * 4)",
                  l1.lo, priors * loc_classes * 4);
  ir_dim per_image = ir_dim_dynamic();
  if (keep[0] > 0)
    per_image = ir_dim_static(keep[0]);
  else if (top_k > 0 && num_classes > 0)
    per_image = ir_dim_static(top_k * num_classes);
  else if (priors >= 0 && num_classes > 0)
    per_image = ir_dim_static(priors * num_classes);
  ir_shape out = ir_shape_dynamic_of_rank(4);
  out.d[0] = ir_dim_static(1);
  out.d[1] = ir_dim_static(1);
  out.d[2] = ir_dim_mul(images, per_image);
  out.d[3] = ir_dim_static(7);
  set_out(op, 0, in_et(op, 0), &out);
  return OVCC_OK;
}

/* ---- PriorBox, PriorBoxClustered ---- */

static int cmp_float(const void *a, const void *b) {
  float x = *(const float *)a, y = *(const float *)b;
  return x < y ? -1 : x > y;
}

/* OpenVINO's normalized_aspect_ratio: unique rounded ratios (and their
 * inverses with flip) plus 1, sorted. Returns the count (<= cap). */
static int prior_box_ratios(const ir_op *op, float *out, int cap) {
  uint32_t n;
  const ir_attr_value *a = ir_op_attr(op, "aspect_ratio");
  n = a && a->kind == IR_ATTR_FLOATS ? a->u.floats.n : 0;
  bool flip = ir_op_attr_bool(op, "flip", false);
  int k = 0;
  float tmp[2 * 64 + 1];
  tmp[k++] = 1.0f;
  for (uint32_t i = 0; i < n && k + 2 <= (int)(sizeof tmp / sizeof tmp[0]); i++) {
    float r = (float)a->u.floats.v[i];
    tmp[k++] = roundf(r * 1e6f) / 1e6f;
    if (flip)
      tmp[k++] = roundf(1.0f / r * 1e6f) / 1e6f;
  }
  qsort(tmp, (size_t)k, sizeof tmp[0], cmp_float);
  int u = 0;
  for (int i = 0; i < k; i++)
    if (u == 0 || tmp[i] != tmp[u - 1])
      tmp[u++] = tmp[i];
  for (int i = 0; i < u && i < cap; i++)
    out[i] = tmp[i];
  return u;
}

static uint32_t floats_n(const ir_op *op, const char *name) {
  const ir_attr_value *a = ir_op_attr(op, name);
  return a && a->kind == IR_ATTR_FLOATS ? a->u.floats.n : 0;
}

/* Priors per cell of PriorBox (v1 and v8 share the rule). */
static int64_t prior_box_count(const ir_op *op) {
  float ratios[2 * 64 + 1];
  int64_t nr = prior_box_ratios(op, ratios, (int)(sizeof ratios / sizeof ratios[0]));
  int64_t nmin = floats_n(op, "min_size"), nmax = floats_n(op, "max_size");
  int64_t nfix = floats_n(op, "fixed_size"), nfr = floats_n(op, "fixed_ratio");
  int64_t n = ir_op_attr_bool(op, "scale_all_sizes", true) ? nr * nmin + nmax : nr + nmin - 1;
  if (nfix)
    n = nr * nfix;
  const ir_attr_value *den = ir_op_attr(op, "density");
  uint32_t nd = den && den->kind == IR_ATTR_FLOATS ? den->u.floats.n : 0;
  for (uint32_t i = 0; i < nd; i++) {
    int64_t r = (int64_t)den->u.floats.v[i];
    int64_t d2 = r * r - 1;
    n += (nfr ? nfr : nr) * d2;
  }
  return n;
}

/* [2, 4 * H * W * priors] with H, W the values of input 0 (output_size). */
static ovcc_status prior_shape(ir_op *op, int64_t priors, ir_diag *d) {
  for (uint32_t i = 0; i < 2; i++) {
    if (!has_in(op, i))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u is missing", i);
    const ir_shape *s = in_shape(op, i);
    if (s->rank >= 0 && s->rank != 1)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u (%s) must be 1-D, got rank %d", i,
                    i ? "image_size" : "output_size", (int)s->rank);
    if (s->rank == 1 && ir_dim_is_static(s->d[0]) && s->d[0].lo != 2)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u (%s) must have 2 elements, got %" PRId64,
                    i, i ? "image_size" : "output_size", s->d[0].lo);
    if (!ir_etype_is_int(in_et(op, i)) && in_et(op, i) != IR_ET_DYNAMIC)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u must be an integer tensor, got %s", i,
                    ir_etype_name(in_et(op, i)));
  }
  if (priors <= 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "the attributes give %" PRId64 " priors per cell",
                  priors);
  ir_shape out = ir_shape_dynamic_of_rank(2);
  out.d[0] = ir_dim_static(2);
  int64_t hw[2];
  if (ir_value_known_ints(ir_op_operand(op, 0), hw, 2) == 2) {
    if (hw[0] < 0 || hw[1] < 0)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "output_size [%" PRId64 ", %" PRId64
                    "] is negative", hw[0], hw[1]);
    if (hw[0] > IR_MAX_DIM / 4 / priors || (hw[0] && hw[1] > IR_MAX_DIM / 4 / priors / hw[0]))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "output size is too large");
    out.d[1] = ir_dim_static(4 * hw[0] * hw[1] * priors);
  }
  set_out(op, 0, IR_ET_F32, &out);
  return OVCC_OK;
}

ovcc_status ir_shape_prior_box(ir_op *op, ir_diag *d) {
  if (floats_n(op, "min_size") == 0 && floats_n(op, "fixed_size") == 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "min_size or fixed_size must be given");
  if (floats_n(op, "aspect_ratio") > 64)
    return IR_ERR(d, OVCC_ERR_UNSUPPORTED, "more than 64 aspect ratios");
  const ir_attr_value *a = ir_op_attr(op, "aspect_ratio");
  for (uint32_t i = 0; a && a->kind == IR_ATTR_FLOATS && i < a->u.floats.n; i++)
    if (!(a->u.floats.v[i] > 0))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "aspect_ratio %g must be positive",
                    a->u.floats.v[i]);
  return prior_shape(op, prior_box_count(op), d);
}

ovcc_status ir_shape_prior_box_clustered(ir_op *op, ir_diag *d) {
  uint32_t nw = floats_n(op, "width"), nh = floats_n(op, "height");
  if (nw != nh)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "width has %u values, height %u", nw, nh);
  return prior_shape(op, nw, d);
}

/* ---- RegionYolo, ReorgYolo ---- */

ovcc_status ir_shape_region_yolo(ir_op *op, ir_diag *d) {
  IR_TRY(need_rank(op, 0, 4, "data", d));
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  if (x->rank < 0) {
    ir_shape s = ir_shape_dynamic_rank();
    set_out(op, 0, et, &s);
    return OVCC_OK;
  }
  ir_shape out;
  if (ir_op_attr_bool(op, "do_softmax", false)) {
    int64_t ax, end;
    if (!ir_axis_normalize(ir_op_attr_int(op, "axis", 1), x->rank, &ax, d) ||
        !ir_axis_normalize(ir_op_attr_int(op, "end_axis", 3), x->rank, &end, d))
      return d->status;
    if (end < ax)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "end_axis %" PRId64 " is before axis %" PRId64,
                    end, ax);
    out = ir_shape_scalar();
    ir_dim flat = ir_dim_static(1);
    for (int i = 0; i < x->rank; i++) {
      if (i < ax || i > end)
        out.d[out.rank++] = x->d[i];
      else
        flat = ir_dim_mul(flat, x->d[i]);
      if (i == end)
        out.d[out.rank++] = flat;
    }
  } else {
    int64_t classes = ir_op_attr_int(op, "classes", 0), coords = ir_op_attr_int(op, "coords", 0);
    uint32_t nm;
    ir_op_attr_ints(op, "mask", &nm);
    if (classes < 0 || coords < 0)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "classes and coords must not be negative");
    out = *x;
    out.d[1] = ir_dim_static((classes + coords + 1) * (int64_t)nm);
  }
  set_out(op, 0, et, &out);
  return OVCC_OK;
}

ovcc_status ir_shape_reorg_yolo(ir_op *op, ir_diag *d) {
  IR_TRY(need_rank(op, 0, 4, "data", d));
  uint32_t ns;
  const int64_t *st = ir_op_attr_ints(op, "stride", &ns);
  if (ns < 1 || st[0] <= 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "stride must be a positive value");
  int64_t s = st[0];
  const ir_shape *x = in_shape(op, 0);
  ir_shape out = ir_shape_dynamic_of_rank(4);
  if (x->rank == 4) {
    out.d[0] = x->d[0];
    out.d[1] = ir_dim_mul(x->d[1], ir_dim_static(s * s));
    for (int i = 2; i < 4; i++) {
      if (ir_dim_is_static(x->d[i]) && x->d[i].lo % s)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                      "input dim %d (%" PRId64 ") is not divisible by stride %" PRId64, i,
                      x->d[i].lo, s);
      out.d[i].lo = (x->d[i].lo + s - 1) / s;
      out.d[i].hi = x->d[i].hi == IR_DIM_INF ? IR_DIM_INF : x->d[i].hi / s;
    }
  }
  set_out(op, 0, in_et(op, 0), &out);
  return OVCC_OK;
}

/* ---- CTC greedy decoders ---- */

ovcc_status ir_shape_ctc_greedy_decoder(ir_op *op, ir_diag *d) {
  IR_TRY(need_rank(op, 0, 3, "data", d));
  IR_TRY(need_rank(op, 1, 2, "sequence_mask", d));
  const ir_shape *x = in_shape(op, 0), *m = in_shape(op, 1);
  ir_dim t = dim_at(x, 0), n = dim_at(x, 1);
  IR_TRY(merge_dim(&t, dim_at(m, 0), "sequence_mask dim 0 vs data dim 0 (T)", d));
  IR_TRY(merge_dim(&n, dim_at(m, 1), "sequence_mask dim 1 vs data dim 1 (N)", d));
  ir_shape out = ir_shape_dynamic_of_rank(4);
  out.d[0] = n;
  out.d[1] = t;
  out.d[2] = out.d[3] = ir_dim_static(1);
  set_out(op, 0, in_et(op, 0), &out);
  return OVCC_OK;
}

ovcc_status ir_shape_ctc_greedy_decoder_seq_len(ir_op *op, ir_diag *d) {
  IR_TRY(need_rank(op, 0, 3, "data", d));
  IR_TRY(need_rank(op, 1, 1, "sequence_length", d));
  if (has_in(op, 2) && in_shape(op, 2)->rank > 1)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "blank_index must be a scalar or 1-element tensor");
  const ir_shape *x = in_shape(op, 0);
  ir_dim n = dim_at(x, 0);
  IR_TRY(merge_dim(&n, dim_at(in_shape(op, 1), 0), "sequence_length dim 0 vs data dim 0 (N)", d));
  const ir_attr_value *ct = ir_op_attr(op, "classes_index_type");
  const ir_attr_value *lt = ir_op_attr(op, "sequence_length_type");
  ir_etype cet = ct && ct->kind == IR_ATTR_ETYPE ? ct->u.et : IR_ET_I32;
  ir_etype let = lt && lt->kind == IR_ATTR_ETYPE ? lt->u.et : IR_ET_I32;
  ir_shape o0 = ir_shape_dynamic_of_rank(2), o1 = ir_shape_dynamic_of_rank(1);
  o0.d[0] = n;
  o0.d[1] = dim_at(x, 1);
  o1.d[0] = n;
  set_out(op, 0, cet, &o0);
  if (op->n_results > 1)
    set_out(op, 1, let, &o1);
  return OVCC_OK;
}
