/* runtime/: the public C API (bad arguments, errors as text, tensors, sync
 * and async infer, state reset, concurrent requests, dynamic shapes, models
 * from memory) and the thread pool. Models come from the corpus; a test whose
 * model the code generator cannot compile yet is skipped with its message. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ovcc/ovcc.h"
#include "runtime/pool.h"

#define CORPUS OVCC_CORPUS_DIR
#define ADD_TWO CORPUS "/ovms_add_two_inputs/add.xml"
#define DUMMY CORPUS "/ovms_dummy/dummy.xml"
#define DUMMY_F64 CORPUS "/ovms_dummy_fp64/saved_model.xml"
#define SUMMATOR CORPUS "/ovms_summator/summator.xml"
#define PASS_STRING CORPUS "/ovms_passthrough_string/passthrough.xml"

static void expect_substr(const char *msg, const char *sub) {
  if (!msg || !strstr(msg, sub))
    fail_msg("message '%s' lacks '%s'", msg ? msg : "(null)", sub);
}

/* Compiles path with `threads`, or skips the test when ovcc cannot compile it yet. */
static ovcc_compiled_model *compile_or_skip(ovcc_context *ctx, const char *path, int threads) {
  ovcc_compile_options o;
  ovcc_compile_options_init(&o);
  o.threads = threads;
  ovcc_compiled_model *cm = NULL;
  ovcc_status st = ovcc_compile_file(ctx, path, &o, &cm);
  if (st == OVCC_ERR_UNSUPPORTED) {
    print_message("skipped: %s: %s\n", path, ovcc_context_last_error(ctx));
    ovcc_context_free(ctx);
    skip();
  }
  if (st != OVCC_OK)
    fail_msg("compile %s: %s: %s", path, ovcc_status_str(st), ovcc_context_last_error(ctx));
  return cm;
}

static ovcc_tensor f32_tensor(float *data, int64_t d0, int64_t d1) {
  ovcc_tensor t = {.type = OVCC_F32, .rank = 2, .dims = {d0, d1}, .data = data,
                   .nbytes = (size_t)(d0 * d1) * sizeof(float)};
  return t;
}

/* ---- context, errors, types ---- */

static void test_bad_args(void **state) {
  (void)state;
  assert_int_equal(ovcc_context_create(NULL), OVCC_ERR_INVALID_ARG);
  ovcc_context *ctx;
  assert_int_equal(ovcc_context_create(&ctx), OVCC_OK);
  assert_string_equal(ovcc_context_last_error(ctx), "");
  ovcc_model *m;
  assert_int_equal(ovcc_model_read(NULL, ADD_TWO, NULL, &m), OVCC_ERR_INVALID_ARG);
  assert_int_equal(ovcc_model_read(ctx, NULL, NULL, &m), OVCC_ERR_INVALID_ARG);
  expect_substr(ovcc_context_last_error(ctx), "xml_path");
  assert_int_equal(ovcc_model_read(ctx, "/nonexistent/m.xml", NULL, &m), OVCC_ERR_IO);
  expect_substr(ovcc_context_last_error(ctx), "/nonexistent/m.xml");
  assert_int_equal(ovcc_model_read_memory(ctx, "<net", 4, NULL, 0, &m), OVCC_ERR_INVALID_MODEL);
  assert_true(strlen(ovcc_context_last_error(ctx)) > 0);

  assert_int_equal(ovcc_model_read(ctx, ADD_TWO, NULL, &m), OVCC_OK);
  ovcc_compile_options o;
  ovcc_compiled_model *cm;
  ovcc_compile_options_init(&o);
  o.opt_level = 7;
  assert_int_equal(ovcc_compile(ctx, m, &o, &cm), OVCC_ERR_INVALID_ARG);
  expect_substr(ovcc_context_last_error(ctx), "opt_level");
  ovcc_compile_options_init(&o);
  o.device = "GPU";
  assert_int_equal(ovcc_compile(ctx, m, &o, &cm), OVCC_ERR_UNSUPPORTED);
  expect_substr(ovcc_context_last_error(ctx), "GPU");
  ovcc_compile_options_init(&o);
  o.threads = -2;
  assert_int_equal(ovcc_compile(ctx, m, &o, &cm), OVCC_ERR_INVALID_ARG);
  ovcc_compile_options_init(&o);
  o.inference_precision = OVCC_I8;
  assert_int_equal(ovcc_compile(ctx, m, &o, &cm), OVCC_ERR_INVALID_ARG);
  expect_substr(ovcc_context_last_error(ctx), "i8");
  assert_int_equal(ovcc_compile(ctx, NULL, &o, &cm), OVCC_ERR_INVALID_ARG);
  ovcc_model_free(m);
  /* NULL objects */
  ovcc_model_free(NULL);
  ovcc_compiled_model_free(NULL);
  ovcc_infer_request_free(NULL);
  ovcc_context_free(NULL);
  assert_int_equal(ovcc_infer_request_infer(NULL), OVCC_ERR_INVALID_ARG);
  assert_int_equal(ovcc_infer_request_create(NULL, NULL), OVCC_ERR_INVALID_ARG);
  assert_int_equal(ovcc_compiled_model_num_inputs(NULL), 0);
  ovcc_context_free(ctx);
}

