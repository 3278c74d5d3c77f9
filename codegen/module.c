/* The LLVM module of one compilation and the kernel functions in it. */
#include <stdio.h>
#include <string.h>

#include "kernel.h"

ovcc_status cg_module_create(cg_module *m, const cg_target *t, const char *name, ir_diag *d) {
  memset(m, 0, sizeof *m);
  m->target = t;
  m->ctx = LLVMContextCreate();
  m->mod = LLVMModuleCreateWithNameInContext(name ? name : "ovcc", m->ctx);
  m->b = LLVMCreateBuilderInContext(m->ctx);
  if (!m->ctx || !m->mod || !m->b) {
    cg_module_dispose(m);
    return IR_NOMEM(d);
  }
  LLVMSetTarget(m->mod, t->triple);
  LLVMTargetDataRef dl = LLVMCreateTargetDataLayout(t->tm);
  char *s = LLVMCopyStringRepOfTargetData(dl);
  LLVMSetDataLayout(m->mod, s);
  LLVMDisposeMessage(s);
  LLVMDisposeTargetData(dl);
  m->t_void = LLVMVoidTypeInContext(m->ctx);
  m->t_i1 = LLVMInt1TypeInContext(m->ctx);
  m->t_i8 = LLVMInt8TypeInContext(m->ctx);
  m->t_i16 = LLVMInt16TypeInContext(m->ctx);
  m->t_i32 = LLVMInt32TypeInContext(m->ctx);
  m->t_i64 = LLVMInt64TypeInContext(m->ctx);
  m->t_f16 = LLVMHalfTypeInContext(m->ctx);
  m->t_bf16 = LLVMBFloatTypeInContext(m->ctx);
  m->t_f32 = LLVMFloatTypeInContext(m->ctx);
  m->t_f64 = LLVMDoubleTypeInContext(m->ctx);
  m->t_ptr = LLVMPointerTypeInContext(m->ctx, 0);
  LLVMTypeRef params[] = {m->t_ptr, m->t_i64, m->t_i64};
  m->t_kernel = LLVMFunctionType(m->t_void, params, 3, 0);
  return OVCC_OK;
}

void cg_module_dispose(cg_module *m) {
  if (m->b)
    LLVMDisposeBuilder(m->b);
  if (m->mod)
    LLVMDisposeModule(m->mod);
  if (m->ctx)
    LLVMContextDispose(m->ctx);
  memset(m, 0, sizeof *m);
}

static void add_string_attr(cg_module *m, LLVMValueRef fn, const char *k, const char *v) {
  LLVMAttributeRef a =
      LLVMCreateStringAttribute(m->ctx, k, (unsigned)strlen(k), v, (unsigned)strlen(v));
  LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, a);
}

static void add_enum_attr(cg_module *m, LLVMValueRef fn, unsigned idx, const char *name) {
  unsigned kind = LLVMGetEnumAttributeKindForName(name, strlen(name));
  if (kind == 0) /* unknown to this LLVM: adding kind 0 would break the module */
    return;
  LLVMAddAttributeAtIndex(fn, idx, LLVMCreateEnumAttribute(m->ctx, kind, 0));
}

/* Kernel symbol: k<N>_<layer name with non-identifier bytes replaced>. Short
 * and unique; the layer name makes --emit output and profiles readable. */
static void kernel_name(cg_module *m, const ir_op *op, char *buf, size_t cap) {
  int n = snprintf(buf, cap, "k%u_", m->n_kernels);
  const char *src = op->name && *op->name ? op->name : op->type_name;
  size_t i = (size_t)n;
  for (const char *p = src; *p && i + 1 < cap && i < 64; p++, i++) {
    char c = *p;
    buf[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_';
  }
  buf[i] = 0;
}

void cg_kernel_begin(cg_module *m, const ir_op *op, cg_kernel *k, ir_diag *d) {
  memset(k, 0, sizeof *k);
  char name[96];
  kernel_name(m, op, name, sizeof name);
  m->n_kernels++;
  k->m = m;
  k->b = m->b;
  k->op = op;
  k->d = d;
  k->work = 1;
  k->n_bufs = op->n_operands + op->n_results;
  k->fn = LLVMAddFunction(m->mod, name, m->t_kernel);
  const cg_target *t = m->target;
  add_string_attr(m, k->fn, "target-cpu", t->cpu);
  add_string_attr(m, k->fn, "target-features", t->features);
  if (t->vec_bytes == 64)
    add_string_attr(m, k->fn, "prefer-vector-width", "512");
  add_enum_attr(m, k->fn, LLVMAttributeFunctionIndex, "nounwind");
  add_enum_attr(m, k->fn, 1, "noalias"); /* the pointer array itself */
  k->bufs = LLVMGetParam(k->fn, 0);
  k->begin = LLVMGetParam(k->fn, 1);
  k->end = LLVMGetParam(k->fn, 2);
  LLVMSetValueName2(k->bufs, "bufs", 4);
  LLVMSetValueName2(k->begin, "begin", 5);
  LLVMSetValueName2(k->end, "end", 3);
  LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(m->ctx, k->fn, "entry");
  LLVMPositionBuilderAtEnd(m->b, entry);
}

void cg_kernel_finish(cg_kernel *k) { LLVMBuildRetVoid(k->b); }

const char *cg_kernel_name(const cg_kernel *k, size_t *len) { return LLVMGetValueName2(k->fn, len); }
