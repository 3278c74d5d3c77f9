/* The compile driver: graph IR in, runnable program out (ORC LLJIT in
 * process). Runs the optimization pipeline, specializes shapes, plans memory,
 * lowers every op to a kernel, optimizes and JIT-links the module. */
#ifndef OVCC_CODEGEN_COMPILE_H
#define OVCC_CODEGEN_COMPILE_H

#include <stdio.h>

#include "program.h"

typedef struct cg_options {
  int opt_level;            /* 0..3: pass pipeline, LLVM passes, codegen level */
  const char *triple;       /* target triple (ahead-of-time cross compilation, --emit);
                             * NULL: the host's. The JIT runs the host's only. */
  const char *cpu;          /* target CPU name (--emit for another CPU); NULL: host */
  const char *cpu_features; /* added to the CPU's features ("-avx512f"); NULL: none */
  ir_etype precision;       /* inference precision: IR_ET_F32 (default) computes f16/bf16
                             * tensors in f32; IR_ET_DYNAMIC keeps the model's types */
  /* Concrete shapes for the model's inputs (n_input_shapes == number of
   * Parameters, in order) to specialize dynamic ones; NULL: the declared
   * shapes, which must then be static. */
  const ir_shape *input_shapes;
  uint32_t n_input_shapes;
} cg_options;

void cg_options_init(cg_options *o);

/* What OpenVINO's read_model does to a model before anyone sees its inputs
 * and outputs: type inference, then IR v10's legacy I/O element types (f16
 * inputs read as f32, outputs i32 or f32; see passes/legacy_v10_io.c).
 * Idempotent; cg_compile runs it too. */
ovcc_status cg_prepare_model(ir_model *m, ir_diag *d);

/* Compiles m, which the passes rewrite in place. On success the program takes
 * m over (constants point into it) and frees it with itself; on failure the
 * caller still owns m. */
ovcc_status cg_compile(ir_model *m, const cg_options *o, cg_program **out, ir_diag *d);
void cg_program_free(cg_program *p);

/* What a compilation leaves besides its program, for the compiled-code cache
 * (cache/): the object file the kernels were linked from and each kernel's
 * symbol name (kernel i is fns[i]). */
typedef struct cg_artifact {
  void *obj;
  size_t obj_size;
  char **kernel_names;
  uint32_t n_kernels;
} cg_artifact;
void cg_artifact_free(cg_artifact *art);

/* cg_compile that also fills art (the caller frees it with cg_artifact_free;
 * on failure it is left empty). */
ovcc_status cg_compile_artifact(ir_model *m, const cg_options *o, cg_program **out,
                                cg_artifact *art, ir_diag *d);

/* Assembles a program from parts, without any pass or code generation (the
 * cache's warm load): the caller has filled p's steps, slots, ports, states,
 * assign_slots and arena_size (arrays malloc'ed as cg_program_free frees
 * them; strings and step buffer lists in `names`). This links obj, resolves
 * the kernels into p->fns and, on success, makes p own `names` (moved),
 * `block` (free()d with p, may be NULL) and m (the model constants point
 * into, may be NULL). On failure the caller still owns all of them. */
ovcc_status cg_program_assemble(cg_program *p, ir_arena *names, void *block, ir_model *m,
                                const void *obj, size_t obj_size,
                                const char *const *kernel_names, uint32_t n_kernels,
                                ir_diag *d);

/* What --emit shows: the LLVM module before JIT (after LLVM's passes when
 * optimized), its assembly, or an object file. */
typedef enum cg_emit_kind { CG_EMIT_LLVM, CG_EMIT_ASM, CG_EMIT_OBJ } cg_emit_kind;
ovcc_status cg_emit(ir_model *m, const cg_options *o, cg_emit_kind kind, FILE *f, ir_diag *d);

/* Runs the program single-threaded or on `par`: a parallel-for provided by
 * the runtime (NULL: serial) that calls fn(bufs, begin, end) on disjoint
 * chunks covering [0, work) and returns when all are done. Slot resolution:
 * inputs[i] for CG_SLOT_INPUT, states[i] for CG_SLOT_STATE, arena + offset for
 * CG_SLOT_ARENA (arena: p->arena_size bytes, 64-byte aligned). States are
 * request-owned buffers of states[i].nbytes; state_set[i] says whether
 * variable i holds a value (false after create/reset: zero-filled, and the
 * ReadValue initializer, if any, is copied in on the next run); after the
 * steps every Assign writes its variable. Outputs are read afterwards from
 * their slots (cg_program_slot_ptr). */
typedef void (*cg_parallel_for)(void *pool, cg_kernel_fn fn, void *const *bufs, int64_t work,
                                double cost);
void cg_program_run(const cg_program *p, void *arena, void *const *inputs, void *const *states,
                    bool *state_set, cg_parallel_for par, void *pool);
/* cg_program_run that also adds each top-level step's wall time in
 * nanoseconds to step_ns[i] (p->n_steps entries; a region step counts its
 * whole body). */
void cg_program_run_profiled(const cg_program *p, void *arena, void *const *inputs,
                             void *const *states, bool *state_set, cg_parallel_for par,
                             void *pool, uint64_t *step_ns);
void *cg_program_slot_ptr(const cg_program *p, uint32_t slot, void *arena, void *const *inputs,
                          void *const *states);

/* The ahead-of-time path (codegen/aot.c): everything cg_compile does up to
 * the optimized module, then, instead of the JIT, sink(ctx, target, module,
 * program) with the program's steps, slots and ports filled (fns NULL;
 * kernel i is the module's function k<i>_...). Everything passed to sink is
 * freed when it returns; m stays the caller's (rewritten by the passes). */
struct cg_target;
struct cg_module;
typedef ovcc_status (*cg_module_sink)(void *ctx, const struct cg_target *t, struct cg_module *mod,
                                      const cg_program *p, ir_diag *d);
ovcc_status cg_compile_module(ir_model *m, const cg_options *o, cg_module_sink sink, void *ctx,
                              ir_diag *d);

#endif
