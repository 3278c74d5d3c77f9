/* ovcc: the ahead-of-time compiler driver. A model in, a self-contained
 * shared library (and its C header) out; see docs/aot.md.
 *
 *   ovcc MODEL.xml -o model.so [-H model.h] [-O0..-O3] [--name=PREFIX]
 *        [--cpu=NAME] [--precision=f32|native] [--emit=obj|asm|llvm|ir]
 *
 * Exit status: 0 success, 1 an error diagnosed while compiling or linking
 * ("ovcc: error: <message>" on stderr), 2 a usage error. */
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

enum { EXIT_ERROR = 1, EXIT_USAGE = 2 };

typedef struct ovcc_args {
  const char *model, *out, *header, *name, *cpu, *target;
  int level;
  ir_etype precision;
  bool emit_set;
  cg_aot_kind emit;
  ir_shape shapes[64]; /* --shape, one per model input in order */
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
        "  --cpu=NAME            target CPU (default: this host's, with its features)\n"
        "  --target=TRIPLE       target triple; only the host's is supported yet\n"
        "  --precision=f32|native  inference precision (default f32, as OpenVINO's CPU plugin)\n"
        "  --emit=obj|asm|llvm|ir  write the object, assembly, LLVM IR or graph IR, no library\n"
        "  --shape=D0,D1,...     static shape for the next model input (all of them, in order);\n"
        "                        needed for models with dynamic dimensions ('--shape=' a scalar)\n"
        "  --help, --version\n\n"
        "environment: OVCC_CC, the C compiler driver that links (default cc)\n",
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
  ir_shape *s = &a->shapes[a->n_shapes++];
  memset(s, 0, sizeof *s);
  for (const char *p = v; *p;) {
    char *end;
    long long d = strtoll(p, &end, 10);
    if (end == p || d < 0 || s->rank == IR_MAX_RANK || (*end && *end != ','))
      return usage("--shape: '%s' is not a list of dimensions (e.g. 1,3,224,224)", v);
    s->d[s->rank++] = ir_dim_static(d);
    p = *end ? end + 1 : end;
  }
  return -1;
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
  bool to_stdout = !strcmp(path, "-");
  FILE *f = to_stdout ? stdout : fopen(path, "wb");
  if (!f)
    return fail("cannot create '%s'", path);
  size_t w = fwrite(data, 1, n, f);
  int bad = to_stdout ? fflush(f) : fclose(f);
  if (w != n || bad)
    return fail("cannot write '%s'", path);
  return 0;
}

static int check_target(const char *target) {
  if (!target)
    return 0;
  char *host = LLVMGetDefaultTargetTriple();
  bool same = strcmp(host, target) == 0 ||
              (strncmp(target, "x86_64", 6) == 0 && strncmp(host, "x86_64", 6) == 0);
  LLVMDisposeMessage(host);
  return same ? 0
              : fail("--target=%s: cross-compilation is not supported yet (only the host's)",
                     target);
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

static int compile(const ovcc_args *a, const char *prefix) {
  ir_diag d;
  ir_diag_clear(&d);
  ir_model *m = NULL;
  if (fe_read_model_file(a->model, &m, &d) != OVCC_OK)
    return fail("%s: %s", a->model, d.msg);
  cg_options o;
  cg_options_init(&o);
  o.opt_level = a->level;
  o.cpu = a->cpu;
  o.precision = a->precision;
  if (a->n_shapes) {
    o.input_shapes = a->shapes;
    o.n_input_shapes = a->n_shapes;
  } else if (has_dynamic_input(m)) {
    ir_model_free(m);
    return fail("%s: the model has dynamic input dimensions; give every input a static shape "
                "with --shape (run-time dimensions are not supported yet)",
                a->model);
  }
  cg_aot_output out;
  ovcc_status st = cg_aot_compile(m, &o, prefix, a->emit_set ? a->emit : CG_AOT_OBJ, &out, &d);
  ir_model_free(m);
  if (st != OVCC_OK)
    return fail("%s: %s", a->model, d.msg);
  int rc = 0;
  if (a->emit_set)
    rc = write_out(a->out, out.code, out.code_size);
  else if (cg_aot_link(out.code, out.code_size, a->out, prefix, &d) != OVCC_OK)
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
  int rc = check_target(a.target);
  if (rc)
    return rc;
  char *prefix = a.name ? strdup(a.name) : default_prefix(a.model);
  if (!prefix)
    return fail("out of memory");
  rc = compile(&a, prefix);
  free(prefix);
  return rc;
}
