/* Building the region steps of TensorIterator / Loop / If (see program.h). */
#ifndef OVCC_CODEGEN_REGION_H
#define OVCC_CODEGEN_REGION_H

#include "compile.h"
#include "plan.h"

/* Compiles one body graph into a nested program (kernels go into the same
 * module as the parent's). */
typedef ovcc_status (*cg_body_compiler)(void *ctx, ir_graph *body, cg_program **out, ir_diag *d);

/* Resolves op's port maps against the parent plan (adding arena buffers for
 * body arenas, sliced and merged inputs) and compiles its bodies. */
ovcc_status cg_region_build(ir_op *op, cg_plan *plan, cg_body_compiler compile_body, void *ctx,
                            cg_region **out, ir_diag *d);
void cg_region_free(cg_region *r);

#endif
