/* Asynchronous infer: each request that is ever started asynchronously gets
 * one persistent thread that runs its infers (the kernels inside still use
 * the compiled model's pool). The callback runs on that thread after the
 * request is marked done, so a callback may read the outputs or start the
 * request again; ovcc_infer_request_free waits for a running infer and for
 * the callback to return. */
#include "runtime/runtime.h"

#include <stdlib.h>

struct rt_async {
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv; /* start requested, done, or stop */
  bool pending;      /* started, not yet picked up by the thread */
  bool running;      /* started and not finished */
  bool stop;
  ovcc_status result; /* of the last finished async infer */
  ovcc_callback cb;
  void *user;
};

static void *async_main(void *arg) {
  ovcc_infer_request *r = arg;
  rt_async *a = r->async;
  pthread_mutex_lock(&a->mu);
  for (;;) {
    while (!a->pending && !a->stop)
      pthread_cond_wait(&a->cv, &a->mu);
    if (!a->pending)
      break;
    a->pending = false;
    pthread_mutex_unlock(&a->mu);
    ovcc_status st = rt_request_run(r);
    pthread_mutex_lock(&a->mu);
    a->result = st;
    a->running = false;
    ovcc_callback cb = a->cb;
    void *user = a->user;
    pthread_cond_broadcast(&a->cv);
    if (cb) {
      pthread_mutex_unlock(&a->mu);
      cb(user, st);
      pthread_mutex_lock(&a->mu);
    }
  }
  pthread_mutex_unlock(&a->mu);
  return NULL;
}

/* The request's async state and thread, made on first use. */
static ovcc_status ensure_async(ovcc_infer_request *r) {
  if (r->async)
    return OVCC_OK;
  rt_async *a = calloc(1, sizeof *a);
  if (!a)
    return rt_request_error(r, OVCC_ERR_NOMEM, "out of memory");
  pthread_mutex_init(&a->mu, NULL);
  pthread_cond_init(&a->cv, NULL);
  r->async = a;
  if (pthread_create(&a->thread, NULL, async_main, r) != 0) {
    pthread_cond_destroy(&a->cv);
    pthread_mutex_destroy(&a->mu);
    free(a);
    r->async = NULL;
    return rt_request_error(r, OVCC_ERR_NOMEM, "cannot start the request's thread");
  }
  return OVCC_OK;
}

bool rt_async_busy(ovcc_infer_request *r) {
  rt_async *a = r->async;
  if (!a)
    return false;
  pthread_mutex_lock(&a->mu);
  bool busy = a->running;
  pthread_mutex_unlock(&a->mu);
  return busy;
}

ovcc_status rt_async_start(ovcc_infer_request *r) {
  IR_TRY(ensure_async(r));
  rt_async *a = r->async;
  pthread_mutex_lock(&a->mu);
  bool busy = a->running;
  if (!busy) {
    a->running = a->pending = true;
    pthread_cond_broadcast(&a->cv);
  }
  pthread_mutex_unlock(&a->mu);
  if (busy)
    return rt_request_error(r, OVCC_ERR_INVALID_ARG,
                            "ovcc_infer_request_start_async: the request is already running");
  return OVCC_OK;
}

ovcc_status rt_async_wait(ovcc_infer_request *r) {
  rt_async *a = r->async;
  if (!a)
    return OVCC_OK;
  pthread_mutex_lock(&a->mu);
  while (a->running)
    pthread_cond_wait(&a->cv, &a->mu);
  ovcc_status st = a->result;
  pthread_mutex_unlock(&a->mu);
  return st;
}

ovcc_status rt_async_set_callback(ovcc_infer_request *r, ovcc_callback cb, void *user) {
  if (rt_async_busy(r))
    return rt_request_error(r, OVCC_ERR_INVALID_ARG,
                            "ovcc_infer_request_set_callback: the request is running");
  IR_TRY(ensure_async(r));
  pthread_mutex_lock(&r->async->mu);
  r->async->cb = cb;
  r->async->user = user;
  pthread_mutex_unlock(&r->async->mu);
  return OVCC_OK;
}

void rt_async_free(ovcc_infer_request *r) {
  rt_async *a = r->async;
  if (!a)
    return;
  pthread_mutex_lock(&a->mu);
  a->stop = true;
  pthread_cond_broadcast(&a->cv);
  pthread_mutex_unlock(&a->mu);
  pthread_join(a->thread, NULL);
  pthread_cond_destroy(&a->cv);
  pthread_mutex_destroy(&a->mu);
  free(a);
  r->async = NULL;
}

ovcc_status ovcc_infer_request_start_async(ovcc_infer_request *r) {
  return r ? rt_async_start(r) : OVCC_ERR_INVALID_ARG;
}

ovcc_status ovcc_infer_request_wait(ovcc_infer_request *r) {
  return r ? rt_async_wait(r) : OVCC_ERR_INVALID_ARG;
}

ovcc_status ovcc_infer_request_set_callback(ovcc_infer_request *r, ovcc_callback cb, void *user) {
  return r ? rt_async_set_callback(r, cb, user) : OVCC_ERR_INVALID_ARG;
}
