#include "cache/bytes.h"

#include <stdlib.h>
#include <string.h>

static bool reserve(cache_writer *w, size_t n) {
  if (w->failed)
    return false;
  if (n <= w->cap - w->size)
    return true;
  size_t cap = w->cap ? w->cap : 4096;
  while (cap - w->size < n) {
    if (cap > SIZE_MAX / 2) {
      w->failed = true;
      return false;
    }
    cap *= 2;
  }
  uint8_t *d = realloc(w->data, cap);
  if (!d) {
    w->failed = true;
    return false;
  }
  w->data = d;
  w->cap = cap;
  return true;
}

void cache_put(cache_writer *w, const void *p, size_t n) {
  if (!n || !reserve(w, n))
    return;
  memcpy(w->data + w->size, p, n);
  w->size += n;
}

void cache_put_u32(cache_writer *w, uint32_t v) { cache_put(w, &v, sizeof v); }
void cache_put_u64(cache_writer *w, uint64_t v) { cache_put(w, &v, sizeof v); }

void cache_put_str(cache_writer *w, const char *s) {
  if (!s) {
    cache_put_u32(w, UINT32_MAX);
    return;
  }
  size_t n = strlen(s);
  cache_put_u32(w, (uint32_t)n);
  cache_put(w, s, n + 1); /* with the NUL: the reader hands out pointers */
}

void cache_pad(cache_writer *w, size_t align) {
  static const uint8_t zeros[64] = {0};
  while (!w->failed && w->size % align)
    cache_put(w, zeros,
              align - w->size % align > sizeof zeros ? sizeof zeros : align - w->size % align);
}

const void *cache_get(cache_reader *r, size_t n) {
  if (r->failed || n > r->size - r->pos) {
    r->failed = true;
    return NULL;
  }
  const void *p = r->data + r->pos;
  r->pos += n;
  return p;
}

uint32_t cache_get_u32(cache_reader *r) {
  uint32_t v = 0;
  const void *p = cache_get(r, sizeof v);
  if (p)
    memcpy(&v, p, sizeof v);
  return v;
}

uint64_t cache_get_u64(cache_reader *r) {
  uint64_t v = 0;
  const void *p = cache_get(r, sizeof v);
  if (p)
    memcpy(&v, p, sizeof v);
  return v;
}

const char *cache_get_str(cache_reader *r) {
  uint32_t n = cache_get_u32(r);
  if (n == UINT32_MAX || r->failed)
    return NULL;
  const char *s = cache_get(r, (size_t)n + 1);
  if (s && s[n] != 0) {
    r->failed = true;
    return NULL;
  }
  return s;
}
