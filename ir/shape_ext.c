/* Shape functions of the extended ops (ops_ext.def): generation and
 * indexing (OneHot, Eye, NonZero, Unique, Bucketize, SearchSorted, ...),
 * spatial rearrangement (BatchToSpace, SpaceToBatch, ExtractImagePatches,
 * GridSample, Col2Im, colour conversions), convolution variants, signal
 * processing (DFT family, STFT), embeddings, random ops, NMS variants, ROI
 * and proposal ops, string packing.
 *
 * Rules follow OpenVINO's shape inference. Data-dependent sizes (NonZero,
 * Unique, NMS outputs) are dynamic dims with the tightest bounds the input
 * shapes give. Operand values known to shape inference (constants, folded
 * shape chains) make results static where they decide a size. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ir.h"
#include "shape_fn.h"

enum { MAX_VEC = 64 }; /* longest index vector read from a known value */

/* ---- helpers ---- */

static void set_out_rank(ir_op *op, uint32_t i, ir_etype et, int rank) {
  ir_shape s = ir_shape_dynamic_of_rank(rank);
  set_out(op, i, et, &s);
}

static ir_dim dim_at(const ir_shape *s, int i) {
  return s->rank > i ? s->d[i] : ir_dim_dynamic();
}

static int known_ints(const ir_op *op, uint32_t i, int64_t *buf, int max) {
  if (!has_in(op, i))
    return -1;
  return ir_value_known_ints(ir_op_operand(op, i), buf, max);
}

static bool known_scalar(const ir_op *op, uint32_t i, int64_t *v) {
  int64_t b[1];
  if (known_ints(op, i, b, 1) != 1)
    return false;
  *v = b[0];
  return true;
}

static ir_etype attr_et(const ir_op *op, const char *name, ir_etype fallback) {
  const ir_attr_value *a = ir_op_attr(op, name);
  return a && a->kind == IR_ATTR_ETYPE ? a->u.et : fallback;
}

static ovcc_status need_rank(const ir_op *op, uint32_t i, int rank, const char *what,
                             ir_diag *d) {
  const ir_shape *s = in_shape(op, i);
  if (s->rank >= 0 && s->rank != rank)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u (%s) must have rank %d, got %d", i, what,
                  rank, (int)s->rank);
  return OVCC_OK;
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

static ir_dim dim_upto(int64_t hi) { return (ir_dim){0, hi}; }

/* Element count of a shape as a dim (static, or 0..upper bound, or dynamic). */
static ir_dim numel_dim(const ir_shape *s) {
  if (s->rank < 0)
    return ir_dim_dynamic();
  ir_dim n = ir_dim_static(1);
  for (int i = 0; i < s->rank; i++)
    n = ir_dim_mul(n, s->d[i]);
  return n;
}

static ir_dim dim_div_ceil(ir_dim a, int64_t k) {
  ir_dim r = {(a.lo + k - 1) / k, a.hi == IR_DIM_INF ? IR_DIM_INF : (a.hi + k - 1) / k};
  return r;
}

static ir_dim dim_div_floor(ir_dim a, int64_t k) {
  ir_dim r = {a.lo / k, a.hi == IR_DIM_INF ? IR_DIM_INF : a.hi / k};
  return r;
}

static ir_dim dim_add_k(ir_dim a, int64_t k) {
  ir_dim r = {a.lo + k < 0 ? 0 : a.lo + k,
              a.hi == IR_DIM_INF ? IR_DIM_INF : (a.hi + k < 0 ? 0 : a.hi + k)};
  return r;
}

/* ---- generic ---- */

ovcc_status ir_shape_same_as_input(ir_op *op, ir_diag *d) {
  if (!has_in(op, 0))
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input 0 is missing");
  op->results[0].type = ir_op_operand(op, 0)->type;
  return OVCC_OK;
}

ovcc_status ir_shape_inverse(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  if (x->rank >= 0 && x->rank < 2)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input must have rank >= 2, got %d", (int)x->rank);
  if (x->rank >= 2) {
    ir_dim a = x->d[x->rank - 2];
    IR_TRY(merge_dim(&a, x->d[x->rank - 1], "the last two dims must be equal", d));
  }
  return ir_shape_same_as_input(op, d);
}

/* ---- generation, indexing, sorting ---- */

ovcc_status ir_shape_one_hot(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 2);
  for (uint32_t i = 1; i < 4; i++)
    if (in_shape(op, i)->rank > 1)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u must be a scalar", i);
  if (x->rank < 0) {
    set_out_rank(op, 0, et, -1);
    return OVCC_OK;
  }
  if (x->rank + 1 > IR_MAX_RANK)
    return IR_ERR(d, OVCC_ERR_UNSUPPORTED, "output rank %d exceeds the limit of %d", x->rank + 1,
                  IR_MAX_RANK);
  int64_t ax;
  if (!ir_axis_normalize(ir_op_attr_int(op, "axis", -1), x->rank + 1, &ax, d))
    return d->status;
  ir_dim depth = ir_dim_dynamic();
  int64_t k;
  if (known_scalar(op, 1, &k)) {
    if (k < 0)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "depth %" PRId64 " is negative", k);
    depth = ir_dim_static(k);
  }
  ir_shape out = ir_shape_scalar();
  for (int i = 0; i <= x->rank; i++)
    out.d[out.rank++] = i == ax ? depth : x->d[i < ax ? i : i - 1];
  set_out(op, 0, et, &out);
  return OVCC_OK;
}

