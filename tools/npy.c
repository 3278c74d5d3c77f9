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
    free(a->strings);
    a->data = NULL;
    a->strings = NULL;
  }
}

/* ---- strings ---- */

/* 'U<n>' (UTF-32 code points) or 'S<n>' (bytes): *unit 4 or 1, *width n. */
static bool descr_string(const char *d, size_t n, size_t *unit, size_t *width) {
  if (n < 3 || (d[0] != '<' && d[0] != '|' && d[0] != '=') || (d[1] != 'U' && d[1] != 'S'))
    return false;
  size_t w = 0;
  for (size_t i = 2; i < n; i++) {
    if (!isdigit((unsigned char)d[i]) || w > (1u << 24))
      return false;
    w = w * 10 + (size_t)(d[i] - '0');
  }
  *unit = d[1] == 'U' ? 4 : 1;
  *width = w;
  return true;
}

static size_t utf8_put(char *o, uint32_t c) {
  if (c < 0x80) {
    o[0] = (char)c;
    return 1;
  }
  if (c < 0x800) {
    o[0] = (char)(0xc0 | c >> 6);
    o[1] = (char)(0x80 | (c & 0x3f));
    return 2;
  }
  if (c < 0x10000) {
    o[0] = (char)(0xe0 | c >> 12);
    o[1] = (char)(0x80 | (c >> 6 & 0x3f));
    o[2] = (char)(0x80 | (c & 0x3f));
    return 3;
  }
  o[0] = (char)(0xf0 | c >> 18);
  o[1] = (char)(0x80 | (c >> 12 & 0x3f));
  o[2] = (char)(0x80 | (c >> 6 & 0x3f));
  o[3] = (char)(0x80 | (c & 0x3f));
  return 4;
}

/* The next code point of UTF-8 s[*i..n), or UINT32_MAX if malformed. */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *i) {
  unsigned char b = s[(*i)++];
  if (b < 0x80)
    return b;
  int more = b >= 0xf0 && b < 0xf8 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : -1;
  if (more < 0 || *i + (size_t)more > n)
    return UINT32_MAX;
  uint32_t c = b & (0x3f >> more);
  for (int k = 0; k < more; k++) {
    if ((s[*i] & 0xc0) != 0x80)
      return UINT32_MAX;
    c = c << 6 | (s[(*i)++] & 0x3f);
  }
  return c > 0x10ffff ? UINT32_MAX : c;
}

/* numel fixed-width items of `unit`-byte code units at src into a's
 * ovcc_string elements over one UTF-8 buffer. */
