/* Private to the pool family (lower_pool.c, pool.c, reduce.c, norm.c,
 * pool_util.c): element types as computed, vector loads and stores with
 * masked tails, reduction steps, and the slice walker every reduction-shaped
 * op (Reduce*, Softmax, MVN, NormalizeL2, GroupNormalization) is built on.
 *
 * Values are always vectors, <n x T> with n = lanes of the target's widest
 * f32 vector (1 on scalar paths). Floating types compute in f32 (f16/bf16 are
 * widened on load, f64 stays f64); integer and boolean types in i64. */
#ifndef OVCC_CODEGEN_LOWER_POOL_INTERNAL_H
#define OVCC_CODEGEN_LOWER_POOL_INTERNAL_H

#include "cg.h"

/* ---- pool_util.c: types, memory, constants ---- */

typedef struct pl_type {
  ir_etype et;
  LLVMTypeRef mem;  /* element type in memory */
  LLVMTypeRef comp; /* scalar compute type: f32, f64 or i64 */
  bool is_float, is_unsigned;
} pl_type;

/* false for element types this family does not compute in (strings,
 * sub-byte, f8). */
bool pl_type_init(cg_kernel *k, ir_etype et, pl_type *t);
/* f32 lanes of the target's widest vector. */
unsigned pl_lanes(const cg_kernel *k);
LLVMTypeRef pl_vtype(const pl_type *t, unsigned n);
/* <n x comp> with every lane v (floats) or (int64_t)v (integers). */
LLVMValueRef pl_const(cg_kernel *k, const pl_type *t, unsigned n, double v);
LLVMValueRef pl_const_i(cg_kernel *k, const pl_type *t, unsigned n, int64_t v);
/* Constant <n x i1> with the first `valid` lanes set. */
LLVMValueRef pl_tail_mask(cg_kernel *k, unsigned n, unsigned valid);
/* <n x i64>: base + lane * step in lane i. */
LLVMValueRef pl_iota(cg_kernel *k, LLVMValueRef base, unsigned n, int64_t step);
/* Loads n elements of base[idx...] (masked lanes read as 0) widened to the
 * compute type. */
LLVMValueRef pl_load(cg_kernel *k, const pl_type *t, LLVMValueRef base, LLVMValueRef idx,
                     unsigned n, LLVMValueRef mask);
/* Loads n elements at base[idx + i*stride]: contiguous loads for stride 1,
 * otherwise one masked wide load and a shuffle. */
LLVMValueRef pl_load_strided(cg_kernel *k, const pl_type *t, LLVMValueRef base, LLVMValueRef idx,
                             unsigned n, int64_t stride);
/* Stores the compute vector v (n lanes) narrowed to the memory type. */
void pl_store(cg_kernel *k, const pl_type *t, LLVMValueRef base, LLVMValueRef idx, LLVMValueRef v,
              LLVMValueRef mask);
/* A stack slot in the entry block (so mem2reg/SROA promote it). */
LLVMValueRef pl_alloca(cg_kernel *k, LLVMTypeRef ty, const char *name);
LLVMValueRef pl_ld(cg_kernel *k, LLVMTypeRef ty, LLVMValueRef slot);
/* v where mask (NULL: everywhere), else old. */
LLVMValueRef pl_select(cg_kernel *k, LLVMValueRef mask, LLVMValueRef v, LLVMValueRef old);

/* ---- pool_util.c: arithmetic on compute vectors ---- */

LLVMValueRef pl_add(cg_kernel *k, const pl_type *t, LLVMValueRef a, LLVMValueRef b);
LLVMValueRef pl_sub(cg_kernel *k, const pl_type *t, LLVMValueRef a, LLVMValueRef b);
LLVMValueRef pl_mul(cg_kernel *k, const pl_type *t, LLVMValueRef a, LLVMValueRef b);
/* a > b (unsigned compare for unsigned types; floats: ordered). */
LLVMValueRef pl_gt(cg_kernel *k, const pl_type *t, LLVMValueRef a, LLVMValueRef b);
LLVMValueRef pl_max(cg_kernel *k, const pl_type *t, LLVMValueRef a, LLVMValueRef b);
LLVMValueRef pl_min(cg_kernel *k, const pl_type *t, LLVMValueRef a, LLVMValueRef b);
/* Float-only unary intrinsics ("llvm.sqrt", "llvm.exp", "llvm.log", "llvm.fabs"). */
LLVMValueRef pl_fun(cg_kernel *k, const char *intrinsic, LLVMValueRef v);
LLVMValueRef pl_exp(cg_kernel *k, LLVMValueRef v);
LLVMValueRef pl_log(cg_kernel *k, LLVMValueRef v);
LLVMValueRef pl_pow(cg_kernel *k, LLVMValueRef x, LLVMValueRef y);
/* Lane 0 of v broadcast to n lanes. */
LLVMValueRef pl_bcast(cg_kernel *k, LLVMValueRef scalar, unsigned n);

