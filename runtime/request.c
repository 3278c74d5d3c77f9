/* Infer requests: input and output tensors, the request's own arena and state
 * variables, and the synchronous infer.
 *
 * The arena (64-byte aligned) and the state buffers are sized for the program
 * that last ran; they are reallocated only when a new input-shape
 * specialization needs more (arena) or different (state) sizes. Outputs
 * living in the arena are handed out in place (valid until the next infer);
 * outputs that are a constant, an input or a state are copied into a
 * request-owned buffer so the caller never aliases them. */
#include "runtime/runtime.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(ovcc_string) == CG_STRING_BYTES,
               "compiled code lays string elements out as ovcc_string");

ovcc_status rt_request_error(ovcc_infer_request *r, ovcc_status st, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ir_diag_vset_at(&r->err, st, __FILE__, __LINE__, fmt, ap);
  va_end(ap);
  return st;
}

const char *ovcc_infer_request_last_error(const ovcc_infer_request *r) {
  return r ? r->err.msg : "no request";
}

ovcc_status ovcc_infer_request_create(ovcc_compiled_model *cm, ovcc_infer_request **out) {
  if (!cm)
    return OVCC_ERR_INVALID_ARG;
  if (!out)
    return rt_ctx_error(cm->ctx, OVCC_ERR_INVALID_ARG, "ovcc_infer_request_create: out is NULL");
  size_t ni = cm->sig.n_inputs ? cm->sig.n_inputs : 1;
  size_t no = cm->sig.n_outputs ? cm->sig.n_outputs : 1;
  ovcc_infer_request *r = calloc(1, sizeof *r);
  if (r) {
    r->cm = cm;
    r->inputs = calloc(ni, sizeof *r->inputs);
    r->outputs = calloc(no, sizeof *r->outputs);
    r->out_caller = calloc(no, sizeof *r->out_caller);
    r->in_ptrs = calloc(ni, sizeof *r->in_ptrs);
    r->shapes = calloc(ni, sizeof *r->shapes);
  }
  if (!r || !r->inputs || !r->outputs || !r->out_caller || !r->in_ptrs || !r->shapes) {
    ovcc_infer_request_free(r);
    return rt_ctx_error(cm->ctx, OVCC_ERR_NOMEM, "out of memory");
  }
  ir_diag_clear(&r->err);
  *out = r;
  return OVCC_OK;
}

static void free_states(ovcc_infer_request *r) {
  for (uint32_t i = 0; i < r->n_states; i++)
    free(r->states[i]);
  free(r->states);
  free(r->state_set);
  r->states = NULL;
  r->state_set = NULL;
  r->n_states = 0;
}

void ovcc_infer_request_free(ovcc_infer_request *r) {
  if (!r)
    return;
  rt_async_free(r);
  size_t ni = r->cm->sig.n_inputs, no = r->cm->sig.n_outputs;
  for (size_t i = 0; r->inputs && i < ni; i++)
    free(r->inputs[i].owned);
  for (size_t i = 0; r->outputs && i < no; i++)
    free(r->outputs[i].owned);
  free(r->inputs);
  free(r->outputs);
  free(r->out_caller);
  free(r->in_ptrs);
  free(r->shapes);
  free_states(r);
  free(r->arena);
  free(r->prof_ns);
  free(r->prof_entries);
  free(r);
}

/* ---- checks shared by the tensor setters ---- */

static ovcc_status check_idle(ovcc_infer_request *r, const char *fn) {
  if (rt_async_busy(r))
    return rt_request_error(r, OVCC_ERR_INVALID_ARG,
                            "%s: the request is running (call ovcc_infer_request_wait first)", fn);
  return OVCC_OK;
}

static ovcc_status check_index(ovcc_infer_request *r, const char *fn, size_t i, size_t n,
                               const char *what) {
  if (i >= n)
    return rt_request_error(r, OVCC_ERR_INVALID_ARG, "%s: %s %zu out of range (the model has %zu)",
                            fn, what, i, n);
  return OVCC_OK;
}

