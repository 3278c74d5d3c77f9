/* Shape functions of the compute ops that are not windowed: MatMul, Einsum,
 * Softmax/LogSoftmax, MVN, NormalizeL2, BatchNormInference, GroupNormalization,
 * LRN, the Reduce* family, CumSum, TopK, ScaledDotProductAttention.
 *
 * Known operand values (axes, k) make results precise; otherwise results keep
 * what can be proven. Rules follow OpenVINO's shape inference; messages name
 * the problem, the caller prefixes the op location. */
#include <stdio.h>
#include <string.h>

#include "ir.h"
#include "shape_fn.h"

enum { MAX_AXES = 64 }; /* longest axes vector read from a known value */

/* ---- helpers ---- */

/* Output 0 = input 0 (elementwise-shaped ops). */
static void same_as_input(ir_op *op) { set_out(op, 0, in_et(op, 0), in_shape(op, 0)); }

static void fmt_dim(ir_dim x, char *buf, size_t cap) { ir_dim_format(x, buf, cap); }

static ovcc_status check_int_input(const ir_op *op, uint32_t i, const char *what, ir_diag *d) {
  ir_etype et = in_et(op, i);
  if (et != IR_ET_DYNAMIC && !ir_etype_is_int(et))
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u (%s): expected an integer type, got %s", i,
                  what, ir_etype_name(et));
  return OVCC_OK;
}

/* Input i must be 0-D or 1-D (max_rank 1) or exactly 0-D (max_rank 0). */
static ovcc_status check_rank_le(const ir_op *op, uint32_t i, const char *what, int max_rank,
                                 ir_diag *d) {
  const ir_shape *s = in_shape(op, i);
  if (s->rank > max_rank)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u (%s): expected a %s, got rank %d", i, what,
                  max_rank == 0 ? "scalar" : "scalar or 1-D tensor", (int)s->rank);
  return OVCC_OK;
}

/* Checks known axes of input i against rank (when both known); fills mask
 * of normalized axes if non-NULL. Returns the count or -1 if unknown. */
static ovcc_status known_axes(const ir_op *op, uint32_t i, const char *what, int rank, bool *mask,
                              int *count, ir_diag *d) {
  int64_t ax[MAX_AXES];
  *count = -1;
  if (!has_in(op, i))
    return OVCC_OK;
  int n = ir_value_known_ints(ir_op_operand(op, i), ax, MAX_AXES);
  if (n < 0 || rank < 0)
    return OVCC_OK;
  for (int k = 0; k < n; k++) {
    int64_t a;
    if (!ir_axis_normalize(ax[k], rank, &a, d)) {
      ir_diag_prefix(d, "input %u (%s): ", i, what);
      return d->status;
    }
    if (mask)
      mask[a] = true;
  }
  *count = n;
  return OVCC_OK;
}

/* Numpy broadcast of one dim pair; false if they cannot broadcast. */
static bool bcast_dim(ir_dim a, ir_dim b, ir_dim *out) {
  if (ir_dim_is_static(a) && a.lo == 1) {
    *out = b;
    return true;
  }
  if (ir_dim_is_static(b) && b.lo == 1) {
    *out = a;
    return true;
  }
  ir_dim m;
  bool compat = ir_dim_merge(&m, a, b);
  if (ir_dim_is_static(a) && ir_dim_is_static(b)) {
    *out = a;
    return compat;
  }
  if (ir_dim_is_static(a) || ir_dim_is_static(b)) {
    ir_dim st = ir_dim_is_static(a) ? a : b, dy = ir_dim_is_static(a) ? b : a;
    if (!compat && !(dy.lo <= 1 && (dy.hi == IR_DIM_INF || dy.hi >= 1)))
      return false;
    *out = st; /* the dynamic one is 1 or equal */
    return true;
  }
  /* both dynamic: either may be 1 */
  if (a.lo > 1 && b.lo > 1) {
    if (!compat)
      return false;
    *out = m;
    return true;
  }
  out->lo = a.lo > b.lo ? a.lo : b.lo;
  out->hi = (a.hi == IR_DIM_INF || b.hi == IR_DIM_INF) ? IR_DIM_INF : (a.hi > b.hi ? a.hi : b.hi);
  return true;
}

