/* ovcc — status codes shared by every room and the public API.
 * 0 is success; broad codes say what kind of failure, the message in the
 * caller's diagnostics object says where and why. */
#ifndef OVCC_STATUS_H
#define OVCC_STATUS_H

typedef enum ovcc_status {
  OVCC_OK = 0,
  OVCC_ERR_INVALID_MODEL = 1, /* the model (XML, .bin, text IR) is malformed or inconsistent */
  OVCC_ERR_UNSUPPORTED = 2,   /* well formed, but ovcc cannot handle it (yet) */
  OVCC_ERR_NOMEM = 3,         /* an allocation failed */
  OVCC_ERR_IO = 4,            /* a file could not be opened, mapped, read or written */
  OVCC_ERR_INVALID_ARG = 5,   /* a caller passed a bad argument (API misuse, bad option) */
  OVCC_ERR_INTERNAL = 6,      /* a broken invariant inside ovcc: a bug */
} ovcc_status;

/* Static, never-allocating name of a status ("invalid model", ...). */
const char *ovcc_status_str(ovcc_status s);

#endif
