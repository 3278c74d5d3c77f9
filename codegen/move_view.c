/* The view-copy engine of the movement family (see move_internal.h).
 *
 * A view is first simplified at compile time (size-1 axes dropped, adjacent
 * affine axes merged), so a Transpose or Concat reaches emission with the
 * fewest axes and the longest contiguous innermost run. Emission walks rows
 * (every axis but the last: the parallel work items, coordinates recovered by
 * division by constants) and then copies the last axis by the cheapest of:
 * a contiguous byte run (vector loads/stores), a splat fill, pad segments
 * around a run, or an element loop. */
#include <stdlib.h>
#include <string.h>

#include "move_internal.h"

/* ---- building views ---- */

void mv_view_init(mv_view *v, unsigned es, uint32_t src_buf, uint32_t dst_buf) {
  memset(v, 0, sizeof *v);
  v->es = es;
  v->src_buf = src_buf;
  v->dst_buf = dst_buf;
  v->fill_buf = UINT32_MAX;
}

int mv_view_axis(mv_view *v, int64_t n, int64_t src_stride, int64_t dst_stride) {
  int i = v->rank++;
  v->n[i] = n;
  v->src_stride[i] = src_stride;
  v->dst_stride[i] = dst_stride;
  v->table[i] = NULL;
  for (int t = 0; t < MV_MAX_TERMS; t++)
    v->terms[t].pos_stride[i] = 0;
  return i;
}

void mv_view_dense_dst(mv_view *v) {
  int64_t s = 1;
  for (int i = v->rank - 1; i >= 0; i--) {
    v->dst_stride[i] = s;
    s *= v->n[i];
  }
}

static void free_tables(mv_view *v) {
  for (int i = 0; i < v->rank; i++) {
    free(v->table[i]);
    v->table[i] = NULL;
  }
}

/* ---- simplification ---- */

static void remove_axis(mv_view *v, int a) {
  for (int i = a; i + 1 < v->rank; i++) {
    v->n[i] = v->n[i + 1];
    v->src_stride[i] = v->src_stride[i + 1];
    v->dst_stride[i] = v->dst_stride[i + 1];
    v->table[i] = v->table[i + 1];
    for (int t = 0; t < v->n_terms; t++)
      v->terms[t].pos_stride[i] = v->terms[t].pos_stride[i + 1];
  }
  v->rank--;
}

/* Axis a+1 folds into axis a when every linear map steps over it exactly. */
static bool mergeable(const mv_view *v, int a) {
  int b = a + 1;
  if (v->table[a] || v->table[b])
    return false;
  if (v->src_stride[a] != v->src_stride[b] * v->n[b] ||
      v->dst_stride[a] != v->dst_stride[b] * v->n[b])
    return false;
  for (int t = 0; t < v->n_terms; t++)
    if (v->terms[t].pos_stride[a] != v->terms[t].pos_stride[b] * v->n[b])
      return false;
  return true;
}

static void simplify(mv_view *v) {
  for (int i = v->rank - 1; i >= 0; i--) {
    if (v->n[i] != 1)
      continue;
    if (v->table[i]) {
      if (v->table[i][0] < 0)
        continue; /* a size-1 pad axis: keep it, it decides the fill */
      v->src_base += v->table[i][0];
      free(v->table[i]);
      v->table[i] = NULL;
    }
    remove_axis(v, i);
  }
  for (int i = v->rank - 2; i >= 0; i--)
    if (mergeable(v, i)) {
      v->n[i] *= v->n[i + 1];
      v->src_stride[i] = v->src_stride[i + 1];
      v->dst_stride[i] = v->dst_stride[i + 1];
      for (int t = 0; t < v->n_terms; t++)
        v->terms[t].pos_stride[i] = v->terms[t].pos_stride[i + 1];
      remove_axis(v, i + 1);
    }
  if (v->rank == 0)
    mv_view_axis(v, 1, 0, 0);
}

static bool inner_has_terms(const mv_view *v) {
  for (int t = 0; t < v->n_terms; t++)
    if (v->terms[t].pos_stride[v->rank - 1])
      return true;
  return false;
}

/* Few long rows give the threads nothing to share: cut the last axis into
 * equal chunks (a divisor of its length) so each chunk is a work item. */
