/* The program tables of an AOT library as LLVM constants, laid out as the
 * structs of codegen/aotrt/aot_abi.h: steps, slots (with every constant's
 * bytes as a private read-only global), ports, state variables and regions,
 * whose bodies are programs of their own (recursively). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aot_internal.h"
#include "aotrt/aot_abi.h"
#include <llvm-c/Target.h>

#include "region.h"

typedef struct aot_types {
  LLVMTypeRef slot, step, port, state, region_port, region, program, model;
} aot_types;

/* What building one library's tables carries along. */
typedef struct aot_gen {
  cg_module *m;
  aot_types t;
  const LLVMValueRef *kernels; /* kernel i's function (bodies use the root's) */
  uint64_t tables_size;        /* pointer-table bytes laid out so far */
  ir_diag *d;
} aot_gen;

/* Struct types mirroring aotrt/aot_abi.h field for field. */
static aot_types make_types(cg_module *m) {
  aot_types t;
  LLVMTypeRef p = m->t_ptr, i64 = m->t_i64, i32 = m->t_i32, f64 = m->t_f64;
  LLVMTypeRef slot[] = {p, i64, i32, i32};
  LLVMTypeRef step[] = {p, i64, f64, i64, i32, i32, i32, i32};
  LLVMTypeRef port[] = {p, p, i64, i32, i32, i32, i32};
  LLVMTypeRef state[] = {i64, i64, i32, i32};
  LLVMTypeRef rport[] = {i64, i64, i64, i64, i64, i64, i64, i32, i32, i32, i32};
  LLVMTypeRef region[] = {p,   p,   p,   p,   p,   p,   p,   p,   i64, i64, i64, i32, i32,
                          i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32};
  LLVMTypeRef prog[] = {p,   p,   p,   p,   p,   p,   p,   i64, i64, i64,
                        i64, i32, i32, i32, i32, i32, i32, i32, i32};
  t.slot = LLVMStructTypeInContext(m->ctx, slot, 4, 0);
  t.step = LLVMStructTypeInContext(m->ctx, step, 8, 0);
  t.port = LLVMStructTypeInContext(m->ctx, port, 7, 0);
  t.state = LLVMStructTypeInContext(m->ctx, state, 4, 0);
  t.region_port = LLVMStructTypeInContext(m->ctx, rport, 11, 0);
  t.region = LLVMStructTypeInContext(m->ctx, region, 25, 0);
  t.program = LLVMStructTypeInContext(m->ctx, prog, 19, 0);
  LLVMTypeRef model[] = {p, p, p, i32, i32, i32, i32};
  t.model = LLVMStructTypeInContext(m->ctx, model, 7, 0);
  return t;
}

static LLVMValueRef private_const(cg_module *m, LLVMValueRef init, const char *name,
                                  unsigned align) {
  LLVMValueRef g = LLVMAddGlobal(m->mod, LLVMTypeOf(init), name);
  LLVMSetInitializer(g, init);
  LLVMSetGlobalConstant(g, 1);
  LLVMSetLinkage(g, LLVMPrivateLinkage);
  LLVMSetAlignment(g, align);
  return g;
}

static LLVMValueRef i64c(cg_module *m, uint64_t v) { return LLVMConstInt(m->t_i64, v, 0); }
static LLVMValueRef i32c(cg_module *m, uint32_t v) { return LLVMConstInt(m->t_i32, v, 0); }
static LLVMValueRef null_ptr(cg_module *m) { return LLVMConstPointerNull(m->t_ptr); }

/* An array of `n` elements of type t as a private constant (a null pointer
 * when empty). */
static LLVMValueRef const_array(cg_module *m, LLVMTypeRef t, LLVMValueRef *elems, uint32_t n,
                                const char *name, unsigned align) {
  if (!n)
    return null_ptr(m);
  return private_const(m, LLVMConstArray2(t, elems, n), name, align);
}

/* ---- slots ---- */

static void mark_region_slots(const cg_region *r, bool *used) {
  for (int b = 0; b < 2; b++) {
    if (!r->body[b])
      continue;
    used[r->body_arena_slot[b]] = true;
    for (uint32_t k = 0; k < r->n_in[b]; k++) {
      used[r->in[b][k].outer_slot] = true;
      if (r->in[b][k].buf_slot != UINT32_MAX)
        used[r->in[b][k].buf_slot] = true;
    }
    for (uint32_t k = 0; k < r->n_out[b]; k++)
      used[r->out[b][k].outer_slot] = true;
  }
  if (r->trip_slot != UINT32_MAX)
    used[r->trip_slot] = true;
  if (r->cond_slot != UINT32_MAX)
    used[r->cond_slot] = true;
  if (r->cur_iter_param >= 0)
    used[r->cur_iter_slot] = true;
}

