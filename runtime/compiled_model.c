/* Compilation: options, the compiled model and its cache of specializations.
 *
 * A model whose inputs are all static is compiled once, by ovcc_compile.
 * One with dynamic input dims is compiled at infer time, once per distinct
 * set of concrete input shapes (cg_options.input_shapes), from a fresh read
 * of the source; each program is kept until the compiled model is freed
 * (requests hold pointers to them). Lookups take `cache_mu` only briefly;
 * compilations are serialized by `compile_mu` so that two requests meeting
 * the same new shapes compile them once.
 *
 * Threads: with the LATENCY hint the compiled model owns one pool of
 * `threads` threads that every request's kernels share (pool.h); with the
 * THROUGHPUT hint there is no pool: each request runs its kernels on its own
 * thread, and throughput comes from running `threads` requests at once (like
 * OpenVINO's one-thread streams). */
#include "runtime/runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cache/cache.h"

void ovcc_compile_options_init(ovcc_compile_options *o) {
  if (!o)
    return;
  memset(o, 0, sizeof *o);
  o->device = NULL;
  o->threads = 0;
  o->opt_level = 2;
  o->cache_dir = NULL;
  o->inference_precision = OVCC_F32;
  o->hint = OVCC_HINT_LATENCY;
  o->cpu_features = NULL;
}

static ovcc_status check_options(ovcc_context *ctx, const ovcc_compile_options *o) {
  if (o->device && strcasecmp(o->device, "CPU") != 0)
    return rt_ctx_error(ctx, OVCC_ERR_UNSUPPORTED,
                        "compile options: device '%s' is not supported (only CPU)", o->device);
  if (o->threads < 0)
    return rt_ctx_error(ctx, OVCC_ERR_INVALID_ARG,
                        "compile options: threads must be >= 0 (0: all cores), got %d",
                        o->threads);
  if (o->opt_level < 0 || o->opt_level > 3)
    return rt_ctx_error(ctx, OVCC_ERR_INVALID_ARG,
                        "compile options: opt_level must be 0..3, got %d", o->opt_level);
  if (o->inference_precision != OVCC_F32 && o->inference_precision != OVCC_F16 &&
      o->inference_precision != OVCC_BF16)
    return rt_ctx_error(ctx, OVCC_ERR_INVALID_ARG,
                        "compile options: inference precision must be f32, f16 or bf16, got %s",
                        ovcc_element_type_name(o->inference_precision));
  if (o->hint != OVCC_HINT_LATENCY && o->hint != OVCC_HINT_THROUGHPUT)
    return rt_ctx_error(ctx, OVCC_ERR_INVALID_ARG, "compile options: unknown hint %d",
                        (int)o->hint);
  return OVCC_OK;
}

static void variant_free(rt_variant *v) {
  if (!v)
    return;
  cg_program_free(v->prog);
  free(v->input_shapes);
  free(v);
}

/* The model file's bytes for the cache key (a memory source: its text). */
static bool source_bytes(const rt_source *src, char **owned, const char **bytes, size_t *n) {
  *owned = NULL;
  if (!src->xml_path) {
    *bytes = src->text;
    *n = src->text_len;
    return true;
  }
  FILE *f = fopen(src->xml_path, "rb");
  if (!f)
    return false;
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  for (size_t r; buf && (r = fread(buf + len, 1, cap - len, f)) > 0;) {
    len += r;
    if (len == cap) {
      char *bigger = realloc(buf, cap *= 2);
      if (!bigger)
        free(buf);
      buf = bigger;
    }
  }
  bool ok = buf && !ferror(f);
  fclose(f);
  if (!ok) {
    free(buf);
    return false;
  }
  *owned = buf;
  *bytes = buf;
  *n = len;
  return true;
}

/* The cache key of compiling g with o; false: no caching this time. */
static bool cache_key_for(const ovcc_compiled_model *cm, const ir_model *g, const cg_options *o,
                          cache_key *key) {
  char *owned;
  const char *xml;
  size_t xml_size;
  if (!source_bytes(cm->src, &owned, &xml, &xml_size))
    return false;
  cache_key_input in = {.xml = xml,
                        .xml_size = xml_size,
                        .weights = g->weights.data,
                        .weights_size = g->weights.data ? g->weights.size : 0,
                        .options = o};
  ir_diag d;
  ir_diag_clear(&d);
  bool ok = cache_key_compute(&in, key, &d) == OVCC_OK;
  free(owned);
  return ok;
}

