/* ovcc — the runtime C API: read a model, compile it for the CPU in process
 * (LLVM ORC JIT), and run inference requests.
 *
 *   ovcc_context *ctx;  ovcc_context_create(&ctx);
 *   ovcc_model *m;      ovcc_model_read(ctx, "model.xml", NULL, &m);
 *   ovcc_compile_options o; ovcc_compile_options_init(&o);
 *   ovcc_compiled_model *cm; ovcc_compile(ctx, m, &o, &cm);
 *   ovcc_infer_request *r; ovcc_infer_request_create(cm, &r);
 *   ovcc_infer_request_set_input(r, 0, &tensor); ovcc_infer_request_infer(r);
 *   ovcc_infer_request_get_output(r, 0, &out);
 *
 * Every function returns an ovcc_status; on failure the message is in the
 * context (ovcc_context_last_error, per thread) or, for request functions, in
 * the request (ovcc_infer_request_last_error). Objects are freed by their
 * *_free function (requests before their compiled model, everything before
 * its context); a compiled model is immutable and may be used from many
 * threads at once; each infer request is used by one thread at a time.
 * docs/c-api.md describes the whole API with a complete example. */
#ifndef OVCC_OVCC_H
#define OVCC_OVCC_H

#include <stddef.h>
#include <stdint.h>

#include "ovcc/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define OVCC_API_VERSION 1

/* Element types (OpenVINO's). */
typedef enum ovcc_element_type {
  OVCC_UNDEFINED = 0,
  OVCC_BOOLEAN,
  OVCC_F16,
  OVCC_BF16,
  OVCC_F32,
  OVCC_F64,
  OVCC_I4,
  OVCC_I8,
  OVCC_I16,
  OVCC_I32,
  OVCC_I64,
  OVCC_U1,
  OVCC_U4,
  OVCC_U8,
  OVCC_U16,
  OVCC_U32,
  OVCC_U64,
  OVCC_STRING,
  OVCC_OTHER, /* a type the runtime API does not exchange (f8, nf4, ...) */
} ovcc_element_type;

const char *ovcc_element_type_name(ovcc_element_type t); /* "f32" */
size_t ovcc_element_type_size(ovcc_element_type t); /* bytes; 0 for sub-byte types */

/* An element of an OVCC_STRING tensor: the string's bytes (UTF-8 by
 * convention, not NUL-terminated, may contain NUL) and their count. A string
 * tensor's data is an array of these. The model moves descriptors, never the
 * bytes: an output string points at the bytes of the input string it came
 * from, so it stays valid as long as that input's bytes do. */
typedef struct ovcc_string {
  const char *data;
  size_t size;
} ovcc_string;

enum { OVCC_MAX_RANK = 16 };

/* A partial shape: dims[i] == -1 is dynamic; rank == -1 is dynamic rank. */
typedef struct ovcc_partial_shape {
  int32_t rank;
  int64_t dims[OVCC_MAX_RANK];
  int64_t min[OVCC_MAX_RANK], max[OVCC_MAX_RANK]; /* interval bounds; max -1 = unbounded */
} ovcc_partial_shape;

/* A dense row-major tensor view. */
typedef struct ovcc_tensor {
  ovcc_element_type type;
  int32_t rank;
  int64_t dims[OVCC_MAX_RANK];
  void *data;
  size_t nbytes;
} ovcc_tensor;

typedef struct ovcc_context ovcc_context;
typedef struct ovcc_model ovcc_model;
typedef struct ovcc_compiled_model ovcc_compiled_model;
typedef struct ovcc_infer_request ovcc_infer_request;

/* ---- context ---- */
ovcc_status ovcc_context_create(ovcc_context **out);
void ovcc_context_free(ovcc_context *ctx);
/* The message of the last failed call made with ctx on this thread ("" if none). */
const char *ovcc_context_last_error(const ovcc_context *ctx);
const char *ovcc_version(void);

/* ---- models ---- */
/* Reads model.xml (weights from bin_path, or the .bin beside it when NULL; a
 * missing .bin means no weights) or a textual IR .ovir. */
ovcc_status ovcc_model_read(ovcc_context *ctx, const char *xml_path, const char *bin_path,
                            ovcc_model **out);
/* From memory: the XML text and the weights (both copied). */
ovcc_status ovcc_model_read_memory(ovcc_context *ctx, const char *xml, size_t xml_len,
                                   const void *bin, size_t bin_len, ovcc_model **out);
void ovcc_model_free(ovcc_model *m);

/* ---- compilation ---- */
/* LATENCY: one pool of `threads` threads, shared by all requests, splits each
 * kernel. THROUGHPUT: no pool; each request runs its kernels on its own
 * thread and about `threads` requests are meant to run at once. */
typedef enum ovcc_hint { OVCC_HINT_LATENCY = 0, OVCC_HINT_THROUGHPUT = 1 } ovcc_hint;

typedef struct ovcc_compile_options {
  const char *device;          /* "CPU" (default, NULL = CPU) */
  int threads;                 /* 0: all cores */
  int opt_level;               /* 0..3, default 2 */
  const char *cache_dir;       /* compiled-code cache directory (docs/cache.md); NULL:
                                * $OVCC_CACHE_DIR if set, else no cache */
  ovcc_element_type inference_precision; /* OVCC_F32 (default), OVCC_F16, OVCC_BF16 */
  ovcc_hint hint;
  const char *cpu_features; /* restrict host features, e.g. "-avx512f" (testing); NULL: host */
} ovcc_compile_options;