static void split_long_rows(mv_view *v) {
  enum { MIN_ROWS = 16, CHUNK_BYTES = 32 * 1024, MAX_CHUNKS = 64 };
  int l = v->rank - 1;
  if (v->rank >= MV_MAX_RANK || v->table[l] || inner_has_terms(v))
    return;
  int64_t rows = 1;
  for (int i = 0; i < l; i++)
    rows *= v->n[i];
  int64_t n = v->n[l];
  if (rows >= MIN_ROWS || n * (int64_t)v->es < 2 * CHUNK_BYTES)
    return;
  int64_t best = 1;
  for (int64_t c = 2; c <= MAX_CHUNKS && c * rows <= 4 * MIN_ROWS; c++)
    if (n % c == 0 && (n / c) * (int64_t)v->es >= CHUNK_BYTES)
      best = c;
  if (best == 1)
    return;
  int64_t ss = v->src_stride[l], ds = v->dst_stride[l];
  v->n[l] = best;
  v->src_stride[l] = ss * (n / best);
  v->dst_stride[l] = ds * (n / best);
  mv_view_axis(v, n / best, ss, ds);
}

/* ---- emission helpers ---- */

typedef struct emit_ctx {
  cg_kernel *k;
  const mv_view *v;
  LLVMTypeRef elt; /* iN, N = 8 * es */
  LLVMValueRef src, dst, fill_ptr, tab;
  int64_t toff[MV_MAX_RANK]; /* offset of each axis' table in tab */
  LLVMValueRef term_base[MV_MAX_TERMS];
} emit_ctx;

static LLVMValueRef byte_ptr(cg_kernel *k, LLVMValueRef base, LLVMValueRef off) {
  return cg_gep(k, k->m->t_i8, base, off);
}

static LLVMValueRef elem_ptr(emit_ctx *e, LLVMValueRef base, LLVMValueRef idx) {
  return cg_gep(e->k, e->elt, base, idx);
}

static LLVMValueRef load1(cg_kernel *k, LLVMTypeRef t, LLVMValueRef p) {
  LLVMValueRef v = LLVMBuildLoad2(k->b, t, p, "");
  LLVMSetAlignment(v, 1);
  return v;
}

static void store1(cg_kernel *k, LLVMValueRef val, LLVMValueRef p) {
  LLVMSetAlignment(LLVMBuildStore(k->b, val, p), 1);
}

static LLVMTypeRef chunk_type(cg_kernel *k, int64_t w) {
  return w <= 8 ? LLVMIntTypeInContext(k->m->ctx, (unsigned)(8 * w))
                : LLVMVectorType(k->m->t_i8, (unsigned)w);
}

static void copy_chunk(cg_kernel *k, LLVMValueRef dst, LLVMValueRef src, LLVMValueRef off,
                       int64_t w) {
  LLVMTypeRef t = chunk_type(k, w);
  store1(k, load1(k, t, byte_ptr(k, src, off)), byte_ptr(k, dst, off));
}

static unsigned vec_bytes(cg_kernel *k) {
  unsigned vb = k->m->target ? k->m->target->vec_bytes : 0;
  return vb ? vb : 16;
}

/* dst[0..nbytes) = src[0..nbytes) for a compile-time length: vector chunks in
 * a loop, the tail as one overlapping chunk (source and destination never
 * overlap each other). */
void mv_copy_bytes(cg_kernel *k, LLVMValueRef dst, LLVMValueRef src, int64_t nbytes) {
  int64_t vb = vec_bytes(k);
  if (nbytes <= 0)
    return;
  if (nbytes < vb) {
    int64_t w = 1;
    while (w * 2 <= nbytes)
      w *= 2;
    copy_chunk(k, dst, src, cg_i64(k, 0), w);
    if (w != nbytes)
      copy_chunk(k, dst, src, cg_i64(k, nbytes - w), w);
    return;
  }
  int64_t nv = nbytes / vb;
  if (nv == 1) {
    copy_chunk(k, dst, src, cg_i64(k, 0), vb);
  } else {
    cg_loop l;
    LLVMValueRef i = cg_loop_begin(k, &l, cg_i64(k, 0), cg_i64(k, nv * vb), vb, "cpy");
    copy_chunk(k, dst, src, i, vb);
    cg_loop_end(k, &l);
  }
  if (nbytes % vb)
    copy_chunk(k, dst, src, cg_i64(k, nbytes - vb), vb);
}

