/* decompose-einsum: Einsum-7 as Transpose, Reshape, Gather, ReduceSum and
 * MatMul, in the spirit of OpenVINO's EinsumDecomposition:
 *
 *   1. each input: a label repeated within it takes the diagonal (the two
 *      axes go last, are flattened and Gather keeps every (n+1)-th element);
 *      labels no other input and not the output has are summed (ReduceSum);
 *   2. inputs are contracted pairwise, left to right: labels in both that
 *      are still needed (by the output or a later input) are batch dims,
 *      labels in both that are not are contracted, the rest stay on their
 *      side: A -> [batch, M, K], B -> [batch, K, N], MatMul (its batch dims
 *      broadcast), reshaped back to [batch, A's labels, B's labels];
 *   3. the last term is transposed into the output's label order.
 *
 * Ellipsis dims become labels of their own, aligned from the right, so they
 * broadcast like numpy's. A contracted label of dim 1 on one side and n on
 * the other is dropped from the first and summed on the second.
 *
 * Needs static input shapes; an equation this pass does not follow (a
 * repeated output label, a repeated input label with different dims) leaves
 * the op as it is, and so does a result type that differs from the op's. */
#include <stdlib.h>
#include <string.h>

#include "op_builder.h"
#include "passes.h"

enum {
  EIN_LETTERS = 52, /* A-Z, a-z; ellipsis dims are EIN_LETTERS + k */
  EIN_ELL = -1,
  EIN_MAX_INPUTS = 64
};

/* One operand as the pass goes: its value and a label per axis. */
typedef struct ein_term {
  ir_value *v;
  int rank;
  int lab[IR_MAX_RANK];
  int64_t dim[IR_MAX_RANK];
} ein_term;

typedef struct ein_problem {
  ein_term terms[EIN_MAX_INPUTS];
  uint32_t n; /* live terms: terms[0..n) */
  int out[IR_MAX_RANK];
  int out_rank;
} ein_problem;

/* ---- parsing ---- */

/* A subscript as written: labels and at most one EIN_ELL. */
typedef struct ein_sub {
  int lab[IR_MAX_RANK + 1];
  int n;
  bool ell;
} ein_sub;

static int letter_label(char c) {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return 26 + (c - 'a');
  return -2;
}

static bool parse_sub(const char *s, const char *e, ein_sub *out) {
  memset(out, 0, sizeof *out);
  for (const char *p = s; p < e;) {
    if (out->n > IR_MAX_RANK)
      return false;
    if (*p == '.') {
      if (e - p < 3 || p[1] != '.' || p[2] != '.' || out->ell)
        return false;
      out->ell = true;
      out->lab[out->n++] = EIN_ELL;
      p += 3;
      continue;
    }
    int l = letter_label(*p++);
    if (l < 0)
      return false;
    out->lab[out->n++] = l;
  }
  return true;
}

/* Implicit output: the ellipsis, then the labels seen once, in ASCII order. */
static void implicit_output(const ein_sub *ins, uint32_t n_in, ein_sub *out) {
  int count[EIN_LETTERS] = {0};
  bool any_ell = false;
  for (uint32_t i = 0; i < n_in; i++) {
    any_ell |= ins[i].ell;
    for (int j = 0; j < ins[i].n; j++)
      if (ins[i].lab[j] >= 0)
        count[ins[i].lab[j]]++;
  }
  memset(out, 0, sizeof *out);
  if (any_ell)
    out->ell = true, out->lab[out->n++] = EIN_ELL;
  for (int l = 0; l < EIN_LETTERS && out->n <= IR_MAX_RANK; l++)
    if (count[l] == 1)
      out->lab[out->n++] = l;
}

static bool parse_equation(const char *eq, uint32_t n_in, ein_sub *ins, ein_sub *out) {
  const char *arrow = strstr(eq, "->");
  const char *end = arrow ? arrow : eq + strlen(eq);
  uint32_t k = 0;
  for (const char *p = eq;; k++) {
    const char *comma = memchr(p, ',', (size_t)(end - p));
    const char *e = comma ? comma : end;
    if (k >= n_in || !parse_sub(p, e, &ins[k]))
      return false;
    if (!comma)
      break;
    p = comma + 1;
  }
  if (k + 1 != n_in)
    return false;
  if (!arrow) {
    implicit_output(ins, n_in, out);
    return true;
  }
  return parse_sub(arrow + 2, arrow + strlen(arrow), out);
}

