/* Machine code for a module: an object file emitted with the target machine,
 * linked in process by ORC LLJIT (the same object bytes can later go to the
 * cache or into an AOT library). */
#ifndef OVCC_CODEGEN_JIT_H
#define OVCC_CODEGEN_JIT_H

#include <stdio.h>

#include "compile.h"
#include "cg.h"

typedef struct cg_jit cg_jit;

/* Emits m as an object, links it into a new LLJIT and resolves the kernels
 * k0..k<n-1> (in creation order) into fns. m stays owned by the caller.
 * art (may be NULL) receives a copy of the object bytes and kernel names. */
ovcc_status cg_jit_load(const cg_target *t, cg_module *m, cg_kernel_fn *fns, uint32_t n,
                        cg_artifact *art, cg_jit **out, ir_diag *d);
/* Links an object emitted earlier (bytes copied; no pass, no code generation)
 * and resolves the kernels names[0..n) into fns. */
ovcc_status cg_jit_link(const void *obj, size_t obj_size, const char *const *names,
                        cg_kernel_fn *fns, uint32_t n, cg_jit **out, ir_diag *d);
void cg_jit_free(cg_jit *j);
/* Writes m as LLVM IR text, assembly or an object file to f. */
ovcc_status cg_jit_emit(const cg_target *t, cg_module *m, cg_emit_kind kind, FILE *f, ir_diag *d);

#endif
