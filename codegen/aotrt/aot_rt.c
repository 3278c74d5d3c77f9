/* The runtime inside every AOT model library: the ABI functions' bodies
 * (codegen/aot.c generates PREFIX_<what>(...) wrappers that call
 * ovcc_aot_rt_<what>(&program, ...)) and a small thread team.
 *
 * Compiled to bitcode at build time (aot_rt.cmake) and linked into the
 * library's module, where every function becomes internal: two model
 * libraries in one process share nothing. It needs libc and libpthread only.
 *
 * Threads: PREFIX_run(threads > 1) starts threads - 1 workers for the run and
 * joins them at its end (no state outlives a call, so calls on different
 * workspaces may run concurrently). Each kernel's [0, work) is split like
 * the JIT runtime's pool does (runtime/pool.h): at most `threads` equal
 * chunks, fewer when the estimated cycles per chunk would drop below
 * OVCC_AOT_MIN_CYCLES, so JIT and AOT compute the same chunks. Job hand-over
 * is under one mutex; idle workers spin briefly on the generation counter
 * before sleeping so back-to-back kernels do not each pay a wake-up. */
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

#include "aot_abi.h"
#include "region_slice.h"

#define OVCC_AOT_MIN_CYCLES 20000.0 /* runtime/pool.h RT_POOL_MIN_CYCLES */
#define OVCC_AOT_MAX_THREADS 256
#define OVCC_AOT_SPIN 20000

/* ---- signature ---- */

/* Every ovcc_aot_rt_* function the ABI exports takes the library's model
 * first (codegen/aot.c adds PREFIX_<name> wrappers passing it). */

uint32_t ovcc_aot_rt_abi_version(const ovcc_aot_model *m) {
  (void)m;
  return OVCC_AOT_ABI_VERSION;
}
uint32_t ovcc_aot_rt_num_inputs(const ovcc_aot_model *m) { return m->n_inputs; }
uint32_t ovcc_aot_rt_num_outputs(const ovcc_aot_model *m) { return m->n_outputs; }
uint32_t ovcc_aot_rt_num_specializations(const ovcc_aot_model *m) { return m->n_specs; }

static const ovcc_aot_port *port(const ovcc_aot_port *ports, uint32_t n, uint32_t i) {
  return i < n ? &ports[i] : NULL;
}
static const ovcc_aot_port *in_port(const ovcc_aot_model *m, uint32_t i) {
  return port(m->inputs, m->n_inputs, i);
}
static const ovcc_aot_port *out_port(const ovcc_aot_model *m, uint32_t i) {
  return port(m->outputs, m->n_outputs, i);
}
static const ovcc_aot_program *spec(const ovcc_aot_model *m, uint32_t s) {
  return s < m->n_specs ? m->specs[s] : NULL;
}

const char *ovcc_aot_rt_input_name(const ovcc_aot_model *m, uint32_t i) {
  return in_port(m, i) ? in_port(m, i)->name : NULL;
}
const char *ovcc_aot_rt_output_name(const ovcc_aot_model *m, uint32_t i) {
  return out_port(m, i) ? out_port(m, i)->name : NULL;
}
int32_t ovcc_aot_rt_input_type(const ovcc_aot_model *m, uint32_t i) {
  return in_port(m, i) ? (int32_t)in_port(m, i)->etype : -1;
}
int32_t ovcc_aot_rt_output_type(const ovcc_aot_model *m, uint32_t i) {
  return out_port(m, i) ? (int32_t)out_port(m, i)->etype : -1;
}
int32_t ovcc_aot_rt_input_rank(const ovcc_aot_model *m, uint32_t i) {
  return in_port(m, i) ? (int32_t)in_port(m, i)->rank : -1;
}
int32_t ovcc_aot_rt_output_rank(const ovcc_aot_model *m, uint32_t i) {
  return out_port(m, i) ? (int32_t)out_port(m, i)->rank : -1;
}
const int64_t *ovcc_aot_rt_input_shape(const ovcc_aot_model *m, uint32_t i) {
  return in_port(m, i) ? in_port(m, i)->shape : NULL;
}
const int64_t *ovcc_aot_rt_output_shape(const ovcc_aot_model *m, uint32_t i) {
  return out_port(m, i) ? out_port(m, i)->shape : NULL;
}
uint64_t ovcc_aot_rt_input_nbytes(const ovcc_aot_model *m, uint32_t i) {
  return in_port(m, i) ? in_port(m, i)->nbytes : 0;
}
uint64_t ovcc_aot_rt_output_nbytes(const ovcc_aot_model *m, uint32_t i) {
  return out_port(m, i) ? out_port(m, i)->nbytes : 0;
}