/* dst[j * ds] = val for j < count. */
static void fill_elems(emit_ctx *e, LLVMValueRef dst, LLVMValueRef val, int64_t count,
                       int64_t ds) {
  cg_kernel *k = e->k;
  int64_t lanes = vec_bytes(k) / e->v->es;
  if (count <= 0)
    return;
  if (ds == 1 && count >= lanes) {
    LLVMValueRef sv = cg_splat(k, val, (unsigned)lanes);
    LLVMTypeRef vt = LLVMTypeOf(sv);
    cg_loop l;
    LLVMValueRef j = cg_loop_begin(k, &l, cg_i64(k, 0), cg_i64(k, count - count % lanes), lanes,
                                   "fill");
    store1(k, sv, elem_ptr(e, dst, j));
    cg_loop_end(k, &l);
    if (count % lanes) {
      (void)vt;
      store1(k, sv, elem_ptr(e, dst, cg_i64(k, count - lanes)));
    }
    return;
  }
  cg_loop l;
  LLVMValueRef j = cg_loop_begin(k, &l, cg_i64(k, 0), cg_i64(k, count), 1, "fille");
  store1(k, val, elem_ptr(e, dst, LLVMBuildNSWMul(k->b, j, cg_i64(k, ds), "")));
  cg_loop_end(k, &l);
}

static LLVMValueRef fill_value(emit_ctx *e) { return load1(e->k, e->elt, e->fill_ptr); }

static LLVMValueRef and_valid(cg_kernel *k, LLVMValueRef a, LLVMValueRef b) {
  return a ? LLVMBuildAnd(k->b, a, b, "") : b;
}

/* k in [0, dim) after adding dim to a negative k; *valid gets the check. */
static LLVMValueRef normalize_index(cg_kernel *k, LLVMValueRef idx, int64_t dim,
                                    LLVMValueRef *valid) {
  LLVMValueRef neg = LLVMBuildICmp(k->b, LLVMIntSLT, idx, cg_i64(k, 0), "");
  idx = LLVMBuildSelect(k->b, neg, LLVMBuildAdd(k->b, idx, cg_i64(k, dim), ""), idx, "");
  LLVMValueRef ok = LLVMBuildICmp(k->b, LLVMIntULT, idx, cg_i64(k, dim), "inrange");
  *valid = and_valid(k, *valid, ok);
  return idx;
}

/* Source offset contribution of term t at index position pos. */
static LLVMValueRef term_offset(emit_ctx *e, int t, LLVMValueRef pos, LLVMValueRef *valid) {
  cg_kernel *k = e->k;
  const mv_term *tm = &e->v->terms[t];
  LLVMValueRef idx = mv_load_index(k, e->term_base[t], tm->et, pos);
  idx = normalize_index(k, idx, tm->dim, valid);
  /* Keep the address in bounds even for a masked-out lane. */
  if (*valid)
    idx = LLVMBuildSelect(k->b, *valid, idx, cg_i64(k, 0), "");
  return LLVMBuildMul(k->b, idx, cg_i64(k, tm->src_stride), "");
}

static LLVMValueRef table_entry(emit_ctx *e, int axis, LLVMValueRef c) {
  LLVMValueRef at = LLVMBuildAdd(e->k->b, c, cg_i64(e->k, e->toff[axis]), "");
  return load1(e->k, e->k->m->t_i64, cg_gep(e->k, e->k->m->t_i64, e->tab, at));
}

/* ---- inner axis ---- */

typedef struct row_state {
  LLVMValueRef src_off, dst_off; /* i64 element offsets */
  LLVMValueRef valid;            /* i1, NULL: always valid */
  LLVMValueRef pos[MV_MAX_TERMS]; /* term index positions at inner coordinate 0 */
} row_state;

/* Pad-shaped inner table: fill, then a stride-1 run, then fill. */
static bool table_segments(const mv_view *v, int l, int64_t *pre, int64_t *mid) {
  const int64_t *t = v->table[l];
  int64_t n = v->n[l], a = 0;
  while (a < n && t[a] < 0)
    a++;
  int64_t b = a;
  while (b < n && t[b] >= 0 && t[b] == t[a] + (b - a))
    b++;
  for (int64_t i = b; i < n; i++)
    if (t[i] >= 0)
      return false;
  *pre = a;
  *mid = b - a;
  return true;
}

