/* .npy reader and writer (see npy.h). The header is a Python dict literal:
 * {'descr': '<f4', 'fortran_order': False, 'shape': (1, 10), } padded with
 * spaces and a newline so the data starts on a 64-byte boundary. */
#include "tools/npy.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
  ovcc_element_type type;
  const char *descr; /* as written; readers also accept '=' and '|'/'<' variants */
} npy_types[] = {
    {OVCC_BOOLEAN, "|b1"}, {OVCC_I8, "|i1"},  {OVCC_U8, "|u1"},  {OVCC_I16, "<i2"},
    {OVCC_U16, "<u2"},     {OVCC_I32, "<i4"}, {OVCC_U32, "<u4"}, {OVCC_I64, "<i8"},
    {OVCC_U64, "<u8"},     {OVCC_F16, "<f2"}, {OVCC_F32, "<f4"}, {OVCC_F64, "<f8"},
};
enum { N_NPY_TYPES = sizeof npy_types / sizeof npy_types[0] };

static ovcc_status fail(char *err, size_t cap, ovcc_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static ovcc_status fail(char *err, size_t cap, ovcc_status st, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, cap, fmt, ap);
  va_end(ap);
  return st;
}

const char *npy_descr(ovcc_element_type t) {
  for (int i = 0; i < N_NPY_TYPES; i++)
    if (npy_types[i].type == t)
      return npy_types[i].descr;
  return NULL;
}

/* '<f4', '|f4', '=f4' and (one-byte types) '<u1' all name the same type. */
static bool descr_type(const char *d, size_t n, ovcc_element_type *out) {
  if (n != 3 || (d[0] != '<' && d[0] != '|' && d[0] != '='))
    return false;
  for (int i = 0; i < N_NPY_TYPES; i++)
    if (memcmp(npy_types[i].descr + 1, d + 1, 2) == 0) {
      *out = npy_types[i].type;
      return true;
    }
  return false;
}

void npy_free(npy_array *a) {
  if (a) {
    free(a->data);
    a->data = NULL;
  }
}

/* ---- header parsing ---- */

/* Points past `'key':` (quotes ' or ") in h, skipping spaces; NULL if absent. */
static const char *find_key(const char *h, const char *key) {
  size_t k = strlen(key);
  for (const char *p = h; (p = strpbrk(p, "'\"")); p++) {
    if (strncmp(p + 1, key, k) == 0 && p[k + 1] == p[0]) {
      p += k + 2;
      while (*p == ' ')
        p++;
      if (*p != ':')
        return NULL;
      p++;
      while (*p == ' ')
        p++;
      return p;
    }
  }
  return NULL;
}

static ovcc_status parse_shape(const char *p, npy_array *a, char *err, size_t cap) {
  if (*p != '(')
    return fail(err, cap, OVCC_ERR_INVALID_ARG, "malformed header: 'shape' is not a tuple");
  p++;
  a->rank = 0;
  for (;;) {
    while (*p == ' ' || *p == ',')
      p++;
    if (*p == ')')
      return OVCC_OK;
    if (!isdigit((unsigned char)*p))
      return fail(err, cap, OVCC_ERR_INVALID_ARG, "malformed header: bad 'shape'");
    if (a->rank == OVCC_MAX_RANK)
      return fail(err, cap, OVCC_ERR_INVALID_ARG, "rank above %d", OVCC_MAX_RANK);
    errno = 0;
    char *end;
    long long v = strtoll(p, &end, 10);
    if (errno || v > ((int64_t)1 << 40))
      return fail(err, cap, OVCC_ERR_INVALID_ARG, "absurd dimension in 'shape'");
    a->dims[a->rank++] = v;
    p = end;
    while (*p == ' ' || *p == 'L')
      p++;
    if (*p != ',' && *p != ')')
      return fail(err, cap, OVCC_ERR_INVALID_ARG, "malformed header: bad 'shape'");
  }
}

static ovcc_status parse_header(const char *h, npy_array *a, char *err, size_t cap) {
  const char *d = find_key(h, "descr"), *f = find_key(h, "fortran_order"),
             *s = find_key(h, "shape");
  if (!d || !f || !s)
    return fail(err, cap, OVCC_ERR_INVALID_ARG,
                "malformed header: needs 'descr', 'fortran_order' and 'shape'");
  if (*d != '\'' && *d != '"')
    return fail(err, cap, OVCC_ERR_INVALID_ARG, "unsupported 'descr' (structured array?)");
  const char *e = strchr(d + 1, *d);
  if (!e)
    return fail(err, cap, OVCC_ERR_INVALID_ARG, "malformed header: bad 'descr'");
  if (!descr_type(d + 1, (size_t)(e - d - 1), &a->type))
    return fail(err, cap, OVCC_ERR_INVALID_ARG,
                "unsupported dtype '%.*s' (expected little-endian bool, int, uint or float)",
                (int)(e - d - 1), d + 1);
  if (strncmp(f, "False", 5) != 0)
    return fail(err, cap, OVCC_ERR_INVALID_ARG,
                "Fortran-order arrays are not supported (save with np.ascontiguousarray)");
  return parse_shape(s, a, err, cap);
}