static void *fail_on_thread(void *arg) {
  ovcc_context *ctx = arg;
  ovcc_model *m;
  ovcc_model_read(ctx, "/nonexistent/other.xml", NULL, &m);
  return strstr(ovcc_context_last_error(ctx), "other.xml") ? arg : NULL;
}

static void test_errors_per_thread(void **state) {
  (void)state;
  ovcc_context *ctx;
  assert_int_equal(ovcc_context_create(&ctx), OVCC_OK);
  ovcc_model *m;
  assert_int_equal(ovcc_model_read(ctx, "/nonexistent/mine.xml", NULL, &m), OVCC_ERR_IO);
  pthread_t t;
  void *ok;
  assert_int_equal(pthread_create(&t, NULL, fail_on_thread, ctx), 0);
  pthread_join(t, &ok);
  assert_non_null(ok);
  /* The other thread's failure did not overwrite this thread's message. */
  expect_substr(ovcc_context_last_error(ctx), "mine.xml");
  assert_string_equal(ovcc_status_str(OVCC_ERR_IO), "i/o error");
  assert_string_equal(ovcc_status_str(OVCC_ERR_UNSUPPORTED), "unsupported");
  ovcc_context_free(ctx);
}

static void test_element_types(void **state) {
  (void)state;
  assert_string_equal(ovcc_element_type_name(OVCC_F32), "f32");
  assert_string_equal(ovcc_element_type_name(OVCC_BOOLEAN), "boolean");
  assert_string_equal(ovcc_element_type_name(OVCC_U64), "u64");
  assert_int_equal(ovcc_element_type_size(OVCC_F32), 4);
  assert_int_equal(ovcc_element_type_size(OVCC_F16), 2);
  assert_int_equal(ovcc_element_type_size(OVCC_I64), 8);
  assert_int_equal(ovcc_element_type_size(OVCC_BOOLEAN), 1);
  assert_int_equal(ovcc_element_type_size(OVCC_U4), 0);
  assert_int_equal(ovcc_element_type_size(OVCC_STRING), sizeof(ovcc_string));
  assert_non_null(ovcc_version());
}

/* ---- thread pool ---- */

typedef struct pool_probe {
  atomic_int *hits;
  atomic_int calls;
} pool_probe;

static void probe_kernel(void *const *bufs, int64_t begin, int64_t end) {
  pool_probe *p = bufs[0];
  atomic_fetch_add(&p->calls, 1);
  for (int64_t i = begin; i < end; i++)
    atomic_fetch_add(&p->hits[i], 1);
}

static void check_cover(rt_pool *pool, int64_t work, double cost, int max_calls) {
  pool_probe p = {.hits = calloc((size_t)work + 1, sizeof(atomic_int))};
  void *bufs[1] = {&p};
  rt_pool_parallel_for(pool, probe_kernel, bufs, work, cost);
  for (int64_t i = 0; i < work; i++)
    assert_int_equal(atomic_load(&p.hits[i]), 1);
  assert_true(atomic_load(&p.calls) <= max_calls);
  free(p.hits);
}

