/* ovcc-bench: latency and throughput of a model, like OpenVINO's benchmark_app.
 *
 *   ovcc-bench MODEL [--threads N] [--time SECONDS] [--hint latency|throughput]
 *              [--requests N] [-O0..-O3] [--cache-dir DIR] [--json] [--profile]
 *
 * Inputs are generated (seeded). Every request first runs one warm-up infer
 * that is not measured; then requests run for --time seconds: one request
 * synchronously in a loop, several asynchronously (each restarted as soon as
 * it completes). Latency is per infer (start to completion), throughput is
 * completed infers per second of wall time. --json prints one object with
 * compile_ms, latency_median_ms, latency_p90_ms, throughput_fps, threads
 * (and hint, requests, iterations). --profile then runs 20 more infers with
 * per-step timing and prints where the time goes, by op type and by layer.
 * --cache-dir uses the compiled-code cache (docs/cache.md): compile_ms then
 * measures a cold compile or a warm load. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ovcc/ovcc.h"
#include "tools/gen_input.h"

typedef struct bench_args {
  const char *model;
  const char *cache_dir;
  int threads, opt_level, requests; /* requests 0: 1 for latency, threads for throughput */
  double seconds;
  ovcc_hint hint;
  int json, profile;
} bench_args;

typedef struct bench_result {
  double compile_ms, median_ms, p90_ms, fps;
  long iterations;
  int threads, requests;
} bench_result;

static int die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("ovcc-bench: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return 1;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static void usage(FILE *f) {
  fputs("usage: ovcc-bench MODEL.xml [--threads N] [--time SECONDS] [--hint latency|throughput]\n"
        "                  [--requests N] [-O0|-O1|-O2|-O3] [--cache-dir DIR] [--json]\n"
        "                  [--profile]\n",
        f);
}

/* 0 ok, 1 error (printed), -1 help. */
static int parse_args(int argc, char **argv, bench_args *a) {
  memset(a, 0, sizeof *a);
  a->opt_level = 2;
  a->seconds = 5;
  a->hint = OVCC_HINT_LATENCY;
  for (int i = 1; i < argc; i++) {
    const char *s = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
    char *end;
    if (!strcmp(s, "-h") || !strcmp(s, "--help"))
      return -1;
    if (!strcmp(s, "--json")) {
      a->json = 1;
    } else if (!strcmp(s, "--profile")) {
      a->profile = 1;
    } else if (s[0] == '-' && s[1] == 'O' && s[2] >= '0' && s[2] <= '3' && !s[3]) {
      a->opt_level = s[2] - '0';
    } else if (!strcmp(s, "--threads") || !strcmp(s, "--requests")) {
      long v = val ? strtol(val, &end, 10) : -1;
      if (!val || *end || v < 0 || v > 4096)
        return die("%s: expected a count 0..4096", s);
      *(!strcmp(s, "--threads") ? &a->threads : &a->requests) = (int)v;
      i++;
    } else if (!strcmp(s, "--cache-dir")) {
      if (!val)
        return die("--cache-dir: expected a directory");
      a->cache_dir = val;
      i++;
    } else if (!strcmp(s, "--time")) {
      double v = val ? strtod(val, &end) : -1;
      if (!val || *end || !(v > 0 && v < 1e6))
        return die("--time: expected seconds > 0");
      a->seconds = v;
      i++;
    } else if (!strcmp(s, "--hint")) {
      if (val && !strcmp(val, "latency"))
        a->hint = OVCC_HINT_LATENCY;
      else if (val && !strcmp(val, "throughput"))
        a->hint = OVCC_HINT_THROUGHPUT;
      else
        return die("--hint: expected latency or throughput");
      i++;
    } else if (s[0] == '-' && s[1]) {
      return die("unknown option '%s' (see --help)", s);
    } else if (a->model) {
      return die("more than one model given");
    } else {
      a->model = s;
    }
  }
  return a->model ? 0 : die("no model given (see --help)");
}

/* Generated inputs for every input of r (seed 1 + input index). */
static int fill_inputs(ovcc_compiled_model *cm, ovcc_infer_request *r) {
  for (size_t i = 0; i < ovcc_compiled_model_num_inputs(cm); i++) {
    ovcc_port_info p;
    int64_t dims[OVCC_MAX_RANK];
    int32_t rank;
    ovcc_tensor t;
    if (ovcc_compiled_model_input(cm, i, &p) != OVCC_OK || !gen_input_dims(&p.shape, dims, &rank))
      return die("input #%zu: cannot make a shape for it (dynamic rank?)", i);
    if (ovcc_infer_request_input_tensor(r, i, dims, rank, &t) != OVCC_OK)
      return die("input '%s': %s", p.name, ovcc_infer_request_last_error(r));
    uint64_t count = 1;
    for (int32_t k = 0; k < rank; k++)
      count *= (uint64_t)dims[k];
    if (!gen_input_fill(t.type, t.data, count, 1 + i))
      return die("input '%s': cannot generate %s values", p.name,
                 ovcc_element_type_name(t.type));
  }
  return 0;
}

