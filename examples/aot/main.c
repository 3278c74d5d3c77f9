/* Runs an ovcc AOT model library through its generated header.
 *
 *   ovcc model.xml -o libmodel.so -H model.h --name=model
 *   cc -std=c11 -I. examples/aot/main.c -L. -lmodel -Wl,-rpath,'$ORIGIN' -o aot_example
 *   ./aot_example [--threads N] [--repeat N] [--out DIR] INPUT0.npy INPUT1.npy ...
 *
 * Reads one .npy per model input (its data must be the input's exact bytes:
 * same element type and shape), runs the model and writes output K's bytes
 * to DIR/output<K>.bin (DIR defaults to .). With --repeat N it runs N times
 * more and prints the mean run time. Needs only the header and the library:
 * no ovcc runtime. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model.h"

/* The data part of a .npy file (format 1.0-3.0: magic, version, header length,
 * header), malloc'ed; NULL on error. */
static void *read_npy_data(const char *path, uint64_t want) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    return NULL;
  }
  unsigned char pre[12];
  void *data = NULL;
  if (fread(pre, 1, 10, f) != 10 || memcmp(pre, "\x93NUMPY", 6) != 0) {
    fprintf(stderr, "%s: not a .npy file\n", path);
    goto out;
  }
  long header = pre[8] | pre[9] << 8;
  long start = 10 + header;
  if (pre[6] >= 2) { /* 4-byte header length */
    if (fread(pre + 10, 1, 2, f) != 2)
      goto out;
    header = (long)pre[8] | (long)pre[9] << 8 | (long)pre[10] << 16 | (long)pre[11] << 24;
    start = 12 + header;
  }
  if (fseek(f, 0, SEEK_END) != 0 || ftell(f) - start != (long)want) {
    fprintf(stderr, "%s: holds %ld data bytes, the model input needs %llu\n", path,
            ftell(f) - start, (unsigned long long)want);
    goto out;
  }
  data = malloc(want ? want : 1);
  if (!data || fseek(f, start, SEEK_SET) != 0 || fread(data, 1, want, f) != want) {
    fprintf(stderr, "%s: read error\n", path);
    free(data);
    data = NULL;
  }
out:
  fclose(f);
  return data;
}

static int write_file(const char *path, const void *data, uint64_t n) {
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
    fprintf(stderr, "cannot write %s\n", path);
    return 1;
  }
  return 0;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  int threads = 1, repeat = 0, n_files = 0;
  const char *dir = ".";
  const char *files[MODEL_NUM_INPUTS + 1];
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--threads") && i + 1 < argc)
      threads = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
      repeat = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--out") && i + 1 < argc)
      dir = argv[++i];
    else if (n_files < MODEL_NUM_INPUTS)
      files[n_files++] = argv[i];
    else {
      fprintf(stderr, "usage: %s [--threads N] [--repeat N] [--out DIR] INPUT.npy x %d\n", argv[0],
              MODEL_NUM_INPUTS);
      return 2;
    }
  }
  if (model_abi_version() != MODEL_ABI_VERSION || n_files != MODEL_NUM_INPUTS) {
    fprintf(stderr, "need %d input files (library ABI %u, header %d)\n", MODEL_NUM_INPUTS,
            model_abi_version(), MODEL_ABI_VERSION);
    return 2;
  }

  const void *inputs[MODEL_NUM_INPUTS + 1];
  void *outputs[MODEL_NUM_OUTPUTS + 1];
  for (uint32_t i = 0; i < MODEL_NUM_INPUTS; i++)
    if (!(inputs[i] = read_npy_data(files[i], model_input_nbytes(i))))
      return 1;
  for (uint32_t i = 0; i < MODEL_NUM_OUTPUTS; i++)
    if (!(outputs[i] = malloc(model_output_nbytes(i) + 1)))
      return 1;
  size_t ws_size = (model_workspace_size() + 63) / 64 * 64;
  void *workspace = aligned_alloc(64, ws_size ? ws_size : 64);
  if (!workspace || model_reset(workspace) != OVCC_AOT_OK)
    return 1;

  int rc = model_run(inputs, outputs, workspace, threads);
  if (rc != OVCC_AOT_OK) {
    fprintf(stderr, "model_run failed: %d\n", rc);
    return 1;
  }
  if (repeat > 0) {
    double t0 = now_ms();
    for (int r = 0; r < repeat; r++)
      model_run(inputs, outputs, workspace, threads);
    printf("run: %.3f ms (mean of %d, %d threads)\n", (now_ms() - t0) / repeat, repeat, threads);
  }

  for (uint32_t k = 0; k < MODEL_NUM_OUTPUTS; k++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/output%u.bin", dir, k);
    printf("output %u '%s': type %d, rank %d, %llu bytes\n", k, model_output_name(k),
           model_output_type(k), model_output_rank(k), (unsigned long long)model_output_nbytes(k));
    if (write_file(path, outputs[k], model_output_nbytes(k)))
      return 1;
  }
  for (uint32_t i = 0; i < MODEL_NUM_INPUTS; i++)
    free((void *)inputs[i]);
  for (uint32_t i = 0; i < MODEL_NUM_OUTPUTS; i++)
    free(outputs[i]);
  free(workspace);
  puts("ok");
  return 0;
}
