/* Contexts: the last error of each thread (SQLite's errmsg, per thread so
 * that compiling and querying from several threads at once stays readable),
 * and the element-type helpers of the public API. */
#include "runtime/runtime.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rt_errbuf {
  rt_errbuf *next;
  char msg[IR_DIAG_MSG_MAX];
};

const char *ovcc_version(void) { return OVCC_VERSION; }

ovcc_status ovcc_context_create(ovcc_context **out) {
  if (!out)
    return OVCC_ERR_INVALID_ARG;
  ovcc_context *ctx = calloc(1, sizeof *ctx);
  if (!ctx)
    return OVCC_ERR_NOMEM;
  if (pthread_key_create(&ctx->err_key, NULL) != 0) {
    free(ctx);
    return OVCC_ERR_NOMEM;
  }
  pthread_mutex_init(&ctx->mu, NULL);
  *out = ctx;
  return OVCC_OK;
}

void ovcc_context_free(ovcc_context *ctx) {
  if (!ctx)
    return;
  for (rt_errbuf *b = ctx->bufs, *next; b; b = next) {
    next = b->next;
    free(b);
  }
  pthread_key_delete(ctx->err_key);
  pthread_mutex_destroy(&ctx->mu);
  free(ctx);
}

/* This thread's buffer, made on first use; NULL when out of memory. */
static rt_errbuf *thread_buf(ovcc_context *ctx) {
  rt_errbuf *b = pthread_getspecific(ctx->err_key);
  if (b)
    return b;
  b = calloc(1, sizeof *b);
  if (!b)
    return NULL;
  if (pthread_setspecific(ctx->err_key, b) != 0) {
    free(b);
    return NULL;
  }
  pthread_mutex_lock(&ctx->mu);
  b->next = ctx->bufs;
  ctx->bufs = b;
  pthread_mutex_unlock(&ctx->mu);
  return b;
}

const char *ovcc_context_last_error(const ovcc_context *ctx) {
  if (!ctx)
    return "no context";
  const rt_errbuf *b = pthread_getspecific(ctx->err_key);
  return b ? b->msg : "";
}

static ovcc_status ctx_verror(ovcc_context *ctx, ovcc_status st, const char *fmt, va_list ap) {
  if (!ctx)
    return st;
  rt_errbuf *b = thread_buf(ctx);
  if (b)
    vsnprintf(b->msg, sizeof b->msg, fmt, ap);
  return st;
}

ovcc_status rt_ctx_error(ovcc_context *ctx, ovcc_status st, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ctx_verror(ctx, st, fmt, ap);
  va_end(ap);
  return st;
}

ovcc_status rt_ctx_diag(ovcc_context *ctx, const ir_diag *d) {
  ovcc_status st = d->status != OVCC_OK ? d->status : OVCC_ERR_INTERNAL;
  return rt_ctx_error(ctx, st, "%s", d->msg[0] ? d->msg : ovcc_status_str(st));
}

/* ---- element types ---- */

static const struct {
  ovcc_element_type api;
  ir_etype ir;
} etype_map[] = {
    {OVCC_BOOLEAN, IR_ET_BOOLEAN}, {OVCC_F16, IR_ET_F16}, {OVCC_BF16, IR_ET_BF16},
    {OVCC_F32, IR_ET_F32},         {OVCC_F64, IR_ET_F64}, {OVCC_I4, IR_ET_I4},
    {OVCC_I8, IR_ET_I8},           {OVCC_I16, IR_ET_I16}, {OVCC_I32, IR_ET_I32},
    {OVCC_I64, IR_ET_I64},         {OVCC_U1, IR_ET_U1},   {OVCC_U4, IR_ET_U4},
    {OVCC_U8, IR_ET_U8},           {OVCC_U16, IR_ET_U16}, {OVCC_U32, IR_ET_U32},
    {OVCC_U64, IR_ET_U64},         {OVCC_STRING, IR_ET_STRING},
};
enum { N_ETYPES = sizeof etype_map / sizeof etype_map[0] };

ovcc_element_type rt_etype_to_api(ir_etype t) {
  if (t == IR_ET_DYNAMIC)
    return OVCC_UNDEFINED;
  for (int i = 0; i < N_ETYPES; i++)
    if (etype_map[i].ir == t)
      return etype_map[i].api;
  return OVCC_OTHER;
}

ir_etype rt_etype_from_api(ovcc_element_type t) {
  for (int i = 0; i < N_ETYPES; i++)
    if (etype_map[i].api == t)
      return etype_map[i].ir;
  return IR_ET_DYNAMIC;
}

const char *ovcc_element_type_name(ovcc_element_type t) {
  if (t == OVCC_UNDEFINED)
    return "undefined";
  if (t == OVCC_OTHER)
    return "other";
  ir_etype e = rt_etype_from_api(t);
  return e == IR_ET_DYNAMIC ? "invalid" : ir_etype_name(e);
}

size_t ovcc_element_type_size(ovcc_element_type t) {
  if (t == OVCC_STRING)
    return sizeof(ovcc_string);
  ir_etype e = rt_etype_from_api(t);
  unsigned bits = e == IR_ET_DYNAMIC ? 0 : ir_etype_bits(e);
  return bits % 8 ? 0 : bits / 8;
}

bool rt_tensor_nbytes(ovcc_element_type t, const int64_t *dims, int32_t rank, uint64_t *out) {
  ir_etype e = rt_etype_from_api(t);
  if (e == IR_ET_DYNAMIC || rank < 0 || rank > OVCC_MAX_RANK)
    return false;
  uint64_t n = 1;
  for (int32_t i = 0; i < rank; i++) {
    if (dims[i] < 0 || dims[i] > IR_MAX_DIM)
      return false;
    if (dims[i] && n > UINT64_MAX / (uint64_t)dims[i])
      return false;
    n *= (uint64_t)dims[i];
  }
  if (e == IR_ET_STRING) { /* ovcc_string descriptors */
    if (n > UINT64_MAX / sizeof(ovcc_string))
      return false;
    *out = n * sizeof(ovcc_string);
    return true;
  }
  return ir_etype_nbytes(e, n, out);
}

void rt_shape_to_api(const ir_shape *s, ovcc_partial_shape *out) {
  memset(out, 0, sizeof *out);
  out->rank = s->rank;
  for (int32_t i = 0; i < s->rank && i < OVCC_MAX_RANK; i++) {
    out->dims[i] = ir_dim_is_static(s->d[i]) ? s->d[i].lo : -1;
    out->min[i] = s->d[i].lo;
    out->max[i] = s->d[i].hi;
  }
}

void rt_describe_dims(ovcc_element_type t, const int64_t *dims, int32_t rank, char *buf,
                      size_t cap) {
  size_t n = (size_t)snprintf(buf, cap, "%s[", ovcc_element_type_name(t));
  for (int32_t i = 0; i < rank && n < cap; i++)
    n += (size_t)snprintf(buf + n, cap - n, i ? ",%lld" : "%lld", (long long)dims[i]);
  if (n < cap)
    snprintf(buf + n, cap - n, "]");
}

void *rt_aligned_alloc(uint64_t n) {
  uint64_t size = (n + 63) / 64 * 64;
  if (size < n)
    return NULL;
  return aligned_alloc(64, size ? size : 64);
}