typedef struct latencies {
  double *ms;
  long n, cap;
} latencies;

static int record(latencies *l, double ms) {
  if (l->n == l->cap) {
    long cap = l->cap ? l->cap * 2 : 1024;
    double *grown = realloc(l->ms, (size_t)cap * sizeof *grown);
    if (!grown)
      return die("out of memory");
    l->ms = grown;
    l->cap = cap;
  }
  l->ms[l->n++] = ms;
  return 0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Runs the timed loop; requests have had their warm-up. */
static int measure(ovcc_infer_request **reqs, int n, double seconds, latencies *l,
                   double *wall_ms) {
  double *started = calloc((size_t)n, sizeof *started);
  if (!started)
    return die("out of memory");
  double t0 = now_ms(), deadline = t0 + seconds * 1e3;
  int rc = 0;
  if (n == 1) {
    while (!rc && now_ms() < deadline) {
      double s = now_ms();
      if (ovcc_infer_request_infer(reqs[0]) != OVCC_OK)
        rc = die("infer: %s", ovcc_infer_request_last_error(reqs[0]));
      else
        rc = record(l, now_ms() - s);
    }
  } else {
    for (int i = 0; i < n && !rc; i++) {
      started[i] = now_ms();
      if (ovcc_infer_request_start_async(reqs[i]) != OVCC_OK)
        rc = die("start: %s", ovcc_infer_request_last_error(reqs[i]));
    }
    /* Round robin: requests of one model take about the same time. */
    for (int i = 0; !rc; i = (i + 1) % n) {
      if (ovcc_infer_request_wait(reqs[i]) != OVCC_OK) {
        rc = die("infer: %s", ovcc_infer_request_last_error(reqs[i]));
        break;
      }
      double done = now_ms();
      rc = record(l, done - started[i]);
      if (done >= deadline)
        break;
      started[i] = now_ms();
      if (!rc && ovcc_infer_request_start_async(reqs[i]) != OVCC_OK)
        rc = die("start: %s", ovcc_infer_request_last_error(reqs[i]));
    }
    for (int i = 0; i < n; i++)
      ovcc_infer_request_wait(reqs[i]);
  }
  *wall_ms = now_ms() - t0;
  free(started);
  return rc;
}

static int bench(ovcc_compiled_model *cm, const bench_args *a, bench_result *res) {
  int n = res->requests;
  ovcc_infer_request **reqs = calloc((size_t)n, sizeof *reqs);
  latencies l = {0};
  double wall = 0;
  int rc = reqs ? 0 : die("out of memory");
  for (int i = 0; i < n && !rc; i++) {
    if (ovcc_infer_request_create(cm, &reqs[i]) != OVCC_OK)
      rc = die("cannot create request %d", i);
    else
      rc = fill_inputs(cm, reqs[i]);
    if (!rc && ovcc_infer_request_infer(reqs[i]) != OVCC_OK) /* warm-up, not measured */
      rc = die("warm-up infer: %s", ovcc_infer_request_last_error(reqs[i]));
  }
  if (!rc)
    rc = measure(reqs, n, a->seconds, &l, &wall);
  if (!rc && l.n == 0)
    rc = die("no infer completed");
  if (!rc) {
    qsort(l.ms, (size_t)l.n, sizeof *l.ms, cmp_double);
    res->median_ms = l.n % 2 ? l.ms[l.n / 2] : (l.ms[l.n / 2 - 1] + l.ms[l.n / 2]) / 2;
    long k = (long)(0.9 * (double)(l.n - 1) + 0.999999);
    res->p90_ms = l.ms[k < l.n ? k : l.n - 1];
    res->iterations = l.n;
    res->fps = (double)l.n / (wall / 1e3);
  }
  for (int i = 0; reqs && i < n; i++)
    ovcc_infer_request_free(reqs[i]);
  free(reqs);
  free(l.ms);
  return rc;
}

/* ---- --profile ---- */

enum { PROFILE_RUNS = 20, PROFILE_TOP = 12 };

typedef struct type_time {
  const char *op_type;
  uint64_t ns;
  int steps;
} type_time;

static int by_ns_desc(const void *a, const void *b) {
  uint64_t x = ((const type_time *)a)->ns, y = ((const type_time *)b)->ns;
  return x < y ? 1 : x > y ? -1 : 0;
}

static int by_entry_desc(const void *a, const void *b) {
  uint64_t x = (*(const ovcc_profile_entry *const *)a)->total_ns;
  uint64_t y = (*(const ovcc_profile_entry *const *)b)->total_ns;
  return x < y ? 1 : x > y ? -1 : 0;
}

/* Time per op type (all layers of a type summed) and the slowest layers. */
static void print_profile(const ovcc_profile_entry *e, size_t n) {
  type_time *t = calloc(n + 1, sizeof *t);
  const ovcc_profile_entry **order = calloc(n + 1, sizeof *order);
  if (!t || !order) {
    free(t);
    free(order);
    return;
  }
  size_t nt = 0;
  uint64_t total = 0, runs = n ? e[0].runs : 1;
  for (size_t i = 0; i < n; i++) {
    total += e[i].total_ns;
    order[i] = &e[i];
    size_t k = 0;
    while (k < nt && strcmp(t[k].op_type, e[i].op_type) != 0)
      k++;
    if (k == nt)
      t[nt++] = (type_time){e[i].op_type, 0, 0};
    t[k].ns += e[i].total_ns;
    t[k].steps++;
  }
  qsort(t, nt, sizeof *t, by_ns_desc);
  qsort(order, n, sizeof *order, by_entry_desc);
  double per = runs ? (double)runs : 1;
  printf("\nprofile (%" PRIu64 " infers, %.3f ms of steps per infer):\n", runs,
         (double)total / per / 1e6);
  printf("  %-28s %6s %10s %7s\n", "op type", "steps", "ms/infer", "share");
  for (size_t k = 0; k < nt; k++)
    printf("  %-28s %6d %10.3f %6.1f%%\n", t[k].op_type, t[k].steps, (double)t[k].ns / per / 1e6,
           total ? 100.0 * (double)t[k].ns / (double)total : 0.0);
  printf("  slowest layers:\n");
  for (size_t i = 0; i < n && i < PROFILE_TOP; i++)
    printf("  %-40.40s %-20s %10.3f\n", order[i]->name, order[i]->op_type,
           (double)order[i]->total_ns / per / 1e6);
  free(t);
  free(order);
}

static int profile(ovcc_compiled_model *cm) {
  ovcc_infer_request *r = NULL;
  int rc = ovcc_infer_request_create(cm, &r) == OVCC_OK ? fill_inputs(cm, r)
                                                        : die("cannot create a request");
  if (!rc && ovcc_infer_request_infer(r) != OVCC_OK) /* warm-up, not profiled */
    rc = die("infer: %s", ovcc_infer_request_last_error(r));
  if (!rc && ovcc_infer_request_set_profiling(r, 1) != OVCC_OK)
    rc = die("cannot enable profiling");
  for (int i = 0; i < PROFILE_RUNS && !rc; i++)
    if (ovcc_infer_request_infer(r) != OVCC_OK)
      rc = die("infer: %s", ovcc_infer_request_last_error(r));
  const ovcc_profile_entry *e;
  size_t n;
  if (!rc && ovcc_infer_request_get_profile(r, &e, &n) == OVCC_OK)
    print_profile(e, n);
  ovcc_infer_request_free(r);
  return rc;
}

static void print_result(const bench_args *a, const bench_result *r) {
  const char *hint = a->hint == OVCC_HINT_THROUGHPUT ? "throughput" : "latency";
  if (a->json) {
    printf("{\"compile_ms\": %.3f, \"latency_median_ms\": %.6f, \"latency_p90_ms\": %.6f, "
           "\"throughput_fps\": %.3f, \"threads\": %d, \"hint\": \"%s\", \"requests\": %d, "
           "\"iterations\": %ld}\n",
           r->compile_ms, r->median_ms, r->p90_ms, r->fps, r->threads, hint, r->requests,
           r->iterations);
    return;
  }
  printf("model:          %s\n", a->model);
  printf("compile time:   %.1f ms\n", r->compile_ms);
  printf("threads:        %d\n", r->threads);
  printf("hint:           %s\n", hint);
  printf("requests:       %d\n", r->requests);
  printf("iterations:     %ld\n", r->iterations);
  printf("latency median: %.4f ms\n", r->median_ms);
  printf("latency p90:    %.4f ms\n", r->p90_ms);
  printf("throughput:     %.2f FPS\n", r->fps);
}

int main(int argc, char **argv) {
  bench_args a;
  int rc = parse_args(argc, argv, &a);
  if (rc) {
    if (rc < 0)
      usage(stdout);
    return rc < 0 ? 0 : 1;
  }
  ovcc_context *ctx;
  if (ovcc_context_create(&ctx) != OVCC_OK)
    return die("cannot create a context");
  ovcc_compile_options o;
  ovcc_compile_options_init(&o);
  o.threads = a.threads;
  o.opt_level = a.opt_level;
  o.cache_dir = a.cache_dir;
  o.hint = a.hint;
  bench_result res = {0};
  ovcc_compiled_model *cm = NULL;
  double t0 = now_ms();
  if (ovcc_compile_file(ctx, a.model, &o, &cm) != OVCC_OK) {
    rc = die("%s: %s", a.model, ovcc_context_last_error(ctx));
  } else {
    res.compile_ms = now_ms() - t0;
    res.threads = ovcc_compiled_model_threads(cm);
    res.requests = a.requests ? a.requests : a.hint == OVCC_HINT_THROUGHPUT ? res.threads : 1;
    rc = bench(cm, &a, &res);
  }
  if (!rc)
    print_result(&a, &res);
  if (!rc && a.profile)
    rc = profile(cm);
  ovcc_compiled_model_free(cm);
  ovcc_context_free(ctx);
  return rc;
}