void ovcc_compile_options_init(ovcc_compile_options *o);
/* Compiles m; m may be freed afterwards. A model with dynamic input dims is
 * compiled at infer time, once per distinct set of input shapes (cached). */
ovcc_status ovcc_compile(ovcc_context *ctx, const ovcc_model *m, const ovcc_compile_options *o,
                         ovcc_compiled_model **out);
/* Reads and compiles in one call. */
ovcc_status ovcc_compile_file(ovcc_context *ctx, const char *xml_path,
                              const ovcc_compile_options *o, ovcc_compiled_model **out);
void ovcc_compiled_model_free(ovcc_compiled_model *cm);

/* Signature. Port names are the tensor names joined by ", " (or the friendly
 * name of the producing layer when a port has none). Strings live as long as cm. */
size_t ovcc_compiled_model_num_inputs(const ovcc_compiled_model *cm);
size_t ovcc_compiled_model_num_outputs(const ovcc_compiled_model *cm);
typedef struct ovcc_port_info {
  const char *name;        /* first tensor name (or friendly name) */
  const char *const *names; /* every tensor name */
  size_t n_names;
  ovcc_element_type type;
  ovcc_partial_shape shape;
} ovcc_port_info;
ovcc_status ovcc_compiled_model_input(const ovcc_compiled_model *cm, size_t i, ovcc_port_info *out);
ovcc_status ovcc_compiled_model_output(const ovcc_compiled_model *cm, size_t i, ovcc_port_info *out);
/* Index of the input/output having `name` among its tensor names; -1 if none. */
long ovcc_compiled_model_find_input(const ovcc_compiled_model *cm, const char *name);
long ovcc_compiled_model_find_output(const ovcc_compiled_model *cm, const char *name);
/* Threads the compiled model runs a request on. */
int ovcc_compiled_model_threads(const ovcc_compiled_model *cm);

/* ---- infer requests ---- */
ovcc_status ovcc_infer_request_create(ovcc_compiled_model *cm, ovcc_infer_request **out);
void ovcc_infer_request_free(ovcc_infer_request *r); /* waits for a running async infer */
const char *ovcc_infer_request_last_error(const ovcc_infer_request *r);

/* Sets input i to the caller's tensor. The data is used in place (not
 * copied) and must stay valid until the next infer completes. Type and shape
 * must match the model's (dynamic dims accept any size). */
ovcc_status ovcc_infer_request_set_input(ovcc_infer_request *r, size_t i, const ovcc_tensor *t);
/* Runtime-owned input tensor of the given shape (static inputs: shape may be
 * NULL): the caller writes into out->data. */
ovcc_status ovcc_infer_request_input_tensor(ovcc_infer_request *r, size_t i,
                                            const int64_t *dims, int32_t rank, ovcc_tensor *out);
/* Caller-owned output buffer: the next infer writes output i there; its
 * shape must equal the computed one. */
ovcc_status ovcc_infer_request_set_output(ovcc_infer_request *r, size_t i, const ovcc_tensor *t);
/* Output i of the last infer (runtime-owned unless set_output gave a buffer);
 * valid until the next infer or free. */
ovcc_status ovcc_infer_request_get_output(ovcc_infer_request *r, size_t i, ovcc_tensor *out);

ovcc_status ovcc_infer_request_infer(ovcc_infer_request *r);
/* Asynchronous: start returns at once; wait blocks until done and returns the
 * infer's status; the callback (if set) runs on a worker thread when done. */
typedef void (*ovcc_callback)(void *user, ovcc_status status);
ovcc_status ovcc_infer_request_set_callback(ovcc_infer_request *r, ovcc_callback cb, void *user);
ovcc_status ovcc_infer_request_start_async(ovcc_infer_request *r);
ovcc_status ovcc_infer_request_wait(ovcc_infer_request *r);

/* Profiling (like OpenVINO's get_profiling_info): when enabled, every infer
 * adds each compiled step's wall time to its entry. Entries are in execution
 * order, one per kernel step (a layer, a fused group, a TensorIterator/Loop/If
 * as a whole); names live until the request is freed or profiling is enabled
 * again (which clears the totals). */
typedef struct ovcc_profile_entry {
  const char *name;    /* layer (friendly) name; "" for internal copies */
  const char *op_type; /* "Convolution-1", "k.fused", ... */
  uint64_t total_ns;   /* summed over `runs` infers */
  uint64_t runs;
} ovcc_profile_entry;
ovcc_status ovcc_infer_request_set_profiling(ovcc_infer_request *r, int enable);
ovcc_status ovcc_infer_request_get_profile(ovcc_infer_request *r, const ovcc_profile_entry **entries,
                                           size_t *n);

/* Stateful models: variables live in the request; reset sets each to its
 * initializer (or zeros). */
ovcc_status ovcc_infer_request_reset_state(ovcc_infer_request *r);

#ifdef __cplusplus
}
#endif
#endif
