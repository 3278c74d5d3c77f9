/* Evaluators of the data-movement and shape ops on constant inputs: ShapeOf,
 * Reshape/Squeeze/Unsqueeze, Transpose, Concat, Split/VariadicSplit, Slice,
 * StridedSlice, Tile, Broadcast, Pad, Gather, Range.
 *
 * Outputs come preallocated with their inferred static shapes (see
 * ir_eval_fn). Data is moved by element size, so every byte-aligned element
 * type works; sub-byte and string tensors are OVCC_ERR_UNSUPPORTED. Most ops
 * are one strided copy (copy_view): the output is walked in row-major order
 * and each output element reads the input at base + sum(index_i * stride_i). */
#include <math.h>
#include <string.h>

#include "ir.h"
#include "slice_plan.h"

enum { MAX_VEC = 64, VIEW_RANK = 2 * IR_MAX_RANK };

/* ---- helpers ---- */

/* Element size in bytes, or 0 for sub-byte/string/dynamic types. */
static size_t elem_size(ir_etype et) {
  unsigned bits = ir_etype_bits(et);
  return bits && bits % 8 == 0 && et != IR_ET_STRING ? bits / 8 : 0;
}

static bool has_data(const ir_tensor *t) { return t->data || t->numel == 0; }

/* Integer values of a 0-D/1-D tensor; count or -1. */
static int tensor_ints(const ir_tensor *t, int64_t *buf, int max) {
  if (!t->data || t->shape.rank > 1 || t->numel > (uint64_t)max ||
      !(ir_etype_is_int(t->et) || ir_etype_is_float(t->et)))
    return -1;
  for (uint64_t i = 0; i < t->numel; i++)
    buf[i] = ir_elem_get_i64(t->et, t->data, i);
  return (int)t->numel;
}

/* Row-major element strides of a static shape. */
static void strides_of(const ir_shape *s, int64_t *st) {
  int64_t acc = 1;
  for (int i = s->rank - 1; i >= 0; i--) {
    st[i] = acc;
    acc *= s->d[i].lo;
  }
}

/* dst[k] = src[base + sum(idx_i * str_i)] over the row-major walk of dims. */
static void copy_view(uint8_t *dst, const uint8_t *src, size_t es, int rank, const int64_t *dims,
                      const int64_t *str, int64_t base) {
  uint64_t total = 1;
  for (int i = 0; i < rank; i++)
    total *= (uint64_t)dims[i];
  if (total == 0)
    return;
  int64_t idx[VIEW_RANK] = {0};
  int64_t off = base;
  for (uint64_t k = 0; k < total; k++) {
    memcpy(dst + k * es, src + (size_t)off * es, es);
    for (int i = rank - 1; i >= 0; i--) {
      off += str[i];
      if (++idx[i] < dims[i])
        break;
      off -= str[i] * dims[i];
      idx[i] = 0;
    }
  }
}

static ovcc_status need_data(const ir_tensor *t, size_t *es) {
  *es = elem_size(t->et);
  if (!*es || !has_data(t))
    return OVCC_ERR_UNSUPPORTED;
  return OVCC_OK;
}

/* ---- ShapeOf, Reshape ---- */

ovcc_status ir_eval_shape_of(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  (void)op;
  (void)d;
  if (in[0].shape.rank < 0 || (uint64_t)in[0].shape.rank != out[0].numel)
    return OVCC_ERR_UNSUPPORTED;
  for (int i = 0; i < in[0].shape.rank; i++)
    ir_elem_set_i64(out[0].et, out[0].data, (uint64_t)i, in[0].shape.d[i].lo);
  return OVCC_OK;
}

