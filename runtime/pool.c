/* The thread pool (see pool.h for the contract and the sharing policy). */
#include "runtime/pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

/* How long an idle worker polls for new work before it sleeps. */
enum { RT_POOL_SPIN = 4000 };

#if defined(__x86_64__) || defined(__i386__)
#define RT_CPU_RELAX() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define RT_CPU_RELAX() __asm__ __volatile__("yield")
#else
#define RT_CPU_RELAX() ((void)0)
#endif

/* One parallel-for in flight; it lives on its caller's stack. */
typedef struct rt_job {
  cg_kernel_fn fn;
  void *const *bufs;
  int64_t work, n_chunks;
  int64_t next_chunk;   /* first unclaimed chunk (under the pool mutex) */
  atomic_llong left;    /* chunks not finished yet */
  struct rt_job *next;  /* in the pool's list of jobs with unclaimed chunks */
} rt_job;

struct rt_pool {
  int threads;
  pthread_t *workers;
  int n_workers;
  pthread_mutex_t mu;
  pthread_cond_t work_cv; /* idle workers sleep here */
  pthread_cond_t done_cv; /* callers wait here for their last chunks */
  rt_job *head, *tail;    /* jobs with unclaimed chunks, oldest first */
  atomic_int open_jobs;   /* length of that list, read without the mutex by spinners */
  int sleeping;
  bool stop;
};

int rt_cpu_count(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : (int)n;
}

int64_t rt_pool_chunks(int threads, int64_t work, double cost) {
  int64_t n = work < threads ? work : threads;
  if (cost > 0) {
    double by_cost = (double)work * cost / RT_POOL_MIN_CYCLES;
    if (by_cost < (double)n)
      n = by_cost < 1 ? 1 : (int64_t)by_cost;
  }
  return n < 1 ? 1 : n;
}

static void run_chunk(const rt_job *j, int64_t c) {
  int64_t begin = c * j->work / j->n_chunks;
  int64_t end = (c + 1) * j->work / j->n_chunks;
  j->fn(j->bufs, begin, end);
}

/* Takes the next chunk of `j` (the mutex is held) and unlinks j from the
 * list when that was its last unclaimed one. Workers claim from the head
 * (oldest job); a caller claims from its own job wherever it sits. */
static int64_t claim_chunk(rt_pool *p, rt_job *j) {
  int64_t c = j->next_chunk++;
  if (j->next_chunk == j->n_chunks) {
    rt_job **link = &p->head;
    rt_job *prev = NULL;
    while (*link && *link != j) {
      prev = *link;
      link = &(*link)->next;
    }
    if (*link) {
      *link = j->next;
      if (p->tail == j)
        p->tail = prev;
      atomic_fetch_sub(&p->open_jobs, 1);
    }
  }
  return c;
}

static void finish_chunk(rt_pool *p, rt_job *j) {
  if (atomic_fetch_sub(&j->left, 1) == 1) {
    /* The caller may return as soon as it sees left == 0: touch only the pool now. */
    pthread_mutex_lock(&p->mu);
    pthread_cond_broadcast(&p->done_cv);
    pthread_mutex_unlock(&p->mu);
  }
}

static void spin_for_work(rt_pool *p) {
  for (int i = 0; i < RT_POOL_SPIN; i++) {
    if (atomic_load_explicit(&p->open_jobs, memory_order_relaxed) > 0)
      return;
    RT_CPU_RELAX();
  }
}

static void *worker_main(void *arg) {
  rt_pool *p = arg;
  for (;;) {
    spin_for_work(p);
    pthread_mutex_lock(&p->mu);
    while (!p->stop && !p->head) {
      p->sleeping++;
      pthread_cond_wait(&p->work_cv, &p->mu);
      p->sleeping--;
    }
    if (p->stop) {
      pthread_mutex_unlock(&p->mu);
      return NULL;
    }
    rt_job *j = p->head;
    int64_t c = claim_chunk(p, j);
    pthread_mutex_unlock(&p->mu);
    run_chunk(j, c);
    finish_chunk(p, j);
  }
}

ovcc_status rt_pool_create(int threads, rt_pool **out) {
  if (threads < 1)
    return OVCC_ERR_INVALID_ARG;
  rt_pool *p = calloc(1, sizeof *p);
  if (!p)
    return OVCC_ERR_NOMEM;
  p->threads = threads;
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->work_cv, NULL);
  pthread_cond_init(&p->done_cv, NULL);
  atomic_init(&p->open_jobs, 0);
  if (threads > 1) {
    p->workers = calloc((size_t)threads - 1, sizeof *p->workers);
    if (!p->workers) {
      rt_pool_free(p);
      return OVCC_ERR_NOMEM;
    }
    for (int i = 0; i < threads - 1; i++) {
      if (pthread_create(&p->workers[i], NULL, worker_main, p) != 0) {
        rt_pool_free(p);
        return OVCC_ERR_NOMEM;
      }
      p->n_workers++;
    }
  }
  *out = p;
  return OVCC_OK;
}

void rt_pool_free(rt_pool *p) {
  if (!p)
    return;
  pthread_mutex_lock(&p->mu);
  p->stop = true;
  pthread_cond_broadcast(&p->work_cv);
  pthread_mutex_unlock(&p->mu);
  for (int i = 0; i < p->n_workers; i++)
    pthread_join(p->workers[i], NULL);
  free(p->workers);
  pthread_cond_destroy(&p->work_cv);
  pthread_cond_destroy(&p->done_cv);
  pthread_mutex_destroy(&p->mu);
  free(p);
}

int rt_pool_threads(const rt_pool *p) { return p ? p->threads : 1; }

static void publish_job(rt_pool *p, rt_job *j) {
  pthread_mutex_lock(&p->mu);
  j->next = NULL;
  if (p->tail)
    p->tail->next = j;
  else
    p->head = j;
  p->tail = j;
  atomic_fetch_add(&p->open_jobs, 1);
  if (p->sleeping > 0)
    pthread_cond_broadcast(&p->work_cv);
  pthread_mutex_unlock(&p->mu);
}

static void wait_job(rt_pool *p, rt_job *j) {
  for (int i = 0; i < RT_POOL_SPIN && atomic_load(&j->left) > 0; i++)
    RT_CPU_RELAX();
  if (atomic_load(&j->left) == 0)
    return;
  pthread_mutex_lock(&p->mu);
  while (atomic_load(&j->left) > 0)
    pthread_cond_wait(&p->done_cv, &p->mu);
  pthread_mutex_unlock(&p->mu);
}

void rt_pool_parallel_for(void *pool, cg_kernel_fn fn, void *const *bufs, int64_t work,
                          double cost) {
  rt_pool *p = pool;
  if (work <= 0)
    return;
  int64_t n = p ? rt_pool_chunks(p->threads, work, cost) : 1;
  if (n <= 1) {
    fn(bufs, 0, work);
    return;
  }
  rt_job j = {.fn = fn, .bufs = bufs, .work = work, .n_chunks = n, .next_chunk = 0};
  atomic_init(&j.left, n);
  publish_job(p, &j);
  for (;;) {
    pthread_mutex_lock(&p->mu);
    if (j.next_chunk >= j.n_chunks) {
      pthread_mutex_unlock(&p->mu);
      break;
    }
    int64_t c = claim_chunk(p, &j);
    pthread_mutex_unlock(&p->mu);
    run_chunk(&j, c);
    atomic_fetch_sub(&j.left, 1);
  }
  wait_job(p, &j);
}