/* ---- the problem: labels per axis ---- */

static int find_label(const ein_term *t, int l) {
  for (int i = 0; i < t->rank; i++)
    if (t->lab[i] == l)
      return i;
  return -1;
}

/* Expands one subscript over a static shape; ellipsis dims get labels
 * EIN_LETTERS + k, right-aligned among n_ell. */
static bool expand_sub(const ein_sub *s, const ir_shape *sh, int n_ell, int *lab) {
  int n_named = s->n - (s->ell ? 1 : 0);
  int ne = sh->rank - n_named;
  if (s->ell ? ne < 0 : ne != 0)
    return false;
  int ax = 0;
  for (int j = 0; j < s->n; j++) {
    if (s->lab[j] != EIN_ELL) {
      lab[ax++] = s->lab[j];
      continue;
    }
    for (int k = 0; k < ne; k++)
      lab[ax++] = EIN_LETTERS + (n_ell - ne + k);
  }
  return true;
}

static int ellipsis_rank(const ein_sub *s, const ir_value *v) {
  return s->ell ? v->type.shape.rank - (s->n - 1) : 0;
}

/* Output labels appear once and each in some input. */
static bool output_fits(const ein_problem *p) {
  for (int i = 0; i < p->out_rank; i++) {
    bool found = false;
    for (uint32_t t = 0; t < p->n && !found; t++)
      found = find_label(&p->terms[t], p->out[i]) >= 0;
    for (int j = 0; j < i; j++)
      if (p->out[j] == p->out[i])
        return false;
    if (!found)
      return false;
  }
  return true;
}

/* Fills p from op; false if the op is outside what this pass handles. */
static bool setup_problem(const ir_op *op, ein_problem *p) {
  uint32_t n_in = op->n_operands;
  if (n_in == 0 || n_in > EIN_MAX_INPUTS)
    return false;
  ein_sub ins[EIN_MAX_INPUTS], out;
  if (!parse_equation(ir_op_attr_str(op, "equation", ""), n_in, ins, &out))
    return false;
  int n_ell = 0;
  for (uint32_t i = 0; i < n_in; i++) {
    ir_value *v = ir_op_operand(op, i);
    if (!v || !ir_shape_is_static(&v->type.shape) || v->type.et != op->results[0].type.et)
      return false;
    int ne = ellipsis_rank(&ins[i], v);
    n_ell = ne > n_ell ? ne : n_ell;
  }
  p->n = n_in;
  for (uint32_t i = 0; i < n_in; i++) {
    ein_term *t = &p->terms[i];
    t->v = ir_op_operand(op, i);
    t->rank = t->v->type.shape.rank;
    if (!expand_sub(&ins[i], &t->v->type.shape, n_ell, t->lab))
      return false;
    for (int a = 0; a < t->rank; a++)
      t->dim[a] = t->v->type.shape.d[a].lo;
    for (int a = 0; a < t->rank; a++) /* a diagonal needs equal dims */
      for (int b = a + 1; b < t->rank; b++)
        if (t->lab[a] == t->lab[b] && t->dim[a] != t->dim[b])
          return false;
  }
  p->out_rank = 0;
  for (int j = 0; j < out.n; j++) {
    int n = out.lab[j] == EIN_ELL ? n_ell : 1;
    if (p->out_rank + n > IR_MAX_RANK)
      return false;
    for (int k = 0; k < n; k++)
      p->out[p->out_rank++] = out.lab[j] == EIN_ELL ? EIN_LETTERS + k : out.lab[j];
  }
  return output_fits(p);
}

/* Whether label l is read by the output or by a live term other than `self`. */
static bool needed_elsewhere(const ein_problem *p, int l, uint32_t self) {
  for (int i = 0; i < p->out_rank; i++)
    if (p->out[i] == l)
      return true;
  for (uint32_t t = 0; t < p->n; t++)
    if (t != self && find_label(&p->terms[t], l) >= 0)
      return true;
  return false;
}

/* ---- term rewrites (each updates the term's value and labels) ---- */