/* Reshape, Squeeze, Unsqueeze: the same bytes. */
ovcc_status ir_eval_reshape(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  (void)op;
  if (in[0].et == IR_ET_STRING || !has_data(&in[0]))
    return OVCC_ERR_UNSUPPORTED;
  if (in[0].nbytes != out[0].nbytes)
    return IR_ERR(d, OVCC_ERR_INTERNAL, "reshape of %llu bytes into %llu bytes",
                  (unsigned long long)in[0].nbytes, (unsigned long long)out[0].nbytes);
  if (out[0].nbytes)
    memcpy(out[0].data, in[0].data, (size_t)out[0].nbytes);
  return OVCC_OK;
}

/* ---- Transpose ---- */

ovcc_status ir_eval_transpose(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  (void)op;
  size_t es;
  IR_TRY(need_data(&in[0], &es));
  int rank = in[0].shape.rank;
  int64_t ord[MAX_VEC];
  int n = tensor_ints(&in[1], ord, MAX_VEC);
  if (n < 0)
    return OVCC_ERR_UNSUPPORTED;
  if (n == 0)
    for (int i = 0; i < rank; i++)
      ord[i] = rank - 1 - i;
  else if (n != rank)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "order has %d entries for data of rank %d", n, rank);
  int64_t ist[IR_MAX_RANK], str[IR_MAX_RANK], dims[IR_MAX_RANK];
  strides_of(&in[0].shape, ist);
  for (int i = 0; i < rank; i++) {
    if (ord[i] < 0 || ord[i] >= rank)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "order entry %lld is out of range",
                    (long long)ord[i]);
    str[i] = ist[ord[i]];
    dims[i] = out[0].shape.d[i].lo;
  }
  copy_view(out[0].data, in[0].data, es, rank, dims, str, 0);
  return OVCC_OK;
}

/* ---- Concat, Split ---- */

ovcc_status ir_eval_concat(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  size_t es = elem_size(out[0].et);
  if (!es)
    return OVCC_ERR_UNSUPPORTED;
  int rank = out[0].shape.rank;
  int64_t axis;
  if (!ir_axis_normalize(ir_op_attr_int(op, "axis", 0), rank, &axis, d))
    return d->status;
  uint64_t outer = 1, inner = 1;
  for (int i = 0; i < axis; i++)
    outer *= (uint64_t)out[0].shape.d[i].lo;
  for (int i = (int)axis + 1; i < rank; i++)
    inner *= (uint64_t)out[0].shape.d[i].lo;
  for (uint32_t k = 0; k < op->n_operands; k++)
    if (!has_data(&in[k]) || in[k].et != out[0].et)
      return OVCC_ERR_UNSUPPORTED;
  uint8_t *dst = out[0].data;
  for (uint64_t o = 0; o < outer; o++)
    for (uint32_t k = 0; k < op->n_operands; k++) {
      size_t blk = (size_t)((uint64_t)in[k].shape.d[axis].lo * inner * es);
      if (blk) {
        memcpy(dst, (const uint8_t *)in[k].data + o * blk, blk);
        dst += blk;
      }
    }
  return OVCC_OK;
}

/* Split and VariadicSplit: output sizes along the axis come from the outputs.
 */
ovcc_status ir_eval_split(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  size_t es;
  IR_TRY(need_data(&in[0], &es));
  int64_t axis;
  int rank = in[0].shape.rank;
  if (tensor_ints(&in[1], &axis, 1) != 1)
    return OVCC_ERR_UNSUPPORTED;
  if (!ir_axis_normalize(axis, rank, &axis, d))
    return d->status;
  uint64_t outer = 1, inner = 1;
  for (int i = 0; i < axis; i++)
    outer *= (uint64_t)in[0].shape.d[i].lo;
  for (int i = (int)axis + 1; i < rank; i++)
    inner *= (uint64_t)in[0].shape.d[i].lo;
  size_t row = (size_t)((uint64_t)in[0].shape.d[axis].lo * inner * es);
  size_t off = 0;
  for (uint32_t k = 0; k < op->n_results; k++) {
    size_t blk = (size_t)((uint64_t)out[k].shape.d[axis].lo * inner * es);
    if (off + blk > row)
      return IR_ERR(d, OVCC_ERR_INTERNAL, "split outputs exceed the input");
    for (uint64_t o = 0; o < outer && blk; o++)
      memcpy((uint8_t *)out[k].data + o * blk, (const uint8_t *)in[0].data + o * row + off, blk);
    off += blk;
  }
  return OVCC_OK;
}