/* Slots something reads: only their constants go into the library (a weight
 * a kernel prepacked is read through its packed copy). */
static bool *used_slots(const cg_program *p) {
  bool *used = calloc(p->n_slots + 1, sizeof *used);
  if (!used)
    return NULL;
  for (uint32_t i = 0; i < p->n_steps; i++) {
    for (uint32_t b = 0; b < p->steps[i].n_bufs; b++)
      used[p->steps[i].bufs[b]] = true;
    if (p->steps[i].kind == CG_STEP_REGION)
      mark_region_slots(p->steps[i].region, used);
  }
  for (uint32_t i = 0; i < p->n_outputs; i++)
    used[p->outputs[i].slot] = true;
  for (uint32_t i = 0; p->assign_slots && i < p->n_states; i++)
    if (p->assign_slots[i] != UINT32_MAX)
      used[p->assign_slots[i]] = true;
  return used;
}

static LLVMValueRef slot_const(aot_gen *g, const cg_slot *s, bool used) {
  cg_module *m = g->m;
  LLVMValueRef data = null_ptr(m);
  uint32_t kind = OVCC_AOT_SLOT_ARENA;
  if (s->kind == CG_SLOT_CONST) {
    kind = OVCC_AOT_SLOT_CONST;
    if (used) {
      /* One byte at least: an empty constant still needs an address. */
      const char zero = 0;
      LLVMValueRef bytes = LLVMConstStringInContext2(m->ctx, s->nbytes ? s->data : &zero,
                                                     s->nbytes ? s->nbytes : 1, 1);
      data = private_const(m, bytes, "ovcc.const", 64);
    }
  } else if (s->kind == CG_SLOT_INPUT) {
    kind = OVCC_AOT_SLOT_INPUT;
  } else if (s->kind == CG_SLOT_STATE) {
    kind = OVCC_AOT_SLOT_STATE;
  }
  bool indexed = s->kind == CG_SLOT_INPUT || s->kind == CG_SLOT_STATE;
  LLVMValueRef f[] = {data, i64c(m, s->kind == CG_SLOT_ARENA ? s->offset : 0), i32c(m, kind),
                      i32c(m, indexed ? s->index : 0)};
  return LLVMConstNamedStruct(g->t.slot, f, 4);
}

static LLVMValueRef slots_const(aot_gen *g, const cg_program *p) {
  bool *used = used_slots(p);
  LLVMValueRef *slots = calloc(p->n_slots + 1, sizeof *slots);
  LLVMValueRef arr = NULL;
  if (used && slots) {
    for (uint32_t i = 0; i < p->n_slots; i++)
      slots[i] = slot_const(g, &p->slots[i], used[i]);
    arr = const_array(g->m, g->t.slot, slots, p->n_slots, "ovcc.slots", 8);
  }
  free(used);
  free(slots);
  return arr;
}

/* ---- ports and states ---- */

static LLVMValueRef port_const(aot_gen *g, const cg_port *p, bool output) {
  cg_module *m = g->m;
  const char *name = p->name ? p->name : "";
  LLVMValueRef str =
      private_const(m, LLVMConstStringInContext2(m->ctx, name, strlen(name), 0), "ovcc.name", 1);
  LLVMValueRef dims[IR_MAX_RANK];
  uint32_t rank = p->shape.rank > 0 ? (uint32_t)p->shape.rank : 0;
  for (uint32_t k = 0; k < rank; k++)
    dims[k] = i64c(m, (uint64_t)p->shape.d[k].lo);
  LLVMValueRef f[] = {str,
                      const_array(m, m->t_i64, dims, rank, "ovcc.shape", 8),
                      i64c(m, p->nbytes),
                      i32c(m, (uint32_t)cg_aot_etype_code(p->et)),
                      i32c(m, rank),
                      i32c(m, output ? p->slot : 0),
                      i32c(m, 0)};
  return LLVMConstNamedStruct(g->t.port, f, 7);
}

/* n ports, or a null pointer when there are none or no descriptions (a body
 * program's inputs). */
static LLVMValueRef ports_const(aot_gen *g, const cg_port *ports, uint32_t n, bool output) {
  if (!ports || !n)
    return null_ptr(g->m);
  LLVMValueRef *elems = calloc(n + 1, sizeof *elems);
  if (!elems)
    return NULL;
  for (uint32_t i = 0; i < n; i++)
    elems[i] = port_const(g, &ports[i], output);
  LLVMValueRef arr = const_array(g->m, g->t.port, elems, n, "ovcc.ports", 8);
  free(elems);
  return arr;
}

