/* ovcc: the ahead-of-time compiler driver. A model in, a self-contained
 * shared library (and its C header) out; see docs/aot.md.
 *
 *   ovcc MODEL.xml -o model.so [-H model.h] [-O0..-O3] [--name=PREFIX]
 *        [--target=TRIPLE] [--cpu=NAME] [--mattr=FEATURES]
 *        [--precision=f32|native] [--emit=obj|asm|llvm|ir] [--shape=...]
 *
 * Exit status: 0 success, 1 an error diagnosed while compiling or linking
 * ("ovcc: error: <message>" on stderr), 2 a usage error. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

#include "codegen/aot.h"
#include "codegen/aotrt/aot_abi.h"
#include "frontend/frontend.h"
#include "tools/cache_cli.h"
#include "tools/out_file.h"

enum { EXIT_ERROR = 1, EXIT_USAGE = 2, OVCC_MAX_SPECS = 16 };

typedef struct ovcc_args {
  const char *model, *out, *header, *name, *cpu, *mattr, *target;
  int level;
  ir_etype precision;
  bool emit_set;
  cg_aot_kind emit;
  /* --shape, one per model input in order; each with its alternatives
   * (';'-separated: one specialization each) */
  ir_shape shapes[64][OVCC_MAX_SPECS];
  uint32_t n_alts[64];
  uint32_t n_shapes;
} ovcc_args;

static void print_help(FILE *f) {
  fputs("usage: ovcc MODEL.xml -o OUT [options]\n"
        "       ovcc cache list|verify|clear DIR | ovcc cache prune DIR --max-size SIZE\n"
        "Compiles an OpenVINO IR model ahead of time into a shared library that depends\n"
        "only on libc, libm and libpthread and exports PREFIX_* (docs/aot.md); `ovcc cache`\n"
        "manages a compiled-code cache directory (docs/cache.md).\n\n"
        "options:\n"
        "  -o FILE               output: the shared library (or what --emit names; '-': stdout)\n"
        "  -H FILE               also write the library's C header\n"
        "  -O0 .. -O3            optimization level (default -O2)\n"
        "  --name=PREFIX         symbol prefix, a C identifier (default: from MODEL's file name)\n"
        "  --target=TRIPLE       target triple (default: this host's); x86_64-linux-gnu or\n"
        "                        aarch64-linux-gnu (cross: linked by TRIPLE-gcc)\n"
        "  --cpu=NAME            target CPU (default: this host's, with its features; for\n"
        "                        another architecture 'generic')\n"
        "  --mattr=FEATURES      CPU features to add or remove ('+sve', '-avx512f')\n"
        "  --precision=f32|native  inference precision (default f32, as OpenVINO's CPU plugin)\n"
        "  --emit=obj|asm|llvm|ir  write the object, assembly, LLVM IR or graph IR, no library\n"
        "  --shape=D0,D1,...[;D0,D1,...]\n"
        "                        shape of the next model input (all of them, in order; '--shape='\n"
        "                        a scalar); needed for models with dynamic dimensions. ';' gives\n"
        "                        alternatives: one specialization each, picked at run time by\n"
        "                        the input shapes the caller passes (inputs with one shape keep\n"
        "                        it in every specialization; at most 16)\n"
        "  --help, --version\n\n"
        "environment: OVCC_CC, the C compiler driver that links (default cc, or\n"
        "TRIPLE-gcc for another architecture, e.g. aarch64-linux-gnu-gcc)\n",
        f);
}

static int usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("ovcc: error: ", stderr);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputs("\nusage: ovcc MODEL.xml -o OUT [-H HEADER] [-O0..-O3] [--name=PREFIX] (see --help)\n",
        stderr);
  return EXIT_USAGE;
}

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("ovcc: error: ", stderr);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  return EXIT_ERROR;
}

static bool opt_value(const char *arg, const char *key, const char **val) {
  size_t n = strlen(key);
  if (strncmp(arg, key, n) != 0 || arg[n] != '=')
    return false;
  *val = arg + n + 1;
  return true;
}

static int parse_emit(ovcc_args *a, const char *v) {
  static const struct {
    const char *name;
    cg_aot_kind kind;
  } kinds[] = {{"obj", CG_AOT_OBJ}, {"asm", CG_AOT_ASM}, {"llvm", CG_AOT_LLVM}, {"ir", CG_AOT_IR}};
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (!strcmp(v, kinds[i].name)) {
      a->emit = kinds[i].kind;
      a->emit_set = true;
      return -1;
    }
  return usage("unknown --emit kind '%s' (obj, asm, llvm or ir)", v);
}

