/* Blob bytes -> program. Nothing is trusted before the header and the
 * payload checksum are checked; after that every index and range is still
 * checked, so a blob from a buggy writer fails cleanly instead of running. */
#include <stdlib.h>
#include <string.h>

#include "cache/blob.h"
#include "cache/bytes.h"

ovcc_status cache_check(const cache_key *k, const uint8_t *blob, size_t size, ir_diag *d) {
  cache_header h;
  if (size < sizeof h)
    return IR_ERR(d, OVCC_ERR_IO, "truncated (%zu bytes, shorter than the header)", size);
  memcpy(&h, blob, sizeof h);
  if (memcmp(h.magic, CACHE_MAGIC, sizeof h.magic) != 0)
    return IR_ERR(d, OVCC_ERR_IO, "not an ovcc cache blob (bad magic)");
  if (h.format_version != CACHE_FORMAT_VERSION || h.header_bytes != CACHE_HEADER_BYTES)
    return IR_ERR(d, OVCC_ERR_IO, "format version %u, this ovcc reads version %d", h.format_version,
                  CACHE_FORMAT_VERSION);
  if (k && memcmp(h.key, k->b, CACHE_KEY_BYTES) != 0)
    return IR_ERR(d, OVCC_ERR_IO, "the blob's key does not match its file name");
  if (h.payload_size != size - sizeof h)
    return IR_ERR(d, OVCC_ERR_IO, "truncated or padded (payload %zu bytes, header says %llu)",
                  size - sizeof h, (unsigned long long)h.payload_size);
  if (h.const_size > h.payload_size || h.obj_size > h.payload_size - h.const_size ||
      h.meta_size != h.payload_size - h.const_size - h.obj_size || h.const_size % 64)
    return IR_ERR(d, OVCC_ERR_IO, "inconsistent section sizes in the header");
  uint8_t sum[CACHE_KEY_BYTES];
  cache_checksum(blob + sizeof h, h.payload_size, sum);
  if (memcmp(sum, h.checksum, sizeof sum) != 0)
    return IR_ERR(d, OVCC_ERR_IO, "payload checksum mismatch (the blob is corrupt)");
  return OVCC_OK;
}

/* What decoding needs besides the reader. */
typedef struct decoder {
  cache_reader r;
  const uint8_t *consts;
  uint64_t const_size;
  const ir_weights *w;
  ir_arena *names;
  cg_program *p;
  uint32_t n_kernels;
  uint32_t depth; /* region nesting, bounded so a bad blob cannot recurse deeply */
  ir_diag *d;
} decoder;

/* Deeper region nesting than this is taken for a malformed blob. */
enum { CACHE_MAX_REGION_DEPTH = 64 };

static ovcc_status bad(decoder *dc, const char *what) {
  return IR_ERR(dc->d, OVCC_ERR_IO, "malformed metadata: %s", what);
}

static ovcc_status get_slot(decoder *dc, cg_slot *s) {
  cache_reader *r = &dc->r;
  s->kind = (cg_slot_kind)cache_get_u32(r);
  s->index = cache_get_u32(r);
  s->offset = cache_get_u64(r);
  s->nbytes = cache_get_u64(r);
  uint32_t where = cache_get_u32(r);
  uint64_t off = cache_get_u64(r);
  if (r->failed || s->kind > CG_SLOT_STATE)
    return bad(dc, "slot");
  if (s->kind == CG_SLOT_ARENA &&
      (s->offset > dc->p->arena_size || s->nbytes > dc->p->arena_size - s->offset))
    return bad(dc, "arena slot out of the arena");
  if (s->kind != CG_SLOT_CONST)
    return OVCC_OK;
  if (where == CACHE_CONST_BIN) {
    if (!dc->w->data || off > dc->w->size || s->nbytes > dc->w->size - off)
      return bad(dc, "constant out of the weights");
    s->data = dc->w->data + off;
  } else if (where == CACHE_CONST_BLOB) {
    if (off > dc->const_size || s->nbytes > dc->const_size - off)
      return bad(dc, "constant out of the blob");
    s->data = dc->consts + off;
  } else {
    return bad(dc, "constant location");
  }
  return OVCC_OK;
}

