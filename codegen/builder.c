/* Emission helpers shared by every lowering: buffers, loops, branches,
 * constants, intrinsics, shapes. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cg.h"

LLVMValueRef cg_buf(cg_kernel *k, uint32_t i) {
  LLVMValueRef idx = cg_i64(k, i);
  LLVMValueRef p = LLVMBuildGEP2(k->b, k->m->t_ptr, k->bufs, &idx, 1, "");
  LLVMValueRef v = LLVMBuildLoad2(k->b, k->m->t_ptr, p, "buf");
  /* Buffers never change during a call and never alias outputs of the same
   * kernel in a way LLVM may exploit; invariance lets LICM hoist the load. */
  LLVMSetMetadata(v, LLVMGetMDKindIDInContext(k->m->ctx, "invariant.load", 14),
                  LLVMMetadataAsValue(k->m->ctx, LLVMMDNodeInContext2(k->m->ctx, NULL, 0)));
  return v;
}

uint32_t cg_kernel_add_const(cg_kernel *k, void *data, uint64_t nbytes) {
  if (!data) {
    cg_error(k, OVCC_ERR_NOMEM, "out of memory for a %llu-byte kernel constant",
             (unsigned long long)nbytes);
    return UINT32_MAX;
  }
  if (k->n_consts >= CG_MAX_KERNEL_CONSTS) {
    free(data);
    cg_error(k, OVCC_ERR_INTERNAL, "more than %d constants in one kernel", CG_MAX_KERNEL_CONSTS);
    return UINT32_MAX;
  }
  k->consts[k->n_consts++] = (cg_const_buf){data, nbytes};
  return k->n_bufs++;
}

LLVMValueRef cg_splat(cg_kernel *k, LLVMValueRef s, unsigned n) {
  if (LLVMIsConstant(s)) {
    LLVMValueRef lanes[64];
    if (n <= 64) {
      for (unsigned i = 0; i < n; i++)
        lanes[i] = s;
      return LLVMConstVector(lanes, n);
    }
  }
  LLVMTypeRef vt = LLVMVectorType(LLVMTypeOf(s), n);
  LLVMValueRef v = LLVMBuildInsertElement(k->b, LLVMGetPoison(vt), s, cg_i32(k, 0), "");
  LLVMValueRef mask = LLVMConstNull(LLVMVectorType(k->m->t_i32, n));
  return LLVMBuildShuffleVector(k->b, v, LLVMGetPoison(vt), mask, "splat");
}

LLVMValueRef cg_gep(cg_kernel *k, LLVMTypeRef t, LLVMValueRef base, LLVMValueRef idx) {
  return LLVMBuildInBoundsGEP2(k->b, t, base, &idx, 1, "");
}

LLVMTypeRef cg_mem_type(cg_module *m, ir_etype et) {
  switch (et) {
  case IR_ET_BOOLEAN:
  case IR_ET_U8:
  case IR_ET_I8:
  case IR_ET_F8E4M3:
  case IR_ET_F8E5M2:
  case IR_ET_F8E8M0:
    return m->t_i8;
  case IR_ET_U16:
  case IR_ET_I16:
    return m->t_i16;
  case IR_ET_U32:
  case IR_ET_I32:
    return m->t_i32;
  case IR_ET_U64:
  case IR_ET_I64:
    return m->t_i64;
  case IR_ET_F16:
    return m->t_f16;
  case IR_ET_BF16:
    return m->t_bf16;
  case IR_ET_F32:
    return m->t_f32;
  case IR_ET_F64:
    return m->t_f64;
  default:
    return NULL;
  }
}

LLVMValueRef cg_intrinsic(cg_kernel *k, const char *name, LLVMTypeRef *ovl, unsigned n_ovl,
                          LLVMValueRef *args, unsigned n_args) {
  unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
  LLVMValueRef fn = LLVMGetIntrinsicDeclaration(k->m->mod, id, ovl, n_ovl);
  LLVMTypeRef ft = LLVMIntrinsicGetType(k->m->ctx, id, ovl, n_ovl);
  return LLVMBuildCall2(k->b, ft, fn, args, n_args, "");
}

LLVMValueRef cg_entry_alloca(cg_kernel *k, LLVMTypeRef t, int64_t count, const char *name) {
  LLVMBuilderRef eb = LLVMCreateBuilderInContext(k->m->ctx);
  LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(k->fn);
  LLVMValueRef first = LLVMGetFirstInstruction(entry);
  if (first)
    LLVMPositionBuilderBefore(eb, first);
  else
    LLVMPositionBuilderAtEnd(eb, entry);
  LLVMValueRef a = count > 1 ? LLVMBuildArrayAlloca(eb, t, cg_i64(k, count), name)
                             : LLVMBuildAlloca(eb, t, name);
  LLVMDisposeBuilder(eb);
  return a;
}

