/* Lowering of the linear family: MatMul here, the convolutions in conv.c.
 *
 * MatMul: C[b, m, n] = sum_k A[b, m, k] * B[b, k, n] with transposes, 1-D
 * promotion and numpy batch broadcast as in ir/eval_nn.c. Rows (m) are the
 * broadcast operand of the microkernel, columns (n) its vectors. A constant B
 * is prepacked into f32 panels at compile time; a runtime B is read in place
 * (vector loads, or gathers when transposed). One work item is one
 * (batch, chunk of row blocks, column panel); K is never split. */
#include "linear.h"
#include "pack.h"

/* A matmul operand after 1-D promotion: rows x cols per matrix, transposed
 * or not, and its element stride per output batch dim (0: broadcast). */
typedef struct mm_side {
  int64_t rows, cols;
  bool trans;
  int64_t bstride[IR_MAX_RANK];
  int64_t nmat; /* matrices it holds */
} mm_side;

typedef struct mm_plan {
  mm_side a, b;
  int64_t M, N, K;
  int nb; /* output batch dims */
  int64_t bdims[IR_MAX_RANK];
  int64_t batch;
  cg_gemm_tile tile;
  int64_t NR, NP;   /* panel width (nv * w) and panels */
  int64_t MB, CHB, MC; /* row blocks, blocks per chunk, chunks */
  LLVMTypeRef a_mem, b_mem, c_mem;
  uint32_t packed; /* buffer of the packed B, UINT32_MAX: runtime B */
} mm_plan;

static void mm_side_setup(mm_side *s, const ir_value *v, bool trans, bool is_a, int nb) {
  int64_t d[IR_MAX_RANK];
  int rank = cg_dims(v, d);
  s->trans = rank > 1 && trans;
  if (rank == 1) {
    s->rows = is_a ? 1 : d[0];
    s->cols = is_a ? d[0] : 1;
  } else {
    s->rows = d[rank - 2];
    s->cols = d[rank - 1];
  }
  int tb = rank > 2 ? rank - 2 : 0;
  int64_t st = s->rows * s->cols;
  s->nmat = 1;
  for (int i = nb - 1; i >= 0; i--) {
    int ti = i - (nb - tb);
    s->bstride[i] = (ti < 0 || d[ti] == 1) ? 0 : st;
    if (ti >= 0) {
      st *= d[ti];
      s->nmat *= d[ti];
    }
  }
}

static bool float_mem(cg_kernel *k, ir_etype et, LLVMTypeRef *out) {
  if (et != IR_ET_F32 && et != IR_ET_F16 && et != IR_ET_BF16)
    return false;
  *out = cg_mem_type(k->m, et);
  return true;
}

static ovcc_status mm_plan_make(cg_kernel *k, const ir_op *op, mm_plan *p) {
  const ir_value *va = ir_op_operand(op, 0), *vb = ir_op_operand(op, 1), *vc = &op->results[0];
  if (!float_mem(k, va->type.et, &p->a_mem) || !float_mem(k, vb->type.et, &p->b_mem) ||
      !float_mem(k, vc->type.et, &p->c_mem))
    return CG_UNSUPPORTED(k, "MatMul on %s x %s -> %s: only f32/f16/bf16 are generated",
                          ir_etype_name(va->type.et), ir_etype_name(vb->type.et),
                          ir_etype_name(vc->type.et));
  int64_t od[IR_MAX_RANK];
  int orank = cg_dims(vc, od);
  int ra = va->type.shape.rank, rb = vb->type.shape.rank;
  if (ra < 1 || rb < 1)
    return CG_UNSUPPORTED(k, "MatMul with a scalar operand");
  p->nb = orank - (ra > 1) - (rb > 1);
  if (p->nb < 0)
    return cg_error(k, OVCC_ERR_INTERNAL, "MatMul output rank %d too small", orank);
  mm_side_setup(&p->a, va, ir_op_attr_bool(op, "transpose_a", false), true, p->nb);
  mm_side_setup(&p->b, vb, ir_op_attr_bool(op, "transpose_b", false), false, p->nb);
  p->M = p->a.trans ? p->a.cols : p->a.rows;
  p->K = p->a.trans ? p->a.rows : p->a.cols;
  p->N = p->b.trans ? p->b.rows : p->b.cols;
  int64_t kb = p->b.trans ? p->b.cols : p->b.rows;
  if (kb != p->K)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "MatMul reduction sizes differ: %lld vs %lld",
                    (long long)p->K, (long long)kb);
  p->batch = 1;
  for (int i = 0; i < p->nb; i++) {
    p->bdims[i] = od[i];
    p->batch *= od[i];
  }
  p->tile = cg_gemm_pick_tile(k->m->target, p->M, p->N);
  p->NR = (int64_t)p->tile.nv * p->tile.w;
  p->NP = (p->N + p->NR - 1) / p->NR;
  p->MB = (p->M + p->tile.mr - 1) / p->tile.mr;
  /* Enough items for the threads to share even at batch 1 with one panel. */
  int64_t others = p->batch * p->NP, want = 16;
  int64_t mc = others >= want ? 1 : (want + others - 1) / others;
  if (mc > p->MB)
    mc = p->MB;
  if (mc < 1)
    mc = 1;
  p->CHB = (p->MB + mc - 1) / mc;
  p->MC = p->MB ? (p->MB + p->CHB - 1) / p->CHB : 1;
  p->packed = UINT32_MAX;
  return OVCC_OK;
}

