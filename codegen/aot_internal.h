/* Private to the AOT generator (codegen/aot*.c). */
#ifndef OVCC_CODEGEN_AOT_INTERNAL_H
#define OVCC_CODEGEN_AOT_INTERNAL_H

#include "aot.h"
#include "cg.h"

/* The ovcc_aot_program constant (codegen/aotrt/aot_abi.h) of root program p
 * and its region bodies, in m; kernels[i] is kernel i's function. */
ovcc_status cg_aot_program_const(cg_module *m, const cg_program *p, const LLVMValueRef *kernels,
                                 LLVMValueRef *out, ir_diag *d);

/* One specialization's signature, copied out of its program: ports (names
 * in the AOT generator's arena; names/n_names cleared) and state sizes. */
typedef struct cg_aot_sig {
  cg_port *inputs, *outputs;
  uint32_t n_inputs, n_outputs, n_states;
  uint64_t *state_nbytes;
} cg_aot_sig;

/* The ovcc_aot_model constant: specs[0..n) the specializations' program
 * tables, ins/outs the library's signature (a dimension -1 where the
 * specializations differ). */
ovcc_status cg_aot_model_const(cg_module *m, const LLVMValueRef *specs, uint32_t n,
                               const cg_port *ins, uint32_t n_in, const cg_port *outs,
                               uint32_t n_out, LLVMValueRef *out, ir_diag *d);

/* The header text: the library's signature (ins/outs, as for
 * cg_aot_model_const) and every specialization's shapes. */
ovcc_status cg_aot_header(const cg_aot_sig *sigs, uint32_t n_specs, const cg_port *ins,
                          const cg_port *outs, const char *prefix, const char *model_name,
                          char **out, ir_diag *d);

#endif
