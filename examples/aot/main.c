/* Runs an ovcc AOT model library through its generated header.
 *
 *   ovcc model.xml -o libmodel.so -H model.h --name=model
 *   cc -std=c11 -I. examples/aot/main.c -L. -lmodel -Wl,-rpath,'$ORIGIN' -o aot_example
 *   ./aot_example [--threads N] [--repeat N] [--out DIR] INPUT0.npy INPUT1.npy ...
 *
 * Reads one .npy per model input (its data must be the input's exact bytes:
 * same element type; its shape one the library was built for), runs the
 * model and writes output K's bytes to DIR/output<K>.bin (DIR defaults to .).
 * The input shapes are passed at run time: a library built with several
 * specializations (ovcc --shape='1,10;8,10') runs the matching one, and
 * shapes it was not built for are refused (OVCC_AOT_ERR_SHAPE). With
 * --repeat N it runs N times more and prints the median and mean run time.
 * Needs only the header and the library: no ovcc runtime. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model.h"

enum { MAX_RANK = 16 };

/* One input: its data and the shape its .npy header states. */
typedef struct npy_input {
  void *data;
  uint64_t nbytes;
  int64_t dims[MAX_RANK];
  int rank;
} npy_input;

/* The shape tuple of a .npy header ("'shape': (2, 3), "). */
static int parse_shape(const char *h, npy_input *in) {
  const char *p = strstr(h, "'shape':");
  p = p ? strchr(p, '(') : NULL;
  if (!p)
    return -1;
  in->rank = 0;
  for (p++; *p && *p != ')';) {
    char *end;
    long long v = strtoll(p, &end, 10);
    if (end == p || v < 0 || in->rank == MAX_RANK)
      return -1;
    in->dims[in->rank++] = v;
    p = end;
    while (*p == ',' || *p == ' ')
      p++;
  }
  return *p == ')' ? 0 : -1;
}

/* A .npy file (format 1.0-3.0: magic, version, header length, header):
 * its shape and its data, malloc'ed. Returns 0 or -1. */
static int read_npy(const char *path, npy_input *in) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    return -1;
  }
  unsigned char pre[12];
  char *header_text = NULL;
  int rc = -1;
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
  header_text = calloc(1, (size_t)header + 1);
  if (!header_text || fread(header_text, 1, (size_t)header, f) != (size_t)header ||
      parse_shape(header_text, in) != 0) {
    fprintf(stderr, "%s: cannot read the .npy header's shape\n", path);
    goto out;
  }
  if (fseek(f, 0, SEEK_END) != 0 || ftell(f) < start)
    goto out;
  in->nbytes = (uint64_t)(ftell(f) - start);
  in->data = malloc(in->nbytes ? in->nbytes : 1);
  if (!in->data || fseek(f, start, SEEK_SET) != 0 || fread(in->data, 1, in->nbytes, f) != in->nbytes) {
    fprintf(stderr, "%s: read error\n", path);
    goto out;
  }
  rc = 0;
out:
  free(header_text);
  fclose(f);
  return rc;
}

static int write_file(const char *path, const void *data, uint64_t n) {
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
    fprintf(stderr, "cannot write %s\n", path);
    return 1;
  }
  return 0;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
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

  /* The inputs, and their shapes as given at run time. */
  npy_input in[MODEL_NUM_INPUTS + 1];
  const void *inputs[MODEL_NUM_INPUTS + 1];
  const int64_t *shapes[MODEL_NUM_INPUTS + 1];
  for (uint32_t i = 0; i < MODEL_NUM_INPUTS; i++) {
    if (read_npy(files[i], &in[i]) != 0)
      return 1;
    inputs[i] = in[i].data;
    shapes[i] = in[i].dims;
  }
  /* The specialization for these shapes (the only one of a static model). */
  int32_t spec = model_select(shapes);
  if (spec < 0) {
    fprintf(stderr, "the library was not built for these input shapes (%u specializations)\n",
            model_num_specializations());
    return 1;
  }
  for (uint32_t i = 0; i < MODEL_NUM_INPUTS; i++)
    if (in[i].nbytes != model_spec_input_nbytes((uint32_t)spec, i)) {
      fprintf(stderr, "%s: holds %llu data bytes, the model input needs %llu\n", files[i],
              (unsigned long long)in[i].nbytes,
              (unsigned long long)model_spec_input_nbytes((uint32_t)spec, i));
      return 1;
    }
  uint64_t out_bytes[MODEL_NUM_OUTPUTS + 1];
  void *outputs[MODEL_NUM_OUTPUTS + 1];
  for (uint32_t k = 0; k < MODEL_NUM_OUTPUTS; k++) {
    out_bytes[k] = model_spec_output_nbytes((uint32_t)spec, k);
    /* 64-byte aligned: the library then computes outputs in place, no copy */
    if (!(outputs[k] = aligned_alloc(64, (out_bytes[k] + 63) / 64 * 64 + 64)))
      return 1;
  }
  size_t ws_size = (model_workspace_size() + 63) / 64 * 64;
  void *workspace = aligned_alloc(64, ws_size ? ws_size : 64);
  if (!workspace || model_reset(workspace) != OVCC_AOT_OK)
    return 1;

  int rc = model_run_dims(shapes, inputs, outputs, workspace, threads);
  if (rc != OVCC_AOT_OK) {
    fprintf(stderr, "model_run_dims failed: %d\n", rc);
    return 1;
  }
  if (repeat > 0) {
    double *ms = malloc((size_t)repeat * sizeof *ms), total = 0;
    if (!ms)
      return 1;
    for (int r = 0; r < repeat; r++) {
      double t0 = now_ms();
      model_run_spec((uint32_t)spec, inputs, outputs, workspace, threads);
      ms[r] = now_ms() - t0;
      total += ms[r];
    }
    qsort(ms, (size_t)repeat, sizeof *ms, by_value);
    printf("run: median %.6f ms, mean %.6f ms (%d runs, %d threads)\n", ms[repeat / 2],
           total / repeat, repeat, threads);
    free(ms);
  }

  for (uint32_t k = 0; k < MODEL_NUM_OUTPUTS; k++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/output%u.bin", dir, k);
    printf("output %u '%s': type %d, rank %d, %llu bytes\n", k, model_output_name(k),
           model_output_type(k), model_output_rank(k), (unsigned long long)out_bytes[k]);
    if (write_file(path, outputs[k], out_bytes[k]))
      return 1;
  }
  for (uint32_t i = 0; i < MODEL_NUM_INPUTS; i++)
    free(in[i].data);
  for (uint32_t i = 0; i < MODEL_NUM_OUTPUTS; i++)
    free(outputs[i]);
  free(workspace);
  puts("ok");
  return 0;
}
