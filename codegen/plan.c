/* Memory planning: lifetimes over op positions, aliasing for views, and a
 * first-fit offset assignment that reuses dead buffers. */
#include <stdlib.h>
#include <string.h>

#include "plan.h"

enum { PLAN_ALIGN = 64 };
#define LIVE_FOREVER INT64_MAX

uint32_t cg_plan_add_slot(cg_plan *p, cg_slot s) {
  if (p->n_slots == p->cap_slots) {
    uint32_t cap = p->cap_slots ? p->cap_slots * 2 : 64;
    cg_slot *ns = realloc(p->slots, cap * sizeof *ns);
    int64_t *nf = realloc(p->slot_first, cap * sizeof *nf);
    if (nf)
      p->slot_first = nf;
    int64_t *nl = realloc(p->slot_last, cap * sizeof *nl);
    if (nl)
      p->slot_last = nl;
    if (!ns || !nf || !nl) {
      if (ns)
        p->slots = ns;
      return UINT32_MAX;
    }
    p->slots = ns;
    p->cap_slots = cap;
  }
  p->slot_first[p->n_slots] = 0;
  p->slot_last[p->n_slots] = LIVE_FOREVER;
  p->slots[p->n_slots] = s;
  return p->n_slots++;
}

bool cg_etype_nbytes(ir_etype et, uint64_t n, uint64_t *out) {
  if (et != IR_ET_STRING)
    return ir_etype_nbytes(et, n, out);
  if (n > UINT64_MAX / CG_STRING_BYTES)
    return false;
  *out = n * CG_STRING_BYTES;
  return true;
}

static bool value_nbytes(const ir_value *v, uint64_t *out) {
  uint64_t n;
  return ir_shape_numel(&v->type.shape, &n) && cg_etype_nbytes(v->type.et, n, out);
}

static int find_state(cg_plan *p, const char *id) {
  for (uint32_t i = 0; i < p->n_states; i++)
    if (strcmp(p->state_names[i], id) == 0)
      return (int)i;
  return -1;
}

/* Views, and an Assign's optional result (the assigned value itself). */
static bool is_view(const ir_op *op) {
  if (op->kind == IR_OP_ASSIGN_3 || op->kind == IR_OP_ASSIGN_6)
    return op->n_results == 1;
  return op->info && (op->info->flags & OPF_VIEW) && op->n_results == 1 &&
         op->results[0].type.et == ir_op_operand(op, 0)->type.et;
}

static ovcc_status add_state(cg_plan *p, ir_op *op, uint32_t *index, ir_diag *d) {
  const char *id = ir_op_attr_str(op, "variable_id", "");
  int k = find_state(p, id);
  if (k >= 0) {
    *index = (uint32_t)k;
    return OVCC_OK;
  }
  const char **nn = realloc(p->state_names, (p->n_states + 1) * sizeof *nn);
  if (!nn)
    return IR_NOMEM(d);
  p->state_names = nn;
  ir_op **nr = realloc(p->state_reads, (p->n_states + 1) * sizeof *nr);
  if (!nr)
    return IR_NOMEM(d);
  p->state_reads = nr;
  p->state_names[p->n_states] = id;
  p->state_reads[p->n_states] = op;
  *index = p->n_states++;
  return OVCC_OK;
}

/* Slots for every value, then lifetimes. */
static ovcc_status assign_slots(ir_graph *g, cg_plan *p, bool *is_alias, ir_diag *d) {
  IR_FOR_EACH_OP(g, op) {
    int64_t pos = op->scratch;
    for (uint32_t r = 0; r < op->n_results; r++) {
      ir_value *v = &op->results[r];
      uint64_t nbytes = 0;
      if (!value_nbytes(v, &nbytes)) {
        char where[512];
        ir_op_describe(op, where, sizeof where);
        return IR_ERR(d, OVCC_ERR_UNSUPPORTED, "%s: result %u has no static shape or size", where,
                      r);
      }
      uint32_t slot;
      if (op->kind == IR_OP_CONSTANT_1 && v->type.et == IR_ET_STRING) {
        /* The .bin packs strings (count, offsets, bytes); compiled code
         * holds descriptors pointing at them, which a relocatable program
         * (cache, AOT) cannot carry yet. */
        char where[512];
        ir_op_describe(op, where, sizeof where);
        return IR_ERR(d, OVCC_ERR_UNSUPPORTED,
                      "%s: string constants are not supported (string inputs and outputs are)",
                      where);
      } else if (op->kind == IR_OP_CONSTANT_1) {
        slot = cg_plan_add_slot(p, (cg_slot){.kind = CG_SLOT_CONST, .data = op->cst->data,
                                             .nbytes = nbytes});
      } else if (op->kind == IR_OP_PARAMETER_1) {
        uint32_t idx = 0;
        while (idx < g->n_params && g->params[idx] != op)
          idx++;
        slot = cg_plan_add_slot(p, (cg_slot){.kind = CG_SLOT_INPUT, .index = idx, .nbytes = nbytes});
      } else if (op->kind == IR_OP_READVALUE_3 || op->kind == IR_OP_READVALUE_6) {
        uint32_t idx = 0;
        IR_TRY(add_state(p, op, &idx, d));
        slot = cg_plan_add_slot(p, (cg_slot){.kind = CG_SLOT_STATE, .index = idx, .nbytes = nbytes});
        is_alias[pos] = true;
      } else if (is_view(op)) {
        slot = cg_plan_slot_of(p, ir_op_operand(op, 0));
        is_alias[pos] = true;
      } else {
        slot = cg_plan_add_slot(p, (cg_slot){.kind = CG_SLOT_ARENA, .nbytes = nbytes});
        if (slot != UINT32_MAX) {
          p->slot_first[slot] = pos;
          p->slot_last[slot] = pos; /* an unused result lives while its kernel runs */
        }
      }
      if (slot == UINT32_MAX)
        return IR_NOMEM(d);
      p->value_slot[v->print_id] = slot;
    }
  }
  /* Lifetimes: the last op reading a slot (through any alias); Results and
   * Assigns are read after the run, so their operands live to the end. */
  IR_FOR_EACH_OP(g, op) {
    for (uint32_t i = 0; i < op->n_operands; i++) {
      ir_value *v = ir_op_operand(op, i);
      if (!v)
        continue;
      uint32_t s = cg_plan_slot_of(p, v);
      if (p->slots[s].kind != CG_SLOT_ARENA)
        continue;
      int64_t last = (op->kind == IR_OP_RESULT_1 || (op->info && (op->info->flags & OPF_SINK)))
                         ? LIVE_FOREVER
                         : (int64_t)op->scratch;
      if (last > p->slot_last[s])
        p->slot_last[s] = last;
    }
  }
  return OVCC_OK;
}

