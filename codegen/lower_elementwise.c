/* Lowering of the elementwise family: one loop nest around the elemental
 * emitter (elemental.h).
 *
 * Broadcasting becomes per-operand strides over the output dims (0 where an
 * operand broadcasts); output dims of size 1 are dropped and neighbouring dims
 * every tensor walks contiguously are merged, so most cases end as one flat
 * run or rows x inner. The innermost dim is walked W lanes at a time with
 * explicit vectors (W = vector bytes / widest compute element, at least 4
 * bytes) and a scalar tail; an operand with stride 0 there is loaded once per
 * row and splat. A work item is a block of at most EW_BLOCK elements: a piece
 * of a long inner run, or several short rows. Packed sub-byte tensors go one
 * element at a time, and a packed output is never split (its bytes are
 * shared between neighbouring elements). */
#include <string.h>
#include <strings.h>

#include "elemental.h"

/* EW_MAX_IN covers k.fused groups (fuse-elementwise makes at most 32 inputs). */
enum { EW_MAX_IN = 32, EW_BLOCK = 4096, EW_MAX_FUSED = 64 };

typedef struct ew_plan {
  unsigned n_in;   /* data operands (ConvertLike reads only its first) */
  int rank;        /* collapsed */
  int64_t dims[IR_MAX_RANK];
  int64_t st[EW_MAX_IN + 1][IR_MAX_RANK]; /* element strides; [n_in] = output */
  unsigned w;      /* vector lanes (1: scalar only) */
  int64_t inner, outer;
  int64_t block, n_blk, rows_per_item;
  bool packed_out;
} ew_plan;

/* ---- broadcast plan ---- */

/* Output axis that operand dim 0 lines up with, per auto_broadcast (PRelu:
 * a 1-D slope matching the channel dim lines up with it). */
static ovcc_status operand_lead(cg_kernel *k, const ir_op *op, unsigned i, int out_rank,
                                int *lead) {
  const ir_shape *s = &ir_op_operand(op, i)->type.shape;
  if (s->rank == out_rank) {
    *lead = 0;
    return OVCC_OK;
  }
  if (op->kind == IR_OP_PRELU_1 && i == 1 && s->rank == 1) {
    const ir_shape *x = &ir_op_operand(op, 0)->type.shape;
    int ch = x->rank > 1 ? 1 : 0;
    if (x->rank >= 1 && s->d[0].lo == x->d[ch].lo) {
      *lead = ch;
      return OVCC_OK;
    }
  }
  const char *mode = ir_op_attr_str(op, "auto_broadcast", "numpy");
  if (strcasecmp(mode, "pdpd") == 0) {
    int64_t axis = ir_op_attr_int(op, "auto_broadcast.auto_broadcast_axis", 0);
    *lead = axis >= 0 ? (int)axis : out_rank - s->rank;
    return OVCC_OK;
  }
  if (strcasecmp(mode, "numpy") != 0 && strcasecmp(mode, "none") != 0)
    return CG_UNSUPPORTED(k, "auto_broadcast '%s'", mode);
  *lead = out_rank - s->rank;
  return OVCC_OK;
}

/* Strides of operand i over the output dims; size-1 dims broadcast. */
static ovcc_status operand_strides(cg_kernel *k, const ir_op *op, unsigned i, const int64_t *odims,
                                   int orank, int64_t *st) {
  const ir_shape *s = &ir_op_operand(op, i)->type.shape;
  int lead = 0;
  IR_TRY(operand_lead(k, op, i, orank, &lead));
  for (int o = 0; o < orank; o++)
    st[o] = 0;
  int64_t acc = 1;
  for (int j = s->rank - 1; j >= 0; j--) {
    int64_t n = s->d[j].lo;
    int o = lead + j;
    if (o < 0 || o >= orank || (n != odims[o] && n != 1))
      return cg_error(k, OVCC_ERR_INTERNAL, "operand %u does not broadcast to the result", i);
    if (n == odims[o] && n != 1)
      st[o] = acc;
    acc *= n;
  }
  return OVCC_OK;
}

