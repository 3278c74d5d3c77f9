/* ovcc-opt: reads a model (textual IR, or IR .xml with its .bin), runs named
 * passes, verifies and prints the textual IR. The test driver of the pass
 * room: `ovcc-opt in.ovir --passes=cse | FileCheck in.ovir`.
 *
 * Exit status: 0 success, 1 a diagnosed error ("ovcc-opt: <message>" on
 * stderr), 2 bad usage. With -o OUT the output goes to a temporary file in
 * OUT's directory that is renamed over OUT only when everything succeeded. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend/frontend.h"
#include "codegen/compile.h"
#include "passes/passes.h"
#include "tools/out_file.h"

enum { EXIT_ERROR = 1, EXIT_USAGE = 2 };

typedef struct opt_args {
  const char *file;
  const char *out;
  const char *passes; /* explicit list, or NULL */
  int level;          /* -O level; 0 if none */
  bool split, verify_diags;
  int emit;                 /* -1: print textual IR; else a cg_emit_kind */
  const char *mtriple, *mcpu, *mattr; /* --emit target: triple, CPU, features (default: host) */
  bool keep_precision;      /* --precision=model: no convert-precision */
  pass_options popts;
} opt_args;

static void print_help(FILE *f) {
  fprintf(f, "usage: ovcc-opt FILE [options]\n"
             "  FILE: textual IR (.ovir), IR .xml (with the .bin beside it), or - for stdin\n\n"
             "options:\n"
             "  --passes=a,b,...          run these passes in order (overrides -O)\n"
             "  -O0 .. -O3                run a named pipeline (default -O0: none)\n"
             "  -o OUT                    write the IR to OUT (atomically) instead of stdout\n"
             "  --verify-each             run the verifier after every pass\n"
             "  --split-input-file        process each '// -----' chunk on its own\n"
             "  --verify-diagnostics      check errors against '// expected-error' annotations\n"
             "  --print-ir-after=PASS|all print the IR after PASS (or every pass) to stderr\n"
             "  --timing                  report wall time per pass to stderr\n"
             "  --stats                   report pass statistics to stderr\n"
             "  --fold-constants-max-bytes=N  largest result fold-constants creates\n"
             "  --emit=llvm|asm|obj       compile (after the passes) and print the LLVM IR,\n"
             "                            assembly or object file instead of textual IR\n"
             "  --mtriple=TRIPLE          --emit for this target (default: the host's;\n"
             "                            e.g. aarch64-linux-gnu)\n"
             "  --mcpu=NAME               --emit for this CPU (default: the host's; 'generic'\n"
             "                            for another architecture)\n"
             "  --mattr=+a,-b             --emit target features (added to the CPU's)\n"
             "  --precision=f32|model     --emit inference precision: f32 (default) computes\n"
             "                            f16/bf16 tensors in f32; model keeps their types\n"
             "  --help, --version\n\n"
             "passes:\n");
  for (uint32_t i = 0; i < pass_count(); i++)
    fprintf(f, "  %-24s  %s\n", pass_at(i)->name, pass_at(i)->summary);
  fprintf(f, "\npipelines:\n");
  for (int l = 0; pass_pipeline_for_level(l); l++) {
    const char *p = pass_pipeline_for_level(l);
    fprintf(f, "  -O%d  %s\n", l, *p ? p : "(none: read, verify, print)");
  }
}

static int usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "ovcc-opt: ");
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nusage: ovcc-opt FILE [--passes=a,b,...] [-O0..-O3] [-o OUT] (see --help)\n");
  return EXIT_USAGE;
}

/* Checks every name of a pass list; returns the bad one's message or 0. */
static int check_pass_list(const char *list) {
  char name[128];
  const char *p = list;
  while (*p) {
    size_t n = strcspn(p, ",");
    const char *s = p;
    size_t len = n;
    while (len && *s == ' ')
      s++, len--;
    while (len && s[len - 1] == ' ')
      len--;
    snprintf(name, sizeof name, "%.*s", (int)len, s);
    if (!pass_lookup(name))
      return usage("unknown pass '%s'", name);
    p += n;
    if (*p == ',')
      p++;
  }
  return 0;
}

static bool opt_value(const char *arg, const char *key, const char **val) {
  size_t n = strlen(key);
  if (strncmp(arg, key, n) != 0 || arg[n] != '=')
    return false;
  *val = arg + n + 1;
  return true;
}

