/* The runtime room's private header: the objects behind include/ovcc/ovcc.h.
 *
 *  - context.c:  contexts and their per-thread last error; element types
 *  - source.c:   where a model comes from (files or memory), re-read per
 *                compilation because cg_compile rewrites the graph it gets
 *  - model.c:    ovcc_model_read*, the model signature (ports)
 *  - compiled_model.c: options, compilation, the cache of shape
 *                specializations, signature queries
 *  - pool.c:     the thread pool (pool.h)
 *  - request.c:  infer requests: tensors, arena, state, sync infer
 *  - async.c:    start_async / wait / callback on a per-request thread
 *
 * Concurrency: a compiled model is immutable except for its specialization
 * cache (a mutex) and its thread pool (which takes parallel-fors from many
 * requests at once, see pool.h). A request is used by one thread at a time. */
#ifndef OVCC_RUNTIME_RUNTIME_H
#define OVCC_RUNTIME_RUNTIME_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "codegen/compile.h"
#include "ir/ir.h"
#include "ovcc/ovcc.h"
#include "runtime/pool.h"

/* ---- context.c ---- */
typedef struct rt_errbuf rt_errbuf;

struct ovcc_context {
  pthread_key_t err_key; /* this thread's rt_errbuf */
  pthread_mutex_t mu;    /* guards `bufs` */
  rt_errbuf *bufs;       /* every thread's buffer, freed with the context */
};

/* Records a failure in ctx for the calling thread; returns st. */
ovcc_status rt_ctx_error(ovcc_context *ctx, ovcc_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Copies a diagnostic (status and message) into ctx; returns its status. */
ovcc_status rt_ctx_diag(ovcc_context *ctx, const ir_diag *d);

ovcc_element_type rt_etype_to_api(ir_etype t);
ir_etype rt_etype_from_api(ovcc_element_type t);
/* Bytes of a dense tensor; false on overflow or for types without a size. */
bool rt_tensor_nbytes(ovcc_element_type t, const int64_t *dims, int32_t rank, uint64_t *out);
void rt_shape_to_api(const ir_shape *s, ovcc_partial_shape *out);
/* "f32[1,3,?]" into buf. */
void rt_describe_dims(ovcc_element_type t, const int64_t *dims, int32_t rank, char *buf,
                      size_t cap);

/* ---- source.c ---- */
typedef struct rt_source {
  atomic_int refs;
  char *xml_path, *bin_path; /* file source (bin_path may be NULL: beside the xml) */
  char *text;                /* memory source: the XML (or textual IR) */
  size_t text_len;
  uint8_t *bin;              /* memory source: the weights, may be NULL */
  size_t bin_len;
} rt_source;

ovcc_status rt_source_from_files(const char *xml_path, const char *bin_path, rt_source **out,
                                 ir_diag *d);
ovcc_status rt_source_from_memory(const char *text, size_t len, const void *bin, size_t bin_len,
                                  rt_source **out, ir_diag *d);
rt_source *rt_source_ref(rt_source *s);
void rt_source_unref(rt_source *s);
/* A fresh graph of the model (the caller owns it). */
ovcc_status rt_source_read(const rt_source *s, ir_model **out, ir_diag *d);

/* ---- model.c ---- */
/* One port of the signature, owned by an rt_signature. */
typedef struct rt_port {
  char *name;
  char **names;
  size_t n_names;
  ir_etype et;
  ir_shape shape; /* declared partial shape */
} rt_port;

typedef struct rt_signature {
  rt_port *inputs, *outputs;
  size_t n_inputs, n_outputs;
} rt_signature;

ovcc_status rt_signature_build(const ir_model *m, rt_signature *out, ir_diag *d);
void rt_signature_free(rt_signature *s);
/* True if every input shape is static. */
bool rt_signature_static(const rt_signature *s);

struct ovcc_model {
  ovcc_context *ctx;
  rt_source *src;
  rt_signature sig;
};

/* ---- compiled_model.c ---- */
/* One compiled specialization: the program for one set of input shapes. */
typedef struct rt_variant {
  struct rt_variant *next;
  ir_shape *input_shapes; /* n_inputs */
  cg_program *prog;
} rt_variant;

struct ovcc_compiled_model {
  ovcc_context *ctx;
  rt_source *src;
  rt_signature sig;
  cg_options cg; /* input_shapes set per variant */
  char *cpu_features;
  char *cache_dir; /* compiled-code cache (cache/), NULL: none */
  uint64_t cache_max_bytes; /* $OVCC_CACHE_MAX_SIZE: LRU limit, 0: none */
  int threads;
  ovcc_hint hint;
  rt_pool *pool; /* NULL: kernels run on the requesting thread */
  pthread_mutex_t cache_mu;   /* guards `variants` (lookups) */
  pthread_mutex_t compile_mu; /* one specialization compiles at a time */
  rt_variant *variants;
};

/* The program for these input shapes (compiling and caching it on a miss). */
ovcc_status rt_compiled_variant(ovcc_compiled_model *cm, const ir_shape *input_shapes,
                                const cg_program **out, ir_diag *d);

/* ---- request.c ---- */
typedef struct rt_tensor_slot {
  ovcc_tensor t;  /* what infer uses (caller's or `owned`) */
  bool set;       /* t is valid */
  void *owned;    /* runtime-owned bytes (64-aligned), or NULL */
  uint64_t owned_cap;
} rt_tensor_slot;

typedef struct rt_async rt_async;

struct ovcc_infer_request {
  ovcc_compiled_model *cm;
  rt_tensor_slot *inputs;  /* sig.n_inputs */
  rt_tensor_slot *outputs; /* results of the last infer (or caller buffers) */
  bool *out_caller;        /* output i has a caller-owned buffer */
  bool have_results;
  const cg_program *prog; /* the program the arena and states are sized for */
  void *arena;
  uint64_t arena_cap;
  void **states;
  bool *state_set;
  uint32_t n_states;
  void **in_ptrs; /* scratch: input pointers for cg_program_run */
  ir_shape *shapes; /* scratch: the inputs' shapes */
  rt_async *async;
  ir_diag err;
  /* profiling (ovcc_infer_request_set_profiling) */
  bool profiling;
  const cg_program *prof_prog; /* the program prof_ns counts */
  uint64_t *prof_ns;
  uint64_t prof_runs;
  ovcc_profile_entry *prof_entries;
};

ovcc_status rt_request_error(ovcc_infer_request *r, ovcc_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The synchronous infer (also what the async thread runs). */
ovcc_status rt_request_run(ovcc_infer_request *r);

/* ---- async.c ---- */
ovcc_status rt_async_start(ovcc_infer_request *r);
ovcc_status rt_async_wait(ovcc_infer_request *r);
bool rt_async_busy(ovcc_infer_request *r);
ovcc_status rt_async_set_callback(ovcc_infer_request *r, ovcc_callback cb, void *user);
void rt_async_free(ovcc_infer_request *r);

/* 64-byte aligned allocation of at least n bytes (n may be 0). */
void *rt_aligned_alloc(uint64_t n);

#endif
