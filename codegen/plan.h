/* The memory plan: where every tensor of a (static-shaped) graph lives.
 * Constants stay where they are (mapped .bin or model arena); Parameters are
 * the request's input buffers; ReadValue results are the request's variables;
 * views (Reshape/Squeeze/Unsqueeze) share their operand's buffer; everything
 * else gets an offset in one arena, reused once the value is dead. */
#ifndef OVCC_CODEGEN_PLAN_H
#define OVCC_CODEGEN_PLAN_H

#include "program.h"

typedef struct cg_plan {
  cg_slot *slots;
  uint32_t n_slots, cap_slots;
  uint32_t *value_slot;    /* by value number (ir_value.print_id) */
  uint32_t n_values;
  int64_t *slot_first, *slot_last; /* lifetime in op positions (arena slots) */
  uint64_t arena_size;
  const char **state_names; /* variable ids, by state index */
  ir_op **state_reads;      /* a ReadValue per variable */
  uint32_t n_states;
} cg_plan;

/* Numbers ops (op->scratch = position) and values (print_id), assigns slots
 * and arena offsets. Ops whose results the plan aliases (views, ReadValue)
 * are marked in *is_alias (by op position, caller frees). */
ovcc_status cg_plan_build(ir_graph *g, cg_plan *p, bool **is_alias, ir_diag *d);
/* Adds a slot (e.g. a kernel constant); UINT32_MAX on NOMEM. */
uint32_t cg_plan_add_slot(cg_plan *p, cg_slot s);
/* An extra arena slot of nbytes live for the whole run (after build). */
uint32_t cg_plan_add_arena_slot(cg_plan *p, uint64_t nbytes);
void cg_plan_free(cg_plan *p);

static inline uint32_t cg_plan_slot_of(const cg_plan *p, const ir_value *v) {
  return p->value_slot[v->print_id];
}

#endif
