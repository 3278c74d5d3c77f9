/* Compile-time weight prepacking for the GEMM microkernels: a constant
 * B[K, N] (any float element type, any strides) becomes f32 panels of `nr`
 * columns, panel-major then K then the nr lanes, zero-padded past N, so the
 * microkernel reads each reduction step's nr weights with plain vector loads. */
#ifndef OVCC_CODEGEN_PACK_H
#define OVCC_CODEGEN_PACK_H

#include <stdint.h>

#include "ir/ir.h"

/* Where B's elements are: element (k, n) with k = k1 * K2 + k2 is at
 * base + k1 * s1 + k2 * s2 + n * sn of `data` (element type et). Two K levels
 * describe both MatMul rows (K2 = 1) and convolution weights (input channel,
 * kernel tap). */
typedef struct cg_pack_src {
  ir_etype et;
  const void *data;
  uint64_t base;
  int64_t K1, s1, K2, s2; /* K = K1 * K2 */
  int64_t N, sn;
} cg_pack_src;

/* Panels of src: ceil(N / nr) * K * nr floats written at dst. */
void cg_pack_panels(const cg_pack_src *src, int nr, float *dst);
/* Floats cg_pack_panels writes for src. */
uint64_t cg_pack_panels_size(const cg_pack_src *src, int nr);
/* 64-byte aligned zeroed allocation of n floats (free() releases it); NULL
 * on overflow or NOMEM. */
float *cg_pack_alloc(uint64_t n);

#endif