/* Reduction kinds and their steps. */
typedef enum pl_red {
  PL_SUM,
  PL_MEAN,
  PL_MAX,
  PL_MIN,
  PL_PROD,
  PL_L1,
  PL_L2,
  PL_AND,
  PL_OR
} pl_red;

/* Identity of the combine operation. */
LLVMValueRef pl_red_init(cg_kernel *k, const pl_type *t, pl_red r, unsigned n);
/* acc (+) f(x) where f is |x|, x*x or x != 0 for L1, L2, AND/OR. */
LLVMValueRef pl_red_step(cg_kernel *k, const pl_type *t, pl_red r, LLVMValueRef acc,
                         LLVMValueRef x);
/* Horizontal combine of all lanes of v into lane 0 (then broadcast to all). */
LLVMValueRef pl_red_lanes(cg_kernel *k, const pl_type *t, pl_red r, LLVMValueRef v);

/* ---- pool_util.c: op inputs ---- */

/* Reads a constant/known integer axes operand into mask[0..rank) (negative
 * axes normalized); `count` gets the number of axes listed. */
ovcc_status pl_known_axes(cg_kernel *k, uint32_t operand, int rank, bool *mask, int *count);

/* ---- pool_util.c: the slice walker ----
 *
 * The tensor's dims with size 1 dropped and neighbours of the same kind
 * (reduced or kept) merged. Two shapes of work:
 *  - innermost dim reduced: one work item per output element; the walk visits
 *    its elements lanes at a time along the contiguous innermost dim (a masked
 *    visit for the static tail) inside loops over the other reduced dims;
 *  - innermost dim kept: one work item per chunk of `lanes` outputs along the
 *    innermost dim; each lane accumulates its own output, the walk loops over
 *    all reduced dims, and the last chunk of a row is masked.
 * Visits give the element offset of lane 0; the same offsets address an
 * output of the input's shape (Softmax, MVN, NormalizeL2 write through them). */
typedef struct pl_geom {
  int n;
  int64_t dim[IR_MAX_RANK], stride[IR_MAX_RANK];
  bool red[IR_MAX_RANK];
  bool inner_red;
  int64_t red_count, n_out;    /* elements per reduction; outputs */
  int64_t inner;               /* kept case: the innermost dim */
  int64_t chunks, full_chunks; /* kept case: lane chunks per row, unmasked ones */
  int64_t n_items;
  unsigned lanes;
} pl_geom;

void pl_geom_init(pl_geom *g, const int64_t *dims, int rank, const bool *red, unsigned lanes);

typedef struct pl_item {
  LLVMValueRef base; /* element offset of the item's first element */
  LLVMValueRef out;  /* reduced case: output element; kept case: output of lane 0 */
  LLVMValueRef mask; /* kept case, partial chunk: valid lanes; else NULL */
} pl_item;

typedef void (*pl_item_fn)(cg_kernel *k, const pl_geom *g, const pl_item *it, void *ctx);
typedef void (*pl_visit_fn)(cg_kernel *k, LLVMValueRef off, LLVMValueRef mask, void *ctx);

/* Emits the loop over this call's work items [begin, end) and sets k->work;
 * body emits one item (called twice when full and partial chunks differ). */
void pl_for_items(cg_kernel *k, const pl_geom *g, pl_item_fn body, void *ctx);
/* Emits the loops visiting every element of the item's slice. */
void pl_walk(cg_kernel *k, const pl_geom *g, const pl_item *it, pl_visit_fn visit, void *ctx);
/* Visits [off, off + len) lanes at a time, the static tail masked. */
void pl_walk_contig(cg_kernel *k, LLVMValueRef off, int64_t len, unsigned lanes, pl_visit_fn visit,
                    void *ctx);
/* The reduced total of slot (kept case: per lane as is; reduced case:
 * combined across lanes and broadcast). */
LLVMValueRef pl_item_total(cg_kernel *k, const pl_geom *g, const pl_type *t, pl_red r,
                           LLVMValueRef acc);

/* ---- lowerings (one file each) ---- */

ovcc_status pl_lower_reduce(cg_kernel *k, const ir_op *op, pl_red r);
ovcc_status pl_lower_softmax(cg_kernel *k, const ir_op *op, bool log);
ovcc_status pl_lower_mvn(cg_kernel *k, const ir_op *op);
ovcc_status pl_lower_normalize_l2(cg_kernel *k, const ir_op *op);
ovcc_status pl_lower_group_norm(cg_kernel *k, const ir_op *op);
ovcc_status pl_lower_batch_norm(cg_kernel *k, const ir_op *op);
ovcc_status pl_lower_lrn(cg_kernel *k, const ir_op *op);
ovcc_status pl_lower_cumsum(cg_kernel *k, const ir_op *op);
ovcc_status pl_lower_pool(cg_kernel *k, const ir_op *op);
ovcc_status pl_lower_adaptive_pool(cg_kernel *k, const ir_op *op);

#endif
