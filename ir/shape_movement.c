/* Shape functions of the data-movement and shape ops: Reshape, Squeeze,
 * Unsqueeze, Transpose, Concat, Split, VariadicSplit, Slice, StridedSlice,
 * Tile, Broadcast, Pad, Gather*, Scatter*, ShapeOf, Range, Interpolate,
 * DepthToSpace, SpaceToDepth, ShuffleChannels.
 *
 * Operand values that shape inference knows (constants, folded ShapeOf
 * chains) make results static; otherwise results keep what can be proven
 * (rank, untouched dims) and the rest is dynamic. Rules follow OpenVINO's
 * shape inference; messages name the problem, the caller adds the op. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ir.h"
#include "shape_fn.h"
#include "slice_plan.h"

enum { MAX_VEC = 64 }; /* longest index vector read from a known value */

/* ---- helpers ---- */

static void set_out_dyn_rank(ir_op *op, uint32_t i, ir_etype et) {
  ir_shape s = ir_shape_dynamic_rank();
  set_out(op, i, et, &s);
}

/* Known integer values of input i (count), or -1. */
static int known_ints(const ir_op *op, uint32_t i, int64_t *buf, int max) {
  if (!has_in(op, i))
    return -1;
  return ir_value_known_ints(ir_op_operand(op, i), buf, max);
}

/* Static length of a 0-D/1-D input (scalar = 1), or -1. */
static int64_t vec_len(const ir_op *op, uint32_t i) {
  const ir_shape *s = in_shape(op, i);
  if (s->rank == 0)
    return 1;
  if (s->rank == 1 && ir_dim_is_static(s->d[0]))
    return s->d[0].lo;
  return -1;
}

static ovcc_status check_vec(const ir_op *op, uint32_t i, const char *what, ir_diag *d) {
  const ir_shape *s = in_shape(op, i);
  if (s->rank > 1)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "%s must be 0-D or 1-D, got rank %d", what,
                  (int)s->rank);
  return OVCC_OK;
}

static ovcc_status rank_limit(int64_t r, ir_diag *d) {
  if (r > IR_MAX_RANK)
    return IR_ERR(d, OVCC_ERR_UNSUPPORTED, "output rank %lld exceeds the limit of %d", (long long)r,
                  IR_MAX_RANK);
  return OVCC_OK;
}

/* A known scalar/1-element integer input. */
static bool known_scalar(const ir_op *op, uint32_t i, int64_t *v) {
  int64_t buf[1];
  if (known_ints(op, i, buf, 1) != 1)
    return false;
  *v = buf[0];
  return true;
}

/* Known values of input i as doubles (floats or ints), or -1. */
static int known_f64(const ir_op *op, uint32_t i, double *buf, int max) {
  if (!has_in(op, i))
    return -1;
  const ir_value *v = ir_op_operand(op, i);
  const ir_tensor *t = ir_value_known(v);
  ir_tensor ct;
  if (!t && v->def && ir_const_tensor(v->def, &ct))
    t = &ct;
  if (!t || !t->data || t->shape.rank > 1 || t->numel > (uint64_t)max ||
      !(ir_etype_is_int(t->et) || ir_etype_is_float(t->et) || t->et == IR_ET_BOOLEAN))
    return -1;
  for (uint64_t k = 0; k < t->numel; k++)
    buf[k] = ir_elem_get_f64(t->et, t->data, k);
  return (int)t->numel;
}

static void fmt_shape(const ir_shape *s, char *buf, size_t cap) {
  char tmp[512];
  ir_shape_format(s, tmp, sizeof tmp);
  snprintf(buf, cap, "[%s]", tmp);
}

static ir_dim dim_div_exact(ir_dim a, int64_t k) {
  ir_dim r;
  r.lo = (a.lo + k - 1) / k;
  r.hi = a.hi == IR_DIM_INF ? IR_DIM_INF : a.hi / k;
  return r;
}

static ir_dim dim_add_signed(ir_dim a, int64_t k) {
  ir_dim r;
  r.lo = a.lo + k < 0 ? 0 : a.lo + k;
  r.hi = a.hi == IR_DIM_INF ? IR_DIM_INF : (a.hi + k < 0 ? 0 : a.hi + k);
  return r;
}

static bool dim_may_be(ir_dim a, int64_t v) {
  return a.lo <= v && (a.hi == IR_DIM_INF || a.hi >= v);
}

/* ---- Reshape ---- */

/* Resolves -1 and checks the element count; `copied` dims cancel out. */
static ovcc_status reshape_count(const ir_shape *x, ir_shape *r, int minus, const bool *copied,
                                 ir_diag *d) {
  uint64_t in_p = 1, out_p = 1;
  bool in_dyn = x->rank < 0;
  for (int i = 0; !in_dyn && i < x->rank; i++) {
    if (i < r->rank && copied[i])
      continue;
    if (!ir_dim_is_static(x->d[i]))
      in_dyn = true;
    else if (__builtin_mul_overflow(in_p, (uint64_t)x->d[i].lo, &in_p))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input element count overflows");
  }
  for (int i = 0; i < r->rank; i++) {
    if (i == minus || copied[i])
      continue;
    if (__builtin_mul_overflow(out_p, (uint64_t)r->d[i].lo, &out_p))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "target element count overflows");
  }
  if (in_dyn) {
    if (minus >= 0)
      r->d[minus] = ir_dim_dynamic();
    return OVCC_OK;
  }
  char ts[600];
  if (minus >= 0) {
    if (out_p == 0 ? in_p != 0 : in_p % out_p != 0) {
      r->d[minus] = ir_dim_dynamic();
      fmt_shape(r, ts, sizeof ts);
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "cannot reshape %" PRIu64 " elements into %s", in_p,
                    ts);
    }
    r->d[minus] = ir_dim_static(out_p == 0 ? 1 : (int64_t)(in_p / out_p));
  } else if (in_p != out_p) {
    fmt_shape(r, ts, sizeof ts);
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "cannot reshape %" PRIu64 " elements into %s", in_p,
                  ts);
  }
  return OVCC_OK;
}

