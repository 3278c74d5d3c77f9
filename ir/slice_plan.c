/* Slice plans for StridedSlice-1 and Slice-8 (see slice_plan.h for the rules).
 */
#include "slice_plan.h"

#include "ir.h"

static ir_slice_axis identity_axis(void) {
  return (ir_slice_axis){.begin = 0,
                         .end = 0,
                         .stride = 1,
                         .begin_masked = true,
                         .end_masked = true,
                         .known = true,
                         .shrink = false};
}

static bool mask_bit(const int64_t *m, uint32_t n, int i) {
  return m && (uint32_t)i < n && m[i] != 0;
}

static ovcc_status put_out(ir_slice_spec *s, int src, ir_diag *d) {
  if (s->out_rank >= IR_MAX_RANK)
    return IR_ERR(d, OVCC_ERR_UNSUPPORTED, "output rank exceeds the limit of %d", IR_MAX_RANK);
  s->out_src[s->out_rank++] = (int8_t)src;
  return OVCC_OK;
}

ovcc_status ir_slice_spec_strided(ir_slice_spec *s, const ir_op *op, int in_rank, int n,
                                  const int64_t *begin, const int64_t *end, const int64_t *stride,
                                  bool stride_absent, ir_diag *d) {
  uint32_t nb, ne, nn, ns, nl;
  const int64_t *bm = ir_op_attr_ints(op, "begin_mask", &nb);
  const int64_t *em = ir_op_attr_ints(op, "end_mask", &ne);
  const int64_t *nm = ir_op_attr_ints(op, "new_axis_mask", &nn);
  const int64_t *sm = ir_op_attr_ints(op, "shrink_axis_mask", &ns);
  const int64_t *lm = ir_op_attr_ints(op, "ellipsis_mask", &nl);
  int n_ell = 0, n_real = 0;
  for (int i = 0; i < n; i++) {
    if (mask_bit(lm, nl, i))
      n_ell++;
    else if (!mask_bit(nm, nn, i))
      n_real++;
  }
  if (n_ell > 1)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "ellipsis_mask marks more than one ellipsis");
  s->in_rank = in_rank;
  s->out_rank = 0;
  if (in_rank < 0) {
    s->out_rank = -1;
    return OVCC_OK;
  }
  if (n_real > in_rank)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "%d slicing entries address data of rank %d", n_real,
                  in_rank);
  int ell_size = in_rank - n_real, i_in = 0;
  bool ell_done = false;
  for (int i = 0; i <= n; i++) {
    if (i == n ? !ell_done : mask_bit(lm, nl, i)) {
      for (int k = 0; k < ell_size; k++, i_in++) {
        s->ax[i_in] = identity_axis();
        IR_TRY(put_out(s, i_in, d));
      }
      ell_done = true;
      continue;
    }
    if (i == n)
      break;
    if (mask_bit(nm, nn, i)) {
      IR_TRY(put_out(s, -1, d));
      continue;
    }
    ir_slice_axis *a = &s->ax[i_in];
    a->shrink = mask_bit(sm, ns, i);
    a->begin_masked = mask_bit(bm, nb, i);
    a->end_masked = mask_bit(em, ne, i);
    a->known = begin && end && (stride || stride_absent);
    a->begin = begin ? begin[i] : 0;
    a->end = end ? end[i] : 0;
    a->stride = stride ? stride[i] : 1;
    if (stride && stride[i] == 0 && !a->shrink)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "stride at index %d is zero", i);
    if (!a->shrink)
      IR_TRY(put_out(s, i_in, d));
    i_in++;
  }
  return OVCC_OK;
}

ovcc_status ir_slice_spec_slice(ir_slice_spec *s, int in_rank, int n, const int64_t *start,
                                const int64_t *stop, const int64_t *step, const int64_t *axes,
                                ir_diag *d) {
  s->in_rank = in_rank;
  s->out_rank = in_rank;
  for (int i = 0; i < in_rank; i++) {
    s->ax[i] = identity_axis();
    s->out_src[i] = (int8_t)i;
  }
  if (!axes && n > in_rank)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "%d slice entries for data of rank %d", n, in_rank);
  bool seen[IR_MAX_RANK] = {false};
  for (int j = 0; j < n; j++) {
    int64_t ax = j;
    if (axes && !ir_axis_normalize(axes[j], in_rank, &ax, d))
      return d->status;
    if (seen[ax])
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "axis %lld is repeated in axes", (long long)axes[j]);
    seen[ax] = true;
    if (step && step[j] == 0)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "step at index %d is zero", j);
    ir_slice_axis *a = &s->ax[ax];
    a->begin_masked = a->end_masked = false;
    a->known = start && stop && step;
    a->begin = start ? start[j] : 0;
    a->end = stop ? stop[j] : 0;
    a->stride = step ? step[j] : 1;
  }
  return OVCC_OK;
}

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

