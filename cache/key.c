/* The cache key: BLAKE3 over every input that decides the machine code.
 * Each field is framed (a tag and a length) so that no two different input
 * sets hash the same byte stream. Threads and the latency/throughput hint
 * are left out on purpose: kernels are the same code whatever runs them. */
#include "cache/cache.h"

#include <string.h>

#include <llvm-c/Core.h>
#include <llvm-c/blake3.h>

#include "codegen/cg.h"
#include "ovcc_build_id.h" /* generated: a hash of the sources */

static void put_field(llvm_blake3_hasher *h, const char *tag, const void *p, size_t n) {
  uint64_t len = n;
  llvm_blake3_hasher_update(h, tag, strlen(tag) + 1);
  llvm_blake3_hasher_update(h, &len, sizeof len);
  if (n)
    llvm_blake3_hasher_update(h, p, n);
}

static void put_str(llvm_blake3_hasher *h, const char *tag, const char *s) {
  /* NULL and "" differ: NULL means "host" for the cpu name. */
  put_field(h, tag, s ? s : "\xff", s ? strlen(s) : 1);
}

static void put_i64(llvm_blake3_hasher *h, const char *tag, int64_t v) {
  put_field(h, tag, &v, sizeof v);
}

static void put_shape(llvm_blake3_hasher *h, const ir_shape *s) {
  put_i64(h, "rank", s->rank);
  for (int32_t i = 0; i < s->rank; i++) {
    put_i64(h, "lo", s->d[i].lo);
    put_i64(h, "hi", s->d[i].hi);
  }
}

static void put_options(llvm_blake3_hasher *h, const cg_options *o) {
  put_i64(h, "opt_level", o->opt_level);
  put_i64(h, "precision", (int64_t)o->precision);
  put_str(h, "cpu", o->cpu);
  put_str(h, "cpu_features", o->cpu_features);
  put_i64(h, "n_input_shapes", o->input_shapes ? (int64_t)o->n_input_shapes : -1);
  for (uint32_t i = 0; o->input_shapes && i < o->n_input_shapes; i++)
    put_shape(h, &o->input_shapes[i]);
}

/* What the code generator would target for these options. */
static ovcc_status put_target(llvm_blake3_hasher *h, const cg_options *o, ir_diag *d) {
  cg_target t;
  memset(&t, 0, sizeof t);
  IR_TRY(cg_target_create(&t, o->opt_level, o->triple, o->cpu, o->cpu_features, d));
  put_str(h, "triple", t.triple);
  put_str(h, "target_cpu", t.cpu);
  put_str(h, "target_features", t.features);
  cg_target_dispose(&t);
  return OVCC_OK;
}

static void put_versions(llvm_blake3_hasher *h) {
  unsigned major, minor, patch;
  LLVMGetVersion(&major, &minor, &patch);
  int64_t llvm = (int64_t)major * 1000000 + minor * 1000 + patch;
  put_str(h, "ovcc", OVCC_VERSION);
  put_str(h, "build", OVCC_BUILD_ID); /* any change to the compiler's sources */
  put_i64(h, "format", CACHE_FORMAT_VERSION);
  put_i64(h, "llvm", llvm);
}

ovcc_status cache_key_compute(const cache_key_input *in, cache_key *out, ir_diag *d) {
  cg_options defaults;
  const cg_options *o = in->options;
  if (!o) {
    cg_options_init(&defaults);
    o = &defaults;
  }
  llvm_blake3_hasher h;
  llvm_blake3_hasher_init(&h);
  put_str(&h, "ovcc-cache-key", "v1");
  put_versions(&h);
  put_field(&h, "xml", in->xml, in->xml_size);
  put_field(&h, "weights", in->weights, in->weights_size);
  put_options(&h, o);
  IR_TRY(put_target(&h, o, d));
  llvm_blake3_hasher_finalize(&h, out->b, CACHE_KEY_BYTES);
  return OVCC_OK;
}

void cache_key_hex(const cache_key *k, char out[2 * CACHE_KEY_BYTES + 1]) {
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < CACHE_KEY_BYTES; i++) {
    out[2 * i] = digits[k->b[i] >> 4];
    out[2 * i + 1] = digits[k->b[i] & 15];
  }
  out[2 * CACHE_KEY_BYTES] = 0;
}
