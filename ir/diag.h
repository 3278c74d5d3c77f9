/* Diagnostics: the error object every fallible function fills (SQLite style).
 * The message buffer is inline, so reporting never allocates (NOMEM safe).
 * The innermost code that knows a fact records it; callers add context with
 * ir_diag_prefix ("model.xml:12: layer 'conv1' (id 7, Convolution-1): "). */
#ifndef OVCC_IR_DIAG_H
#define OVCC_IR_DIAG_H

#include <stdarg.h>

#include "ovcc/status.h"

enum { IR_DIAG_MSG_MAX = 2048 };

typedef struct ir_diag {
  ovcc_status status;
  char msg[IR_DIAG_MSG_MAX];
  int line, col;         /* input location of the error (text IR line, XML line), 0 = unknown */
  const char *src_file;  /* ovcc source that raised it (debug aid) */
  int src_line;
} ir_diag;

void ir_diag_clear(ir_diag *d);
/* Records status and message; returns the status so callers can `return IR_ERR(...)`. */
ovcc_status ir_diag_set_at(ir_diag *d, ovcc_status st, const char *file, int line,
                           const char *fmt, ...) __attribute__((format(printf, 5, 6)));
ovcc_status ir_diag_vset_at(ir_diag *d, ovcc_status st, const char *file, int line,
                            const char *fmt, va_list ap);
/* Prepends formatted context to the current message (truncating safely). */
void ir_diag_prefix(ir_diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define IR_ERR(d, st, ...) ir_diag_set_at((d), (st), __FILE__, __LINE__, __VA_ARGS__)
#define IR_NOMEM(d) ir_diag_set_at((d), OVCC_ERR_NOMEM, __FILE__, __LINE__, "out of memory")
/* Propagate a failing status. */
#define IR_TRY(expr)                                                                               \
  do {                                                                                             \
    ovcc_status ir_try_st_ = (expr);                                                               \
    if (ir_try_st_ != OVCC_OK)                                                                     \
      return ir_try_st_;                                                                           \
  } while (0)

#endif
