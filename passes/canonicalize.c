/* canonicalize: local rewrites that remove no-op data movement and replace
 * ops by simpler equivalents, repeated over each graph (bodies included)
 * until nothing changes. Each rewrite is a legality predicate (`*_match`)
 * and a rewrite (`*_apply`) that assumes it:
 *
 *   convert-noop       Convert to the input's own type          -> input
 *   convert-chain      Convert(Convert(x)) where the middle type
 *                      holds every value of x's type exactly     -> one Convert
 *   view-noop          Reshape/Squeeze/Unsqueeze keeping the
 *                      (static) shape                           -> input
 *   view-chain         view(view(x)) with a static result       -> Reshape(x)
 *   view-to-reshape    Squeeze/Unsqueeze with a static result   -> Reshape
 *   transpose-identity Transpose by the identity permutation    -> input
 *   transpose-chain    Transpose(Transpose(x))                  -> one Transpose
 *   broadcast-noop     Broadcast to the input's own static shape -> input
 *   binary-identity    x+0, 0+x, x-0, x*1, 1*x, x/1 when the
 *                      constant cannot grow x by broadcasting    -> x
 *   gelu-v7            Gelu-2                                   -> Gelu-7 (erf)
 *
 * Removing an op whose result is a graph output moves the output's tensor
 * names to the replacement (never onto a Parameter: then the rewrite does not
 * fire). Ops left dead by a rewrite are erased. New ops carry the replaced
 * op's result type, friendly name and location.
 * Preconditions: verifier-valid IR; types as inferred (infer-shapes). */
#include "passes.h"

#include <string.h>

enum { CANON_MAX_SWEEPS = 32 };

typedef struct canon_state {
  ir_model *m;
  ir_diag *d;
  uint64_t erased;
} canon_state;

/* ---- element types: exact embedding ---- */

typedef struct fp_format {
  ir_etype et;
  int prec;        /* significand bits incl. the implicit one */
  double max;      /* largest finite value */
  int min_sub_exp; /* exponent of the smallest positive value */
  bool inf, nan, sign;
} fp_format;

static const fp_format FP_FORMATS[] = {
    {IR_ET_F64, 53, 1.7976931348623157e308, -1074, true, true, true},
    {IR_ET_F32, 24, 3.4028234663852886e38, -149, true, true, true},
    {IR_ET_BF16, 8, 3.3895313892515355e38, -133, true, true, true},
    {IR_ET_F16, 11, 65504.0, -24, true, true, true},
    {IR_ET_F8E4M3, 4, 448.0, -9, false, true, true},
    {IR_ET_F8E5M2, 3, 57344.0, -16, true, true, true},
    {IR_ET_F8E8M0, 1, 1.7014118346046923e38, -127, false, true, false}, /* no zero */
    {IR_ET_F4E2M1, 2, 6.0, -1, false, false, true},
};

static const fp_format *fp_format_of(ir_etype t) {
  for (size_t i = 0; i < sizeof FP_FORMATS / sizeof FP_FORMATS[0]; i++)
    if (FP_FORMATS[i].et == t)
      return &FP_FORMATS[i];
  return NULL; /* nf4 (a lookup table) and non-floats */
}

/* Integer (or boolean) type as its bit count and signedness. */
static bool int_format(ir_etype t, unsigned *bits, bool *is_signed) {
  if (t == IR_ET_BOOLEAN) {
    *bits = 1, *is_signed = false;
    return true;
  }
  if (!ir_etype_is_int(t))
    return false;
  *bits = ir_etype_bits(t);
  *is_signed = ir_etype_is_signed(t);
  return *bits > 0;
}

/* Every value of type a is exactly a value of type b (so converting through b
 * loses nothing, whatever comes after). */