ovcc_status ir_shape_eye(ir_op *op, ir_diag *d) {
  ir_etype et = attr_et(op, "output_type", IR_ET_F32);
  ir_dim rc[2];
  for (uint32_t i = 0; i < 3; i++)
    if (in_shape(op, i)->rank > 1)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u must be a scalar or 1-element tensor", i);
  for (uint32_t i = 0; i < 2; i++) {
    int64_t v;
    rc[i] = ir_dim_dynamic();
    if (known_scalar(op, i, &v)) {
      if (v < 0)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "%s %" PRId64 " is negative",
                      i ? "num_columns" : "num_rows", v);
      rc[i] = ir_dim_static(v);
    }
  }
  if (has_in(op, 2) == false)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "diagonal_index is missing");
  ir_shape out = ir_shape_scalar();
  if (has_in(op, 3)) {
    int64_t b[MAX_VEC];
    const ir_shape *bs = in_shape(op, 3);
    int n = known_ints(op, 3, b, MAX_VEC);
    if (bs->rank != 1 && bs->rank >= 0)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "batch_shape must be 1-D");
    if (n < 0 && (bs->rank < 0 || !ir_dim_is_static(bs->d[0]))) {
      set_out_rank(op, 0, et, -1);
      return OVCC_OK;
    }
    int len = n >= 0 ? n : (int)bs->d[0].lo;
    if (len + 2 > IR_MAX_RANK)
      return IR_ERR(d, OVCC_ERR_UNSUPPORTED, "output rank %d exceeds the limit of %d", len + 2,
                    IR_MAX_RANK);
    for (int i = 0; i < len; i++) {
      if (n >= 0 && b[i] < 0)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "batch_shape value %" PRId64 " is negative", b[i]);
      out.d[out.rank++] = n >= 0 ? ir_dim_static(b[i]) : ir_dim_dynamic();
    }
  }
  out.d[out.rank++] = rc[0];
  out.d[out.rank++] = rc[1];
  set_out(op, 0, et, &out);
  return OVCC_OK;
}

ovcc_status ir_shape_non_zero(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_shape out = ir_shape_dynamic_of_rank(2);
  if (x->rank >= 0)
    out.d[0] = ir_dim_static(x->rank == 0 ? 1 : x->rank);
  ir_dim n = numel_dim(x);
  out.d[1] = dim_upto(n.hi);
  set_out(op, 0, attr_et(op, "output_type", IR_ET_I64), &out);
  return OVCC_OK;
}

ovcc_status ir_shape_reverse_sequence(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  IR_TRY(need_rank(op, 1, 1, "seq_lengths", d));
  if (x->rank >= 0) {
    int64_t b, s;
    if (x->rank < 2)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "data must have rank >= 2, got %d", (int)x->rank);
    if (!ir_axis_normalize(ir_op_attr_int(op, "batch_axis", 0), x->rank, &b, d) ||
        !ir_axis_normalize(ir_op_attr_int(op, "seq_axis", 1), x->rank, &s, d))
      return d->status;
    ir_dim bd = x->d[b];
    IR_TRY(merge_dim(&bd, dim_at(in_shape(op, 1), 0), "seq_lengths length vs batch dim", d));
  }
  return ir_shape_same_as_input(op, d);
}

ovcc_status ir_shape_bucketize(ir_op *op, ir_diag *d) {
  IR_TRY(need_rank(op, 1, 1, "buckets", d));
  set_out(op, 0, attr_et(op, "output_type", IR_ET_I64), in_shape(op, 0));
  return OVCC_OK;
}

ovcc_status ir_shape_search_sorted(ir_op *op, ir_diag *d) {
  const ir_shape *s = in_shape(op, 0), *v = in_shape(op, 1);
  if (s->rank >= 0 && v->rank >= 0 && s->rank != 1 && s->rank != v->rank)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "sorted_sequence must be 1-D or have the rank of values (%d), got %d",
                  (int)v->rank, (int)s->rank);
  set_out(op, 0, attr_et(op, "output_type", IR_ET_I64), v);
  return OVCC_OK;
}

ovcc_status ir_shape_unique(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0), it = attr_et(op, "index_element_type", IR_ET_I64);
  ir_etype ct = attr_et(op, "count_element_type", IR_ET_I64);
  ir_dim all;
  ir_shape u;
  int64_t ax;
  if (has_in(op, 1)) {
    if (in_shape(op, 1)->rank > 1)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "axis must be a scalar or 1-element tensor");
    if (!known_scalar(op, 1, &ax) || x->rank < 0) {
      for (uint32_t i = 0; i < 4; i++)
        set_out_rank(op, i, i == 0 ? et : i == 3 ? ct : it, i == 0 ? x->rank : 1);
      return OVCC_OK;
    }
    if (!ir_axis_normalize(ax, x->rank, &ax, d))
      return d->status;
    all = x->d[ax];
    u = *x;
  } else {
    all = numel_dim(x);
    u = ir_shape_dynamic_of_rank(1);
    ax = 0;
  }
  ir_dim cnt = {all.lo > 0 ? 1 : 0, all.hi};
  u.d[ax] = cnt;
  ir_shape v1 = ir_shape_dynamic_of_rank(1), v2 = ir_shape_dynamic_of_rank(1);
  v1.d[0] = cnt;
  v2.d[0] = all;
  set_out(op, 0, et, &u);
  set_out(op, 1, it, &v1);
  set_out(op, 2, it, &v2);
  set_out(op, 3, ct, &v1);
  return OVCC_OK;
}

ovcc_status ir_shape_segment_max(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  IR_TRY(need_rank(op, 1, 1, "segment_ids", d));
  if (x->rank == 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "data must have rank >= 1");
  ir_dim n = dim_at(x, 0);
  IR_TRY(merge_dim(&n, dim_at(in_shape(op, 1), 0), "segment_ids length vs data dim 0", d));
  if (x->rank < 0) {
    set_out_rank(op, 0, in_et(op, 0), -1);
    return OVCC_OK;
  }
  ir_shape out = *x;
  out.d[0] = ir_dim_dynamic();
  int64_t k;
  int64_t ids[MAX_VEC];
  int nid;
  if (has_in(op, 2) && known_scalar(op, 2, &k)) {
    if (k < 0)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "num_segments %" PRId64 " is negative", k);
    out.d[0] = ir_dim_static(k);
  } else if (!has_in(op, 2) && (nid = known_ints(op, 1, ids, MAX_VEC)) >= 0) {
    int64_t mx = -1;
    for (int i = 0; i < nid; i++)
      mx = ids[i] > mx ? ids[i] : mx;
    out.d[0] = ir_dim_static(mx + 1);
  }
  set_out(op, 0, in_et(op, 0), &out);
  return OVCC_OK;
}

