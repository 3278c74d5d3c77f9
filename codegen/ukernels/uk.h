/* Shared by the freestanding C ukernels: compiled by clang to bitcode with
 * -ffreestanding -nostdlibinc (only clang's own stdint/stdbool headers), no
 * libc but libm's expf, no allocation (scratch lives in bounded stack arrays
 * whose size the lowering checks), no globals, reentrant. Exported entry
 * points are named ovcc_uk_*; everything else is static. */
#ifndef OVCC_CODEGEN_UKERNELS_UK_H
#define OVCC_CODEGEN_UKERNELS_UK_H

#include <stdbool.h>
#include <stdint.h>

#include "uk_abi.h"

#define UK_EXPORT __attribute__((visibility("default")))

float expf(float); /* libm: the same function OpenVINO's reference code calls */

/* std::min / std::max argument order (NaN handling follows theirs). */
static inline float uk_min(float a, float b) { return b < a ? b : a; }
static inline float uk_max(float a, float b) { return a < b ? b : a; }
static inline float uk_clip01(float v) { return uk_max(0.0f, uk_min(1.0f, v)); }

/* Float tensors of f32 or f16 (half converts exactly to float). */
static inline float uk_ldf(const void *p, int64_t i, bool f16) {
  return f16 ? (float)((const _Float16 *)p)[i] : ((const float *)p)[i];
}
static inline void uk_stf(void *p, int64_t i, float v, bool f16) {
  if (f16)
    ((_Float16 *)p)[i] = (_Float16)v;
  else
    ((float *)p)[i] = v;
}

/* An index array of i32 or i64 elements, `stride` elements apart. */
typedef struct uk_index_view {
  void *base;
  int64_t stride;
  bool wide;
} uk_index_view;

static inline int64_t uk_ix_get(uk_index_view v, int64_t i) {
  return v.wide ? ((int64_t *)v.base)[i * v.stride] : ((int32_t *)v.base)[i * v.stride];
}
static inline void uk_ix_set(uk_index_view v, int64_t i, int64_t x) {
  if (v.wide)
    ((int64_t *)v.base)[i * v.stride] = x;
  else
    ((int32_t *)v.base)[i * v.stride] = (int32_t)x;
}

#endif
