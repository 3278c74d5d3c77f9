#include "shape.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ir_shape ir_shape_dynamic_rank(void) {
  ir_shape s;
  memset(&s, 0, sizeof s);
  s.rank = -1;
  return s;
}

ir_shape ir_shape_scalar(void) {
  ir_shape s;
  memset(&s, 0, sizeof s);
  return s;
}

ir_shape ir_shape_dynamic_of_rank(int rank) {
  ir_shape s = ir_shape_scalar();
  if (rank < 0 || rank > IR_MAX_RANK)
    return ir_shape_dynamic_rank();
  s.rank = rank;
  for (int i = 0; i < rank; i++)
    s.d[i] = ir_dim_dynamic();
  return s;
}

bool ir_shape_from_dims(ir_shape *s, const int64_t *dims, int rank) {
  if (rank < 0 || rank > IR_MAX_RANK)
    return false;
  *s = ir_shape_scalar();
  s->rank = rank;
  for (int i = 0; i < rank; i++)
    s->d[i] = ir_dim_static(dims[i]);
  return true;
}

bool ir_shape_is_static(const ir_shape *s) {
  if (s->rank < 0)
    return false;
  for (int i = 0; i < s->rank; i++)
    if (!ir_dim_is_static(s->d[i]))
      return false;
  return true;
}

bool ir_shape_numel(const ir_shape *s, uint64_t *out) {
  if (!ir_shape_is_static(s))
    return false;
  uint64_t n = 1;
  for (int i = 0; i < s->rank; i++) {
    uint64_t v = (uint64_t)s->d[i].lo;
    if (v && n > UINT64_MAX / v)
      return false;
    n *= v;
  }
  *out = n;
  return true;
}

bool ir_shape_equal(const ir_shape *a, const ir_shape *b) {
  if (a->rank != b->rank)
    return false;
  for (int i = 0; i < a->rank; i++)
    if (a->d[i].lo != b->d[i].lo || a->d[i].hi != b->d[i].hi)
      return false;
  return true;
}

bool ir_dim_merge(ir_dim *out, ir_dim a, ir_dim b) {
  int64_t lo = a.lo > b.lo ? a.lo : b.lo;
  int64_t hi;
  if (a.hi == IR_DIM_INF)
    hi = b.hi;
  else if (b.hi == IR_DIM_INF)
    hi = a.hi;
  else
    hi = a.hi < b.hi ? a.hi : b.hi;
  if (hi != IR_DIM_INF && lo > hi)
    return false;
  out->lo = lo;
  out->hi = hi;
  return true;
}

bool ir_shape_merge(ir_shape *out, const ir_shape *a, const ir_shape *b) {
  if (a->rank < 0) {
    *out = *b;
    return true;
  }
  if (b->rank < 0) {
    *out = *a;
    return true;
  }
  if (a->rank != b->rank)
    return false;
  ir_shape r = *a;
  for (int i = 0; i < a->rank; i++)
    if (!ir_dim_merge(&r.d[i], a->d[i], b->d[i]))
      return false;
  *out = r;
  return true;
}

bool ir_shape_compatible(const ir_shape *a, const ir_shape *b) {
  ir_shape tmp;
  return ir_shape_merge(&tmp, a, b);
}

ir_dim ir_dim_add(ir_dim a, ir_dim b) {
  ir_dim r;
  r.lo = a.lo + b.lo;
  r.hi = (a.hi == IR_DIM_INF || b.hi == IR_DIM_INF) ? IR_DIM_INF : a.hi + b.hi;
  return r;
}

ir_dim ir_dim_mul(ir_dim a, ir_dim b) {
  ir_dim r;
  r.lo = a.lo * b.lo;
  if (a.hi == 0 || b.hi == 0)
    r.hi = 0;
  else
    r.hi = (a.hi == IR_DIM_INF || b.hi == IR_DIM_INF) ? IR_DIM_INF : a.hi * b.hi;
  return r;
}