/* dims fit the declared partial shape (static dims equal, dynamic in range). */
static bool dims_fit(const ir_shape *declared, const int64_t *dims, int32_t rank) {
  if (declared->rank < 0)
    return true;
  if (rank != declared->rank)
    return false;
  for (int32_t i = 0; i < rank; i++) {
    ir_dim d = declared->d[i];
    if (dims[i] < d.lo || (d.hi != IR_DIM_INF && dims[i] > d.hi))
      return false;
  }
  return true;
}

/* Checks a tensor against port p (type, shape, size, data); names the port. */
static ovcc_status check_tensor(ovcc_infer_request *r, const char *fn, const char *what, size_t i,
                                const rt_port *p, const ovcc_tensor *t) {
  char want[160], got[160];
  ovcc_element_type et = rt_etype_to_api(p->et);
  if (t->rank < 0 || t->rank > OVCC_MAX_RANK)
    return rt_request_error(r, OVCC_ERR_INVALID_ARG, "%s: %s %zu ('%s'): rank %d out of range",
                            fn, what, i, p->name, (int)t->rank);
  ir_shape_format(&p->shape, want, sizeof want);
  rt_describe_dims(t->type, t->dims, t->rank, got, sizeof got);
  if (t->type != et || !dims_fit(&p->shape, t->dims, t->rank))
    return rt_request_error(r, OVCC_ERR_INVALID_ARG, "%s: %s %zu ('%s') expects %s[%s], got %s",
                            fn, what, i, p->name, ovcc_element_type_name(et), want, got);
  uint64_t need;
  if (!rt_tensor_nbytes(t->type, t->dims, t->rank, &need))
    return rt_request_error(r, OVCC_ERR_UNSUPPORTED, "%s: %s %zu ('%s'): %s tensors are not supported",
                            fn, what, i, p->name, got);
  if (t->nbytes < need || (need && !t->data))
    return rt_request_error(r, OVCC_ERR_INVALID_ARG,
                            "%s: %s %zu ('%s'): %s needs %llu bytes of data, got %zu%s", fn, what,
                            i, p->name, got, (unsigned long long)need, t->nbytes,
                            t->data ? "" : " (data is NULL)");
  size_t align = t->type == OVCC_STRING ? _Alignof(ovcc_string) : ovcc_element_type_size(t->type);
  if (align > 1 && (uintptr_t)t->data % align)
    return rt_request_error(r, OVCC_ERR_INVALID_ARG,
                            "%s: %s %zu ('%s'): data is not aligned to its %zu-byte elements", fn,
                            what, i, p->name, align);
  return OVCC_OK;
}

ovcc_status ovcc_infer_request_set_input(ovcc_infer_request *r, size_t i, const ovcc_tensor *t) {
  static const char fn[] = "ovcc_infer_request_set_input";
  if (!r)
    return OVCC_ERR_INVALID_ARG;
  IR_TRY(check_idle(r, fn));
  IR_TRY(check_index(r, fn, i, r->cm->sig.n_inputs, "input"));
  if (!t)
    return rt_request_error(r, OVCC_ERR_INVALID_ARG, "%s: tensor is NULL", fn);
  IR_TRY(check_tensor(r, fn, "input", i, &r->cm->sig.inputs[i], t));
  r->inputs[i].t = *t;
  r->inputs[i].set = true;
  return OVCC_OK;
}

/* Makes slot's owned buffer at least n bytes (old contents dropped). */
static bool reserve_owned(rt_tensor_slot *s, uint64_t n) {
  if (s->owned && s->owned_cap >= n)
    return true;
  free(s->owned);
  s->owned = rt_aligned_alloc(n);
  s->owned_cap = s->owned ? n : 0;
  return s->owned != NULL;
}