LLVMValueRef cg_loop_begin(cg_kernel *k, cg_loop *l, LLVMValueRef lo, LLVMValueRef hi,
                           int64_t step, const char *name) {
  LLVMBasicBlockRef pre = LLVMGetInsertBlock(k->b);
  l->header = LLVMAppendBasicBlockInContext(k->m->ctx, k->fn, name);
  l->body = LLVMAppendBasicBlockInContext(k->m->ctx, k->fn, "body");
  l->latch = LLVMAppendBasicBlockInContext(k->m->ctx, k->fn, "latch");
  l->exit = LLVMAppendBasicBlockInContext(k->m->ctx, k->fn, "exit");
  l->hi = hi;
  l->step = step;
  LLVMBuildBr(k->b, l->header);
  LLVMPositionBuilderAtEnd(k->b, l->header);
  l->iv = LLVMBuildPhi(k->b, k->m->t_i64, name);
  LLVMAddIncoming(l->iv, &lo, &pre, 1);
  LLVMValueRef c = LLVMBuildICmp(k->b, LLVMIntSLT, l->iv, hi, "");
  LLVMBuildCondBr(k->b, c, l->body, l->exit);
  LLVMPositionBuilderAtEnd(k->b, l->body);
  return l->iv;
}

void cg_loop_end(cg_kernel *k, cg_loop *l) {
  LLVMBuildBr(k->b, l->latch);
  LLVMPositionBuilderAtEnd(k->b, l->latch);
  LLVMValueRef next = LLVMBuildNSWAdd(k->b, l->iv, cg_i64(k, l->step), "");
  LLVMAddIncoming(l->iv, &next, &l->latch, 1);
  LLVMBuildBr(k->b, l->header);
  /* Keep blocks in emission order for readable --emit=llvm output. */
  LLVMMoveBasicBlockAfter(l->exit, l->latch);
  LLVMPositionBuilderAtEnd(k->b, l->exit);
}

void cg_if_begin(cg_kernel *k, cg_if *c, LLVMValueRef cond) {
  c->then_bb = LLVMAppendBasicBlockInContext(k->m->ctx, k->fn, "then");
  c->else_bb = LLVMAppendBasicBlockInContext(k->m->ctx, k->fn, "else");
  c->join = LLVMAppendBasicBlockInContext(k->m->ctx, k->fn, "join");
  c->has_else = false;
  LLVMBuildCondBr(k->b, cond, c->then_bb, c->else_bb);
  LLVMPositionBuilderAtEnd(k->b, c->then_bb);
}

void cg_if_else(cg_kernel *k, cg_if *c) {
  LLVMBuildBr(k->b, c->join);
  c->has_else = true;
  LLVMPositionBuilderAtEnd(k->b, c->else_bb);
}

void cg_if_end(cg_kernel *k, cg_if *c) {
  LLVMBuildBr(k->b, c->join);
  if (!c->has_else) {
    LLVMPositionBuilderAtEnd(k->b, c->else_bb);
    LLVMBuildBr(k->b, c->join);
  }
  LLVMMoveBasicBlockAfter(c->join, LLVMGetInsertBlock(k->b));
  LLVMPositionBuilderAtEnd(k->b, c->join);
}

int cg_dims(const ir_value *v, int64_t dims[IR_MAX_RANK]) {
  const ir_shape *s = &v->type.shape;
  for (int i = 0; i < s->rank; i++)
    dims[i] = s->d[i].lo;
  return s->rank < 0 ? 0 : s->rank;
}

uint64_t cg_numel(const ir_value *v) {
  uint64_t n = 0;
  return ir_shape_numel(&v->type.shape, &n) ? n : 0;
}

void cg_strides(const int64_t *dims, int rank, int64_t *strides) {
  int64_t s = 1;
  for (int i = rank - 1; i >= 0; i--) {
    strides[i] = s;
    s *= dims[i];
  }
}

ovcc_status cg_error(cg_kernel *k, ovcc_status st, const char *fmt, ...) {
  char where[512] = "";
  if (k->op)
    ir_op_describe(k->op, where, sizeof where);
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return ir_diag_set_at(k->d, st, NULL, 0, "%s%s%s", where, *where ? ": " : "", msg);
}