/* One broadcast dim pair under numpy rules. */
static bool bcast_dim(ir_dim *out, ir_dim a, ir_dim b) {
  if (ir_dim_is_static(a) && a.lo == 1) {
    *out = b;
    return true;
  }
  if (ir_dim_is_static(b) && b.lo == 1) {
    *out = a;
    return true;
  }
  if (ir_dim_is_static(a) && ir_dim_is_static(b))
    return a.lo == b.lo ? (*out = a, true) : false;
  /* At least one dynamic: either may still be 1 at run time; when one is
   * static (not 1) the result is that dim; two dynamic dims give a dynamic dim
   * bounded by the larger upper bound. */
  if (ir_dim_is_static(a)) {
    if (b.lo > 1 && b.lo > a.lo)
      return false;
    *out = a;
    return true;
  }
  if (ir_dim_is_static(b)) {
    if (a.lo > 1 && a.lo > b.lo)
      return false;
    *out = b;
    return true;
  }
  out->lo = a.lo > b.lo ? a.lo : b.lo;
  out->hi = (a.hi == IR_DIM_INF || b.hi == IR_DIM_INF) ? IR_DIM_INF : (a.hi > b.hi ? a.hi : b.hi);
  if (out->lo > 0 && (a.lo == 0 || b.lo == 0))
    out->lo = 1 < out->lo ? out->lo : 1;
  return true;
}

bool ir_shape_broadcast_numpy(ir_shape *out, const ir_shape *a, const ir_shape *b, ir_diag *d) {
  if (a->rank < 0 || b->rank < 0) {
    *out = ir_shape_dynamic_rank();
    return true;
  }
  int r = a->rank > b->rank ? a->rank : b->rank;
  ir_shape s = ir_shape_scalar();
  s.rank = r;
  for (int i = 0; i < r; i++) {
    int ia = a->rank - r + i, ib = b->rank - r + i;
    ir_dim da = ia >= 0 ? a->d[ia] : ir_dim_static(1);
    ir_dim db = ib >= 0 ? b->d[ib] : ir_dim_static(1);
    if (!bcast_dim(&s.d[i], da, db)) {
      char sa[256], sb[256];
      ir_shape_format(a, sa, sizeof sa);
      ir_shape_format(b, sb, sizeof sb);
      IR_ERR(d, OVCC_ERR_INVALID_MODEL, "shapes [%s] and [%s] do not broadcast (numpy)", sa, sb);
      return false;
    }
  }
  *out = s;
  return true;
}

/* ---- text form ---- */

static const char *skip_ws(const char *p, const char *e) {
  while (p < e && isspace((unsigned char)*p))
    p++;
  return p;
}

/* Parses a non-negative integer; false on junk or > IR_MAX_DIM. */
static bool parse_u(const char **pp, const char *e, int64_t *out) {
  const char *p = *pp;
  if (p >= e || !isdigit((unsigned char)*p))
    return false;
  int64_t v = 0;
  while (p < e && isdigit((unsigned char)*p)) {
    v = v * 10 + (*p - '0');
    if (v > IR_MAX_DIM)
      return false;
    p++;
  }
  *pp = p;
  *out = v;
  return true;
}