/* cg_compile through the cache: a valid blob is linked instead of compiled;
 * a compiled program is stored (softly: a failed store only warns). */
static ovcc_status compile_cached(const ovcc_compiled_model *cm, ir_model *g, const cg_options *o,
                                  cg_program **out, ir_diag *d) {
  cache_key key;
  if (!cm->cache_dir || !cache_key_for(cm, g, o, &key))
    return cg_compile(g, o, out, d);
  cache_dir dir = {.path = cm->cache_dir, .max_bytes = cm->cache_max_bytes};
  if (cache_load(&dir, &key, g, out))
    return OVCC_OK;
  cg_artifact art;
  IR_TRY(cg_compile_artifact(g, o, out, &art, d));
  cache_store(&dir, &key, *out, &art, &g->weights);
  cg_artifact_free(&art);
  return OVCC_OK;
}

/* Compiles graph g (consumed: the program takes it, or it is freed) for `shapes` (NULL: the declared, static ones). */
static ovcc_status compile_variant(ovcc_compiled_model *cm, ir_model *g, const ir_shape *shapes,
                                   rt_variant **out, ir_diag *d) {
  size_t n = cm->sig.n_inputs;
  rt_variant *v = calloc(1, sizeof *v);
  if (v)
    v->input_shapes = calloc(n ? n : 1, sizeof *v->input_shapes);
  if (!v || !v->input_shapes) {
    variant_free(v);
    ir_model_free(g);
    return IR_NOMEM(d);
  }
  for (size_t i = 0; i < n; i++)
    v->input_shapes[i] = shapes ? shapes[i] : cm->sig.inputs[i].shape;
  cg_options o = cm->cg;
  o.input_shapes = shapes;
  o.n_input_shapes = shapes ? (uint32_t)n : 0;
  ovcc_status st = compile_cached(cm, g, &o, &v->prog, d);
  if (st != OVCC_OK) /* on success the program owns g */
    ir_model_free(g);
  if (st == OVCC_OK && (v->prog->n_inputs != n || v->prog->n_outputs != cm->sig.n_outputs))
    st = IR_ERR(d, OVCC_ERR_INTERNAL,
                "compiled program has %u inputs and %u outputs, the model %zu and %zu",
                v->prog->n_inputs, v->prog->n_outputs, n, cm->sig.n_outputs);
  if (st != OVCC_OK) {
    variant_free(v);
    return st;
  }
  *out = v;
  return OVCC_OK;
}

static bool shapes_equal(const ir_shape *a, const ir_shape *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!ir_shape_equal(&a[i], &b[i]))
      return false;
  return true;
}

static const cg_program *find_variant(ovcc_compiled_model *cm, const ir_shape *shapes) {
  const cg_program *found = NULL;
  pthread_mutex_lock(&cm->cache_mu);
  for (const rt_variant *v = cm->variants; v && !found; v = v->next)
    if (shapes_equal(v->input_shapes, shapes, cm->sig.n_inputs))
      found = v->prog;
  pthread_mutex_unlock(&cm->cache_mu);
  return found;
}

static void add_variant(ovcc_compiled_model *cm, rt_variant *v) {
  pthread_mutex_lock(&cm->cache_mu);
  v->next = cm->variants;
  cm->variants = v;
  pthread_mutex_unlock(&cm->cache_mu);
}

ovcc_status rt_compiled_variant(ovcc_compiled_model *cm, const ir_shape *input_shapes,
                                const cg_program **out, ir_diag *d) {
  const cg_program *p = find_variant(cm, input_shapes);
  if (p) {
    *out = p;
    return OVCC_OK;
  }
  pthread_mutex_lock(&cm->compile_mu);
  ovcc_status st = OVCC_OK;
  if (!(p = find_variant(cm, input_shapes))) {
    ir_model *g = NULL;
    rt_variant *v = NULL;
    st = rt_source_read(cm->src, &g, d);
    if (st == OVCC_OK)
      st = compile_variant(cm, g, input_shapes, &v, d);
    if (st == OVCC_OK) {
      add_variant(cm, v);
      p = v->prog;
    }
  }
  pthread_mutex_unlock(&cm->compile_mu);
  if (st == OVCC_OK)
    *out = p;
  return st;
}

