/* Object emission and in-process linking with ORC LLJIT. */
#include <stdlib.h>
#include <string.h>

#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>

#include "jit.h"

struct cg_jit {
  LLVMOrcLLJITRef lljit;
};

static ovcc_status llvm_error(LLVMErrorRef err, const char *what, ir_diag *d) {
  char *msg = LLVMGetErrorMessage(err);
  ir_diag_set_at(d, OVCC_ERR_INTERNAL, NULL, 0, "%s: %s", what, msg);
  LLVMDisposeErrorMessage(msg);
  return d->status;
}

static ovcc_status emit_buffer(const cg_target *t, cg_module *m, LLVMCodeGenFileType ft,
                               LLVMMemoryBufferRef *out, ir_diag *d) {
  char *err = NULL;
  if (LLVMTargetMachineEmitToMemoryBuffer(t->tm, m->mod, ft, &err, out)) {
    ir_diag_set_at(d, OVCC_ERR_INTERNAL, NULL, 0, "LLVM code generation failed: %s",
                   err ? err : "?");
    LLVMDisposeMessage(err);
    return d->status;
  }
  return OVCC_OK;
}

/* Kernel k<i>_... names: look the i-th kernel up by walking the module in
 * creation order (functions are appended as kernels are created). */
static ovcc_status kernel_names(cg_module *m, const char **names, uint32_t n, ir_diag *d) {
  uint32_t i = 0;
  for (LLVMValueRef f = LLVMGetFirstFunction(m->mod); f; f = LLVMGetNextFunction(f)) {
    if (LLVMIsDeclaration(f))
      continue;
    size_t len;
    const char *name = LLVMGetValueName2(f, &len);
    char *end;
    if (name[0] != 'k')
      continue;
    unsigned long k = strtoul(name + 1, &end, 10);
    if (end == name + 1 || *end != '_' || k >= n)
      continue;
    names[k] = name;
    i++;
  }
  if (i != n)
    return IR_ERR(d, OVCC_ERR_INTERNAL, "module has %u kernels, expected %u", i, n);
  return OVCC_OK;
}

/* Links obj (taken over, even on failure) into a new LLJIT and resolves
 * names[0..n) into fns. */
static ovcc_status link_object(LLVMMemoryBufferRef obj, const char *const *names, cg_kernel_fn *fns,
                               uint32_t n, cg_jit **out, ir_diag *d) {
  *out = NULL;
  ovcc_status st = OVCC_OK;
  cg_jit *j = calloc(1, sizeof *j);
  if (!j)
    st = IR_NOMEM(d);
  if (st == OVCC_OK) {
    LLVMErrorRef err = LLVMOrcCreateLLJIT(&j->lljit, NULL);
    if (err)
      st = llvm_error(err, "cannot create the JIT", d);
  }
  if (st == OVCC_OK) {
    /* Kernels may call libm/libc (memcpy, rare math): resolve from the process. */
    LLVMOrcDefinitionGeneratorRef gen;
    LLVMErrorRef err = LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(
        &gen, LLVMOrcLLJITGetGlobalPrefix(j->lljit), NULL, NULL);
    if (err)
      st = llvm_error(err, "cannot create the process symbol generator", d);
    else
      LLVMOrcJITDylibAddGenerator(LLVMOrcLLJITGetMainJITDylib(j->lljit), gen);
  }
  if (st == OVCC_OK) {
    LLVMErrorRef err =
        LLVMOrcLLJITAddObjectFile(j->lljit, LLVMOrcLLJITGetMainJITDylib(j->lljit), obj);
    obj = NULL; /* taken over, even on error */
    if (err)
      st = llvm_error(err, "cannot add the object to the JIT", d);
  }
  for (uint32_t i = 0; st == OVCC_OK && i < n; i++) {
    LLVMOrcExecutorAddress addr = 0;
    LLVMErrorRef err = LLVMOrcLLJITLookup(j->lljit, &addr, names[i]);
    if (err)
      st = llvm_error(err, "cannot link a kernel", d);
    else
      fns[i] = (cg_kernel_fn)(uintptr_t)addr;
  }
  if (obj)
    LLVMDisposeMemoryBuffer(obj);
  if (st != OVCC_OK) {
    cg_jit_free(j);
    return st;
  }
  *out = j;
  return OVCC_OK;
}

