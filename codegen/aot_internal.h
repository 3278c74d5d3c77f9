/* Private to the AOT generator (codegen/aot*.c). */
#ifndef OVCC_CODEGEN_AOT_INTERNAL_H
#define OVCC_CODEGEN_AOT_INTERNAL_H

#include "aot.h"
#include "cg.h"

/* The ovcc_aot_program constant (codegen/aotrt/aot_abi.h) of root program p
 * and its region bodies, in m; kernels[i] is kernel i's function. */
ovcc_status cg_aot_program_const(cg_module *m, const cg_program *p, const LLVMValueRef *kernels,
                                 LLVMValueRef *out, ir_diag *d);

#endif
