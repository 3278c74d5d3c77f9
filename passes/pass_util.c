/* Helpers shared by the rewriting passes: replacing a value while keeping the
 * tensor names of graph outputs, and erasing ops that became dead. */
#include "passes.h"

#include <stdlib.h>
#include <string.h>

bool pass_value_feeds_result(const ir_value *v) {
  for (const ir_use *u = v->uses; u; u = u->next)
    if (u->user->kind == IR_OP_RESULT_1)
      return true;
  return false;
}

bool pass_can_replace(const ir_value *from, const ir_value *to) {
  if (from == to)
    return false;
  if (from->n_names && pass_value_feeds_result(from) && to->def &&
      to->def->kind == IR_OP_PARAMETER_1)
    return false;
  return true;
}

static bool has_name(const ir_value *v, const char *name) {
  for (uint32_t i = 0; i < v->n_names; i++)
    if (strcmp(v->names[i], name) == 0)
      return true;
  return false;
}

/* Appends the names of `from` that `to` lacks. */
static ovcc_status merge_names(ir_model *m, const ir_value *from, ir_value *to, ir_diag *d) {
  uint32_t extra = 0;
  for (uint32_t i = 0; i < from->n_names; i++)
    extra += !has_name(to, from->names[i]);
  if (!extra)
    return OVCC_OK;
  const char **arr = ir_arena_alloc(&m->arena, (to->n_names + extra) * sizeof *arr);
  if (!arr)
    return IR_NOMEM(d);
  uint32_t n = 0;
  for (uint32_t i = 0; i < to->n_names; i++)
    arr[n++] = to->names[i];
  for (uint32_t i = 0; i < from->n_names; i++)
    if (!has_name(to, from->names[i]))
      arr[n++] = from->names[i]; /* arena strings of the same model */
  to->names = arr;
  to->n_names = n;
  return OVCC_OK;
}

ovcc_status pass_replace_value(ir_model *m, ir_value *from, ir_value *to, ir_diag *d) {
  if (from->n_names && pass_value_feeds_result(from))
    IR_TRY(merge_names(m, from, to, d));
  ir_value_replace_uses(from, to);
  return OVCC_OK;
}

/* Whether any op in op's bodies (nested included) is stateful or a sink
 * other than a body Result. Explicit stack: nesting is input controlled. */
static bool bodies_have_effects(const ir_op *op) {
  if (!op->n_bodies)
    return false;
  uint32_t cap = 16, n = 0;
  ir_graph **stack = malloc(cap * sizeof *stack);
  if (!stack)
    return true; /* conservative */
  for (uint32_t b = 0; b < op->n_bodies && n < cap; b++)
    stack[n++] = op->bodies[b];
  bool effects = op->n_bodies > cap;
  while (n && !effects) {
    ir_graph *g = stack[--n];
    IR_FOR_EACH_OP(g, inner) {
      if (!inner->info || (inner->info->flags & OPF_STATEFUL)) {
        effects = true;
        break;
      }
      for (uint32_t b = 0; b < inner->n_bodies; b++) {
        if (n == cap) {
          ir_graph **ns = realloc(stack, cap * 2 * sizeof *stack);
          if (!ns) {
            effects = true;
            break;
          }
          stack = ns;
          cap *= 2;
        }
        stack[n++] = inner->bodies[b];
      }
    }
  }
  free(stack);
  return effects;
}

bool pass_op_is_pure(const ir_op *op) {
  if (!op->info || op->kind == IR_OP_PARAMETER_1)
    return false; /* opaque ops: effects unknown */
  if (op->info->flags & (OPF_SINK | OPF_STATEFUL))
    return false;
  return !bodies_have_effects(op);
}

static bool op_is_dead(const ir_op *op) {
  if (!op->graph || !pass_op_is_pure(op))
    return false;
  for (uint32_t r = 0; r < op->n_results; r++)
    if (op->results[r].uses)
      return false;
  return true;
}

ovcc_status pass_erase_if_dead(ir_op *op, uint64_t *n_erased, ir_diag *d) {
  if (!op_is_dead(op))
    return OVCC_OK;
  uint32_t cap = 16, n = 0;
  ir_op **stack = malloc(cap * sizeof *stack);
  if (!stack)
    return IR_NOMEM(d);
  stack[n++] = op;
  while (n) {
    ir_op *cur = stack[--n];
    if (!op_is_dead(cur))
      continue; /* already erased, or still used through another path */
    ir_graph *g = cur->graph;
    /* Remember operand defs before erase drops the uses. */
    for (uint32_t i = 0; i < cur->n_operands; i++) {
      ir_value *v = ir_op_operand(cur, i);
      if (!v || !v->def || v->def->graph != g)
        continue;
      if (n == cap) {
        ir_op **ns = realloc(stack, cap * 2 * sizeof *stack);
        if (!ns) {
          free(stack);
          return IR_NOMEM(d);
        }
        stack = ns;
        cap *= 2;
      }
      stack[n++] = v->def;
    }
    ir_graph_erase(g, cur);
    (*n_erased)++;
  }
  free(stack);
  return OVCC_OK;
}