/* ---- Slice, StridedSlice ---- */

static ovcc_status run_slice(const ir_slice_spec *s, const ir_tensor *x, ir_tensor *out,
                             ir_diag *d) {
  size_t es;
  IR_TRY(need_data(x, &es));
  int64_t ist[IR_MAX_RANK], dims[IR_MAX_RANK], str[IR_MAX_RANK], base = 0;
  strides_of(&x->shape, ist);
  uint64_t total = 1;
  for (int i = 0; i < s->in_rank; i++) {
    int64_t start, cnt;
    if (!ir_slice_axis_resolve(&s->ax[i], x->shape.d[i].lo, &start, &cnt, d))
      return d->status;
    dims[i] = cnt;
    str[i] = ist[i] * s->ax[i].stride;
    base += start * ist[i];
    total *= (uint64_t)cnt;
  }
  if (total != out->numel)
    return IR_ERR(d, OVCC_ERR_INTERNAL, "slice yields %llu elements, output has %llu",
                  (unsigned long long)total, (unsigned long long)out->numel);
  copy_view(out->data, x->data, es, s->in_rank, dims, str, base);
  return OVCC_OK;
}

ovcc_status ir_eval_slice(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  int64_t v[4][MAX_VEC];
  int n[4] = {0, 0, 0, -1};
  for (uint32_t i = 1; i < op->n_operands && i <= 4; i++)
    if ((n[i - 1] = tensor_ints(&in[i], v[i - 1], MAX_VEC)) < 0)
      return OVCC_ERR_UNSUPPORTED;
  if (n[1] != n[0] || n[2] != n[0] || (n[3] >= 0 && n[3] != n[0]))
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "start, stop, step and axes differ in length");
  ir_slice_spec s;
  IR_TRY(ir_slice_spec_slice(&s, in[0].shape.rank, n[0], v[0], v[1], v[2], n[3] >= 0 ? v[3] : NULL,
                             d));
  return run_slice(&s, &in[0], &out[0], d);
}

ovcc_status ir_eval_strided_slice(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  int64_t v[3][MAX_VEC];
  int n[3] = {0, 0, -1};
  for (uint32_t i = 1; i < op->n_operands && i <= 3; i++)
    if ((n[i - 1] = tensor_ints(&in[i], v[i - 1], MAX_VEC)) < 0)
      return OVCC_ERR_UNSUPPORTED;
  if (n[1] != n[0] || (n[2] >= 0 && n[2] != n[0]))
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "begin, end and stride differ in length");
  ir_slice_spec s;
  IR_TRY(ir_slice_spec_strided(&s, op, in[0].shape.rank, n[0], v[0], v[1], n[2] >= 0 ? v[2] : NULL,
                               n[2] < 0, d));
  return run_slice(&s, &in[0], &out[0], d);
}

/* ---- Tile, Broadcast ---- */

ovcc_status ir_eval_tile(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  (void)op;
  (void)d;
  size_t es;
  IR_TRY(need_data(&in[0], &es));
  int r = out[0].shape.rank, xr = in[0].shape.rank;
  int64_t ist[IR_MAX_RANK], dims[VIEW_RANK], str[VIEW_RANK];
  strides_of(&in[0].shape, ist);
  for (int i = 0; i < r; i++) {
    int xi = i - (r - xr);
    int64_t xd = xi >= 0 ? in[0].shape.d[xi].lo : 1;
    if (xd == 0) { /* empty input: the output is empty too */
      return out[0].numel == 0 ? OVCC_OK : OVCC_ERR_UNSUPPORTED;
    }
    dims[2 * i] = out[0].shape.d[i].lo / xd; /* repeats */
    str[2 * i] = 0;
    dims[2 * i + 1] = xd;
    str[2 * i + 1] = xi >= 0 ? ist[xi] : 0;
  }
  copy_view(out[0].data, in[0].data, es, 2 * r, dims, str, 0);
  return OVCC_OK;
}