/* Keeps axes keep[0..n) in that order (a Transpose). */
static ovcc_status permute(op_builder *b, ein_term *t, const int *keep) {
  int64_t perm[IR_MAX_RANK];
  ein_term nt = *t;
  for (int i = 0; i < t->rank; i++) {
    perm[i] = keep[i];
    nt.lab[i] = t->lab[keep[i]];
    nt.dim[i] = t->dim[keep[i]];
  }
  nt.v = ob_transpose(b, t->v, perm);
  if (!nt.v)
    return b->d->status;
  *t = nt;
  return OVCC_OK;
}

/* The diagonal of the two last axes (equal dims n): Reshape to [..., n*n],
 * Gather every (n+1)-th element. */
static ovcc_status diagonal_of_last_two(op_builder *b, ein_term *t) {
  int r = t->rank;
  int64_t n = t->dim[r - 1];
  int64_t dims[IR_MAX_RANK];
  memcpy(dims, t->dim, sizeof(int64_t) * (size_t)(r - 2));
  dims[r - 2] = n * n;
  int64_t *idx = malloc((size_t)(n ? n : 1) * sizeof *idx);
  if (!idx)
    return IR_NOMEM(b->d);
  for (int64_t i = 0; i < n; i++)
    idx[i] = i * (n + 1);
  ir_value *flat = ob_reshape(b, t->v, dims, r - 1);
  ir_value *diag = flat ? ob_gather(b, flat, idx, (int)n, r - 2) : NULL;
  free(idx);
  if (!diag)
    return b->d->status;
  t->v = diag;
  t->rank = r - 1;
  return OVCC_OK;
}

/* Replaces every label repeated within t by its diagonal. */
static ovcc_status take_diagonals(op_builder *b, ein_term *t) {
  for (int a = 0; a < t->rank; a++) {
    for (int c = a + 1; c < t->rank; c++) {
      if (t->lab[a] != t->lab[c])
        continue;
      int keep[IR_MAX_RANK], n = 0;
      for (int i = 0; i < t->rank; i++)
        if (i != a && i != c)
          keep[n++] = i;
      keep[n++] = a;
      keep[n++] = c;
      IR_TRY(permute(b, t, keep));
      IR_TRY(diagonal_of_last_two(b, t));
      a = -1; /* labels moved: start over */
      break;
    }
  }
  return OVCC_OK;
}

/* Removes the axes flagged in drop[]: summed (ReduceSum) or, for dims of 1,
 * just reshaped away. */
static ovcc_status drop_axes(op_builder *b, ein_term *t, const bool *drop, bool sum) {
  int64_t axes[IR_MAX_RANK], dims[IR_MAX_RANK];
  int n_axes = 0, n = 0;
  ein_term nt = *t;
  for (int i = 0; i < t->rank; i++) {
    if (drop[i]) {
      axes[n_axes++] = i;
      continue;
    }
    nt.lab[n] = t->lab[i];
    nt.dim[n] = t->dim[i];
    dims[n++] = t->dim[i];
  }
  if (!n_axes)
    return OVCC_OK;
  nt.rank = n;
  nt.v = sum ? ob_reduce_sum(b, t->v, axes, n_axes) : ob_reshape(b, t->v, dims, n);
  if (!nt.v)
    return b->d->status;
  *t = nt;
  return OVCC_OK;
}

/* Sums the labels of term i that nothing else reads. */
static ovcc_status sum_private_labels(op_builder *b, ein_problem *p, uint32_t i) {
  ein_term *t = &p->terms[i];
  bool drop[IR_MAX_RANK];
  for (int a = 0; a < t->rank; a++)
    drop[a] = !needed_elsewhere(p, t->lab[a], i);
  return drop_axes(b, t, drop, true);
}

/* Whether label l is read by the output or by a term after the first two. */
static bool needed_beyond_pair(const ein_problem *p, int l) {
  for (int i = 0; i < p->out_rank; i++)
    if (p->out[i] == l)
      return true;
  for (uint32_t t = 2; t < p->n; t++)
    if (find_label(&p->terms[t], l) >= 0)
      return true;
  return false;
}

/* A contracted label of dim 1 in one term and more in the other leaves the
 * first (the second then sums it alone). Batch labels stay: MatMul
 * broadcasts them. */
