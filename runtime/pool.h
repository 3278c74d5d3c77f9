/* The thread pool: persistent workers that run kernel chunks.
 *
 * rt_pool_parallel_for matches cg_parallel_for: [0, work) is split
 * statically into at most `threads` equal chunks (chunk c is
 * [c*work/n, (c+1)*work/n)); the calling thread runs chunks too and returns
 * when all of them are done. Small work (one item, or fewer estimated cycles
 * than RT_POOL_MIN_CYCLES per chunk) runs inline.
 *
 * Sharing: one pool serves every request of a compiled model. Several
 * parallel-fors may be in flight at once (requests inferring in parallel):
 * each is a job in a list, idle workers take chunks from the oldest job that
 * has some left, and each caller keeps taking chunks of its own job, so a
 * job always finishes even when every worker is busy elsewhere. Workers spin
 * briefly before sleeping so back-to-back kernels of one infer do not pay a
 * wake-up each. */
#ifndef OVCC_RUNTIME_POOL_H
#define OVCC_RUNTIME_POOL_H

#include <stdint.h>

#include "codegen/program.h"
#include "ovcc/status.h"

typedef struct rt_pool rt_pool;

/* Below this many estimated cycles per chunk, splitting costs more than it saves. */
#define RT_POOL_MIN_CYCLES 20000.0

/* A pool for `threads` threads in all: threads - 1 workers plus the caller.
 * threads must be >= 1. */
ovcc_status rt_pool_create(int threads, rt_pool **out);
void rt_pool_free(rt_pool *p); /* NULL is a no-op; no parallel-for may be running */
int rt_pool_threads(const rt_pool *p);

/* cg_parallel_for: pool is an rt_pool* or NULL (serial). */
void rt_pool_parallel_for(void *pool, cg_kernel_fn fn, void *const *bufs, int64_t work,
                          double cost);

/* How many chunks a parallel-for of `work` items at `cost` cycles each uses
 * on `threads` threads (exposed for tests). */
int64_t rt_pool_chunks(int threads, int64_t work, double cost);

/* Number of online CPUs (>= 1). */
int rt_cpu_count(void);

#endif