static bool etype_embeds(ir_etype a, ir_etype b) {
  if (a == b)
    return a != IR_ET_DYNAMIC && a != IR_ET_STRING;
  unsigned na, nb;
  bool sa, sb;
  const fp_format *fb = fp_format_of(b);
  if (int_format(a, &na, &sa)) {
    if (int_format(b, &nb, &sb))
      return sa ? (sb && na <= nb) : (sb ? na < nb : na <= nb);
    if (!fb || b == IR_ET_F8E8M0 || (sa && !fb->sign))
      return false;
    unsigned magnitude_bits = sa ? na - 1 : na; /* -2^(n-1) is a power of two */
    return (int)magnitude_bits <= fb->prec && (double)((uint64_t)1 << magnitude_bits) - 1 <= fb->max;
  }
  const fp_format *fa = fp_format_of(a);
  if (!fa || !fb || b == IR_ET_F8E8M0)
    return false;
  return fa->prec <= fb->prec && fa->max <= fb->max && fa->min_sub_exp >= fb->min_sub_exp &&
         (!fa->inf || fb->inf) && (!fa->nan || fb->nan) && (!fa->sign || fb->sign);
}

/* ---- helpers ---- */

static ir_value *operand(const ir_op *op, uint32_t i) {
  return i < op->n_operands ? ir_op_operand(op, i) : NULL;
}

static ir_op *def_of_kind(const ir_value *v, ir_op_id kind) {
  return v && v->def && v->def->kind == kind ? v->def : NULL;
}

static bool static_type_equal(const ir_type *a, const ir_type *b) {
  return a->et == b->et && ir_shape_is_static(&a->shape) && ir_shape_equal(&a->shape, &b->shape);
}

/* Replaces op's single result by `to` and erases what became dead. */
static ovcc_status replace_result(canon_state *s, ir_op *op, ir_value *to) {
  IR_TRY(pass_replace_value(s->m, &op->results[0], to, s->d));
  return pass_erase_if_dead(op, &s->erased, s->d);
}

/* Inserts `neu` (operands set) before `old`, gives it old's result type,
 * name and location, and replaces old by it. */
static ovcc_status replace_by_new(canon_state *s, ir_op *old, ir_op *neu) {
  neu->results[0].type = old->results[0].type;
  neu->name = old->name;
  neu->loc = old->loc;
  neu->rt_info = old->rt_info;
  ir_graph_insert(old->graph, neu, old);
  IR_TRY(ir_infer_op(neu, false, s->d));
  return replace_result(s, old, &neu->results[0]);
}

static ir_op *new_i64_const(canon_state *s, ir_op *before, const int64_t *v, int n) {
  ir_type t = {IR_ET_I64, ir_shape_scalar()};
  int64_t dims[1] = {n};
  ir_shape_from_dims(&t.shape, dims, 1);
  ir_op *c = ir_const_create(s->m, &t, v, (uint64_t)n * sizeof *v);
  if (!c)
    return NULL;
  c->loc = before->loc;
  ir_graph_insert(before->graph, c, before);
  if (ir_infer_op(c, false, s->d) != OVCC_OK)
    return NULL;
  return c;
}

/* Re-infers an op whose operands changed (refreshes its known value). */
static ovcc_status rewired(canon_state *s, ir_op *op, ir_op *old_def) {
  IR_TRY(ir_infer_op(op, false, s->d));
  return old_def ? pass_erase_if_dead(old_def, &s->erased, s->d) : OVCC_OK;
}

/* ---- convert-noop ---- */

/* The destination type of a Convert, or IR_ET_DYNAMIC. */
static ir_etype convert_dest(const ir_op *op) {
  const ir_attr_value *a = ir_op_attr(op, "destination_type");
  return a && a->kind == IR_ATTR_ETYPE ? a->u.et : IR_ET_DYNAMIC;
}

static bool convert_noop_match(const ir_op *op) {
  ir_value *x = operand(op, 0);
  return op->kind == IR_OP_CONVERT_1 && x && x->type.et != IR_ET_DYNAMIC &&
         convert_dest(op) == x->type.et && pass_can_replace(&op->results[0], x);
}

static ovcc_status convert_noop_apply(canon_state *s, ir_op *op) {
  return replace_result(s, op, operand(op, 0));
}

/* ---- convert-chain ---- */

