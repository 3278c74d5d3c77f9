/* Linking the embedded ukernel bitcode into a module, and calling it. */
#include <string.h>

#include <llvm-c/Linker.h>

#include "bitcode.h"
#include "ukernel.h"

enum { UK_MAX_EXPORTS = 64, UK_NAME_MAX = 64 };

/* Records the ukernels' exported definitions (to internalize after
 * linking). */
static unsigned exported_names(LLVMModuleRef src, char names[UK_MAX_EXPORTS][UK_NAME_MAX]) {
  unsigned n = 0;
  for (LLVMValueRef fn = LLVMGetFirstFunction(src); fn; fn = LLVMGetNextFunction(fn)) {
    if (LLVMIsDeclaration(fn))
      continue;
    size_t len;
    const char *name = LLVMGetValueName2(fn, &len);
    if (LLVMGetLinkage(fn) == LLVMExternalLinkage && n < UK_MAX_EXPORTS && len < UK_NAME_MAX) {
      memcpy(names[n], name, len);
      names[n++][len] = 0;
    }
  }
  return n;
}

static ovcc_status link_ukernels(cg_kernel *k) {
  cg_module *m = k->m;
  bool missing;
  LLVMModuleRef src = cg_bitcode_module(CG_BITCODE_UKERNELS, m, &missing);
  if (!src)
    return missing ? cg_error(k, OVCC_ERR_INTERNAL, "no ukernel bitcode for %s in this build",
                              m->target->triple)
                   : cg_error(k, OVCC_ERR_INTERNAL, "cannot read the embedded ukernel bitcode");
  char names[UK_MAX_EXPORTS][UK_NAME_MAX];
  unsigned n = exported_names(src, names);
  if (LLVMLinkModules2(m->mod, src)) /* consumes src */
    return cg_error(k, OVCC_ERR_INTERNAL, "cannot link the ukernel bitcode into the module");
  for (unsigned i = 0; i < n; i++) {
    LLVMValueRef fn = LLVMGetNamedFunction(m->mod, names[i]);
    if (fn)
      LLVMSetLinkage(fn, LLVMInternalLinkage);
  }
  return OVCC_OK;
}

ovcc_status cg_uk_call(cg_kernel *k, const char *name, LLVMValueRef *args, unsigned n) {
  LLVMValueRef fn = LLVMGetNamedFunction(k->m->mod, name);
  if (!fn || LLVMIsDeclaration(fn)) {
    ovcc_status st = link_ukernels(k);
    if (st != OVCC_OK)
      return st;
    fn = LLVMGetNamedFunction(k->m->mod, name);
  }
  if (!fn || LLVMIsDeclaration(fn))
    return cg_error(k, OVCC_ERR_INTERNAL, "no ukernel named %s", name);
  LLVMTypeRef ft = LLVMGlobalGetValueType(fn);
  if (LLVMCountParamTypes(ft) != n)
    return cg_error(k, OVCC_ERR_INTERNAL, "ukernel %s takes %u arguments, not %u", name,
                    LLVMCountParamTypes(ft), n);
  LLVMBuildCall2(k->b, ft, fn, args, n, "");
  return OVCC_OK;
}

static LLVMValueRef const_table(cg_kernel *k, LLVMTypeRef et, LLVMValueRef *elems, unsigned n) {
  LLVMTypeRef at = LLVMArrayType2(et, n);
  LLVMValueRef g = LLVMAddGlobal(k->m->mod, at, "uk.params");
  LLVMSetInitializer(g, LLVMConstArray2(et, elems, n));
  LLVMSetGlobalConstant(g, 1);
  LLVMSetLinkage(g, LLVMPrivateLinkage);
  LLVMSetUnnamedAddress(g, LLVMGlobalUnnamedAddr);
  LLVMSetAlignment(g, 8);
  return g;
}

LLVMValueRef cg_uk_i64_table(cg_kernel *k, const int64_t *v, unsigned n) {
  LLVMValueRef elems[64];
  if (n > 64)
    return NULL;
  for (unsigned i = 0; i < n; i++)
    elems[i] = cg_i64(k, v[i]);
  return const_table(k, k->m->t_i64, elems, n);
}

LLVMValueRef cg_uk_f32_table(cg_kernel *k, const float *v, unsigned n) {
  LLVMValueRef elems[64];
  if (n > 64)
    return NULL;
  for (unsigned i = 0; i < n; i++)
    elems[i] = cg_f32(k, v[i]);
  return const_table(k, k->m->t_f32, elems, n);
}