ovcc_status ir_shape_sparse_fill_empty_rows(ir_op *op, ir_diag *d) {
  IR_TRY(need_rank(op, 0, 1, "values", d));
  IR_TRY(need_rank(op, 1, 1, "dense_shape", d));
  IR_TRY(need_rank(op, 2, 2, "indices", d));
  ir_dim n = dim_at(in_shape(op, 0), 0);
  IR_TRY(merge_dim(&n, dim_at(in_shape(op, 2), 0), "indices rows vs values length", d));
  int64_t ds[2];
  ir_dim rows = ir_dim_dynamic();
  if (known_ints(op, 1, ds, 2) == 2 && ds[0] >= 0)
    rows = ir_dim_static(ds[0]);
  ir_dim m = {n.lo, ir_dim_add(n, rows).hi};
  ir_shape o0 = ir_shape_dynamic_of_rank(2), o1 = ir_shape_dynamic_of_rank(1),
           o2 = ir_shape_dynamic_of_rank(1);
  o0.d[0] = m;
  o0.d[1] = ir_dim_static(2);
  o1.d[0] = m;
  o2.d[0] = rows;
  set_out(op, 0, in_et(op, 2), &o0);
  set_out(op, 1, in_et(op, 0), &o1);
  set_out(op, 2, IR_ET_BOOLEAN, &o2);
  return OVCC_OK;
}

/* ---- spatial rearrangement, image ---- */

/* BatchToSpace (to_space) / SpaceToBatch: block_shape and the two crop/pad
 * vectors are inputs 1..3, one value per data dim. */
static ovcc_status batch_space(ir_op *op, bool to_space, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  for (uint32_t i = 1; i < 4; i++)
    IR_TRY(need_rank(op, i, 1, i == 1 ? "block_shape" : to_space ? "crops" : "pads", d));
  int64_t blk[MAX_VEC], b[MAX_VEC], e[MAX_VEC];
  int nb = known_ints(op, 1, blk, MAX_VEC), n1 = known_ints(op, 2, b, MAX_VEC),
      n2 = known_ints(op, 3, e, MAX_VEC);
  int r = x->rank >= 0 ? x->rank : nb;
  if (r < 0) {
    set_out_rank(op, 0, et, -1);
    return OVCC_OK;
  }
  if (r < 2)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "data must have rank >= 2, got %d", r);
  if (nb < 0 || n1 < 0 || n2 < 0 || x->rank < 0) {
    set_out_rank(op, 0, et, r);
    return OVCC_OK;
  }
  if (nb != r || n1 != r || n2 != r)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "block_shape and %s need %d values (the data rank), got %d, %d, %d",
                  to_space ? "crops" : "pads", r, nb, n1, n2);
  int64_t prod = 1;
  for (int i = 0; i < r; i++) {
    if (blk[i] < 1 || b[i] < 0 || e[i] < 0)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "block_shape must be positive and %s non-negative (dim %d)",
                    to_space ? "crops" : "pads", i);
    if (prod > IR_MAX_DIM / blk[i])
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "block_shape product is too large");
    prod *= blk[i];
  }
  ir_shape out = *x;
  if (to_space) {
    if (ir_dim_is_static(x->d[0]) && x->d[0].lo % prod)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "batch %" PRId64 " is not divisible by the block_shape product %" PRId64,
                    x->d[0].lo, prod);
    out.d[0] = dim_div_ceil(x->d[0], prod);
    if (out.d[0].hi != IR_DIM_INF)
      out.d[0].hi = x->d[0].hi / prod;
    for (int i = 1; i < r; i++) {
      ir_dim v = ir_dim_mul(x->d[i], ir_dim_static(blk[i]));
      if (ir_dim_is_static(v) && v.lo < b[i] + e[i])
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "crops of dim %d exceed its size %" PRId64, i,
                      v.lo);
      out.d[i] = dim_add_k(v, -(b[i] + e[i]));
    }
  } else {
    out.d[0] = ir_dim_mul(x->d[0], ir_dim_static(prod));
    for (int i = 1; i < r; i++) {
      ir_dim v = dim_add_k(x->d[i], b[i] + e[i]);
      if (ir_dim_is_static(v) && v.lo % blk[i])
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                      "padded dim %d (%" PRId64 ") is not divisible by block %" PRId64, i, v.lo,
                      blk[i]);
      out.d[i] = dim_div_floor(v, blk[i]);
    }
  }
  set_out(op, 0, et, &out);
  return OVCC_OK;
}

ovcc_status ir_shape_batch_to_space(ir_op *op, ir_diag *d) { return batch_space(op, true, d); }
ovcc_status ir_shape_space_to_batch(ir_op *op, ir_diag *d) { return batch_space(op, false, d); }

static ovcc_status two_ints(const ir_op *op, const char *name, int64_t *v, int64_t min,
                            ir_diag *d) {
  uint32_t n;
  const int64_t *a = ir_op_attr_ints(op, name, &n);
  if (n != 2)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "'%s' needs 2 values, got %u", name, n);
  for (int i = 0; i < 2; i++)
    if (a[i] < min)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "'%s' value %" PRId64 " is below %" PRId64, name,
                    a[i], min);
  v[0] = a[0];
  v[1] = a[1];
  return OVCC_OK;
}

ovcc_status ir_shape_extract_image_patches(ir_op *op, ir_diag *d) {
  IR_TRY(need_rank(op, 0, 4, "data", d));
  int64_t sz[2], st[2], rt[2];
  IR_TRY(two_ints(op, "sizes", sz, 1, d));
  IR_TRY(two_ints(op, "strides", st, 1, d));
  IR_TRY(two_ints(op, "rates", rt, 1, d));
  const char *pad = ir_op_attr_str(op, "auto_pad", "valid");
  const ir_shape *x = in_shape(op, 0);
  ir_shape out = ir_shape_dynamic_of_rank(4);
  out.d[0] = dim_at(x, 0);
  out.d[1] = ir_dim_mul(dim_at(x, 1), ir_dim_static(sz[0] * sz[1]));
  for (int i = 0; i < 2; i++) {
    ir_dim in = dim_at(x, 2 + i);
    if (strcmp(pad, "valid") == 0) {
      int64_t ext = rt[i] * (sz[i] - 1) + 1;
      ir_dim o;
      o.lo = in.lo >= ext ? (in.lo - ext) / st[i] + 1 : 0;
      o.hi = in.hi == IR_DIM_INF ? IR_DIM_INF : in.hi >= ext ? (in.hi - ext) / st[i] + 1 : 0;
      out.d[2 + i] = o;
    } else {
      out.d[2 + i] = dim_div_ceil(in, st[i]);
    }
  }
  set_out(op, 0, in_et(op, 0), &out);
  return OVCC_OK;
}

