/* ovcc-run: compile a model in process and run it once on .npy inputs.
 *
 *   ovcc-run MODEL [--input NAME=FILE.npy | --input #K=FILE.npy]... [--output-dir DIR]
 *            [--threads N] [-O0..-O3] [--cache-dir DIR] [--seed N]
 *
 * Writes DIR/output<K>.npy for the K-th model output (model order) and
 * DIR/outputs.json (each output's index, names, element type, shape, file).
 * Inputs not given are generated from the seed, written to DIR/input<K>.npy
 * and announced on stderr. MODEL may also be an AOT library built by ovcc
 * (`ovcc-run libmodel.so`, tools/aot_run.c). Any error (model, input file, shape or type,
 * inference) is one message on stderr naming what failed, and exit code 1. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ovcc/ovcc.h"
#include "tools/aot_run.h"
#include "tools/gen_input.h"
#include "tools/npy.h"
#include "tools/npy_exchange.h"
#include "tools/json_out.h"

enum { MAX_INPUT_ARGS = 256 };

typedef struct input_arg {
  const char *key;  /* NAME or #K */
  const char *file;
} input_arg;

typedef struct run_args {
  const char *model;
  const char *out_dir;
  const char *cache_dir;
  int threads, opt_level;
  uint64_t seed;
  input_arg inputs[MAX_INPUT_ARGS];
  int n_inputs;
} run_args;

static int die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("ovcc-run: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return 1;
}

static void usage(FILE *f) {
  fputs("usage: ovcc-run MODEL.xml [--input NAME=FILE.npy | --input #K=FILE.npy]...\n"
        "                [--output-dir DIR] [--threads N] [-O0|-O1|-O2|-O3] [--cache-dir DIR]\n"
        "                [--seed N]\n"
        "Runs MODEL once; writes DIR/output<K>.npy and DIR/outputs.json (DIR defaults to .).\n"
        "Inputs not given are generated from the seed (default 1) and saved as DIR/input<K>.npy.\n",
        f);
}

static bool parse_int(const char *s, long long lo, long long hi, long long *out) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || end == s || *end || v < lo || v > hi)
    return false;
  *out = v;
  return true;
}

/* Returns 0 on success, 1 on a usage error (message printed), -1 for --help. */
static int parse_args(int argc, char **argv, run_args *a) {
  memset(a, 0, sizeof *a);
  a->out_dir = ".";
  a->opt_level = 2;
  a->seed = 1;
  for (int i = 1; i < argc; i++) {
    const char *s = argv[i];
    const char *val = i + 1 < argc ? argv[i + 1] : NULL;
    long long v;
    if (!strcmp(s, "-h") || !strcmp(s, "--help"))
      return -1;
    if (s[0] == '-' && s[1] == 'O' && s[2] >= '0' && s[2] <= '3' && !s[3]) {
      a->opt_level = s[2] - '0';
    } else if (!strcmp(s, "--input") || !strcmp(s, "--output-dir") || !strcmp(s, "--threads") ||
               !strcmp(s, "--cache-dir") || !strcmp(s, "--seed")) {
      if (!val)
        return die("%s needs a value", s);
      i++;
      if (!strcmp(s, "--output-dir")) {
        a->out_dir = val;
      } else if (!strcmp(s, "--cache-dir")) {
        a->cache_dir = val;
      } else if (!strcmp(s, "--threads")) {
        if (!parse_int(val, 0, 4096, &v))
          return die("--threads: expected a count 0..4096, got '%s'", val);
        a->threads = (int)v;
      } else if (!strcmp(s, "--seed")) {
        if (!parse_int(val, 0, INT64_MAX, &v))
          return die("--seed: expected a non-negative integer, got '%s'", val);
        a->seed = (uint64_t)v;
      } else {
        const char *eq = strchr(val, '=');
        if (!eq || eq == val || !eq[1])
          return die("--input: expected NAME=FILE.npy or #K=FILE.npy, got '%s'", val);
        if (a->n_inputs == MAX_INPUT_ARGS)
          return die("too many --input options");
        char *key = strndup(val, (size_t)(eq - val));
        if (!key)
          return die("out of memory");
        a->inputs[a->n_inputs++] = (input_arg){key, eq + 1};
      }
    } else if (s[0] == '-' && s[1]) {
      return die("unknown option '%s' (see --help)", s);
    } else if (a->model) {
      return die("more than one model given ('%s' and '%s')", a->model, s);
    } else {
      a->model = s;
    }
  }
  if (!a->model)
    return die("no model given (see --help)");
  return 0;
}