/* One specialization's concrete signature. */
const int64_t *ovcc_aot_rt_spec_input_shape(const ovcc_aot_model *m, uint32_t s, uint32_t i) {
  const ovcc_aot_program *p = spec(m, s);
  return p && i < p->n_inputs ? p->inputs[i].shape : NULL;
}
const int64_t *ovcc_aot_rt_spec_output_shape(const ovcc_aot_model *m, uint32_t s, uint32_t i) {
  const ovcc_aot_program *p = spec(m, s);
  return p && i < p->n_outputs ? p->outputs[i].shape : NULL;
}
uint64_t ovcc_aot_rt_spec_input_nbytes(const ovcc_aot_model *m, uint32_t s, uint32_t i) {
  const ovcc_aot_program *p = spec(m, s);
  return p && i < p->n_inputs ? p->inputs[i].nbytes : 0;
}
uint64_t ovcc_aot_rt_spec_output_nbytes(const ovcc_aot_model *m, uint32_t s, uint32_t i) {
  const ovcc_aot_program *p = spec(m, s);
  return p && i < p->n_outputs ? p->outputs[i].nbytes : 0;
}

/* The specialization built for exactly these input shapes (input_shapes[i]:
 * input i's rank dimensions), or -1: the run-time check of dynamic
 * dimensions. */
int32_t ovcc_aot_rt_select(const ovcc_aot_model *m, const int64_t *const *input_shapes) {
  if (m->n_inputs && !input_shapes)
    return -1;
  for (uint32_t s = 0; s < m->n_specs; s++) {
    const ovcc_aot_program *p = m->specs[s];
    uint32_t i = 0;
    for (; i < p->n_inputs; i++) {
      if (!input_shapes[i] && p->inputs[i].rank)
        break;
      uint32_t k = 0;
      while (k < p->inputs[i].rank && input_shapes[i][k] == p->inputs[i].shape[k])
        k++;
      if (k < p->inputs[i].rank)
        break;
    }
    if (i == p->n_inputs)
      return (int32_t)s;
  }
  return -1;
}

uint32_t ovcc_aot_rt_num_states(const ovcc_aot_model *m) { return m->specs[0]->n_states; }

/* Workspace layout: aot_abi.h, ovcc_aot_program; the largest specialization's. */
uint64_t ovcc_aot_rt_workspace_size(const ovcc_aot_model *m) {
  uint64_t most = 0;
  for (uint32_t s = 0; s < m->n_specs; s++) {
    const ovcc_aot_program *p = m->specs[s];
    uint64_t n = p->state_size + p->arena_size + p->tables_size;
    most = n > most ? n : most;
  }
  return most;
}

/* Every variable back to "not set" (zero-filled; initializers apply on the
 * next run). The state area is laid out alike in every specialization. */
int32_t ovcc_aot_rt_reset(const ovcc_aot_model *m, void *workspace) {
  if (!workspace || (uintptr_t)workspace % 64)
    return OVCC_AOT_ERR_INVALID_ARG;
  memset(workspace, 0, m->specs[0]->state_size);
  return OVCC_AOT_OK;
}

/* ---- the thread team ---- */

typedef struct team {
  pthread_mutex_t mu;
  pthread_cond_t wake, done;
  atomic_ullong generation; /* bumped for every job and for quit */
  int sleepers;
  int quit;
  /* the current job (under mu) */
  ovcc_aot_kernel fn;
  void *const *bufs;
  int64_t work, n_chunks, next_chunk;
  atomic_llong left; /* chunks not finished (decremented under mu, read spinning) */
} team;

static int64_t chunk_count(int threads, int64_t work, double cost) {
  int64_t n = threads < work ? threads : work;
  if (cost > 0) {
    double by_cost = (double)work * cost / OVCC_AOT_MIN_CYCLES;
    if (by_cost < (double)n)
      n = by_cost < 1 ? 1 : (int64_t)by_cost;
  }
  return n < 1 ? 1 : n;
}

/* Claims and runs chunks of the current job until none is left (mu held on
 * entry and exit). */