ovcc_status npy_parse(const uint8_t *b, size_t n, npy_array *out, char *err, size_t cap) {
  if (n < 10 || memcmp(b, "\x93NUMPY", 6) != 0)
    return fail(err, cap, OVCC_ERR_INVALID_ARG, "not a .npy file (bad magic)");
  unsigned major = b[6];
  size_t hlen, hstart;
  if (major == 1) {
    hlen = (size_t)b[8] | (size_t)b[9] << 8;
    hstart = 10;
  } else if (major == 2 || major == 3) {
    if (n < 12)
      return fail(err, cap, OVCC_ERR_INVALID_ARG, "truncated header");
    hlen = (size_t)b[8] | (size_t)b[9] << 8 | (size_t)b[10] << 16 | (size_t)b[11] << 24;
    hstart = 12;
  } else {
    return fail(err, cap, OVCC_ERR_INVALID_ARG, "unsupported .npy version %u", major);
  }
  if (hlen > n - hstart)
    return fail(err, cap, OVCC_ERR_INVALID_ARG, "truncated header");
  char *h = malloc(hlen + 1);
  if (!h)
    return fail(err, cap, OVCC_ERR_NOMEM, "out of memory");
  memcpy(h, b + hstart, hlen);
  h[hlen] = 0;
  npy_array a = {0};
  ovcc_status st = parse_header(h, &a, err, cap);
  free(h);
  if (st != OVCC_OK)
    return st;
  uint64_t numel = 1;
  for (int32_t i = 0; i < a.rank; i++) {
    if (a.dims[i] && numel > UINT64_MAX / 8 / (uint64_t)a.dims[i])
      return fail(err, cap, OVCC_ERR_INVALID_ARG, "absurd shape");
    numel *= (uint64_t)a.dims[i];
  }
  a.nbytes = (size_t)(numel * ovcc_element_type_size(a.type));
  size_t have = n - hstart - hlen;
  if (have != a.nbytes)
    return fail(err, cap, OVCC_ERR_INVALID_ARG, "data is %zu bytes, the header says %zu", have,
                a.nbytes);
  a.data = aligned_alloc(64, (a.nbytes + 63) / 64 * 64 + 64);
  if (!a.data)
    return fail(err, cap, OVCC_ERR_NOMEM, "out of memory");
  memcpy(a.data, b + hstart + hlen, a.nbytes);
  *out = a;
  return OVCC_OK;
}

ovcc_status npy_read(const char *path, npy_array *out, char *err, size_t cap) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return fail(err, cap, OVCC_ERR_IO, "cannot open: %s", strerror(errno));
  uint8_t *buf = NULL;
  size_t n = 0, cap_buf = 0;
  for (;;) {
    if (n == cap_buf) {
      size_t next = cap_buf ? cap_buf * 2 : 1 << 16;
      uint8_t *grown = realloc(buf, next);
      if (!grown) {
        free(buf);
        fclose(f);
        return fail(err, cap, OVCC_ERR_NOMEM, "out of memory");
      }
      buf = grown;
      cap_buf = next;
    }
    size_t got = fread(buf + n, 1, cap_buf - n, f);
    n += got;
    if (got == 0)
      break;
  }
  bool bad = ferror(f);
  fclose(f);
  ovcc_status st = bad ? fail(err, cap, OVCC_ERR_IO, "read error")
                       : npy_parse(buf, n, out, err, cap);
  free(buf);
  return st;
}

ovcc_status npy_write(const char *path, ovcc_element_type t, const int64_t *dims, int32_t rank,
                      const void *data, size_t nbytes, char *err, size_t cap) {
  const char *descr = npy_descr(t);
  if (!descr)
    return fail(err, cap, OVCC_ERR_UNSUPPORTED, "numpy has no %s type",
                ovcc_element_type_name(t));
  char dict[1024];
  int len = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': (",
                     descr);
  for (int32_t i = 0; i < rank; i++)
    len += snprintf(dict + len, sizeof dict - (size_t)len, "%lld,%s", (long long)dims[i],
                    i + 1 < rank ? " " : "");
  len += snprintf(dict + len, sizeof dict - (size_t)len, "), }");
  size_t total = 10 + (size_t)len + 1;
  size_t padded = (total + 63) / 64 * 64;
  size_t hlen = padded - 10;
  uint8_t head[1100];
  memcpy(head, "\x93NUMPY\x01\x00", 8);
  head[8] = (uint8_t)(hlen & 0xff);
  head[9] = (uint8_t)(hlen >> 8);
  memset(head + 10, ' ', hlen);
  memcpy(head + 10, dict, (size_t)len);
  head[padded - 1] = '\n';
  FILE *f = fopen(path, "wb");
  if (!f)
    return fail(err, cap, OVCC_ERR_IO, "cannot create: %s", strerror(errno));
  bool ok = fwrite(head, 1, padded, f) == padded && (!nbytes || fwrite(data, 1, nbytes, f) == nbytes);
  ok = (fclose(f) == 0) && ok;
  return ok ? OVCC_OK : fail(err, cap, OVCC_ERR_IO, "write error: %s", strerror(errno));
}