ovcc_status ir_shape_grid_sample(ir_op *op, ir_diag *d) {
  IR_TRY(need_rank(op, 0, 4, "data", d));
  IR_TRY(need_rank(op, 1, 4, "grid", d));
  const ir_shape *x = in_shape(op, 0), *g = in_shape(op, 1);
  ir_dim n = dim_at(x, 0), two = dim_at(g, 3);
  IR_TRY(merge_dim(&n, dim_at(g, 0), "grid batch vs data batch", d));
  IR_TRY(merge_dim(&two, ir_dim_static(2), "grid dim 3 must be 2", d));
  ir_shape out = ir_shape_dynamic_of_rank(4);
  out.d[0] = n;
  out.d[1] = dim_at(x, 1);
  out.d[2] = dim_at(g, 1);
  out.d[3] = dim_at(g, 2);
  set_out(op, 0, in_et(op, 0), &out);
  return OVCC_OK;
}

ovcc_status ir_shape_col2im(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  if (x->rank >= 0 && x->rank != 2 && x->rank != 3)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "data must have rank 2 or 3, got %d", (int)x->rank);
  int64_t os[2], ks[2];
  bool kos = known_ints(op, 1, os, 2) == 2, kks = known_ints(op, 2, ks, 2) == 2;
  if (x->rank < 0) {
    set_out_rank(op, 0, in_et(op, 0), -1);
    return OVCC_OK;
  }
  bool batched = x->rank == 3;
  ir_shape out = ir_shape_dynamic_of_rank(batched ? 4 : 3);
  int o = 0;
  if (batched)
    out.d[o++] = x->d[0];
  ir_dim c = x->d[batched ? 1 : 0];
  if (kks) {
    if (ks[0] <= 0 || ks[1] <= 0)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "kernel_size must be positive");
    if (ir_dim_is_static(c) && c.lo % (ks[0] * ks[1]))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "data dim %d (%" PRId64 ") is not divisible by the kernel size product %" PRId64,
                    batched ? 1 : 0, c.lo, ks[0] * ks[1]);
    out.d[o] = dim_div_floor(c, ks[0] * ks[1]);
  }
  o++;
  if (kos) {
    out.d[o] = ir_dim_static(os[0]);
    out.d[o + 1] = ir_dim_static(os[1]);
  }
  set_out(op, 0, in_et(op, 0), &out);
  return OVCC_OK;
}

/* Colour conversion: single plane [N, H*3/2, W, 1] or separate planes with
 * Y [N, H, W, 1] first; output [N, H, W, 3]. */
static ovcc_status yuv_to_rgb(ir_op *op, ir_diag *d) {
  IR_TRY(need_rank(op, 0, 4, "Y", d));
  const ir_shape *y = in_shape(op, 0);
  ir_shape out = ir_shape_dynamic_of_rank(4);
  out.d[0] = dim_at(y, 0);
  out.d[2] = dim_at(y, 2);
  out.d[3] = ir_dim_static(3);
  ir_dim h = dim_at(y, 1);
  if (op->n_operands == 1 || !has_in(op, 1)) {
    if (ir_dim_is_static(h) && h.lo % 3)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "single-plane height %" PRId64 " is not a multiple of 3", h.lo);
    out.d[1] = ir_dim_mul(dim_div_floor(h, 3), ir_dim_static(2));
    if (!ir_dim_is_static(h))
      out.d[1] = ir_dim_dynamic();
  } else {
    out.d[1] = h;
  }
  if (ir_dim_is_static(out.d[1]) && out.d[1].lo % 2)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "image height %" PRId64 " must be even",
                  out.d[1].lo);
  set_out(op, 0, in_et(op, 0), &out);
  return OVCC_OK;
}

ovcc_status ir_shape_i420_to_rgb(ir_op *op, ir_diag *d) {
  if (op->n_operands == 2)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "I420 conversion takes 1 or 3 inputs, got 2");
  return yuv_to_rgb(op, d);
}

ovcc_status ir_shape_nv12_to_rgb(ir_op *op, ir_diag *d) { return yuv_to_rgb(op, d); }

/* ---- convolution variants ---- */

/* DeformableConvolution (filters = input 2) and BinaryConvolution (input 1). */
ovcc_status ir_shape_deformable_convolution(ir_op *op, ir_diag *d) {
  uint32_t fi = op->kind == IR_OP_BINARYCONVOLUTION_1 ? 1 : 2;
  const ir_shape *x = in_shape(op, 0), *w = in_shape(op, fi);
  int r = x->rank >= 0 ? x->rank : w->rank;
  if (r < 0) {
    set_out_rank(op, 0, in_et(op, 0), -1);
    return OVCC_OK;
  }
  if (r < 3 || (w->rank >= 0 && w->rank != r))
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "data rank %d and filters rank %d must be equal and >= 3",
                  (int)x->rank, (int)w->rank);
  uint32_t ns, npb, npe, ndl;
  const int64_t *st = ir_op_attr_ints(op, "strides", &ns);
  const int64_t *pb = ir_op_attr_ints(op, "pads_begin", &npb);
  const int64_t *pe = ir_op_attr_ints(op, "pads_end", &npe);
  const int64_t *dl = ir_op_attr_ints(op, "dilations", &ndl);
  uint32_t sp = (uint32_t)r - 2;
  if (ns != sp || ndl != sp || npb != sp || npe != sp)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "strides, dilations, pads_begin, pads_end need %u values each", sp);
  const char *ap = ir_op_attr_str(op, "auto_pad", "explicit");
  bool same = strncmp(ap, "same", 4) == 0, valid = strcmp(ap, "valid") == 0;
  ir_shape out = ir_shape_dynamic_of_rank(r);
  out.d[0] = dim_at(x, 0);
  out.d[1] = dim_at(w, 0);
  for (uint32_t i = 0; i < sp; i++) {
    if (st[i] <= 0 || dl[i] <= 0)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "strides and dilations must be positive");
    ir_dim in = dim_at(x, (int)(2 + i)), k = dim_at(w, (int)(2 + i));
    if (same) {
      out.d[2 + i] = dim_div_ceil(in, st[i]);
      continue;
    }
    if (!ir_dim_is_static(k))
      continue;
    int64_t pads = valid ? 0 : pb[i] + pe[i];
    int64_t ext = dl[i] * (k.lo - 1) + 1;
    ir_dim p = dim_add_k(in, pads);
    if (ir_dim_is_static(p) && p.lo < ext)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "padded spatial dim %u (%" PRId64 ") is smaller than the dilated kernel %" PRId64,
                    i, p.lo, ext);
    out.d[2 + i] = dim_add_k(dim_div_floor(dim_add_k(p, -ext), st[i]), 1);
    if (p.lo < ext)
      out.d[2 + i].lo = 0;
  }
  set_out(op, 0, in_et(op, 0), &out);
  return OVCC_OK;
}