/* The last axis when nothing on it needs a per-element check. */
static void inner_run(emit_ctx *e, row_state *r) {
  cg_kernel *k = e->k;
  const mv_view *v = e->v;
  int l = v->rank - 1;
  int64_t n = v->n[l], ss = v->src_stride[l], ds = v->dst_stride[l];
  LLVMValueRef dst = elem_ptr(e, e->dst, r->dst_off);
  if (v->table[l]) {
    int64_t pre, mid;
    table_segments(v, l, &pre, &mid);
    LLVMValueRef fv = fill_value(e);
    fill_elems(e, dst, fv, pre, 1);
    if (mid) {
      LLVMValueRef s = LLVMBuildAdd(k->b, r->src_off, cg_i64(k, v->table[l][pre]), "");
      mv_copy_bytes(k, elem_ptr(e, dst, cg_i64(k, pre)), elem_ptr(e, e->src, s),
                 mid * (int64_t)v->es);
    }
    fill_elems(e, elem_ptr(e, dst, cg_i64(k, pre + mid)), fv, n - pre - mid, 1);
    return;
  }
  LLVMValueRef src = elem_ptr(e, e->src, r->src_off);
  if (ss == 1 && ds == 1) {
    mv_copy_bytes(k, dst, src, n * (int64_t)v->es);
  } else if (ss == 0) {
    fill_elems(e, dst, load1(k, e->elt, src), n, ds);
  } else {
    cg_loop lp;
    LLVMValueRef j = cg_loop_begin(k, &lp, cg_i64(k, 0), cg_i64(k, n), 1, "el");
    LLVMValueRef x = load1(k, e->elt, elem_ptr(e, src, LLVMBuildNSWMul(k->b, j, cg_i64(k, ss), "")));
    store1(k, x, elem_ptr(e, dst, LLVMBuildNSWMul(k->b, j, cg_i64(k, ds), "")));
    cg_loop_end(k, &lp);
  }
}

/* The last axis with per-element tables or index terms. */
static void inner_elements(emit_ctx *e, row_state *r) {
  cg_kernel *k = e->k;
  const mv_view *v = e->v;
  int l = v->rank - 1;
  cg_loop lp;
  LLVMValueRef j = cg_loop_begin(k, &lp, cg_i64(k, 0), cg_i64(k, v->n[l]), 1, "el");
  LLVMValueRef valid = r->valid, s = r->src_off;
  if (v->table[l]) {
    LLVMValueRef t = table_entry(e, l, j);
    valid = and_valid(k, valid, LLVMBuildICmp(k->b, LLVMIntSGE, t, cg_i64(k, 0), ""));
    s = LLVMBuildAdd(k->b, s, t, "");
  } else {
    s = LLVMBuildAdd(k->b, s, LLVMBuildMul(k->b, j, cg_i64(k, v->src_stride[l]), ""), "");
  }
  for (int t = 0; t < v->n_terms; t++) {
    int64_t ps = v->terms[t].pos_stride[l];
    if (!ps)
      continue;
    LLVMValueRef pos = LLVMBuildAdd(k->b, r->pos[t], LLVMBuildMul(k->b, j, cg_i64(k, ps), ""), "");
    s = LLVMBuildAdd(k->b, s, term_offset(e, t, pos, &valid), "");
  }
  LLVMValueRef sp = elem_ptr(e, e->src, s);
  if (valid)
    sp = LLVMBuildSelect(k->b, valid, sp, e->fill_ptr, "");
  LLVMValueRef d = LLVMBuildAdd(k->b, r->dst_off, LLVMBuildMul(k->b, j, cg_i64(k, v->dst_stride[l]), ""), "");
  store1(k, load1(k, e->elt, sp), elem_ptr(e, e->dst, d));
  cg_loop_end(k, &lp);
}

static bool needs_elements(const mv_view *v) {
  int l = v->rank - 1;
  if (inner_has_terms(v))
    return true;
  if (!v->table[l])
    return false;
  int64_t pre, mid;
  return !(v->dst_stride[l] == 1 && table_segments(v, l, &pre, &mid));
}

/* ---- rows ---- */