/* Right-aligned broadcast of dims a[0..na) and b[0..nb) into out (rank max). */
static bool bcast_dims(const ir_dim *a, int na, const ir_dim *b, int nb, ir_dim *out, int *nout,
                       int *bad) {
  int n = na > nb ? na : nb;
  for (int i = 0; i < n; i++) {
    int ia = i - (n - na), ib = i - (n - nb);
    ir_dim da = ia >= 0 ? a[ia] : ir_dim_static(1), db = ib >= 0 ? b[ib] : ir_dim_static(1);
    if (!bcast_dim(da, db, &out[i])) {
      *bad = i;
      return false;
    }
  }
  *nout = n;
  return true;
}

static ovcc_status same_et(const ir_op *op, uint32_t i, uint32_t j, ir_etype *out, ir_diag *d) {
  ir_etype a = in_et(op, i), b = in_et(op, j);
  if (a != IR_ET_DYNAMIC && b != IR_ET_DYNAMIC && a != b)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "element types of input %u (%s) and input %u (%s) do not match", i,
                  ir_etype_name(a), j, ir_etype_name(b));
  *out = a != IR_ET_DYNAMIC ? a : b;
  return OVCC_OK;
}

/* ---- MatMul ---- */

ovcc_status ir_shape_matmul(ir_op *op, ir_diag *d) {
  const ir_shape *a = in_shape(op, 0), *b = in_shape(op, 1);
  ir_etype et = IR_ET_DYNAMIC;
  IR_TRY(same_et(op, 0, 1, &et, d));
  if (a->rank < 0 || b->rank < 0) {
    ir_shape s = ir_shape_dynamic_rank();
    set_out(op, 0, et, &s);
    return OVCC_OK;
  }
  if (a->rank == 0 || b->rank == 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %d: scalars are not supported by MatMul",
                  a->rank == 0 ? 0 : 1);
  /* 1-D A is [1, K], 1-D B is [K, 1]; transposes swap the last two dims. */
  ir_dim ea[IR_MAX_RANK + 1], eb[IR_MAX_RANK + 1];
  int ra = a->rank, rb = b->rank;
  if (ra == 1) {
    ea[0] = ir_dim_static(1), ea[1] = a->d[0], ra = 2;
  } else {
    memcpy(ea, a->d, sizeof(ir_dim) * (size_t)ra);
    if (ir_op_attr_bool(op, "transpose_a", false)) {
      ir_dim t = ea[ra - 1];
      ea[ra - 1] = ea[ra - 2], ea[ra - 2] = t;
    }
  }
  if (rb == 1) {
    eb[0] = b->d[0], eb[1] = ir_dim_static(1), rb = 2;
  } else {
    memcpy(eb, b->d, sizeof(ir_dim) * (size_t)rb);
    if (ir_op_attr_bool(op, "transpose_b", false)) {
      ir_dim t = eb[rb - 1];
      eb[rb - 1] = eb[rb - 2], eb[rb - 2] = t;
    }
  }
  ir_dim k;
  if (!ir_dim_merge(&k, ea[ra - 1], eb[rb - 2])) {
    char x[64], y[64];
    fmt_dim(ea[ra - 1], x, sizeof x);
    fmt_dim(eb[rb - 2], y, sizeof y);
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "inner dims do not match: input 0 has K=%s, input 1 has K=%s (after transposes)",
                  x, y);
  }
  ir_shape r = ir_shape_scalar();
  int nb, bad;
  if (!bcast_dims(ea, ra - 2, eb, rb - 2, r.d, &nb, &bad)) {
    int n = (ra > rb ? ra : rb) - 2;
    int ia = bad - (n - (ra - 2)), ib = bad - (n - (rb - 2));
    char x[64], y[64];
    fmt_dim(ea[ia], x, sizeof x);
    fmt_dim(eb[ib], y, sizeof y);
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "batch dims do not broadcast: input 0 dim %d is %s, input 1 dim %d is %s", ia, x,
                  ib, y);
  }
  r.rank = nb;
  if (a->rank > 1)
    r.d[r.rank++] = ea[ra - 2];
  if (b->rank > 1)
    r.d[r.rank++] = eb[rb - 1];
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