/* Packs a constant B (every batch matrix) into panels; sets p->packed. */
static ovcc_status mm_pack_b(cg_kernel *k, const ir_op *op, mm_plan *p) {
  const ir_tensor *t = ir_value_known(ir_op_operand(op, 1));
  if (!t || !t->data)
    return OVCC_OK;
  cg_pack_src src = {
      .et = t->et, .data = t->data, .K1 = p->K, .K2 = 1, .s2 = 0, .N = p->N,
      .s1 = p->b.trans ? 1 : p->b.cols, .sn = p->b.trans ? p->b.cols : 1,
  };
  uint64_t per = cg_pack_panels_size(&src, (int)p->NR);
  float *buf = cg_pack_alloc(per * (uint64_t)p->b.nmat);
  if (!buf)
    return cg_error(k, OVCC_ERR_NOMEM, "out of memory packing MatMul weights");
  for (int64_t m = 0; m < p->b.nmat; m++) {
    src.base = (uint64_t)(m * p->b.rows * p->b.cols);
    cg_pack_panels(&src, (int)p->NR, buf + per * (uint64_t)m);
  }
  p->packed = cg_kernel_add_const(k, buf, per * (uint64_t)p->b.nmat * sizeof(float));
  return p->packed == UINT32_MAX ? k->d->status : OVCC_OK;
}

/* Runtime values one work item needs. */
typedef struct mm_item {
  LLVMValueRef a, b, c, packed;   /* buffers */
  LLVMValueRef a_off, b_off, c_off; /* element offsets of the batch matrices */
  LLVMValueRef panel;             /* column panel index */
} mm_item;

/* Emits one register block: rows m0 .. m0 + mr, the item's panel with
 * n_valid columns. */