ovcc_status ir_shape_reshape(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  IR_TRY(check_vec(op, 1, "target shape", d));
  int64_t t[MAX_VEC];
  int n = known_ints(op, 1, t, MAX_VEC);
  if (n < 0) {
    int64_t len = vec_len(op, 1);
    if (len < 0) {
      set_out_dyn_rank(op, 0, et);
      return OVCC_OK;
    }
    IR_TRY(rank_limit(len, d));
    ir_shape s = ir_shape_dynamic_of_rank((int)len);
    set_out(op, 0, et, &s);
    return OVCC_OK;
  }
  IR_TRY(rank_limit(n, d));
  bool sz = ir_op_attr_bool(op, "special_zero", false);
  ir_shape r = ir_shape_scalar();
  r.rank = n;
  bool copied[IR_MAX_RANK] = {false};
  int minus = -1;
  for (int i = 0; i < n; i++) {
    int64_t v = t[i];
    if (v == -1) {
      if (minus >= 0)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "target shape has two -1 entries");
      minus = i;
    } else if (v < -1) {
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "target shape entry %lld is invalid", (long long)v);
    } else if (v == 0 && sz) {
      if (x->rank >= 0 && i >= x->rank)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                      "special_zero: target entry %d copies a dimension beyond "
                      "the input rank %d",
                      i, (int)x->rank);
      r.d[i] = x->rank >= 0 ? x->d[i] : ir_dim_dynamic();
      copied[i] = x->rank >= 0;
    } else {
      if (v > IR_MAX_DIM)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "target shape entry %lld is too large",
                      (long long)v);
      r.d[i] = ir_dim_static(v);
    }
  }
  IR_TRY(reshape_count(x, &r, minus, copied, d));
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

/* ---- Squeeze / Unsqueeze ---- */

static ovcc_status squeeze_all(ir_op *op, const ir_shape *x, ir_etype et) {
  ir_shape r = ir_shape_scalar();
  for (int i = 0; i < x->rank; i++) {
    if (ir_dim_is_static(x->d[i]) && x->d[i].lo == 1)
      continue;
    if (ir_dim_is_dynamic(x->d[i]) && dim_may_be(x->d[i], 1)) {
      set_out_dyn_rank(op, 0, et); /* may or may not be squeezed */
      return OVCC_OK;
    }
    r.d[r.rank++] = x->d[i];
  }
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

ovcc_status ir_shape_squeeze(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  bool skip = op->kind == IR_OP_SQUEEZE_15 && ir_op_attr_bool(op, "allow_axis_skip", false);
  if (!has_in(op, 1))
    return x->rank < 0 ? (set_out_dyn_rank(op, 0, et), OVCC_OK) : squeeze_all(op, x, et);
  IR_TRY(check_vec(op, 1, "axes", d));
  int64_t ax[MAX_VEC];
  int n = known_ints(op, 1, ax, MAX_VEC);
  if (x->rank < 0 || n < 0) {
    int64_t len = vec_len(op, 1);
    if (x->rank >= 0 && len > 0 && len <= x->rank && !skip) {
      ir_shape s = ir_shape_dynamic_of_rank(x->rank - (int)len);
      set_out(op, 0, et, &s);
    } else {
      set_out_dyn_rank(op, 0, et);
    }
    return OVCC_OK;
  }
  if (n == 0)
    return squeeze_all(op, x, et);
  bool drop[IR_MAX_RANK] = {false};
  for (int k = 0; k < n; k++) {
    int64_t a;
    if (!ir_axis_normalize(ax[k], x->rank, &a, d))
      return d->status;
    ir_dim dm = x->d[a];
    if (ir_dim_is_static(dm) && dm.lo == 1) {
      drop[a] = true;
    } else if (dim_may_be(dm, 1)) { /* dynamic, may be 1 */
      if (skip) {
        set_out_dyn_rank(op, 0, et);
        return OVCC_OK;
      }
      drop[a] = true;
    } else if (!skip) {
      char ds[64];
      ir_dim_format(dm, ds, sizeof ds);
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "cannot squeeze axis %lld: its dimension is %s, not 1", (long long)ax[k], ds);
    }
  }
  ir_shape r = ir_shape_scalar();
  for (int i = 0; i < x->rank; i++)
    if (!drop[i])
      r.d[r.rank++] = x->d[i];
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

ovcc_status ir_shape_unsqueeze(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  IR_TRY(check_vec(op, 1, "axes", d));
  int64_t ax[MAX_VEC];
  int n = known_ints(op, 1, ax, MAX_VEC);
  if (x->rank < 0) {
    set_out_dyn_rank(op, 0, et);
    return OVCC_OK;
  }
  if (n < 0) {
    int64_t len = vec_len(op, 1);
    if (len < 0) {
      set_out_dyn_rank(op, 0, et);
      return OVCC_OK;
    }
    IR_TRY(rank_limit(x->rank + len, d));
    ir_shape s = ir_shape_dynamic_of_rank(x->rank + (int)len);
    set_out(op, 0, et, &s);
    return OVCC_OK;
  }
  int out_rank = x->rank + n;
  IR_TRY(rank_limit(out_rank, d));
  bool ins[IR_MAX_RANK] = {false};
  for (int k = 0; k < n; k++) {
    int64_t a;
    if (!ir_axis_normalize(ax[k], out_rank, &a, d))
      return d->status;
    if (ins[a])
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "axis %lld is repeated in axes", (long long)ax[k]);
    ins[a] = true;
  }
  ir_shape r = ir_shape_scalar();
  r.rank = out_rank;
  for (int i = 0, j = 0; i < out_rank; i++)
    r.d[i] = ins[i] ? ir_dim_static(1) : x->d[j++];
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

/* ---- Transpose ---- */

ovcc_status ir_shape_transpose(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  IR_TRY(check_vec(op, 1, "order", d));
  int64_t ord[MAX_VEC];
  int n = known_ints(op, 1, ord, MAX_VEC);
  int64_t len = n >= 0 ? n : vec_len(op, 1);
  if (len > 0 && x->rank >= 0 && len != x->rank)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "order has %lld entries for data of rank %d",
                  (long long)len, (int)x->rank);
  if (len == 0) { /* empty order: reverse */
    if (x->rank < 0)
      return set_out_dyn_rank(op, 0, et), OVCC_OK;
    ir_shape r = *x;
    for (int i = 0; i < x->rank; i++)
      r.d[i] = x->d[x->rank - 1 - i];
    set_out(op, 0, et, &r);
    return OVCC_OK;
  }
  if (len < 0)
    return set_out_dyn_rank(op, 0, et), OVCC_OK;
  IR_TRY(rank_limit(len, d));
  if (n < 0) {
    ir_shape s = ir_shape_dynamic_of_rank((int)len);
    set_out(op, 0, et, &s);
    return OVCC_OK;
  }
  bool seen[IR_MAX_RANK] = {false};
  for (int i = 0; i < n; i++) {
    if (ord[i] < 0 || ord[i] >= n || seen[ord[i]])
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "order is not a permutation of 0..%d (entry %lld)",
                    n - 1, (long long)ord[i]);
    seen[ord[i]] = true;
  }
  ir_shape r = ir_shape_dynamic_of_rank(n);
  if (x->rank >= 0)
    for (int i = 0; i < n; i++)
      r.d[i] = x->d[ord[i]];
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

