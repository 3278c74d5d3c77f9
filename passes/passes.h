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
  uint64_t fold_constants_max_bytes; /* fold-constants: largest result folded (0: default) */
} pass_options;

enum { PASS_MAX_STATS = 16 };

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

/* ---- pass_util.c: helpers shared by the rewriting passes ---- */
/* True if a Result of v's graph reads v (v is a graph output). */
bool pass_value_feeds_result(const ir_value *v);
/* Legality of replacing `from` by `to`: false where the output names of
 * `from` would have to move onto a Parameter (renaming a model input). */
bool pass_can_replace(const ir_value *from, const ir_value *to);
/* Replaces every use of `from` by `to`; if `from` is a graph output its tensor
 * names are added to `to`'s. */
ovcc_status pass_replace_value(ir_model *m, ir_value *from, ir_value *to, ir_diag *d);
/* No side effects: a registered op that is no sink, not stateful, no
 * Parameter, and whose bodies hold no stateful op. */
bool pass_op_is_pure(const ir_op *op);
/* Erases `op` if it is pure and its results are unused, then the defs of its
 * operands that became dead in turn (worklist). Adds the count to *n_erased. */
ovcc_status pass_erase_if_dead(ir_op *op, uint64_t *n_erased, ir_diag *d);

/* ---- pipelines.c ---- */
/* The pass list of -O0..-O3 (level 0..3), as a comma-separated string. */
const char *pass_pipeline_for_level(int level);

#endif
