/* libFuzzer target: the .npy reader the tools use on user files (npy_parse)
 * on arbitrary bytes. A file that parses must be self-consistent: nbytes
 * covers the shape in its element type, and string tensors' descriptors
 * point inside the decoded bytes; then it must write back (npy_write to
 * /dev/null; strings re-encoded from their UTF-8). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tools/npy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "fuzz_npy: %s\n", what);
    abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  npy_array a;
  char err[256];
  if (npy_parse(data, size, &a, err, sizeof err) != OVCC_OK)
    return 0;
  uint64_t numel = 1;
  for (int32_t i = 0; i < a.rank; i++)
    numel *= (uint64_t)a.dims[i];
  if (a.type == OVCC_STRING) {
    check(a.nbytes == numel * sizeof(ovcc_string), "string nbytes");
    const ovcc_string *s = a.data;
    volatile unsigned sum = 0;
    for (uint64_t e = 0; e < numel; e++) /* every byte readable (ASan) */
      for (size_t k = 0; k < s[e].size; k++)
        sum += (unsigned char)s[e].data[k];
  } else {
    check(a.nbytes == numel * ovcc_element_type_size(a.type), "nbytes");
  }
  npy_write("/dev/null", a.type, a.dims, a.rank, a.data, a.nbytes, err, sizeof err);
  npy_free(&a);
  return 0;
}
