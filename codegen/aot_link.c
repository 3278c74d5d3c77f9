/* Linking an AOT object into a shared library with the system's C compiler
 * driver (or the target's cross driver, aarch64-linux-gnu-gcc):
 * `cc -shared -o SO OBJ -Wl,--version-script=VS -lm -lpthread`,
 * the version script exporting PREFIX_* only. The object and the script go
 * to a fresh temporary directory (TMPDIR) removed afterwards. */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

#include "aot.h"

extern char **environ;

static ovcc_status write_file(const char *path, const void *data, size_t n, ir_diag *d) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return IR_ERR(d, OVCC_ERR_IO, "cannot create %s: %s", path, strerror(errno));
  size_t w = fwrite(data, 1, n, f);
  if (fclose(f) != 0 || w != n)
    return IR_ERR(d, OVCC_ERR_IO, "cannot write %s", path);
  return OVCC_OK;
}

static ovcc_status run_linker(char *const *argv, ir_diag *d) {
  pid_t pid;
  int err = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
  if (err)
    return IR_ERR(d, OVCC_ERR_IO, "cannot run the linker '%s': %s%s", argv[0], strerror(err),
                  err == ENOENT ? " (install it, e.g. Debian's gcc-aarch64-linux-gnu for "
                                  "aarch64-linux-gnu, or name a driver in OVCC_CC)"
                                : "");
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return IR_ERR(d, OVCC_ERR_IO, "waiting for the linker: %s", strerror(errno));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return IR_ERR(d, OVCC_ERR_IO, "the linker '%s' failed (status %d)", argv[0],
                  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return OVCC_OK;
}

/* The C compiler driver for triple: OVCC_CC, else `cc` for the host's
 * architecture, else the cross driver named ARCH-OS-ENV-gcc after Debian's
 * (and GNU's) convention, the triple's vendor dropped. */
static void linker_driver(const char *triple, char *buf, size_t n) {
  const char *cc = getenv("OVCC_CC");
  if (cc && *cc) {
    snprintf(buf, n, "%s", cc);
    return;
  }
  snprintf(buf, n, "cc");
  if (!triple || !*triple)
    return;
  char *norm = LLVMNormalizeTargetTriple(triple), *host = LLVMGetDefaultTargetTriple();
  size_t arch = strcspn(norm, "-");
  if (arch != strcspn(host, "-") || strncmp(norm, host, arch) != 0) {
    const char *vendor = norm[arch] ? norm + arch + 1 : norm + arch;
    const char *rest = strchr(vendor, '-');
    snprintf(buf, n, "%.*s%s-gcc", (int)arch, norm, rest ? rest : "");
  }
  LLVMDisposeMessage(norm);
  LLVMDisposeMessage(host);
}

ovcc_status cg_aot_link(const void *obj, size_t obj_size, const char *so_path, const char *prefix,
                        const char *triple, ir_diag *d) {
  char cc[256];
  linker_driver(triple, cc, sizeof cc);
  const char *tmp = getenv("TMPDIR");
  char dir[4096], obj_path[4200], vs_path[4200], vs_arg[4300], script[512];
  snprintf(dir, sizeof dir, "%s/ovcc-aot-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir))
    return IR_ERR(d, OVCC_ERR_IO, "cannot create a temporary directory: %s", strerror(errno));
  /* The object's name is the same in every run: nothing of the temporary
   * directory ends up in the library. */
  snprintf(obj_path, sizeof obj_path, "%s/%s.o", dir, prefix);
  snprintf(vs_path, sizeof vs_path, "%s/exports.map", dir);
  snprintf(vs_arg, sizeof vs_arg, "-Wl,--version-script=%s", vs_path);
  snprintf(script, sizeof script, "{\n  global: %s_*;\n  local: *;\n};\n", prefix);
  /* The linker writes a temporary file beside so_path, renamed over it only
   * when linking succeeded: a failure leaves an existing library untouched. */
  char out_tmp[4200];
  snprintf(out_tmp, sizeof out_tmp, "%s.tmpXXXXXX", so_path);
  int fd = mkstemp(out_tmp);
  if (fd < 0) {
    int e = errno;
    rmdir(dir);
    return IR_ERR(d, OVCC_ERR_IO, "cannot create %s: %s", out_tmp, strerror(e));
  }
  close(fd);
  char *argv[] = {cc,
                  "-shared",
                  "-o",
                  out_tmp,
                  obj_path,
                  vs_arg,
                  "-Wl,-z,noexecstack",
                  "-Wl,--as-needed",
                  "-lm",
                  "-lpthread",
                  NULL};
  ovcc_status st = write_file(obj_path, obj, obj_size, d);
  if (st == OVCC_OK)
    st = write_file(vs_path, script, strlen(script), d);
  if (st == OVCC_OK)
    st = run_linker(argv, d);
  if (st == OVCC_OK && (chmod(out_tmp, 0755) != 0 || rename(out_tmp, so_path) != 0))
    st = IR_ERR(d, OVCC_ERR_IO, "cannot write %s: %s", so_path, strerror(errno));
  if (st != OVCC_OK)
    unlink(out_tmp);
  unlink(obj_path);
  unlink(vs_path);
  rmdir(dir);
  return st;
}