/* ---- Einsum ---- */

enum { EIN_MAX_LABELS = 52, EIN_ELL = -1 };

typedef struct ein_sub {
  int lab[IR_MAX_RANK + 1]; /* label index 0..51, or EIN_ELL */
  int n;                    /* entries incl. the ellipsis */
  bool ell;
} ein_sub;

static int ein_label(char c) {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return 26 + (c - 'a');
  return -2;
}

/* Parses one subscript [s, e). */
static ovcc_status ein_parse_sub(const char *s, const char *e, const char *what, ein_sub *out,
                                 ir_diag *d) {
  memset(out, 0, sizeof *out);
  for (const char *p = s; p < e;) {
    if (*p == '.') {
      if (e - p < 3 || p[1] != '.' || p[2] != '.' || out->ell || out->n > IR_MAX_RANK)
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                      "attribute 'equation': %s subscript '%.*s' must be letters with at most one "
                      "ellipsis",
                      what, (int)(e - s), s);
      out->ell = true;
      out->lab[out->n++] = EIN_ELL;
      p += 3;
      continue;
    }
    int l = ein_label(*p);
    if (l < 0)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "attribute 'equation': %s subscript '%.*s' has invalid character '%c'", what,
                    (int)(e - s), s, *p);
    if (out->n > IR_MAX_RANK)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "attribute 'equation': %s subscript '%.*s' has more than %d labels", what,
                    (int)(e - s), s, IR_MAX_RANK);
    out->lab[out->n++] = l;
    p++;
  }
  return OVCC_OK;
}

/* Parses "s1,s2,...[->out]" into subs[0..n_in) and *out (implicit output built). */
static ovcc_status ein_parse(const char *eq, uint32_t n_in, ein_sub *subs, ein_sub *out,
                             ir_diag *d) {
  const char *arrow = strstr(eq, "->");
  const char *end = arrow ? arrow : eq + strlen(eq);
  uint32_t k = 0;
  for (const char *p = eq;; k++) {
    const char *c = memchr(p, ',', (size_t)(end - p));
    const char *e = c ? c : end;
    if (k < n_in)
      IR_TRY(ein_parse_sub(p, e, "input", &subs[k], d));
    if (!c)
      break;
    p = c + 1;
  }
  if (k + 1 != n_in)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "attribute 'equation': %u input subscripts for %u inputs", k + 1, n_in);
  int count[EIN_MAX_LABELS] = {0};
  bool any_ell = false;
  for (uint32_t i = 0; i < n_in; i++) {
    any_ell |= subs[i].ell;
    for (int j = 0; j < subs[i].n; j++)
      if (subs[i].lab[j] >= 0)
        count[subs[i].lab[j]]++;
  }
  if (arrow) {
    IR_TRY(ein_parse_sub(arrow + 2, arrow + strlen(arrow), "output", out, d));
    if (out->ell && !any_ell)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "attribute 'equation': output has an ellipsis but no input has one");
    for (int j = 0; j < out->n; j++)
      if (out->lab[j] >= 0 && !count[out->lab[j]])
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                      "attribute 'equation': output label '%c' appears in no input",
                      out->lab[j] < 26 ? 'A' + out->lab[j] : 'a' + out->lab[j] - 26);
    return OVCC_OK;
  }
  /* implicit: ellipsis first, then labels seen once, in ASCII order */
  memset(out, 0, sizeof *out);
  if (any_ell)
    out->ell = true, out->lab[out->n++] = EIN_ELL;
  for (int l = 0; l < EIN_MAX_LABELS; l++)
    if (count[l] == 1 && out->n <= IR_MAX_RANK)
      out->lab[out->n++] = l;
  return OVCC_OK;
}

