/* Atomic tool output (see out_file.h). */
#include "tools/out_file.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool out_file_open(out_file *o, const char *path) {
  if (!path) {
    o->f = stdout;
    o->tmp_path = NULL;
    return true;
  }
  size_t n = strlen(path);
  o->tmp_path = malloc(n + 16);
  if (!o->tmp_path)
    return false;
  snprintf(o->tmp_path, n + 16, "%s.tmpXXXXXX", path);
  int fd = mkstemp(o->tmp_path);
  if (fd < 0) {
    free(o->tmp_path);
    return false;
  }
  /* Keep an existing OUT's mode; else the usual 0666 & ~umask. */
  struct stat sb;
  mode_t mode;
  if (stat(path, &sb) == 0) {
    mode = sb.st_mode & 07777;
  } else {
    mode_t mask = umask(0);
    umask(mask);
    mode = 0666 & ~mask;
  }
  if (fchmod(fd, mode) != 0 || !(o->f = fdopen(fd, "w"))) {
    close(fd);
    unlink(o->tmp_path);
    free(o->tmp_path);
    return false;
  }
  return true;
}

bool out_file_close(out_file *o, const char *path, bool success) {
  if (!o->tmp_path)
    return fflush(stdout) == 0 || !success;
  bool ok = fflush(o->f) == 0 && !ferror(o->f) && fsync(fileno(o->f)) == 0;
  ok = fclose(o->f) == 0 && ok;
  if (success && ok && rename(o->tmp_path, path) == 0) {
    free(o->tmp_path);
    return true;
  }
  unlink(o->tmp_path);
  free(o->tmp_path);
  return !success;
}

bool out_file_write(const char *path, const void *data, size_t n) {
  out_file o;
  bool to_stdout = !strcmp(path, "-");
  if (!out_file_open(&o, to_stdout ? NULL : path))
    return false;
  bool ok = fwrite(data, 1, n, o.f) == n;
  return out_file_close(&o, to_stdout ? NULL : path, ok) && ok;
}