/* ---- sequences, signal processing ---- */

ovcc_status ir_shape_ctc_loss(ir_op *op, ir_diag *d) {
  IR_TRY(need_rank(op, 0, 3, "logits", d));
  IR_TRY(need_rank(op, 1, 1, "logit_length", d));
  IR_TRY(need_rank(op, 2, 2, "labels", d));
  IR_TRY(need_rank(op, 3, 1, "label_length", d));
  ir_dim b = dim_at(in_shape(op, 0), 0);
  for (uint32_t i = 1; i < 4; i++)
    IR_TRY(merge_dim(&b, dim_at(in_shape(op, i), 0), "batch size", d));
  ir_shape out = ir_shape_dynamic_of_rank(1);
  out.d[0] = b;
  set_out(op, 0, in_et(op, 0), &out);
  return OVCC_OK;
}

/* Known axes of a DFT-family op normalized against `r` (-1: unknown). */
static int dft_axes(const ir_op *op, int r, int64_t *axes, ir_diag *d, ovcc_status *st) {
  *st = OVCC_OK;
  int n = known_ints(op, 1, axes, MAX_VEC);
  if (n < 0)
    return -1;
  for (int i = 0; i < n; i++)
    if (!ir_axis_normalize(axes[i], r, &axes[i], d)) {
      *st = d->status;
      return -1;
    }
  return n;
}

/* Known signal_size values (n of them, -1 = unchanged); false if absent/unknown. */
static bool dft_sizes(const ir_op *op, int n, int64_t *sz, bool *unknown) {
  *unknown = false;
  if (!has_in(op, 2))
    return false;
  if (known_ints(op, 2, sz, MAX_VEC) != n) {
    *unknown = true;
    return false;
  }
  return true;
}

ovcc_status ir_shape_dft(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  if (x->rank < 0) {
    set_out_rank(op, 0, et, -1);
    return OVCC_OK;
  }
  if (x->rank < 2 || !ir_dim_merge(&(ir_dim){0, 0}, x->d[x->rank - 1], ir_dim_static(2)))
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "data must have rank >= 2 and last dim 2");
  int64_t axes[MAX_VEC], sz[MAX_VEC];
  ovcc_status st;
  int n = dft_axes(op, x->rank - 1, axes, d, &st);
  IR_TRY(st);
  ir_shape out = *x;
  bool unk;
  bool have = n >= 0 && dft_sizes(op, n, sz, &unk);
  if (n < 0 || unk) {
    for (int i = 0; i < x->rank - 1; i++)
      if (has_in(op, 2))
        out.d[i] = ir_dim_dynamic();
  } else if (have) {
    for (int i = 0; i < n; i++)
      if (sz[i] != -1)
        out.d[axes[i]] = ir_dim_static(sz[i]);
  }
  set_out(op, 0, et, &out);
  return OVCC_OK;
}

ovcc_status ir_shape_rdft(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  if (x->rank < 0 || x->rank + 1 > IR_MAX_RANK) {
    set_out_rank(op, 0, et, -1);
    return OVCC_OK;
  }
  int64_t axes[MAX_VEC], sz[MAX_VEC];
  ovcc_status st;
  int n = dft_axes(op, x->rank, axes, d, &st);
  IR_TRY(st);
  ir_shape out = *x;
  out.d[out.rank++] = ir_dim_static(2);
  bool unk;
  bool have = n >= 0 && dft_sizes(op, n, sz, &unk);
  if (n <= 0 || unk) {
    for (int i = 0; i < x->rank; i++)
      out.d[i] = ir_dim_dynamic();
  } else {
    for (int i = 0; i < n; i++)
      if (have && sz[i] != -1)
        out.d[axes[i]] = ir_dim_static(sz[i]);
    ir_dim *last = &out.d[axes[n - 1]];
    *last = dim_add_k(dim_div_floor(*last, 2), 1);
  }
  set_out(op, 0, et, &out);
  return OVCC_OK;
}

ovcc_status ir_shape_irdft(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  if (x->rank < 0) {
    set_out_rank(op, 0, et, -1);
    return OVCC_OK;
  }
  if (x->rank < 2)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "data must have rank >= 2 (last dim 2)");
  int64_t axes[MAX_VEC], sz[MAX_VEC];
  ovcc_status st;
  int n = dft_axes(op, x->rank - 1, axes, d, &st);
  IR_TRY(st);
  ir_shape out = *x;
  out.rank--;
  bool unk;
  bool have = n >= 0 && dft_sizes(op, n, sz, &unk);
  if (n <= 0 || unk) {
    for (int i = 0; i < out.rank; i++)
      out.d[i] = ir_dim_dynamic();
  } else {
    for (int i = 0; i < n - 1; i++)
      if (have && sz[i] != -1)
        out.d[axes[i]] = ir_dim_static(sz[i]);
    ir_dim *last = &out.d[axes[n - 1]];
    if (have && sz[n - 1] != -1)
      *last = ir_dim_static(sz[n - 1]);
    else
      *last = ir_dim_mul(dim_add_k(*last, -1), ir_dim_static(2));
  }
  set_out(op, 0, et, &out);
  return OVCC_OK;
}