/* ---- Concat ---- */

ovcc_status ir_shape_concat(ir_op *op, ir_diag *d) {
  int rank = -1;
  ir_etype et = IR_ET_DYNAMIC;
  for (uint32_t i = 0; i < op->n_operands; i++) {
    if (!has_in(op, i))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u is missing", i);
    const ir_shape *s = in_shape(op, i);
    ir_etype e = in_et(op, i);
    if (e != IR_ET_DYNAMIC) {
      if (et != IR_ET_DYNAMIC && e != et)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u has element type %s, expected %s", i,
                      ir_etype_name(e), ir_etype_name(et));
      et = e;
    }
    if (s->rank >= 0) {
      if (rank >= 0 && s->rank != rank)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u has rank %d, expected %d", i,
                      (int)s->rank, rank);
      rank = s->rank;
    }
  }
  if (rank < 0)
    return set_out_dyn_rank(op, 0, et), OVCC_OK;
  int64_t axis;
  if (!ir_axis_normalize(ir_op_attr_int(op, "axis", 0), rank, &axis, d))
    return d->status;
  ir_shape r = ir_shape_dynamic_of_rank(rank);
  r.d[axis] = ir_dim_static(0);
  for (uint32_t i = 0; i < op->n_operands; i++) {
    const ir_shape *s = in_shape(op, i);
    if (s->rank < 0) {
      r.d[axis] = ir_dim_add(r.d[axis], ir_dim_dynamic());
      continue;
    }
    for (int k = 0; k < rank; k++) {
      if (k == axis) {
        r.d[k] = ir_dim_add(r.d[k], s->d[k]);
      } else if (!ir_dim_merge(&r.d[k], r.d[k], s->d[k])) {
        char a[64];
        ir_dim_format(s->d[k], a, sizeof a);
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                      "input %u: dimension %d is %s, which does not match the "
                      "other inputs",
                      i, k, a);
      }
    }
  }
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

/* ---- Split / VariadicSplit ---- */

static void split_all_dynamic(ir_op *op, const ir_shape *x, ir_etype et) {
  ir_shape s = x->rank >= 0 ? ir_shape_dynamic_of_rank(x->rank) : ir_shape_dynamic_rank();
  for (uint32_t i = 0; i < op->n_results; i++)
    set_out(op, i, et, &s);
}

ovcc_status ir_shape_split(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  int64_t ns = ir_op_attr_int(op, "num_splits", 0);
  if (ns <= 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "num_splits %lld must be positive", (long long)ns);
  if ((int64_t)op->n_results != ns)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "op has %u outputs but num_splits is %lld",
                  op->n_results, (long long)ns);
  int64_t axis;
  if (x->rank < 0 || !known_scalar(op, 1, &axis)) {
    split_all_dynamic(op, x, et);
    return OVCC_OK;
  }
  if (!ir_axis_normalize(axis, x->rank, &axis, d))
    return d->status;
  ir_shape r = *x;
  ir_dim dm = x->d[axis];
  if (ir_dim_is_static(dm) && dm.lo % ns != 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "dimension %lld on axis %lld is not divisible by num_splits %lld",
                  (long long)dm.lo, (long long)axis, (long long)ns);
  r.d[axis] = dim_div_exact(dm, ns);
  for (uint32_t i = 0; i < op->n_results; i++)
    set_out(op, i, et, &r);
  return OVCC_OK;
}

