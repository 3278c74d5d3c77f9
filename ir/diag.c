#include "diag.h"

#include <stdio.h>
#include <string.h>

const char *ovcc_status_str(ovcc_status s) {
  switch (s) {
  case OVCC_OK: return "ok";
  case OVCC_ERR_INVALID_MODEL: return "invalid model";
  case OVCC_ERR_UNSUPPORTED: return "unsupported";
  case OVCC_ERR_NOMEM: return "out of memory";
  case OVCC_ERR_IO: return "i/o error";
  case OVCC_ERR_INVALID_ARG: return "invalid argument";
  case OVCC_ERR_INTERNAL: return "internal error";
  }
  return "unknown status";
}

void ir_diag_clear(ir_diag *d) {
  d->status = OVCC_OK;
  d->msg[0] = 0;
  d->line = d->col = 0;
  d->src_file = NULL;
  d->src_line = 0;
}

ovcc_status ir_diag_vset_at(ir_diag *d, ovcc_status st, const char *file, int line,
                            const char *fmt, va_list ap) {
  if (!d)
    return st;
  d->status = st;
  d->src_file = file;
  d->src_line = line;
  vsnprintf(d->msg, sizeof d->msg, fmt, ap);
  return st;
}

ovcc_status ir_diag_set_at(ir_diag *d, ovcc_status st, const char *file, int line,
                           const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ir_diag_vset_at(d, st, file, line, fmt, ap);
  va_end(ap);
  return st;
}

void ir_diag_prefix(ir_diag *d, const char *fmt, ...) {
  if (!d)
    return;
  char pre[IR_DIAG_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(pre, sizeof pre, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  size_t pl = strlen(pre), ml = strlen(d->msg);
  if (pl >= sizeof d->msg - 1)
    pl = sizeof d->msg - 1;
  if (pl + ml >= sizeof d->msg)
    ml = sizeof d->msg - 1 - pl;
  memmove(d->msg + pl, d->msg, ml);
  memcpy(d->msg, pre, pl);
  d->msg[pl + ml] = 0;
}
