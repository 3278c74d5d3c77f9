/* Ahead-of-time compilation: a model as a self-contained shared library.
 *
 * The kernels come from the same driver as the JIT's (cg_compile_module);
 * instead of linking them in process, the module also receives every
 * constant slot's bytes as read-only data, the program's tables (steps,
 * slots, ports, states, regions; codegen/aotrt/aot_abi.h, aot_tables.c),
 * the library runtime (aot_rt.c bitcode) and PREFIX_<what> wrappers, the
 * only external symbols. The
 * object is linked with the system's `cc -shared` (aot_link.c). The ABI is
 * described in docs/aot.md and in the header cg_aot_header writes. */
#ifndef OVCC_CODEGEN_AOT_H
#define OVCC_CODEGEN_AOT_H

#include <stddef.h>

#include "compile.h"

/* What one AOT compilation produced. */
typedef struct cg_aot_output {
  void *code; /* per cg_aot_kind; text kinds are NUL-terminated */
  size_t code_size;
  char *header; /* the C header of the library's ABI (NUL-terminated) */
} cg_aot_output;
void cg_aot_output_free(cg_aot_output *out);

/* True if prefix is a C identifier (the ABI symbols are prefix_<what>). */
bool cg_aot_valid_prefix(const char *prefix);

/* What cg_aot_compile produces: the library's object file, its assembly,
 * its LLVM module as text, or the graph IR after the passes (text). */
typedef enum cg_aot_kind { CG_AOT_OBJ, CG_AOT_ASM, CG_AOT_LLVM, CG_AOT_IR } cg_aot_kind;

/* Compiles one library with n_specs specializations: models[j] (each its
 * own copy of the model, rewritten by the passes; still the caller's) with
 * options opts[j], whose input_shapes differ between specializations (the
 * library picks one at run time from the caller's input shapes). Target
 * and optimization options are opts[0]'s. Inputs or outputs of types the ABI
 * cannot exchange (string, f8, ...) are refused (OVCC_ERR_UNSUPPORTED), as
 * are specializations whose ports differ in element type or rank, or whose
 * state variables differ in size. CG_AOT_IR writes every specialization's
 * graph IR. */
ovcc_status cg_aot_compile(ir_model *const *models, const cg_options *opts, uint32_t n_specs,
                           const char *prefix, cg_aot_kind kind, cg_aot_output *out, ir_diag *d);
/* ovcc_element_type's value for an IR element type (the ABI's type codes). */
int cg_aot_etype_code(ir_etype t);

/* Links an object into a shared library at so_path with `cc -shared`, or for
 * another architecture than the host's (triple non-NULL) its cross driver
 * `ARCH-OS-ENV-gcc` (aarch64-linux-gnu-gcc); the OVCC_CC environment
 * variable names another driver. Exports only the symbols starting with
 * prefix_. */
ovcc_status cg_aot_link(const void *obj, size_t obj_size, const char *so_path, const char *prefix,
                        const char *triple, ir_diag *d);

#endif