ovcc_status ir_shape_variadic_split(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  IR_TRY(check_vec(op, 2, "split_lengths", d));
  int64_t len[MAX_VEC];
  int n = known_ints(op, 2, len, MAX_VEC);
  int64_t vl = n >= 0 ? n : vec_len(op, 2);
  if (vl >= 0 && vl != (int64_t)op->n_results)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "op has %u outputs but split_lengths has %lld entries",
                  op->n_results, (long long)vl);
  int64_t axis;
  if (x->rank < 0 || !known_scalar(op, 1, &axis) || n < 0) {
    if (x->rank >= 0 && known_scalar(op, 1, &axis) && !ir_axis_normalize(axis, x->rank, &axis, d))
      return d->status;
    split_all_dynamic(op, x, et);
    return OVCC_OK;
  }
  if (!ir_axis_normalize(axis, x->rank, &axis, d))
    return d->status;
  int minus = -1;
  int64_t sum = 0;
  for (int i = 0; i < n; i++) {
    if (len[i] == -1) {
      if (minus >= 0)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "split_lengths has two -1 entries");
      minus = i;
    } else if (len[i] < 0 || len[i] > IR_MAX_DIM) {
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "split_lengths entry %lld is invalid",
                    (long long)len[i]);
    } else {
      sum += len[i];
    }
  }
  ir_dim dm = x->d[axis];
  if (ir_dim_is_static(dm) && (minus < 0 ? sum != dm.lo : sum > dm.lo))
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "split_lengths sum to %lld, but the dimension on axis %lld is %lld",
                  (long long)sum, (long long)axis, (long long)dm.lo);
  for (int i = 0; i < n; i++) {
    ir_shape r = *x;
    r.d[axis] = i == minus ? dim_add_signed(dm, -sum) : ir_dim_static(len[i]);
    set_out(op, (uint32_t)i, et, &r);
  }
  return OVCC_OK;
}

/* ---- Slice / StridedSlice ---- */

ovcc_status ir_shape_slice(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  static const char *const names[] = {"start", "stop", "step", "axes"};
  int64_t v[4][MAX_VEC];
  int n[4];
  for (uint32_t i = 1; i <= 4; i++) {
    n[i - 1] = -1;
    if (!has_in(op, i))
      continue;
    IR_TRY(check_vec(op, i, names[i - 1], d));
    n[i - 1] = known_ints(op, i, v[i - 1], MAX_VEC);
    if (n[i - 1] < 0)
      n[i - 1] = -2 - (int)vec_len(op, i); /* <= -1: unknown values; length encoded */
  }
  if (x->rank < 0)
    return set_out_dyn_rank(op, 0, et), OVCC_OK;
  int cnt = -1;
  for (int k = 0; k < 4; k++) {
    int len = n[k] >= 0 ? n[k] : -2 - n[k];
    if (k == 3 && !has_in(op, 4))
      continue;
    if (len < 0)
      continue;
    if (cnt >= 0 && len != cnt)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "%s has %d entries, expected %d", names[k], len,
                    cnt);
    cnt = len;
  }
  ir_shape r;
  if (has_in(op, 4) && n[3] < 0) { /* unknown axes: any dim may be sliced */
    r = *x;
    for (int i = 0; i < x->rank; i++)
      r.d[i].lo = 0;
    set_out(op, 0, et, &r);
    return OVCC_OK;
  }
  if (cnt < 0)
    cnt = x->rank;
  ir_slice_spec s;
  IR_TRY(ir_slice_spec_slice(&s, x->rank, cnt, n[0] >= 0 ? v[0] : NULL, n[1] >= 0 ? v[1] : NULL,
                             n[2] >= 0 ? v[2] : NULL, has_in(op, 4) ? v[3] : NULL, d));
  IR_TRY(ir_slice_spec_shape(&s, x, &r, d));
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

ovcc_status ir_shape_strided_slice(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  static const char *const names[] = {"begin", "end", "stride"};
  int64_t v[3][MAX_VEC];
  int n[3] = {-1, -1, -1}, cnt = -1;
  for (uint32_t i = 1; i <= 3; i++) {
    if (!has_in(op, i))
      continue;
    IR_TRY(check_vec(op, i, names[i - 1], d));
    n[i - 1] = known_ints(op, i, v[i - 1], MAX_VEC);
    int len = n[i - 1] >= 0 ? n[i - 1] : (int)vec_len(op, i);
    if (len >= 0 && cnt >= 0 && len != cnt)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "%s has %d entries, expected %d", names[i - 1], len,
                    cnt);
    if (len >= 0)
      cnt = len;
  }
  if (cnt < 0 || cnt > MAX_VEC)
    return set_out_dyn_rank(op, 0, et), OVCC_OK;
  ir_slice_spec s;
  ir_shape r;
  IR_TRY(ir_slice_spec_strided(&s, op, x->rank, cnt, n[0] >= 0 ? v[0] : NULL,
                               n[1] >= 0 ? v[1] : NULL, n[2] >= 0 ? v[2] : NULL, !has_in(op, 3),
                               d));
  IR_TRY(ir_slice_spec_shape(&s, x, &r, d));
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