static void emit_row(emit_ctx *e, LLVMValueRef row) {
  cg_kernel *k = e->k;
  const mv_view *v = e->v;
  int l = v->rank - 1;
  row_state r = {cg_i64(k, v->src_base), cg_i64(k, v->dst_base), NULL, {0}};
  for (int t = 0; t < v->n_terms; t++)
    r.pos[t] = cg_i64(k, v->terms[t].pos_base);
  int64_t div = 1;
  for (int i = l - 1; i >= 0; i--) {
    LLVMValueRef c = row;
    if (div > 1)
      c = LLVMBuildUDiv(k->b, c, cg_i64(k, div), "");
    if (i > 0)
      c = LLVMBuildURem(k->b, c, cg_i64(k, v->n[i]), "");
    div *= v->n[i];
    r.dst_off = LLVMBuildAdd(k->b, r.dst_off, LLVMBuildMul(k->b, c, cg_i64(k, v->dst_stride[i]), ""), "");
    if (v->table[i]) {
      LLVMValueRef t = table_entry(e, i, c);
      r.valid = and_valid(k, r.valid, LLVMBuildICmp(k->b, LLVMIntSGE, t, cg_i64(k, 0), ""));
      r.src_off = LLVMBuildAdd(k->b, r.src_off, t, "");
    } else if (v->src_stride[i]) {
      r.src_off = LLVMBuildAdd(k->b, r.src_off, LLVMBuildMul(k->b, c, cg_i64(k, v->src_stride[i]), ""), "");
    }
    for (int t = 0; t < v->n_terms; t++)
      if (v->terms[t].pos_stride[i])
        r.pos[t] = LLVMBuildAdd(k->b, r.pos[t], LLVMBuildMul(k->b, c, cg_i64(k, v->terms[t].pos_stride[i]), ""), "");
  }
  for (int t = 0; t < v->n_terms; t++)
    if (!v->terms[t].pos_stride[l])
      r.src_off = LLVMBuildAdd(k->b, r.src_off, term_offset(e, t, r.pos[t], &r.valid), "");
  if (needs_elements(v)) {
    inner_elements(e, &r);
    return;
  }
  if (!r.valid) {
    inner_run(e, &r);
    return;
  }
  cg_if c;
  cg_if_begin(k, &c, r.valid);
  inner_run(e, &r);
  cg_if_else(k, &c);
  fill_elems(e, elem_ptr(e, e->dst, r.dst_off), fill_value(e), v->n[l], v->dst_stride[l]);
  cg_if_end(k, &c);
}

/* A module-wide zero element, the fill of views without a fill buffer. */
static LLVMValueRef zero_global(cg_kernel *k) {
  LLVMValueRef g = LLVMGetNamedGlobal(k->m->mod, "ovcc.mv.zero");
  if (g)
    return g;
  g = LLVMAddGlobal(k->m->mod, k->m->t_i64, "ovcc.mv.zero");
  LLVMSetInitializer(g, LLVMConstInt(k->m->t_i64, 0, false));
  LLVMSetGlobalConstant(g, true);
  LLVMSetLinkage(g, LLVMPrivateLinkage);
  LLVMSetAlignment(g, 8);
  return g;
}

/* Copies the view's tables into one kernel constant; UINT32_MAX on error. */
static ovcc_status add_tables(cg_kernel *k, const mv_view *v, emit_ctx *e) {
  int64_t total = 0;
  for (int i = 0; i < v->rank; i++)
    if (v->table[i]) {
      e->toff[i] = total;
      total += v->n[i];
    }
  if (!total)
    return OVCC_OK;
  int64_t *all = malloc((size_t)total * sizeof *all);
  if (all)
    for (int i = 0; i < v->rank; i++)
      if (v->table[i])
        memcpy(all + e->toff[i], v->table[i], (size_t)v->n[i] * sizeof *all);
  uint32_t idx = cg_kernel_add_const(k, all, (uint64_t)total * sizeof *all);
  if (idx == UINT32_MAX)
    return k->d->status ? k->d->status : OVCC_ERR_NOMEM;
  e->tab = cg_buf(k, idx);
  return OVCC_OK;
}

/* Buffer index to read a compile-time-known operand from: a kernel-owned
 * copy (small tables travel with the kernel, and read as constants), else
 * the operand itself. */
static uint32_t known_buf(cg_kernel *k, uint32_t i) {
  enum { MAX_COPY = 1 << 20 };
  const ir_tensor *t = i < k->op->n_operands ? ir_value_known(ir_op_operand(k->op, i)) : NULL;
  if (!t || !t->data || !t->nbytes || t->nbytes > MAX_COPY || k->n_consts + 1 >= CG_MAX_KERNEL_CONSTS)
    return i;
  void *copy = malloc((size_t)t->nbytes);
  if (!copy)
    return i;
  memcpy(copy, t->data, (size_t)t->nbytes);
  uint32_t b = cg_kernel_add_const(k, copy, t->nbytes);
  return b == UINT32_MAX ? i : b;
}