static ovcc_status cm_create(ovcc_context *ctx, const ovcc_model *m,
                             const ovcc_compile_options *o, ovcc_compiled_model **out) {
  ovcc_compiled_model *cm = calloc(1, sizeof *cm);
  if (!cm)
    return rt_ctx_error(ctx, OVCC_ERR_NOMEM, "out of memory");
  cm->ctx = ctx;
  cm->src = rt_source_ref(m->src);
  pthread_mutex_init(&cm->cache_mu, NULL);
  pthread_mutex_init(&cm->compile_mu, NULL);
  cm->threads = o->threads ? o->threads : rt_cpu_count();
  cm->hint = o->hint;
  cg_options_init(&cm->cg);
  cm->cg.opt_level = o->opt_level;
  cm->cg.precision = rt_etype_from_api(o->inference_precision);
  if (o->cpu_features && !(cm->cpu_features = strdup(o->cpu_features))) {
    ovcc_compiled_model_free(cm);
    return rt_ctx_error(ctx, OVCC_ERR_NOMEM, "out of memory");
  }
  cm->cg.cpu_features = cm->cpu_features;
  /* The option wins over OVCC_CACHE_DIR; an empty value means no cache. */
  const char *cache_dir = o->cache_dir ? o->cache_dir : getenv("OVCC_CACHE_DIR");
  if (cache_dir && *cache_dir && !(cm->cache_dir = strdup(cache_dir))) {
    ovcc_compiled_model_free(cm);
    return rt_ctx_error(ctx, OVCC_ERR_NOMEM, "out of memory");
  }
  const char *max_size = getenv("OVCC_CACHE_MAX_SIZE");
  if (cm->cache_dir && max_size && *max_size && !cache_parse_size(max_size, &cm->cache_max_bytes)) {
    ovcc_compiled_model_free(cm);
    return rt_ctx_error(ctx, OVCC_ERR_INVALID_ARG,
                        "OVCC_CACHE_MAX_SIZE: expected a size like 500M or 2G, got '%s'", max_size);
  }
  if (cm->hint == OVCC_HINT_LATENCY && cm->threads > 1 &&
      rt_pool_create(cm->threads, &cm->pool) != OVCC_OK) {
    ovcc_compiled_model_free(cm);
    return rt_ctx_error(ctx, OVCC_ERR_NOMEM, "cannot start %d threads", cm->threads);
  }
  *out = cm;
  return OVCC_OK;
}

static ovcc_status port_copy(const rt_port *from, rt_port *to, ir_diag *d) {
  to->et = from->et;
  to->shape = from->shape;
  to->names = calloc(from->n_names + 1, sizeof *to->names);
  if (!to->names || !(to->name = strdup(from->name)))
    return IR_NOMEM(d);
  while (to->n_names < from->n_names) {
    size_t i = to->n_names++;
    if (!(to->names[i] = strdup(from->names[i])))
      return IR_NOMEM(d);
  }
  return OVCC_OK;
}

static ovcc_status signature_copy(const rt_signature *from, rt_signature *to, ir_diag *d) {
  to->inputs = calloc(from->n_inputs + 1, sizeof *to->inputs);
  to->outputs = calloc(from->n_outputs + 1, sizeof *to->outputs);
  if (!to->inputs || !to->outputs)
    return IR_NOMEM(d);
  /* Counted before filled: rt_signature_free frees a half-copied port too. */
  while (to->n_inputs < from->n_inputs) {
    size_t i = to->n_inputs++;
    IR_TRY(port_copy(&from->inputs[i], &to->inputs[i], d));
  }
  while (to->n_outputs < from->n_outputs) {
    size_t i = to->n_outputs++;
    IR_TRY(port_copy(&from->outputs[i], &to->outputs[i], d));
  }
  return OVCC_OK;
}

ovcc_status ovcc_compile(ovcc_context *ctx, const ovcc_model *m, const ovcc_compile_options *o,
                         ovcc_compiled_model **out) {
  if (!ctx)
    return OVCC_ERR_INVALID_ARG;
  if (!m || !out)
    return rt_ctx_error(ctx, OVCC_ERR_INVALID_ARG, "ovcc_compile: %s is NULL",
                        !m ? "model" : "out");
  ovcc_compile_options defaults;
  ovcc_compile_options_init(&defaults);
  if (!o)
    o = &defaults;
  IR_TRY(check_options(ctx, o));
  ovcc_compiled_model *cm = NULL;
  IR_TRY(cm_create(ctx, m, o, &cm));
  /* The model's signature came from a read of the same source and the same
   * cg_prepare_model as every specialization's, so it is copied rather than
   * read again (a warm start from the cache then reads the model once here,
   * unprepared: cg_compile prepares it when it must compile). */
  ir_diag d;
  ir_diag_clear(&d);
  ir_model *g = NULL;
  ovcc_status st = signature_copy(&m->sig, &cm->sig, &d);
  bool compile_now = st == OVCC_OK && rt_signature_static(&cm->sig);
  if (compile_now)
    st = rt_source_read(cm->src, &g, &d);
  if (compile_now && st == OVCC_OK) {
    rt_variant *v = NULL;
    st = compile_variant(cm, g, NULL, &v, &d);
    g = NULL;
    if (st == OVCC_OK)
      add_variant(cm, v);
  }
  ir_model_free(g);
  if (st != OVCC_OK) {
    ovcc_compiled_model_free(cm);
    return rt_ctx_diag(ctx, &d);
  }
  *out = cm;
  return OVCC_OK;
}