typedef struct live_buf {
  uint64_t off, size;
  int64_t last;
} live_buf;

static int by_offset(const void *a, const void *b) {
  const live_buf *x = a, *y = b;
  return x->off < y->off ? -1 : x->off > y->off;
}

/* First fit over the buffers still live when each slot is born (slots are
 * created in op order, so their birth positions are sorted). */
static ovcc_status assign_offsets(cg_plan *p, ir_diag *d) {
  live_buf *live = malloc((p->n_slots + 1) * sizeof *live);
  if (!live)
    return IR_NOMEM(d);
  uint32_t n_live = 0;
  uint64_t top = 0;
  for (uint32_t s = 0; s < p->n_slots; s++) {
    if (p->slots[s].kind != CG_SLOT_ARENA)
      continue;
    int64_t born = p->slot_first[s];
    uint32_t k = 0;
    for (uint32_t i = 0; i < n_live; i++)
      if (live[i].last >= born)
        live[k++] = live[i];
    n_live = k;
    qsort(live, n_live, sizeof *live, by_offset);
    uint64_t size = (p->slots[s].nbytes + PLAN_ALIGN - 1) / PLAN_ALIGN * PLAN_ALIGN;
    if (size == 0)
      size = PLAN_ALIGN;
    uint64_t off = 0;
    for (uint32_t i = 0; i < n_live; i++) {
      if (off + size <= live[i].off)
        break;
      if (live[i].off + live[i].size > off)
        off = live[i].off + live[i].size;
    }
    p->slots[s].offset = off;
    live[n_live++] = (live_buf){off, size, p->slot_last[s]};
    if (off + size > top)
      top = off + size;
  }
  free(live);
  p->arena_size = top;
  return OVCC_OK;
}

ovcc_status cg_plan_build(ir_graph *g, cg_plan *p, bool **is_alias_out, ir_diag *d) {
  memset(p, 0, sizeof *p);
  uint32_t n_ops = 0, n_values = 0;
  IR_FOR_EACH_OP(g, op) {
    op->scratch = n_ops++;
    for (uint32_t r = 0; r < op->n_results; r++)
      op->results[r].print_id = n_values++;
  }
  p->n_values = n_values;
  p->value_slot = malloc((n_values + 1) * sizeof *p->value_slot);
  bool *is_alias = calloc(n_ops + 1, sizeof *is_alias);
  if (!p->value_slot || !is_alias) {
    free(is_alias);
    return IR_NOMEM(d);
  }
  ovcc_status st = assign_slots(g, p, is_alias, d);
  if (st == OVCC_OK)
    st = assign_offsets(p, d);
  if (st != OVCC_OK) {
    free(is_alias);
    return st;
  }
  *is_alias_out = is_alias;
  return OVCC_OK;
}

uint32_t cg_plan_add_arena_slot(cg_plan *p, uint64_t nbytes) {
  uint64_t size = (nbytes + PLAN_ALIGN - 1) / PLAN_ALIGN * PLAN_ALIGN;
  uint32_t s = cg_plan_add_slot(p, (cg_slot){.kind = CG_SLOT_ARENA, .offset = p->arena_size,
                                             .nbytes = nbytes});
  if (s != UINT32_MAX)
    p->arena_size += size ? size : PLAN_ALIGN;
  return s;
}

void cg_plan_free(cg_plan *p) {
  free(p->slots);
  free(p->value_slot);
  free(p->slot_first);
  free(p->slot_last);
  free(p->state_names);
  free(p->state_reads);
  memset(p, 0, sizeof *p);
}