/* ---- Tile ---- */

ovcc_status ir_shape_tile(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  IR_TRY(check_vec(op, 1, "repeats", d));
  int64_t rep[MAX_VEC];
  int n = known_ints(op, 1, rep, MAX_VEC);
  int64_t len = n >= 0 ? n : vec_len(op, 1);
  if (x->rank < 0 || len < 0)
    return set_out_dyn_rank(op, 0, et), OVCC_OK;
  int64_t rank = x->rank > len ? x->rank : len;
  IR_TRY(rank_limit(rank, d));
  ir_shape r = ir_shape_dynamic_of_rank((int)rank);
  if (n < 0) {
    set_out(op, 0, et, &r);
    return OVCC_OK;
  }
  for (int i = 0; i < rank; i++) {
    int xi = i - (int)(rank - x->rank), ri = i - (int)(rank - n);
    ir_dim xd = xi >= 0 ? x->d[xi] : ir_dim_static(1);
    int64_t rv = ri >= 0 ? rep[ri] : 1;
    if (rv < 0 || rv > IR_MAX_DIM)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "repeats entry %lld is invalid", (long long)rv);
    r.d[i] = ir_dim_mul(xd, ir_dim_static(rv));
  }
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

/* ---- Broadcast ---- */

/* Unidirectional broadcast of x into the static target t, data aligned at
 * `start` (numpy: trailing; pdpd: 0) or through `map` (explicit). */
static ovcc_status bcast_into(const ir_shape *x, const ir_shape *t, int start, const int64_t *map,
                              ir_diag *d) {
  for (int i = 0; i < x->rank; i++) {
    int k = map ? (int)map[i] : start + i;
    ir_dim xd = x->d[i];
    if (ir_dim_is_static(xd) && xd.lo != 1 && xd.lo != t->d[k].lo) {
      char xs[600], ts[600];
      fmt_shape(x, xs, sizeof xs);
      fmt_shape(t, ts, sizeof ts);
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "data shape %s does not broadcast to %s: dimension %d is "
                    "%lld, target %lld",
                    xs, ts, i, (long long)xd.lo, (long long)t->d[k].lo);
    }
  }
  return OVCC_OK;
}

static ovcc_status bcast_explicit_map(const ir_op *op, const ir_shape *x, int trank, int64_t *map,
                                      bool *have, ir_diag *d) {
  *have = false;
  if (!has_in(op, 2))
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "explicit mode needs the axes_mapping input");
  int m = known_ints(op, 2, map, MAX_VEC);
  if (m < 0 || x->rank < 0)
    return OVCC_OK;
  if (m != x->rank)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "axes_mapping has %d entries for data of rank %d", m,
                  (int)x->rank);
  for (int i = 0; i < m; i++)
    if (map[i] < 0 || map[i] >= trank || (i > 0 && map[i] <= map[i - 1]))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "axes_mapping entry %lld is out of range or not increasing "
                    "(target rank %d)",
                    (long long)map[i], trank);
  *have = true;
  return OVCC_OK;
}

ovcc_status ir_shape_broadcast(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  const char *mode = ir_op_attr_str(op, "mode", "numpy");
  IR_TRY(check_vec(op, 1, "target shape", d));
  int64_t t[MAX_VEC];
  int n = known_ints(op, 1, t, MAX_VEC);
  int64_t len = n >= 0 ? n : vec_len(op, 1);
  bool bidir = strcmp(mode, "bidirectional") == 0;
  if (len < 0)
    return set_out_dyn_rank(op, 0, et), OVCC_OK;
  IR_TRY(rank_limit(len, d));
  ir_shape ts = ir_shape_dynamic_of_rank((int)len);
  for (int i = 0; n >= 0 && i < n; i++) {
    if (t[i] < 0 || t[i] > IR_MAX_DIM)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "target shape entry %lld is invalid",
                    (long long)t[i]);
    ts.d[i] = ir_dim_static(t[i]);
  }
  ir_shape r = ts;
  if (bidir) {
    if (!ir_shape_broadcast_numpy(&r, x, &ts, d))
      return d->status;
  } else if (strcmp(mode, "explicit") == 0) {
    int64_t map[MAX_VEC];
    bool have;
    IR_TRY(bcast_explicit_map(op, x, (int)len, map, &have, d));
    if (have && n >= 0)
      IR_TRY(bcast_into(x, &ts, 0, map, d));
  } else if (x->rank >= 0) { /* numpy, pdpd */
    if (x->rank > len)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "data rank %d is larger than the target rank %lld",
                    (int)x->rank, (long long)len);
    int start = strcmp(mode, "pdpd") == 0 ? 0 : (int)len - x->rank;
    if (n >= 0)
      IR_TRY(bcast_into(x, &ts, start, NULL, d));
  }
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

/* ---- Pad ---- */

