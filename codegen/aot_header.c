/* The C header of an AOT model library: the ABI's declarations under the
 * library's prefix, plus the model's signature as constants for callers
 * that link the library directly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aot_internal.h"
#include "aotrt/aot_abi.h"
#include "ovcc/ovcc.h"

/* The header spells out ovcc_element_type's values (it must not need ovcc.h). */
_Static_assert(OVCC_BOOLEAN == 1 && OVCC_F16 == 2 && OVCC_BF16 == 3 && OVCC_F32 == 4 &&
                   OVCC_F64 == 5 && OVCC_I4 == 6 && OVCC_I8 == 7 && OVCC_I16 == 8 &&
                   OVCC_I32 == 9 && OVCC_I64 == 10 && OVCC_U1 == 11 && OVCC_U4 == 12 &&
                   OVCC_U8 == 13 && OVCC_U16 == 14 && OVCC_U32 == 15 && OVCC_U64 == 16 &&
                   OVCC_STRING == 17,
               "ovcc_element_type changed: update common_decls");

/* Shared by every model header (guarded: several may be included). */
static const char common_decls[] =
    "#ifndef OVCC_AOT_ABI_COMMON\n"
    "#define OVCC_AOT_ABI_COMMON\n"
    "/* Return codes of PREFIX_run. */\n"
    "#define OVCC_AOT_OK 0\n"
    "#define OVCC_AOT_ERR_INVALID_ARG 1 /* NULL buffer, or workspace not 64-byte aligned */\n"
    "#define OVCC_AOT_ERR_SHAPE 2 /* input shapes no specialization was built for */\n"
    "/* PREFIX_run_with_pool: the caller's parallel-for calls fn(bufs, begin, end) on\n"
    " * disjoint chunks covering [0, work), on any threads, and returns when all are\n"
    " * done (cost: estimated cycles per item, 0 if unknown). */\n"
    "typedef void (*ovcc_aot_kernel_fn)(void *const *bufs, int64_t begin, int64_t end);\n"
    "typedef void (*ovcc_aot_parallel_for)(void *pool, ovcc_aot_kernel_fn fn, void *const *bufs,\n"
    "                                      int64_t work, double cost);\n"
    "/* Element type codes (PREFIX_input_type), as ovcc_element_type in ovcc/ovcc.h. */\n"
    "enum ovcc_aot_element_type {\n"
    "  OVCC_AOT_BOOLEAN = 1, OVCC_AOT_F16 = 2, OVCC_AOT_BF16 = 3, OVCC_AOT_F32 = 4,\n"
    "  OVCC_AOT_F64 = 5, OVCC_AOT_I4 = 6, OVCC_AOT_I8 = 7, OVCC_AOT_I16 = 8, OVCC_AOT_I32 = 9,\n"
    "  OVCC_AOT_I64 = 10, OVCC_AOT_U1 = 11, OVCC_AOT_U4 = 12, OVCC_AOT_U8 = 13,\n"
    "  OVCC_AOT_U16 = 14, OVCC_AOT_U32 = 15, OVCC_AOT_U64 = 16, OVCC_AOT_STRING = 17\n"
    "};\n"
    "/* An element of a string tensor (OVCC_AOT_STRING): its bytes (UTF-8 by\n"
    " * convention, not NUL-terminated) and their count. The model moves these\n"
    " * descriptors, never the bytes: an output string points at the bytes of the\n"
    " * input string it came from. */\n"
    "typedef struct ovcc_aot_string {\n"
    "  const char *data;\n"
    "  size_t size;\n"
    "} ovcc_aot_string;\n"
    "#endif\n\n";