static void run_chunks(team *t) {
  while (t->next_chunk < t->n_chunks) {
    int64_t c = t->next_chunk++;
    ovcc_aot_kernel fn = t->fn;
    void *const *bufs = t->bufs;
    int64_t begin = c * t->work / t->n_chunks, end = (c + 1) * t->work / t->n_chunks;
    pthread_mutex_unlock(&t->mu);
    fn(bufs, begin, end);
    pthread_mutex_lock(&t->mu);
    if (atomic_fetch_sub(&t->left, 1) == 1)
      pthread_cond_signal(&t->done);
  }
}

static void *worker(void *arg) {
  team *t = arg;
  unsigned long long seen = 0;
  for (;;) {
    for (int i = 0;
         i < OVCC_AOT_SPIN && atomic_load_explicit(&t->generation, memory_order_relaxed) == seen;
         i++)
      ;
    pthread_mutex_lock(&t->mu);
    while (atomic_load(&t->generation) == seen) {
      t->sleepers++;
      pthread_cond_wait(&t->wake, &t->mu);
      t->sleepers--;
    }
    seen = atomic_load(&t->generation);
    if (t->quit) {
      pthread_mutex_unlock(&t->mu);
      return NULL;
    }
    run_chunks(t);
    pthread_mutex_unlock(&t->mu);
  }
}

static void bump(team *t) {
  atomic_fetch_add(&t->generation, 1);
  if (t->sleepers)
    pthread_cond_broadcast(&t->wake);
}

static void parallel_for(team *t, int threads, ovcc_aot_kernel fn, void *const *bufs, int64_t work,
                         double cost) {
  int64_t n = t ? chunk_count(threads, work, cost) : 1;
  if (n <= 1) {
    fn(bufs, 0, work);
    return;
  }
  pthread_mutex_lock(&t->mu);
  t->fn = fn;
  t->bufs = bufs;
  t->work = work;
  t->n_chunks = n;
  t->next_chunk = 0;
  atomic_store(&t->left, n);
  bump(t);
  run_chunks(t);
  pthread_mutex_unlock(&t->mu);
  /* The other chunks are usually about done: spin before sleeping. */
  for (int i = 0; i < OVCC_AOT_SPIN && atomic_load(&t->left) > 0; i++)
    ;
  if (atomic_load(&t->left) == 0)
    return;
  pthread_mutex_lock(&t->mu);
  while (atomic_load(&t->left) > 0)
    pthread_cond_wait(&t->done, &t->mu);
  pthread_mutex_unlock(&t->mu);
}

/* Starts up to threads - 1 workers; returns how many threads the team has
 * (the caller included; 1: run serially). */
static int team_start(team *t, pthread_t *tids, int threads) {
  memset(t, 0, sizeof *t);
  if (pthread_mutex_init(&t->mu, NULL))
    return 1;
  pthread_cond_init(&t->wake, NULL);
  pthread_cond_init(&t->done, NULL);
  atomic_init(&t->generation, 0);
  atomic_init(&t->left, 0);
  int started = 0;
  while (started < threads - 1 && pthread_create(&tids[started], NULL, worker, t) == 0)
    started++;
  return started + 1;
}

static void team_stop(team *t, pthread_t *tids, int threads) {
  pthread_mutex_lock(&t->mu);
  t->quit = 1;
  bump(t);
  pthread_mutex_unlock(&t->mu);
  for (int i = 0; i < threads - 1; i++)
    pthread_join(tids[i], NULL);
  pthread_cond_destroy(&t->wake);
  pthread_cond_destroy(&t->done);
  pthread_mutex_destroy(&t->mu);
}

/* ---- run ---- */

/* What every (nested) program of one run shares. */
typedef struct run_ctx {
  const ovcc_aot_program *root;
  char *workspace; /* the state area at its start: the variables' "set" flags */
  char *tables;    /* the pointer tables' start */
  team *team;      /* NULL: serial */
  int threads;
  ovcc_aot_parallel_for par; /* the caller's, or NULL: the team's */
  void *pool;
} run_ctx;

static void *slot_ptr(const run_ctx *c, const ovcc_aot_slot *s, const void *const *inputs,
                      char *arena) {
  switch (s->kind) {
  case OVCC_AOT_SLOT_ARENA: return arena + s->offset;
  case OVCC_AOT_SLOT_CONST: return (void *)s->data;
  case OVCC_AOT_SLOT_STATE: return c->workspace + c->root->states[s->index].offset;
  default: return (void *)inputs[s->index];
  }
}