ovcc_status ovcc_infer_request_input_tensor(ovcc_infer_request *r, size_t i, const int64_t *dims,
                                            int32_t rank, ovcc_tensor *out) {
  static const char fn[] = "ovcc_infer_request_input_tensor";
  if (!r)
    return OVCC_ERR_INVALID_ARG;
  IR_TRY(check_idle(r, fn));
  IR_TRY(check_index(r, fn, i, r->cm->sig.n_inputs, "input"));
  const rt_port *p = &r->cm->sig.inputs[i];
  ovcc_tensor t = {.type = rt_etype_to_api(p->et)};
  if (!dims) {
    if (p->shape.rank < 0 || !ir_shape_is_static(&p->shape))
      return rt_request_error(r, OVCC_ERR_INVALID_ARG,
                              "%s: input %zu ('%s') has a dynamic shape: pass its dims", fn, i,
                              p->name);
    t.rank = p->shape.rank;
    for (int32_t k = 0; k < t.rank; k++)
      t.dims[k] = p->shape.d[k].lo;
  } else {
    if (rank < 0 || rank > OVCC_MAX_RANK)
      return rt_request_error(r, OVCC_ERR_INVALID_ARG, "%s: rank %d out of range", fn, (int)rank);
    t.rank = rank;
    memcpy(t.dims, dims, (size_t)rank * sizeof *dims);
  }
  uint64_t need = 0;
  if (rt_tensor_nbytes(t.type, t.dims, t.rank, &need) && !reserve_owned(&r->inputs[i], need))
    return rt_request_error(r, OVCC_ERR_NOMEM, "%s: out of memory (%llu bytes)", fn,
                            (unsigned long long)need);
  t.data = r->inputs[i].owned;
  t.nbytes = need;
  IR_TRY(check_tensor(r, fn, "input", i, p, &t));
  r->inputs[i].t = t;
  r->inputs[i].set = true;
  if (out)
    *out = t;
  return OVCC_OK;
}

ovcc_status ovcc_infer_request_set_output(ovcc_infer_request *r, size_t i, const ovcc_tensor *t) {
  static const char fn[] = "ovcc_infer_request_set_output";
  if (!r)
    return OVCC_ERR_INVALID_ARG;
  IR_TRY(check_idle(r, fn));
  IR_TRY(check_index(r, fn, i, r->cm->sig.n_outputs, "output"));
  if (!t) { /* back to a runtime-owned output */
    r->out_caller[i] = false;
    r->outputs[i].set = false;
    return OVCC_OK;
  }
  IR_TRY(check_tensor(r, fn, "output", i, &r->cm->sig.outputs[i], t));
  r->outputs[i].t = *t;
  r->outputs[i].set = false; /* holds a result only after the next infer */
  r->out_caller[i] = true;
  return OVCC_OK;
}

ovcc_status ovcc_infer_request_get_output(ovcc_infer_request *r, size_t i, ovcc_tensor *out) {
  static const char fn[] = "ovcc_infer_request_get_output";
  if (!r)
    return OVCC_ERR_INVALID_ARG;
  IR_TRY(check_idle(r, fn));
  IR_TRY(check_index(r, fn, i, r->cm->sig.n_outputs, "output"));
  if (!out)
    return rt_request_error(r, OVCC_ERR_INVALID_ARG, "%s: out is NULL", fn);
  if (!r->outputs[i].set)
    return rt_request_error(r, OVCC_ERR_INVALID_ARG,
                            "%s: output %zu ('%s') has no value: no infer has completed", fn, i,
                            r->cm->sig.outputs[i].name);
  *out = r->outputs[i].t;
  return OVCC_OK;
}

/* ---- running ---- */

/* Arena and states sized for p; states keep their values when their sizes
 * do not change (a new shape specialization of the same model). */
/* Fresh zeroed state buffers for p (nothing set: initializers apply next run). */
static ovcc_status alloc_states(ovcc_infer_request *r, const cg_program *p) {
  free_states(r);
  uint32_t n = p->n_states;
  r->states = calloc(n ? n : 1, sizeof *r->states);
  r->state_set = calloc(n ? n : 1, sizeof *r->state_set);
  if (!r->states || !r->state_set)
    return OVCC_ERR_NOMEM;
  r->n_states = n;
  for (uint32_t i = 0; i < n; i++) {
    if (!(r->states[i] = rt_aligned_alloc(p->states[i].nbytes)))
      return OVCC_ERR_NOMEM;
    memset(r->states[i], 0, p->states[i].nbytes);
  }
  return OVCC_OK;
}