static bool convert_chain_match(const ir_op *op) {
  if (op->kind != IR_OP_CONVERT_1)
    return false;
  ir_op *inner = def_of_kind(operand(op, 0), IR_OP_CONVERT_1);
  ir_value *x = inner ? operand(inner, 0) : NULL;
  return x && etype_embeds(x->type.et, convert_dest(inner));
}

static ovcc_status convert_chain_apply(canon_state *s, ir_op *op) {
  ir_op *inner = operand(op, 0)->def;
  ir_op_set_operand(op, 0, operand(inner, 0));
  return rewired(s, op, inner);
}

/* ---- view-noop, view-chain, view-to-reshape ---- */

static bool is_view(const ir_op *op) { return op && op->info && (op->info->flags & OPF_VIEW); }

static bool view_noop_match(const ir_op *op) {
  ir_value *x = operand(op, 0);
  return is_view(op) && x && static_type_equal(&x->type, &op->results[0].type) &&
         pass_can_replace(&op->results[0], x);
}

static ovcc_status view_noop_apply(canon_state *s, ir_op *op) {
  return replace_result(s, op, operand(op, 0));
}

/* Rewrite: op becomes Reshape(src, <op's static result shape>). */
static ovcc_status reshape_to_static(canon_state *s, ir_op *op, ir_value *src) {
  const ir_shape *sh = &op->results[0].type.shape;
  int64_t dims[IR_MAX_RANK];
  for (int32_t i = 0; i < sh->rank; i++)
    dims[i] = sh->d[i].lo;
  ir_op *target = new_i64_const(s, op, dims, sh->rank);
  ir_op *r = target ? ir_op_create(s->m, IR_OP_RESHAPE_1, 2, 1) : NULL;
  ir_attr_value no = {.kind = IR_ATTR_BOOL, .u.b = false};
  if (!r || !ir_op_set_attr(s->m, r, "special_zero", &no))
    return s->d->status ? s->d->status : IR_NOMEM(s->d);
  IR_TRY(ir_op_apply_schema(s->m, r, s->d));
  ir_op_set_operand(r, 0, src);
  ir_op_set_operand(r, 1, &target->results[0]);
  return replace_by_new(s, op, r);
}

static bool view_chain_match(const ir_op *op) {
  ir_value *x = operand(op, 0);
  return is_view(op) && x && is_view(x->def) && operand(x->def, 0) &&
         ir_shape_is_static(&op->results[0].type.shape);
}

static ovcc_status view_chain_apply(canon_state *s, ir_op *op) {
  return reshape_to_static(s, op, operand(operand(op, 0)->def, 0));
}

static bool view_to_reshape_match(const ir_op *op) {
  return is_view(op) && op->kind != IR_OP_RESHAPE_1 && operand(op, 0) &&
         ir_shape_is_static(&op->results[0].type.shape);
}

static ovcc_status view_to_reshape_apply(canon_state *s, ir_op *op) {
  return reshape_to_static(s, op, operand(op, 0));
}

/* ---- transpose-identity, transpose-chain ---- */

/* The permutation of a Transpose over an input of known rank (an empty
 * permutation reverses the axes); false if unknown or malformed. */
static bool transpose_perm(const ir_op *op, int64_t *perm, int *rank) {
  ir_value *x = operand(op, 0);
  if (op->kind != IR_OP_TRANSPOSE_1 || !x || x->type.shape.rank < 0 || !operand(op, 1))
    return false;
  int r = x->type.shape.rank;
  int n = ir_value_known_ints(operand(op, 1), perm, IR_MAX_RANK);
  if (n == 0)
    for (int i = 0; i < r; i++)
      perm[i] = r - 1 - i;
  else if (n != r)
    return false;
  bool seen[IR_MAX_RANK] = {false};
  for (int i = 0; i < r; i++) {
    if (perm[i] < 0 || perm[i] >= r || seen[perm[i]])
      return false;
    seen[perm[i]] = true;
  }
  *rank = r;
  return true;
}