static ovcc_status get_slots(decoder *dc) {
  cg_program *p = dc->p;
  uint32_t n = cache_get_u32(&dc->r);
  if (dc->r.failed || n > dc->r.size / 16)
    return bad(dc, "slot count");
  p->slots = calloc(n + 1, sizeof *p->slots);
  if (!p->slots)
    return IR_NOMEM(dc->d);
  for (; p->n_slots < n; p->n_slots++)
    IR_TRY(get_slot(dc, &p->slots[p->n_slots]));
  return OVCC_OK;
}

static ovcc_status check_step(decoder *dc, const cg_step *s) {
  const cg_program *p = dc->p;
  for (uint32_t b = 0; b < s->n_bufs; b++)
    if (s->bufs[b] >= p->n_slots)
      return bad(dc, "step buffer slot");
  switch (s->kind) {
  case CG_STEP_KERNEL:
    return s->kernel < dc->n_kernels && s->work >= 0 ? OVCC_OK : bad(dc, "kernel step");
  case CG_STEP_COPY: return s->n_bufs == 2 ? OVCC_OK : bad(dc, "copy step");
  case CG_STEP_STATE_INIT: return s->n_bufs == 1 ? OVCC_OK : bad(dc, "state init step");
  case CG_STEP_REGION: return s->n_bufs == 0 ? OVCC_OK : bad(dc, "region step");
  default: return bad(dc, "step kind");
  }
}

static ovcc_status get_region(decoder *dc, const cg_region **out);

static ovcc_status get_step(decoder *dc, cg_step *s) {
  cache_reader *r = &dc->r;
  s->kind = (cg_step_kind)cache_get_u32(r);
  s->kernel = cache_get_u32(r);
  s->n_bufs = cache_get_u32(r);
  if (r->failed || s->n_bufs > CG_MAX_STEP_BUFS)
    return bad(dc, "step");
  uint32_t *bufs = ir_arena_alloc(dc->names, (s->n_bufs + 1) * sizeof *bufs);
  if (!bufs)
    return IR_NOMEM(dc->d);
  for (uint32_t b = 0; b < s->n_bufs; b++)
    bufs[b] = cache_get_u32(r);
  s->bufs = bufs;
  s->work = (int64_t)cache_get_u64(r);
  uint64_t cost = cache_get_u64(r);
  memcpy(&s->cost, &cost, sizeof cost);
  s->nbytes = cache_get_u64(r);
  s->name = cache_get_str(r);
  s->op_type = cache_get_str(r);
  if (r->failed)
    return bad(dc, "step");
  IR_TRY(check_step(dc, s));
  return s->kind == CG_STEP_REGION ? get_region(dc, &s->region) : OVCC_OK;
}

static ovcc_status get_steps(decoder *dc) {
  cg_program *p = dc->p;
  uint32_t n = cache_get_u32(&dc->r);
  if (dc->r.failed || n > dc->r.size / 16)
    return bad(dc, "step count");
  p->steps = calloc(n + 1, sizeof *p->steps);
  if (!p->steps)
    return IR_NOMEM(dc->d);
  /* Counted before decoding: a failed region step's partial region is freed too. */
  while (p->n_steps < n)
    IR_TRY(get_step(dc, &p->steps[p->n_steps++]));
  return OVCC_OK;
}

static bool get_shape(cache_reader *r, ir_shape *s) {
  memset(s, 0, sizeof *s);
  s->rank = (int32_t)cache_get_u32(r);
  if (s->rank < -1 || s->rank > IR_MAX_RANK)
    return false;
  for (int32_t i = 0; i < s->rank; i++) {
    s->d[i].lo = (int64_t)cache_get_u64(r);
    s->d[i].hi = (int64_t)cache_get_u64(r);
  }
  return !r->failed;
}

static ovcc_status get_port(decoder *dc, cg_port *p) {
  cache_reader *r = &dc->r;
  p->name = cache_get_str(r);
  p->n_names = cache_get_u32(r);
  if (r->failed || !p->name || p->n_names > r->size / 4)
    return bad(dc, "port");
  const char **names = ir_arena_alloc(dc->names, (p->n_names + 1) * sizeof *names);
  if (!names)
    return IR_NOMEM(dc->d);
  for (uint32_t k = 0; k < p->n_names; k++)
    if (!(names[k] = cache_get_str(r)))
      return bad(dc, "port name");
  p->names = names;
  p->et = (ir_etype)cache_get_u32(r);
  if (!get_shape(r, &p->shape) || !get_shape(r, &p->declared))
    return bad(dc, "port shape");
  p->nbytes = cache_get_u64(r);
  p->slot = cache_get_u32(r);
  return r->failed || p->slot >= dc->p->n_slots ? bad(dc, "port slot") : OVCC_OK;
}

