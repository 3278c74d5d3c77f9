/* The ovcc C API from start to end (docs/c-api.md walks through it).
 *
 *   example_c_api MODEL.xml [THREADS]
 *
 * Reads and compiles MODEL, prints its inputs and outputs, fills every input
 * with a ramp (0, 1, 2, ... scaled to [0, 1) for floats), runs one
 * synchronous infer and, on a second request, one asynchronous infer with a
 * completion callback, checks that both give the same outputs and prints a
 * summary of each output. Works for models whose inputs are f32 or integer
 * tensors; a dynamic input dim is given the size 1. Exit status 0 on
 * success, 1 on any error (the message names the failing call). */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovcc/ovcc.h"

/* Prints the failing call and its message; returns 1 for main. */
static int fail(const char *call, ovcc_status st, const char *msg) {
  fprintf(stderr, "%s failed (%s): %s\n", call, ovcc_status_str(st), msg);
  return 1;
}

static void print_port(const char *kind, size_t i, const ovcc_port_info *p) {
  printf("%s %zu: '%s' %s[", kind, i, p->name, ovcc_element_type_name(p->type));
  for (int32_t k = 0; k < p->shape.rank; k++) {
    if (p->shape.dims[k] < 0)
      printf("%s?", k ? "," : "");
    else
      printf("%s%" PRId64, k ? "," : "", p->shape.dims[k]);
  }
  printf("]\n");
}

/* A ramp in the input's own element type. */
static int fill_ramp(ovcc_tensor *t) {
  size_t n = ovcc_element_type_size(t->type) ? t->nbytes / ovcc_element_type_size(t->type) : 0;
  for (size_t i = 0; i < n; i++) {
    switch (t->type) {
    case OVCC_F32: ((float *)t->data)[i] = (float)(i % 97) / 97.0f; break;
    case OVCC_F64: ((double *)t->data)[i] = (double)(i % 97) / 97.0; break;
    case OVCC_I32: ((int32_t *)t->data)[i] = (int32_t)(i % 7); break;
    case OVCC_I64: ((int64_t *)t->data)[i] = (int64_t)(i % 7); break;
    case OVCC_U8: case OVCC_I8: case OVCC_BOOLEAN: ((uint8_t *)t->data)[i] = (uint8_t)(i % 2); break;
    default: return 0;
    }
  }
  return 1;
}

/* Creates a request whose inputs are runtime-owned tensors holding the ramp. */
static ovcc_status make_request(ovcc_compiled_model *cm, ovcc_infer_request **out) {
  ovcc_infer_request *r;
  ovcc_status st = ovcc_infer_request_create(cm, &r);
  if (st != OVCC_OK)
    return st;
  for (size_t i = 0; i < ovcc_compiled_model_num_inputs(cm) && st == OVCC_OK; i++) {
    ovcc_port_info p;
    ovcc_compiled_model_input(cm, i, &p);
    int64_t dims[OVCC_MAX_RANK];
    for (int32_t k = 0; k < p.shape.rank; k++)
      dims[k] = p.shape.dims[k] < 0 ? 1 : p.shape.dims[k];
    ovcc_tensor t; /* the request owns t.data; we write the values */
    st = ovcc_infer_request_input_tensor(r, i, dims, p.shape.rank, &t);
    if (st == OVCC_OK && !fill_ramp(&t)) {
      fprintf(stderr, "input '%s': this example cannot fill %s tensors\n", p.name,
              ovcc_element_type_name(t.type));
      st = OVCC_ERR_UNSUPPORTED;
    }
  }
  if (st != OVCC_OK) {
    fprintf(stderr, "%s\n", ovcc_infer_request_last_error(r));
    ovcc_infer_request_free(r);
    return st;
  }
  *out = r;
  return OVCC_OK;
}

static void print_output(size_t i, const ovcc_tensor *t) {
  printf("output %zu: %s[", i, ovcc_element_type_name(t->type));
  for (int32_t k = 0; k < t->rank; k++)
    printf("%s%" PRId64, k ? "," : "", t->dims[k]);
  printf("]");
  if (t->type == OVCC_F32) {
    size_t n = t->nbytes / sizeof(float);
    double sum = 0;
    for (size_t k = 0; k < n; k++)
      sum += ((const float *)t->data)[k];
    printf(" sum %.6g first", sum);
    for (size_t k = 0; k < n && k < 4; k++)
      printf(" %.6g", ((const float *)t->data)[k]);
  }
  printf("\n");
}

