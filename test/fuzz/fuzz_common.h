/* Shared checks of the fuzz targets (libFuzzer, -DOVCC_FUZZ=ON).
 *
 * Bad input must give an error status, never a crash, a leak or a sanitizer
 * report. A model that reads without error must also keep the invariants the
 * docs promise; breaking one is a bug, and the target traps so libFuzzer keeps
 * the input:
 *  - print -> parse -> print is byte-identical (docs/textual-ir.md);
 *  - the -O2 pipeline either fails with a message or leaves a model that
 *    verifies and prints;
 *  - no step returns OVCC_ERR_INTERNAL (a broken invariant inside ovcc). */
#ifndef OVCC_FUZZ_COMMON_H
#define OVCC_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/frontend.h"
#include "passes/passes.h"

/* Largest constant -O2 folds while fuzzing: keeps each input fast. */
enum { FUZZ_FOLD_MAX_BYTES = 1 << 16 };

static void fuzz_fail(const char *what, const ir_diag *d) {
  fprintf(stderr, "ovcc fuzz invariant broken: %s\n", what);
  if (d && d->status != OVCC_OK)
    fprintf(stderr, "  status %d: %s\n", (int)d->status, d->msg);
  fflush(stderr);
  __builtin_trap();
}

static void fuzz_check_status(ovcc_status st, const char *step, const ir_diag *d) {
  if (st == OVCC_ERR_INTERNAL) {
    char what[128];
    snprintf(what, sizeof what, "%s returned OVCC_ERR_INTERNAL", step);
    fuzz_fail(what, d);
  }
}

/* Prints m into a malloc'ed buffer (*len bytes). NULL if printing failed. */
static char *fuzz_print(ir_model *m, size_t *len, ir_diag *d) {
  char *buf = NULL;
  FILE *f = open_memstream(&buf, len);
  if (!f)
    return NULL;
  ovcc_status st = ir_print_model(m, f, d);
  if (fclose(f) != 0 || st != OVCC_OK) {
    fuzz_check_status(st, "ir_print_model", d);
    free(buf);
    return NULL;
  }
  return buf;
}

/* print -> parse -> print must reproduce the first print byte for byte. */
static void fuzz_check_roundtrip(ir_model *m) {
  ir_diag d;
  ir_diag_clear(&d);
  size_t n1 = 0, n2 = 0;
  char *p1 = fuzz_print(m, &n1, &d);
  if (!p1)
    fuzz_fail("a model that read (or passed -O2) does not print", &d);
  ir_model *m2 = NULL;
  ovcc_status st = fe_read_text(p1, n1, "printed.ovir", NULL, &m2, &d);
  if (st != OVCC_OK) {
    fprintf(stderr, "---- printed IR ----\n%.*s\n----\n", (int)(n1 < 65536 ? n1 : 65536), p1);
    fuzz_fail("the printed IR does not parse", &d);
  }
  char *p2 = fuzz_print(m2, &n2, &d);
  if (!p2)
    fuzz_fail("the re-parsed IR does not print", &d);
  if (n1 != n2 || memcmp(p1, p2, n1) != 0) {
    size_t i = 0;
    while (i < n1 && i < n2 && p1[i] == p2[i])
      i++;
    size_t from = i > 200 ? i - 200 : 0;
    fprintf(stderr, "first difference at byte %zu\n---- first print ----\n%.*s\n", i,
            (int)((n1 - from) < 400 ? n1 - from : 400), p1 + from);
    fprintf(stderr, "---- second print ----\n%.*s\n----\n",
            (int)((n2 - from) < 400 ? n2 - from : 400), p2 + from);
    fuzz_fail("print -> parse -> print is not byte-identical", NULL);
  }
  free(p1);
  free(p2);
  ir_model_free(m2);
}

/* Runs -O2 on m; if it succeeds the result must verify and round-trip. */
static void fuzz_check_o2(ir_model *m) {
  ir_diag d;
  ir_diag_clear(&d);
  pass_options opts;
  memset(&opts, 0, sizeof opts);
  opts.fold_constants_max_bytes = FUZZ_FOLD_MAX_BYTES;
  FILE *null = fopen("/dev/null", "w");
  opts.report = null;
  ovcc_status st = pass_run_list(m, pass_pipeline_for_level(2), &opts, &d);
  if (null)
    fclose(null);
  fuzz_check_status(st, "-O2", &d);
  if (st != OVCC_OK)
    return;
  st = ir_verify(m, &d);
  if (st != OVCC_OK)
    fuzz_fail("the -O2 output does not verify", &d);
  fuzz_check_roundtrip(m);
}

/* The checks every target runs on a model that read without error. */
static void fuzz_check_model(ir_model *m) {
  fuzz_check_roundtrip(m);
  fuzz_check_o2(m);
}

#endif
