/* Kernel function creation inside a module (driver side of cg.h). */
#ifndef OVCC_CODEGEN_KERNEL_H
#define OVCC_CODEGEN_KERNEL_H

#include "cg.h"

/* Adds a kernel function for op to m (attributes: target cpu/features,
 * vector width, nounwind) and positions the builder in its entry block. */
void cg_kernel_begin(cg_module *m, const ir_op *op, cg_kernel *k, ir_diag *d);
/* Terminates the kernel's current block with `ret void`. */
void cg_kernel_finish(cg_kernel *k);
const char *cg_kernel_name(const cg_kernel *k, size_t *len);

#endif
