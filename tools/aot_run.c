/* ovcc-run on an AOT model library: dlopen, the ABI of docs/aot.md, .npy in
 * and out. */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools/aot_run.h"
#include "tools/gen_input.h"
#include "tools/npy.h"
#include "tools/npy_exchange.h"
#include "tools/json_out.h"

typedef struct aot_abi {
  uint32_t (*abi_version)(void);
  uint32_t (*num_inputs)(void);
  uint32_t (*num_outputs)(void);
  const char *(*input_name)(uint32_t);
  const char *(*output_name)(uint32_t);
  int32_t (*input_type)(uint32_t);
  int32_t (*output_type)(uint32_t);
  int32_t (*input_rank)(uint32_t);
  int32_t (*output_rank)(uint32_t);
  const int64_t *(*input_shape)(uint32_t);
  const int64_t *(*output_shape)(uint32_t);
  uint64_t (*input_nbytes)(uint32_t);
  uint64_t (*output_nbytes)(uint32_t);
  uint64_t (*workspace_size)(void);
  int32_t (*reset)(void *);
  uint32_t (*num_specializations)(void);
  const int64_t *(*spec_input_shape)(uint32_t, uint32_t);
  const int64_t *(*spec_output_shape)(uint32_t, uint32_t);
  uint64_t (*spec_output_nbytes)(uint32_t, uint32_t);
  int32_t (*select)(const int64_t *const *);
  int32_t (*run_spec)(uint32_t, const void *const *, void *const *, void *, int32_t);
} aot_abi;

enum { AOT_ABI_VERSION = 2 };

static int die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("ovcc-run: ", stderr);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  return 1;
}

bool aot_run_is_library(const char *path) {
  size_t n = strlen(path);
  return (n > 3 && strcmp(path + n - 3, ".so") == 0) || strstr(path, ".so.") != NULL;
}

/* ---- the prefix, from the ELF dynamic symbol table ---- */

static bool find_prefix_in(const unsigned char *img, size_t size, char *prefix, size_t cap) {
  const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
  if (size < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
      eh->e_ident[EI_CLASS] != ELFCLASS64 ||
      eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > size)
    return false;
  const Elf64_Shdr *sh = (const Elf64_Shdr *)(img + eh->e_shoff);
  static const char suffix[] = "_abi_version";
  for (unsigned i = 0; i < eh->e_shnum; i++) {
    if (sh[i].sh_type != SHT_DYNSYM || sh[i].sh_link >= eh->e_shnum)
      continue;
    const Elf64_Shdr *str = &sh[sh[i].sh_link];
    if (sh[i].sh_offset + sh[i].sh_size > size || str->sh_offset + str->sh_size > size)
      return false;
    const Elf64_Sym *syms = (const Elf64_Sym *)(img + sh[i].sh_offset);
    const char *names = (const char *)(img + str->sh_offset);
    for (size_t k = 0; k < sh[i].sh_size / sizeof *syms; k++) {
      if (syms[k].st_shndx == SHN_UNDEF || syms[k].st_name >= str->sh_size)
        continue;
      const char *name = names + syms[k].st_name;
      size_t n = strnlen(name, str->sh_size - syms[k].st_name);
      size_t ns = sizeof suffix - 1;
      if (n > ns && n - ns < cap && memcmp(name + n - ns, suffix, ns) == 0) {
        memcpy(prefix, name, n - ns);
        prefix[n - ns] = 0;
        return true;
      }
    }
  }
  return false;
}

static bool find_prefix(const char *path, char *prefix, size_t cap) {
  int fd = open(path, O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || st.st_size <= 0) {
    if (fd >= 0)
      close(fd);
    return false;
  }
  void *img = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (img == MAP_FAILED)
    return false;
  bool ok = find_prefix_in(img, (size_t)st.st_size, prefix, cap);
  munmap(img, (size_t)st.st_size);
  return ok;
}

/* ---- binding ---- */

static bool bind(void *lib, const char *prefix, const char *name, void *slot) {
  char sym[300];
  snprintf(sym, sizeof sym, "%s_%s", prefix, name);
  void *p = dlsym(lib, sym);
  memcpy(slot, &p, sizeof p);
  return p != NULL;
}