/* The state table; *size: the state area's bytes (flags, then the buffers). */
static LLVMValueRef states_const(aot_gen *g, const cg_program *p, uint64_t *size) {
  cg_module *m = g->m;
  uint64_t at = (p->n_states + 63) / 64 * 64;
  LLVMValueRef *elems = calloc(p->n_states + 1, sizeof *elems);
  if (!elems)
    return NULL;
  for (uint32_t v = 0; v < p->n_states; v++) {
    LLVMValueRef f[] = {i64c(m, at), i64c(m, p->states[v].nbytes), i32c(m, p->assign_slots[v]),
                        i32c(m, 0)};
    elems[v] = LLVMConstNamedStruct(g->t.state, f, 4);
    at += (p->states[v].nbytes + 63) / 64 * 64;
  }
  *size = p->n_states ? at : 0;
  LLVMValueRef arr = const_array(m, g->t.state, elems, p->n_states, "ovcc.states", 8);
  free(elems);
  return arr;
}

/* ---- regions ---- */

static ovcc_status program_const(aot_gen *g, const cg_program *p, bool root, LLVMValueRef *out);

/* Byte width of an integer scalar the runtime reads (aot_abi.h). */
static uint32_t int_bytes(ir_etype et) {
  return et == IR_ET_I32 ? 4 : et == IR_ET_U8 || et == IR_ET_BOOLEAN ? 1 : 8;
}

static LLVMValueRef region_ports_const(aot_gen *g, const cg_region_port *ports, uint32_t n) {
  cg_module *m = g->m;
  LLVMValueRef *elems = calloc(n + 1, sizeof *elems);
  if (!elems)
    return NULL;
  for (uint32_t i = 0; i < n; i++) {
    const cg_region_port *pt = &ports[i];
    LLVMValueRef f[] = {i64c(m, (uint64_t)pt->start),
                        i64c(m, (uint64_t)pt->stride),
                        i64c(m, (uint64_t)pt->part_size),
                        i64c(m, (uint64_t)pt->outer),
                        i64c(m, (uint64_t)pt->axis_len),
                        i64c(m, (uint64_t)pt->inner_bytes),
                        i64c(m, pt->nbytes),
                        i32c(m, pt->outer_slot),
                        i32c(m, pt->body_index),
                        i32c(m, pt->buf_slot),
                        i32c(m, pt->sliced)};
    elems[i] = LLVMConstNamedStruct(g->t.region_port, f, 11);
  }
  LLVMValueRef arr = const_array(m, g->t.region_port, elems, n, "ovcc.region_ports", 8);
  free(elems);
  return arr;
}

static LLVMValueRef u32_array(cg_module *m, const uint32_t *v, uint32_t n) {
  LLVMValueRef *elems = calloc(n + 1, sizeof *elems);
  if (!elems)
    return NULL;
  for (uint32_t i = 0; i < n; i++)
    elems[i] = i32c(m, v[i]);
  LLVMValueRef arr = const_array(m, m->t_i32, elems, n, "ovcc.back_edges", 4);
  free(elems);
  return arr;
}

static ovcc_status region_const(aot_gen *g, const cg_region *r, LLVMValueRef *out) {
  cg_module *m = g->m;
  LLVMValueRef body[2], in[2], outs[2];
  for (int b = 0; b < 2; b++) {
    body[b] = in[b] = outs[b] = null_ptr(m);
    if (!r->body[b])
      continue;
    IR_TRY(program_const(g, r->body[b], false, &body[b]));
    in[b] = region_ports_const(g, r->in[b], r->n_in[b]);
    outs[b] = region_ports_const(g, r->out[b], r->n_out[b]);
    if (!in[b] || !outs[b])
      return IR_NOMEM(g->d);
  }
  LLVMValueRef be_from = u32_array(m, r->be_from, r->n_be), be_to = u32_array(m, r->be_to, r->n_be);
  if (!be_from || !be_to)
    return IR_NOMEM(g->d);
  uint32_t kind = r->kind == CG_REGION_TI     ? OVCC_AOT_REGION_TI
                  : r->kind == CG_REGION_LOOP ? OVCC_AOT_REGION_LOOP
                                              : OVCC_AOT_REGION_IF;
  LLVMValueRef f[] = {body[0],
                      body[1],
                      in[0],
                      in[1],
                      outs[0],
                      outs[1],
                      be_from,
                      be_to,
                      i64c(m, (uint64_t)r->iterations),
                      i64c(m, (uint64_t)r->cur_iter_param),
                      i64c(m, (uint64_t)r->body_cond_result),
                      i32c(m, kind),
                      i32c(m, r->body_arena_slot[0]),
                      i32c(m, r->body_arena_slot[1]),
                      i32c(m, r->n_in[0]),
                      i32c(m, r->n_in[1]),
                      i32c(m, r->n_out[0]),
                      i32c(m, r->n_out[1]),
                      i32c(m, r->n_be),
                      i32c(m, r->trip_slot),
                      i32c(m, r->cond_slot),
                      i32c(m, int_bytes(r->trip_et)),
                      i32c(m, int_bytes(r->cond_et)),
                      i32c(m, r->cur_iter_slot),
                      i32c(m, int_bytes(r->cur_iter_et))};
  *out = LLVMConstNamedStruct(g->t.region, f, 25);
  return OVCC_OK;
}

