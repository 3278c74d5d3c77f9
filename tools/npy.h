/* NumPy .npy files (format 1.0/2.0/3.0, little endian, C order) for the
 * tools: every numeric type numpy has (bool, i8..i64, u8..u64, f16, f32,
 * f64). bf16 has no numpy type: the tools exchange it as f32 (exact).
 * Strings: numpy's fixed-width unicode ('<U<n>', UTF-32, NUL-padded) or
 * bytes ('|S<n>') arrays read as OVCC_STRING tensors (ovcc_string elements
 * over UTF-8 bytes, trailing NULs dropped as numpy does); OVCC_STRING
 * tensors are written as '<U<n>' with n the longest string's code points
 * (their bytes must be UTF-8). */
#ifndef OVCC_TOOLS_NPY_H
#define OVCC_TOOLS_NPY_H

#include <stddef.h>
#include <stdint.h>

#include "ovcc/ovcc.h"

typedef struct npy_array {
  ovcc_element_type type;
  int32_t rank;
  int64_t dims[OVCC_MAX_RANK];
  void *data; /* malloc'ed, 64-byte aligned */
  size_t nbytes;
  char *strings; /* OVCC_STRING: the UTF-8 bytes data's ovcc_string elements point at */
} npy_array;

/* Reads path; on failure writes a message (without the path) to err. */
ovcc_status npy_read(const char *path, npy_array *out, char *err, size_t err_cap);
/* Parses an in-memory .npy file (copies the data). */
ovcc_status npy_parse(const uint8_t *bytes, size_t n, npy_array *out, char *err, size_t err_cap);
ovcc_status npy_write(const char *path, ovcc_element_type t, const int64_t *dims, int32_t rank,
                      const void *data, size_t nbytes, char *err, size_t err_cap);
void npy_free(npy_array *a);

/* The numpy descr of t ("<f4"), or NULL if numpy has none. */
const char *npy_descr(ovcc_element_type t);

#endif