static ovcc_status get_ports(decoder *dc, cg_port **ports, uint32_t *n_ports) {
  uint32_t n = cache_get_u32(&dc->r);
  if (dc->r.failed || n > dc->r.size / 16)
    return bad(dc, "port count");
  *ports = calloc(n + 1, sizeof **ports);
  if (!*ports)
    return IR_NOMEM(dc->d);
  for (; *n_ports < n; (*n_ports)++)
    IR_TRY(get_port(dc, &(*ports)[*n_ports]));
  return OVCC_OK;
}

/* Slot indices of INPUT and STATE slots must name existing ports. */
static ovcc_status check_slot_indices(decoder *dc) {
  const cg_program *p = dc->p;
  for (uint32_t i = 0; i < p->n_slots; i++) {
    const cg_slot *s = &p->slots[i];
    if ((s->kind == CG_SLOT_INPUT && s->index >= p->n_inputs) ||
        (s->kind == CG_SLOT_STATE && s->index >= p->n_states))
      return bad(dc, "slot index");
  }
  for (uint32_t i = 0; i < p->n_steps; i++)
    if (p->steps[i].kind == CG_STEP_STATE_INIT && p->steps[i].kernel >= p->n_states)
      return bad(dc, "state init step");
  return OVCC_OK;
}

/* ---- regions (TensorIterator / Loop / If) ---- */

static bool slot_or_none(const cg_program *p, uint32_t slot) {
  return slot == UINT32_MAX || slot < p->n_slots;
}

/* A body program: arena size, input count, slots, steps, output slots. */
static ovcc_status get_body(decoder *dc, cg_program *body) {
  cache_reader *r = &dc->r;
  body->arena_size = cache_get_u64(r);
  body->n_inputs = cache_get_u32(r);
  if (r->failed || body->n_inputs > r->size / 4)
    return bad(dc, "body program");
  IR_TRY(get_slots(dc));
  IR_TRY(get_steps(dc));
  uint32_t n = cache_get_u32(r);
  if (r->failed || n > r->size / 4)
    return bad(dc, "body output count");
  body->outputs = calloc(n + 1, sizeof *body->outputs);
  if (!body->outputs)
    return IR_NOMEM(dc->d);
  for (; body->n_outputs < n; body->n_outputs++) {
    uint32_t slot = cache_get_u32(r);
    if (r->failed || slot >= body->n_slots)
      return bad(dc, "body output slot");
    body->outputs[body->n_outputs].slot = slot;
  }
  return check_slot_indices(dc);
}

/* Decodes a body with dc->p switched to it; the region owns it already. */
static ovcc_status get_body_program(decoder *dc, cg_program **out) {
  if (dc->depth >= CACHE_MAX_REGION_DEPTH)
    return bad(dc, "regions nested too deeply");
  cg_program *body = calloc(1, sizeof *body);
  if (!body)
    return IR_NOMEM(dc->d);
  *out = body;
  cg_program *parent = dc->p;
  dc->p = body;
  dc->depth++;
  ovcc_status st = get_body(dc, body);
  dc->depth--;
  dc->p = parent;
  return st;
}