/* Fills p's pointer tables for this arena and these inputs; returns its slot
 * pointers (its step buffers follow them). With outputs (the root program),
 * an output computed into an arena slot is computed straight into the
 * caller's buffer instead when that is safe without knowing the kernels:
 * the buffer 64-byte aligned like arena slots, and the size a multiple of
 * 64, so the slot had no padding a kernel could touch. Views share their
 * source's slot, so they follow. */
static void **resolve(const run_ctx *c, const ovcc_aot_program *p, const void *const *inputs,
                      void *const *outputs, char *arena) {
  void **slot_ptrs = (void **)(c->tables + p->tables_offset);
  void **buf_ptrs = slot_ptrs + p->n_slots;
  for (uint32_t i = 0; i < p->n_slots; i++)
    slot_ptrs[i] = slot_ptr(c, &p->slots[i], inputs, arena);
  for (uint32_t i = 0; outputs && i < p->n_outputs; i++) {
    const ovcc_aot_port *o = &p->outputs[i];
    const ovcc_aot_slot *sl = &p->slots[o->slot];
    if (sl->kind == OVCC_AOT_SLOT_ARENA && o->nbytes && o->nbytes % 64 == 0 &&
        (uintptr_t)outputs[i] % 64 == 0 && slot_ptrs[o->slot] == arena + sl->offset)
      slot_ptrs[o->slot] = outputs[i];
  }
  for (uint32_t i = 0; i < p->n_bufs; i++)
    buf_ptrs[i] = slot_ptrs[p->bufs[i]];
  return slot_ptrs;
}

static int64_t read_int(const void *ptr, uint32_t bytes) {
  switch (bytes) {
  case 1: return *(const uint8_t *)ptr;
  case 4: return *(const int32_t *)ptr;
  default: return *(const int64_t *)ptr;
  }
}

static void run_steps(const run_ctx *c, const ovcc_aot_program *p, void **slot_ptrs);

/* Slice `pos` of a sliced port (to_body: outer -> body). */
static void copy_slice(const ovcc_aot_region_port *pt, char *outer, char *body, int64_t pos,
                       int to_body) {
  ovcc_region_copy_slice(outer, body, pos, pt->outer, pt->axis_len, pt->part_size,
                         pt->inner_bytes, to_body);
}

/* Body inputs before the first iteration: invariant ones point at the outer
 * tensor, merged ones start from it. */
static void bind_body_inputs(const ovcc_aot_region *r, int b, void **slots, void **bin) {
  for (uint32_t k = 0; k < r->n_in[b]; k++) {
    const ovcc_aot_region_port *pt = &r->in[b][k];
    void *outer = slots[pt->outer_slot];
    if (pt->buf_slot == UINT32_MAX) {
      bin[pt->body_index] = outer;
    } else {
      bin[pt->body_index] = slots[pt->buf_slot];
      if (!pt->sliced)
        memcpy(bin[pt->body_index], outer, pt->nbytes);
    }
  }
}

/* After an iteration: results out, then back edges (a body Result may be a
 * body input itself). Returns whether a Loop goes on. */
static int finish_iteration(const ovcc_aot_region *r, int b, const ovcc_aot_program *body,
                            void **slots, void **body_slots, void **bin, int64_t it) {
  for (uint32_t k = 0; k < r->n_out[b]; k++) {
    const ovcc_aot_region_port *pt = &r->out[b][k];
    void *res = body_slots[body->outputs[pt->body_index].slot];
    if (pt->sliced)
      copy_slice(pt, slots[pt->outer_slot], res, pt->start + it * pt->stride, 0);
    else
      memmove(slots[pt->outer_slot], res, pt->nbytes);
  }
  int more = 1;
  if (r->body_cond_result >= 0)
    more = read_int(body_slots[body->outputs[r->body_cond_result].slot], 1) != 0;
  for (uint32_t k = 0; k < r->n_be; k++) {
    void *res = body_slots[body->outputs[r->be_from[k]].slot];
    for (uint32_t q = 0; q < r->n_in[b]; q++)
      if (r->in[b][q].body_index == r->be_to[k] && r->in[b][q].buf_slot != UINT32_MAX)
        memmove(bin[r->be_to[k]], res, r->in[b][q].nbytes);
  }
  return more;
}