ovcc_status ir_eval_broadcast(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  size_t es;
  IR_TRY(need_data(&in[0], &es));
  const char *mode = ir_op_attr_str(op, "mode", "numpy");
  int r = out[0].shape.rank, xr = in[0].shape.rank;
  int64_t map[IR_MAX_RANK];
  if (strcmp(mode, "explicit") == 0) {
    if (op->n_operands < 3 || tensor_ints(&in[2], map, IR_MAX_RANK) != xr)
      return OVCC_ERR_UNSUPPORTED;
  } else {
    int start = strcmp(mode, "pdpd") == 0 ? 0 : r - xr;
    for (int i = 0; i < xr; i++)
      map[i] = start + i;
  }
  int64_t ist[IR_MAX_RANK], dims[IR_MAX_RANK], str[IR_MAX_RANK] = {0};
  strides_of(&in[0].shape, ist);
  for (int i = 0; i < r; i++)
    dims[i] = out[0].shape.d[i].lo;
  for (int i = 0; i < xr; i++) {
    int64_t xd = in[0].shape.d[i].lo;
    if (map[i] < 0 || map[i] >= r || (xd != 1 && xd != dims[map[i]]))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "data dimension %d does not broadcast", i);
    str[map[i]] = xd == 1 ? 0 : ist[i];
  }
  copy_view(out[0].data, in[0].data, es, r, dims, str, 0);
  return OVCC_OK;
}

/* ---- Pad ---- */

/* Source coordinate of output coordinate o on an axis of size n, or -1 for
 * the pad value. */
static int64_t pad_src(int64_t o, int64_t pb, int64_t n, int mode) {
  int64_t c = o - pb;
  if (c >= 0 && c < n)
    return c;
  switch (mode) {
  case 1: /* edge */
    return c < 0 ? 0 : n - 1;
  case 2: /* reflect */
    return c < 0 ? -c : 2 * (n - 1) - c;
  case 3: /* symmetric */
    return c < 0 ? -c - 1 : 2 * n - 1 - c;
  default:
    return -1;
  }
}

ovcc_status ir_eval_pad(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  size_t es;
  IR_TRY(need_data(&in[0], &es));
  static const char *const modes[] = {"constant", "edge", "reflect", "symmetric"};
  const char *ms = ir_op_attr_str(op, "pad_mode", "constant");
  int mode = 0;
  for (int i = 0; i < 4; i++)
    if (strcmp(ms, modes[i]) == 0)
      mode = i;
  int r = in[0].shape.rank;
  int64_t pb[MAX_VEC];
  if (tensor_ints(&in[1], pb, MAX_VEC) != r)
    return OVCC_ERR_UNSUPPORTED;
  uint8_t pad_val[16] = {0};
  if (op->n_operands > 3 && in[3].data && in[3].numel >= 1) {
    if (in[3].et != in[0].et || es > sizeof pad_val)
      return OVCC_ERR_UNSUPPORTED;
    memcpy(pad_val, in[3].data, es);
  }
  int64_t ist[IR_MAX_RANK], idx[IR_MAX_RANK] = {0};
  strides_of(&in[0].shape, ist);
  for (int i = 0; i < r && mode; i++)
    if (in[0].shape.d[i].lo == 0 && out[0].shape.d[i].lo > 0)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "cannot pad an empty axis %d in %s mode", i, ms);
  uint8_t *dst = out[0].data;
  for (uint64_t k = 0; k < out[0].numel; k++) {
    int64_t off = 0;
    for (int i = 0; i < r && off >= 0; i++) {
      int64_t c = pad_src(idx[i], pb[i], in[0].shape.d[i].lo, mode);
      off = c < 0 ? -1 : off + c * ist[i];
    }
    memcpy(dst + k * es, off < 0 ? pad_val : (const uint8_t *)in[0].data + (size_t)off * es, es);
    for (int i = r - 1; i >= 0; i--) {
      if (++idx[i] < out[0].shape.d[i].lo)
        break;
      idx[i] = 0;
    }
  }
  return OVCC_OK;
}

