/* Managing a cache directory: list, verify, prune to a size (least recently
 * used first: a hit touches its blob's mtime), clear. Only files the cache
 * wrote are touched: "<64 hex>.ovccblob" and their "<...>.ovccblob.tmp.XXXXXX"
 * temporaries. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache/cache.h"

#define BLOB_SUFFIX ".ovccblob"
/* Temporaries older than this are left by a crashed writer. */
#define STALE_TMP_SECONDS 3600

static bool is_hex(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return false;
  return true;
}

static bool is_blob_name(const char *name) {
  return strlen(name) == 2 * CACHE_KEY_BYTES + strlen(BLOB_SUFFIX) &&
         is_hex(name, 2 * CACHE_KEY_BYTES) && strcmp(name + 2 * CACHE_KEY_BYTES, BLOB_SUFFIX) == 0;
}

static bool is_tmp_name(const char *name) {
  const char *t = strstr(name, BLOB_SUFFIX ".tmp.");
  return t && t == name + 2 * CACHE_KEY_BYTES && is_hex(name, 2 * CACHE_KEY_BYTES);
}

static char *join(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *p = malloc(n);
  if (p)
    snprintf(p, n, "%s/%s", dir, name);
  return p;
}

static int by_recency(const void *a, const void *b) {
  const cache_entry *x = a, *y = b;
  return x->mtime_ns < y->mtime_ns ? 1 : x->mtime_ns > y->mtime_ns ? -1 : strcmp(x->name, y->name);
}

static ovcc_status add_entry(cache_entry **es, size_t *n, size_t *cap, const char *dir,
                             const char *name, const struct stat *st, bool tmp, ir_diag *d) {
  if (*n == *cap) {
    size_t c = *cap ? *cap * 2 : 16;
    cache_entry *g = realloc(*es, c * sizeof *g);
    if (!g)
      return IR_NOMEM(d);
    *es = g;
    *cap = c;
  }
  cache_entry *e = &(*es)[*n];
  memset(e, 0, sizeof *e);
  if (!(e->path = join(dir, name)))
    return IR_NOMEM(d);
  e->name = e->path + strlen(dir) + 1;
  e->size = (uint64_t)st->st_size;
  e->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
  e->temporary = tmp;
  (*n)++;
  return OVCC_OK;
}

ovcc_status cache_list(const char *dir, cache_entry **out, size_t *n_out, ir_diag *d) {
  *out = NULL;
  *n_out = 0;
  DIR *dh = opendir(dir);
  if (!dh)
    return IR_ERR(d, OVCC_ERR_IO, "%s: %s", dir, strerror(errno));
  cache_entry *es = NULL;
  size_t n = 0, cap = 0;
  ovcc_status st = OVCC_OK;
  for (struct dirent *e; st == OVCC_OK && (e = readdir(dh));) {
    bool blob = is_blob_name(e->d_name), tmp = !blob && is_tmp_name(e->d_name);
    struct stat sb;
    if ((blob || tmp) && fstatat(dirfd(dh), e->d_name, &sb, 0) == 0 && S_ISREG(sb.st_mode))
      st = add_entry(&es, &n, &cap, dir, e->d_name, &sb, tmp, d);
  }
  closedir(dh);
  if (st != OVCC_OK) {
    cache_entries_free(es, n);
    return st;
  }
  if (n)
    qsort(es, n, sizeof *es, by_recency);
  *out = es;
  *n_out = n;
  return OVCC_OK;
}

void cache_entries_free(cache_entry *es, size_t n) {
  for (size_t i = 0; es && i < n; i++)
    free(es[i].path);
  free(es);
}

static bool key_from_name(const char *name, cache_key *k) {
  if (!is_blob_name(name))
    return false;
  for (int i = 0; i < CACHE_KEY_BYTES; i++) {
    unsigned v;
    if (sscanf(name + 2 * i, "%2x", &v) != 1)
      return false;
    k->b[i] = (uint8_t)v;
  }
  return true;
}

ovcc_status cache_verify_file(const char *path, ir_diag *d) {
  const char *slash = strrchr(path, '/');
  const char *name = slash ? slash + 1 : path;
  cache_key k;
  if (!key_from_name(name, &k))
    return IR_ERR(d, OVCC_ERR_IO, "not a cache blob name");
  FILE *f = fopen(path, "rb");
  if (!f)
    return IR_ERR(d, OVCC_ERR_IO, "cannot read: %s", strerror(errno));
  uint8_t *buf = NULL;
  size_t n = 0, cap = 0;
  for (size_t r = 1; r > 0; n += r) {
    if (n == cap) {
      uint8_t *g = realloc(buf, cap = cap ? cap * 2 : 1 << 20);
      if (!g) {
        free(buf);
        fclose(f);
        return IR_NOMEM(d);
      }
      buf = g;
    }
    r = fread(buf + n, 1, cap - n, f);
  }
  bool err = ferror(f);
  fclose(f);
  ovcc_status st = err ? IR_ERR(d, OVCC_ERR_IO, "read error") : cache_check(&k, buf, n, d);
  free(buf);
  return st;
}

static bool stale(const cache_entry *e) {
  return (int64_t)time(NULL) - e->mtime_ns / 1000000000 > STALE_TMP_SECONDS;
}

ovcc_status cache_prune(const char *dir, uint64_t max_bytes, uint64_t *removed, ir_diag *d) {
  *removed = 0;
  cache_entry *es;
  size_t n;
  IR_TRY(cache_list(dir, &es, &n, d));
  uint64_t kept = 0;
  for (size_t i = 0; i < n; i++) { /* most recent first: keep while it fits */
    cache_entry *e = &es[i];
    bool drop = e->temporary ? stale(e) : kept + e->size > max_bytes;
    if (!drop) {
      kept += e->temporary ? 0 : e->size;
      continue;
    }
    if (unlink(e->path) == 0 || errno == ENOENT)
      *removed += e->size;
  }
  cache_entries_free(es, n);
  return OVCC_OK;
}

ovcc_status cache_clear(const char *dir, uint64_t *removed, ir_diag *d) {
  *removed = 0;
  cache_entry *es;
  size_t n;
  IR_TRY(cache_list(dir, &es, &n, d));
  ovcc_status st = OVCC_OK;
  for (size_t i = 0; i < n; i++) {
    if (unlink(es[i].path) == 0 || errno == ENOENT)
      *removed += es[i].size;
    else if (st == OVCC_OK)
      st = IR_ERR(d, OVCC_ERR_IO, "%s: %s", es[i].path, strerror(errno));
  }
  cache_entries_free(es, n);
  return st;
}

bool cache_parse_size(const char *s, uint64_t *out) {
  char *end;
  if (!s || *s < '0' || *s > '9')
    return false;
  unsigned long long v = strtoull(s, &end, 10);
  uint64_t mul = 1;
  if (*end == 'K' || *end == 'k')
    mul = 1ull << 10;
  else if (*end == 'M' || *end == 'm')
    mul = 1ull << 20;
  else if (*end == 'G' || *end == 'g')
    mul = 1ull << 30;
  if (mul != 1)
    end++;
  if (*end || v > UINT64_MAX / mul)
    return false;
  *out = (uint64_t)v * mul;
  return true;
}
