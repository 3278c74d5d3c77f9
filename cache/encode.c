/* Program + object -> blob bytes. Constants inside the model's weights are
 * written as (offset, size) into the .bin; every other constant's bytes go
 * into the blob. */
#include <stdlib.h>
#include <string.h>

#include <llvm-c/blake3.h>

#include "cache/blob.h"
#include "cache/bytes.h"

void cache_checksum(const void *p, size_t n, uint8_t out[CACHE_KEY_BYTES]) {
  llvm_blake3_hasher h;
  llvm_blake3_hasher_init(&h);
  llvm_blake3_hasher_update(&h, p, n);
  llvm_blake3_hasher_finalize(&h, out, CACHE_KEY_BYTES);
}

static bool in_weights(const ir_weights *w, const cg_slot *s) {
  if (!w || !w->data || !s->data)
    return false;
  uintptr_t base = (uintptr_t)w->data, at = (uintptr_t)s->data;
  return at >= base && at - base <= w->size && s->nbytes <= w->size - (at - base);
}

static void put_const(cache_writer *meta, cache_writer *consts, const cg_slot *s,
                      const ir_weights *w) {
  if (in_weights(w, s)) {
    cache_put_u32(meta, CACHE_CONST_BIN);
    cache_put_u64(meta, (uint64_t)((uintptr_t)s->data - (uintptr_t)w->data));
    return;
  }
  cache_pad(consts, 64);
  cache_put_u32(meta, CACHE_CONST_BLOB);
  cache_put_u64(meta, consts->size);
  cache_put(consts, s->data, s->nbytes);
}

static void put_slots(cache_writer *meta, cache_writer *consts, const cg_program *p,
                      const ir_weights *w) {
  cache_put_u32(meta, p->n_slots);
  for (uint32_t i = 0; i < p->n_slots; i++) {
    const cg_slot *s = &p->slots[i];
    cache_put_u32(meta, s->kind);
    cache_put_u32(meta, s->index);
    cache_put_u64(meta, s->offset);
    cache_put_u64(meta, s->nbytes);
    if (s->kind == CG_SLOT_CONST) {
      put_const(meta, consts, s, w);
    } else {
      cache_put_u32(meta, CACHE_CONST_NONE);
      cache_put_u64(meta, 0);
    }
  }
}

static void put_program(cache_writer *meta, cache_writer *consts, const cg_program *p,
                        const ir_weights *w);

static void put_region_ports(cache_writer *meta, const cg_region_port *ports, uint32_t n) {
  cache_put_u32(meta, n);
  for (uint32_t i = 0; i < n; i++) {
    const cg_region_port *pt = &ports[i];
    cache_put_u32(meta, pt->outer_slot);
    cache_put_u32(meta, pt->body_index);
    cache_put_u32(meta, pt->sliced);
    cache_put_u32(meta, pt->buf_slot);
    cache_put_u64(meta, (uint64_t)pt->start);
    cache_put_u64(meta, (uint64_t)pt->stride);
    cache_put_u64(meta, (uint64_t)pt->part_size);
    cache_put_u64(meta, (uint64_t)pt->outer);
    cache_put_u64(meta, (uint64_t)pt->axis_len);
    cache_put_u64(meta, (uint64_t)pt->inner_bytes);
    cache_put_u64(meta, pt->nbytes);
  }
}

/* A region: its scalars, then per body (If: two) the body program and its
 * port maps, then the back edges. Bodies share the root's kernel table. */
static void put_region(cache_writer *meta, cache_writer *consts, const cg_region *r,
                       const ir_weights *w) {
  cache_put_u32(meta, r->kind);
  cache_put_u64(meta, (uint64_t)r->iterations);
  cache_put_u32(meta, r->trip_slot);
  cache_put_u32(meta, r->cond_slot);
  cache_put_u32(meta, (uint32_t)r->trip_et);
  cache_put_u32(meta, (uint32_t)r->cond_et);
  cache_put_u64(meta, (uint64_t)r->cur_iter_param);
  cache_put_u32(meta, r->cur_iter_slot);
  cache_put_u32(meta, (uint32_t)r->cur_iter_et);
  cache_put_u64(meta, (uint64_t)r->body_cond_result);
  for (int b = 0; b < 2; b++) {
    cache_put_u32(meta, r->body[b] != NULL);
    if (!r->body[b])
      continue;
    cache_put_u32(meta, r->body_arena_slot[b]);
    put_program(meta, consts, r->body[b], w);
    put_region_ports(meta, r->in[b], r->n_in[b]);
    put_region_ports(meta, r->out[b], r->n_out[b]);
  }
  cache_put_u32(meta, r->n_be);
  for (uint32_t i = 0; i < r->n_be; i++) {
    cache_put_u32(meta, r->be_from[i]);
    cache_put_u32(meta, r->be_to[i]);
  }
}