static void test_pool_split(void **state) {
  (void)state;
  assert_int_equal(rt_pool_chunks(4, 1000, 0), 4);
  assert_int_equal(rt_pool_chunks(4, 3, 0), 3);
  assert_int_equal(rt_pool_chunks(4, 1000, 1), 1);   /* 1000 cycles in all: inline */
  assert_int_equal(rt_pool_chunks(8, 100, 1000), 5); /* 100k cycles: 5 chunks of 20k */
  assert_int_equal(rt_pool_chunks(1, 1000, 1e6), 1);
  rt_pool *pool;
  assert_int_equal(rt_pool_create(0, &pool), OVCC_ERR_INVALID_ARG);
  assert_int_equal(rt_pool_create(4, &pool), OVCC_OK);
  assert_int_equal(rt_pool_threads(pool), 4);
  check_cover(pool, 1, 0, 1);
  check_cover(pool, 7, 0, 4);
  check_cover(pool, 100003, 0, 4);
  check_cover(pool, 1000, 1, 1);
  check_cover(NULL, 10, 0, 1);
  for (int i = 0; i < 200; i++) /* back to back, as kernels of one infer */
    check_cover(pool, 64, 0, 4);
  rt_pool_free(pool);
  rt_pool_free(NULL);
}

typedef struct pool_caller {
  rt_pool *pool;
  int rounds;
} pool_caller;

static void *pool_caller_main(void *arg) {
  pool_caller *c = arg;
  for (int r = 0; r < c->rounds; r++) {
    int64_t work = 50 + r % 37;
    pool_probe p = {.hits = calloc((size_t)work, sizeof(atomic_int))};
    void *bufs[1] = {&p};
    rt_pool_parallel_for(c->pool, probe_kernel, bufs, work, 0);
    for (int64_t i = 0; i < work; i++)
      if (atomic_load(&p.hits[i]) != 1) {
        free(p.hits);
        return NULL;
      }
    free(p.hits);
  }
  return arg;
}

static void test_pool_concurrent_callers(void **state) {
  (void)state;
  rt_pool *pool;
  assert_int_equal(rt_pool_create(3, &pool), OVCC_OK);
  enum { N = 4 };
  pthread_t t[N];
  pool_caller c = {pool, 300};
  for (int i = 0; i < N; i++)
    assert_int_equal(pthread_create(&t[i], NULL, pool_caller_main, &c), 0);
  for (int i = 0; i < N; i++) {
    void *ok;
    pthread_join(t[i], &ok);
    assert_non_null(ok);
  }
  rt_pool_free(pool);
}

/* ---- models ---- */

static void test_ports(void **state) {
  (void)state;
  ovcc_context *ctx;
  assert_int_equal(ovcc_context_create(&ctx), OVCC_OK);
  ovcc_compiled_model *cm = compile_or_skip(ctx, ADD_TWO, 1);
  assert_int_equal(ovcc_compiled_model_num_inputs(cm), 2);
  assert_int_equal(ovcc_compiled_model_num_outputs(cm), 1);
  assert_int_equal(ovcc_compiled_model_threads(cm), 1);
  ovcc_port_info p;
  assert_int_equal(ovcc_compiled_model_input(cm, 1, &p), OVCC_OK);
  assert_string_equal(p.name, "input2");
  assert_int_equal(p.type, OVCC_F32);
  assert_int_equal(p.shape.rank, 2);
  assert_int_equal(p.shape.dims[0], 1);
  assert_int_equal(p.shape.dims[1], 10);
  assert_int_equal(ovcc_compiled_model_find_input(cm, "input1"), 0);
  assert_int_equal(ovcc_compiled_model_find_input(cm, "nope"), -1);
  assert_int_equal(ovcc_compiled_model_find_input(cm, NULL), -1);
  assert_int_equal(ovcc_compiled_model_output(cm, 0, &p), OVCC_OK);
  assert_int_equal(p.type, OVCC_F32);
  assert_int_equal(ovcc_compiled_model_input(cm, 2, &p), OVCC_ERR_INVALID_ARG);
  expect_substr(ovcc_context_last_error(ctx), "out of range");
  ovcc_compiled_model_free(cm);
  ovcc_context_free(ctx);
}

