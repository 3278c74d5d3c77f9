/* Bump arena: every graph object (ops, values, attributes, names, inline
 * constant data) lives in one arena and dies with it. Nothing is freed one by
 * one. Allocation can fail (returns NULL); a test hook can make the N-th
 * allocation fail to exercise OVCC_ERR_NOMEM paths. */
#ifndef OVCC_IR_ARENA_H
#define OVCC_IR_ARENA_H

#include <stddef.h>
#include <stdint.h>

typedef struct ir_arena_chunk ir_arena_chunk;

typedef struct ir_arena {
  ir_arena_chunk *head;
  size_t used_total;   /* bytes handed out */
  size_t limit;        /* 0 = no limit; else fail once used_total would exceed it */
  int64_t fail_after;  /* test hook: <0 off; else allocations left before one fails */
} ir_arena;

void ir_arena_init(ir_arena *a);
void ir_arena_free(ir_arena *a);
/* Zeroed, 16-byte aligned memory, or NULL. */
void *ir_arena_alloc(ir_arena *a, size_t size);
/* Grows (copies) an array owned by the arena; old memory is simply left behind. */
void *ir_arena_grow(ir_arena *a, void *old, size_t old_size, size_t new_size);
char *ir_arena_strdup(ir_arena *a, const char *s);
char *ir_arena_strndup(ir_arena *a, const char *s, size_t n);
void *ir_arena_memdup(ir_arena *a, const void *p, size_t n);

#endif