/* Drops size-1 output dims and merges neighbours every tensor walks as one. */
static void collapse(ew_plan *p, const int64_t *odims, int orank, int64_t st[][IR_MAX_RANK]) {
  unsigned na = p->n_in + 1;
  p->rank = 0;
  for (int o = 0; o < orank; o++) {
    if (odims[o] == 1)
      continue;
    int r = p->rank;
    bool merge = r > 0;
    for (unsigned a = 0; a < na && merge; a++)
      merge = p->st[a][r - 1] == st[a][o] * odims[o];
    if (merge) {
      p->dims[r - 1] *= odims[o];
      for (unsigned a = 0; a < na; a++)
        p->st[a][r - 1] = st[a][o];
      continue;
    }
    p->dims[r] = odims[o];
    for (unsigned a = 0; a < na; a++)
      p->st[a][r] = st[a][o];
    p->rank++;
  }
}

static unsigned compute_bytes(cg_module *m, ir_etype et) {
  LLVMTypeRef t = cg_compute_type(m, et);
  unsigned bits = t == m->t_f64 || t == m->t_i64 ? 64 : t == m->t_i16 ? 16 : 32;
  return bits / 8;
}

static ovcc_status make_plan(cg_kernel *k, const ir_op *op, ew_plan *p) {
  memset(p, 0, sizeof *p);
  p->n_in = op->kind == IR_OP_CONVERTLIKE_1 ? 1 : op->n_operands;
  if (p->n_in > EW_MAX_IN || op->n_results != 1)
    return CG_UNSUPPORTED(k, "%u operands", op->n_operands);
  const ir_value *out = &op->results[0];
  int64_t odims[IR_MAX_RANK], st[EW_MAX_IN + 1][IR_MAX_RANK];
  int orank = cg_dims(out, odims);
  bool packed = cg_elem_is_packed(out->type.et);
  unsigned widest = compute_bytes(k->m, out->type.et);
  for (unsigned i = 0; i < p->n_in; i++) {
    const ir_value *v = ir_op_operand(op, i);
    if (!v)
      return CG_UNSUPPORTED(k, "missing operand %u", i);
    IR_TRY(operand_strides(k, op, i, odims, orank, st[i]));
    packed |= cg_elem_is_packed(v->type.et);
    unsigned cb = compute_bytes(k->m, v->type.et);
    widest = cb > widest ? cb : widest;
  }
  if (op->kind == IR_OP_K_FUSED) /* intermediates set the lane count too */
    IR_FOR_EACH_OP(op->bodies[0], inner) {
      for (uint32_t r = 0; r < inner->n_results; r++) {
        unsigned cb = compute_bytes(k->m, inner->results[r].type.et);
        widest = cb > widest ? cb : widest;
      }
    }
  cg_strides(odims, orank, st[p->n_in]);
  collapse(p, odims, orank, st);
  p->inner = p->rank ? p->dims[p->rank - 1] : 1;
  p->outer = 1;
  for (int d = 0; d + 1 < p->rank; d++)
    p->outer *= p->dims[d];
  for (unsigned a = 0; a <= p->n_in; a++)
    if (p->rank && p->st[a][p->rank - 1] > 1)
      return cg_error(k, OVCC_ERR_INTERNAL, "inner stride %lld", (long long)p->st[a][p->rank - 1]);
  p->w = packed ? 1 : k->m->target->vec_bytes / widest;
  if (p->w < 1)
    p->w = 1;
  p->packed_out = cg_elem_is_packed(out->type.et);
  int64_t block = EW_BLOCK / p->w * p->w;
  if (p->inner == 0 || p->outer == 0) { /* empty result: nothing to do */
    p->outer = 0;
    p->block = 0;
    p->n_blk = p->rows_per_item = 1;
  } else if (p->packed_out || p->inner <= block) {
    p->block = p->inner;
    p->n_blk = 1;
    p->rows_per_item = p->packed_out ? p->outer : (block / p->inner > 0 ? block / p->inner : 1);
  } else {
    p->block = block;
    p->n_blk = (p->inner + block - 1) / block;
    p->rows_per_item = 1;
  }
  return OVCC_OK;
}

/* ---- emission ---- */

typedef struct ew_emit {
  ew_plan *p;
  const ir_op *op;
  LLVMValueRef base[EW_MAX_IN + 1];
  ir_etype et[EW_MAX_IN + 1];
  LLVMValueRef off[EW_MAX_IN + 1]; /* row offsets */
  LLVMValueRef bcast[EW_MAX_IN];   /* scalar values of inner-stride-0 operands */
} ew_emit;