static void test_tensors_and_infer(void **state) {
  (void)state;
  ovcc_context *ctx;
  assert_int_equal(ovcc_context_create(&ctx), OVCC_OK);
  ovcc_compiled_model *cm = compile_or_skip(ctx, ADD_TWO, 2);
  ovcc_infer_request *r;
  assert_int_equal(ovcc_infer_request_create(cm, &r), OVCC_OK);
  float a[10], b[10], out[10];
  for (int i = 0; i < 10; i++) {
    a[i] = (float)i;
    b[i] = 100.0f * (float)i;
  }
  /* Errors name the input and what was wrong. */
  ovcc_tensor t = f32_tensor(a, 1, 5);
  assert_int_equal(ovcc_infer_request_set_input(r, 0, &t), OVCC_ERR_INVALID_ARG);
  expect_substr(ovcc_infer_request_last_error(r), "input1");
  expect_substr(ovcc_infer_request_last_error(r), "f32[1,5]");
  t = f32_tensor(a, 1, 10);
  t.type = OVCC_I32;
  assert_int_equal(ovcc_infer_request_set_input(r, 0, &t), OVCC_ERR_INVALID_ARG);
  expect_substr(ovcc_infer_request_last_error(r), "i32");
  t = f32_tensor(a, 1, 10);
  t.nbytes = 8;
  assert_int_equal(ovcc_infer_request_set_input(r, 0, &t), OVCC_ERR_INVALID_ARG);
  expect_substr(ovcc_infer_request_last_error(r), "40 bytes");
  assert_int_equal(ovcc_infer_request_set_input(r, 5, &t), OVCC_ERR_INVALID_ARG);
  assert_int_equal(ovcc_infer_request_set_input(r, 0, NULL), OVCC_ERR_INVALID_ARG);
  ovcc_tensor o;
  assert_int_equal(ovcc_infer_request_get_output(r, 0, &o), OVCC_ERR_INVALID_ARG);
  expect_substr(ovcc_infer_request_last_error(r), "no infer");
  /* An input left unset is named at infer. */
  t = f32_tensor(a, 1, 10);
  assert_int_equal(ovcc_infer_request_set_input(r, 0, &t), OVCC_OK);
  assert_int_equal(ovcc_infer_request_infer(r), OVCC_ERR_INVALID_ARG);
  expect_substr(ovcc_infer_request_last_error(r), "input2");
  /* Runtime-owned input 2, runtime-owned output. */
  ovcc_tensor in2;
  assert_int_equal(ovcc_infer_request_input_tensor(r, 1, NULL, 0, &in2), OVCC_OK);
  assert_int_equal(in2.nbytes, 40);
  assert_int_equal((uintptr_t)in2.data % 64, 0);
  memcpy(in2.data, b, sizeof b);
  assert_int_equal(ovcc_infer_request_infer(r), OVCC_OK);
  assert_int_equal(ovcc_infer_request_get_output(r, 0, &o), OVCC_OK);
  assert_int_equal(o.type, OVCC_F32);
  assert_int_equal(o.rank, 2);
  assert_int_equal(o.dims[1], 10);
  for (int i = 0; i < 10; i++)
    assert_float_equal(((float *)o.data)[i], 101.0f * (float)i, 0);
  /* Caller-owned output, and a wrong-shaped one. */
  ovcc_tensor bad = f32_tensor(out, 2, 5);
  assert_int_equal(ovcc_infer_request_set_output(r, 0, &bad), OVCC_ERR_INVALID_ARG);
  ovcc_tensor mine = f32_tensor(out, 1, 10);
  assert_int_equal(ovcc_infer_request_set_output(r, 0, &mine), OVCC_OK);
  a[3] = -5;
  assert_int_equal(ovcc_infer_request_infer(r), OVCC_OK);
  assert_float_equal(out[3], 295.0f, 0);
  assert_int_equal(ovcc_infer_request_get_output(r, 0, &o), OVCC_OK);
  assert_ptr_equal(o.data, out);
  ovcc_infer_request_free(r);
  ovcc_compiled_model_free(cm);
  ovcc_context_free(ctx);
}

typedef struct cb_record {
  atomic_int calls;
  atomic_int last;
} cb_record;

static void on_done(void *user, ovcc_status st) {
  cb_record *c = user;
  atomic_store(&c->last, (int)st);
  atomic_fetch_add(&c->calls, 1);
}

