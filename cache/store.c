/* Blob files. Writers never expose a partial file: each writes its own
 * temporary file in the cache directory, fsyncs it and renames it over the
 * final name (atomic on POSIX), so concurrent writers of one key leave one
 * complete blob whichever rename lands last. Readers verify everything and
 * treat any failure as a miss. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache/cache.h"

static void warn(const cache_dir *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warn(const cache_dir *c, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (c->warn)
    c->warn(c->user, msg);
  else
    fprintf(stderr, "ovcc: warning: %s\n", msg);
}

char *cache_blob_path(const cache_dir *c, const cache_key *k) {
  char hex[2 * CACHE_KEY_BYTES + 1];
  cache_key_hex(k, hex);
  size_t n = strlen(c->path) + sizeof hex + 16;
  char *path = malloc(n);
  if (path)
    snprintf(path, n, "%s/%s.ovccblob", c->path, hex);
  return path;
}

/* The whole file in a 64-byte aligned buffer (the program keeps it as its
 * constant storage). ENOENT is reported as such for a silent miss. */
static int read_file(const char *path, uint8_t **out, size_t *size) {
  *out = NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno;
  struct stat st;
  int err = fstat(fd, &st) != 0 ? errno : !S_ISREG(st.st_mode) ? EINVAL : 0;
  void *buf = NULL;
  size_t n = err ? 0 : (size_t)st.st_size;
  if (!err && posix_memalign(&buf, 64, n ? n : 1) != 0)
    err = ENOMEM;
  for (size_t got = 0; !err && got < n;) {
    ssize_t r = read(fd, (uint8_t *)buf + got, n - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0) {
      err = r < 0 ? errno : EIO; /* shrank while reading */
      break;
    }
    got += (size_t)r;
  }
  close(fd);
  if (err) {
    free(buf);
    return err;
  }
  *out = buf;
  *size = n;
  return 0;
}

bool cache_load(const cache_dir *c, const cache_key *k, ir_model *m, cg_program **out) {
  *out = NULL;
  char *path = cache_blob_path(c, k);
  if (!path)
    return false;
  uint8_t *blob = NULL;
  size_t size = 0;
  int err = read_file(path, &blob, &size);
  if (err) {
    if (err != ENOENT && err != ENOTDIR) /* a miss; an unusable directory warns on write */
      warn(c, "cache: cannot read %s: %s; compiling instead", path, strerror(err));
    free(path);
    return false;
  }
  ir_diag d;
  ir_diag_clear(&d);
  if (cache_decode(k, blob, size, m, out, &d) != OVCC_OK) {
    warn(c, "cache: ignoring %s: %s; compiling and replacing it", path, d.msg);
    free(blob);
    *out = NULL;
  } else {
    utimensat(AT_FDCWD, path, NULL, 0); /* last use, for prune's LRU order */
  }
  free(path);
  return *out != NULL;
}

static int write_all(int fd, const uint8_t *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return w < 0 ? errno : EIO;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Makes the rename durable too (best effort: some filesystems refuse). */
static void sync_dir(const char *dir) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

/* temp file, write, fsync, rename; errno-style result. */
static int write_atomically(const char *dir, const char *path, const uint8_t *blob, size_t n) {
  size_t len = strlen(path) + 16;
  char *tmp = malloc(len);
  if (!tmp)
    return ENOMEM;
  snprintf(tmp, len, "%s.tmp.XXXXXX", path);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    int e = errno;
    free(tmp);
    return e;
  }
  int err = write_all(fd, blob, n);
  if (!err && fsync(fd) != 0)
    err = errno;
  if (!err && fchmod(fd, 0644) != 0)
    err = errno;
  if (close(fd) != 0 && !err)
    err = errno;
  if (!err && rename(tmp, path) != 0)
    err = errno;
  if (err)
    unlink(tmp);
  else
    sync_dir(dir);
  free(tmp);
  return err;
}

ovcc_status cache_store(const cache_dir *c, const cache_key *k, const cg_program *p,
                        const cg_artifact *art, const ir_weights *w) {
  ir_diag d;
  ir_diag_clear(&d);
  uint8_t *blob;
  size_t n;
  ovcc_status st = cache_encode(k, p, art, w, &blob, &n, &d);
  if (st == OVCC_ERR_UNSUPPORTED)
    return st; /* not cacheable: compiled every time, not an error */
  if (st != OVCC_OK) {
    warn(c, "cache: cannot store the compiled model: %s", d.msg);
    return st;
  }
  mkdir(c->path, 0755); /* a missing cache directory is created (one level) */
  char *path = cache_blob_path(c, k);
  int err = path ? write_atomically(c->path, path, blob, n) : ENOMEM;
  if (err)
    warn(c, "cache: cannot write %s: %s; the model is compiled but not cached",
         path ? path : c->path, strerror(err));
  free(path);
  free(blob);
  uint64_t removed;
  if (!err && c->max_bytes)
    cache_prune(c->path, c->max_bytes, &removed, &d);
  return err ? OVCC_ERR_IO : OVCC_OK;
}