static bool transpose_identity_match(const ir_op *op) {
  int64_t p[IR_MAX_RANK];
  int r;
  if (!transpose_perm(op, p, &r) || !pass_can_replace(&op->results[0], operand(op, 0)))
    return false;
  for (int i = 0; i < r; i++)
    if (p[i] != i)
      return false;
  return true;
}

static ovcc_status transpose_identity_apply(canon_state *s, ir_op *op) {
  return replace_result(s, op, operand(op, 0));
}

static bool transpose_chain_match(const ir_op *op) {
  int64_t p[IR_MAX_RANK], q[IR_MAX_RANK];
  int r, ri;
  ir_op *inner = def_of_kind(operand(op, 0), IR_OP_TRANSPOSE_1);
  return inner && transpose_perm(op, p, &r) && transpose_perm(inner, q, &ri) && r == ri;
}

static ovcc_status transpose_chain_apply(canon_state *s, ir_op *op) {
  int64_t outer[IR_MAX_RANK], inner_p[IR_MAX_RANK], composed[IR_MAX_RANK];
  int r, ri;
  ir_op *inner = operand(op, 0)->def;
  transpose_perm(op, outer, &r);
  transpose_perm(inner, inner_p, &ri);
  /* out[i] = inner_out[outer[i]] = x[inner[outer[i]]] */
  for (int i = 0; i < r; i++)
    composed[i] = inner_p[outer[i]];
  ir_op *c = new_i64_const(s, op, composed, r);
  if (!c)
    return s->d->status ? s->d->status : IR_NOMEM(s->d);
  ir_op *old_perm = operand(op, 1)->def;
  ir_op_set_operand(op, 0, operand(inner, 0));
  ir_op_set_operand(op, 1, &c->results[0]);
  IR_TRY(rewired(s, op, inner));
  return old_perm ? pass_erase_if_dead(old_perm, &s->erased, s->d) : OVCC_OK;
}

/* ---- broadcast-noop ---- */

static bool broadcast_noop_match(const ir_op *op) {
  if (op->kind != IR_OP_BROADCAST_1 && op->kind != IR_OP_BROADCAST_3)
    return false;
  ir_value *x = operand(op, 0);
  return x && strcmp(ir_op_attr_str(op, "mode", "numpy"), "explicit") != 0 &&
         static_type_equal(&x->type, &op->results[0].type) && pass_can_replace(&op->results[0], x);
}

static ovcc_status broadcast_noop_apply(canon_state *s, ir_op *op) {
  return replace_result(s, op, operand(op, 0));
}

/* ---- binary-identity ---- */

/* v is a constant whose every element equals `identity`. */
static bool is_splat(const ir_value *v, double identity) {
  ir_tensor t;
  if (!v || !v->def || !ir_const_tensor(v->def, &t) || t.numel == 0 ||
      !(ir_etype_is_float(t.et) || ir_etype_is_int(t.et)))
    return false;
  for (uint64_t i = 0; i < t.numel; i++)
    if (ir_elem_get_f64(t.et, t.data, i) != identity)
      return false;
  return true;
}

/* x op c gives x's own type: no broadcast can grow x. */
static bool keeps_shape(const ir_op *op, const ir_value *x, const ir_value *c) {
  const ir_type *out = &op->results[0].type;
  if (out->et != x->type.et || !ir_shape_equal(&out->shape, &x->type.shape))
    return false;
  if (ir_shape_is_static(&x->type.shape))
    return true;
  uint64_t n;
  return x->type.shape.rank >= 0 && ir_shape_numel(&c->type.shape, &n) && n == 1 &&
         c->type.shape.rank <= x->type.shape.rank;
}

/* Index of the operand that passes through unchanged, or -1. */
static int binary_identity_operand(const ir_op *op) {
  double id;
  bool comm;
  switch (op->kind) {
  case IR_OP_ADD_1: id = 0, comm = true; break;
  case IR_OP_SUBTRACT_1: id = 0, comm = false; break;
  case IR_OP_MULTIPLY_1: id = 1, comm = true; break;
  case IR_OP_DIVIDE_1: id = 1, comm = false; break;
  default: return -1;
  }
  for (int keep = 0; keep < (comm ? 2 : 1); keep++) {
    ir_value *x = operand(op, (uint32_t)keep), *c = operand(op, (uint32_t)(1 - keep));
    if (x && c && is_splat(c, id) && keeps_shape(op, x, c) && pass_can_replace(&op->results[0], x))
      return keep;
  }
  return -1;
}