static ovcc_status drop_unit_contractions(op_builder *b, ein_problem *p) {
  ein_term *ta = &p->terms[0], *tb = &p->terms[1];
  bool drop_a[IR_MAX_RANK] = {false}, drop_b[IR_MAX_RANK] = {false};
  for (int a = 0; a < ta->rank; a++) {
    int c = find_label(tb, ta->lab[a]);
    if (c < 0 || ta->dim[a] == tb->dim[c] || needed_beyond_pair(p, ta->lab[a]))
      continue;
    if (ta->dim[a] == 1)
      drop_a[a] = true;
    else
      drop_b[c] = true;
  }
  IR_TRY(drop_axes(b, ta, drop_a, false));
  return drop_axes(b, tb, drop_b, false);
}

/* ---- pairwise contraction ---- */

/* Axis positions of the first two terms by role. */
typedef struct ein_split {
  int batch_a[IR_MAX_RANK], batch_b[IR_MAX_RANK], n_batch;
  int con_a[IR_MAX_RANK], con_b[IR_MAX_RANK], n_con;
  int sep_a[IR_MAX_RANK], n_sep_a;
  int sep_b[IR_MAX_RANK], n_sep_b;
} ein_split;

static void classify(const ein_problem *p, ein_split *s) {
  const ein_term *ta = &p->terms[0], *tb = &p->terms[1];
  memset(s, 0, sizeof *s);
  for (int a = 0; a < ta->rank; a++) {
    int c = find_label(tb, ta->lab[a]);
    if (c < 0) {
      s->sep_a[s->n_sep_a++] = a;
    } else if (needed_beyond_pair(p, ta->lab[a])) {
      s->batch_a[s->n_batch] = a;
      s->batch_b[s->n_batch++] = c;
    } else {
      s->con_a[s->n_con] = a;
      s->con_b[s->n_con++] = c;
    }
  }
  for (int c = 0; c < tb->rank; c++)
    if (find_label(ta, tb->lab[c]) < 0)
      s->sep_b[s->n_sep_b++] = c;
}

static int append(int *dst, int n, const int *src, int k) {
  memcpy(dst + n, src, sizeof(int) * (size_t)k);
  return n + k;
}

static int64_t product(const ein_term *t, int from, int to) {
  int64_t n = 1;
  for (int i = from; i < to; i++)
    n *= t->dim[i];
  return n;
}

/* A (permuted to [batch, sep_a, con]) and B (to [batch, con, sep_b]) as
 * [batch, M, K] x [batch, K, N]; the product reshaped to
 * [batch, sep_a, sep_b] becomes term 0, term 1 goes. */
static ovcc_status contract_first_two(op_builder *b, ein_problem *p) {
  ein_split s;
  classify(p, &s);
  ein_term *ta = &p->terms[0], *tb = &p->terms[1];
  int order[IR_MAX_RANK], n;
  n = append(order, 0, s.batch_a, s.n_batch);
  n = append(order, n, s.sep_a, s.n_sep_a);
  append(order, n, s.con_a, s.n_con);
  IR_TRY(permute(b, ta, order));
  n = append(order, 0, s.batch_b, s.n_batch);
  n = append(order, n, s.con_b, s.n_con);
  append(order, n, s.sep_b, s.n_sep_b);
  IR_TRY(permute(b, tb, order));

  int nb = s.n_batch;
  int64_t m = product(ta, nb, nb + s.n_sep_a), k = product(ta, nb + s.n_sep_a, ta->rank);
  int64_t nn = product(tb, nb + s.n_con, tb->rank);
  int64_t dims_a[IR_MAX_RANK], dims_b[IR_MAX_RANK];
  ein_term r = {.rank = nb + s.n_sep_a + s.n_sep_b};
  if (r.rank > IR_MAX_RANK || nb + 2 > IR_MAX_RANK)
    return IR_ERR(b->d, OVCC_ERR_UNSUPPORTED,
                  "Einsum: an intermediate product of rank %d (at most %d)",
                  r.rank > nb + 2 ? r.rank : nb + 2, IR_MAX_RANK);
  for (int i = 0; i < nb; i++) {
    dims_a[i] = ta->dim[i];
    dims_b[i] = tb->dim[i];
    r.lab[i] = ta->lab[i];
    r.dim[i] = ta->dim[i] > tb->dim[i] ? ta->dim[i] : tb->dim[i]; /* 1 broadcasts */
  }
  for (int i = 0; i < s.n_sep_a; i++) {
    r.lab[nb + i] = ta->lab[nb + i];
    r.dim[nb + i] = ta->dim[nb + i];
  }
  for (int i = 0; i < s.n_sep_b; i++) {
    r.lab[nb + s.n_sep_a + i] = tb->lab[nb + s.n_con + i];
    r.dim[nb + s.n_sep_a + i] = tb->dim[nb + s.n_con + i];
  }
  dims_a[nb] = m, dims_a[nb + 1] = k;
  dims_b[nb] = k, dims_b[nb + 1] = nn;
  ir_value *x = ob_reshape(b, ta->v, dims_a, nb + 2);
  ir_value *y = x ? ob_reshape(b, tb->v, dims_b, nb + 2) : NULL;
  ir_value *prod = y ? ob_matmul(b, x, y, false, false) : NULL;
  r.v = prod ? ob_reshape(b, prod, r.dim, r.rank) : NULL;
  if (!r.v)
    return b->d->status;
  p->terms[0] = r;
  memmove(&p->terms[1], &p->terms[2], sizeof(ein_term) * (p->n - 2));
  p->n--;
  return OVCC_OK;
}

