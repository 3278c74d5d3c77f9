/* Partial shapes: static dims, dynamic dims (`?`), intervals (`1..10`,
 * `..10`, `2..`) and dynamic rank (`...`). Shapes are small values copied by
 * value; ranks above IR_MAX_RANK are rejected where they are read. */
#ifndef OVCC_IR_SHAPE_H
#define OVCC_IR_SHAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

enum { IR_MAX_RANK = 16 };
/* Largest accepted dimension and element count; beyond is "absurd" input. */
#define IR_MAX_DIM ((int64_t)1 << 40)
#define IR_DIM_INF ((int64_t)-1) /* unbounded upper end */

typedef struct ir_dim {
  int64_t lo; /* lower bound, >= 0 */
  int64_t hi; /* upper bound, IR_DIM_INF if unbounded; lo == hi: static */
} ir_dim;

typedef struct ir_shape {
  int32_t rank; /* -1: dynamic rank */
  ir_dim d[IR_MAX_RANK];
} ir_shape;

static inline ir_dim ir_dim_static(int64_t v) { return (ir_dim){v, v}; }
static inline ir_dim ir_dim_dynamic(void) { return (ir_dim){0, IR_DIM_INF}; }
static inline bool ir_dim_is_static(ir_dim d) { return d.lo == d.hi; }
static inline bool ir_dim_is_dynamic(ir_dim d) { return d.lo != d.hi; }

ir_shape ir_shape_dynamic_rank(void);
ir_shape ir_shape_scalar(void);
/* Static shape from dims; false if rank > IR_MAX_RANK. */
bool ir_shape_from_dims(ir_shape *s, const int64_t *dims, int rank);
/* Rank-r shape of fully dynamic dims. */
ir_shape ir_shape_dynamic_of_rank(int rank);
bool ir_shape_is_static(const ir_shape *s);
/* Element count of a static shape; false on overflow past IR_MAX_DIM^... or dynamic. */
bool ir_shape_numel(const ir_shape *s, uint64_t *out);
bool ir_shape_equal(const ir_shape *a, const ir_shape *b);
/* True if a and b can describe the same tensor (every dim intervals intersect). */
bool ir_shape_compatible(const ir_shape *a, const ir_shape *b);
/* Intersection of two compatible shapes (the more precise one); false if incompatible. */
bool ir_shape_merge(ir_shape *out, const ir_shape *a, const ir_shape *b);
bool ir_dim_merge(ir_dim *out, ir_dim a, ir_dim b);
/* Numpy broadcast of two shapes; false (with message) if they cannot broadcast. */
bool ir_shape_broadcast_numpy(ir_shape *out, const ir_shape *a, const ir_shape *b, ir_diag *d);
/* Dim arithmetic on intervals (saturating at IR_DIM_INF). */
ir_dim ir_dim_add(ir_dim a, ir_dim b);
ir_dim ir_dim_mul(ir_dim a, ir_dim b);

/* Normalizes axis in [-rank, rank) to [0, rank); false (with message) otherwise. */
bool ir_axis_normalize(int64_t axis, int rank, int64_t *out, ir_diag *d);

/* Text form used by the XML `shape` attribute and by the textual IR:
 * "1,3,?,?", "1..10,3", "...", "" (scalar). Brackets are the caller's job.
 * Accepts -1 for `?` and whitespace around items. Fails (with message) on
 * bad syntax, negative or absurd dims, rank > IR_MAX_RANK. */
bool ir_shape_parse(const char *s, size_t n, ir_shape *out, ir_diag *d);
/* Writes the text form into buf (always NUL terminated); returns length needed. */
size_t ir_shape_format(const ir_shape *s, char *buf, size_t cap);
size_t ir_dim_format(ir_dim d, char *buf, size_t cap);

#endif