static int load_library(const char *path, aot_abi *m, void **lib_out) {
  char prefix[256], full[4096];
  if (!find_prefix(path, prefix, sizeof prefix))
    return die("%s: not an ovcc AOT library (no PREFIX_abi_version symbol)", path);
  snprintf(full, sizeof full, "%s%s", strchr(path, '/') ? "" : "./", path);
  void *lib = dlopen(full, RTLD_NOW | RTLD_LOCAL);
  if (!lib)
    return die("%s: %s", path, dlerror());
  bool ok = bind(lib, prefix, "abi_version", &m->abi_version) &&
            bind(lib, prefix, "num_inputs", &m->num_inputs) &&
            bind(lib, prefix, "num_outputs", &m->num_outputs) &&
            bind(lib, prefix, "input_name", &m->input_name) &&
            bind(lib, prefix, "output_name", &m->output_name) &&
            bind(lib, prefix, "input_type", &m->input_type) &&
            bind(lib, prefix, "output_type", &m->output_type) &&
            bind(lib, prefix, "input_rank", &m->input_rank) &&
            bind(lib, prefix, "output_rank", &m->output_rank) &&
            bind(lib, prefix, "input_shape", &m->input_shape) &&
            bind(lib, prefix, "output_shape", &m->output_shape) &&
            bind(lib, prefix, "input_nbytes", &m->input_nbytes) &&
            bind(lib, prefix, "output_nbytes", &m->output_nbytes) &&
            bind(lib, prefix, "workspace_size", &m->workspace_size) &&
            bind(lib, prefix, "reset", &m->reset) &&
            bind(lib, prefix, "num_specializations", &m->num_specializations) &&
            bind(lib, prefix, "spec_input_shape", &m->spec_input_shape) &&
            bind(lib, prefix, "spec_output_shape", &m->spec_output_shape) &&
            bind(lib, prefix, "spec_output_nbytes", &m->spec_output_nbytes) &&
            bind(lib, prefix, "select", &m->select) && bind(lib, prefix, "run_spec", &m->run_spec);
  if (!ok || m->abi_version() != AOT_ABI_VERSION) {
    dlclose(lib);
    return die("%s: prefix '%s': %s", path, prefix,
               ok ? "unsupported ABI version" : "incomplete ABI (missing symbols)");
  }
  *lib_out = lib;
  return 0;
}

/* Writes DIR/<stem><k>.npy in the exchange type. */
static int write_npy(const char *dir, const char *stem, uint32_t k, ovcc_element_type t,
                     const int64_t *dims, int32_t rank, const void *data, uint64_t nbytes) {
  char path[4096], err[512];
  snprintf(path, sizeof path, "%s/%s%u.npy", dir, stem, k);
  ovcc_element_type to = npy_exchange_type(t);
  void *wide = NULL;
  if (to != t) {
    uint64_t count = 1;
    for (int32_t i = 0; i < rank; i++)
      count *= (uint64_t)dims[i];
    if (!(wide = npy_widen(t, data, count)))
      return die("out of memory");
    data = wide;
    nbytes = count * ovcc_element_type_size(to);
  }
  ovcc_status st = npy_write(path, to, dims, rank, data, nbytes, err, sizeof err);
  free(wide);
  return st == OVCC_OK ? 0 : die("cannot write '%s': %s", path, err);
}

/* ---- inputs ---- */

static void format_dims(int32_t type, const int64_t *dims, int32_t rank, char *buf, size_t cap) {
  size_t n = (size_t)snprintf(buf, cap, "%s[", ovcc_element_type_name((ovcc_element_type)type));
  for (int32_t i = 0; i < rank && n < cap; i++)
    n += (size_t)snprintf(buf + n, cap - n, "%s%" PRId64, i ? "," : "", dims[i]);
  if (n < cap)
    snprintf(buf + n, cap - n, "]");
}

static long find_input(const aot_abi *m, const char *key) {
  uint32_t n = m->num_inputs();
  if (key[0] == '#') {
    char *end;
    long k = strtol(key + 1, &end, 10);
    return *end || end == key + 1 || k < 0 || (uint32_t)k >= n ? -1 : k;
  }
  for (uint32_t i = 0; i < n; i++)
    if (strcmp(m->input_name(i), key) == 0)
      return (long)i;
  return -1;
}

/* Whether dims fit input i's signature (-1: a dimension that differs
 * between the library's specializations; PREFIX_select checks it later). */
static bool fits(const aot_abi *m, uint32_t i, const npy_array *arr) {
  const int64_t *want = m->input_shape(i);
  if (arr->rank != m->input_rank(i))
    return false;
  for (int32_t k = 0; k < arr->rank; k++)
    if (want[k] >= 0 && want[k] != arr->dims[k])
      return false;
  return true;
}