static void mm_block(cg_kernel *k, const mm_plan *p, const mm_item *it, LLVMValueRef m0, int mr,
                     unsigned n_valid, const cg_gemm_epilogue *epi) {
  cg_gemm_acc acc;
  cg_gemm_acc_init(k, &acc, p->tile, mr);
  cg_gemm_acc_zero(k, &acc);
  unsigned w = p->tile.w;
  LLVMValueRef n0 = LLVMBuildMul(k->b, it->panel, cg_i64(k, p->NR), "n0");
  /* A(m, k) = a[a_off + m * am + k * ak] */
  int64_t am = p->a.trans ? 1 : p->K, ak = p->a.trans ? p->M : 1;
  LLVMValueRef arow[CG_GEMM_MAX_MR];
  for (int r = 0; r < mr; r++) {
    LLVMValueRef m = LLVMBuildAdd(k->b, m0, cg_i64(k, r), "");
    arow[r] = LLVMBuildAdd(k->b, it->a_off, LLVMBuildMul(k->b, m, cg_i64(k, am), ""), "");
  }
  LLVMValueRef bpanel = NULL;
  if (it->packed)
    bpanel = LLVMBuildMul(k->b, LLVMBuildAdd(k->b, it->b_off, it->panel, ""),
                          cg_i64(k, p->K * p->NR), "");
  cg_loop kl;
  LLVMValueRef kk = cg_loop_begin(k, &kl, cg_i64(k, 0), cg_i64(k, p->K), 1, "k");
  LLVMValueRef av[CG_GEMM_MAX_MR], bv[CG_GEMM_MAX_NV] = {0};
  LLVMValueRef kak = LLVMBuildMul(k->b, kk, cg_i64(k, ak), "");
  for (int r = 0; r < mr; r++)
    av[r] = cg_gemm_load_scalar(k, p->a_mem, it->a, LLVMBuildAdd(k->b, arow[r], kak, ""));
  for (int j = 0; j < p->tile.nv; j++) {
    int64_t first = (int64_t)j * w;
    if (first >= n_valid)
      break;
    unsigned lanes = n_valid - first >= w ? w : (unsigned)(n_valid - first);
    if (bpanel) {
      LLVMValueRef idx = LLVMBuildAdd(
          k->b, bpanel, LLVMBuildAdd(k->b, LLVMBuildMul(k->b, kk, cg_i64(k, p->NR), ""),
                                     cg_i64(k, first), ""), "");
      bv[j] = cg_gemm_load_vec(k, k->m->t_f32, it->packed, idx, w, w);
    } else if (!p->b.trans) { /* B(k, n) = b[b_off + k * N + n] */
      LLVMValueRef idx = LLVMBuildAdd(k->b, LLVMBuildMul(k->b, kk, cg_i64(k, p->N), ""),
                                      LLVMBuildAdd(k->b, n0, cg_i64(k, first), ""), "");
      bv[j] = cg_gemm_load_vec(k, p->b_mem, it->b, LLVMBuildAdd(k->b, it->b_off, idx, ""), w,
                               lanes);
    } else { /* B(k, n) = b[b_off + n * K + k] */
      LLVMValueRef n = LLVMBuildAdd(k->b, n0, cg_i64(k, first), "");
      LLVMValueRef idx = LLVMBuildAdd(k->b, LLVMBuildMul(k->b, n, cg_i64(k, p->K), ""), kk, "");
      bv[j] = cg_gemm_gather_vec(k, p->b_mem, it->b, LLVMBuildAdd(k->b, it->b_off, idx, ""),
                                 p->K, w, lanes);
    }
  }
  cg_gemm_acc_fma(k, &acc, av, bv);
  cg_loop_end(k, &kl);

  cg_gemm_out out = {.base = it->c, .mem = p->c_mem, .col_stride = 1, .n_valid = n_valid,
                     .row0 = m0, .col0 = n0};
  for (int r = 0; r < mr; r++) {
    LLVMValueRef m = LLVMBuildAdd(k->b, m0, cg_i64(k, r), "");
    out.row_off[r] = LLVMBuildAdd(
        k->b, it->c_off, LLVMBuildAdd(k->b, LLVMBuildMul(k->b, m, cg_i64(k, p->N), ""), n0, ""),
        "");
  }
  cg_gemm_acc_store(k, &acc, &out, epi);
}

/* All row blocks of chunk mc for the item's panel. */
static void mm_rows(cg_kernel *k, const mm_plan *p, const mm_item *it, LLVMValueRef mc,
                    unsigned n_valid, const cg_gemm_epilogue *epi) {
  int64_t mr = p->tile.mr, mfull = p->M / mr * mr, chunk = p->CHB * mr;
  LLVMValueRef lo = LLVMBuildMul(k->b, mc, cg_i64(k, chunk), "");
  LLVMValueRef hi = LLVMBuildAdd(k->b, lo, cg_i64(k, chunk), "");
  LLVMValueRef lim = cg_i64(k, mfull);
  hi = LLVMBuildSelect(k->b, LLVMBuildICmp(k->b, LLVMIntSLT, hi, lim, ""), hi, lim, "");
  cg_loop ml;
  LLVMValueRef m0 = cg_loop_begin(k, &ml, lo, hi, mr, "m");
  mm_block(k, p, it, m0, (int)mr, n_valid, epi);
  cg_loop_end(k, &ml);
  if (p->M % mr) {
    cg_if last;
    cg_if_begin(k, &last, LLVMBuildICmp(k->b, LLVMIntEQ, mc, cg_i64(k, p->MC - 1), ""));
    mm_block(k, p, it, cg_i64(k, mfull), (int)(p->M % mr), n_valid, epi);
    cg_if_end(k, &last);
  }
}