static ovcc_status decode_strings(npy_array *a, const uint8_t *src, uint64_t numel, size_t unit,
                                  size_t width, char *err, size_t cap) {
  a->nbytes = (size_t)numel * sizeof(ovcc_string);
  a->data = aligned_alloc(64, (a->nbytes + 63) / 64 * 64 + 64);
  a->strings = malloc((size_t)numel * width * 4 + 1);
  if (!a->data || !a->strings) {
    npy_free(a);
    return fail(err, cap, OVCC_ERR_NOMEM, "out of memory");
  }
  ovcc_string *el = a->data;
  char *o = a->strings;
  for (uint64_t e = 0; e < numel; e++) {
    const uint8_t *item = src + e * width * unit;
    size_t len = width; /* numpy drops trailing NULs */
    while (len > 0) {
      const uint8_t *u = item + (len - 1) * unit;
      uint32_t c = unit == 4 ? (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 |
                                   (uint32_t)u[3] << 24
                             : u[0];
      if (c)
        break;
      len--;
    }
    el[e].data = o;
    for (size_t k = 0; k < len; k++) {
      const uint8_t *u = item + k * unit;
      if (unit == 1) {
        *o++ = (char)u[0];
        continue;
      }
      uint32_t c = (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 |
                   (uint32_t)u[3] << 24;
      if (c > 0x10ffff || (c >= 0xd800 && c < 0xe000)) {
        npy_free(a);
        return fail(err, cap, OVCC_ERR_INVALID_ARG, "string %llu holds an invalid code point",
                    (unsigned long long)e);
      }
      o += utf8_put(o, c);
    }
    el[e].size = (size_t)(o - el[e].data);
  }
  return OVCC_OK;
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

static ovcc_status parse_header(const char *h, npy_array *a, size_t *str_unit, size_t *str_width,
                                char *err, size_t cap) {
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
  *str_unit = 0;
  if (descr_string(d + 1, (size_t)(e - d - 1), str_unit, str_width))
    a->type = OVCC_STRING;
  else if (!descr_type(d + 1, (size_t)(e - d - 1), &a->type))
    return fail(err, cap, OVCC_ERR_INVALID_ARG,
                "unsupported dtype '%.*s' (expected little-endian bool, int, uint, float or "
                "fixed-width string)",
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
  size_t str_unit = 0, str_width = 0;
  ovcc_status st = parse_header(h, &a, &str_unit, &str_width, err, cap);
  free(h);
  if (st != OVCC_OK)
    return st;
  uint64_t numel = 1;
  for (int32_t i = 0; i < a.rank; i++) {
    if (a.dims[i] && numel > UINT64_MAX / 8 / (uint64_t)a.dims[i])
      return fail(err, cap, OVCC_ERR_INVALID_ARG, "absurd shape");
    numel *= (uint64_t)a.dims[i];
  }
  size_t have = n - hstart - hlen;
  if (a.type == OVCC_STRING) {
    /* Data bounds numel for width >= 1; an empty-width array has no data,
     * so its descriptors (16 bytes each) are bounded here. */
    if ((numel && str_width > UINT64_MAX / 4 / numel) || (str_width == 0 && numel > (1u << 24)))
      return fail(err, cap, OVCC_ERR_INVALID_ARG, "absurd shape");
    if (have != numel * str_width * str_unit)
      return fail(err, cap, OVCC_ERR_INVALID_ARG, "data is %zu bytes, the header says %llu", have,
                  (unsigned long long)(numel * str_width * str_unit));
    st = decode_strings(&a, b + hstart + hlen, numel, str_unit, str_width, err, cap);
    if (st == OVCC_OK)
      *out = a;
    return st;
  }
  a.nbytes = (size_t)(numel * ovcc_element_type_size(a.type));
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

/* OVCC_STRING elements as numpy's '<U<width>' data (UTF-32LE, NUL-padded),
 * malloc'ed into *out. */
static ovcc_status encode_strings(const ovcc_string *el, size_t count, uint32_t **out,
                                  size_t *width, char *err, size_t cap) {
  size_t w = 1;
  for (size_t e = 0; e < count; e++) {
    size_t i = 0, cps = 0;
    while (i < el[e].size) {
      if (utf8_next((const unsigned char *)el[e].data, el[e].size, &i) == UINT32_MAX)
        return fail(err, cap, OVCC_ERR_INVALID_ARG, "string %zu is not valid UTF-8", e);
      cps++;
    }
    w = cps > w ? cps : w;
  }
  uint32_t *u = calloc(count * w + 1, sizeof *u);
  if (!u)
    return fail(err, cap, OVCC_ERR_NOMEM, "out of memory");
  for (size_t e = 0; e < count; e++)
    for (size_t i = 0, k = 0; i < el[e].size; k++)
      u[e * w + k] = utf8_next((const unsigned char *)el[e].data, el[e].size, &i);
  *out = u;
  *width = w;
  return OVCC_OK;
}

ovcc_status npy_write(const char *path, ovcc_element_type t, const int64_t *dims, int32_t rank,
                      const void *data, size_t nbytes, char *err, size_t cap) {
  char str_descr[32];
  uint32_t *utf32 = NULL;
  if (t == OVCC_STRING) { /* little-endian hosts: code points as stored */
    size_t width = 0, count = nbytes / sizeof(ovcc_string);
    ovcc_status st = encode_strings(data, count, &utf32, &width, err, cap);
    if (st != OVCC_OK)
      return st;
    snprintf(str_descr, sizeof str_descr, "<U%zu", width);
    data = utf32;
    nbytes = count * width * 4;
  }
  const char *descr = t == OVCC_STRING ? str_descr : npy_descr(t);
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
  if (!f) {
    free(utf32);
    return fail(err, cap, OVCC_ERR_IO, "cannot create: %s", strerror(errno));
  }
  bool ok = fwrite(head, 1, padded, f) == padded && (!nbytes || fwrite(data, 1, nbytes, f) == nbytes);
  ok = (fclose(f) == 0) && ok;
  free(utf32);
  return ok ? OVCC_OK : fail(err, cap, OVCC_ERR_IO, "write error: %s", strerror(errno));
}