static bool binary_identity_match(const ir_op *op) { return binary_identity_operand(op) >= 0; }

static ovcc_status binary_identity_apply(canon_state *s, ir_op *op) {
  return replace_result(s, op, operand(op, (uint32_t)binary_identity_operand(op)));
}

/* ---- gelu-v7 ---- */

static bool gelu_v7_match(const ir_op *op) { return op->kind == IR_OP_GELU_2 && operand(op, 0); }

static ovcc_status gelu_v7_apply(canon_state *s, ir_op *op) {
  ir_op *g = ir_op_create(s->m, IR_OP_GELU_7, 1, 1);
  if (!g)
    return IR_NOMEM(s->d);
  IR_TRY(ir_op_apply_schema(s->m, g, s->d)); /* approximation_mode = ERF */
  ir_op_set_operand(g, 0, operand(op, 0));
  return replace_by_new(s, op, g);
}

/* ---- the pass ---- */

typedef struct canon_rule {
  const char *name; /* statistic */
  bool (*match)(const ir_op *op);
  ovcc_status (*apply)(canon_state *s, ir_op *op);
} canon_rule;

static const canon_rule RULES[] = {
    {"convert-noop", convert_noop_match, convert_noop_apply},
    {"convert-chain", convert_chain_match, convert_chain_apply},
    {"view-noop", view_noop_match, view_noop_apply},
    {"view-chain", view_chain_match, view_chain_apply},
    {"view-to-reshape", view_to_reshape_match, view_to_reshape_apply},
    {"transpose-identity", transpose_identity_match, transpose_identity_apply},
    {"transpose-chain", transpose_chain_match, transpose_chain_apply},
    {"broadcast-noop", broadcast_noop_match, broadcast_noop_apply},
    {"binary-identity", binary_identity_match, binary_identity_apply},
    {"gelu-v7", gelu_v7_match, gelu_v7_apply},
};
enum { N_RULES = sizeof RULES / sizeof RULES[0] };

typedef struct canon_run {
  canon_state s;
  uint64_t fired[N_RULES];
} canon_run;

/* One forward sweep; true in *changed if any rule fired. */
static ovcc_status sweep(canon_run *c, ir_graph *g, bool *changed) {
  for (ir_op *op = g->first; op;) {
    ir_op *next = op->next;
    for (uint32_t r = 0; r < N_RULES; r++) {
      if (!RULES[r].match(op))
        continue;
      IR_TRY(RULES[r].apply(&c->s, op));
      c->fired[r]++;
      *changed = true;
      break;
    }
    if (next && !next->graph)
      return OVCC_OK; /* erased under us: the caller sweeps again */
    op = next;
  }
  return OVCC_OK;
}

static ovcc_status canon_graph(ir_graph *g, void *vc) {
  canon_run *c = vc;
  for (int i = 0; i < CANON_MAX_SWEEPS; i++) {
    bool changed = false;
    IR_TRY(sweep(c, g, &changed));
    if (!changed)
      break;
  }
  return OVCC_OK;
}

ovcc_status pass_canonicalize_run(ir_model *m, pass_ctx *ctx, ir_diag *d) {
  canon_run c;
  memset(&c, 0, sizeof c);
  c.s.m = m;
  c.s.d = d;
  ovcc_status st = ir_model_walk_graphs(m, canon_graph, &c);
  if (st == OVCC_ERR_NOMEM && d->status != OVCC_ERR_NOMEM)
    return IR_NOMEM(d);
  if (st != OVCC_OK)
    return st;
  for (uint32_t r = 0; r < N_RULES; r++)
    pass_stat(ctx, RULES[r].name, c.fired[r]);
  pass_stat(ctx, "erased-ops", c.s.erased);
  return OVCC_OK;
}
