/* Executes a compiled program's steps against one request's memory; nested
 * programs (TensorIterator / Loop / If bodies) run recursively. */
#include <string.h>
#include <time.h>

#include "aotrt/region_slice.h"
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

typedef struct run_env {
  const cg_kernel_fn *fns;
  void *const *states;
  bool *state_set;
  cg_parallel_for par;
  void *pool;
  uint64_t *step_ns; /* top-level profile, or NULL */
} run_env;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void run_steps(const cg_program *p, void *arena, void *const *inputs, const run_env *e);

enum { RUN_MAX_BODY_INPUTS = 256 };

static int64_t read_int(const void *ptr, ir_etype et) {
  switch (et) {
  case IR_ET_I32:
    return *(const int32_t *)ptr;
  case IR_ET_I64:
    return *(const int64_t *)ptr;
  case IR_ET_U8:
  case IR_ET_BOOLEAN:
    return *(const uint8_t *)ptr;
  default:
    return *(const int64_t *)ptr;
  }
}

/* Copies slice `pos` of a sliced port between the outer tensor and the
 * body-side buffer (to_body: outer -> body). */
static void copy_slice(const cg_region_port *pt, char *outer, char *body, int64_t pos,
                       bool to_body) {
  ovcc_region_copy_slice(outer, body, pos, pt->outer, pt->axis_len, pt->part_size,
                         pt->inner_bytes, to_body);
}

static int64_t slice_pos(const cg_region_port *pt, int64_t it) {
  return pt->start + it * pt->stride;
}

static void run_region(const cg_program *p, const cg_region *r, void *arena, void *const *inputs,
                       const run_env *e) {
  int b = 0;
  if (r->kind == CG_REGION_IF)
    b = read_int(cg_program_slot_ptr(p, r->cond_slot, arena, inputs, e->states), r->cond_et) ? 0 : 1;
  const cg_program *body = r->body[b];
  void *body_arena = cg_program_slot_ptr(p, r->body_arena_slot[b], arena, inputs, e->states);
  void *bin[RUN_MAX_BODY_INPUTS] = {0};
  /* Invariant inputs point at the outer tensor; merged ones start from it. */
  for (uint32_t k = 0; k < r->n_in[b]; k++) {
    const cg_region_port *pt = &r->in[b][k];
    void *outer = cg_program_slot_ptr(p, pt->outer_slot, arena, inputs, e->states);
    if (pt->buf_slot == UINT32_MAX) {
      bin[pt->body_index] = outer;
    } else {
      bin[pt->body_index] = cg_program_slot_ptr(p, pt->buf_slot, arena, inputs, e->states);
      if (!pt->sliced)
        memcpy(bin[pt->body_index], outer, pt->nbytes);
    }
  }
  int64_t n = r->kind == CG_REGION_IF ? 1 : r->iterations;
  if (r->kind == CG_REGION_LOOP) {
    int64_t trip = r->trip_slot != UINT32_MAX
                       ? read_int(cg_program_slot_ptr(p, r->trip_slot, arena, inputs, e->states),
                                  r->trip_et)
                       : -1;
    bool cond = r->cond_slot == UINT32_MAX ||
                read_int(cg_program_slot_ptr(p, r->cond_slot, arena, inputs, e->states), r->cond_et);
    n = !cond ? 0 : trip < 0 ? INT64_MAX : trip;
    if (r->cur_iter_param >= 0)
      bin[r->cur_iter_param] = cg_program_slot_ptr(p, r->cur_iter_slot, arena, inputs, e->states);
  }
  for (int64_t it = 0; it < n; it++) {
    for (uint32_t k = 0; k < r->n_in[b]; k++) {
      const cg_region_port *pt = &r->in[b][k];
      if (pt->sliced)
        copy_slice(pt, cg_program_slot_ptr(p, pt->outer_slot, arena, inputs, e->states),
                   bin[pt->body_index], slice_pos(pt, it), true);
    }
    if (r->cur_iter_param >= 0) {
      if (r->cur_iter_et == IR_ET_I32)
        *(int32_t *)bin[r->cur_iter_param] = (int32_t)it;
      else
        *(int64_t *)bin[r->cur_iter_param] = it;
    }
    run_env inner = *e;
    inner.step_ns = NULL; /* the region's step counts the whole body */
    run_steps(body, body_arena, bin, &inner);
    for (uint32_t k = 0; k < r->n_out[b]; k++) {
      const cg_region_port *pt = &r->out[b][k];
      void *res = cg_program_slot_ptr(body, body->outputs[pt->body_index].slot, body_arena, bin,
                                      e->states);
      void *outer = cg_program_slot_ptr(p, pt->outer_slot, arena, inputs, e->states);
      if (pt->sliced)
        copy_slice(pt, outer, res, slice_pos(pt, it), false);
      else
        memmove(outer, res, pt->nbytes);
    }
    bool more = true;
    if (r->body_cond_result >= 0)
      more = read_int(cg_program_slot_ptr(body, body->outputs[r->body_cond_result].slot,
                                          body_arena, bin, e->states),
                      IR_ET_BOOLEAN);
    /* Back edges last: a body Result may be a body input itself. */
    for (uint32_t k = 0; k < r->n_be; k++) {
      void *res = cg_program_slot_ptr(body, body->outputs[r->be_from[k]].slot, body_arena, bin,
                                      e->states);
      for (uint32_t q = 0; q < r->n_in[b]; q++)
        if (r->in[b][q].body_index == r->be_to[k] && r->in[b][q].buf_slot != UINT32_MAX)
          memmove(bin[r->be_to[k]], res, r->in[b][q].nbytes);
    }
    if (!more)
      break;
  }
}