static ovcc_status get_region_ports(decoder *dc, const cg_program *body, bool inputs,
                                    cg_region_port **out, uint32_t *n_out) {
  cache_reader *r = &dc->r;
  uint32_t n = cache_get_u32(r);
  if (r->failed || n > r->size / 16)
    return bad(dc, "region port count");
  *out = calloc(n + 1, sizeof **out);
  if (!*out)
    return IR_NOMEM(dc->d);
  uint32_t n_body = inputs ? body->n_inputs : body->n_outputs;
  for (; *n_out < n; (*n_out)++) {
    cg_region_port *pt = &(*out)[*n_out];
    pt->outer_slot = cache_get_u32(r);
    pt->body_index = cache_get_u32(r);
    uint32_t sliced = cache_get_u32(r);
    pt->buf_slot = cache_get_u32(r);
    pt->start = (int64_t)cache_get_u64(r);
    pt->stride = (int64_t)cache_get_u64(r);
    pt->part_size = (int64_t)cache_get_u64(r);
    pt->outer = (int64_t)cache_get_u64(r);
    pt->axis_len = (int64_t)cache_get_u64(r);
    pt->inner_bytes = (int64_t)cache_get_u64(r);
    pt->nbytes = cache_get_u64(r);
    pt->sliced = sliced != 0;
    if (r->failed || sliced > 1 || pt->outer_slot >= dc->p->n_slots ||
        !slot_or_none(dc->p, pt->buf_slot) || pt->body_index >= n_body)
      return bad(dc, "region port");
  }
  return OVCC_OK;
}

/* One body of a region with the parent arena slot that holds its arena. */
static ovcc_status get_region_body(decoder *dc, cg_region *rg, int b) {
  cache_reader *r = &dc->r;
  rg->body_arena_slot[b] = cache_get_u32(r);
  if (r->failed || rg->body_arena_slot[b] >= dc->p->n_slots)
    return bad(dc, "body arena slot");
  IR_TRY(get_body_program(dc, &rg->body[b]));
  const cg_slot *arena = &dc->p->slots[rg->body_arena_slot[b]];
  if (arena->kind != CG_SLOT_ARENA || arena->nbytes < rg->body[b]->arena_size)
    return bad(dc, "body arena smaller than the body's");
  IR_TRY(get_region_ports(dc, rg->body[b], true, &rg->in[b], &rg->n_in[b]));
  return get_region_ports(dc, rg->body[b], false, &rg->out[b], &rg->n_out[b]);
}

static ovcc_status get_back_edges(decoder *dc, cg_region *rg) {
  cache_reader *r = &dc->r;
  const cg_program *body = rg->body[0];
  rg->n_be = cache_get_u32(r);
  if (r->failed || rg->n_be > r->size / 8)
    return bad(dc, "back edge count");
  rg->be_from = calloc(rg->n_be + 1, sizeof *rg->be_from);
  rg->be_to = calloc(rg->n_be + 1, sizeof *rg->be_to);
  if (!rg->be_from || !rg->be_to)
    return IR_NOMEM(dc->d);
  for (uint32_t i = 0; i < rg->n_be; i++) {
    rg->be_from[i] = cache_get_u32(r);
    rg->be_to[i] = cache_get_u32(r);
    if (r->failed || rg->be_from[i] >= body->n_outputs || rg->be_to[i] >= body->n_inputs)
      return bad(dc, "back edge");
  }
  return OVCC_OK;
}

/* The scalars (read before the bodies, checked after them). */
static void get_region_scalars(cache_reader *r, cg_region *rg) {
  rg->kind = (cg_region_kind)cache_get_u32(r);
  rg->iterations = (int64_t)cache_get_u64(r);
  rg->trip_slot = cache_get_u32(r);
  rg->cond_slot = cache_get_u32(r);
  rg->trip_et = (ir_etype)cache_get_u32(r);
  rg->cond_et = (ir_etype)cache_get_u32(r);
  rg->cur_iter_param = (int64_t)cache_get_u64(r);
  rg->cur_iter_slot = cache_get_u32(r);
  rg->cur_iter_et = (ir_etype)cache_get_u32(r);
  rg->body_cond_result = (int64_t)cache_get_u64(r);
}

static ovcc_status check_region(decoder *dc, const cg_region *rg) {
  const cg_program *p = dc->p, *body = rg->body[0];
  if (!slot_or_none(p, rg->trip_slot) || !slot_or_none(p, rg->cond_slot))
    return bad(dc, "region trip/condition slot");
  if (rg->cur_iter_param < -1 || rg->cur_iter_param >= (int64_t)body->n_inputs ||
      (rg->cur_iter_param >= 0 && rg->cur_iter_slot >= p->n_slots))
    return bad(dc, "region current-iteration port");
  if (rg->body_cond_result < -1 || rg->body_cond_result >= (int64_t)body->n_outputs)
    return bad(dc, "region condition result");
  return OVCC_OK;
}