/* ---- the whole op ---- */

static ir_value *build(op_builder *b, ein_problem *p) {
  for (uint32_t i = 0; i < p->n; i++)
    if (take_diagonals(b, &p->terms[i]) != OVCC_OK)
      return NULL;
  while (p->n > 1) {
    if (drop_unit_contractions(b, p) != OVCC_OK || sum_private_labels(b, p, 0) != OVCC_OK ||
        sum_private_labels(b, p, 1) != OVCC_OK || contract_first_two(b, p) != OVCC_OK)
      return NULL;
  }
  ein_term *t = &p->terms[0];
  if (sum_private_labels(b, p, 0) != OVCC_OK)
    return NULL;
  int order[IR_MAX_RANK];
  for (int i = 0; i < p->out_rank; i++)
    order[i] = find_label(t, p->out[i]);
  if (permute(b, t, order) != OVCC_OK)
    return NULL;
  return t->v;
}

typedef struct ein_stats {
  uint64_t decomposed, skipped, erased;
} ein_stats;

static ovcc_status decompose(ir_model *m, ir_op *op, ein_stats *st, ir_diag *d) {
  ein_problem *p = malloc(sizeof *p);
  if (!p)
    return IR_NOMEM(d);
  if (!setup_problem(op, p)) {
    free(p);
    st->skipped++;
    return OVCC_OK;
  }
  op_builder b;
  ob_init(&b, m, op, d);
  ir_value *out = build(&b, p);
  free(p);
  if (!out)
    return d->status;
  const ir_type *want = &op->results[0].type;
  bool fits = out->type.et == want->et && ir_shape_is_static(&out->type.shape) &&
              ir_shape_compatible(&out->type.shape, &want->shape) &&
              pass_can_replace(&op->results[0], out);
  if (!fits) {
    ob_rollback(&b);
    st->skipped++;
    return OVCC_OK;
  }
  if (ob_created(&b, out->def)) {
    out->def->name = op->name;
    out->def->rt_info = op->rt_info;
  }
  IR_TRY(pass_replace_value(m, &op->results[0], out, d));
  st->decomposed++;
  return pass_erase_if_dead(op, &st->erased, d);
}

typedef struct ein_walk {
  ein_stats st;
  ir_diag *d;
} ein_walk;

static ovcc_status decompose_graph(ir_graph *g, void *arg) {
  ein_walk *w = arg;
  for (ir_op *op = g->first; op;) {
    ir_op *next = op->next; /* new ops go before op; op itself may go */
    if (op->kind == IR_OP_EINSUM_7)
      IR_TRY(decompose(g->model, op, &w->st, w->d));
    op = next;
  }
  return OVCC_OK;
}

ovcc_status pass_decompose_einsum_run(ir_model *m, pass_ctx *ctx, ir_diag *d) {
  ein_walk w = {.d = d};
  IR_TRY(ir_model_walk_graphs(m, decompose_graph, &w));
  pass_stat(ctx, "decomposed", w.st.decomposed);
  pass_stat(ctx, "skipped", w.st.skipped);
  return OVCC_OK;
}