static ovcc_status prepare(ovcc_infer_request *r, const cg_program *p) {
  if (p == r->prog)
    return OVCC_OK;
  const cg_program *old = r->prog;
  r->prog = NULL; /* until both arena and states fit p */
  if (!r->arena || r->arena_cap < p->arena_size) {
    free(r->arena);
    r->arena = rt_aligned_alloc(p->arena_size);
    r->arena_cap = r->arena ? p->arena_size : 0;
    if (!r->arena)
      return rt_request_error(r, OVCC_ERR_NOMEM, "out of memory: arena of %llu bytes",
                              (unsigned long long)p->arena_size);
  }
  bool same = old && r->states && r->n_states == p->n_states;
  for (uint32_t i = 0; same && i < p->n_states; i++)
    same = old->states[i].nbytes == p->states[i].nbytes;
  if (!same && alloc_states(r, p) != OVCC_OK) {
    free_states(r);
    return rt_request_error(r, OVCC_ERR_NOMEM, "out of memory: state variables");
  }
  r->prog = p;
  return OVCC_OK;
}

/* Collects the inputs' data pointers and shapes; every input must be set. */
static ovcc_status gather_inputs(ovcc_infer_request *r) {
  const rt_signature *sig = &r->cm->sig;
  for (size_t i = 0; i < sig->n_inputs; i++) {
    if (!r->inputs[i].set)
      return rt_request_error(r, OVCC_ERR_INVALID_ARG, "infer: input %zu ('%s') is not set", i,
                              sig->inputs[i].name);
    const ovcc_tensor *t = &r->inputs[i].t;
    r->in_ptrs[i] = t->data;
    ir_shape_from_dims(&r->shapes[i], t->dims, t->rank);
  }
  return OVCC_OK;
}

static void describe_port_shape(const cg_port *p, char *buf, size_t cap) {
  int64_t dims[IR_MAX_RANK];
  for (int32_t k = 0; k < p->shape.rank; k++)
    dims[k] = p->shape.d[k].lo;
  rt_describe_dims(rt_etype_to_api(p->et), dims, p->shape.rank, buf, cap);
}

/* Makes output i's tensor after a run (in place, copied, or into the caller's). */
static ovcc_status publish_output(ovcc_infer_request *r, size_t i) {
  const cg_program *p = r->prog;
  const cg_port *port = &p->outputs[i];
  rt_tensor_slot *s = &r->outputs[i];
  void *src = cg_program_slot_ptr(p, port->slot, r->arena, r->in_ptrs, r->states);
  ovcc_tensor t = {.type = rt_etype_to_api(port->et), .rank = port->shape.rank,
                   .nbytes = port->nbytes};
  for (int32_t k = 0; k < t.rank; k++)
    t.dims[k] = port->shape.d[k].lo;
  if (r->out_caller[i]) {
    if (s->t.rank != t.rank || memcmp(s->t.dims, t.dims, (size_t)t.rank * sizeof *t.dims)) {
      char want[160], got[160];
      describe_port_shape(port, want, sizeof want);
      rt_describe_dims(s->t.type, s->t.dims, s->t.rank, got, sizeof got);
      return rt_request_error(r, OVCC_ERR_INVALID_ARG,
                              "infer: output %zu ('%s') is %s, the buffer set for it is %s", i,
                              r->cm->sig.outputs[i].name, want, got);
    }
    if (t.nbytes)
      memcpy(s->t.data, src, t.nbytes);
    s->set = true;
    return OVCC_OK;
  }
  if (p->slots[port->slot].kind == CG_SLOT_ARENA) {
    t.data = src;
  } else {
    if (!reserve_owned(s, t.nbytes))
      return rt_request_error(r, OVCC_ERR_NOMEM, "out of memory");
    if (t.nbytes)
      memcpy(s->owned, src, t.nbytes);
    t.data = s->owned;
  }
  s->t = t;
  s->set = true;
  return OVCC_OK;
}