static int parse_shape(ovcc_args *a, const char *v) {
  if (a->n_shapes == sizeof a->shapes / sizeof a->shapes[0])
    return usage("too many --shape options");
  uint32_t in = a->n_shapes++;
  a->n_alts[in] = 0;
  for (const char *p = v;;) {
    if (a->n_alts[in] == OVCC_MAX_SPECS)
      return usage("--shape: more than %d alternatives in '%s'", OVCC_MAX_SPECS, v);
    ir_shape *s = &a->shapes[in][a->n_alts[in]++];
    memset(s, 0, sizeof *s);
    while (*p && *p != ';') {
      char *end;
      long long d = strtoll(p, &end, 10);
      if (end == p || d < 0 || s->rank == IR_MAX_RANK || (*end && *end != ',' && *end != ';'))
        return usage("--shape: '%s' is not a list of dimensions (e.g. 1,3,224,224 or "
                     "1,10;8,10)",
                     v);
      s->d[s->rank++] = ir_dim_static(d);
      p = *end == ',' ? end + 1 : end;
    }
    if (!*p)
      return -1;
    p++; /* ';' */
  }
}

/* Returns -1 to go on, else the exit status. */
static int parse_arg(ovcc_args *a, int argc, char **argv, int *i) {
  const char *arg = argv[*i], *v;
  if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
    print_help(stdout);
    return 0;
  }
  if (!strcmp(arg, "--version")) {
    printf("ovcc %s (AOT ABI %d)\n", OVCC_VERSION, OVCC_AOT_ABI_VERSION);
    return 0;
  }
  if (!strcmp(arg, "-o") || !strcmp(arg, "-H")) {
    if (*i + 1 >= argc)
      return usage("option '%s' needs a file name", arg);
    *(arg[1] == 'o' ? &a->out : &a->header) = argv[++*i];
  } else if (arg[0] == '-' && arg[1] == 'O' && arg[2] >= '0' && arg[2] <= '3' && !arg[3]) {
    a->level = arg[2] - '0';
  } else if (opt_value(arg, "--name", &v)) {
    if (!cg_aot_valid_prefix(v))
      return usage("--name: '%s' is not a C identifier", v);
    a->name = v;
  } else if (opt_value(arg, "--cpu", &v)) {
    a->cpu = v;
  } else if (opt_value(arg, "--mattr", &v)) {
    a->mattr = v;
  } else if (opt_value(arg, "--target", &v)) {
    a->target = v;
  } else if (opt_value(arg, "--precision", &v)) {
    if (!strcmp(v, "f32"))
      a->precision = IR_ET_F32;
    else if (!strcmp(v, "native"))
      a->precision = IR_ET_DYNAMIC;
    else
      return usage("--precision: '%s' is not supported (f32 or native)", v);
  } else if (opt_value(arg, "--emit", &v)) {
    return parse_emit(a, v);
  } else if (opt_value(arg, "--shape", &v)) {
    return parse_shape(a, v);
  } else if (arg[0] == '-' && arg[1]) {
    return usage("unknown option '%s'", arg);
  } else if (a->model) {
    return usage("more than one model given ('%s', '%s')", a->model, arg);
  } else {
    a->model = arg;
  }
  return -1;
}

/* The default prefix: the model file's name without directory and
 * extension, other bytes than [A-Za-z0-9_] as '_', '_' first if a digit. */
static char *default_prefix(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t n = strcspn(base, ".");
  char *s = malloc(n + 2);
  if (!s)
    return NULL;
  size_t j = 0;
  if (n == 0 || (base[0] >= '0' && base[0] <= '9'))
    s[j++] = '_';
  for (size_t i = 0; i < n; i++) {
    char c = base[i];
    s[j++] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_';
  }
  s[j] = 0;
  return s;
}

static int write_out(const char *path, const void *data, size_t n) {
  return out_file_write(path, data, n) ? 0 : fail("cannot write '%s': %s", path, strerror(errno));
}