ovcc_status ir_shape_einsum(ir_op *op, ir_diag *d) {
  uint32_t n_in = op->n_operands;
  ein_sub subs[64], out;
  if (n_in == 0 || n_in > 64)
    return IR_ERR(d, OVCC_ERR_UNSUPPORTED, "%u inputs (1 to 64 supported)", n_in);
  const char *eq = ir_op_attr_str(op, "equation", "");
  IR_TRY(ein_parse(eq, n_in, subs, &out, d));
  ir_etype et = in_et(op, 0);
  for (uint32_t i = 1; i < n_in; i++)
    IR_TRY(same_et(op, 0, i, &et, d));
  ir_dim lab[EIN_MAX_LABELS];
  bool seen[EIN_MAX_LABELS] = {false};
  ir_dim ell[IR_MAX_RANK];
  int nell = 0;
  bool ell_unknown = false;
  for (uint32_t i = 0; i < n_in; i++) {
    const ir_shape *s = in_shape(op, i);
    const ein_sub *sb = &subs[i];
    int nlab = sb->n - (sb->ell ? 1 : 0);
    if (s->rank < 0) {
      ell_unknown |= sb->ell;
      continue; /* its labels stay unconstrained */
    }
    if (sb->ell ? s->rank < nlab : s->rank != nlab)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "input %u: rank %d does not match its subscript's %d labels%s", i, (int)s->rank,
                    nlab, sb->ell ? " (plus an ellipsis)" : "");
    int ne = s->rank - nlab, ax = 0;
    for (int j = 0; j < sb->n; j++) {
      if (sb->lab[j] == EIN_ELL) {
        int bad, nn;
        ir_dim tmp[IR_MAX_RANK];
        if (!bcast_dims(ell, nell, &s->d[ax], ne, tmp, &nn, &bad))
          return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                        "input %u: ellipsis dims do not broadcast with the other inputs'", i);
        memcpy(ell, tmp, sizeof(ir_dim) * (size_t)nn);
        nell = nn;
        ax += ne;
        continue;
      }
      int l = sb->lab[j];
      ir_dim x = s->d[ax++];
      if (!seen[l]) {
        seen[l] = true, lab[l] = x;
      } else if (!bcast_dim(lab[l], x, &lab[l])) {
        char p[64], q[64];
        fmt_dim(lab[l], p, sizeof p);
        fmt_dim(x, q, sizeof q);
        return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                      "input %u: label '%c' has dim %s here and %s elsewhere", i,
                      l < 26 ? 'A' + l : 'a' + l - 26, q, p);
      }
    }
  }
  ir_shape r = ir_shape_scalar();
  if (out.ell && ell_unknown) {
    r = ir_shape_dynamic_rank();
  } else {
    for (int j = 0; j < out.n; j++) {
      if (out.lab[j] == EIN_ELL) {
        if (r.rank + nell > IR_MAX_RANK)
          return IR_ERR(d, OVCC_ERR_UNSUPPORTED, "output rank exceeds %d", IR_MAX_RANK);
        memcpy(&r.d[r.rank], ell, sizeof(ir_dim) * (size_t)nell);
        r.rank += nell;
      } else {
        if (r.rank >= IR_MAX_RANK)
          return IR_ERR(d, OVCC_ERR_UNSUPPORTED, "output rank exceeds %d", IR_MAX_RANK);
        r.d[r.rank++] = seen[out.lab[j]] ? lab[out.lab[j]] : ir_dim_dynamic();
      }
    }
  }
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

/* ---- Softmax, LogSoftmax ---- */

ovcc_status ir_shape_softmax(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  int64_t axis = ir_op_attr_int(op, "axis", 1), a;
  if (x->rank >= 0) {
    if (op->kind == IR_OP_SOFTMAX_1 && (axis < 0 || axis >= x->rank))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "attribute 'axis': %lld is out of range [0, %d) (Softmax-1 takes no negative "
                    "axes)",
                    (long long)axis, (int)x->rank);
    if (!ir_axis_normalize(axis, x->rank, &a, d)) {
      ir_diag_prefix(d, "attribute 'axis': ");
      return d->status;
    }
  }
  same_as_input(op);
  return OVCC_OK;
}

/* ---- normalizations ---- */