/* Returns -1 to go on, else the exit status. */
static int parse_flag(opt_args *a, int argc, char **argv, int *i) {
  const char *arg = argv[*i], *v;
  if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
    print_help(stdout);
    return 0;
  }
  if (!strcmp(arg, "--version")) {
    printf("ovcc-opt %s\n", OVCC_VERSION);
    return 0;
  }
  if (!strcmp(arg, "-o")) {
    if (*i + 1 >= argc)
      return usage("option '%s' needs a file name", arg);
    a->out = argv[++*i];
  } else if (opt_value(arg, "--passes", &v)) {
    a->passes = v;
  } else if (arg[0] == '-' && arg[1] == 'O' && arg[2] >= '0' && arg[2] <= '3' && !arg[3]) {
    a->level = arg[2] - '0';
  } else if (!strcmp(arg, "--verify-each")) {
    a->popts.verify_each = true;
  } else if (!strcmp(arg, "--split-input-file")) {
    a->split = true;
  } else if (!strcmp(arg, "--verify-diagnostics")) {
    a->verify_diags = true;
  } else if (opt_value(arg, "--print-ir-after", &v)) {
    if (strcmp(v, "all") != 0 && !pass_lookup(v))
      return usage("unknown pass '%s' in --print-ir-after", v);
    a->popts.print_after = v;
  } else if (opt_value(arg, "--emit", &v)) {
    if (!strcmp(v, "llvm"))
      a->emit = CG_EMIT_LLVM;
    else if (!strcmp(v, "asm"))
      a->emit = CG_EMIT_ASM;
    else if (!strcmp(v, "obj"))
      a->emit = CG_EMIT_OBJ;
    else
      return usage("bad value '%s' for --emit (llvm, asm, obj)", v);
  } else if (opt_value(arg, "--mtriple", &v)) {
    a->mtriple = v;
  } else if (opt_value(arg, "--mcpu", &v)) {
    a->mcpu = v;
  } else if (opt_value(arg, "--mattr", &v)) {
    a->mattr = v;
  } else if (opt_value(arg, "--precision", &v)) {
    if (strcmp(v, "f32") != 0 && strcmp(v, "model") != 0)
      return usage("bad value '%s' for --precision (f32, model)", v);
    a->keep_precision = !strcmp(v, "model");
  } else if (!strcmp(arg, "--timing")) {
    a->popts.timing = true;
  } else if (!strcmp(arg, "--stats")) {
    a->popts.stats = true;
  } else if (opt_value(arg, "--fold-constants-max-bytes", &v)) {
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (!*v || *end || errno || n == 0)
      return usage("bad value '%s' for --fold-constants-max-bytes", v);
    a->popts.fold_constants_max_bytes = n;
  } else {
    return usage("unknown option '%s'", arg);
  }
  return -1;
}

static int parse_args(opt_args *a, int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (arg[0] == '-' && arg[1]) {
      int rc = parse_flag(a, argc, argv, &i);
      if (rc >= 0)
        return rc;
    } else if (a->file) {
      return usage("more than one input file ('%s')", arg);
    } else {
      a->file = arg;
    }
  }
  if (!a->file)
    return usage("no input file");
  if (a->passes) {
    int rc = check_pass_list(a->passes);
    if (rc)
      return rc;
  }
  a->popts.report = stderr;
  return -1;
}

/* ---- input ---- */

static bool is_xml(const char *path) {
  size_t n = strlen(path);
  return n >= 4 && strcmp(path + n - 4, ".xml") == 0;
}

/* Reads a whole file (or stdin for "-") into a NUL-terminated buffer. */
static char *read_all(const char *path, size_t *len) {
  FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!f)
    return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    if (n + 1 >= cap) {
      char *nb = realloc(buf, cap * 2);
      if (!nb) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = nb;
      cap *= 2;
    }
    size_t got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
    if (got == 0)
      break;
  }
  bool err = ferror(f);
  if (f != stdin)
    fclose(f);
  if (buf && err) {
    free(buf);
    buf = NULL;
  }
  if (buf) {
    buf[n] = 0;
    *len = n;
  }
  return buf;
}

/* The directory part of path (for relative weights files), malloc'd. */
static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash)
    return strdup(".");
  if (slash == path)
    return strdup("/");
  return strndup(path, (size_t)(slash - path));
}

/* ---- one chunk ---- */

typedef struct chunk {
  const char *text; /* start in the whole file */
  size_t len;
  int first_line; /* 1-based line of text[0] in the whole file */
} chunk;

/* Reads, runs the passes, verifies, prints. */
static ovcc_status run_model(ir_model *m, const opt_args *a, FILE *out, ir_diag *d) {
  IR_TRY(ir_verify(m, d));
  const char *list = a->passes ? a->passes : pass_pipeline_for_level(a->level);
  IR_TRY(pass_run_list(m, list, &a->popts, d));
  IR_TRY(ir_verify(m, d));
  if (a->emit >= 0) {
    cg_options o;
    cg_options_init(&o);
    o.opt_level = a->level;
    o.triple = a->mtriple;
    o.cpu = a->mcpu;
    o.cpu_features = a->mattr;
    if (a->keep_precision)
      o.precision = IR_ET_DYNAMIC;
    return cg_emit(m, &o, (cg_emit_kind)a->emit, out, d);
  }
  return ir_print_model(m, out, d);
}