static int load_input(const aot_abi *m, uint32_t i, const char *file, npy_array *arr) {
  char err[512], want[256], got[256];
  if (npy_read(file, arr, err, sizeof err) != OVCC_OK)
    return die("input '%s' (#%u): cannot read '%s': %s", m->input_name(i), i, file, err);
  ovcc_element_type t = (ovcc_element_type)m->input_type(i);
  if (t != arr->type && npy_exchange_type(t) == arr->type && !npy_narrow(arr, t))
    return die("out of memory");
  format_dims(m->input_type(i), m->input_shape(i), m->input_rank(i), want, sizeof want);
  format_dims(arr->type, arr->dims, arr->rank, got, sizeof got);
  if (arr->type != t || !fits(m, i, arr))
    return die("input '%s' (#%u): '%s' is %s, the library expects %s", m->input_name(i), i, file,
               got, want);
  return 0;
}

static int generate_input(const aot_abi *m, uint32_t i, const char *dir, uint64_t seed,
                          npy_array *arr) {
  ovcc_element_type t = (ovcc_element_type)m->input_type(i);
  uint64_t count = 1;
  int32_t rank = m->input_rank(i);
  const int64_t *dims = m->spec_input_shape(0, i); /* dynamic dims: the first specialization's */
  for (int32_t k = 0; k < rank; k++)
    count *= (uint64_t)dims[k];
  arr->type = t;
  arr->rank = rank;
  memcpy(arr->dims, dims, (size_t)rank * sizeof *arr->dims);
  arr->nbytes = count * ovcc_element_type_size(t);
  arr->data = aligned_alloc(64, (arr->nbytes + 64) / 64 * 64);
  if (!arr->data)
    return die("out of memory");
  if (!gen_input_fill(t, arr->data, count, seed + i))
    return die("input '%s' (#%u): cannot generate %s values: give it with --input",
               m->input_name(i), i, ovcc_element_type_name(t));
  char desc[256];
  format_dims(t, arr->dims, rank, desc, sizeof desc);
  fprintf(stderr,
          "ovcc-run: input '%s' (#%u) not given: generated %s, %s, seed %" PRIu64
          ", saved as %s/input%u.npy\n",
          m->input_name(i), i, desc, gen_input_distribution(t), seed + i, dir, i);
  return write_npy(dir, "input", i, t, arr->dims, rank, arr->data, arr->nbytes);
}

static int set_inputs(const aot_abi *m, const char *dir, uint64_t seed, const char *const *keys,
                      const char *const *files, int n_args, npy_array *arrays) {
  uint32_t n = m->num_inputs();
  const char **given = calloc(n + 1, sizeof *given);
  if (!given)
    return die("out of memory");
  int rc = 0;
  for (int j = 0; j < n_args && !rc; j++) {
    long i = find_input(m, keys[j]);
    if (i < 0)
      rc = die("--input %s: the library has no such input", keys[j]);
    else if (given[i])
      rc = die("input #%ld is given twice (--input %s)", i, keys[j]);
    else
      given[i] = files[j];
  }
  for (uint32_t i = 0; i < n && !rc; i++)
    rc = given[i] ? load_input(m, i, given[i], &arrays[i])
                  : generate_input(m, i, dir, seed, &arrays[i]);
  free(given);
  return rc;
}

/* ---- outputs ---- */

static int write_outputs(const aot_abi *m, uint32_t spec, const char *lib, const char *dir,
                         void **outs) {
  char path[4096];
  snprintf(path, sizeof path, "%s/outputs.json", dir);
  FILE *f = fopen(path, "w");
  if (!f)
    return die("cannot create '%s': %s", path, strerror(errno));
  fputs("{\n  \"model\": ", f);
  json_string(f, lib);
  fputs(",\n  \"outputs\": [\n", f);
  int rc = 0;
  uint32_t n = m->num_outputs();
  for (uint32_t k = 0; k < n && !rc; k++) {
    ovcc_element_type t = (ovcc_element_type)m->output_type(k);
    const int64_t *shape = m->spec_output_shape(spec, k);
    rc = write_npy(dir, "output", k, t, shape, m->output_rank(k), outs[k],
                   m->spec_output_nbytes(spec, k));
    fprintf(f, "    {\"index\": %u, \"name\": ", k);
    json_string(f, m->output_name(k));
    fputs(", \"names\": [", f);
    json_string(f, m->output_name(k));
    fprintf(f, "], \"element_type\": \"%s\", \"shape\": [", ovcc_element_type_name(t));
    for (int32_t i = 0; i < m->output_rank(k); i++)
      fprintf(f, "%s%" PRId64, i ? ", " : "", shape[i]);
    fprintf(f, "], \"file\": \"output%u.npy\"", k);
    if (npy_exchange_type(t) != t)
      fprintf(f, ", \"npy_element_type\": \"%s\"", ovcc_element_type_name(npy_exchange_type(t)));
    fprintf(f, "}%s\n", k + 1 < n ? "," : "");
  }
  fputs("  ]\n}\n", f);
  if (fclose(f) != 0 && !rc)
    rc = die("cannot write '%s/outputs.json'", dir);
  return rc;
}