static bool has_dynamic_input(const ir_model *m) {
  for (uint32_t i = 0; i < m->main->n_params; i++) {
    const ir_shape *s = &m->main->params[i]->results[0].type.shape;
    if (s->rank < 0)
      return true;
    for (int32_t k = 0; k < s->rank; k++)
      if (ir_dim_is_dynamic(s->d[k]))
        return true;
  }
  return false;
}

/* How many specializations the --shape alternatives ask for (0: an error
 * was reported). */
static uint32_t count_specs(const ovcc_args *a) {
  uint32_t n = 1;
  for (uint32_t i = 0; i < a->n_shapes; i++)
    if (a->n_alts[i] > 1) {
      if (n > 1 && a->n_alts[i] != n) {
        usage("--shape: input %u has %u alternatives, an earlier one %u (give each input one "
              "shape or the same number of alternatives)",
              i, a->n_alts[i], n);
        return 0;
      }
      n = a->n_alts[i];
    }
  return n;
}

static void free_models(ir_model **models, uint32_t n) {
  for (uint32_t j = 0; j < n; j++)
    ir_model_free(models[j]);
}

static int compile(const ovcc_args *a, const char *prefix) {
  uint32_t n_specs = count_specs(a);
  if (!n_specs)
    return EXIT_USAGE;
  ir_diag d;
  ir_diag_clear(&d);
  /* One model per specialization: the passes rewrite each in place. */
  ir_model *models[OVCC_MAX_SPECS] = {0};
  cg_options opts[OVCC_MAX_SPECS];
  ir_shape spec_shapes[OVCC_MAX_SPECS][64];
  for (uint32_t j = 0; j < n_specs; j++) {
    if (fe_read_model_file(a->model, &models[j], &d) != OVCC_OK) {
      free_models(models, j);
      return fail("%s: %s", a->model, d.msg);
    }
    cg_options *o = &opts[j];
    cg_options_init(o);
    o->opt_level = a->level;
    o->triple = a->target;
    o->cpu = a->cpu;
    o->cpu_features = a->mattr;
    o->precision = a->precision;
    for (uint32_t i = 0; i < a->n_shapes; i++)
      spec_shapes[j][i] = a->shapes[i][a->n_alts[i] > 1 ? j : 0];
    if (a->n_shapes) {
      o->input_shapes = spec_shapes[j];
      o->n_input_shapes = a->n_shapes;
    }
  }
  if (!a->n_shapes && has_dynamic_input(models[0])) {
    free_models(models, n_specs);
    return fail("%s: the model has dynamic input dimensions; give every input its shape with "
                "--shape (or several, --shape=1,10;8,10: the library then checks the shapes "
                "given at run time and runs the matching specialization)",
                a->model);
  }
  cg_aot_output out;
  ovcc_status st = cg_aot_compile(models, opts, n_specs, prefix,
                                  a->emit_set ? a->emit : CG_AOT_OBJ, &out, &d);
  free_models(models, n_specs);
  if (st != OVCC_OK)
    return fail("%s: %s", a->model, d.msg);
  int rc = 0;
  if (a->emit_set)
    rc = write_out(a->out, out.code, out.code_size);
  else if (cg_aot_link(out.code, out.code_size, a->out, prefix, a->target, &d) != OVCC_OK)
    rc = fail("%s", d.msg);
  if (rc == 0 && a->header && out.header)
    rc = write_out(a->header, out.header, strlen(out.header));
  cg_aot_output_free(&out);
  return rc;
}

int main(int argc, char **argv) {
  if (argc >= 2 && !strcmp(argv[1], "cache")) /* ovcc cache list|verify|prune|clear DIR */
    return cache_cli(argc - 1, argv + 1);
  ovcc_args a = {.level = 2, .precision = IR_ET_F32};
  for (int i = 1; i < argc; i++) {
    int rc = parse_arg(&a, argc, argv, &i);
    if (rc >= 0)
      return rc;
  }
  if (!a.model)
    return usage("no model given");
  if (!a.out)
    return usage("no output given (-o FILE)");
  if (!a.emit_set && !strcmp(a.out, "-"))
    return usage("a shared library cannot go to stdout");
  if (a.header && a.emit_set && a.emit == CG_AOT_IR)
    return usage("-H needs code generation (not --emit=ir)");
  char *prefix = a.name ? strdup(a.name) : default_prefix(a.model);
  if (!prefix)
    return fail("out of memory");
  int rc = compile(&a, prefix);
  free(prefix);
  return rc;
}
