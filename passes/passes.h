/* The passes room: pass manager, named pipelines, one pass per file. */
#ifndef OVCC_PASSES_H
#define OVCC_PASSES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ir/ir.h"

typedef struct pass_options {
  bool verify_each;        /* run ir_verify after every pass */
  bool timing;             /* report wall time per pass */
  bool stats;              /* report pass statistics */
  const char *print_after; /* pass name, "all", or NULL: print IR after it */
  FILE *report;            /* where timing/stats/print-after output goes (stderr if NULL) */
} pass_options;

enum { PASS_MAX_STATS = 8 };

typedef struct pass_ctx {
  const pass_options *opts;
  const char *pass_name;
  uint32_t n_stats;
  const char *stat_names[PASS_MAX_STATS];
  uint64_t stat_values[PASS_MAX_STATS];
} pass_ctx;

/* Adds n to the named statistic of the running pass (--stats). */
void pass_stat(pass_ctx *ctx, const char *name, uint64_t n);

typedef ovcc_status (*pass_run_fn)(ir_model *m, pass_ctx *ctx, ir_diag *d);

typedef struct pass_info {
  const char *name;    /* cli name */
  const char *summary;
  pass_run_fn run;
} pass_info;

#define PASS(cname, name, summary) ovcc_status pass_##cname##_run(ir_model *m, pass_ctx *ctx, ir_diag *d);
#include "passes.def"
#undef PASS

/* ---- pass_manager.c ---- */
const pass_info *pass_lookup(const char *name);
uint32_t pass_count(void);
const pass_info *pass_at(uint32_t i);
/* Runs a comma-separated list of pass names ("infer-shapes,dce"). Unknown
 * names fail before anything runs. */
ovcc_status pass_run_list(ir_model *m, const char *list, const pass_options *opts, ir_diag *d);

/* ---- pipelines.c ---- */
/* The pass list of -O0..-O3 (level 0..3), as a comma-separated string. */
const char *pass_pipeline_for_level(int level);

#endif
