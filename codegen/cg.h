/* The kernel builder: what every lowering sees while it emits one kernel.
 *
 * A kernel is one LLVM function `void name(ptr bufs, i64 begin, i64 end)`.
 * `bufs` is an array of tensor base pointers: the op's operands (in operand
 * order), then its results, then any constants the lowering added with
 * cg_kernel_add_const (prepacked weights, tables). The runtime calls the kernel
 * on disjoint chunks [begin, end) of [0, work) from several threads at once, so
 * a kernel writes only the outputs that belong to its chunk and keeps no state.
 * The lowering picks what one work item is (an output row, a tile, a channel)
 * and sets k->work; 1 means "not split".
 *
 * Tensors are dense, row-major, in the element type of their ir_value; sub-byte
 * types are packed low nibble first. Shapes are static here: the compiler
 * specializes the graph to concrete input shapes before lowering. */
#ifndef OVCC_CODEGEN_CG_H
#define OVCC_CODEGEN_CG_H

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>
#include <stdbool.h>
#include <stdint.h>

#include "ir/ir.h"
#include "program.h" /* CG_STRING_BYTES, cg_etype_nbytes */

/* ---- target ---- */

typedef struct cg_target {
  LLVMTargetMachineRef tm;
  char *triple, *cpu, *features; /* owned (LLVM messages) */
  unsigned vec_bytes;            /* widest native f32 vector in bytes: 64, 32 or 16 */
  int vec_regs;                  /* architectural vector registers: 32 or 16 */
  bool host;                     /* the host's architecture: the JIT can run its code */
  bool fma, avx2, avx512f, avx512bw, avx512vnni, avx512bf16, avx512fp16, amx_tile, amx_bf16,
      amx_int8;
  bool aarch64, neon, sve;
  int opt_level; /* 0..3: codegen and LLVMRunPasses level */
} cg_target;

/* A target machine for `triple` (NULL: the host's). For the host's
 * architecture: the host CPU with its real features (LLVMGetHostCPUName/
 * Features), or the named CPU with its default features when cpu is non-NULL
 * (for reproducible --emit output). For another architecture (cross
 * compilation): the named CPU, "generic" by default. `features`
 * ("-avx512f,+fma", "+sve") is appended. */
ovcc_status cg_target_create(cg_target *t, int opt_level, const char *triple, const char *cpu,
                             const char *features, ir_diag *d);
void cg_target_dispose(cg_target *t);

/* ---- module: the LLVM module a compilation emits its kernels into ---- */

typedef struct cg_module {
  LLVMContextRef ctx;
  LLVMModuleRef mod;
  LLVMBuilderRef b;
  const cg_target *target;
  LLVMTypeRef t_void, t_i1, t_i8, t_i16, t_i32, t_i64, t_f16, t_bf16, t_f32, t_f64, t_ptr;
  LLVMTypeRef t_kernel; /* void (ptr, i64, i64) */
  uint32_t n_kernels;   /* kernels created so far (names k<N>_<op>) */
} cg_module;

ovcc_status cg_module_create(cg_module *m, const cg_target *t, const char *name, ir_diag *d);
void cg_module_dispose(cg_module *m); /* frees context and module unless handed off */

/* A constant buffer a lowering adds to its kernel (owned by the program). */
typedef struct cg_const_buf {
  void *data;
  uint64_t nbytes;
} cg_const_buf;

enum { CG_MAX_KERNEL_CONSTS = 16 };

typedef struct cg_kernel {
  cg_module *m;
  LLVMBuilderRef b; /* == m->b, positioned inside fn */
  LLVMValueRef fn;
  LLVMValueRef bufs;       /* ptr to the pointer array */
  LLVMValueRef begin, end; /* i64 chunk of [0, work) */
  const ir_op *op;         /* the op being lowered (first op of a fused group) */
  uint32_t n_bufs;         /* operands + results (+ consts added so far) */
  int64_t work;            /* parallel items; default 1 */
  double cost;             /* rough cycles per work item; 0: unknown (runtime decides) */
  cg_const_buf consts[CG_MAX_KERNEL_CONSTS];
  uint32_t n_consts;
  ir_diag *d;
} cg_kernel;

/* Pointer to buffer i: operand i (i < n_operands), result i - n_operands, then
 * constants added by cg_kernel_add_const. Emits a load from bufs (hoisted by
 * LLVM; call it once per buffer at the top of the kernel). */
LLVMValueRef cg_buf(cg_kernel *k, uint32_t i);
static inline LLVMValueRef cg_operand(cg_kernel *k, uint32_t i) { return cg_buf(k, i); }
static inline LLVMValueRef cg_result(cg_kernel *k, uint32_t i) {
  return cg_buf(k, k->op->n_operands + i);
}
/* Adds a constant (program-owned copy made at compile time, e.g. prepacked
 * weights aligned to 64 bytes); returns its buffer index, or UINT32_MAX on
 * NOMEM/too many (error set in k->d). `data` is taken over (malloc'ed). */