/* A malloc'ed copy of the object bytes and kernel names, for the cache. */
static ovcc_status keep_artifact(LLVMMemoryBufferRef obj, const char **names, uint32_t n,
                                 cg_artifact *art, ir_diag *d) {
  memset(art, 0, sizeof *art);
  size_t size = LLVMGetBufferSize(obj);
  art->obj = malloc(size ? size : 1);
  art->kernel_names = calloc(n + 1, sizeof *art->kernel_names);
  if (!art->obj || !art->kernel_names) {
    cg_artifact_free(art);
    return IR_NOMEM(d);
  }
  memcpy(art->obj, LLVMGetBufferStart(obj), size);
  art->obj_size = size;
  for (uint32_t i = 0; i < n; i++, art->n_kernels++)
    if (!(art->kernel_names[i] = strdup(names[i]))) {
      cg_artifact_free(art);
      return IR_NOMEM(d);
    }
  return OVCC_OK;
}

void cg_artifact_free(cg_artifact *art) {
  if (!art)
    return;
  free(art->obj);
  for (uint32_t i = 0; art->kernel_names && i < art->n_kernels; i++)
    free(art->kernel_names[i]);
  free(art->kernel_names);
  memset(art, 0, sizeof *art);
}

ovcc_status cg_jit_load(const cg_target *t, cg_module *m, cg_kernel_fn *fns, uint32_t n,
                        cg_artifact *art, cg_jit **out, ir_diag *d) {
  *out = NULL;
  const char **names = calloc(n + 1, sizeof *names);
  if (!names)
    return IR_NOMEM(d);
  ovcc_status st = kernel_names(m, names, n, d);
  LLVMMemoryBufferRef obj = NULL;
  if (st == OVCC_OK)
    st = emit_buffer(t, m, LLVMObjectFile, &obj, d);
  if (st == OVCC_OK && art)
    st = keep_artifact(obj, names, n, art, d);
  if (st == OVCC_OK) {
    st = link_object(obj, names, fns, n, out, d);
    obj = NULL;
  }
  if (obj)
    LLVMDisposeMemoryBuffer(obj);
  if (st != OVCC_OK && art)
    cg_artifact_free(art);
  free(names);
  return st;
}

ovcc_status cg_jit_link(const void *obj, size_t obj_size, const char *const *names,
                        cg_kernel_fn *fns, uint32_t n, cg_jit **out, ir_diag *d) {
  LLVMMemoryBufferRef buf =
      LLVMCreateMemoryBufferWithMemoryRangeCopy(obj, obj_size, "ovcc-cached-object");
  if (!buf)
    return IR_NOMEM(d);
  return link_object(buf, names, fns, n, out, d);
}

void cg_jit_free(cg_jit *j) {
  if (!j)
    return;
  if (j->lljit) {
    LLVMErrorRef err = LLVMOrcDisposeLLJIT(j->lljit);
    if (err)
      LLVMConsumeError(err);
  }
  free(j);
}

ovcc_status cg_jit_emit(const cg_target *t, cg_module *m, cg_emit_kind kind, FILE *f, ir_diag *d) {
  if (kind == CG_EMIT_LLVM) {
    char *s = LLVMPrintModuleToString(m->mod);
    size_t n = strlen(s);
    size_t w = fwrite(s, 1, n, f);
    LLVMDisposeMessage(s);
    return w == n ? OVCC_OK : IR_ERR(d, OVCC_ERR_IO, "cannot write the LLVM IR");
  }
  LLVMMemoryBufferRef buf;
  IR_TRY(emit_buffer(t, m, kind == CG_EMIT_ASM ? LLVMAssemblyFile : LLVMObjectFile, &buf, d));
  size_t n = LLVMGetBufferSize(buf);
  size_t w = fwrite(LLVMGetBufferStart(buf), 1, n, f);
  LLVMDisposeMemoryBuffer(buf);
  return w == n ? OVCC_OK : IR_ERR(d, OVCC_ERR_IO, "cannot write the output");
}