ovcc_status rt_request_run(ovcc_infer_request *r) {
  ovcc_compiled_model *cm = r->cm;
  for (size_t i = 0; i < cm->sig.n_outputs; i++)
    r->outputs[i].set = false;
  IR_TRY(gather_inputs(r));
  const cg_program *p;
  ir_diag d;
  ir_diag_clear(&d);
  if (rt_compiled_variant(cm, r->shapes, &p, &d) != OVCC_OK) {
    r->err = d;
    return d.status;
  }
  IR_TRY(prepare(r, p));
  uint64_t *prof = NULL;
  if (r->profiling) {
    if (r->prof_prog != p) { /* a new specialization: start its totals afresh */
      free(r->prof_ns);
      r->prof_ns = calloc(p->n_steps + 1, sizeof *r->prof_ns);
      if (!r->prof_ns)
        return rt_request_error(r, OVCC_ERR_NOMEM, "out of memory");
      r->prof_prog = p;
      r->prof_runs = 0;
    }
    prof = r->prof_ns;
    r->prof_runs++;
  }
  cg_program_run_profiled(p, r->arena, r->in_ptrs, r->states, r->state_set,
                          rt_pool_parallel_for, cm->pool, prof);
  for (size_t i = 0; i < cm->sig.n_outputs; i++)
    IR_TRY(publish_output(r, i));
  return OVCC_OK;
}

ovcc_status ovcc_infer_request_infer(ovcc_infer_request *r) {
  if (!r)
    return OVCC_ERR_INVALID_ARG;
  IR_TRY(check_idle(r, "ovcc_infer_request_infer"));
  return rt_request_run(r);
}

ovcc_status ovcc_infer_request_reset_state(ovcc_infer_request *r) {
  if (!r)
    return OVCC_ERR_INVALID_ARG;
  IR_TRY(check_idle(r, "ovcc_infer_request_reset_state"));
  for (uint32_t i = 0; r->prog && i < r->n_states; i++) {
    memset(r->states[i], 0, r->prog->states[i].nbytes);
    r->state_set[i] = false;
  }
  return OVCC_OK;
}

ovcc_status ovcc_infer_request_set_profiling(ovcc_infer_request *r, int enable) {
  if (!r)
    return OVCC_ERR_INVALID_ARG;
  IR_TRY(check_idle(r, "ovcc_infer_request_set_profiling"));
  free(r->prof_ns);
  free(r->prof_entries);
  r->prof_ns = NULL;
  r->prof_entries = NULL;
  r->prof_prog = NULL;
  r->prof_runs = 0;
  r->profiling = enable != 0;
  return OVCC_OK;
}

ovcc_status ovcc_infer_request_get_profile(ovcc_infer_request *r, const ovcc_profile_entry **entries,
                                           size_t *n) {
  if (!r || !entries || !n)
    return OVCC_ERR_INVALID_ARG;
  IR_TRY(check_idle(r, "ovcc_infer_request_get_profile"));
  *entries = NULL;
  *n = 0;
  const cg_program *p = r->prof_prog;
  if (!r->profiling || !p)
    return OVCC_OK;
  free(r->prof_entries);
  r->prof_entries = calloc(p->n_steps + 1, sizeof *r->prof_entries);
  if (!r->prof_entries)
    return rt_request_error(r, OVCC_ERR_NOMEM, "out of memory");
  for (uint32_t i = 0; i < p->n_steps; i++)
    r->prof_entries[i] = (ovcc_profile_entry){p->steps[i].name ? p->steps[i].name : "",
                                              p->steps[i].op_type ? p->steps[i].op_type : "",
                                              r->prof_ns[i], r->prof_runs};
  *entries = r->prof_entries;
  *n = p->n_steps;
  return OVCC_OK;
}
