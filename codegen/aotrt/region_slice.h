/* One slice of a TensorIterator/Loop sliced port, moved between the outer
 * tensor ([outer][axis_len][inner_bytes]) and the body-side buffer
 * ([outer][part_size][inner_bytes]). Shared by the JIT's region executor
 * (codegen/run.c) and the AOT libraries' runtime (aot_rt.c, freestanding
 * but for string.h), so both slice alike. */
#ifndef OVCC_CODEGEN_AOTRT_REGION_SLICE_H
#define OVCC_CODEGEN_AOTRT_REGION_SLICE_H

#include <stdint.h>
#include <string.h>

static inline void ovcc_region_copy_slice(char *outer, char *body, int64_t pos, int64_t n_outer,
                                          int64_t axis_len, int64_t part_size,
                                          int64_t inner_bytes, int to_body) {
  int64_t run = part_size * inner_bytes;
  for (int64_t o = 0; o < n_outer; o++) {
    char *ob = outer + (o * axis_len + pos) * inner_bytes;
    char *bb = body + o * run;
    if (to_body)
      memcpy(bb, ob, (size_t)run);
    else
      memcpy(ob, bb, (size_t)run);
  }
}

#endif