static void test_async(void **state) {
  (void)state;
  ovcc_context *ctx;
  assert_int_equal(ovcc_context_create(&ctx), OVCC_OK);
  ovcc_compiled_model *cm = compile_or_skip(ctx, DUMMY, 2);
  ovcc_infer_request *r;
  assert_int_equal(ovcc_infer_request_create(cm, &r), OVCC_OK);
  cb_record c = {0};
  assert_int_equal(ovcc_infer_request_set_callback(r, on_done, &c), OVCC_OK);
  float x[10];
  for (int i = 0; i < 10; i++)
    x[i] = (float)i;
  ovcc_tensor t = f32_tensor(x, 1, 10);
  assert_int_equal(ovcc_infer_request_set_input(r, 0, &t), OVCC_OK);
  for (int round = 0; round < 20; round++) {
    x[0] = (float)round;
    assert_int_equal(ovcc_infer_request_start_async(r), OVCC_OK);
    assert_int_equal(ovcc_infer_request_wait(r), OVCC_OK);
    ovcc_tensor o;
    assert_int_equal(ovcc_infer_request_get_output(r, 0, &o), OVCC_OK);
    assert_float_equal(((float *)o.data)[0], (float)round + 1, 0);
    assert_float_equal(((float *)o.data)[9], 10, 0);
  }
  /* The callback runs after wait may return: free waits for it. */
  ovcc_infer_request_free(r);
  assert_int_equal(atomic_load(&c.calls), 20);
  assert_int_equal(atomic_load(&c.last), OVCC_OK);

  /* A failing async infer reports through wait, the callback and last_error. */
  assert_int_equal(ovcc_infer_request_create(cm, &r), OVCC_OK);
  cb_record c2 = {0};
  assert_int_equal(ovcc_infer_request_set_callback(r, on_done, &c2), OVCC_OK);
  assert_int_equal(ovcc_infer_request_start_async(r), OVCC_OK);
  assert_int_equal(ovcc_infer_request_wait(r), OVCC_ERR_INVALID_ARG);
  expect_substr(ovcc_infer_request_last_error(r), "not set");
  ovcc_infer_request_free(r);
  assert_int_equal(atomic_load(&c2.last), OVCC_ERR_INVALID_ARG);
  ovcc_compiled_model_free(cm);
  ovcc_context_free(ctx);
}

static void test_reset_state(void **state) {
  (void)state;
  ovcc_context *ctx;
  assert_int_equal(ovcc_context_create(&ctx), OVCC_OK);
  ovcc_compiled_model *cm = compile_or_skip(ctx, SUMMATOR, 1);
  ovcc_infer_request *r1, *r2;
  assert_int_equal(ovcc_infer_request_create(cm, &r1), OVCC_OK);
  assert_int_equal(ovcc_infer_request_create(cm, &r2), OVCC_OK);
  float x = 2, y = 10;
  ovcc_tensor t1 = f32_tensor(&x, 1, 1), t2 = f32_tensor(&y, 1, 1), o;
  assert_int_equal(ovcc_infer_request_set_input(r1, 0, &t1), OVCC_OK);
  assert_int_equal(ovcc_infer_request_set_input(r2, 0, &t2), OVCC_OK);
  /* The state is the running sum (initializer 0); each request has its own. */
  for (int i = 1; i <= 3; i++) {
    assert_int_equal(ovcc_infer_request_infer(r1), OVCC_OK);
    assert_int_equal(ovcc_infer_request_get_output(r1, 0, &o), OVCC_OK);
    assert_float_equal(*(float *)o.data, 2.0f * (float)i, 0);
  }
  assert_int_equal(ovcc_infer_request_infer(r2), OVCC_OK);
  assert_int_equal(ovcc_infer_request_get_output(r2, 0, &o), OVCC_OK);
  assert_float_equal(*(float *)o.data, 10, 0);
  assert_int_equal(ovcc_infer_request_reset_state(r1), OVCC_OK);
  assert_int_equal(ovcc_infer_request_infer(r1), OVCC_OK);
  assert_int_equal(ovcc_infer_request_get_output(r1, 0, &o), OVCC_OK);
  assert_float_equal(*(float *)o.data, 2, 0);
  ovcc_infer_request_free(r1);
  ovcc_infer_request_free(r2);
  ovcc_compiled_model_free(cm);
  ovcc_context_free(ctx);
}

typedef struct worker {
  ovcc_compiled_model *cm;
  int id;
} worker;

