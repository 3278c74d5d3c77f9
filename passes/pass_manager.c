/* The pass manager: the pass table (from passes.def), pass lists parsed from
 * "a,b,c", and the instrumentation around each pass: --verify-each (ir_verify
 * after every pass), --timing (wall clock per pass), --stats (named counters
 * each pass bumps with pass_stat) and --print-ir-after=<pass>|all.
 * Everything a run reports goes to opts->report (stderr if NULL). */
#include "passes.h"

#include <string.h>
#include <time.h>

static const pass_info PASS_TABLE[] = {
#define PASS(cname, name, summary) {name, summary, pass_##cname##_run},
#include "passes.def"
#undef PASS
};

enum {
  PASS_TABLE_SIZE = sizeof PASS_TABLE / sizeof PASS_TABLE[0],
  PASS_LIST_MAX = 256, /* passes in one list */
  PASS_NAME_MAX = 64,  /* characters of one pass name */
};

const pass_info *pass_lookup(const char *name) {
  for (uint32_t i = 0; i < PASS_TABLE_SIZE; i++)
    if (strcmp(PASS_TABLE[i].name, name) == 0)
      return &PASS_TABLE[i];
  return NULL;
}

uint32_t pass_count(void) { return PASS_TABLE_SIZE; }

const pass_info *pass_at(uint32_t i) { return i < PASS_TABLE_SIZE ? &PASS_TABLE[i] : NULL; }

void pass_stat(pass_ctx *ctx, const char *name, uint64_t n) {
  for (uint32_t i = 0; i < ctx->n_stats; i++)
    if (strcmp(ctx->stat_names[i], name) == 0) {
      ctx->stat_values[i] += n;
      return;
    }
  if (ctx->n_stats == PASS_MAX_STATS)
    return; /* a pass declares at most PASS_MAX_STATS counters */
  ctx->stat_names[ctx->n_stats] = name;
  ctx->stat_values[ctx->n_stats] = n;
  ctx->n_stats++;
}

/* Splits "a, b,c" into pass infos; unknown or empty names fail before
 * anything runs. An empty (or all-blank) list is valid and runs nothing. */
static ovcc_status parse_list(const char *list, const pass_info **out, uint32_t *n_out,
                              ir_diag *d) {
  uint32_t n = 0;
  const char *p = list ? list : "";
  while (*p == ' ')
    p++;
  if (!*p) {
    *n_out = 0;
    return OVCC_OK;
  }
  for (;;) {
    const char *end = strchr(p, ',');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    const char *s = p;
    while (len && *s == ' ')
      s++, len--;
    while (len && s[len - 1] == ' ')
      len--;
    char name[PASS_NAME_MAX + 1];
    if (len == 0)
      return IR_ERR(d, OVCC_ERR_INVALID_ARG, "empty pass name in pass list '%s'", list);
    if (len > PASS_NAME_MAX)
      return IR_ERR(d, OVCC_ERR_INVALID_ARG, "unknown pass '%.*s'", (int)len, s);
    memcpy(name, s, len);
    name[len] = 0;
    const pass_info *pi = pass_lookup(name);
    if (!pi)
      return IR_ERR(d, OVCC_ERR_INVALID_ARG, "unknown pass '%s'", name);
    if (n == PASS_LIST_MAX)
      return IR_ERR(d, OVCC_ERR_INVALID_ARG, "pass list longer than %d passes", PASS_LIST_MAX);
    out[n++] = pi;
    if (!end)
      break;
    p = end + 1;
  }
  *n_out = n;
  return OVCC_OK;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void report_stats(FILE *f, const pass_ctx *ctx) {
  fprintf(f, "// stats: %s\n", ctx->pass_name);
  for (uint32_t i = 0; i < ctx->n_stats; i++)
    fprintf(f, "//   %s = %llu\n", ctx->stat_names[i], (unsigned long long)ctx->stat_values[i]);
}

static bool wants_print(const pass_options *o, const char *name) {
  return o->print_after && (strcmp(o->print_after, "all") == 0 || strcmp(o->print_after, name) == 0);
}

/* Runs one pass with its instrumentation. */
static ovcc_status run_one(ir_model *m, const pass_info *pi, const pass_options *o, FILE *rep,
                           double *elapsed, ir_diag *d) {
  pass_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.opts = o;
  ctx.pass_name = pi->name;
  double t0 = now_seconds();
  ovcc_status st = pi->run(m, &ctx, d);
  *elapsed = now_seconds() - t0;
  if (st != OVCC_OK)
    return st;
  if (o->timing)
    fprintf(rep, "// timing: %-16s %10.6f s\n", pi->name, *elapsed);
  if (o->stats)
    report_stats(rep, &ctx);
  if (o->verify_each) {
    st = ir_verify(m, d);
    if (st != OVCC_OK) {
      ir_diag_prefix(d, "after pass '%s': ", pi->name);
      return st;
    }
  }
  if (wants_print(o, pi->name)) {
    fprintf(rep, "// IR after %s\n", pi->name);
    IR_TRY(ir_print_model(m, rep, d));
  }
  return OVCC_OK;
}

ovcc_status pass_run_list(ir_model *m, const char *list, const pass_options *opts, ir_diag *d) {
  static const pass_options defaults = {0};
  const pass_options *o = opts ? opts : &defaults;
  FILE *rep = o->report ? o->report : stderr;
  const pass_info *passes[PASS_LIST_MAX];
  uint32_t n = 0;
  IR_TRY(parse_list(list, passes, &n, d));
  double total = 0;
  for (uint32_t i = 0; i < n; i++) {
    double elapsed = 0;
    IR_TRY(run_one(m, passes[i], o, rep, &elapsed, d));
    total += elapsed;
  }
  if (o->timing && n)
    fprintf(rep, "// timing: %-16s %10.6f s\n", "total", total);
  return OVCC_OK;
}