static ovcc_status run_chunk(const chunk *c, const char *name, const char *base_dir,
                             const opt_args *a, FILE *out, ir_diag *d) {
  /* Blank lines in front keep the chunk's line numbers those of the file. */
  size_t pad = (size_t)(c->first_line - 1);
  char *buf = malloc(pad + c->len + 1);
  if (!buf)
    return IR_NOMEM(d);
  memset(buf, '\n', pad);
  memcpy(buf + pad, c->text, c->len);
  buf[pad + c->len] = 0;
  ir_model *m = NULL;
  ovcc_status st = fe_read_text(buf, pad + c->len, name, base_dir, &m, d);
  free(buf);
  if (st == OVCC_OK)
    st = run_model(m, a, out, d);
  ir_model_free(m);
  return st;
}

/* ---- splitting ---- */

static bool is_split_line(const char *p, size_t n) {
  while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
    n--;
  return n == 8 && memcmp(p, "// -----", 8) == 0;
}

/* Cuts text at '// -----' lines; returns the count (chunks malloc'd). */
static size_t split_chunks(const char *text, size_t len, bool split, chunk **out) {
  size_t cap = 8, n = 0;
  chunk *cs = malloc(cap * sizeof *cs);
  if (!cs)
    return 0;
  const char *start = text, *p = text, *end = text + len;
  int line = 1, start_line = 1;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *eol = nl ? nl : end;
    if (split && is_split_line(p, (size_t)(eol - p))) {
      if (n == cap) {
        chunk *ns = realloc(cs, cap * 2 * sizeof *cs);
        if (!ns) {
          free(cs);
          return 0;
        }
        cs = ns;
        cap *= 2;
      }
      cs[n++] = (chunk){start, (size_t)(p - start), start_line};
      start = nl ? nl + 1 : end;
      start_line = line + 1;
    }
    p = nl ? nl + 1 : end;
    line++;
  }
  if (n == cap) {
    chunk *ns = realloc(cs, (cap + 1) * sizeof *cs);
    if (!ns) {
      free(cs);
      return 0;
    }
    cs = ns;
  }
  cs[n++] = (chunk){start, (size_t)(end - start), start_line};
  *out = cs;
  return n;
}

/* ---- expected diagnostics ---- */

enum { EXPECT_MAX = 64, EXPECT_TEXT_MAX = 512 };

typedef struct expectation {
  int line;        /* line the error must be reported at; 0 with `unknown` */
  int annot_line;  /* line of the annotation itself */
  bool matched;
  char text[EXPECT_TEXT_MAX];
} expectation;

/* Parses one `expected-error [@+N|@-N|@unknown] {{text}}` at p; false if malformed. */
static bool parse_expectation(const char *p, const char *eol, int line, expectation *e) {
  p += strlen("expected-error");
  while (p < eol && *p == ' ')
    p++;
  e->line = line;
  e->annot_line = line;
  e->matched = false;
  if (p < eol && *p == '@') {
    p++;
    if (eol - p >= 7 && strncmp(p, "unknown", 7) == 0) {
      e->line = 0;
      p += 7;
    } else if (*p == '+' || *p == '-') {
      char *end;
      long off = strtol(p, &end, 10);
      if (end == p + 1 || end > eol)
        return false;
      e->line = line + (int)off;
      p = end;
    } else {
      return false;
    }
  }
  while (p < eol && *p == ' ')
    p++;
  if (eol - p < 4 || strncmp(p, "{{", 2) != 0)
    return false;
  p += 2;
  const char *close = p;
  while (close + 1 < eol && strncmp(close, "}}", 2) != 0)
    close++;
  if (close + 1 >= eol || (size_t)(close - p) >= EXPECT_TEXT_MAX)
    return false;
  memcpy(e->text, p, (size_t)(close - p));
  e->text[close - p] = 0;
  return true;
}

/* Collects the annotations of a chunk; returns count, or -1 (message printed). */
static int collect_expectations(const chunk *c, const char *name, expectation *es) {
  int n = 0, line = c->first_line;
  const char *p = c->text, *end = c->text + c->len;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *eol = nl ? nl : end;
    const char *hit = NULL;
    for (const char *q = p; q + 14 <= eol && !hit; q++)
      if (strncmp(q, "expected-error", 14) == 0)
        hit = q;
    if (hit) {
      if (n == EXPECT_MAX || !parse_expectation(hit, eol, line, &es[n])) {
        fprintf(stderr, "ovcc-opt: %s:%d: malformed or too many expected-error annotations\n",
                name, line);
        return -1;
      }
      n++;
    }
    p = nl ? nl + 1 : end;
    line++;
  }
  return n;
}

