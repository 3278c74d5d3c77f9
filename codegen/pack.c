/* Compile-time weight prepacking (see pack.h). */
#include "pack.h"

#include <stdlib.h>
#include <string.h>

uint64_t cg_pack_panels_size(const cg_pack_src *src, int nr) {
  uint64_t panels = (uint64_t)(src->N + nr - 1) / (uint64_t)nr;
  return panels * (uint64_t)(src->K1 * src->K2) * (uint64_t)nr;
}

float *cg_pack_alloc(uint64_t n) {
  if (n == 0)
    n = 1;
  if (n > UINT64_MAX / 8)
    return NULL;
  uint64_t bytes = (n * sizeof(float) + 63) & ~(uint64_t)63;
  float *p = aligned_alloc(64, bytes);
  if (p)
    memset(p, 0, bytes);
  return p;
}

/* Element read as f32: f32 directly, everything else through the exact
 * converters (f16/bf16 weights are widened here once, not per inference). */
static float elem(const cg_pack_src *s, uint64_t i) {
  if (s->et == IR_ET_F32)
    return ((const float *)s->data)[i];
  return (float)ir_elem_get_f64(s->et, s->data, i);
}

void cg_pack_panels(const cg_pack_src *src, int nr, float *dst) {
  int64_t K = src->K1 * src->K2;
  int64_t panels = (src->N + nr - 1) / nr;
  for (int64_t p = 0; p < panels; p++)
    for (int64_t k1 = 0; k1 < src->K1; k1++)
      for (int64_t k2 = 0; k2 < src->K2; k2++) {
        float *row = dst + ((uint64_t)p * (uint64_t)K + (uint64_t)(k1 * src->K2 + k2)) * (uint64_t)nr;
        uint64_t kof = src->base + (uint64_t)(k1 * src->s1 + k2 * src->s2);
        for (int l = 0; l < nr; l++) {
          int64_t n = p * nr + l;
          row[l] = n < src->N ? elem(src, kof + (uint64_t)(n * src->sn)) : 0.0f;
        }
      }
}
