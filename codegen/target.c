/* Target machines: the host CPU with the features it really has (machines
 * here differ: some have AMX or AVX512-FP16, some not), optionally narrowed
 * by a feature string so fallbacks can be tested on any host; or another
 * architecture's CPU for ahead-of-time cross compilation. */
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Target.h>

#include "cg.h"

static bool has_feature(const char *features, const char *name) {
  /* The last "+name"/"-name" entry wins, as in LLVM. */
  bool on = false;
  size_t n = strlen(name);
  for (const char *p = features; p && *p;) {
    const char *end = strchr(p, ',');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len == n + 1 && strncmp(p + 1, name, n) == 0)
      on = p[0] == '+';
    p = end ? end + 1 : NULL;
  }
  return on;
}

static void read_features(cg_target *t) {
  const char *f = t->features;
  t->aarch64 = strncmp(t->triple, "aarch64", 7) == 0 || strncmp(t->triple, "arm64", 5) == 0;
  t->fma = has_feature(f, "fma");
  t->avx2 = has_feature(f, "avx2");
  t->avx512f = has_feature(f, "avx512f");
  t->avx512bw = has_feature(f, "avx512bw");
  t->avx512vnni = has_feature(f, "avx512vnni");
  t->avx512bf16 = has_feature(f, "avx512bf16");
  t->avx512fp16 = has_feature(f, "avx512fp16");
  t->amx_tile = has_feature(f, "amx-tile");
  t->amx_bf16 = has_feature(f, "amx-bf16");
  t->amx_int8 = has_feature(f, "amx-int8");
  t->neon = t->aarch64; /* Advanced SIMD is mandatory on AArch64 */
  t->sve = has_feature(f, "sve");
  /* Architectural vector registers: 32 on AVX-512 and AArch64, else 16. */
  t->vec_regs = t->avx512f || t->aarch64 ? 32 : 16;
  if (t->avx512f)
    t->vec_bytes = 64;
  else if (has_feature(f, "avx"))
    t->vec_bytes = 32;
  else
    t->vec_bytes = 16;
}

/* Features a named CPU implies, for the few facts the lowerings read (LLVM
 * itself knows every CPU; its C API does not say what they imply). */
static const char *implied_features(const char *cpu) {
  static const struct {
    const char *prefix, *features;
  } table[] = {
      {"sapphirerapids", "+avx,+avx2,+fma,+avx512f,+avx512bw,+avx512vnni,+avx512bf16,+avx512fp16,"
                         "+amx-tile,+amx-bf16,+amx-int8"},
      {"graniterapids", "+avx,+avx2,+fma,+avx512f,+avx512bw,+avx512vnni,+avx512bf16,+avx512fp16,"
                        "+amx-tile,+amx-bf16,+amx-int8"},
      {"znver4", "+avx,+avx2,+fma,+avx512f,+avx512bw,+avx512vnni,+avx512bf16"},
      {"znver5", "+avx,+avx2,+fma,+avx512f,+avx512bw,+avx512vnni,+avx512bf16"},
      {"skylake-avx512", "+avx,+avx2,+fma,+avx512f,+avx512bw"},
      {"cascadelake", "+avx,+avx2,+fma,+avx512f,+avx512bw,+avx512vnni"},
      {"icelake", "+avx,+avx2,+fma,+avx512f,+avx512bw,+avx512vnni"},
      {"x86-64-v4", "+avx,+avx2,+fma,+avx512f,+avx512bw"},
      {"x86-64-v3", "+avx,+avx2,+fma"},
      {"haswell", "+avx,+avx2,+fma"},
      {"skylake", "+avx,+avx2,+fma"},
      {"znver", "+avx,+avx2,+fma"},
      {"sandybridge", "+avx"},
      /* AArch64: Advanced SIMD always; SVE where the core has it. */
      {"neoverse-v", "+neon,+sve"},
      {"neoverse-n2", "+neon,+sve"},
      {"neoverse-n3", "+neon,+sve"},
      {"a64fx", "+neon,+sve"},
      {"grace", "+neon,+sve"},
  };
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (strncmp(cpu, table[i].prefix, strlen(table[i].prefix)) == 0)
      return table[i].features;
  return "";
}