static ovcc_status get_region(decoder *dc, const cg_region **out) {
  cg_region *rg = calloc(1, sizeof *rg);
  if (!rg)
    return IR_NOMEM(dc->d);
  *out = rg; /* owned by the step from here: freed with the program */
  get_region_scalars(&dc->r, rg);
  if (dc->r.failed || rg->kind > CG_REGION_IF)
    return bad(dc, "region kind");
  for (int b = 0; b < 2; b++) {
    uint32_t present = cache_get_u32(&dc->r);
    if (dc->r.failed || present != (uint32_t)(b == 0 || rg->kind == CG_REGION_IF))
      return bad(dc, "region bodies");
    if (present)
      IR_TRY(get_region_body(dc, rg, b));
  }
  IR_TRY(get_back_edges(dc, rg));
  return check_region(dc, rg);
}

static ovcc_status get_tail(decoder *dc) {
  cg_program *p = dc->p;
  p->assign_slots = malloc((p->n_states + 1) * sizeof *p->assign_slots);
  if (!p->assign_slots)
    return IR_NOMEM(dc->d);
  for (uint32_t i = 0; i < p->n_states; i++) {
    p->assign_slots[i] = cache_get_u32(&dc->r);
    if (p->assign_slots[i] != UINT32_MAX && p->assign_slots[i] >= p->n_slots)
      return bad(dc, "assign slot");
  }
  if (cache_get_u32(&dc->r) != CACHE_META_END || dc->r.pos != dc->r.size)
    return bad(dc, "end marker");
  return check_slot_indices(dc);
}

static ovcc_status get_kernel_names(decoder *dc, const char ***names) {
  dc->n_kernels = cache_get_u32(&dc->r);
  if (dc->r.failed || dc->n_kernels > dc->r.size / 4)
    return bad(dc, "kernel count");
  *names = ir_arena_alloc(dc->names, (dc->n_kernels + 1) * sizeof **names);
  if (!*names)
    return IR_NOMEM(dc->d);
  for (uint32_t i = 0; i < dc->n_kernels; i++)
    if (!((*names)[i] = cache_get_str(&dc->r)))
      return bad(dc, "kernel name");
  return OVCC_OK;
}

static ovcc_status decode_meta(decoder *dc, const char ***kernel_names) {
  cg_program *p = dc->p;
  p->arena_size = cache_get_u64(&dc->r);
  uint64_t weights_size = cache_get_u64(&dc->r);
  if (dc->r.failed || weights_size != (dc->w->data ? dc->w->size : 0))
    return bad(dc, "the model's weights differ in size from the compiled ones");
  IR_TRY(get_kernel_names(dc, kernel_names));
  IR_TRY(get_slots(dc));
  IR_TRY(get_steps(dc));
  IR_TRY(get_ports(dc, &p->inputs, &p->n_inputs));
  IR_TRY(get_ports(dc, &p->outputs, &p->n_outputs));
  IR_TRY(get_ports(dc, &p->states, &p->n_states));
  return get_tail(dc);
}

ovcc_status cache_decode(const cache_key *k, uint8_t *blob, size_t size, ir_model *m,
                         cg_program **out, ir_diag *d) {
  *out = NULL;
  IR_TRY(cache_check(k, blob, size, d));
  cache_header h;
  memcpy(&h, blob, sizeof h);
  static const ir_weights no_weights = {0};
  const uint8_t *payload = blob + sizeof h;
  ir_arena names;
  ir_arena_init(&names);
  cg_program *p = calloc(1, sizeof *p);
  decoder dc = {
      .r = {.data = payload + h.const_size + h.obj_size, .size = h.meta_size},
      .consts = payload,
      .const_size = h.const_size,
      .w = m ? &m->weights : &no_weights,
      .names = &names,
      .p = p,
      .d = d,
  };
  const char **kernel_names = NULL;
  ovcc_status st = p ? decode_meta(&dc, &kernel_names) : IR_NOMEM(d);
  if (st == OVCC_OK)
    st = cg_program_assemble(p, &names, blob, m, payload + h.const_size, h.obj_size, kernel_names,
                             dc.n_kernels, d);
  if (st != OVCC_OK) {
    ir_arena_free(&names);
    cg_program_free(p);
    return st;
  }
  *out = p;
  return OVCC_OK;
}