ovcc_status ir_shape_mvn(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  if (op->kind == IR_OP_MVN_1) {
    uint32_t n = 0;
    const int64_t *ax = ir_op_attr_ints(op, "reduction_axes", &n);
    for (uint32_t i = 0; x->rank >= 0 && i < n; i++) {
      int64_t a;
      if (!ir_axis_normalize(ax[i], x->rank, &a, d)) {
        ir_diag_prefix(d, "attribute 'reduction_axes': ");
        return d->status;
      }
    }
  } else {
    const ir_shape *s = in_shape(op, 1);
    if (s->rank >= 0 && s->rank != 1)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input 1 (axes): expected a 1-D tensor, got rank %d",
                    (int)s->rank);
    IR_TRY(check_int_input(op, 1, "axes", d));
    int cnt;
    IR_TRY(known_axes(op, 1, "axes", x->rank, NULL, &cnt, d));
  }
  same_as_input(op);
  return OVCC_OK;
}

ovcc_status ir_shape_normalize_l2(ir_op *op, ir_diag *d) {
  IR_TRY(check_rank_le(op, 1, "axes", 1, d));
  IR_TRY(check_int_input(op, 1, "axes", d));
  int cnt;
  IR_TRY(known_axes(op, 1, "axes", in_shape(op, 0)->rank, NULL, &cnt, d));
  same_as_input(op);
  return OVCC_OK;
}

ovcc_status ir_shape_lrn(ir_op *op, ir_diag *d) {
  const ir_shape *s = in_shape(op, 1);
  if (s->rank >= 0 && s->rank != 1)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input 1 (axes): expected a 1-D tensor, got rank %d",
                  (int)s->rank);
  IR_TRY(check_int_input(op, 1, "axes", d));
  int cnt;
  IR_TRY(known_axes(op, 1, "axes", in_shape(op, 0)->rank, NULL, &cnt, d));
  int64_t size = ir_op_attr_int(op, "size", 1);
  if (size < 1)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "attribute 'size': %lld must be positive",
                  (long long)size);
  same_as_input(op);
  return OVCC_OK;
}

/* Checks a 1-D per-channel parameter input against the channel dim c
 * (refined in place). */
static ovcc_status channel_param(const ir_op *op, uint32_t i, const char *what, ir_dim *c,
                                 ir_diag *d) {
  const ir_shape *s = in_shape(op, i);
  if (s->rank < 0)
    return OVCC_OK;
  if (s->rank != 1)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u (%s): expected a 1-D tensor, got rank %d", i,
                  what, (int)s->rank);
  if (!ir_dim_merge(c, *c, s->d[0])) {
    char p[64], q[64];
    fmt_dim(s->d[0], p, sizeof p);
    fmt_dim(*c, q, sizeof q);
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u (%s): %s values do not match channels %s", i,
                  what, p, q);
  }
  return OVCC_OK;
}

/* BatchNormInference: -1 ports gamma, beta, data, mean, variance; -5 data first. */
ovcc_status ir_shape_batch_norm(ir_op *op, ir_diag *d) {
  static const char *const names5[5] = {"data", "gamma", "beta", "mean", "variance"};
  static const char *const names1[5] = {"gamma", "beta", "data", "mean", "variance"};
  bool v1 = op->kind == IR_OP_BATCHNORMINFERENCE_1;
  const char *const *names = v1 ? names1 : names5;
  uint32_t di = v1 ? 2 : 0;
  ir_etype et = in_et(op, di);
  for (uint32_t i = 0; i < 5; i++)
    if (i != di)
      IR_TRY(same_et(op, di, i, &et, d));
  if (et != IR_ET_DYNAMIC && !ir_etype_is_float(et))
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "expected a floating-point type, got %s",
                  ir_etype_name(et));
  ir_shape x = *in_shape(op, di);
  if (x.rank >= 0 && x.rank < 2)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u (data): expected rank >= 2, got %d", di,
                  (int)x.rank);
  ir_dim c = x.rank >= 0 ? x.d[1] : ir_dim_dynamic();
  for (uint32_t i = 0; i < 5; i++)
    if (i != di)
      IR_TRY(channel_param(op, i, names[i], &c, d));
  if (x.rank >= 0)
    x.d[1] = c;
  set_out(op, 0, et, &x);
  return OVCC_OK;
}

