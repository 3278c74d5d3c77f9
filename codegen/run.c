/* Executes a compiled program's steps against one request's memory. */
#include <string.h>

#include "compile.h"

void *cg_program_slot_ptr(const cg_program *p, uint32_t slot, void *arena, void *const *inputs,
                          void *const *states) {
  const cg_slot *s = &p->slots[slot];
  switch (s->kind) {
  case CG_SLOT_ARENA:
    return (char *)arena + s->offset;
  case CG_SLOT_CONST:
    return (void *)s->data;
  case CG_SLOT_INPUT:
    return inputs[s->index];
  case CG_SLOT_STATE:
    return states[s->index];
  }
  return NULL;
}

void cg_program_run(const cg_program *p, void *arena, void *const *inputs, void *const *states,
                    bool *state_set, cg_parallel_for par, void *pool) {
  void *bufs[CG_MAX_STEP_BUFS];
  for (uint32_t i = 0; i < p->n_steps; i++) {
    const cg_step *s = &p->steps[i];
    for (uint32_t b = 0; b < s->n_bufs; b++) /* n_bufs <= CG_MAX_STEP_BUFS (compile.c) */
      bufs[b] = cg_program_slot_ptr(p, s->bufs[b], arena, inputs, states);
    switch (s->kind) {
    case CG_STEP_KERNEL:
      if (par && s->work > 1)
        par(pool, p->fns[s->kernel], bufs, s->work, s->cost);
      else
        p->fns[s->kernel](bufs, 0, s->work);
      break;
    case CG_STEP_COPY:
      memmove(bufs[1], bufs[0], s->nbytes);
      break;
    case CG_STEP_STATE_INIT:
      if (!state_set[s->kernel]) {
        memcpy(states[s->kernel], bufs[0], s->nbytes);
        state_set[s->kernel] = true;
      }
      break;
    }
  }
  for (uint32_t v = 0; v < p->n_states; v++) {
    if (p->assign_slots[v] == UINT32_MAX)
      continue;
    void *src = cg_program_slot_ptr(p, p->assign_slots[v], arena, inputs, states);
    if (src != states[v])
      memmove(states[v], src, p->states[v].nbytes);
    state_set[v] = true;
  }
}