static LLVMCodeGenOptLevel cg_level(int opt) {
  return opt <= 0 ? LLVMCodeGenLevelNone
         : opt == 1 ? LLVMCodeGenLevelLess
         : opt == 2 ? LLVMCodeGenLevelDefault
                    : LLVMCodeGenLevelAggressive;
}

/* The architecture part of a triple ("x86_64" of "x86_64-pc-linux-gnu"). */
static size_t arch_len(const char *triple) {
  const char *dash = strchr(triple, '-');
  return dash ? (size_t)(dash - triple) : strlen(triple);
}

static bool same_arch(const char *a, const char *b) {
  size_t n = arch_len(a);
  return n == arch_len(b) && strncmp(a, b, n) == 0;
}

ovcc_status cg_target_create(cg_target *t, int opt_level, const char *triple, const char *cpu,
                             const char *features, ir_diag *d) {
  memset(t, 0, sizeof *t);
  LLVMInitializeNativeTarget();
  LLVMInitializeNativeAsmPrinter();
  t->opt_level = opt_level;
  char *host_triple = LLVMGetDefaultTargetTriple();
  t->triple = triple && *triple ? LLVMNormalizeTargetTriple(triple) : host_triple;
  t->host = same_arch(t->triple, host_triple);
  if (t->triple != host_triple)
    LLVMDisposeMessage(host_triple);
  if (!t->host) {
    /* Cross compilation: every target this LLVM was built with. */
    LLVMInitializeAllTargetInfos();
    LLVMInitializeAllTargets();
    LLVMInitializeAllTargetMCs();
    LLVMInitializeAllAsmPrinters();
  }
  if (cpu)
    t->cpu = LLVMCreateMessage(cpu);
  else
    t->cpu = t->host ? LLVMGetHostCPUName() : LLVMCreateMessage("generic");
  char *host = cpu || !t->host ? LLVMCreateMessage(implied_features(t->cpu))
                               : LLVMGetHostCPUFeatures();
  size_t n = strlen(host) + (features ? strlen(features) + 2 : 1);
  char *buf = malloc(n);
  if (!buf) {
    LLVMDisposeMessage(host);
    cg_target_dispose(t);
    return IR_NOMEM(d);
  }
  strcpy(buf, host);
  if (features && *features) {
    if (*buf)
      strcat(buf, ",");
    strcat(buf, features);
  }
  LLVMDisposeMessage(host);
  t->features = LLVMCreateMessage(buf);
  free(buf);

  LLVMTargetRef target;
  char *err = NULL;
  if (LLVMGetTargetFromTriple(t->triple, &target, &err)) {
    ir_diag_set_at(d, OVCC_ERR_UNSUPPORTED, NULL, 0, "no LLVM target for '%s': %s", t->triple,
                   err ? err : "?");
    LLVMDisposeMessage(err);
    cg_target_dispose(t);
    return d->status;
  }
  t->tm = LLVMCreateTargetMachine(target, t->triple, t->cpu, t->features, cg_level(opt_level),
                                  LLVMRelocPIC, LLVMCodeModelDefault);
  if (!t->tm) {
    IR_ERR(d, OVCC_ERR_INTERNAL, "LLVM could not create a target machine for %s", t->cpu);
    cg_target_dispose(t);
    return d->status;
  }
  read_features(t);
  return OVCC_OK;
}

void cg_target_dispose(cg_target *t) {
  if (t->tm)
    LLVMDisposeTargetMachine(t->tm);
  LLVMDisposeMessage(t->triple);
  LLVMDisposeMessage(t->cpu);
  LLVMDisposeMessage(t->features);
  memset(t, 0, sizeof *t);
}