static LLVMValueRef imin(cg_kernel *k, LLVMValueRef a, LLVMValueRef b) {
  return LLVMBuildSelect(k->b, LLVMBuildICmp(k->b, LLVMIntSLT, a, b, ""), a, b, "");
}

/* Offsets of row `row` (index over the outer collapsed dims) per tensor. */
static void row_offsets(cg_kernel *k, ew_emit *e, LLVMValueRef row) {
  ew_plan *p = e->p;
  for (unsigned a = 0; a <= p->n_in; a++)
    e->off[a] = cg_i64(k, 0);
  int64_t div = 1;
  for (int d = p->rank - 2; d >= 0; d--) {
    LLVMValueRef q = div == 1 ? row : LLVMBuildUDiv(k->b, row, cg_i64(k, div), "");
    LLVMValueRef i = d == 0 ? q : LLVMBuildURem(k->b, q, cg_i64(k, p->dims[d]), "");
    for (unsigned a = 0; a <= p->n_in; a++)
      if (p->st[a][d])
        e->off[a] = LLVMBuildAdd(k->b, e->off[a], LLVMBuildMul(k->b, i, cg_i64(k, p->st[a][d]), ""), "");
    div *= p->dims[d];
  }
}

static bool inner_bcast(const ew_plan *p, unsigned a) {
  return p->rank == 0 || p->st[a][p->rank - 1] == 0;
}

/* The value of body value v: a body Parameter's input or an op's result. */
typedef struct fused_vals {
  const ir_value *key[EW_MAX_FUSED + EW_MAX_IN];
  LLVMValueRef val[EW_MAX_FUSED + EW_MAX_IN];
  unsigned n;
} fused_vals;

static LLVMValueRef fused_lookup(const fused_vals *fv, const ir_value *v) {
  for (unsigned i = 0; i < fv->n; i++)
    if (fv->key[i] == v)
      return fv->val[i];
  return NULL;
}

/* A k.fused op's result: its body evaluated op by op with the elemental
 * emitter; intermediates stay in registers. */
static ovcc_status fused_emit(cg_kernel *k, const ir_op *f, LLVMValueRef *in, LLVMValueRef *out) {
  const ir_graph *body = f->bodies[0];
  fused_vals fv = {.n = 0};
  for (uint32_t i = 0; i < body->n_params; i++) {
    fv.key[fv.n] = &body->params[i]->results[0];
    fv.val[fv.n++] = in[i];
  }
  IR_FOR_EACH_OP(body, op) {
    if (op->kind == IR_OP_PARAMETER_1 || op->kind == IR_OP_RESULT_1)
      continue;
    if (fv.n == EW_MAX_FUSED + EW_MAX_IN)
      return CG_UNSUPPORTED(k, "more than %d ops in a fused group", EW_MAX_FUSED);
    unsigned m = op->kind == IR_OP_CONVERTLIKE_1 ? 1 : op->n_operands;
    LLVMValueRef args[EW_MAX_IN];
    for (unsigned j = 0; j < m && j < EW_MAX_IN; j++)
      if (!(args[j] = fused_lookup(&fv, ir_op_operand(op, j))))
        return cg_error(k, OVCC_ERR_INTERNAL, "fused operand defined outside its body");
    LLVMValueRef r;
    IR_TRY(cg_elemental_emit(k, op, args, m, &r));
    fv.key[fv.n] = &op->results[0];
    fv.val[fv.n++] = r;
  }
  if (body->n_results != 1 || !(*out = fused_lookup(&fv, ir_op_operand(body->results[0], 0))))
    return cg_error(k, OVCC_ERR_INTERNAL, "fused body has no single computed result");
  return OVCC_OK;
}