ovcc_status ir_shape_stft(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  if (x->rank >= 0 && x->rank != 1 && x->rank != 2)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "signal must have rank 1 or 2, got %d", (int)x->rank);
  IR_TRY(need_rank(op, 1, 1, "window", d));
  int64_t fs = -1, step = -1;
  ir_dim frames = ir_dim_dynamic(), bins = ir_dim_dynamic();
  if (known_scalar(op, 2, &fs)) {
    if (fs <= 0)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "frame_size %" PRId64 " must be positive", fs);
    bins = ir_dim_static(fs / 2 + 1);
  }
  if (known_scalar(op, 3, &step) && step <= 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "frame_step %" PRId64 " must be positive", step);
  ir_dim t = x->rank >= 1 ? x->d[x->rank - 1] : ir_dim_dynamic();
  if (fs > 0 && step > 0) {
    if (ir_dim_is_static(t) && t.lo < fs)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "signal length %" PRId64 " is below frame_size %" PRId64,
                    t.lo, fs);
    frames = dim_add_k(dim_div_floor(dim_add_k(t, -fs), step), 1);
  }
  if (x->rank < 0) {
    set_out_rank(op, 0, in_et(op, 0), -1);
    return OVCC_OK;
  }
  bool tr = ir_op_attr_bool(op, "transpose_frames", false);
  ir_shape out = ir_shape_scalar();
  if (x->rank == 2)
    out.d[out.rank++] = x->d[0];
  out.d[out.rank++] = tr ? bins : frames;
  out.d[out.rank++] = tr ? frames : bins;
  out.d[out.rank++] = ir_dim_static(2);
  set_out(op, 0, in_et(op, 0), &out);
  return OVCC_OK;
}

/* ---- embeddings ---- */

/* [rows, emb_table dims 1..] */
static ovcc_status embedding_out(ir_op *op, ir_dim rows, ir_diag *d) {
  const ir_shape *t = in_shape(op, 0);
  if (t->rank == 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "emb_table must have rank >= 1");
  if (t->rank < 0) {
    set_out_rank(op, 0, in_et(op, 0), -1);
    return OVCC_OK;
  }
  ir_shape out = *t;
  out.d[0] = rows;
  set_out(op, 0, in_et(op, 0), &out);
  return OVCC_OK;
}

ovcc_status ir_shape_embedding_bag_offsets(ir_op *op, ir_diag *d) {
  IR_TRY(need_rank(op, 1, 1, "indices", d));
  IR_TRY(need_rank(op, 2, 1, "offsets", d));
  return embedding_out(op, dim_at(in_shape(op, 2), 0), d);
}

ovcc_status ir_shape_embedding_bag_packed(ir_op *op, ir_diag *d) {
  IR_TRY(need_rank(op, 1, 2, "indices", d));
  return embedding_out(op, dim_at(in_shape(op, 1), 0), d);
}

ovcc_status ir_shape_embedding_segments_sum(ir_op *op, ir_diag *d) {
  IR_TRY(need_rank(op, 1, 1, "indices", d));
  IR_TRY(need_rank(op, 2, 1, "segment_ids", d));
  ir_dim n = dim_at(in_shape(op, 1), 0);
  IR_TRY(merge_dim(&n, dim_at(in_shape(op, 2), 0), "segment_ids length vs indices length", d));
  int64_t k;
  ir_dim rows = ir_dim_dynamic();
  if (known_scalar(op, 3, &k)) {
    if (k < 0)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "num_segments %" PRId64 " is negative", k);
    rows = ir_dim_static(k);
  }
  return embedding_out(op, rows, d);
}

/* ---- random ---- */

ovcc_status ir_shape_random_uniform(ir_op *op, ir_diag *d) {
  ir_etype et = attr_et(op, "output_type", IR_ET_F32);
  IR_TRY(need_rank(op, 0, 1, "shape", d));
  for (uint32_t i = 1; i < 3; i++)
    if (in_shape(op, i)->rank > 1)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u (%s) must be a scalar", i,
                    i == 1 ? "min" : "max");
  int64_t v[MAX_VEC];
  int n = known_ints(op, 0, v, MAX_VEC);
  if (n > IR_MAX_RANK)
    return IR_ERR(d, OVCC_ERR_UNSUPPORTED, "output rank %d exceeds the limit of %d", n, IR_MAX_RANK);
  if (n >= 0) {
    ir_shape out;
    for (int i = 0; i < n; i++)
      if (v[i] < 0)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "shape value %" PRId64 " is negative", v[i]);
    ir_shape_from_dims(&out, v, n);
    set_out(op, 0, et, &out);
    return OVCC_OK;
  }
  ir_dim len = dim_at(in_shape(op, 0), 0);
  set_out_rank(op, 0, et, ir_dim_is_static(len) && len.lo <= IR_MAX_RANK ? (int)len.lo : -1);
  return OVCC_OK;
}

ovcc_status ir_shape_multinomial(ir_op *op, ir_diag *d) {
  const ir_shape *p = in_shape(op, 0);
  if (p->rank >= 0 && p->rank != 1 && p->rank != 2)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "probs must have rank 1 or 2, got %d", (int)p->rank);
  int64_t k;
  ir_dim n = ir_dim_dynamic();
  if (known_scalar(op, 1, &k)) {
    if (k < 0)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "num_samples %" PRId64 " is negative", k);
    n = ir_dim_static(k);
  }
  ir_etype et = attr_et(op, "convert_type", IR_ET_I64);
  if (p->rank < 0) {
    set_out_rank(op, 0, et, -1);
    return OVCC_OK;
  }
  ir_shape out = ir_shape_dynamic_of_rank(p->rank);
  if (p->rank == 2)
    out.d[0] = p->d[0];
  out.d[p->rank - 1] = n;
  set_out(op, 0, et, &out);
  return OVCC_OK;
}

/* ---- non-max suppression ---- */

/* NonMaxSuppression-1/3/4/5/9 and NMSRotated-13: selected_indices [M, 3],
 * (v5+) selected_scores [M, 3], valid_outputs [1]; M <= B * C * boxes
 * (and <= B * C * max_output_boxes_per_class when known). */
