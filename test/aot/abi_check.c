/* The AOT ABI's contract on the corpus model ovms_add_two_inputs (sum =
 * input1 + input2, f32 [1,10]) built with --name=model -H model.h: the
 * signature functions, out-of-range indices, argument errors, a
 * caller-provided parallel-for, and concurrent runs on separate workspaces
 * (ctest aot/cli). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

static int failures;

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                     \
      failures++;                                                                                  \
    }                                                                                              \
  } while (0)

static void check_signature(void) {
  CHECK(model_abi_version() == MODEL_ABI_VERSION);
  CHECK(model_num_inputs() == 2 && model_num_outputs() == 1);
  CHECK(strcmp(model_input_name(0), "input1") == 0 && strcmp(model_input_name(1), "input2") == 0);
  CHECK(strcmp(model_output_name(0), "sum") == 0);
  CHECK(model_input_type(0) == OVCC_AOT_F32 && model_output_type(0) == OVCC_AOT_F32);
  CHECK(model_input_rank(1) == 2 && model_output_rank(0) == 2);
  CHECK(model_input_shape(0)[0] == 1 && model_input_shape(0)[1] == 10);
  CHECK(model_output_nbytes(0) == 40 && MODEL_OUTPUT0_NBYTES == 40);
  /* out of range */
  CHECK(model_input_name(2) == NULL && model_output_name(1) == NULL);
  CHECK(model_input_type(2) == -1 && model_output_rank(5) == -1);
  CHECK(model_input_shape(9) == NULL && model_output_nbytes(1) == 0);
  /* one specialization: the run-time shape check accepts [1,10] only */
  CHECK(model_num_specializations() == 1 && MODEL_NUM_SPECIALIZATIONS == 1);
  CHECK(model_spec_input_shape(0, 1)[1] == 10 && model_spec_output_nbytes(0, 0) == 40);
  CHECK(model_spec_input_shape(1, 0) == NULL && model_spec_output_nbytes(1, 0) == 0);
  const int64_t good[] = {1, 10}, bad[] = {2, 10};
  const int64_t *shapes[] = {good, good}, *wrong[] = {good, bad};
  CHECK(model_select(shapes) == 0 && model_select(wrong) == -1 && model_select(NULL) == -1);
}

typedef struct job {
  float a[10], b[10], sum[10];
  int threads, rc;
} job;

static void *run_job(void *arg) {
  job *j = arg;
  void *ws = aligned_alloc(64, (model_workspace_size() + 63) / 64 * 64 + 64);
  model_reset(ws);
  const void *in[] = {j->a, j->b};
  void *out[] = {j->sum};
  j->rc = 0;
  for (int r = 0; r < 200 && !j->rc; r++)
    j->rc = model_run(in, out, ws, j->threads);
  free(ws);
  return NULL;
}

/* A caller's "pool": every item a chunk of its own, on the calling thread. */
static void one_by_one(void *pool, ovcc_aot_kernel_fn fn, void *const *bufs, int64_t work,
                       double cost) {
  (void)cost;
  (*(int *)pool)++;
  for (int64_t i = 0; i < work; i++)
    fn(bufs, i, i + 1);
}

static void check_run(void) {
  char *ws = aligned_alloc(64, (model_workspace_size() + 63) / 64 * 64 + 64);
  CHECK(model_reset(ws) == OVCC_AOT_OK && model_reset(ws + 8) == OVCC_AOT_ERR_INVALID_ARG);
  CHECK(model_num_states() == 0);
  float a[10], b[10], sum[10];
  for (int i = 0; i < 10; i++) {
    a[i] = (float)i * 0.5f;
    b[i] = 1.0f - (float)i;
  }
  const void *in[] = {a, b};
  const void *in_null[] = {a, NULL};
  void *out[] = {sum};
  CHECK(model_run(in, out, NULL, 1) == OVCC_AOT_ERR_INVALID_ARG);
  CHECK(model_run(in, out, ws + 8, 1) == OVCC_AOT_ERR_INVALID_ARG);
  CHECK(model_run(in_null, out, ws, 1) == OVCC_AOT_ERR_INVALID_ARG);
  CHECK(model_run(NULL, out, ws, 1) == OVCC_AOT_ERR_INVALID_ARG);
  CHECK(model_run(in, out, ws, 1) == OVCC_AOT_OK);
  for (int i = 0; i < 10; i++)
    CHECK(sum[i] == a[i] + b[i]);
  const int64_t dims[] = {1, 10}, dims2[] = {1, 11};
  const int64_t *shapes[] = {dims, dims}, *wrong[] = {dims, dims2};
  memset(sum, 0, sizeof sum);
  CHECK(model_run_dims(wrong, in, out, ws, 1) == OVCC_AOT_ERR_SHAPE);
  CHECK(model_run_spec(1, in, out, ws, 1) == OVCC_AOT_ERR_SHAPE);
  CHECK(sum[3] == 0.0f);
  CHECK(model_run_dims(shapes, in, out, ws, 2) == OVCC_AOT_OK);
  for (int i = 0; i < 10; i++)
    CHECK(sum[i] == a[i] + b[i]);
  float sum2[10];
  void *out2[] = {sum2};
  int calls = 0;
  CHECK(model_run_with_pool(in, out2, ws, one_by_one, &calls) == OVCC_AOT_OK);
  CHECK(calls > 0);
  for (int i = 0; i < 10; i++)
    CHECK(sum2[i] == sum[i]);
  free(ws);

  /* Four callers at once, each with its own workspace and threads. */
  job jobs[4];
  pthread_t tids[4];
  for (int t = 0; t < 4; t++) {
    for (int i = 0; i < 10; i++) {
      jobs[t].a[i] = (float)(t * 10 + i);
      jobs[t].b[i] = 0.25f;
    }
    jobs[t].threads = t + 1;
    CHECK(pthread_create(&tids[t], NULL, run_job, &jobs[t]) == 0);
  }
  for (int t = 0; t < 4; t++) {
    pthread_join(tids[t], NULL);
    CHECK(jobs[t].rc == OVCC_AOT_OK);
    for (int i = 0; i < 10; i++)
      CHECK(jobs[t].sum[i] == (float)(t * 10 + i) + 0.25f);
  }
}

int main(void) {
  check_signature();
  check_run();
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  puts("abi_check: ok");
  return 0;
}
