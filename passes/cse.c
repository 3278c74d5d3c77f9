/* cse: merges ops that compute the same thing — same kind, attributes
 * (ir_attr_value_equal), operands (in either order for commutative ops) and
 * result types — into the first of them. Identical Constants (same type and
 * bytes) merge too. Never merged: Parameters, sinks, stateful ops, region
 * ops and opaque ops. A merged value that is a graph output gives its tensor
 * names to the value that replaces it.
 * Ops are visited in order, so chains of duplicates collapse in one walk.
 * Preconditions: verifier-valid IR. */
#include "passes.h"

#include <stdlib.h>
#include <string.h>

typedef struct cse_state {
  ir_model *m;
  ir_diag *d;
  uint64_t merged, merged_constants;
} cse_state;

/* Legality: the op may be merged with an identical one. */
static bool cse_candidate(const ir_op *op) {
  const ir_op_info *in = op->info;
  if (!in || op->n_results == 0 || op->n_bodies)
    return false;
  if (in->flags & (OPF_SINK | OPF_STATEFUL | OPF_REGION))
    return false;
  if (in->flags & OPF_SOURCE)
    return op->kind == IR_OP_CONSTANT_1 && op->cst;
  return true;
}

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h * 0x100000001b3ull;
}

static uint64_t hash_bytes(uint64_t h, const uint8_t *p, uint64_t n) {
  for (uint64_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

static uint64_t hash_type(uint64_t h, const ir_type *t) {
  h = mix(h, (uint64_t)t->et);
  h = mix(h, (uint64_t)(int64_t)t->shape.rank);
  for (int32_t i = 0; i < t->shape.rank; i++)
    h = mix(mix(h, (uint64_t)t->shape.d[i].lo), (uint64_t)t->shape.d[i].hi);
  return h;
}

static bool commutes(const ir_op *op) {
  return (op->info->flags & OPF_COMM) && op->n_operands == 2;
}

static uint64_t op_hash(const ir_op *op) {
  uint64_t h = mix(0xcbf29ce484222325ull, (uint64_t)op->kind);
  h = mix(h, op->n_operands);
  if (commutes(op)) { /* order-free combination of the two operands */
    uintptr_t a = (uintptr_t)ir_op_operand(op, 0), b = (uintptr_t)ir_op_operand(op, 1);
    h = mix(h, (uint64_t)(a ^ b));
    h = mix(h, (uint64_t)(a + b));
  } else {
    for (uint32_t i = 0; i < op->n_operands; i++)
      h = mix(h, (uint64_t)(uintptr_t)ir_op_operand(op, i));
  }
  h = mix(h, op->n_results);
  for (uint32_t i = 0; i < op->n_results; i++)
    h = hash_type(h, &op->results[i].type);
  if (op->cst) /* Constants: type and bytes only */
    return hash_bytes(h, op->cst->data, op->cst->nbytes);
  h = mix(h, op->n_attrs);
  for (uint32_t i = 0; i < op->n_attrs; i++)
    h = hash_bytes(h, (const uint8_t *)op->attrs[i].name, strlen(op->attrs[i].name));
  return h;
}

static bool same_type(const ir_type *a, const ir_type *b) {
  return a->et == b->et && ir_shape_equal(&a->shape, &b->shape);
}

static bool same_operands(const ir_op *a, const ir_op *b) {
  bool straight = true;
  for (uint32_t i = 0; i < a->n_operands && straight; i++)
    straight = ir_op_operand(a, i) == ir_op_operand(b, i);
  if (straight)
    return true;
  return commutes(a) && ir_op_operand(a, 0) == ir_op_operand(b, 1) &&
         ir_op_operand(a, 1) == ir_op_operand(b, 0);
}

static bool same_attrs(const ir_op *a, const ir_op *b) {
  if (a->n_attrs != b->n_attrs)
    return false;
  for (uint32_t i = 0; i < a->n_attrs; i++) {
    const ir_attr_value *o = ir_op_attr(b, a->attrs[i].name);
    if (!o || !ir_attr_value_equal(&a->attrs[i].val, o))
      return false;
  }
  return true;
}

/* Legality: b computes exactly what a computes. */
static bool ops_equal(const ir_op *a, const ir_op *b) {
  if (a->kind != b->kind || a->n_operands != b->n_operands || a->n_results != b->n_results)
    return false;
  for (uint32_t i = 0; i < a->n_results; i++)
    if (!same_type(&a->results[i].type, &b->results[i].type))
      return false;
  if (a->kind == IR_OP_CONSTANT_1) /* type and bytes; where the bytes live does not matter */
    return a->cst && b->cst && a->cst->nbytes == b->cst->nbytes &&
           (a->cst->nbytes == 0 || memcmp(a->cst->data, b->cst->data, a->cst->nbytes) == 0);
  return same_operands(a, b) && same_attrs(a, b);
}

/* Rewrite: every result of dup is replaced by the same result of keep. */
static ovcc_status merge_into(cse_state *s, ir_op *keep, ir_op *dup) {
  for (uint32_t i = 0; i < dup->n_results; i++)
    if (!pass_can_replace(&dup->results[i], &keep->results[i]))
      return OVCC_OK;
  for (uint32_t i = 0; i < dup->n_results; i++)
    IR_TRY(pass_replace_value(s->m, &dup->results[i], &keep->results[i], s->d));
  if (dup->kind == IR_OP_CONSTANT_1)
    s->merged_constants++;
  else
    s->merged++;
  ir_graph_erase(dup->graph, dup);
  return OVCC_OK;
}

/* Open-addressing table of the ops seen so far in one graph. */
typedef struct cse_table {
  ir_op **slot;
  uint64_t *hash;
  uint64_t mask;
} cse_table;

static ovcc_status cse_graph(ir_graph *g, void *vs) {
  cse_state *s = vs;
  uint64_t cap = 16;
  while (cap < (uint64_t)g->n_ops * 2)
    cap *= 2;
  cse_table t = {calloc(cap, sizeof(ir_op *)), calloc(cap, sizeof(uint64_t)), cap - 1};
  ovcc_status st = OVCC_OK;
  if (!t.slot || !t.hash)
    st = IR_NOMEM(s->d);
  ir_op *op = st == OVCC_OK ? g->first : NULL;
  while (op && st == OVCC_OK) {
    ir_op *next = op->next;
    if (cse_candidate(op)) {
      uint64_t h = op_hash(op), i = h & t.mask;
      while (t.slot[i] && !(t.hash[i] == h && ops_equal(t.slot[i], op)))
        i = (i + 1) & t.mask;
      if (t.slot[i]) {
        st = merge_into(s, t.slot[i], op);
      } else {
        t.slot[i] = op;
        t.hash[i] = h;
      }
    }
    op = next;
  }
  free(t.slot);
  free(t.hash);
  return st;
}

ovcc_status pass_cse_run(ir_model *m, pass_ctx *ctx, ir_diag *d) {
  cse_state s = {m, d, 0, 0};
  ovcc_status st = ir_model_walk_graphs(m, cse_graph, &s);
  if (st == OVCC_ERR_NOMEM && d->status != OVCC_ERR_NOMEM)
    return IR_NOMEM(d);
  if (st != OVCC_OK)
    return st;
  pass_stat(ctx, "merged-ops", s.merged);
  pass_stat(ctx, "merged-constants", s.merged_constants);
  return OVCC_OK;
}