static void put_steps(cache_writer *meta, cache_writer *consts, const cg_program *p,
                      const ir_weights *w) {
  cache_put_u32(meta, p->n_steps);
  for (uint32_t i = 0; i < p->n_steps; i++) {
    const cg_step *s = &p->steps[i];
    uint64_t cost;
    memcpy(&cost, &s->cost, sizeof cost);
    cache_put_u32(meta, s->kind);
    cache_put_u32(meta, s->kernel);
    cache_put_u32(meta, s->n_bufs);
    for (uint32_t b = 0; b < s->n_bufs; b++)
      cache_put_u32(meta, s->bufs[b]);
    cache_put_u64(meta, (uint64_t)s->work);
    cache_put_u64(meta, cost);
    cache_put_u64(meta, s->nbytes);
    cache_put_str(meta, s->name);
    cache_put_str(meta, s->op_type);
    if (s->kind == CG_STEP_REGION)
      put_region(meta, consts, s->region, w);
  }
}

/* A body program: what the runtime reads of it (its inputs are only a
 * count: body Parameters are bound by the region's port maps). */
static void put_program(cache_writer *meta, cache_writer *consts, const cg_program *p,
                        const ir_weights *w) {
  cache_put_u64(meta, p->arena_size);
  cache_put_u32(meta, p->n_inputs);
  put_slots(meta, consts, p, w);
  put_steps(meta, consts, p, w);
  cache_put_u32(meta, p->n_outputs);
  for (uint32_t i = 0; i < p->n_outputs; i++)
    cache_put_u32(meta, p->outputs[i].slot);
}

static void put_shape(cache_writer *meta, const ir_shape *s) {
  cache_put_u32(meta, (uint32_t)s->rank);
  for (int32_t i = 0; i < s->rank; i++) {
    cache_put_u64(meta, (uint64_t)s->d[i].lo);
    cache_put_u64(meta, (uint64_t)s->d[i].hi);
  }
}

static void put_ports(cache_writer *meta, const cg_port *ports, uint32_t n) {
  cache_put_u32(meta, n);
  for (uint32_t i = 0; i < n; i++) {
    const cg_port *p = &ports[i];
    cache_put_str(meta, p->name);
    cache_put_u32(meta, p->n_names);
    for (uint32_t k = 0; k < p->n_names; k++)
      cache_put_str(meta, p->names[k]);
    cache_put_u32(meta, (uint32_t)p->et);
    put_shape(meta, &p->shape);
    put_shape(meta, &p->declared);
    cache_put_u64(meta, p->nbytes);
    cache_put_u32(meta, p->slot);
  }
}

static void put_meta(cache_writer *meta, cache_writer *consts, const cg_program *p,
                     const cg_artifact *art, const ir_weights *w) {
  cache_put_u64(meta, p->arena_size);
  cache_put_u64(meta, w && w->data ? w->size : 0);
  cache_put_u32(meta, art->n_kernels);
  for (uint32_t i = 0; i < art->n_kernels; i++)
    cache_put_str(meta, art->kernel_names[i]);
  put_slots(meta, consts, p, w);
  put_steps(meta, consts, p, w);
  put_ports(meta, p->inputs, p->n_inputs);
  put_ports(meta, p->outputs, p->n_outputs);
  put_ports(meta, p->states, p->n_states);
  for (uint32_t i = 0; i < p->n_states; i++)
    cache_put_u32(meta, p->assign_slots[i]);
  cache_put_u32(meta, CACHE_META_END);
  cache_pad(consts, 64);
}

static ovcc_status check_cacheable(const cg_program *p, const cg_artifact *art, ir_diag *d) {
  if (art->n_kernels != p->n_fns || !art->obj)
    return IR_ERR(d, OVCC_ERR_INTERNAL, "the artifact has %u kernels, the program %u",
                  art->n_kernels, p->n_fns);
  return OVCC_OK;
}

ovcc_status cache_encode(const cache_key *k, const cg_program *p, const cg_artifact *art,
                         const ir_weights *w, uint8_t **out, size_t *size, ir_diag *d) {
  *out = NULL;
  *size = 0;
  IR_TRY(check_cacheable(p, art, d));
  cache_writer meta = {0}, consts = {0}, blob = {0};
  put_meta(&meta, &consts, p, art, w);
  cache_header h;
  memset(&h, 0, sizeof h);
  memcpy(h.magic, CACHE_MAGIC, sizeof h.magic);
  h.format_version = CACHE_FORMAT_VERSION;
  h.header_bytes = CACHE_HEADER_BYTES;
  memcpy(h.key, k->b, CACHE_KEY_BYTES);
  h.const_size = consts.size;
  h.obj_size = art->obj_size;
  h.meta_size = meta.size;
  h.payload_size = h.const_size + h.obj_size + h.meta_size;
  cache_put(&blob, &h, sizeof h);
  cache_put(&blob, consts.data, consts.size);
  cache_put(&blob, art->obj, art->obj_size);
  cache_put(&blob, meta.data, meta.size);
  bool failed = meta.failed || consts.failed || blob.failed;
  free(meta.data);
  free(consts.data);
  if (failed) {
    free(blob.data);
    return IR_NOMEM(d);
  }
  cache_checksum(blob.data + CACHE_HEADER_BYTES, h.payload_size, h.checksum);
  memcpy(blob.data, &h, sizeof h);
  *out = blob.data;
  *size = blob.size;
  return OVCC_OK;
}