/* ---- steps and programs ---- */

typedef struct step_tables {
  LLVMValueRef steps, bufs, regions;
  uint32_t n_bufs, n_regions;
} step_tables;

static LLVMValueRef step_const(aot_gen *g, const cg_step *s, uint32_t first_buf, uint32_t region) {
  cg_module *m = g->m;
  uint32_t kind = s->kind == CG_STEP_KERNEL   ? OVCC_AOT_STEP_KERNEL
                  : s->kind == CG_STEP_COPY   ? OVCC_AOT_STEP_COPY
                  : s->kind == CG_STEP_REGION ? OVCC_AOT_STEP_REGION
                                              : OVCC_AOT_STEP_STATE_INIT;
  uint32_t index = s->kind == CG_STEP_STATE_INIT ? s->kernel
                   : s->kind == CG_STEP_REGION   ? region
                                                 : 0;
  bool kernel = s->kind == CG_STEP_KERNEL;
  LLVMValueRef f[] = {kernel ? g->kernels[s->kernel] : null_ptr(m),
                      i64c(m, (uint64_t)s->work),
                      LLVMConstReal(m->t_f64, s->cost),
                      i64c(m, kernel ? 0 : s->nbytes),
                      i32c(m, first_buf),
                      i32c(m, s->n_bufs),
                      i32c(m, kind),
                      i32c(m, index)};
  return LLVMConstNamedStruct(g->t.step, f, 8);
}

/* The steps, their flat buffer list and their regions. */
static ovcc_status steps_const(aot_gen *g, const cg_program *p, step_tables *st) {
  cg_module *m = g->m;
  uint32_t n_bufs = 0, n_regions = 0;
  for (uint32_t i = 0; i < p->n_steps; i++) {
    n_bufs += p->steps[i].n_bufs;
    n_regions += p->steps[i].kind == CG_STEP_REGION;
  }
  LLVMValueRef *steps = calloc(p->n_steps + 1, sizeof *steps);
  LLVMValueRef *bufs = calloc(n_bufs + 1, sizeof *bufs);
  LLVMValueRef *regions = calloc(n_regions + 1, sizeof *regions);
  ovcc_status status = steps && bufs && regions ? OVCC_OK : IR_NOMEM(g->d);
  uint32_t at = 0, region = 0;
  for (uint32_t i = 0; status == OVCC_OK && i < p->n_steps; i++) {
    const cg_step *s = &p->steps[i];
    if (s->kind == CG_STEP_REGION)
      status = region_const(g, s->region, &regions[region]);
    steps[i] = step_const(g, s, at, region);
    region += s->kind == CG_STEP_REGION;
    for (uint32_t b = 0; b < s->n_bufs; b++)
      bufs[at++] = i32c(m, s->bufs[b]);
  }
  if (status == OVCC_OK) {
    st->steps = const_array(m, g->t.step, steps, p->n_steps, "ovcc.steps", 8);
    st->bufs = const_array(m, m->t_i32, bufs, n_bufs, "ovcc.bufs", 4);
    st->regions = const_array(m, g->t.region, regions, n_regions, "ovcc.regions", 8);
    st->n_bufs = n_bufs;
    st->n_regions = n_regions;
  }
  free(steps);
  free(bufs);
  free(regions);
  return status;
}

/* One ovcc_aot_program constant: the root (ports described, states, arena)
 * or a region body. Its pointer tables are laid out before its bodies'. */