bool ir_slice_axis_resolve(const ir_slice_axis *a, int64_t dim, int64_t *start, int64_t *count,
                           ir_diag *d) {
  if (a->shrink) {
    if (a->begin < -dim || a->begin >= dim) {
      IR_ERR(d, OVCC_ERR_INVALID_MODEL,
             "shrink_axis_mask: begin %lld is out of range for a dimension of "
             "%lld",
             (long long)a->begin, (long long)dim);
      return false;
    }
    *start = a->begin < 0 ? a->begin + dim : a->begin;
    *count = 1;
    return true;
  }
  bool rev = a->stride < 0;
  if (dim == 0) {
    *start = 0;
    *count = 0;
    return true;
  }
  int64_t b = a->begin_masked ? (rev ? dim - 1 : 0) : (a->begin < 0 ? a->begin + dim : a->begin);
  b = clamp64(b, 0, rev ? dim - 1 : dim);
  int64_t e = a->end_masked ? (rev ? -1 : dim) : (a->end < 0 ? a->end + dim : a->end);
  e = clamp64(e, rev ? -1 : 0, dim);
  uint64_t as = rev ? (uint64_t)0 - (uint64_t)a->stride : (uint64_t)a->stride;
  uint64_t span = rev ? (b > e ? (uint64_t)(b - e) : 0) : (e > b ? (uint64_t)(e - b) : 0);
  *start = b;
  *count = span ? (int64_t)((span - 1) / as + 1) : 0;
  return true;
}

static int64_t sliced_len(const ir_slice_axis *a, int64_t dim) {
  int64_t st, cnt;
  ir_diag tmp;
  ir_slice_axis b = *a;
  b.shrink = false;
  return ir_slice_axis_resolve(&b, dim, &st, &cnt, &tmp) ? cnt : 0;
}

static int64_t abs_cap(int64_t v) {
  return v < -IR_MAX_DIM ? IR_MAX_DIM : v < 0 ? -v : v > IR_MAX_DIM ? IR_MAX_DIM : v;
}

ir_dim ir_slice_axis_dim(const ir_slice_axis *a, ir_dim in) {
  if (!a->known)
    return (ir_dim){0, in.hi};
  if (ir_dim_is_static(in))
    return ir_dim_static(sliced_len(a, in.lo));
  /* The length is piecewise monotonic in the dim with breakpoints near
   * |begin| and |end|: its extremes lie at the interval ends or next to them.
   */
  bool inf = in.hi == IR_DIM_INF;
  int64_t hi = inf ? IR_MAX_DIM : in.hi;
  int64_t cand[16];
  int nc = 0;
  cand[nc++] = in.lo;
  cand[nc++] = hi;
  int64_t pts[2] = {abs_cap(a->begin), abs_cap(a->end)};
  for (int p = 0; p < 2; p++)
    for (int64_t k = -1; k <= 1; k++)
      cand[nc++] = pts[p] + k;
  int64_t lo_v = INT64_MAX, hi_v = 0;
  for (int i = 0; i < nc; i++) {
    if (cand[i] < in.lo || cand[i] > hi)
      continue;
    int64_t v = sliced_len(a, cand[i]);
    lo_v = v < lo_v ? v : lo_v;
    hi_v = v > hi_v ? v : hi_v;
  }
  ir_dim r = {lo_v, hi_v};
  if (inf) {
    int64_t back = IR_MAX_DIM - 2 * abs_cap(a->stride);
    if (sliced_len(a, IR_MAX_DIM) > sliced_len(a, back < 0 ? 0 : back))
      r.hi = IR_DIM_INF; /* grows with the dim */
  }
  return r;
}

ovcc_status ir_slice_spec_shape(const ir_slice_spec *s, const ir_shape *in, ir_shape *out,
                                ir_diag *d) {
  if (s->out_rank < 0 || in->rank < 0) {
    *out = ir_shape_dynamic_rank();
    return OVCC_OK;
  }
  for (int i = 0; i < s->in_rank; i++) {
    int64_t st, cnt;
    if (s->ax[i].shrink && s->ax[i].known && ir_dim_is_static(in->d[i]) &&
        !ir_slice_axis_resolve(&s->ax[i], in->d[i].lo, &st, &cnt, d))
      return d->status;
  }
  ir_shape r = ir_shape_scalar();
  r.rank = s->out_rank;
  for (int o = 0; o < s->out_rank; o++) {
    int src = s->out_src[o];
    r.d[o] = src < 0 ? ir_dim_static(1) : ir_slice_axis_dim(&s->ax[src], in->d[src]);
  }
  *out = r;
  return OVCC_OK;
}