/* ---- Gather ---- */

static uint64_t prod_dims(const ir_shape *s, int from, int to) {
  uint64_t p = 1;
  for (int i = from; i < to; i++)
    p *= (uint64_t)s->d[i].lo;
  return p;
}

ovcc_status ir_eval_gather(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  size_t es;
  IR_TRY(need_data(&in[0], &es));
  const ir_tensor *x = &in[0], *ix = &in[1];
  if (!ix->data && ix->numel)
    return OVCC_ERR_UNSUPPORTED;
  int64_t axis;
  if (tensor_ints(&in[2], &axis, 1) != 1)
    return OVCC_ERR_UNSUPPORTED;
  if (!ir_axis_normalize(axis, x->shape.rank, &axis, d))
    return d->status;
  int64_t b = op->kind == IR_OP_GATHER_1 ? 0 : ir_op_attr_int(op, "batch_dims", 0);
  if (b < 0)
    b += ix->shape.rank;
  bool v8 = op->kind == IR_OP_GATHER_8;
  uint64_t nb = prod_dims(&x->shape, 0, (int)b);
  uint64_t np = prod_dims(&x->shape, (int)b, (int)axis);
  int64_t na = x->shape.d[axis].lo;
  uint64_t inner = prod_dims(&x->shape, (int)axis + 1, x->shape.rank);
  uint64_t ni = prod_dims(&ix->shape, (int)b, ix->shape.rank);
  size_t blk = (size_t)(inner * es);
  uint8_t *dst = out[0].data;
  const uint8_t *src = x->data;
  for (uint64_t bi = 0; bi < nb; bi++)
    for (uint64_t p = 0; p < np; p++)
      for (uint64_t n = 0; n < ni; n++, dst += blk) {
        int64_t k = ir_elem_get_i64(ix->et, ix->data, bi * ni + n);
        if (k < 0)
          k += na;
        if (k < 0 || k >= na) {
          if (v8) {
            memset(dst, 0, blk);
            continue;
          }
          return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "index %lld is out of range for dimension %lld",
                        (long long)ir_elem_get_i64(ix->et, ix->data, bi * ni + n), (long long)na);
        }
        if (blk)
          memcpy(dst, src + (((bi * np + p) * (uint64_t)na + (uint64_t)k) * inner) * es, blk);
      }
  return OVCC_OK;
}

/* ---- Range ---- */

ovcc_status ir_eval_range(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  (void)op;
  (void)d;
  ir_etype et = out[0].et;
  if (!elem_size(et))
    return OVCC_ERR_UNSUPPORTED;
  double v[3];
  for (int i = 0; i < 3; i++) {
    if (!in[i].data || in[i].numel != 1)
      return OVCC_ERR_UNSUPPORTED;
    v[i] = ir_elem_get_f64(in[i].et, in[i].data, 0);
  }
  if (!ir_etype_is_float(et)) {
    bool exact = !ir_etype_is_float(in[0].et) && !ir_etype_is_float(in[2].et);
    int64_t start = exact ? ir_elem_get_i64(in[0].et, in[0].data, 0) : (int64_t)trunc(v[0]);
    int64_t step = exact ? ir_elem_get_i64(in[2].et, in[2].data, 0) : (int64_t)trunc(v[2]);
    for (uint64_t i = 0; i < out[0].numel; i++)
      ir_elem_set_i64(et, out[0].data, i, start + (int64_t)i * step);
    return OVCC_OK;
  }
  for (uint64_t i = 0; i < out[0].numel; i++)
    ir_elem_set_f64(et, out[0].data, i, v[0] + (double)i * v[2]);
  return OVCC_OK;
}