static const char *const decls[] = {
    "uint32_t %s_abi_version(void); /* == %s_ABI_VERSION */",
    "uint32_t %s_num_inputs(void);",
    "uint32_t %s_num_outputs(void);",
    "/* i out of range: NULL, -1 or 0. */",
    "const char *%s_input_name(uint32_t i);",
    "const char *%s_output_name(uint32_t i);",
    "int32_t %s_input_type(uint32_t i); /* enum ovcc_aot_element_type */",
    "int32_t %s_output_type(uint32_t i);",
    "int32_t %s_input_rank(uint32_t i);",
    "int32_t %s_output_rank(uint32_t i);",
    "/* Shapes: -1 for a dimension that differs between specializations (and",
    " * then nbytes 0); a library of one specialization has none. */",
    "const int64_t *%s_input_shape(uint32_t i);",
    "const int64_t *%s_output_shape(uint32_t i);",
    "uint64_t %s_input_nbytes(uint32_t i);",
    "uint64_t %s_output_nbytes(uint32_t i);",
    "/* The input shapes the library was built for (ovcc --shape=A;B): one",
    " * specialization each, picked at run time. */",
    "uint32_t %s_num_specializations(void);",
    "const int64_t *%s_spec_input_shape(uint32_t spec, uint32_t i);",
    "const int64_t *%s_spec_output_shape(uint32_t spec, uint32_t i);",
    "uint64_t %s_spec_input_nbytes(uint32_t spec, uint32_t i);",
    "uint64_t %s_spec_output_nbytes(uint32_t spec, uint32_t i);",
    "/* The specialization for these input shapes (input_shapes[i]: input i's",
    " * dimensions), or -1. */",
    "int32_t %s_select(const int64_t *const *input_shapes);",
    "/* Bytes of memory one run needs (64-byte aligned, caller-owned): scratch",
    " * tensors, and the model's state variables (ReadValue/Assign), which persist",
    " * in the workspace from run to run. */",
    "uint64_t %s_workspace_size(void);",
    "uint32_t %s_num_states(void);",
    "/* Prepares a new workspace and resets the variables (initializers apply on",
    " * the next run); call it before a workspace's first run. */",
    "int32_t %s_reset(void *workspace);",
    "/* Runs the model once: inputs[i] holds input i (dense, row-major, aligned",
    " * to its element size), outputs[i] receives output i. One workspace per",
    " * concurrent call; threads <= 1 runs on the calling thread, more starts",
    " * threads - 1 workers for this call. Returns OVCC_AOT_OK or an error code;",
    " * OVCC_AOT_ERR_SHAPE if the library has several specializations. */",
    "int32_t %s_run(const void *const *inputs, void *const *outputs, void *workspace,",
    "               int32_t threads);",
    "/* PREFIX_run on the caller's thread pool instead of its own threads. */",
    "int32_t %s_run_with_pool(const void *const *inputs, void *const *outputs,",
    "                         void *workspace, ovcc_aot_parallel_for par, void *pool);",
    "/* PREFIX_run for input shapes given at run time: checked against the",
    " * specializations (OVCC_AOT_ERR_SHAPE if none matches); outputs[i] needs",
    " * PREFIX_spec_output_nbytes(PREFIX_select(input_shapes), i) bytes. */",
    "int32_t %s_run_dims(const int64_t *const *input_shapes, const void *const *inputs,",
    "                    void *const *outputs, void *workspace, int32_t threads);",
    "/* PREFIX_run of one specialization (from PREFIX_select). */",
    "int32_t %s_run_spec(uint32_t spec, const void *const *inputs, void *const *outputs,",
    "                    void *workspace, int32_t threads);",
    "int32_t %s_run_spec_with_pool(uint32_t spec, const void *const *inputs,",
    "                              void *const *outputs, void *workspace,",
    "                              ovcc_aot_parallel_for par, void *pool);",
};

static void write_dims(FILE *f, const ir_shape *shape) {
  fputc('[', f);
  for (int32_t k = 0; k < shape->rank; k++)
    fprintf(f, "%s%lld", k ? "," : "", (long long)shape->d[k].lo);
  fputc(']', f);
}

static void write_port_comment(FILE *f, const char *what, uint32_t i, const cg_port *p) {
  fprintf(f, " * %s %u '%s': %s ", what, i, p->name, ir_etype_name(p->et));
  write_dims(f, &p->shape);
  fprintf(f, ", %llu bytes\n", (unsigned long long)p->nbytes);
}