/* ---- run ---- */

/* The error for input shapes the library was not built for: it lists the
 * shapes it was. */
static int no_specialization(const aot_abi *m, const char *lib, const int64_t *const *shapes) {
  uint32_t n_in = m->num_inputs();
  char buf[256];
  fprintf(stderr, "ovcc-run: %s: no specialization for the input shapes", lib);
  for (uint32_t i = 0; i < n_in; i++) {
    format_dims(m->input_type(i), shapes[i], m->input_rank(i), buf, sizeof buf);
    fprintf(stderr, " %s", buf);
  }
  fputs("; it was built for:", stderr);
  for (uint32_t s = 0; s < m->num_specializations(); s++) {
    fputs(s ? ";" : "", stderr);
    for (uint32_t i = 0; i < n_in; i++) {
      format_dims(m->input_type(i), m->spec_input_shape(s, i), m->input_rank(i), buf, sizeof buf);
      fprintf(stderr, " %s", buf);
    }
  }
  fputc('\n', stderr);
  return 1;
}

static int run_loaded(const aot_abi *m, const char *lib_path, const char *out_dir, int threads,
                      uint64_t seed, const char *const *keys, const char *const *files,
                      int n_args) {
  uint32_t n_in = m->num_inputs(), n_out = m->num_outputs();
  npy_array *arrays = calloc(n_in + 1, sizeof *arrays);
  const void **ins = calloc(n_in + 1, sizeof *ins);
  void **outs = calloc(n_out + 1, sizeof *outs);
  size_t ws = (m->workspace_size() + 63) / 64 * 64;
  void *workspace = aligned_alloc(64, ws ? ws : 64);
  int rc =
      arrays && ins && outs && workspace && m->reset(workspace) == 0 ? 0 : die("out of memory");
  if (!rc)
    rc = set_inputs(m, out_dir, seed, keys, files, n_args, arrays);
  const int64_t **shapes = calloc(n_in + 1, sizeof *shapes);
  if (!shapes && !rc)
    rc = die("out of memory");
  for (uint32_t i = 0; !rc && i < n_in; i++) {
    ins[i] = arrays[i].data;
    shapes[i] = arrays[i].dims;
  }
  /* The run-time shape check: the specialization built for these shapes. */
  int32_t spec = rc ? -1 : m->select(shapes);
  if (!rc && spec < 0)
    rc = no_specialization(m, lib_path, shapes);
  for (uint32_t k = 0; !rc && k < n_out; k++)
    if (!(outs[k] = aligned_alloc(64, (m->spec_output_nbytes((uint32_t)spec, k) + 63) / 64 * 64 +
                                          64))) /* aligned: computed in place */
      rc = die("out of memory");
  if (!rc) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN); /* --threads 0: all, as the JIT */
    int32_t st = m->run_spec((uint32_t)spec, ins, outs, workspace,
                             threads > 0 ? threads : cpus > 0 ? (int32_t)cpus : 1);
    if (st != 0)
      rc = die("%s: run failed with code %d", lib_path, st);
  }
  if (!rc)
    rc = write_outputs(m, (uint32_t)spec, lib_path, out_dir, outs);
  free(shapes);
  for (uint32_t i = 0; arrays && i < n_in; i++)
    npy_free(&arrays[i]);
  for (uint32_t k = 0; outs && k < n_out; k++)
    free(outs[k]);
  free(arrays);
  free(ins);
  free(outs);
  free(workspace);
  return rc;
}

int aot_run(const char *lib_path, const char *out_dir, int threads, uint64_t seed,
            const char *const *keys, const char *const *files, int n_inputs) {
  aot_abi m;
  void *lib = NULL;
  int rc = load_library(lib_path, &m, &lib);
  if (rc)
    return rc;
  rc = run_loaded(&m, lib_path, out_dir, threads, seed, keys, files, n_inputs);
  dlclose(lib);
  return rc;
}