ovcc_status ir_shape_nms(ir_op *op, ir_diag *d) {
  IR_TRY(need_rank(op, 0, 3, "boxes", d));
  IR_TRY(need_rank(op, 1, 3, "scores", d));
  const ir_shape *b = in_shape(op, 0), *s = in_shape(op, 1);
  ir_dim batch = dim_at(b, 0), nb = dim_at(b, 1);
  IR_TRY(merge_dim(&batch, dim_at(s, 0), "scores batch vs boxes batch", d));
  IR_TRY(merge_dim(&nb, dim_at(s, 2), "scores dim 2 vs number of boxes", d));
  ir_dim per_class = nb;
  int64_t k;
  if (known_scalar(op, 2, &k) && k >= 0 && (nb.hi == IR_DIM_INF || k < nb.hi))
    per_class = (ir_dim){0, k};
  ir_dim m = ir_dim_mul(ir_dim_mul(batch, dim_at(s, 1)), per_class);
  m = dim_upto(m.hi);
  ir_etype it = op->kind == IR_OP_NONMAXSUPPRESSION_1 ? IR_ET_I64
                                                       : attr_et(op, "output_type", IR_ET_I64);
  ir_shape sel = ir_shape_dynamic_of_rank(2), one = ir_shape_dynamic_of_rank(1);
  sel.d[0] = m;
  sel.d[1] = ir_dim_static(3);
  one.d[0] = ir_dim_static(1);
  set_out(op, 0, it, &sel);
  set_out(op, 1, in_et(op, 1), &sel);
  set_out(op, 2, it, &one);
  return OVCC_OK;
}

/* MatrixNms-8, MulticlassNms-8/9: selected_outputs [M, 6], selected_indices
 * [M, 1], valid_outputs [B]. */
ovcc_status ir_shape_multiclass_nms(ir_op *op, ir_diag *d) {
  const ir_shape *b = in_shape(op, 0), *s = in_shape(op, 1);
  bool roisnum = has_in(op, 2);
  ir_dim batch = roisnum ? dim_at(in_shape(op, 2), 0) : dim_at(b, 0);
  if (!roisnum) {
    IR_TRY(need_rank(op, 0, 3, "boxes", d));
    IR_TRY(need_rank(op, 1, 3, "scores", d));
    IR_TRY(merge_dim(&batch, dim_at(s, 0), "scores batch vs boxes batch", d));
  }
  ir_dim m = ir_dim_dynamic();
  if (!roisnum && b->rank == 3 && s->rank == 3) {
    ir_dim nb = b->d[1];
    int64_t topk = ir_op_attr_int(op, "nms_top_k", -1), keep = ir_op_attr_int(op, "keep_top_k", -1);
    if (topk >= 0 && (nb.hi == IR_DIM_INF || topk < nb.hi))
      nb = (ir_dim){0, topk};
    ir_dim per_img = ir_dim_mul(nb, s->d[1]);
    if (keep >= 0 && (per_img.hi == IR_DIM_INF || keep < per_img.hi))
      per_img = (ir_dim){0, keep};
    m = dim_upto(ir_dim_mul(batch, per_img).hi);
  }
  ir_etype it = attr_et(op, "output_type", IR_ET_I64);
  ir_shape o0 = ir_shape_dynamic_of_rank(2), o1 = ir_shape_dynamic_of_rank(2),
           o2 = ir_shape_dynamic_of_rank(1);
  o0.d[0] = o1.d[0] = m;
  o0.d[1] = ir_dim_static(6);
  o1.d[1] = ir_dim_static(1);
  o2.d[0] = batch;
  set_out(op, 0, in_et(op, 1), &o0);
  set_out(op, 1, it, &o1);
  set_out(op, 2, it, &o2);
  return OVCC_OK;
}

/* ---- region-of-interest and proposal ops ---- */

/* [num_rois, C, h, w] */
static ovcc_status roi_out(ir_op *op, ir_dim c, int64_t h, int64_t w, ir_diag *d) {
  IR_TRY(need_rank(op, 0, 4, "feature map", d));
  IR_TRY(need_rank(op, 1, 2, "rois", d));
  if (h <= 0 || w <= 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "output size %" PRId64 "x%" PRId64 " must be positive",
                  h, w);
  ir_dim rois = dim_at(in_shape(op, 1), 0);
  if (op->n_operands > 2 && has_in(op, 2) && op->kind != IR_OP_DEFORMABLEPSROIPOOLING_1) {
    IR_TRY(need_rank(op, 2, 1, "batch_indices", d));
    IR_TRY(merge_dim(&rois, dim_at(in_shape(op, 2), 0), "batch_indices length vs rois", d));
  }
  ir_shape out = ir_shape_dynamic_of_rank(4);
  out.d[0] = rois;
  out.d[1] = c;
  out.d[2] = ir_dim_static(h);
  out.d[3] = ir_dim_static(w);
  set_out(op, 0, in_et(op, 0), &out);
  return OVCC_OK;
}

ovcc_status ir_shape_roi_pooling(ir_op *op, ir_diag *d) {
  return roi_out(op, dim_at(in_shape(op, 0), 1), ir_op_attr_int(op, "pooled_h", 0),
                 ir_op_attr_int(op, "pooled_w", 0), d);
}

ovcc_status ir_shape_ps_roi_pooling(ir_op *op, ir_diag *d) {
  int64_t od = ir_op_attr_int(op, "output_dim", 0), g = ir_op_attr_int(op, "group_size", 1);
  if (od <= 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "output_dim %" PRId64 " must be positive", od);
  return roi_out(op, ir_dim_static(od), g, g, d);
}

ovcc_status ir_shape_proposal(ir_op *op, ir_diag *d) {
  IR_TRY(need_rank(op, 0, 4, "class_probs", d));
  IR_TRY(need_rank(op, 1, 4, "bbox_deltas", d));
  int64_t post = ir_op_attr_int(op, "post_nms_topn", 0);
  if (post <= 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "post_nms_topn %" PRId64 " must be positive", post);
  ir_dim b = dim_at(in_shape(op, 0), 0);
  IR_TRY(merge_dim(&b, dim_at(in_shape(op, 1), 0), "bbox_deltas batch vs class_probs batch", d));
  ir_shape o0 = ir_shape_dynamic_of_rank(2), o1 = ir_shape_dynamic_of_rank(1);
  o0.d[0] = o1.d[0] = ir_dim_mul(b, ir_dim_static(post));
  o0.d[1] = ir_dim_static(5);
  set_out(op, 0, in_et(op, 0), &o0);
  set_out(op, 1, in_et(op, 0), &o1);
  return OVCC_OK;
}