/* Judges one chunk's outcome against its annotations; true if all agree. */
static bool check_diagnostics(const chunk *c, const char *name, ovcc_status st, const ir_diag *d) {
  expectation es[EXPECT_MAX];
  int n = collect_expectations(c, name, es);
  if (n < 0)
    return false;
  bool ok = true;
  if (st != OVCC_OK) {
    int hit = -1;
    for (int i = 0; i < n && hit < 0; i++)
      if (es[i].line == d->line && strstr(d->msg, es[i].text))
        hit = i;
    if (hit >= 0) {
      es[hit].matched = true;
    } else {
      fprintf(stderr, "ovcc-opt: %s:%d: unexpected error: %s\n", name, d->line, d->msg);
      ok = false;
    }
  }
  for (int i = 0; i < n; i++)
    if (!es[i].matched) {
      fprintf(stderr, "ovcc-opt: %s:%d: expected error at line %d was not produced: {{%s}}\n",
              name, es[i].annot_line, es[i].line, es[i].text);
      ok = false;
    }
  return ok;
}

/* ---- main ---- */

static int run_text(const opt_args *a, const char *name, out_file *o) {
  size_t len = 0;
  char *text = read_all(a->file, &len);
  if (!text) {
    fprintf(stderr, "ovcc-opt: %s: cannot read: %s\n", name, strerror(errno ? errno : EIO));
    return EXIT_ERROR;
  }
  chunk *cs = NULL;
  size_t n = split_chunks(text, len, a->split, &cs);
  char *base = strcmp(a->file, "-") ? dir_of(a->file) : NULL;
  int rc = n ? 0 : EXIT_ERROR;
  if (!n)
    fprintf(stderr, "ovcc-opt: out of memory\n");
  bool printed = false;
  for (size_t i = 0; i < n; i++) {
    ir_diag d;
    ir_diag_clear(&d);
    char *buf = NULL;
    size_t blen = 0;
    FILE *mem = open_memstream(&buf, &blen);
    ovcc_status st = mem ? run_chunk(&cs[i], name, base, a, mem, &d) : IR_NOMEM(&d);
    if (mem && fclose(mem) != 0 && st == OVCC_OK)
      st = IR_NOMEM(&d);
    if (st == OVCC_OK) { /* a chunk's output appears whole or not at all */
      if (printed)
        fputs("// -----\n", o->f);
      fwrite(buf, 1, blen, o->f);
      printed = true;
    }
    free(buf);
    if (a->verify_diags) {
      if (!check_diagnostics(&cs[i], name, st, &d))
        rc = EXIT_ERROR;
    } else if (st != OVCC_OK) {
      fprintf(stderr, "ovcc-opt: %s\n", d.msg);
      rc = EXIT_ERROR;
    }
  }
  free(base);
  free(cs);
  free(text);
  return rc;
}

static int run_xml(const opt_args *a, out_file *o) {
  ir_diag d;
  ir_diag_clear(&d);
  ir_model *m = NULL;
  ovcc_status st = fe_read_model_file(a->file, &m, &d);
  if (st == OVCC_OK)
    st = run_model(m, a, o->f, &d);
  ir_model_free(m);
  if (st == OVCC_OK)
    return 0;
  fprintf(stderr, "ovcc-opt: %s\n", d.msg);
  return EXIT_ERROR;
}

int main(int argc, char **argv) {
  opt_args a;
  memset(&a, 0, sizeof a);
  a.emit = -1;
  int rc = parse_args(&a, argc, argv);
  if (rc >= 0)
    return rc;
  bool xml = strcmp(a.file, "-") != 0 && is_xml(a.file);
  if (xml && (a.split || a.verify_diags))
    return usage("'%s': --split-input-file and --verify-diagnostics need textual IR", a.file);
  if (strcmp(a.file, "-") != 0 && access(a.file, R_OK) != 0) {
    fprintf(stderr, "ovcc-opt: %s: cannot open: %s\n", a.file, strerror(errno));
    return EXIT_ERROR;
  }
  out_file o;
  if (!out_file_open(&o, a.out)) {
    fprintf(stderr, "ovcc-opt: %s: cannot create output: %s\n", a.out, strerror(errno));
    return EXIT_ERROR;
  }
  const char *name = strcmp(a.file, "-") ? a.file : "<stdin>";
  rc = xml ? run_xml(&a, &o) : run_text(&a, name, &o);
  if (!out_file_close(&o, a.out, rc == 0)) {
    fprintf(stderr, "ovcc-opt: %s: cannot write output: %s\n", a.out ? a.out : "<stdout>",
            strerror(errno));
    rc = EXIT_ERROR;
  }
  return rc;
}