ovcc_status ovcc_compile_file(ovcc_context *ctx, const char *xml_path,
                              const ovcc_compile_options *o, ovcc_compiled_model **out) {
  ovcc_model *m;
  IR_TRY(ovcc_model_read(ctx, xml_path, NULL, &m));
  ovcc_status st = ovcc_compile(ctx, m, o, out);
  ovcc_model_free(m);
  return st;
}

void ovcc_compiled_model_free(ovcc_compiled_model *cm) {
  if (!cm)
    return;
  rt_pool_free(cm->pool);
  for (rt_variant *v = cm->variants, *next; v; v = next) {
    next = v->next;
    variant_free(v);
  }
  rt_signature_free(&cm->sig);
  rt_source_unref(cm->src);
  free(cm->cpu_features);
  free(cm->cache_dir);
  pthread_mutex_destroy(&cm->cache_mu);
  pthread_mutex_destroy(&cm->compile_mu);
  free(cm);
}

/* ---- signature queries ---- */

size_t ovcc_compiled_model_num_inputs(const ovcc_compiled_model *cm) {
  return cm ? cm->sig.n_inputs : 0;
}

size_t ovcc_compiled_model_num_outputs(const ovcc_compiled_model *cm) {
  return cm ? cm->sig.n_outputs : 0;
}

int ovcc_compiled_model_threads(const ovcc_compiled_model *cm) { return cm ? cm->threads : 0; }

static ovcc_status port_info(const ovcc_compiled_model *cm, const rt_port *ports, size_t n,
                             size_t i, const char *what, ovcc_port_info *out) {
  if (!cm)
    return OVCC_ERR_INVALID_ARG;
  if (!out)
    return rt_ctx_error(cm->ctx, OVCC_ERR_INVALID_ARG, "ovcc_compiled_model_%s: out is NULL",
                        what);
  if (i >= n)
    return rt_ctx_error(cm->ctx, OVCC_ERR_INVALID_ARG,
                        "ovcc_compiled_model_%s: index %zu out of range (the model has %zu)",
                        what, i, n);
  const rt_port *p = &ports[i];
  memset(out, 0, sizeof *out);
  out->name = p->name;
  out->names = (const char *const *)p->names;
  out->n_names = p->n_names;
  out->type = rt_etype_to_api(p->et);
  rt_shape_to_api(&p->shape, &out->shape);
  return OVCC_OK;
}

ovcc_status ovcc_compiled_model_input(const ovcc_compiled_model *cm, size_t i,
                                      ovcc_port_info *out) {
  return port_info(cm, cm ? cm->sig.inputs : NULL, cm ? cm->sig.n_inputs : 0, i, "input", out);
}

ovcc_status ovcc_compiled_model_output(const ovcc_compiled_model *cm, size_t i,
                                       ovcc_port_info *out) {
  return port_info(cm, cm ? cm->sig.outputs : NULL, cm ? cm->sig.n_outputs : 0, i, "output",
                   out);
}

static long find_port(const rt_port *ports, size_t n, const char *name) {
  if (!name)
    return -1;
  for (size_t i = 0; i < n; i++) {
    if (strcmp(ports[i].name, name) == 0)
      return (long)i;
    for (size_t k = 0; k < ports[i].n_names; k++)
      if (strcmp(ports[i].names[k], name) == 0)
        return (long)i;
  }
  return -1;
}

long ovcc_compiled_model_find_input(const ovcc_compiled_model *cm, const char *name) {
  return cm ? find_port(cm->sig.inputs, cm->sig.n_inputs, name) : -1;
}

long ovcc_compiled_model_find_output(const ovcc_compiled_model *cm, const char *name) {
  return cm ? find_port(cm->sig.outputs, cm->sig.n_outputs, name) : -1;
}