static void run_steps(const cg_program *p, void *arena, void *const *inputs, const run_env *e) {
  void *bufs[CG_MAX_STEP_BUFS];
  for (uint32_t i = 0; i < p->n_steps; i++) {
    const cg_step *s = &p->steps[i];
    uint64_t t0 = e->step_ns ? now_ns() : 0;
    for (uint32_t b = 0; b < s->n_bufs; b++) /* n_bufs <= CG_MAX_STEP_BUFS (compile.c) */
      bufs[b] = cg_program_slot_ptr(p, s->bufs[b], arena, inputs, e->states);
    switch (s->kind) {
    case CG_STEP_KERNEL:
      if (e->par && s->work > 1)
        e->par(e->pool, e->fns[s->kernel], bufs, s->work, s->cost);
      else
        e->fns[s->kernel](bufs, 0, s->work);
      break;
    case CG_STEP_COPY:
      memmove(bufs[1], bufs[0], s->nbytes);
      break;
    case CG_STEP_STATE_INIT:
      if (!e->state_set[s->kernel]) {
        memcpy(e->states[s->kernel], bufs[0], s->nbytes);
        e->state_set[s->kernel] = true;
      }
      break;
    case CG_STEP_REGION:
      run_region(p, s->region, arena, inputs, e);
      break;
    }
    if (e->step_ns)
      e->step_ns[i] += now_ns() - t0;
  }
}

void cg_program_run(const cg_program *p, void *arena, void *const *inputs, void *const *states,
                    bool *state_set, cg_parallel_for par, void *pool) {
  cg_program_run_profiled(p, arena, inputs, states, state_set, par, pool, NULL);
}

void cg_program_run_profiled(const cg_program *p, void *arena, void *const *inputs,
                             void *const *states, bool *state_set, cg_parallel_for par,
                             void *pool, uint64_t *step_ns) {
  run_env e = {p->fns, states, state_set, par, pool, step_ns};
  run_steps(p, arena, inputs, &e);
  for (uint32_t v = 0; v < p->n_states; v++) {
    if (p->assign_slots[v] == UINT32_MAX)
      continue;
    void *src = cg_program_slot_ptr(p, p->assign_slots[v], arena, inputs, states);
    if (src != states[v])
      memmove(states[v], src, p->states[v].nbytes);
    state_set[v] = true;
  }
}
