/* Byte streams for the blob: a growable writer and a bounds-checked reader.
 * Integers are written in the host's byte order (the key includes the
 * target, so a blob is only read by the machine kind that wrote it). */
#ifndef OVCC_CACHE_BYTES_H
#define OVCC_CACHE_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cache_writer {
  uint8_t *data;
  size_t size, cap;
  bool failed; /* out of memory: every later write is a no-op */
} cache_writer;

void cache_put(cache_writer *w, const void *p, size_t n);
void cache_put_u32(cache_writer *w, uint32_t v);
void cache_put_u64(cache_writer *w, uint64_t v);
/* NULL is written as length UINT32_MAX. */
void cache_put_str(cache_writer *w, const char *s);
/* Zero bytes up to a multiple of `align` (a power of two). */
void cache_pad(cache_writer *w, size_t align);

typedef struct cache_reader {
  const uint8_t *data;
  size_t size, pos;
  bool failed; /* read past the end or a bad string: every later read gives 0 */
} cache_reader;

const void *cache_get(cache_reader *r, size_t n);
uint32_t cache_get_u32(cache_reader *r);
uint64_t cache_get_u64(cache_reader *r);
/* Points into the data (NUL-terminated there by the writer), or NULL. */
const char *cache_get_str(cache_reader *r);

#endif