ovcc_status ir_shape_pad(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  IR_TRY(check_vec(op, 1, "pads_begin", d));
  IR_TRY(check_vec(op, 2, "pads_end", d));
  int64_t pb[MAX_VEC], pe[MAX_VEC];
  int nb = known_ints(op, 1, pb, MAX_VEC), ne = known_ints(op, 2, pe, MAX_VEC);
  if (x->rank < 0) {
    int64_t len = nb >= 0 ? nb : vec_len(op, 1);
    if (len < 0 || len > IR_MAX_RANK)
      return set_out_dyn_rank(op, 0, et), OVCC_OK;
    ir_shape s = ir_shape_dynamic_of_rank((int)len);
    set_out(op, 0, et, &s);
    return OVCC_OK;
  }
  int64_t lb = nb >= 0 ? nb : vec_len(op, 1), le = ne >= 0 ? ne : vec_len(op, 2);
  if (lb >= 0 && lb != x->rank)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "pads_begin has %lld entries for data of rank %d",
                  (long long)lb, (int)x->rank);
  if (le >= 0 && le != x->rank)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "pads_end has %lld entries for data of rank %d",
                  (long long)le, (int)x->rank);
  const char *mode = ir_op_attr_str(op, "pad_mode", "constant");
  bool reflect = strcmp(mode, "reflect") == 0, symmetric = strcmp(mode, "symmetric") == 0;
  ir_shape r = *x;
  for (int i = 0; i < x->rank; i++) {
    if (nb < 0 || ne < 0) {
      r.d[i] = ir_dim_dynamic();
      continue;
    }
    if (pb[i] < -IR_MAX_DIM || pb[i] > IR_MAX_DIM || pe[i] < -IR_MAX_DIM || pe[i] > IR_MAX_DIM)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "pad on axis %d is out of range", i);
    ir_dim xd = x->d[i];
    if (ir_dim_is_static(xd)) {
      int64_t lim = reflect ? xd.lo - 1 : symmetric ? xd.lo : INT64_MAX;
      if (pb[i] > lim || pe[i] > lim)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                      "%s pad on axis %d (%lld, %lld) exceeds the limit %lld "
                      "for dimension %lld",
                      mode, i, (long long)pb[i], (long long)pe[i], (long long)lim,
                      (long long)xd.lo);
      if (xd.lo + pb[i] + pe[i] < 0)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                      "pads on axis %d make dimension %lld negative (%lld)", i, (long long)xd.lo,
                      (long long)(xd.lo + pb[i] + pe[i]));
    }
    r.d[i] = dim_add_signed(xd, pb[i] + pe[i]);
  }
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

/* ---- Gather family ---- */

ovcc_status ir_shape_gather(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0), *ix = in_shape(op, 1);
  ir_etype et = in_et(op, 0);
  int64_t b = op->kind == IR_OP_GATHER_1 ? 0 : ir_op_attr_int(op, "batch_dims", 0);
  if (b < 0) {
    if (ix->rank < 0)
      return set_out_dyn_rank(op, 0, et), OVCC_OK;
    if (b < -(int64_t)ix->rank)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "batch_dims %lld is out of range for indices rank %d", (long long)b,
                    (int)ix->rank);
    b += ix->rank;
  }
  int64_t axis;
  bool axis_known = known_scalar(op, 2, &axis);
  if (x->rank < 0 || ix->rank < 0)
    return set_out_dyn_rank(op, 0, et), OVCC_OK;
  if (b > ix->rank || b > x->rank)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "batch_dims %lld exceeds the data rank %d or the indices rank %d", (long long)b,
                  (int)x->rank, (int)ix->rank);
  int64_t out_rank = x->rank + ix->rank - 1 - b;
  IR_TRY(rank_limit(out_rank, d));
  if (!axis_known) {
    ir_shape s = ir_shape_dynamic_of_rank((int)out_rank);
    set_out(op, 0, et, &s);
    return OVCC_OK;
  }
  if (!ir_axis_normalize(axis, x->rank, &axis, d))
    return d->status;
  if (b > axis)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "batch_dims %lld is greater than axis %lld",
                  (long long)b, (long long)axis);
  ir_shape r = ir_shape_scalar();
  for (int i = 0; i < axis; i++) {
    ir_dim dm = x->d[i];
    if (i < b && !ir_dim_merge(&dm, x->d[i], ix->d[i]))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "batch dimension %d differs between data and indices", i);
    r.d[r.rank++] = dm;
  }
  for (int i = (int)b; i < ix->rank; i++)
    r.d[r.rank++] = ix->d[i];
  for (int i = (int)axis + 1; i < x->rank; i++)
    r.d[r.rank++] = x->d[i];
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

ovcc_status ir_shape_gather_elements(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0), *ix = in_shape(op, 1);
  ir_etype et = in_et(op, 0);
  int rank = x->rank >= 0 ? x->rank : ix->rank;
  if (x->rank >= 0 && ix->rank >= 0 && x->rank != ix->rank)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "indices rank %d differs from data rank %d",
                  (int)ix->rank, (int)x->rank);
  if (rank < 0)
    return set_out_dyn_rank(op, 0, et), OVCC_OK;
  int64_t axis;
  if (!ir_axis_normalize(ir_op_attr_int(op, "axis", 0), rank, &axis, d))
    return d->status;
  ir_shape r = ix->rank >= 0 ? *ix : ir_shape_dynamic_of_rank(rank);
  for (int i = 0; x->rank >= 0 && i < rank; i++)
    if (i != axis && !ir_dim_merge(&r.d[i], r.d[i], x->d[i]))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "dimension %d differs between data and indices", i);
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