ovcc_status ir_shape_generate_proposals(ir_op *op, ir_diag *d) {
  IR_TRY(need_rank(op, 0, 2, "im_info", d));
  IR_TRY(need_rank(op, 3, 4, "scores", d));
  int64_t post = ir_op_attr_int(op, "post_nms_count", 0);
  if (post <= 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "post_nms_count %" PRId64 " must be positive", post);
  ir_dim b = dim_at(in_shape(op, 0), 0);
  IR_TRY(merge_dim(&b, dim_at(in_shape(op, 3), 0), "scores batch vs im_info batch", d));
  ir_dim m = dim_upto(ir_dim_mul(b, ir_dim_static(post)).hi);
  ir_shape o0 = ir_shape_dynamic_of_rank(2), o1 = ir_shape_dynamic_of_rank(1),
           o2 = ir_shape_dynamic_of_rank(1);
  o0.d[0] = o1.d[0] = m;
  o0.d[1] = ir_dim_static(4);
  o2.d[0] = b;
  set_out(op, 0, in_et(op, 0), &o0);
  set_out(op, 1, in_et(op, 0), &o1);
  set_out(op, 2, attr_et(op, "roi_num_type", IR_ET_I64), &o2);
  return OVCC_OK;
}

/* [n, 4] / [n] helpers for the ExperimentalDetectron ops. */
static void boxes_out(ir_op *op, uint32_t i, ir_etype et, ir_dim n, int64_t cols) {
  ir_shape s = ir_shape_dynamic_of_rank(cols ? 2 : 1);
  s.d[0] = n;
  if (cols)
    s.d[1] = ir_dim_static(cols);
  set_out(op, i, et, &s);
}

ovcc_status ir_shape_ed_detection_output(ir_op *op, ir_diag *d) {
  int64_t n = ir_op_attr_int(op, "max_detections_per_image", 0);
  if (n <= 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "max_detections_per_image must be positive");
  ir_etype et = in_et(op, 0);
  boxes_out(op, 0, et, ir_dim_static(n), 4);
  boxes_out(op, 1, IR_ET_I32, ir_dim_static(n), 0);
  boxes_out(op, 2, et, ir_dim_static(n), 0);
  return OVCC_OK;
}

ovcc_status ir_shape_ed_generate_proposals(ir_op *op, ir_diag *d) {
  int64_t n = ir_op_attr_int(op, "post_nms_count", 0);
  if (n <= 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "post_nms_count must be positive");
  boxes_out(op, 0, in_et(op, 0), ir_dim_static(n), 4);
  boxes_out(op, 1, in_et(op, 0), ir_dim_static(n), 0);
  return OVCC_OK;
}

ovcc_status ir_shape_ed_topk_rois(ir_op *op, ir_diag *d) {
  int64_t n = ir_op_attr_int(op, "max_rois", -1);
  if (n < 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "max_rois must not be negative");
  IR_TRY(need_rank(op, 0, 2, "input_rois", d));
  boxes_out(op, 0, in_et(op, 0), ir_dim_static(n), 4);
  return OVCC_OK;
}

ovcc_status ir_shape_ed_prior_grid(ir_op *op, ir_diag *d) {
  IR_TRY(need_rank(op, 0, 2, "priors", d));
  IR_TRY(need_rank(op, 1, 4, "feature_map", d));
  ir_dim p = dim_at(in_shape(op, 0), 0);
  ir_dim h = dim_at(in_shape(op, 1), 2), w = dim_at(in_shape(op, 1), 3);
  ir_etype et = in_et(op, 0);
  if (ir_op_attr_bool(op, "flatten", true)) {
    boxes_out(op, 0, et, ir_dim_mul(ir_dim_mul(h, w), p), 4);
  } else {
    ir_shape s = ir_shape_dynamic_of_rank(4);
    s.d[0] = h;
    s.d[1] = w;
    s.d[2] = p;
    s.d[3] = ir_dim_static(4);
    set_out(op, 0, et, &s);
  }
  return OVCC_OK;
}

ovcc_status ir_shape_ed_roi_feature_extractor(ir_op *op, ir_diag *d) {
  IR_TRY(need_rank(op, 0, 2, "rois", d));
  int64_t os = ir_op_attr_int(op, "output_size", 0);
  if (os <= 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "output_size must be positive");
  ir_dim c = ir_dim_dynamic();
  for (uint32_t i = 1; i < op->n_operands; i++) {
    if (!has_in(op, i))
      continue;
    IR_TRY(need_rank(op, i, 4, "feature map", d));
    IR_TRY(merge_dim(&c, dim_at(in_shape(op, i), 1), "feature map channels", d));
  }
  ir_dim r = dim_at(in_shape(op, 0), 0);
  ir_shape s = ir_shape_dynamic_of_rank(4);
  s.d[0] = r;
  s.d[1] = c;
  s.d[2] = s.d[3] = ir_dim_static(os);
  set_out(op, 0, in_et(op, 0), &s);
  boxes_out(op, 1, in_et(op, 0), r, 4);
  return OVCC_OK;
}

/* ---- strings ---- */

ovcc_status ir_shape_string_tensor_pack(ir_op *op, ir_diag *d) {
  IR_TRY(need_rank(op, 2, 1, "symbols", d));
  const ir_shape *b = in_shape(op, 0), *e = in_shape(op, 1);
  ir_shape out;
  if (!ir_shape_merge(&out, b, e))
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "begins and ends shapes differ");
  set_out(op, 0, IR_ET_STRING, &out);
  return OVCC_OK;
}

ovcc_status ir_shape_string_tensor_unpack(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  if (in_et(op, 0) != IR_ET_STRING && in_et(op, 0) != IR_ET_DYNAMIC)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input must be a string tensor, got %s",
                  ir_etype_name(in_et(op, 0)));
  set_out(op, 0, IR_ET_I32, x);
  set_out(op, 1, IR_ET_I32, x);
  set_out_rank(op, 2, IR_ET_U8, 1);
  return OVCC_OK;
}
