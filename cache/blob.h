/* The blob layout shared by encode.c and decode.c.
 *
 *   header (CACHE_HEADER_BYTES): magic, format version, header size, key,
 *          BLAKE3 of the payload, payload / constants / object / metadata sizes
 *   payload: constants (each 64-byte aligned; the blob is read into a
 *            64-byte aligned buffer and kept as the program's constant
 *            storage) | object file | metadata (the program's tables) */
#ifndef OVCC_CACHE_BLOB_H
#define OVCC_CACHE_BLOB_H

#include <stdint.h>

#include "cache/cache.h"

#define CACHE_MAGIC "OVCCBLOB"

typedef struct cache_header {
  char magic[8];
  uint32_t format_version;
  uint32_t header_bytes;
  uint8_t key[CACHE_KEY_BYTES];
  uint8_t checksum[CACHE_KEY_BYTES];
  uint64_t payload_size;
  uint64_t const_size, obj_size, meta_size;
  uint8_t reserved[CACHE_HEADER_BYTES - 112];
} cache_header;

_Static_assert(sizeof(cache_header) == CACHE_HEADER_BYTES, "blob header size");

/* Where a CONST slot's bytes are. */
enum { CACHE_CONST_NONE = 0, CACHE_CONST_BIN = 1, CACHE_CONST_BLOB = 2 };
/* Last word of the metadata: catches a reader and writer out of step. */
enum { CACHE_META_END = 0x21444e45u };

/* BLAKE3 of n bytes. */
void cache_checksum(const void *p, size_t n, uint8_t out[CACHE_KEY_BYTES]);

#endif