static void *concurrent_main(void *arg) {
  worker *w = arg;
  ovcc_infer_request *r;
  if (ovcc_infer_request_create(w->cm, &r) != OVCC_OK)
    return NULL;
  float a[10], b[10];
  ovcc_tensor ta = f32_tensor(a, 1, 10), tb = f32_tensor(b, 1, 10), o;
  void *ok = arg;
  if (ovcc_infer_request_set_input(r, 0, &ta) || ovcc_infer_request_set_input(r, 1, &tb))
    ok = NULL;
  for (int round = 0; round < 200 && ok; round++) {
    for (int i = 0; i < 10; i++) {
      a[i] = (float)(w->id * 1000 + round);
      b[i] = (float)i;
    }
    if (ovcc_infer_request_infer(r) != OVCC_OK || ovcc_infer_request_get_output(r, 0, &o))
      ok = NULL;
    for (int i = 0; ok && i < 10; i++)
      if (((float *)o.data)[i] != (float)(w->id * 1000 + round + i))
        ok = NULL;
  }
  ovcc_infer_request_free(r);
  return ok;
}

static void test_concurrent_requests(void **state) {
  (void)state;
  ovcc_context *ctx;
  assert_int_equal(ovcc_context_create(&ctx), OVCC_OK);
  ovcc_compiled_model *cm = compile_or_skip(ctx, ADD_TWO, 3);
  enum { N = 4 };
  pthread_t t[N];
  worker w[N];
  for (int i = 0; i < N; i++) {
    w[i] = (worker){cm, i};
    assert_int_equal(pthread_create(&t[i], NULL, concurrent_main, &w[i]), 0);
  }
  for (int i = 0; i < N; i++) {
    void *ok;
    pthread_join(t[i], &ok);
    assert_non_null(ok);
  }
  ovcc_compiled_model_free(cm);
  ovcc_context_free(ctx);
}

/* f64[?,10] + 1: one specialization per batch size, compiled at infer. */
static void test_dynamic_shapes(void **state) {
  (void)state;
  ovcc_context *ctx;
  assert_int_equal(ovcc_context_create(&ctx), OVCC_OK);
  ovcc_compiled_model *cm = compile_or_skip(ctx, DUMMY_F64, 1);
  ovcc_port_info p;
  assert_int_equal(ovcc_compiled_model_input(cm, 0, &p), OVCC_OK);
  assert_int_equal(p.shape.dims[0], -1);
  assert_int_equal(p.shape.dims[1], 10);
  ovcc_infer_request *r;
  assert_int_equal(ovcc_infer_request_create(cm, &r), OVCC_OK);
  ovcc_tensor in;
  assert_int_equal(ovcc_infer_request_input_tensor(r, 0, NULL, 0, &in), OVCC_ERR_INVALID_ARG);
  expect_substr(ovcc_infer_request_last_error(r), "dynamic");
  int64_t bad[2] = {2, 11};
  assert_int_equal(ovcc_infer_request_input_tensor(r, 0, bad, 2, &in), OVCC_ERR_INVALID_ARG);
  for (int64_t batch = 1; batch <= 3; batch++) {
    int64_t dims[2] = {batch, 10};
    assert_int_equal(ovcc_infer_request_input_tensor(r, 0, dims, 2, &in), OVCC_OK);
    for (int64_t i = 0; i < batch * 10; i++)
      ((double *)in.data)[i] = (double)i;
    ovcc_status st = ovcc_infer_request_infer(r);
    if (st == OVCC_ERR_UNSUPPORTED) {
      print_message("skipped: %s\n", ovcc_infer_request_last_error(r));
      break;
    }
    assert_int_equal(st, OVCC_OK);
    ovcc_tensor o;
    assert_int_equal(ovcc_infer_request_get_output(r, 0, &o), OVCC_OK);
    assert_int_equal(o.type, OVCC_F64);
    assert_int_equal(o.dims[0], batch);
    for (int64_t i = 0; i < batch * 10; i++)
      assert_float_equal(((double *)o.data)[i], (double)i + 1, 0);
  }
  ovcc_infer_request_free(r);
  ovcc_compiled_model_free(cm);
  ovcc_context_free(ctx);
}

/* String tensors: caller-owned ovcc_string descriptors in, the same
 * descriptors out (the model moves them, the bytes stay the caller's). */
