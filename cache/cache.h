/* The compiled-code cache: a directory of blobs, one per compilation, named
 * by a BLAKE3 key over everything that decides the machine code. A blob
 * holds the object file, the program's metadata and the constants the passes
 * rewrote; constants the passes left alone are re-read from the model's .bin.
 *
 *  - key.c:    the key (model bytes, options, target, versions)
 *  - bytes.c:  a growable writer and a bounds-checked reader (bytes.h)
 *  - encode.c: program + object -> blob bytes
 *  - decode.c: blob bytes -> program (verified, then linked with ORC)
 *  - store.c:  files: atomic writes, verified reads, soft failures
 *  - manage.c: list, verify, prune (least recently used first), clear
 *
 * Nothing here is fatal to a compilation: a missing, broken or foreign blob
 * is a miss (reported once through the warn callback), and a failed write
 * leaves the compiled program usable. Programs with TensorIterator / Loop /
 * If regions are cached too: body programs are serialized recursively. */
#ifndef OVCC_CACHE_CACHE_H
#define OVCC_CACHE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codegen/compile.h"

enum {
  CACHE_KEY_BYTES = 32,
  CACHE_FORMAT_VERSION = 2, /* bump whenever the blob layout changes */
  CACHE_HEADER_BYTES = 128,
};

typedef struct cache_key {
  uint8_t b[CACHE_KEY_BYTES];
} cache_key;

/* What the key is computed from. xml: the model file's bytes (or textual IR);
 * weights: the .bin's bytes (may be empty); options: everything that changes
 * the code (opt level, precision, cpu, cpu_features, input shapes). The
 * target triple, CPU name and features are those cg_target_create gives for
 * the options, and ovcc's, LLVM's and the format's versions are added. */
typedef struct cache_key_input {
  const void *xml;
  size_t xml_size;
  const void *weights;
  size_t weights_size;
  const cg_options *options;
} cache_key_input;

ovcc_status cache_key_compute(const cache_key_input *in, cache_key *out, ir_diag *d);
/* 64 hex digits and a NUL. */
void cache_key_hex(const cache_key *k, char out[2 * CACHE_KEY_BYTES + 1]);

/* Where warnings go (NULL warn: stderr, "ovcc: warning: ..."). */
typedef void (*cache_warn_fn)(void *user, const char *msg);

typedef struct cache_dir {
  const char *path;
  cache_warn_fn warn;
  void *user;
  uint64_t max_bytes; /* > 0: after each store, prune to this size (LRU) */
} cache_dir;

/* The blob file for key k: "<dir>/<hex>.ovccblob" (malloc'ed, NULL: no memory). */
char *cache_blob_path(const cache_dir *c, const cache_key *k);

/* Looks k up. A hit returns true with *out a program linked from the blob;
 * it owns m (the freshly read model whose .bin the unchanged constants point
 * into). A miss, or a blob that fails any check (reported through warn),
 * returns false and leaves m to the caller. */
bool cache_load(const cache_dir *c, const cache_key *k, ir_model *m, cg_program **out);

/* Writes p (compiled from a model whose weights were `w`, with artifact art)
 * under k: temporary file in the same directory, fsync, rename. Failure is
 * soft: it is reported through warn and returned, and p stays usable. */
ovcc_status cache_store(const cache_dir *c, const cache_key *k, const cg_program *p,
                        const cg_artifact *art, const ir_weights *w);

/* ---- managing a directory (manage.c) ---- */

/* One file of the cache: a blob, or a writer's temporary file. */
typedef struct cache_entry {
  char *path;       /* owned */
  const char *name; /* inside path */
  uint64_t size;
  int64_t mtime_ns; /* last written or last used (a hit touches its blob) */
  bool temporary;
} cache_entry;

/* The cache's files in dir, most recently used first. */
ovcc_status cache_list(const char *dir, cache_entry **out, size_t *n, ir_diag *d);
void cache_entries_free(cache_entry *es, size_t n);
/* Header, key (from the file name) and checksum of one blob file. */
ovcc_status cache_verify_file(const char *path, ir_diag *d);
/* Removes the least recently used blobs until the rest fit in max_bytes, and
 * temporary files older than an hour (left by crashed writers). */
ovcc_status cache_prune(const char *dir, uint64_t max_bytes, uint64_t *removed, ir_diag *d);
/* "500M", "2G", "4096" (K, M, G: powers of 1024); false if malformed. */
bool cache_parse_size(const char *s, uint64_t *out);
/* Removes every blob and temporary file. */
ovcc_status cache_clear(const char *dir, uint64_t *removed, ir_diag *d);

/* ---- blob bytes (encode.c / decode.c) ---- */

/* The whole blob (header + payload) for p in malloc'ed *out. */
ovcc_status cache_encode(const cache_key *k, const cg_program *p, const cg_artifact *art,
                         const ir_weights *w, uint8_t **out, size_t *size, ir_diag *d);
/* Checks header and checksum of blob (size bytes, 64-byte aligned; key k
 * expected), then builds the program. On success the program owns blob
 * (free()d with it) and m. On failure d says why and the caller owns both. */
ovcc_status cache_decode(const cache_key *k, uint8_t *blob, size_t size, ir_model *m,
                         cg_program **out, ir_diag *d);
/* Header and checksum only (for `verify`); OVCC_OK if the blob is intact. */
ovcc_status cache_check(const cache_key *k, const uint8_t *blob, size_t size, ir_diag *d);

#endif