/* One step of the inner loop at column j with n lanes (1: scalar). */
static ovcc_status emit_step(cg_kernel *k, ew_emit *e, LLVMValueRef j, unsigned n) {
  ew_plan *p = e->p;
  LLVMValueRef in[EW_MAX_IN];
  for (unsigned a = 0; a < p->n_in; a++) {
    if (inner_bcast(p, a))
      in[a] = n > 1 ? cg_splat(k, e->bcast[a], n) : e->bcast[a];
    else
      in[a] = cg_elem_load(k, e->et[a], e->base[a], LLVMBuildAdd(k->b, e->off[a], j, ""), n);
  }
  LLVMValueRef r;
  if (e->op->kind == IR_OP_K_FUSED)
    IR_TRY(fused_emit(k, e->op, in, &r));
  else
    IR_TRY(cg_elemental_emit(k, e->op, in, p->n_in, &r));
  unsigned o = p->n_in;
  cg_elem_store(k, e->et[o], e->base[o], LLVMBuildAdd(k->b, e->off[o], j, ""), r);
  return OVCC_OK;
}

/* Columns [j0, j1) of the current row: W-wide vectors, then a scalar tail. */
static ovcc_status emit_row(cg_kernel *k, ew_emit *e, LLVMValueRef j0, LLVMValueRef j1) {
  ew_plan *p = e->p;
  for (unsigned a = 0; a < p->n_in; a++)
    if (inner_bcast(p, a))
      e->bcast[a] = cg_elem_load(k, e->et[a], e->base[a], e->off[a], 1);
  LLVMValueRef jv = j0;
  if (p->w > 1) {
    LLVMValueRef len = LLVMBuildSub(k->b, j1, j0, "");
    LLVMValueRef full = LLVMBuildMul(k->b, LLVMBuildUDiv(k->b, len, cg_i64(k, p->w), ""),
                                     cg_i64(k, p->w), "");
    jv = LLVMBuildAdd(k->b, j0, full, "");
    cg_loop vl;
    LLVMValueRef j = cg_loop_begin(k, &vl, j0, jv, p->w, "vec");
    IR_TRY(emit_step(k, e, j, p->w));
    cg_loop_end(k, &vl);
  }
  cg_loop tl;
  LLVMValueRef j = cg_loop_begin(k, &tl, jv, j1, 1, "tail");
  IR_TRY(emit_step(k, e, j, 1));
  cg_loop_end(k, &tl);
  return OVCC_OK;
}

static ovcc_status emit_kernel(cg_kernel *k, const ir_op *op, ew_plan *p) {
  ew_emit e = {.p = p, .op = op};
  for (unsigned a = 0; a < p->n_in; a++) {
    e.base[a] = cg_operand(k, a);
    e.et[a] = ir_op_operand(op, a)->type.et;
  }
  e.base[p->n_in] = cg_result(k, 0);
  e.et[p->n_in] = op->results[0].type.et;
  LLVMBuilderRef b = k->b;
  cg_loop items;
  LLVMValueRef it = cg_loop_begin(k, &items, k->begin, k->end, 1, "item");
  LLVMValueRef rowblk = LLVMBuildUDiv(b, it, cg_i64(k, p->n_blk), "");
  LLVMValueRef blk = LLVMBuildURem(b, it, cg_i64(k, p->n_blk), "");
  LLVMValueRef r0 = LLVMBuildMul(b, rowblk, cg_i64(k, p->rows_per_item), "");
  LLVMValueRef r1 = imin(k, LLVMBuildAdd(b, r0, cg_i64(k, p->rows_per_item), ""), cg_i64(k, p->outer));
  LLVMValueRef j0 = LLVMBuildMul(b, blk, cg_i64(k, p->block), "");
  LLVMValueRef j1 = imin(k, LLVMBuildAdd(b, j0, cg_i64(k, p->block), ""), cg_i64(k, p->inner));
  cg_loop rows;
  LLVMValueRef row = cg_loop_begin(k, &rows, r0, r1, 1, "row");
  row_offsets(k, &e, row);
  IR_TRY(emit_row(k, &e, j0, j1));
  cg_loop_end(k, &rows);
  cg_loop_end(k, &items);
  return OVCC_OK;
}

ovcc_status cg_lower_elementwise(cg_kernel *k, const ir_op *op, bool *handled) {
  *handled = false;
  if (!cg_elemental_supports(op) && op->kind != IR_OP_K_FUSED)
    return OVCC_OK;
  *handled = true;
  ew_plan p;
  IR_TRY(make_plan(k, op, &p));
  k->work = (p.outer + p.rows_per_item - 1) / p.rows_per_item * p.n_blk;
  if (k->work < 1)
    k->work = 1;
  k->cost = (double)(p.rows_per_item * p.block);
  return emit_kernel(k, op, &p);
}