/* ---- inputs ---- */

/* The model input an --input key names: "#K" or a tensor name. */
static long resolve_key(const ovcc_compiled_model *cm, const char *key) {
  size_t n = ovcc_compiled_model_num_inputs(cm);
  long long k;
  if (key[0] == '#') {
    if (!parse_int(key + 1, 0, (long long)n - 1, &k)) {
      die("--input %s: no such input index (the model has %zu inputs)", key, n);
      return -1;
    }
    return (long)k;
  }
  long i = ovcc_compiled_model_find_input(cm, key);
  if (i < 0) {
    fprintf(stderr, "ovcc-run: --input %s: the model has no input of that name; its inputs:", key);
    for (size_t j = 0; j < n; j++) {
      ovcc_port_info p;
      if (ovcc_compiled_model_input(cm, j, &p) == OVCC_OK)
        fprintf(stderr, "%s #%zu '%s'", j ? "," : "", j, p.name);
    }
    fputc('\n', stderr);
  }
  return i;
}

static void format_partial(const ovcc_port_info *p, char *buf, size_t cap) {
  size_t n = (size_t)snprintf(buf, cap, "%s[", ovcc_element_type_name(p->type));
  if (p->shape.rank < 0)
    n += (size_t)snprintf(buf + n, cap - n, "...");
  for (int32_t i = 0; i < p->shape.rank && n < cap; i++) {
    if (p->shape.dims[i] >= 0)
      n += (size_t)snprintf(buf + n, cap - n, "%s%" PRId64, i ? "," : "", p->shape.dims[i]);
    else
      n += (size_t)snprintf(buf + n, cap - n, "%s?", i ? "," : "");
  }
  if (n < cap)
    snprintf(buf + n, cap - n, "]");
}

static void format_dims(ovcc_element_type t, const int64_t *dims, int32_t rank, char *buf,
                        size_t cap) {
  size_t n = (size_t)snprintf(buf, cap, "%s[", ovcc_element_type_name(t));
  for (int32_t i = 0; i < rank && n < cap; i++)
    n += (size_t)snprintf(buf + n, cap - n, "%s%" PRId64, i ? "," : "", dims[i]);
  if (n < cap)
    snprintf(buf + n, cap - n, "]");
}

static bool shape_fits(const ovcc_partial_shape *s, const int64_t *dims, int32_t rank) {
  if (s->rank < 0)
    return true;
  if (s->rank != rank)
    return false;
  for (int32_t i = 0; i < rank; i++)
    if (dims[i] < s->min[i] || (s->max[i] >= 0 && dims[i] > s->max[i]))
      return false;
  return true;
}

/* Reads FILE for input i and sets it (the array must outlive the infer). */
static int load_input(ovcc_infer_request *r, const ovcc_port_info *p, size_t i, const char *file,
                      npy_array *arr) {
  char err[512], want[256], got[256];
  if (npy_read(file, arr, err, sizeof err) != OVCC_OK)
    return die("input '%s' (#%zu): cannot read '%s': %s", p->name, i, file, err);
  if (p->type != arr->type && npy_exchange_type(p->type) == arr->type && !npy_narrow(arr, p->type))
    return die("out of memory");
  format_partial(p, want, sizeof want);
  format_dims(arr->type, arr->dims, arr->rank, got, sizeof got);
  if (arr->type != p->type || !shape_fits(&p->shape, arr->dims, arr->rank))
    return die("input '%s' (#%zu): '%s' is %s, the model expects %s", p->name, i, file, got, want);
  ovcc_tensor t = {.type = arr->type, .rank = arr->rank, .data = arr->data, .nbytes = arr->nbytes};
  memcpy(t.dims, arr->dims, sizeof t.dims);
  if (ovcc_infer_request_set_input(r, i, &t) != OVCC_OK)
    return die("input '%s' (#%zu): %s", p->name, i, ovcc_infer_request_last_error(r));
  return 0;
}

static int write_npy(const char *dir, const char *stem, size_t k, const ovcc_tensor *t);