/* A TensorIterator / Loop / If, as codegen/run.c runs it for the JIT. */
static void run_region(const run_ctx *c, const ovcc_aot_region *r, void **slots) {
  int b = 0;
  if (r->kind == OVCC_AOT_REGION_IF)
    b = read_int(slots[r->cond_slot], r->cond_bytes) ? 0 : 1;
  const ovcc_aot_program *body = r->body[b];
  void **bin = (void **)(c->tables + body->tables_offset) + body->n_slots + body->n_bufs;
  memset(bin, 0, body->n_inputs * sizeof *bin);
  bind_body_inputs(r, b, slots, bin);
  int64_t n = r->kind == OVCC_AOT_REGION_IF ? 1 : r->iterations;
  if (r->kind == OVCC_AOT_REGION_LOOP) {
    int64_t trip = r->trip_slot != UINT32_MAX ? read_int(slots[r->trip_slot], r->trip_bytes) : -1;
    int cond = r->cond_slot == UINT32_MAX || read_int(slots[r->cond_slot], r->cond_bytes);
    n = !cond ? 0 : trip < 0 ? INT64_MAX : trip;
    if (r->cur_iter_param >= 0)
      bin[r->cur_iter_param] = slots[r->cur_iter_slot];
  }
  void **body_slots = resolve(c, body, (const void *const *)bin, NULL, slots[r->body_arena_slot[b]]);
  for (int64_t it = 0; it < n; it++) {
    for (uint32_t k = 0; k < r->n_in[b]; k++) {
      const ovcc_aot_region_port *pt = &r->in[b][k];
      if (pt->sliced)
        copy_slice(pt, slots[pt->outer_slot], bin[pt->body_index], pt->start + it * pt->stride, 1);
    }
    if (r->cur_iter_param >= 0) {
      if (r->cur_iter_bytes == 4)
        *(int32_t *)bin[r->cur_iter_param] = (int32_t)it;
      else
        *(int64_t *)bin[r->cur_iter_param] = it;
    }
    run_steps(c, body, body_slots);
    if (!finish_iteration(r, b, body, slots, body_slots, bin, it))
      break;
  }
}

static void run_steps(const run_ctx *c, const ovcc_aot_program *p, void **slot_ptrs) {
  void **buf_ptrs = slot_ptrs + p->n_slots;
  unsigned char *state_set = (unsigned char *)c->workspace;
  for (uint32_t i = 0; i < p->n_steps; i++) {
    const ovcc_aot_step *s = &p->steps[i];
    void **bufs = buf_ptrs + s->first_buf;
    switch (s->kind) {
    case OVCC_AOT_STEP_KERNEL:
      if (c->par)
        c->par(c->pool, s->fn, bufs, s->work, s->cost);
      else
        parallel_for(c->team, c->threads, s->fn, bufs, s->work, s->cost);
      break;
    case OVCC_AOT_STEP_COPY:
      if (s->nbytes)
        memmove(bufs[1], bufs[0], s->nbytes);
      break;
    case OVCC_AOT_STEP_STATE_INIT:
      if (!state_set[s->state]) {
        memcpy(c->workspace + c->root->states[s->state].offset, bufs[0], s->nbytes);
        state_set[s->state] = 1;
      }
      break;
    case OVCC_AOT_STEP_REGION: run_region(c, &p->regions[s->state], slot_ptrs); break;
    }
  }
}

/* After the steps every Assign writes its variable. */
static void write_back_states(const run_ctx *c, void **slot_ptrs) {
  const ovcc_aot_program *p = c->root;
  unsigned char *state_set = (unsigned char *)c->workspace;
  for (uint32_t v = 0; v < p->n_states; v++) {
    const ovcc_aot_state *st = &p->states[v];
    if (st->assign_slot == UINT32_MAX)
      continue;
    void *dst = c->workspace + st->offset;
    if (slot_ptrs[st->assign_slot] != dst)
      memmove(dst, slot_ptrs[st->assign_slot], st->nbytes);
    state_set[v] = 1;
  }
}

static int check_args(const ovcc_aot_program *p, const void *const *inputs, void *const *outputs,
                      void *workspace) {
  if (!workspace || (uintptr_t)workspace % 64)
    return OVCC_AOT_ERR_INVALID_ARG;
  if ((p->n_inputs && !inputs) || (p->n_outputs && !outputs))
    return OVCC_AOT_ERR_INVALID_ARG;
  for (uint32_t i = 0; i < p->n_inputs; i++)
    if (!inputs[i] && p->inputs[i].nbytes)
      return OVCC_AOT_ERR_INVALID_ARG;
  for (uint32_t i = 0; i < p->n_outputs; i++)
    if (!outputs[i] && p->outputs[i].nbytes)
      return OVCC_AOT_ERR_INVALID_ARG;
  return OVCC_AOT_OK;
}

