/* The parametric f32 GEMM microkernel generator shared by MatMul and the
 * convolutions.
 *
 * A microkernel is a register block of mr rows x nv vectors of `w` f32 lanes
 * (w = target vec_bytes / 4): acc[r][j] += splat(a[r]) * b[j] for every step
 * of a reduction the caller drives (flat K loop for MatMul, a nest over input
 * channels and kernel taps for convolution). The caller supplies the mr
 * broadcast scalars (rows: output rows or output pixels) and the nv vectors
 * (columns: output columns or output channels, usually from a weight panel
 * prepacked at compile time), then stores the block through an optional
 * epilogue callback that sees each accumulator vector before it is written
 * (bias, activation, residual sum fusion hook).
 *
 * Accumulators live in allocas of <w x float> at the top of the kernel:
 * mem2reg/SROA promote them to registers, so callers may emit any loop nest
 * around cg_gemm_acc_fma without threading phis by hand. */
#ifndef OVCC_CODEGEN_GEMM_H
#define OVCC_CODEGEN_GEMM_H

#include "cg.h"

enum { CG_GEMM_MAX_MR = 16, CG_GEMM_MAX_NV = 4 };

/* Register blocking for one kernel. */
typedef struct cg_gemm_tile {
  int mr;     /* rows (broadcast operand) */
  int nv;     /* vectors per row */
  unsigned w; /* f32 lanes per vector */
} cg_gemm_tile;

/* f32 lanes of the target's widest vector (16 AVX-512, 8 AVX2, 4 SSE/NEON). */
unsigned cg_gemm_lanes(const cg_target *t);
/* A register block for a problem with `rows` rows and `cols` columns: nv
 * covers the columns up to 4 vectors, mr fills the remaining registers
 * (accumulators + nv loads + 1 broadcast within the register file). */
cg_gemm_tile cg_gemm_pick_tile(const cg_target *t, int64_t rows, int64_t cols);

typedef struct cg_gemm_acc {
  cg_gemm_tile tile;
  LLVMTypeRef vt; /* <w x float> */
  LLVMValueRef slot[CG_GEMM_MAX_MR][CG_GEMM_MAX_NV];
} cg_gemm_acc;

/* Allocates the accumulator slots (in the kernel's entry block) for a block
 * of `mr` rows (<= tile.mr, for row tails) and tile.nv vectors. */
void cg_gemm_acc_init(cg_kernel *k, cg_gemm_acc *acc, cg_gemm_tile tile, int mr);
void cg_gemm_acc_zero(cg_kernel *k, cg_gemm_acc *acc);
/* acc[r][j] = fmuladd(splat(a[r]), b[j], acc[r][j]); a: mr f32 scalars,
 * b: nv <w x float> (NULL entries are skipped: columns beyond the block). */
void cg_gemm_acc_fma(cg_kernel *k, cg_gemm_acc *acc, const LLVMValueRef *a, const LLVMValueRef *b);
LLVMValueRef cg_gemm_acc_get(cg_kernel *k, const cg_gemm_acc *acc, int r, int j);

/* Where an accumulator vector goes: the epilogue sees its block position. */
typedef struct cg_gemm_pos {
  int r, j;          /* row and vector inside the block */
  LLVMValueRef row;  /* i64 row index of the output (MatMul row / pixel) */
  LLVMValueRef col;  /* i64 column of lane 0 (MatMul column / output channel) */
  unsigned lanes;    /* valid lanes of this vector (<= w) */
} cg_gemm_pos;

/* Returns the vector to store (same type as acc). */
typedef LLVMValueRef (*cg_gemm_epilogue_fn)(cg_kernel *k, void *ctx, LLVMValueRef acc,
                                            const cg_gemm_pos *pos);
typedef struct cg_gemm_epilogue {
  cg_gemm_epilogue_fn fn; /* NULL: store the accumulators as they are */
  void *ctx;
} cg_gemm_epilogue;

/* Output addressing of a block: element (r, col) lives at
 * base[row_off[r] + col * col_stride] with col relative to the block's first
 * column. col_stride 1 stores vectors (masked on a partial one); otherwise
 * every lane is stored on its own (NCHW output with channels in lanes). */
typedef struct cg_gemm_out {
  LLVMValueRef base;    /* ptr */
  LLVMTypeRef mem;      /* element type in memory (float, half, bfloat) */
  LLVMValueRef row_off[CG_GEMM_MAX_MR]; /* i64 element offsets */
  int64_t col_stride;
  unsigned n_valid;     /* valid columns of the block (<= nv * w) */
  LLVMValueRef row0;    /* i64 index of row 0, for the epilogue */
  LLVMValueRef col0;    /* i64 index of column 0, for the epilogue */
} cg_gemm_out;

void cg_gemm_acc_store(cg_kernel *k, const cg_gemm_acc *acc, const cg_gemm_out *out,
                       const cg_gemm_epilogue *epi);

/* ---- loads converting to f32 ---- */

/* base[idx] as f32 (fpext from half/bfloat). */
LLVMValueRef cg_gemm_load_scalar(cg_kernel *k, LLVMTypeRef mem, LLVMValueRef base,
                                 LLVMValueRef idx);
/* <w x float> from base[idx .. idx + lanes); lanes < w: masked load, zeros
 * in the other lanes. */
LLVMValueRef cg_gemm_load_vec(cg_kernel *k, LLVMTypeRef mem, LLVMValueRef base, LLVMValueRef idx,
                              unsigned w, unsigned lanes);
/* <w x float> gathered from base[idx + lane * stride] for lanes < lanes. */
LLVMValueRef cg_gemm_gather_vec(cg_kernel *k, LLVMTypeRef mem, LLVMValueRef base,
                                LLVMValueRef idx, int64_t stride, unsigned w, unsigned lanes);
/* Masked load / gather with a runtime <w x i1> mask (zeros where unset);
 * gather offsets: <w x i64> element indices from base. */
LLVMValueRef cg_gemm_load_vec_masked(cg_kernel *k, LLVMTypeRef mem, LLVMValueRef base,
                                     LLVMValueRef idx, LLVMValueRef mask, unsigned w);
LLVMValueRef cg_gemm_gather_idx(cg_kernel *k, LLVMTypeRef mem, LLVMValueRef base,
                                LLVMValueRef idx, LLVMValueRef mask, unsigned w);
/* Constant <w x i64> {0, stride, 2*stride, ...}. */
LLVMValueRef cg_gemm_iota(cg_kernel *k, unsigned w, int64_t stride);
/* <w x i1> with the first `lanes` lanes set. */
LLVMValueRef cg_gemm_lane_mask(cg_kernel *k, unsigned w, unsigned lanes);

#endif
