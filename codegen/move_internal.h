/* Private to the movement family (codegen/lower_movement.c, move_*.c).
 *
 * Almost every data-movement op is one or more "views": a walk over a box of
 * coordinates in row-major order where each point copies one element from a
 * source offset to a destination offset, both affine in the coordinates plus
 * optional per-axis tables (compile-time offsets; pads) and runtime index
 * terms (Gather-style indices read from a tensor). move_view.c turns a view
 * into loops: rows (all axes but the last) are the parallel work items, the
 * last axis is copied as a contiguous run, a fill, or an element loop. */
#ifndef OVCC_CODEGEN_MOVE_INTERNAL_H
#define OVCC_CODEGEN_MOVE_INTERNAL_H

#include "cg.h"

enum { MV_MAX_RANK = 2 * IR_MAX_RANK, MV_MAX_TERMS = IR_MAX_RANK };

/* A runtime index term: k = idx[pos_base + sum(c_i * pos_stride_i)], made
 * non-negative by adding dim when negative; a k outside [0, dim) makes the
 * element a fill (never an out-of-bounds read); src offset += k * src_stride. */
typedef struct mv_term {
  uint32_t buf;
  ir_etype et;
  int64_t pos_base;
  int64_t pos_stride[MV_MAX_RANK];
  int64_t dim;
  int64_t src_stride;
} mv_term;

typedef struct mv_view {
  int rank;
  int64_t n[MV_MAX_RANK];
  int64_t src_stride[MV_MAX_RANK], dst_stride[MV_MAX_RANK]; /* elements */
  /* Optional per-axis source offsets (malloc'ed, n[i] entries, elements,
   * negative = fill); replaces src_stride on that axis. Freed by mv_emit. */
  int64_t *table[MV_MAX_RANK];
  int64_t src_base, dst_base;
  uint32_t src_buf, dst_buf;
  mv_term terms[MV_MAX_TERMS];
  int n_terms;
  uint32_t fill_buf; /* buffer whose first element is the fill value; UINT32_MAX: zero */
  unsigned es;       /* element size in bytes: 1, 2, 4 or 8 */
  bool serial;       /* rows are not work items: emit all of them (work = 1 kernels) */
} mv_view;

/* A view with no axes, no tables, no terms, zero fill. */
void mv_view_init(mv_view *v, unsigned es, uint32_t src_buf, uint32_t dst_buf);
/* Appends an axis; returns its index. */
int mv_view_axis(mv_view *v, int64_t n, int64_t src_stride, int64_t dst_stride);
/* Destination strides: dense row-major over the view's axes. */
void mv_view_dense_dst(mv_view *v);

/* Emits the view as work items [first, first + rows) of the kernel and
 * returns rows in *rows (0 for an empty view). Frees the view's tables, also
 * on error. */
ovcc_status mv_emit(cg_kernel *k, mv_view *v, int64_t first, int64_t *rows);
/* Emits one view as the whole kernel (sets k->work). */
ovcc_status mv_emit_kernel(cg_kernel *k, mv_view *v);

/* dst[0..nbytes) = src[0..nbytes) (no overlap) with vector loads/stores. */
void mv_copy_bytes(cg_kernel *k, LLVMValueRef dst, LLVMValueRef src, int64_t nbytes);

/* Element size of et in bytes (1, 2, 4, 8), or 0 with an UNSUPPORTED error
 * for sub-byte, string and wider types. */
unsigned mv_elem_size(cg_kernel *k, ir_etype et);
/* Compile-time integer values of operand i (a Constant or known value):
 * count, or -1 with an UNSUPPORTED error naming `what`. */
int mv_const_ints(cg_kernel *k, uint32_t i, int64_t *out, int max, const char *what);
/* Loads index element `pos` (i64 value) of a buffer of integer type et and
 * widens it to i64 (sign- or zero-extended). */
LLVMValueRef mv_load_index(cg_kernel *k, LLVMValueRef base, ir_etype et, LLVMValueRef pos);
/* Row-major dims and strides of operand/result values. */
int mv_dims(const ir_value *v, int64_t *dims, int64_t *strides);

/* The op families (move_*.c). Each returns OVCC_OK with *handled = false for
 * an op it does not lower. */
ovcc_status mv_lower_shape(cg_kernel *k, const ir_op *op, bool *handled);   /* move_shape.c */
ovcc_status mv_lower_concat(cg_kernel *k, const ir_op *op, bool *handled);  /* move_concat.c */
ovcc_status mv_lower_slice(cg_kernel *k, const ir_op *op, bool *handled);   /* move_slice.c */
ovcc_status mv_lower_misc(cg_kernel *k, const ir_op *op, bool *handled);    /* move_misc.c */
ovcc_status mv_lower_gather(cg_kernel *k, const ir_op *op, bool *handled);  /* move_gather.c */
ovcc_status mv_lower_scatter(cg_kernel *k, const ir_op *op, bool *handled); /* move_scatter.c */
ovcc_status mv_lower_interp(cg_kernel *k, const ir_op *op, bool *handled);  /* move_interp.c */

#endif