/* Whether some kernel (bodies included) would split into several chunks on
 * `threads` threads (if none would, starting workers only costs). */
static int any_parallel(const ovcc_aot_program *p, int threads) {
  for (uint32_t i = 0; i < p->n_steps; i++) {
    const ovcc_aot_step *s = &p->steps[i];
    if (s->kind == OVCC_AOT_STEP_KERNEL && chunk_count(threads, s->work, s->cost) > 1)
      return 1;
    if (s->kind == OVCC_AOT_STEP_REGION)
      for (int b = 0; b < 2; b++)
        if (p->regions[s->state].body[b] && any_parallel(p->regions[s->state].body[b], threads))
          return 1;
  }
  return 0;
}

/* One run: own team of `threads` (par NULL) or the caller's parallel-for. */
static int32_t run(const ovcc_aot_program *p, const void *const *inputs, void *const *outputs,
                   void *workspace, int32_t threads, ovcc_aot_parallel_for par, void *pool) {
  int bad = check_args(p, inputs, outputs, workspace);
  if (bad)
    return bad;
  char *arena = (char *)workspace + p->state_size;
  run_ctx c = {p, workspace, arena + p->arena_size, NULL, 1, par, pool};
  void **slot_ptrs = resolve(&c, p, inputs, outputs, arena);

  if (threads > OVCC_AOT_MAX_THREADS)
    threads = OVCC_AOT_MAX_THREADS;
  team t;
  pthread_t tids[OVCC_AOT_MAX_THREADS];
  if (!par && threads > 1 && any_parallel(p, threads))
    c.threads = team_start(&t, tids, threads);
  c.team = c.threads > 1 ? &t : NULL;
  run_steps(&c, p, slot_ptrs);
  if (c.threads > 1)
    team_stop(&t, tids, c.threads);
  write_back_states(&c, slot_ptrs);

  for (uint32_t i = 0; i < p->n_outputs; i++) { /* the outputs not computed in place */
    const ovcc_aot_port *o = &p->outputs[i];
    if (o->nbytes && slot_ptrs[o->slot] != outputs[i])
      memcpy(outputs[i], slot_ptrs[o->slot], o->nbytes);
  }
  return OVCC_AOT_OK;
}

/* PREFIX_run: a library of one specialization runs it; one of several
 * needs to be told the shapes (run_dims / run_spec). */
int32_t ovcc_aot_rt_run(const ovcc_aot_model *m, const void *const *inputs, void *const *outputs,
                        void *workspace, int32_t threads) {
  if (m->n_specs != 1)
    return OVCC_AOT_ERR_SHAPE;
  return run(m->specs[0], inputs, outputs, workspace, threads, NULL, NULL);
}

int32_t ovcc_aot_rt_run_with_pool(const ovcc_aot_model *m, const void *const *inputs,
                                  void *const *outputs, void *workspace, ovcc_aot_parallel_for par,
                                  void *pool) {
  if (m->n_specs != 1)
    return OVCC_AOT_ERR_SHAPE;
  return run(m->specs[0], inputs, outputs, workspace, 1, par, pool);
}

int32_t ovcc_aot_rt_run_spec(const ovcc_aot_model *m, uint32_t s, const void *const *inputs,
                             void *const *outputs, void *workspace, int32_t threads) {
  if (s >= m->n_specs)
    return OVCC_AOT_ERR_SHAPE;
  return run(m->specs[s], inputs, outputs, workspace, threads, NULL, NULL);
}

int32_t ovcc_aot_rt_run_spec_with_pool(const ovcc_aot_model *m, uint32_t s,
                                       const void *const *inputs, void *const *outputs,
                                       void *workspace, ovcc_aot_parallel_for par, void *pool) {
  if (s >= m->n_specs)
    return OVCC_AOT_ERR_SHAPE;
  return run(m->specs[s], inputs, outputs, workspace, 1, par, pool);
}

/* The shapes given at run time, checked against the specializations. */
int32_t ovcc_aot_rt_run_dims(const ovcc_aot_model *m, const int64_t *const *input_shapes,
                             const void *const *inputs, void *const *outputs, void *workspace,
                             int32_t threads) {
  int32_t s = ovcc_aot_rt_select(m, input_shapes);
  if (s < 0)
    return OVCC_AOT_ERR_SHAPE;
  return run(m->specs[s], inputs, outputs, workspace, threads, NULL, NULL);
}
