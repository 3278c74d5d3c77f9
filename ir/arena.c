#include "arena.h"

#include <stdlib.h>
#include <string.h>

struct ir_arena_chunk {
  ir_arena_chunk *next;
  size_t size, used;
  _Alignas(16) unsigned char data[];
};

enum { ARENA_CHUNK_MIN = 64 * 1024 };

void ir_arena_init(ir_arena *a) {
  a->head = NULL;
  a->used_total = 0;
  a->limit = 0;
  a->fail_after = -1;
}

void ir_arena_free(ir_arena *a) {
  ir_arena_chunk *c = a->head;
  while (c) {
    ir_arena_chunk *n = c->next;
    free(c);
    c = n;
  }
  a->head = NULL;
  a->used_total = 0;
}

void *ir_arena_alloc(ir_arena *a, size_t size) {
  if (a->fail_after >= 0) {
    if (a->fail_after == 0)
      return NULL;
    a->fail_after--;
  }
  if (size == 0)
    size = 1;
  if (size > SIZE_MAX / 2)
    return NULL;
  size = (size + 15) & ~(size_t)15;
  if (a->limit && a->used_total + size > a->limit)
    return NULL;
  ir_arena_chunk *c = a->head;
  if (!c || c->size - c->used < size) {
    size_t csize = size > ARENA_CHUNK_MIN ? size : ARENA_CHUNK_MIN;
    c = malloc(sizeof(*c) + csize);
    if (!c)
      return NULL;
    c->size = csize;
    c->used = 0;
    /* A big one-off block goes behind the head so the head keeps serving small ones. */
    if (a->head && size > ARENA_CHUNK_MIN) {
      c->next = a->head->next;
      a->head->next = c;
    } else {
      c->next = a->head;
      a->head = c;
    }
  }
  void *p = c->data + c->used;
  c->used += size;
  a->used_total += size;
  memset(p, 0, size);
  return p;
}

void *ir_arena_grow(ir_arena *a, void *old, size_t old_size, size_t new_size) {
  void *p = ir_arena_alloc(a, new_size);
  if (p && old && old_size)
    memcpy(p, old, old_size < new_size ? old_size : new_size);
  return p;
}

char *ir_arena_strndup(ir_arena *a, const char *s, size_t n) {
  char *p = ir_arena_alloc(a, n + 1);
  if (p) {
    memcpy(p, s, n);
    p[n] = 0;
  }
  return p;
}

char *ir_arena_strdup(ir_arena *a, const char *s) { return ir_arena_strndup(a, s, strlen(s)); }

void *ir_arena_memdup(ir_arena *a, const void *src, size_t n) {
  void *p = ir_arena_alloc(a, n);
  if (p && n)
    memcpy(p, src, n);
  return p;
}