ovcc_status ir_shape_group_norm(ir_op *op, ir_diag *d) {
  ir_etype et = in_et(op, 0);
  IR_TRY(same_et(op, 0, 1, &et, d));
  IR_TRY(same_et(op, 0, 2, &et, d));
  ir_shape x = *in_shape(op, 0);
  if (x.rank >= 0 && x.rank < 2)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input 0 (data): expected rank >= 2, got %d",
                  (int)x.rank);
  int64_t g = ir_op_attr_int(op, "num_groups", 1);
  if (g < 1)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "attribute 'num_groups': %lld must be positive",
                  (long long)g);
  ir_dim c = x.rank >= 0 ? x.d[1] : ir_dim_dynamic();
  IR_TRY(channel_param(op, 1, "scale", &c, d));
  IR_TRY(channel_param(op, 2, "bias", &c, d));
  if (ir_dim_is_static(c) && c.lo % g)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "channels %lld are not divisible by num_groups %lld",
                  (long long)c.lo, (long long)g);
  if (x.rank >= 0)
    x.d[1] = c;
  set_out(op, 0, et, &x);
  return OVCC_OK;
}

/* ---- reductions ---- */

ovcc_status ir_shape_reduce(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  bool keep = ir_op_attr_bool(op, "keep_dims", false);
  if ((op->kind == IR_OP_REDUCELOGICALAND_1 || op->kind == IR_OP_REDUCELOGICALOR_1) &&
      et != IR_ET_DYNAMIC && et != IR_ET_BOOLEAN)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input 0: expected boolean, got %s",
                  ir_etype_name(et));
  IR_TRY(check_rank_le(op, 1, "axes", 1, d));
  IR_TRY(check_int_input(op, 1, "axes", d));
  bool mask[IR_MAX_RANK] = {false};
  int cnt;
  IR_TRY(known_axes(op, 1, "axes", x->rank, mask, &cnt, d));
  ir_shape r;
  if (cnt < 0) {
    r = keep && x->rank >= 0 ? ir_shape_dynamic_of_rank(x->rank) : ir_shape_dynamic_rank();
  } else {
    r = ir_shape_scalar();
    for (int i = 0; i < x->rank; i++) {
      if (!mask[i])
        r.d[r.rank++] = x->d[i];
      else if (keep)
        r.d[r.rank++] = ir_dim_static(1);
    }
  }
  set_out(op, 0, et, &r);
  return OVCC_OK;
}

/* ---- CumSum ---- */

ovcc_status ir_shape_cumsum(ir_op *op, ir_diag *d) {
  const ir_shape *x = in_shape(op, 0);
  if (has_in(op, 1)) {
    const ir_shape *s = in_shape(op, 1);
    if (s->rank > 1 || (s->rank == 1 && ir_dim_is_static(s->d[0]) && s->d[0].lo != 1))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input 1 (axis): expected a scalar");
    IR_TRY(check_int_input(op, 1, "axis", d));
    int cnt;
    IR_TRY(known_axes(op, 1, "axis", x->rank, NULL, &cnt, d));
  }
  same_as_input(op);
  return OVCC_OK;
}

/* ---- TopK ---- */

ovcc_status ir_shape_topk(ir_op *op, ir_diag *d) {
  ir_shape r = *in_shape(op, 0);
  ir_etype et = in_et(op, 0);
  const ir_attr_value *ia = ir_op_attr(op, "index_element_type");
  ir_etype idx = ia && ia->kind == IR_ATTR_ETYPE ? ia->u.et : IR_ET_I32;
  if (idx != IR_ET_I32 && idx != IR_ET_I64)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "attribute 'index_element_type': expected i32 or i64, got %s",
                  ir_etype_name(idx));
  IR_TRY(check_rank_le(op, 1, "k", 0, d));
  IR_TRY(check_int_input(op, 1, "k", d));
  if (r.rank == 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input 0: expected rank >= 1, got a scalar");
  int64_t k[1];
  bool known = ir_value_known_ints(ir_op_operand(op, 1), k, 1) == 1;
  if (known && k[0] < 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input 1 (k): %lld must be non-negative",
                  (long long)k[0]);
  if (known && k[0] > IR_MAX_DIM)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input 1 (k): %lld exceeds the limit",
                  (long long)k[0]);
  if (r.rank > 0) {
    int64_t axis = ir_op_attr_int(op, "axis", 0), a;
    if (!ir_axis_normalize(axis, r.rank, &a, d)) {
      ir_diag_prefix(d, "attribute 'axis': ");
      return d->status;
    }
    /* OpenVINO uses k itself even when it exceeds a static axis dim. */
    r.d[a] = known ? ir_dim_static(k[0]) : (ir_dim){0, r.d[a].hi};
  }
  set_out(op, 0, et, &r);
  set_out(op, 1, idx, &r);
  return OVCC_OK;
}