static bool parse_dim(const char *p, const char *e, ir_dim *out, ir_diag *d) {
  p = skip_ws(p, e);
  while (e > p && isspace((unsigned char)e[-1]))
    e--;
  size_t n = (size_t)(e - p);
  if ((n == 1 && *p == '?') || (n == 2 && p[0] == '-' && p[1] == '1')) {
    *out = ir_dim_dynamic();
    return true;
  }
  if (n && *p == '-') {
    IR_ERR(d, OVCC_ERR_INVALID_MODEL, "negative dimension '%.*s'", (int)n, p);
    return false;
  }
  const char *dots = NULL;
  for (const char *q = p; q + 1 < e; q++)
    if (q[0] == '.' && q[1] == '.') {
      dots = q;
      break;
    }
  int64_t lo = 0, hi = IR_DIM_INF;
  const char *q = p;
  if (!dots) {
    if (!parse_u(&q, e, &lo) || q != e)
      goto bad;
    *out = ir_dim_static(lo);
    return true;
  }
  if (dots > p && (!parse_u(&q, dots, &lo) || q != dots))
    goto bad;
  q = dots + 2;
  if (q < e && (!parse_u(&q, e, &hi) || q != e))
    goto bad;
  if (hi != IR_DIM_INF && hi < lo) {
    IR_ERR(d, OVCC_ERR_INVALID_MODEL, "interval '%.*s' has upper bound below lower bound",
           (int)n, p);
    return false;
  }
  out->lo = lo;
  out->hi = hi;
  return true;
bad:
  IR_ERR(d, OVCC_ERR_INVALID_MODEL, "bad dimension '%.*s' (expected N, ?, -1, A..B or absurdly large)",
         (int)n, p);
  return false;
}

bool ir_shape_parse(const char *s, size_t n, ir_shape *out, ir_diag *d) {
  const char *p = skip_ws(s, s + n), *e = s + n;
  while (e > p && isspace((unsigned char)e[-1]))
    e--;
  if (e - p >= 2 && *p == '[' && e[-1] == ']') {
    p = skip_ws(p + 1, e - 1);
    e--;
    while (e > p && isspace((unsigned char)e[-1]))
      e--;
  }
  ir_shape r = ir_shape_scalar();
  if (p == e) {
    *out = r;
    return true;
  }
  if (e - p == 3 && memcmp(p, "...", 3) == 0) {
    *out = ir_shape_dynamic_rank();
    return true;
  }
  while (p <= e) {
    const char *c = memchr(p, ',', (size_t)(e - p));
    const char *end = c ? c : e;
    if (r.rank >= IR_MAX_RANK) {
      IR_ERR(d, OVCC_ERR_UNSUPPORTED, "rank exceeds the limit of %d", IR_MAX_RANK);
      return false;
    }
    if (!parse_dim(p, end, &r.d[r.rank], d))
      return false;
    r.rank++;
    if (!c)
      break;
    p = c + 1;
  }
  *out = r;
  return true;
}

size_t ir_dim_format(ir_dim dm, char *buf, size_t cap) {
  if (ir_dim_is_static(dm))
    return (size_t)snprintf(buf, cap, "%" PRId64, dm.lo);
  if (dm.lo == 0 && dm.hi == IR_DIM_INF)
    return (size_t)snprintf(buf, cap, "?");
  if (dm.hi == IR_DIM_INF)
    return (size_t)snprintf(buf, cap, "%" PRId64 "..", dm.lo);
  if (dm.lo == 0)
    return (size_t)snprintf(buf, cap, "..%" PRId64, dm.hi);
  return (size_t)snprintf(buf, cap, "%" PRId64 "..%" PRId64, dm.lo, dm.hi);
}

size_t ir_shape_format(const ir_shape *s, char *buf, size_t cap) {
  if (cap)
    buf[0] = 0;
  if (s->rank < 0)
    return (size_t)snprintf(buf, cap, "...");
  size_t len = 0;
  for (int i = 0; i < s->rank; i++) {
    char tmp[48];
    size_t k = ir_dim_format(s->d[i], tmp, sizeof tmp);
    if (i) {
      if (len + 1 < cap)
        buf[len] = ',', buf[len + 1] = 0;
      len++;
    }
    if (len < cap)
      snprintf(buf + len, cap - len, "%s", tmp);
    len += k;
  }
  return len;
}

bool ir_axis_normalize(int64_t axis, int rank, int64_t *out, ir_diag *d) {
  if (axis < -(int64_t)rank || axis >= rank) {
    IR_ERR(d, OVCC_ERR_INVALID_MODEL, "axis %lld is out of range for rank %d", (long long)axis,
           rank);
    return false;
  }
  *out = axis < 0 ? axis + rank : axis;
  return true;
}
