/* Slice plans shared by the shape functions and evaluators of StridedSlice-1
 * and Slice-8. Semantics follow OpenVINO's slice_plan.cpp / slice shape
 * inference (not the spec prose): negative begin/end count from the end and are
 * clamped (begin to [0, d] or [0, d-1] when reversing, end to [0, d] or
 * [-1, d]); a masked begin/end takes the full range in the step's direction;
 * begin == end gives an empty dim; a shrunk axis uses begin only, which must be
 * in range. Both ops share these rules (Slice's start below -d with a negative
 * step still selects element 0, unlike Python). */
#ifndef OVCC_IR_SLICE_PLAN_H
#define OVCC_IR_SLICE_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "graph.h"

/* One input axis: the raw begin/end/stride, or a full-range identity. */
typedef struct ir_slice_axis {
  int64_t begin, end, stride; /* stride != 0 when known */
  bool begin_masked, end_masked;
  bool known;  /* begin/end/stride values known (masked ones need no value) */
  bool shrink; /* the axis is removed from the output (begin selects one
                  element) */
} ir_slice_axis;

/* A desugared slice: per input axis a step, then the output axes as input
 * axes (shrunk axes left out) with new size-1 axes in between. */
typedef struct ir_slice_spec {
  int in_rank;                   /* -1: unknown input rank */
  int out_rank;                  /* -1: unknown */
  ir_slice_axis ax[IR_MAX_RANK]; /* per input axis */
  int8_t out_src[IR_MAX_RANK];   /* per output axis: input axis, or -1 for a new
                                    axis */
} ir_slice_spec;

/* Builds the spec of a StridedSlice op for data of rank in_rank (-1 unknown).
 * n is the number of slicing entries (length of begin); begin/end/stride
 * point at n values, or are NULL when unknown (stride NULL and
 * stride_absent: all 1). */
ovcc_status ir_slice_spec_strided(ir_slice_spec *s, const ir_op *op, int in_rank, int n,
                                  const int64_t *begin, const int64_t *end, const int64_t *stride,
                                  bool stride_absent, ir_diag *d);
/* Builds the spec of a Slice-8 op: n entries of start/stop/step for the axes
 * listed in axes (NULL: 0..n-1); values NULL when unknown. in_rank must be
 * known. */
ovcc_status ir_slice_spec_slice(ir_slice_spec *s, int in_rank, int n, const int64_t *start,
                                const int64_t *stop, const int64_t *step, const int64_t *axes,
                                ir_diag *d);
/* Static resolution of one axis over a dim of size dim: first index and count
 * (step = a->stride). Fails for a shrunk axis whose begin is out of range. */
bool ir_slice_axis_resolve(const ir_slice_axis *a, int64_t dim, int64_t *start, int64_t *count,
                           ir_diag *d);
/* Output dim of one (non-shrunk) axis for an input dim interval. */
ir_dim ir_slice_axis_dim(const ir_slice_axis *a, ir_dim in);
/* Output shape of a spec on input shape in (rank must match when known). */
ovcc_status ir_slice_spec_shape(const ir_slice_spec *s, const ir_shape *in, ir_shape *out,
                                ir_diag *d);

#endif