/* ---- ScaledDotProductAttention ---- */

/* query [..., L, E], key [..., S, E], value [..., S, Ev] -> [..., L, Ev];
 * the leading dims broadcast. */
ovcc_status ir_shape_sdpa(ir_op *op, ir_diag *d) {
  const ir_shape *q = in_shape(op, 0), *k = in_shape(op, 1), *v = in_shape(op, 2);
  ir_etype et = in_et(op, 0);
  IR_TRY(same_et(op, 0, 1, &et, d));
  IR_TRY(same_et(op, 0, 2, &et, d));
  if (et != IR_ET_DYNAMIC && !ir_etype_is_float(et))
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "expected a floating-point type, got %s",
                  ir_etype_name(et));
  static const char *const names[3] = {"query", "key", "value"};
  const ir_shape *s3[3] = {q, k, v};
  for (int i = 0; i < 3; i++)
    if (s3[i]->rank >= 0 && s3[i]->rank < (i == 0 ? 3 : 2))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %d (%s): expected rank >= %d, got %d", i,
                    names[i], i == 0 ? 3 : 2, (int)s3[i]->rank);
  if (has_in(op, 4)) {
    const ir_shape *sc = in_shape(op, 4);
    if (sc->rank > 1 || (sc->rank == 1 && ir_dim_is_static(sc->d[0]) && sc->d[0].lo != 1))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input 4 (scale): expected a scalar");
  }
  char p[64], r2[64];
  ir_dim m;
  if (q->rank >= 0 && k->rank >= 0 && !ir_dim_merge(&m, q->d[q->rank - 1], k->d[k->rank - 1])) {
    fmt_dim(q->d[q->rank - 1], p, sizeof p);
    fmt_dim(k->d[k->rank - 1], r2, sizeof r2);
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "input 1 (key): embedding dim %s does not match the query's %s", r2, p);
  }
  if (k->rank >= 0 && v->rank >= 0 && !ir_dim_merge(&m, k->d[k->rank - 2], v->d[v->rank - 2])) {
    fmt_dim(k->d[k->rank - 2], p, sizeof p);
    fmt_dim(v->d[v->rank - 2], r2, sizeof r2);
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "input 2 (value): sequence dim %s does not match the key's %s", r2, p);
  }
  if (q->rank < 0 || k->rank < 0 || v->rank < 0) {
    ir_shape s = ir_shape_dynamic_rank();
    if (q->rank >= 0) {
      s = *q;
      s.d[s.rank - 1] = v->rank >= 0 ? v->d[v->rank - 1] : ir_dim_dynamic();
    }
    set_out(op, 0, et, &s);
    return OVCC_OK;
  }
  ir_shape r = ir_shape_scalar();
  ir_dim tmp[IR_MAX_RANK];
  int n, bad;
  for (int i = 1; i < 3; i++) {
    const ir_dim *acc = i == 1 ? q->d : tmp;
    int nacc = i == 1 ? q->rank - 2 : n;
    ir_dim res[IR_MAX_RANK];
    if (!bcast_dims(acc, nacc, s3[i]->d, s3[i]->rank - 2, res, &n, &bad))
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "input %d (%s): batch dims do not broadcast with the query's", i, names[i]);
    memcpy(tmp, res, sizeof(ir_dim) * (size_t)n);
  }
  memcpy(r.d, tmp, sizeof(ir_dim) * (size_t)n);
  r.rank = n + 2;
  r.d[n] = q->d[q->rank - 2];
  r.d[n + 1] = v->d[v->rank - 1];
  set_out(op, 0, et, &r);
  return OVCC_OK;
}