static void write_upper(FILE *f, const char *s) {
  for (; *s; s++)
    fputc(*s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s, f);
}

static void write_define(FILE *f, const char *prefix, const char *what, unsigned long long v) {
  fputs("#define ", f);
  write_upper(f, prefix);
  fprintf(f, "_%s %llu\n", what, v);
}

static void write_header(FILE *f, const cg_aot_sig *sigs, uint32_t n_specs, const cg_port *ins,
                         const cg_port *outs, const char *prefix, const char *model) {
  const cg_aot_sig *s0 = &sigs[0];
  fprintf(f, "/* %s.h: the ABI of the ovcc AOT model library for '%s'.\n", prefix, model);
  fputs(" * Generated by ovcc; do not edit. See docs/aot.md.\n *\n", f);
  for (uint32_t i = 0; i < s0->n_inputs; i++)
    write_port_comment(f, "input", i, &ins[i]);
  for (uint32_t i = 0; i < s0->n_outputs; i++)
    write_port_comment(f, "output", i, &outs[i]);
  for (uint32_t j = 0; n_specs > 1 && j < n_specs; j++) {
    fprintf(f, " * specialization %u: inputs", j);
    for (uint32_t i = 0; i < s0->n_inputs; i++) {
      fputc(' ', f);
      write_dims(f, &sigs[j].inputs[i].shape);
    }
    fputs(", outputs", f);
    for (uint32_t i = 0; i < s0->n_outputs; i++) {
      fputc(' ', f);
      write_dims(f, &sigs[j].outputs[i].shape);
    }
    fputc('\n', f);
  }
  fputs(" */\n#ifndef ", f);
  write_upper(f, prefix);
  fputs("_OVCC_AOT_H\n#define ", f);
  write_upper(f, prefix);
  fputs("_OVCC_AOT_H\n\n#include <stddef.h>\n#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n", f);
  fputs(common_decls, f);
  write_define(f, prefix, "ABI_VERSION", OVCC_AOT_ABI_VERSION);
  write_define(f, prefix, "NUM_INPUTS", s0->n_inputs);
  write_define(f, prefix, "NUM_OUTPUTS", s0->n_outputs);
  write_define(f, prefix, "NUM_SPECIALIZATIONS", n_specs);
  char what[48];
  for (uint32_t i = 0; i < s0->n_inputs; i++) {
    snprintf(what, sizeof what, "INPUT%u_NBYTES", i);
    write_define(f, prefix, what, ins[i].nbytes); /* 0: differs between specializations */
  }
  for (uint32_t i = 0; i < s0->n_outputs; i++) {
    snprintf(what, sizeof what, "OUTPUT%u_NBYTES", i);
    write_define(f, prefix, what, outs[i].nbytes);
  }
  fputc('\n', f);
  for (size_t i = 0; i < sizeof decls / sizeof decls[0]; i++) {
    const char *line = decls[i];
    const char *at = strstr(line, "%s");
    if (!at) {
      fprintf(f, "%s\n", line);
      continue;
    }
    fwrite(line, 1, (size_t)(at - line), f);
    fputs(prefix, f);
    const char *rest = at + 2;
    const char *at2 = strstr(rest, "%s");
    if (at2) { /* the second %s: the upper-case prefix */
      fwrite(rest, 1, (size_t)(at2 - rest), f);
      write_upper(f, prefix);
      rest = at2 + 2;
    }
    fprintf(f, "%s\n", rest);
  }
  fputs("\n#ifdef __cplusplus\n}\n#endif\n\n#endif\n", f);
}

ovcc_status cg_aot_header(const cg_aot_sig *sigs, uint32_t n_specs, const cg_port *ins,
                          const cg_port *outs, const char *prefix, const char *model_name,
                          char **out, ir_diag *d) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f)
    return IR_NOMEM(d);
  write_header(f, sigs, n_specs, ins, outs, prefix, model_name);
  if (fclose(f) != 0 || !text) {
    free(text);
    return IR_NOMEM(d);
  }
  *out = text;
  return OVCC_OK;
}