uint32_t cg_kernel_add_const(cg_kernel *k, void *data, uint64_t nbytes);

/* ---- emission helpers ---- */

static inline LLVMValueRef cg_i64(cg_kernel *k, int64_t v) {
  return LLVMConstInt(k->m->t_i64, (unsigned long long)v, true);
}
static inline LLVMValueRef cg_i32(cg_kernel *k, int32_t v) {
  return LLVMConstInt(k->m->t_i32, (unsigned long long)(int64_t)v, true);
}
static inline LLVMValueRef cg_f32(cg_kernel *k, double v) { return LLVMConstReal(k->m->t_f32, v); }
/* <n x T> with every lane = s (s a constant or any scalar value). */
LLVMValueRef cg_splat(cg_kernel *k, LLVMValueRef s, unsigned n);
/* &base[idx] for elements of LLVM type t. */
LLVMValueRef cg_gep(cg_kernel *k, LLVMTypeRef t, LLVMValueRef base, LLVMValueRef idx);
/* The LLVM type of one element of et in memory (i8 for boolean/u8/i8/f8,
 * half for f16, bfloat for bf16, ...). NULL for sub-byte and string types. */
LLVMTypeRef cg_mem_type(cg_module *m, ir_etype et);
/* Calls an LLVM intrinsic by name ("llvm.fmuladd") overloaded on `ovl` types. */
LLVMValueRef cg_intrinsic(cg_kernel *k, const char *name, LLVMTypeRef *ovl, unsigned n_ovl,
                          LLVMValueRef *args, unsigned n_args);

/* An alloca of t (count elements when count > 1) at the top of the entry
 * block, where mem2reg/SROA promote it out of the loops; the builder stays
 * where it was. */
LLVMValueRef cg_entry_alloca(cg_kernel *k, LLVMTypeRef t, int64_t count, const char *name);

/* Counted loop: for (iv = lo; iv < hi; iv += step). Body goes between begin
 * and end; the builder is left after the loop. Loops nest. */
typedef struct cg_loop {
  LLVMBasicBlockRef header, body, latch, exit;
  LLVMValueRef iv, hi;
  int64_t step;
} cg_loop;
LLVMValueRef cg_loop_begin(cg_kernel *k, cg_loop *l, LLVMValueRef lo, LLVMValueRef hi,
                           int64_t step, const char *name);
void cg_loop_end(cg_kernel *k, cg_loop *l);

/* if (cond) { then } [else { else }]: cg_if_begin positions in `then`;
 * cg_if_else switches to the else block; cg_if_end joins. */
typedef struct cg_if {
  LLVMBasicBlockRef then_bb, else_bb, join;
  bool has_else;
} cg_if;
void cg_if_begin(cg_kernel *k, cg_if *c, LLVMValueRef cond);
void cg_if_else(cg_kernel *k, cg_if *c);
void cg_if_end(cg_kernel *k, cg_if *c);

/* Static shape of value v as int64 dims; rank returned. v must be static. */
int cg_dims(const ir_value *v, int64_t dims[IR_MAX_RANK]);
uint64_t cg_numel(const ir_value *v);
/* Row-major strides (in elements) of dims. */
void cg_strides(const int64_t *dims, int rank, int64_t *strides);

/* An error naming the op (layer) being lowered. */
ovcc_status cg_error(cg_kernel *k, ovcc_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define CG_UNSUPPORTED(k, ...) cg_error((k), OVCC_ERR_UNSUPPORTED, __VA_ARGS__)

/* ---- lowering ---- */

/* Emits op's kernel body into k (builder positioned in the entry block; the
 * lowering must leave it in a block that ends the kernel with `ret void`
 * emitted by the caller). Families: each returns OVCC_OK with *handled=false
 * for an op it does not lower. */
typedef ovcc_status (*cg_lower_fn)(cg_kernel *k, const ir_op *op, bool *handled);
ovcc_status cg_lower_elementwise(cg_kernel *k, const ir_op *op, bool *handled);
ovcc_status cg_lower_linear(cg_kernel *k, const ir_op *op, bool *handled); /* matmul, conv */
ovcc_status cg_lower_pool(cg_kernel *k, const ir_op *op, bool *handled); /* pools, reductions, norms */
ovcc_status cg_lower_movement(cg_kernel *k, const ir_op *op, bool *handled);
ovcc_status cg_lower_misc(cg_kernel *k, const ir_op *op, bool *handled); /* detection, topk, ... */

/* Dispatches to the families; an op none lowers is an UNSUPPORTED error
 * naming the op, its version and the layer. */
ovcc_status cg_lower_op(cg_kernel *k, const ir_op *op);

#endif