static void test_string_tensors(void **state) {
  (void)state;
  ovcc_context *ctx;
  assert_int_equal(ovcc_context_create(&ctx), OVCC_OK);
  ovcc_compiled_model *cm = compile_or_skip(ctx, PASS_STRING, 1);
  ovcc_port_info p;
  assert_int_equal(ovcc_compiled_model_input(cm, 0, &p), OVCC_OK);
  assert_int_equal(p.type, OVCC_STRING);
  ovcc_infer_request *r;
  assert_int_equal(ovcc_infer_request_create(cm, &r), OVCC_OK);
  const char bytes[] = "hello\0world";
  ovcc_string in[3] = {{bytes, 5}, {bytes + 5, 0}, {bytes, 11}};
  ovcc_tensor t = {.type = OVCC_STRING, .rank = 1, .dims = {3}, .data = in, .nbytes = sizeof in};
  assert_int_equal(ovcc_infer_request_set_input(r, 0, &t), OVCC_OK);
  assert_int_equal(ovcc_infer_request_infer(r), OVCC_OK);
  ovcc_tensor o;
  assert_int_equal(ovcc_infer_request_get_output(r, 0, &o), OVCC_OK);
  assert_int_equal(o.type, OVCC_STRING);
  assert_int_equal(o.dims[0], 3);
  assert_int_equal(o.nbytes, sizeof in);
  const ovcc_string *out = o.data;
  for (int i = 0; i < 3; i++) {
    assert_ptr_equal(out[i].data, in[i].data);
    assert_int_equal(out[i].size, in[i].size);
  }
  t.nbytes = sizeof in - 1; /* short data is refused */
  assert_int_equal(ovcc_infer_request_set_input(r, 0, &t), OVCC_ERR_INVALID_ARG);
  ovcc_infer_request_free(r);
  ovcc_compiled_model_free(cm);
  ovcc_context_free(ctx);
}

static char *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)len + 1);
  assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
  fclose(f);
  *n = (size_t)len;
  return buf;
}

static void test_read_memory(void **state) {
  (void)state;
  ovcc_context *ctx;
  assert_int_equal(ovcc_context_create(&ctx), OVCC_OK);
  size_t xn, bn;
  char *xml = slurp(DUMMY, &xn);
  char *bin = slurp(CORPUS "/ovms_dummy/dummy.bin", &bn);
  ovcc_model *m;
  assert_int_equal(ovcc_model_read_memory(ctx, xml, xn, bin, bn, &m), OVCC_OK);
  free(xml); /* copied by the model */
  free(bin);
  ovcc_compiled_model *cm;
  ovcc_status st = ovcc_compile(ctx, m, NULL, &cm);
  ovcc_model_free(m); /* the compiled model does not need it */
  if (st == OVCC_ERR_UNSUPPORTED) {
    print_message("skipped: %s\n", ovcc_context_last_error(ctx));
    ovcc_context_free(ctx);
    skip();
  }
  assert_int_equal(st, OVCC_OK);
  ovcc_infer_request *r;
  assert_int_equal(ovcc_infer_request_create(cm, &r), OVCC_OK);
  ovcc_tensor in, o;
  assert_int_equal(ovcc_infer_request_input_tensor(r, 0, NULL, 0, &in), OVCC_OK);
  for (int i = 0; i < 10; i++)
    ((float *)in.data)[i] = (float)-i;
  assert_int_equal(ovcc_infer_request_infer(r), OVCC_OK);
  assert_int_equal(ovcc_infer_request_get_output(r, 0, &o), OVCC_OK);
  for (int i = 0; i < 10; i++)
    assert_float_equal(((float *)o.data)[i], 1.0f - (float)i, 0);
  ovcc_infer_request_free(r);
  ovcc_compiled_model_free(cm);
  ovcc_context_free(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bad_args),
      cmocka_unit_test(test_errors_per_thread),
      cmocka_unit_test(test_element_types),
      cmocka_unit_test(test_pool_split),
      cmocka_unit_test(test_pool_concurrent_callers),
      cmocka_unit_test(test_ports),
      cmocka_unit_test(test_tensors_and_infer),
      cmocka_unit_test(test_async),
      cmocka_unit_test(test_reset_state),
      cmocka_unit_test(test_concurrent_requests),
      cmocka_unit_test(test_dynamic_shapes),
      cmocka_unit_test(test_string_tensors),
      cmocka_unit_test(test_read_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
