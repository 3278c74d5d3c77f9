/* The .bin weights file: mapped read-only and private (MAP_PRIVATE,
 * PROT_READ), owned by the model (ir_model_free unmaps it). Constants are
 * views into it; every range a model names is checked overflow-safe here. */
#include "frontend.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

ovcc_status fe_weights_map_file(ir_model *m, const char *path, bool optional, ir_diag *d) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    if (e == ENOENT && optional)
      return OVCC_OK; /* no weights */
    return IR_ERR(d, OVCC_ERR_IO, "%s: cannot open weights: %s", path, strerror(e));
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int e = errno;
    close(fd);
    return IR_ERR(d, OVCC_ERR_IO, "%s: cannot stat weights: %s", path, strerror(e));
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return IR_ERR(d, OVCC_ERR_IO, "%s: weights path is not a regular file", path);
  }
  const char *p = ir_arena_strdup(&m->arena, path);
  if (!p) {
    close(fd);
    return IR_NOMEM(d);
  }
  uint64_t size = (uint64_t)st.st_size;
  void *map = NULL;
  if (size > 0) {
    if (size > (uint64_t)SIZE_MAX) {
      close(fd);
      return IR_ERR(d, OVCC_ERR_IO, "%s: weights file too large to map (%" PRIu64 " bytes)", path,
                    size);
    }
    map = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
      int e = errno;
      close(fd);
      return IR_ERR(d, OVCC_ERR_IO, "%s: cannot map weights (%" PRIu64 " bytes): %s", path, size,
                    strerror(e));
    }
  }
  close(fd);
  if (m->weights.map) /* replaced: drop the old mapping */
    munmap(m->weights.map, m->weights.map_size);
  static const uint8_t empty[1] = {0};
  m->weights.data = map ? map : empty; /* non-NULL: "a .bin exists" even when empty */
  m->weights.size = size;
  m->weights.map = map;
  m->weights.map_size = size;
  m->weights.path = p;
  return OVCC_OK;
}

ovcc_status fe_weights_from_memory(ir_model *m, const uint8_t *data, size_t n, ir_diag *d) {
  uint8_t *copy = ir_arena_alloc(&m->arena, n ? n : 1);
  if (!copy)
    return IR_NOMEM(d);
  if (n)
    memcpy(copy, data, n);
  if (m->weights.map)
    munmap(m->weights.map, m->weights.map_size);
  m->weights.data = copy;
  m->weights.size = n;
  m->weights.map = NULL;
  m->weights.map_size = 0;
  m->weights.path = NULL;
  return OVCC_OK;
}

ovcc_status fe_weights_range(const ir_model *m, int64_t offset, int64_t size, const uint8_t **out,
                             ir_diag *d) {
  const ir_weights *w = &m->weights;
  const char *file = w->path ? w->path : "weights";
  if (offset < 0 || size < 0)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "negative weights range (offset %" PRId64
                  ", size %" PRId64 ")", offset, size);
  if (!w->data) {
    if (size == 0) {
      static const uint8_t empty[1] = {0};
      *out = empty;
      return OVCC_OK;
    }
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "offset %" PRId64 ", size %" PRId64 ": no weights (the .bin file is missing)",
                  offset, size);
  }
  uint64_t off = (uint64_t)offset, sz = (uint64_t)size;
  if (off > w->size || sz > w->size - off)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                  "offset %" PRId64 ", size %" PRId64 " is out of range of %s (%" PRIu64
                  " bytes: the .bin is too short)",
                  offset, size, file, w->size);
  *out = w->data + off;
  return OVCC_OK;
}