/* The async completion callback: runs on the request's thread. */
static void on_done(void *user, ovcc_status st) {
  atomic_int *done = user;
  atomic_store(done, st == OVCC_OK ? 1 : -1);
}

static int run(ovcc_context *ctx, const char *path, int threads) {
  /* 1. Read, 2. compile (the model may be freed right after). */
  ovcc_model *model;
  ovcc_status st = ovcc_model_read(ctx, path, NULL, &model);
  if (st != OVCC_OK)
    return fail("ovcc_model_read", st, ovcc_context_last_error(ctx));
  ovcc_compile_options opts;
  ovcc_compile_options_init(&opts);
  opts.threads = threads;
  opts.opt_level = 2;
  ovcc_compiled_model *cm;
  st = ovcc_compile(ctx, model, &opts, &cm);
  ovcc_model_free(model);
  if (st != OVCC_OK)
    return fail("ovcc_compile", st, ovcc_context_last_error(ctx));
  printf("compiled %s on %d threads\n", path, ovcc_compiled_model_threads(cm));

  /* 3. The signature. */
  for (size_t i = 0; i < ovcc_compiled_model_num_inputs(cm); i++) {
    ovcc_port_info p;
    ovcc_compiled_model_input(cm, i, &p);
    print_port("input", i, &p);
  }
  for (size_t i = 0; i < ovcc_compiled_model_num_outputs(cm); i++) {
    ovcc_port_info p;
    ovcc_compiled_model_output(cm, i, &p);
    print_port("output", i, &p);
  }

  /* 4. A synchronous infer and an asynchronous one on a second request. */
  ovcc_infer_request *sync_req = NULL, *async_req = NULL;
  int rc = 0;
  if ((st = make_request(cm, &sync_req)) != OVCC_OK ||
      (st = make_request(cm, &async_req)) != OVCC_OK)
    rc = fail("make_request", st, "see above");
  if (!rc && (st = ovcc_infer_request_infer(sync_req)) != OVCC_OK)
    rc = fail("ovcc_infer_request_infer", st, ovcc_infer_request_last_error(sync_req));
  atomic_int done = 0;
  if (!rc) {
    ovcc_infer_request_set_callback(async_req, on_done, &done);
    if ((st = ovcc_infer_request_start_async(async_req)) == OVCC_OK)
      st = ovcc_infer_request_wait(async_req);
    if (st != OVCC_OK)
      rc = fail("async infer", st, ovcc_infer_request_last_error(async_req));
  }

  /* 5. Outputs: runtime-owned, valid until the next infer on the request. */
  for (size_t i = 0; !rc && i < ovcc_compiled_model_num_outputs(cm); i++) {
    ovcc_tensor a, b;
    if ((st = ovcc_infer_request_get_output(sync_req, i, &a)) != OVCC_OK ||
        (st = ovcc_infer_request_get_output(async_req, i, &b)) != OVCC_OK) {
      rc = fail("ovcc_infer_request_get_output", st, ovcc_infer_request_last_error(sync_req));
      break;
    }
    print_output(i, &a);
    if (a.nbytes != b.nbytes || memcmp(a.data, b.data, a.nbytes) != 0)
      rc = fail("compare", OVCC_ERR_INTERNAL, "sync and async outputs differ");
  }
  /* free waits for the async thread, so the callback has run by now. */
  ovcc_infer_request_free(async_req);
  ovcc_infer_request_free(sync_req);
  if (!rc && atomic_load(&done) != 1)
    rc = fail("callback", OVCC_ERR_INTERNAL, "the completion callback did not report success");
  ovcc_compiled_model_free(cm);
  if (!rc)
    printf("ok\n");
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s MODEL.xml [THREADS]\n", argv[0]);
    return 1;
  }
  ovcc_context *ctx;
  if (ovcc_context_create(&ctx) != OVCC_OK)
    return 1;
  int rc = run(ctx, argv[1], argc > 2 ? atoi(argv[2]) : 0);
  ovcc_context_free(ctx);
  return rc;
}