/* Element offset of batch item bt in a side (strides per output batch dim). */
static LLVMValueRef batch_offset(cg_kernel *k, const mm_plan *p, LLVMValueRef bt,
                                 const int64_t *stride) {
  LLVMValueRef off = cg_i64(k, 0), rem = bt;
  for (int i = p->nb - 1; i >= 0; i--) {
    LLVMValueRef d = cg_i64(k, p->bdims[i]);
    LLVMValueRef idx = LLVMBuildURem(k->b, rem, d, "");
    rem = LLVMBuildUDiv(k->b, rem, d, "");
    if (stride[i])
      off = LLVMBuildAdd(k->b, off, LLVMBuildMul(k->b, idx, cg_i64(k, stride[i]), ""), "");
  }
  return off;
}

ovcc_status cg_lower_matmul(cg_kernel *k, const ir_op *op, const cg_gemm_epilogue *epi) {
  mm_plan p;
  ovcc_status st = mm_plan_make(k, op, &p);
  if (st == OVCC_OK)
    st = mm_pack_b(k, op, &p);
  if (st != OVCC_OK)
    return st;
  mm_item it = {.a = cg_operand(k, 0), .b = cg_operand(k, 1), .c = cg_result(k, 0)};
  if (p.packed != UINT32_MAX)
    it.packed = cg_buf(k, p.packed);
  k->work = p.batch * p.MC * p.NP;
  k->cost = (double)p.CHB * p.tile.mr * p.K * p.tile.nv / 2.0 + 1.0;
  if (k->work == 0 || p.K == 0) {
    /* Empty output, or K = 0: zeros. */
    if (p.K == 0 && k->work) {
      k->work = 1;
      uint64_t n = cg_numel(&op->results[0]);
      LLVMValueRef c = cg_result(k, 0);
      cg_loop l;
      LLVMValueRef i = cg_loop_begin(k, &l, cg_i64(k, 0), cg_i64(k, (int64_t)n), 1, "i");
      LLVMBuildStore(k->b, LLVMConstNull(p.c_mem), cg_gep(k, p.c_mem, c, i));
      cg_loop_end(k, &l);
    }
    k->work = k->work ? 1 : 0;
    return OVCC_OK;
  }

  cg_loop il;
  LLVMValueRef item = cg_loop_begin(k, &il, k->begin, k->end, 1, "item");
  it.panel = LLVMBuildURem(k->b, item, cg_i64(k, p.NP), "panel");
  LLVMValueRef t = LLVMBuildUDiv(k->b, item, cg_i64(k, p.NP), "");
  LLVMValueRef mc = LLVMBuildURem(k->b, t, cg_i64(k, p.MC), "mc");
  LLVMValueRef bt = LLVMBuildUDiv(k->b, t, cg_i64(k, p.MC), "bt");
  it.a_off = batch_offset(k, &p, bt, p.a.bstride);
  it.b_off = batch_offset(k, &p, bt, p.b.bstride);
  if (it.packed) /* in panels units: matrix index * NP */
    it.b_off = LLVMBuildMul(k->b, LLVMBuildUDiv(k->b, it.b_off, cg_i64(k, p.b.rows * p.b.cols), ""),
                            cg_i64(k, p.NP), "");
  it.c_off = LLVMBuildMul(k->b, bt, cg_i64(k, p.M * p.N), "");
  unsigned last_cols = (unsigned)(p.N - (p.NP - 1) * p.NR);
  if (last_cols != p.NR) {
    cg_if lastp;
    cg_if_begin(k, &lastp, LLVMBuildICmp(k->b, LLVMIntEQ, it.panel, cg_i64(k, p.NP - 1), ""));
    mm_rows(k, &p, &it, mc, last_cols, epi);
    cg_if_else(k, &lastp);
    mm_rows(k, &p, &it, mc, (unsigned)p.NR, epi);
    cg_if_end(k, &lastp);
  } else {
    mm_rows(k, &p, &it, mc, (unsigned)p.NR, epi);
  }
  cg_loop_end(k, &il);
  return OVCC_OK;
}

ovcc_status cg_lower_linear(cg_kernel *k, const ir_op *op, bool *handled) {
  *handled = true;
  switch (op->kind) {
  case IR_OP_MATMUL_1:
    return cg_lower_matmul(k, op, NULL);
  case IR_OP_CONVOLUTION_1:
  case IR_OP_GROUPCONVOLUTION_1:
  case IR_OP_CONVOLUTIONBACKPROPDATA_1:
  case IR_OP_GROUPCONVOLUTIONBACKPROPDATA_1:
    return cg_lower_conv(k, op, NULL);
  default:
    *handled = false;
    return OVCC_OK;
  }
}
