/* Loads ovcc AOT model libraries at run time (no generated header needed):
 * each LIB:PREFIX pair is dlopen'ed, its signature printed from the ABI, its
 * inputs filled with a fixed pattern, and it is run; the program prints an
 * FNV-1a hash of every output. Several libraries, even of the same model,
 * live side by side in the process.
 *
 *   cc -std=c11 examples/aot/dlopen.c -ldl -o aot_dlopen
 *   ./aot_dlopen [--threads N] ./libm1.so:m1 ./libm2.so:m2
 */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct model_abi {
  uint32_t (*abi_version)(void);
  uint32_t (*num_inputs)(void);
  uint32_t (*num_outputs)(void);
  const char *(*output_name)(uint32_t);
  int32_t (*output_rank)(uint32_t);
  const int64_t *(*output_shape)(uint32_t);
  uint64_t (*input_nbytes)(uint32_t);
  uint64_t (*output_nbytes)(uint32_t);
  uint64_t (*workspace_size)(void);
  int32_t (*reset)(void *);
  int32_t (*run)(const void *const *, void *const *, void *, int32_t);
} model_abi;

/* dlsym of PREFIX_name into *slot; false if missing. */
static int bind(void *lib, const char *prefix, const char *name, void *slot) {
  char sym[256];
  snprintf(sym, sizeof sym, "%s_%s", prefix, name);
  void *p = dlsym(lib, sym);
  if (!p)
    fprintf(stderr, "missing symbol %s\n", sym);
  memcpy(slot, &p, sizeof p); /* object pointer -> function pointer, POSIX style */
  return p != NULL;
}

static int load(const char *path, const char *prefix, model_abi *m) {
  void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 0;
  }
  return bind(lib, prefix, "abi_version", &m->abi_version) &&
         bind(lib, prefix, "num_inputs", &m->num_inputs) &&
         bind(lib, prefix, "num_outputs", &m->num_outputs) &&
         bind(lib, prefix, "output_name", &m->output_name) &&
         bind(lib, prefix, "output_rank", &m->output_rank) &&
         bind(lib, prefix, "output_shape", &m->output_shape) &&
         bind(lib, prefix, "input_nbytes", &m->input_nbytes) &&
         bind(lib, prefix, "output_nbytes", &m->output_nbytes) &&
         bind(lib, prefix, "workspace_size", &m->workspace_size) &&
         bind(lib, prefix, "reset", &m->reset) && bind(lib, prefix, "run", &m->run);
}

static uint64_t fnv1a(const unsigned char *p, uint64_t n) {
  uint64_t h = 1469598103934665603ull;
  for (uint64_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

/* Runs m once on the pattern inputs; prints each output's shape and hash. */
static int run_model(const model_abi *m, const char *prefix, int threads) {
  uint32_t n_in = m->num_inputs(), n_out = m->num_outputs();
  void **in = calloc(n_in + 1, sizeof *in), **out = calloc(n_out + 1, sizeof *out);
  size_t ws = (m->workspace_size() + 63) / 64 * 64;
  void *workspace = aligned_alloc(64, ws ? ws : 64);
  if (!in || !out || !workspace || m->reset(workspace) != 0)
    return 1;
  for (uint32_t i = 0; i < n_in; i++) {
    uint64_t n = m->input_nbytes(i);
    unsigned char *b = malloc(n + 1);
    if (!b)
      return 1;
    for (uint64_t k = 0; k < n; k++) /* small non-negative values in every type */
      b[k] = (k % 4 == 0) ? (unsigned char)(k / 4 % 7) : 0;
    in[i] = b;
  }
  for (uint32_t i = 0; i < n_out; i++)
    if (!(out[i] = malloc(m->output_nbytes(i) + 1)))
      return 1;
  int rc = m->run((const void *const *)in, out, workspace, threads);
  if (rc != 0) {
    fprintf(stderr, "%s_run failed: %d\n", prefix, rc);
    return 1;
  }
  for (uint32_t i = 0; i < n_out; i++) {
    printf("%s output %u '%s' [", prefix, i, m->output_name(i));
    for (int32_t d = 0; d < m->output_rank(i); d++)
      printf("%s%lld", d ? "," : "", (long long)m->output_shape(i)[d]);
    printf("] hash %016llx\n", (unsigned long long)fnv1a(out[i], m->output_nbytes(i)));
  }
  for (uint32_t i = 0; i < n_in; i++)
    free(in[i]);
  for (uint32_t i = 0; i < n_out; i++)
    free(out[i]);
  free(in);
  free(out);
  free(workspace);
  return 0;
}

int main(int argc, char **argv) {
  int threads = 1;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
      threads = atoi(argv[++i]);
      continue;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s", argv[i]);
    char *colon = strrchr(path, ':');
    if (!colon) {
      fprintf(stderr, "usage: %s [--threads N] LIB:PREFIX...\n", argv[0]);
      return 2;
    }
    *colon = 0;
    model_abi m;
    if (!load(path, colon + 1, &m) || run_model(&m, colon + 1, threads))
      return 1;
  }
  return 0;
}
