/* The bitcode embedded into ovcc at build time (the ukernels in codegen/ukernels/ and
 * codegen/aotrt/aot_rt.c compiled by clang), one copy per target
 * architecture: a module links the copy built for its own target. */
#ifndef OVCC_CODEGEN_BITCODE_H
#define OVCC_CODEGEN_BITCODE_H

#include <stddef.h>

#include "cg.h"

typedef enum cg_bitcode_kind {
  CG_BITCODE_UKERNELS,    /* the freestanding ukernels (always built) */
  CG_BITCODE_AOT_RUNTIME, /* the AOT libraries' runtime (needs the target's libc headers) */
} cg_bitcode_kind;

/* The bitcode of `kind` for t's architecture, or NULL (size 0) when this
 * build has none for it. */
const unsigned char *cg_bitcode(cg_bitcode_kind kind, const cg_target *t, size_t *size);

/* The bitcode of `kind` for m's target parsed into m's context, with m's
 * triple and data layout and every definition retargeted
 * (cg_fn_set_target): ready for LLVMLinkModules2. NULL when this build has
 * none for the target (*missing set) or it does not parse. */
LLVMModuleRef cg_bitcode_module(cg_bitcode_kind kind, cg_module *m, bool *missing);

/* Gives fn m's target CPU and features (and no tune-cpu of its own), as the
 * kernels have: code from clang's bitcode or added by hand is compiled for
 * the same CPU as the rest of the module. */
void cg_fn_set_target(cg_module *m, LLVMValueRef fn);

#endif