/* Generates input i (seed + i), announces it and saves it as DIR/input<i>.npy. */
static int generate_input(ovcc_infer_request *r, const ovcc_port_info *p, size_t i,
                          const run_args *a) {
  int64_t dims[OVCC_MAX_RANK];
  int32_t rank;
  if (!gen_input_dims(&p->shape, dims, &rank))
    return die("input '%s' (#%zu) has a dynamic rank: give it with --input", p->name, i);
  ovcc_tensor t;
  if (ovcc_infer_request_input_tensor(r, i, dims, rank, &t) != OVCC_OK)
    return die("input '%s' (#%zu): %s", p->name, i, ovcc_infer_request_last_error(r));
  uint64_t count = 1;
  for (int32_t k = 0; k < rank; k++)
    count *= (uint64_t)dims[k];
  if (!gen_input_fill(t.type, t.data, count, a->seed + i))
    return die("input '%s' (#%zu): cannot generate %s values: give it with --input", p->name, i,
               ovcc_element_type_name(t.type));
  char desc[256];
  format_dims(t.type, dims, rank, desc, sizeof desc);
  fprintf(stderr, "ovcc-run: input '%s' (#%zu) not given: generated %s, %s, seed %" PRIu64
          ", saved as %s/input%zu.npy\n", p->name, i, desc, gen_input_distribution(t.type),
          a->seed + i, a->out_dir, i);
  return write_npy(a->out_dir, "input", i, &t);
}

static int set_inputs(ovcc_compiled_model *cm, ovcc_infer_request *r, const run_args *a,
                      npy_array *arrays) {
  size_t n = ovcc_compiled_model_num_inputs(cm);
  const char **files = calloc(n ? n : 1, sizeof *files);
  if (!files)
    return die("out of memory");
  int rc = 0;
  for (int j = 0; j < a->n_inputs && !rc; j++) {
    long i = resolve_key(cm, a->inputs[j].key);
    if (i < 0)
      rc = 1;
    else if (files[i])
      rc = die("input #%ld is given twice (--input %s)", i, a->inputs[j].key);
    else
      files[i] = a->inputs[j].file;
  }
  for (size_t i = 0; i < n && !rc; i++) {
    ovcc_port_info p;
    if (ovcc_compiled_model_input(cm, i, &p) != OVCC_OK)
      rc = die("input #%zu: cannot query it", i);
    else
      rc = files[i] ? load_input(r, &p, i, files[i], &arrays[i]) : generate_input(r, &p, i, a);
  }
  free(files);
  return rc;
}

/* ---- outputs ---- */

/* numpy has no bf16 or sub-byte types: they travel as npy_exchange_type()
 * (tools/npy_exchange.h): bf16 as f32 (exact), u1/u4 as u8, i4 as i8. */
static int write_npy(const char *dir, const char *stem, size_t k, const ovcc_tensor *t) {
  char path[4096], err[512];
  snprintf(path, sizeof path, "%s/%s%zu.npy", dir, stem, k);
  ovcc_element_type type = npy_exchange_type(t->type);
  const void *data = t->data;
  size_t nbytes = t->nbytes;
  void *widened = NULL;
  if (type != t->type) {
    uint64_t count = 1;
    for (int32_t i = 0; i < t->rank; i++)
      count *= (uint64_t)t->dims[i];
    if (!(widened = npy_widen(t->type, t->data, count)))
      return die("out of memory");
    data = widened;
    nbytes = count * ovcc_element_type_size(type);
  }
  ovcc_status st = npy_write(path, type, t->dims, t->rank, data, nbytes, err, sizeof err);
  free(widened);
  if (st != OVCC_OK)
    return die("cannot write '%s': %s", path, err);
  return 0;
}

static void json_output(FILE *f, const ovcc_port_info *p, size_t k, const ovcc_tensor *t) {
  fprintf(f, "    {\"index\": %zu, \"name\": ", k);
  json_string(f, p->name);
  fputs(", \"names\": [", f);
  for (size_t i = 0; i < p->n_names; i++) {
    fputs(i ? ", " : "", f);
    json_string(f, p->names[i]);
  }
  fprintf(f, "], \"element_type\": \"%s\", \"shape\": [", ovcc_element_type_name(t->type));
  for (int32_t i = 0; i < t->rank; i++)
    fprintf(f, "%s%" PRId64, i ? ", " : "", t->dims[i]);
  fprintf(f, "], \"file\": \"output%zu.npy\"", k);
  if (npy_exchange_type(t->type) != t->type)
    fprintf(f, ", \"npy_element_type\": \"%s\"", ovcc_element_type_name(npy_exchange_type(t->type)));
  fputc('}', f);
}

