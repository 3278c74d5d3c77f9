/* Which embedded bitcode array serves a target (see bitcode.h). */
#include <string.h>

#include <llvm-c/BitReader.h>

#include "bitcode.h"

extern const unsigned char ovcc_ukernels_bc_x86_64[], ovcc_ukernels_bc_aarch64[];
extern const size_t ovcc_ukernels_bc_x86_64_size, ovcc_ukernels_bc_aarch64_size;
extern const unsigned char ovcc_aot_rt_bc_x86_64[], ovcc_aot_rt_bc_aarch64[];
extern const size_t ovcc_aot_rt_bc_x86_64_size, ovcc_aot_rt_bc_aarch64_size;

const unsigned char *cg_bitcode(cg_bitcode_kind kind, const cg_target *t, size_t *size) {
  const unsigned char *bc;
  if (kind == CG_BITCODE_UKERNELS) {
    bc = t->aarch64 ? ovcc_ukernels_bc_aarch64 : ovcc_ukernels_bc_x86_64;
    *size = t->aarch64 ? ovcc_ukernels_bc_aarch64_size : ovcc_ukernels_bc_x86_64_size;
  } else {
    bc = t->aarch64 ? ovcc_aot_rt_bc_aarch64 : ovcc_aot_rt_bc_x86_64;
    *size = t->aarch64 ? ovcc_aot_rt_bc_aarch64_size : ovcc_aot_rt_bc_x86_64_size;
  }
  return *size ? bc : NULL;
}

static void set_string_attr(LLVMContextRef ctx, LLVMValueRef fn, const char *key, const char *v) {
  LLVMRemoveStringAttributeAtIndex(fn, LLVMAttributeFunctionIndex, key, (unsigned)strlen(key));
  if (v)
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                            LLVMCreateStringAttribute(ctx, key, (unsigned)strlen(key), v,
                                                      (unsigned)strlen(v)));
}

void cg_fn_set_target(cg_module *m, LLVMValueRef fn) {
  set_string_attr(m->ctx, fn, "target-cpu", m->target->cpu);
  set_string_attr(m->ctx, fn, "target-features", m->target->features);
  set_string_attr(m->ctx, fn, "tune-cpu", NULL);
}

LLVMModuleRef cg_bitcode_module(cg_bitcode_kind kind, cg_module *m, bool *missing) {
  size_t size;
  const unsigned char *bc = cg_bitcode(kind, m->target, &size);
  *missing = !bc;
  if (!bc)
    return NULL;
  LLVMMemoryBufferRef buf = LLVMCreateMemoryBufferWithMemoryRange(
      (const char *)bc, size, kind == CG_BITCODE_UKERNELS ? "ovcc_ukernels" : "ovcc_aot_rt", 0);
  LLVMModuleRef src = NULL;
  LLVMBool bad = LLVMParseBitcodeInContext2(m->ctx, buf, &src);
  LLVMDisposeMemoryBuffer(buf);
  if (bad || !src)
    return NULL;
  LLVMSetTarget(src, LLVMGetTarget(m->mod));
  LLVMSetDataLayout(src, LLVMGetDataLayoutStr(m->mod));
  for (LLVMValueRef fn = LLVMGetFirstFunction(src); fn; fn = LLVMGetNextFunction(fn))
    if (!LLVMIsDeclaration(fn))
      cg_fn_set_target(m, fn);
  return src;
}