ovcc_status mv_emit(cg_kernel *k, mv_view *v, int64_t first, int64_t *rows_out) {
  *rows_out = 0;
  for (int i = 0; i < v->rank; i++)
    if (v->n[i] == 0) {
      free_tables(v);
      return OVCC_OK;
    }
  simplify(v);
  split_long_rows(v);
  emit_ctx e = {.k = k, .v = v, .elt = LLVMIntTypeInContext(k->m->ctx, 8 * v->es)};
  ovcc_status st = add_tables(k, v, &e);
  if (st != OVCC_OK) {
    free_tables(v);
    return st;
  }
  int64_t rows = 1;
  for (int i = 0; i + 1 < v->rank; i++)
    rows *= v->n[i];
  e.src = cg_buf(k, v->src_buf);
  e.dst = cg_buf(k, v->dst_buf);
  e.fill_ptr = v->fill_buf == UINT32_MAX ? zero_global(k) : cg_buf(k, known_buf(k, v->fill_buf));
  for (int t = 0; t < v->n_terms; t++) {
    bool seen = false; /* GatherND's terms share one index tensor */
    for (int u = 0; u < t && !seen; u++)
      if (v->terms[u].buf == v->terms[t].buf) {
        e.term_base[t] = e.term_base[u];
        seen = true;
      }
    if (!seen)
      e.term_base[t] = cg_buf(k, known_buf(k, v->terms[t].buf));
  }
  /* This view's rows are work items [first, first + rows). */
  LLVMValueRef begin = v->serial ? cg_i64(k, first) : k->begin;
  LLVMValueRef end = v->serial ? cg_i64(k, first + rows) : k->end;
  LLVMValueRef lo = LLVMBuildSub(k->b, begin, cg_i64(k, first), "");
  LLVMValueRef hi = LLVMBuildSub(k->b, end, cg_i64(k, first), "");
  LLVMValueRef zero = cg_i64(k, 0), nr = cg_i64(k, rows);
  lo = LLVMBuildSelect(k->b, LLVMBuildICmp(k->b, LLVMIntSLT, lo, zero, ""), zero, lo, "");
  hi = LLVMBuildSelect(k->b, LLVMBuildICmp(k->b, LLVMIntSGT, hi, nr, ""), nr, hi, "");
  cg_loop l;
  LLVMValueRef row = cg_loop_begin(k, &l, lo, hi, 1, "row");
  emit_row(&e, row);
  cg_loop_end(k, &l);
  free_tables(v);
  *rows_out = rows;
  return OVCC_OK;
}

ovcc_status mv_emit_kernel(cg_kernel *k, mv_view *v) {
  int64_t rows;
  int64_t inner_bytes = 1;
  IR_TRY(mv_emit(k, v, 0, &rows));
  if (v->rank > 0)
    inner_bytes = v->n[v->rank - 1] * (int64_t)v->es;
  k->work = rows > 0 ? rows : 1;
  k->cost = (double)inner_bytes / 8.0 + 10.0;
  return OVCC_OK;
}

/* ---- shared small helpers ---- */

unsigned mv_elem_size(cg_kernel *k, ir_etype et) {
  if (et == IR_ET_STRING) /* descriptors move as 16-byte elements */
    return CG_STRING_BYTES;
  unsigned bits = ir_etype_bits(et);
  if (bits == 0 || bits % 8 || bits > 64) {
    CG_UNSUPPORTED(k, "element type %s is not supported by data movement kernels",
                   ir_etype_name(et));
    return 0;
  }
  return bits / 8;
}

int mv_const_ints(cg_kernel *k, uint32_t i, int64_t *out, int max, const char *what) {
  const ir_value *v = i < k->op->n_operands ? ir_op_operand(k->op, i) : NULL;
  int n = v ? ir_value_known_ints(v, out, max) : -1;
  if (n < 0)
    CG_UNSUPPORTED(k, "%s must be a compile-time constant", what);
  return n;
}

LLVMValueRef mv_load_index(cg_kernel *k, LLVMValueRef base, ir_etype et, LLVMValueRef pos) {
  unsigned bits = ir_etype_bits(et);
  LLVMTypeRef t = LLVMIntTypeInContext(k->m->ctx, bits);
  LLVMValueRef x = load1(k, t, cg_gep(k, t, base, pos));
  if (bits == 64)
    return x;
  return ir_etype_is_signed(et) ? LLVMBuildSExt(k->b, x, k->m->t_i64, "")
                                : LLVMBuildZExt(k->b, x, k->m->t_i64, "");
}

int mv_dims(const ir_value *v, int64_t *dims, int64_t *strides) {
  int r = cg_dims(v, dims);
  if (strides)
    cg_strides(dims, r, strides);
  return r;
}