ovcc_status ir_shape_gather_nd(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0), *ix = in_shape(op, 1);
  ir_etype et = in_et(op, 0);
  int64_t b = ir_op_attr_int(op, "batch_dims", 0);
  if (x->rank < 0 || ix->rank < 0 || !ir_dim_is_static(ix->d[ix->rank > 0 ? ix->rank - 1 : 0]))
    return set_out_dyn_rank(op, 0, et), OVCC_OK;
  if (ix->rank < 1 || x->rank < 1)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "data and indices must have rank >= 1");
  int64_t k = ix->d[ix->rank - 1].lo;
  if (b < 0 || b >= ix->rank || b >= x->rank)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "batch_dims %lld is out of range", (long long)b);
  if (b + k > x->rank)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "indices last dimension %lld plus batch_dims %lld exceeds "
                  "the data rank %d",
                  (long long)k, (long long)b, (int)x->rank);
  ir_shape r = ir_shape_scalar();
  ir_dim batch = ir_dim_static(1);
  for (int i = 0; i < b; i++) {
    ir_dim dm;
    if (!ir_dim_merge(&dm, x->d[i], ix->d[i]))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "batch dimension %d differs between data and indices", i);
    if (op->kind == IR_OP_GATHERND_5)
      batch = ir_dim_mul(batch, dm);
    else
      r.d[r.rank++] = dm;
  }
  if (op->kind == IR_OP_GATHERND_5 && b > 0)
    r.d[r.rank++] = batch;
  int64_t out_rank = r.rank + (ix->rank - 1 - b) + (x->rank - b - k);
  IR_TRY(rank_limit(out_rank, d));
  for (int i = (int)b; i < ix->rank - 1; i++)
    r.d[r.rank++] = ix->d[i];
  for (int i = (int)(b + k); i < x->rank; i++)
    r.d[r.rank++] = x->d[i];
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

ovcc_status ir_shape_scatter(ir_op *op, ir_diag *d) {
  (void)d;
  set_out(op, 0, in_et(op, 0), in_shape(op, 0));
  return OVCC_OK;
}

/* ---- ShapeOf / Range ---- */

ovcc_status ir_shape_shape_of(ir_op *op, ir_diag *d) {
  ir_etype et = IR_ET_I64;
  if (op->kind == IR_OP_SHAPEOF_3) {
    const ir_attr_value *a = ir_op_attr(op, "output_type");
    if (a && a->kind == IR_ATTR_ETYPE)
      et = a->u.et;
    if (et != IR_ET_I64 && et != IR_ET_I32)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "output_type must be i32 or i64, got %s",
                    ir_etype_name(et));
  }
  const ir_shape *x = in_shape(op, 0);
  ir_shape r = ir_shape_scalar();
  r.rank = 1;
  r.d[0] = x->rank >= 0 ? ir_dim_static(x->rank) : ir_dim_dynamic();
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

/* Number of Range elements; integer ranges truncate their inputs first. */
static ovcc_status range_len(double start, double stop, double step, bool integral, int64_t *out,
                             ir_diag *d) {
  if (!isfinite(start) || !isfinite(stop) || !isfinite(step))
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "start, stop and step must be finite");
  if (step == 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "step is zero");
  if (integral) {
    start = trunc(start);
    stop = trunc(stop);
    step = trunc(step);
    if (step == 0) {
      *out = 0;
      return OVCC_OK;
    }
  }
  double n = ceil((stop - start) / step);
  if (!(n > 0))
    n = 0;
  if (n > (double)IR_MAX_DIM)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "range of %.0f elements is too large", n);
  *out = (int64_t)n;
  return OVCC_OK;
}

ovcc_status ir_shape_range(ir_op *op, ir_diag *d) {
  ir_etype et = in_et(op, 0);
  if (op->kind == IR_OP_RANGE_4) {
    const ir_attr_value *a = ir_op_attr(op, "output_type");
    et = a && a->kind == IR_ATTR_ETYPE ? a->u.et : IR_ET_DYNAMIC;
  } else {
    for (uint32_t i = 1; i < 3; i++)
      if (in_et(op, i) != IR_ET_DYNAMIC && et != IR_ET_DYNAMIC && in_et(op, i) != et)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u has element type %s, expected %s", i,
                      ir_etype_name(in_et(op, i)), ir_etype_name(et));
  }
  for (uint32_t i = 0; i < 3; i++) {
    const ir_shape *s = in_shape(op, i);
    if (s->rank > 1 || (s->rank == 1 && ir_dim_is_static(s->d[0]) && s->d[0].lo != 1))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u must be a scalar", i);
  }
  double v[3];
  ir_shape r = ir_shape_dynamic_of_rank(1);
  if (known_f64(op, 0, &v[0], 1) == 1 && known_f64(op, 1, &v[1], 1) == 1 &&
      known_f64(op, 2, &v[2], 1) == 1) {
    int64_t n = 0;
    bool integral = et != IR_ET_DYNAMIC && !ir_etype_is_float(et);
    IR_TRY(range_len(v[0], v[1], v[2], integral, &n, d));
    r.d[0] = ir_dim_static(n);
  }
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

/* ---- Interpolate ---- */

/* Axes of an Interpolate (attribute for v1, optional input otherwise);
 * returns the count, or -1 if unknown. */
static int interp_axes(const ir_op *op, int rank, int64_t *axes, ir_diag *d, ovcc_status *st) {
  *st = OVCC_OK;
  int n;
  uint32_t na;
  if (op->kind == IR_OP_INTERPOLATE_1) {
    const int64_t *a = ir_op_attr_ints(op, "axes", &na);
    n = (int)(na > MAX_VEC ? MAX_VEC : na);
    for (int i = 0; i < n; i++)
      axes[i] = a[i];
  } else {
    uint32_t ai = op->kind == IR_OP_INTERPOLATE_4 ? 3 : 2;
    if (!has_in(op, ai)) {
      for (int i = 0; i < rank; i++)
        axes[i] = i;
      return rank;
    }
    n = known_ints(op, ai, axes, MAX_VEC);
    if (n < 0)
      return -1;
  }
  for (int i = 0; i < n; i++)
    if (!ir_axis_normalize(axes[i], rank, &axes[i], d)) {
      *st = d->status;
      return -1;
    }
  return n;
}