static int write_outputs(ovcc_compiled_model *cm, ovcc_infer_request *r, const run_args *a) {
  size_t n = ovcc_compiled_model_num_outputs(cm);
  char path[4096];
  snprintf(path, sizeof path, "%s/outputs.json", a->out_dir);
  FILE *f = fopen(path, "w");
  if (!f)
    return die("cannot create '%s': %s", path, strerror(errno));
  fputs("{\n  \"model\": ", f);
  json_string(f, a->model);
  fputs(",\n  \"outputs\": [\n", f);
  int rc = 0;
  for (size_t k = 0; k < n && !rc; k++) {
    ovcc_port_info p;
    ovcc_tensor t;
    if (ovcc_compiled_model_output(cm, k, &p) != OVCC_OK ||
        ovcc_infer_request_get_output(r, k, &t) != OVCC_OK) {
      rc = die("output #%zu: %s", k, ovcc_infer_request_last_error(r));
      break;
    }
    rc = write_npy(a->out_dir, "output", k, &t);
    json_output(f, &p, k, &t);
    fputs(k + 1 < n ? ",\n" : "\n", f);
  }
  fputs("  ]\n}\n", f);
  if (fclose(f) != 0 && !rc)
    rc = die("cannot write '%s'", path);
  return rc;
}

/* mkdir -p */
static int make_dir(const char *dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s", dir);
  for (char *p = path + 1;; p++) {
    bool end = *p == 0;
    if (*p == '/' || end) {
      *p = 0;
      if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return die("cannot create directory '%s': %s", path, strerror(errno));
      if (end)
        return 0;
      *p = '/';
    }
  }
}

/* ---- main ---- */

static int run(ovcc_context *ctx, const run_args *a) {
  ovcc_compile_options o;
  ovcc_compile_options_init(&o);
  o.threads = a->threads;
  o.opt_level = a->opt_level;
  o.cache_dir = a->cache_dir;
  ovcc_compiled_model *cm = NULL;
  if (ovcc_compile_file(ctx, a->model, &o, &cm) != OVCC_OK)
    return die("%s: %s", a->model, ovcc_context_last_error(ctx));
  ovcc_infer_request *r = NULL;
  size_t n_in = ovcc_compiled_model_num_inputs(cm);
  npy_array *arrays = calloc(n_in ? n_in : 1, sizeof *arrays);
  int rc = 0;
  if (!arrays)
    rc = die("out of memory");
  else if (ovcc_infer_request_create(cm, &r) != OVCC_OK)
    rc = die("%s", ovcc_context_last_error(ctx));
  if (!rc)
    rc = make_dir(a->out_dir);
  if (!rc)
    rc = set_inputs(cm, r, a, arrays);
  if (!rc && ovcc_infer_request_infer(r) != OVCC_OK)
    rc = die("%s: infer: %s", a->model, ovcc_infer_request_last_error(r));
  if (!rc)
    rc = write_outputs(cm, r, a);
  ovcc_infer_request_free(r);
  for (size_t i = 0; arrays && i < n_in; i++)
    npy_free(&arrays[i]);
  free(arrays);
  ovcc_compiled_model_free(cm);
  return rc;
}

int main(int argc, char **argv) {
  run_args a;
  int rc = parse_args(argc, argv, &a);
  if (rc < 0) {
    usage(stdout);
    return 0;
  }
  if (rc == 0 && aot_run_is_library(a.model)) {
    const char *keys[MAX_INPUT_ARGS], *files[MAX_INPUT_ARGS];
    for (int i = 0; i < a.n_inputs; i++) {
      keys[i] = a.inputs[i].key;
      files[i] = a.inputs[i].file;
    }
    rc = make_dir(a.out_dir);
    if (rc == 0)
      rc = aot_run(a.model, a.out_dir, a.threads, a.seed, keys, files, a.n_inputs);
  } else if (rc == 0) {
    ovcc_context *ctx;
    if (ovcc_context_create(&ctx) != OVCC_OK)
      return die("cannot create a context");
    rc = run(ctx, &a);
    ovcc_context_free(ctx);
  }
  for (int i = 0; i < a.n_inputs; i++)
    free((char *)a.inputs[i].key);
  return rc;
}