static ovcc_status program_const(aot_gen *g, const cg_program *p, bool root, LLVMValueRef *out) {
  cg_module *m = g->m;
  uint32_t n_bufs = 0;
  for (uint32_t i = 0; i < p->n_steps; i++)
    n_bufs += p->steps[i].n_bufs;
  uint64_t tables_offset = g->tables_size;
  g->tables_size += ((uint64_t)p->n_slots + n_bufs + (root ? 0 : p->n_inputs)) * sizeof(void *);
  step_tables st = {0};
  IR_TRY(steps_const(g, p, &st));
  LLVMValueRef slots = slots_const(g, p);
  LLVMValueRef ins = root ? ports_const(g, p->inputs, p->n_inputs, false) : null_ptr(m);
  LLVMValueRef outs = ports_const(g, p->outputs, p->n_outputs, true);
  uint64_t state_size = 0;
  LLVMValueRef states = root ? states_const(g, p, &state_size) : null_ptr(m);
  if (!slots || !ins || !outs || !states)
    return IR_NOMEM(g->d);
  uint64_t arena = root ? (p->arena_size + 63) / 64 * 64 : 0;
  LLVMValueRef f[] = {st.steps,
                      slots,
                      st.bufs,
                      ins,
                      outs,
                      states,
                      st.regions,
                      i64c(m, arena),
                      i64c(m, state_size),
                      i64c(m, tables_offset),
                      i64c(m, root ? g->tables_size : 0),
                      i32c(m, p->n_steps),
                      i32c(m, p->n_slots),
                      i32c(m, st.n_bufs),
                      i32c(m, p->n_inputs),
                      i32c(m, p->n_outputs),
                      i32c(m, root ? p->n_states : 0),
                      i32c(m, st.n_regions),
                      i32c(m, 0)};
  *out = private_const(m, LLVMConstNamedStruct(g->t.program, f, 19), "ovcc.program", 8);
  return OVCC_OK;
}

/* The LLVM types must have the C structs' sizes (the runtime reads them). */
static ovcc_status check_layout(cg_module *m, const aot_types *t, ir_diag *d) {
  LLVMTargetDataRef dl = LLVMGetModuleDataLayout(m->mod);
  struct {
    LLVMTypeRef type;
    size_t size;
    const char *name;
  } checks[] = {
      {t->slot, sizeof(ovcc_aot_slot), "slot"},
      {t->step, sizeof(ovcc_aot_step), "step"},
      {t->port, sizeof(ovcc_aot_port), "port"},
      {t->state, sizeof(ovcc_aot_state), "state"},
      {t->region_port, sizeof(ovcc_aot_region_port), "region_port"},
      {t->region, sizeof(ovcc_aot_region), "region"},
      {t->program, sizeof(ovcc_aot_program), "program"},
      {t->model, sizeof(ovcc_aot_model), "model"},
  };
  for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
    if (LLVMABISizeOfType(dl, checks[i].type) != checks[i].size)
      return IR_ERR(d, OVCC_ERR_INTERNAL, "AOT: ovcc_aot_%s is %llu bytes in LLVM, %zu in C",
                    checks[i].name, (unsigned long long)LLVMABISizeOfType(dl, checks[i].type),
                    checks[i].size);
  return OVCC_OK;
}

ovcc_status cg_aot_program_const(cg_module *m, const cg_program *p, const LLVMValueRef *kernels,
                                 LLVMValueRef *out, ir_diag *d) {
  aot_gen g = {m, make_types(m), kernels, 0, d};
  IR_TRY(check_layout(m, &g.t, d));
  return program_const(&g, p, true, out);
}

ovcc_status cg_aot_model_const(cg_module *m, const LLVMValueRef *specs, uint32_t n,
                               const cg_port *ins, uint32_t n_in, const cg_port *outs,
                               uint32_t n_out, LLVMValueRef *out, ir_diag *d) {
  aot_gen g = {m, make_types(m), NULL, 0, d};
  IR_TRY(check_layout(m, &g.t, d));
  LLVMValueRef *ptrs = calloc(n + 1, sizeof *ptrs);
  if (!ptrs)
    return IR_NOMEM(d);
  memcpy(ptrs, specs, n * sizeof *ptrs);
  LLVMValueRef spec_arr = const_array(m, m->t_ptr, ptrs, n, "ovcc.specs", 8);
  free(ptrs);
  LLVMValueRef in_arr = ports_const(&g, ins, n_in, false);
  LLVMValueRef out_arr = ports_const(&g, outs, n_out, false);
  if (!spec_arr || !in_arr || !out_arr)
    return IR_NOMEM(d);
  LLVMValueRef f[] = {spec_arr,     in_arr,         out_arr, i32c(m, n),
                      i32c(m, n_in), i32c(m, n_out), i32c(m, 0)};
  *out = private_const(m, LLVMConstNamedStruct(g.t.model, f, 7), "ovcc.model", 8);
  return OVCC_OK;
}