ovcc_status ir_shape_interpolate(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  if (x->rank < 0)
    return set_out_dyn_rank(op, 0, et), OVCC_OK;
  ir_shape r = *x;
  if (op->kind != IR_OP_INTERPOLATE_1) { /* pads widen the input first */
    uint32_t npb, npe;
    const int64_t *pb = ir_op_attr_ints(op, "pads_begin", &npb);
    const int64_t *pe = ir_op_attr_ints(op, "pads_end", &npe);
    for (int i = 0; i < x->rank; i++)
      r.d[i] = dim_add_signed(x->d[i],
                              ((uint32_t)i < npb ? pb[i] : 0) + ((uint32_t)i < npe ? pe[i] : 0));
  }
  int64_t axes[MAX_VEC];
  ovcc_status st;
  int na = interp_axes(op, x->rank, axes, d, &st);
  IR_TRY(st);
  if (na < 0) {
    ir_shape s = ir_shape_dynamic_of_rank(x->rank);
    set_out(op, 0, et, &s);
    return OVCC_OK;
  }
  bool scales = op->kind != IR_OP_INTERPOLATE_1 &&
                strcmp(ir_op_attr_str(op, "shape_calculation_mode", "sizes"), "scales") == 0;
  uint32_t vi = op->kind == IR_OP_INTERPOLATE_4 && scales ? 2 : 1;
  double v[MAX_VEC];
  int nv = known_f64(op, vi, v, MAX_VEC);
  if (nv >= 0 && nv != na)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "%s has %d entries for %d axes",
                  scales ? "scales" : "sizes", nv, na);
  for (int i = 0; i < na; i++) {
    ir_dim *dm = &r.d[axes[i]];
    if (nv < 0) {
      *dm = ir_dim_dynamic();
    } else if (scales) {
      /* OpenVINO: floor(dim * scale + eps) in float. */
      float s = (float)v[i];
      dm->lo = (int64_t)floorf((float)dm->lo * s + 1e-5f);
      if (dm->hi != IR_DIM_INF)
        dm->hi = (int64_t)floorf((float)dm->hi * s + 1e-5f);
      if (dm->lo < 0 || (dm->hi != IR_DIM_INF && dm->hi < 0))
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "scale %g gives a negative dimension", v[i]);
    } else {
      if (v[i] < 0 || v[i] > (double)IR_MAX_DIM)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "size %g is invalid", v[i]);
      *dm = ir_dim_static((int64_t)v[i]);
    }
  }
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

/* ---- DepthToSpace / SpaceToDepth / ShuffleChannels ---- */

static ovcc_status block_op(ir_op *op, bool to_space, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  int64_t b = ir_op_attr_int(op, "block_size", 1);
  if (b < 1 || b > IR_MAX_DIM)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "block_size %lld must be positive", (long long)b);
  if (x->rank < 0)
    return set_out_dyn_rank(op, 0, et), OVCC_OK;
  if (x->rank < 3)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "data rank %d is less than 3", (int)x->rank);
  int64_t bk = 1;
  for (int i = 2; i < x->rank; i++)
    if (__builtin_mul_overflow(bk, b, &bk) || bk > IR_MAX_DIM)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "block_size %lld is too large", (long long)b);
  ir_shape r = *x;
  ir_dim c = x->d[1];
  if (to_space) {
    if (ir_dim_is_static(c) && c.lo % bk != 0)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "channels %lld are not divisible by block_size^%d = %lld", (long long)c.lo,
                    (int)x->rank - 2, (long long)bk);
    r.d[1] = dim_div_exact(c, bk);
    for (int i = 2; i < x->rank; i++)
      r.d[i] = ir_dim_mul(x->d[i], ir_dim_static(b));
  } else {
    r.d[1] = ir_dim_mul(c, ir_dim_static(bk));
    for (int i = 2; i < x->rank; i++) {
      if (ir_dim_is_static(x->d[i]) && x->d[i].lo % b != 0)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                      "dimension %d (%lld) is not divisible by block_size %lld", i,
                      (long long)x->d[i].lo, (long long)b);
      r.d[i] = dim_div_exact(x->d[i], b);
    }
  }
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

ovcc_status ir_shape_depth_to_space(ir_op *op, ir_diag *d) { return block_op(op, true, d); }
ovcc_status ir_shape_space_to_depth(ir_op *op, ir_diag *d) { return block_op(op, false, d); }

ovcc_status ir_shape_shuffle_channels(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  int64_t g = ir_op_attr_int(op, "group", 1);
  if (g < 1)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "group %lld must be positive", (long long)g);
  if (x->rank >= 0) {
    int64_t axis;
    if (x->rank == 0)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "data must not be a scalar");
    if (!ir_axis_normalize(ir_op_attr_int(op, "axis", 1), x->rank, &axis, d))
      return d->status;
    if (ir_dim_is_static(x->d[axis]) && x->d[axis].lo % g != 0)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "dimension %lld on axis %lld is not divisible by group %lld",
                    (long long)x->d[axis].lo, (long long)axis, (long long)g);
  }
  set_out(op, 0, et, x);
  return OVCC_OK;
}
