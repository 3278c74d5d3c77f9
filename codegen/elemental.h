/* The elemental emitter: the value of one element (or one vector of lanes) of
 * an elementwise op from its operands' values. It emits no loops, loads or
 * stores and no basic blocks, so a loop nest (lower_elementwise.c) or a fused
 * chain can call it with whatever operand values it has.
 *
 * Values are in the *compute type* of their element type (cg_compute_type):
 * f16/bf16/f32 compute in f32, f64 in f64, integers in their own width
 * (sub-byte in i8), boolean in i1. Lanes: all operands are scalars or all are
 * <W x T> vectors of the same W; the result has the same W. cg_elem_load and
 * cg_elem_store move values between memory and the compute type. */
#ifndef OVCC_CODEGEN_ELEMENTAL_H
#define OVCC_CODEGEN_ELEMENTAL_H

#include "cg.h"

/* Scalar compute type of et; NULL if the elemental emitter has none (string,
 * f8, nf4, ...). */
LLVMTypeRef cg_compute_type(cg_module *m, ir_etype et);

/* True for the element types cg_elem_load/store can move only one at a time
 * (packed sub-byte types). */
bool cg_elem_is_packed(ir_etype et);

/* Loads n consecutive elements base[idx .. idx+n) (n = 1: a scalar) of type et
 * and converts them to the compute type. Packed types need n = 1. */
LLVMValueRef cg_elem_load(cg_kernel *k, ir_etype et, LLVMValueRef base, LLVMValueRef idx,
                          unsigned n);
/* Stores v (compute type of et, scalar or vector) to base[idx ..]. Packed
 * types: one element, read-modify-write of its byte (the caller makes sure no
 * other thread writes the same byte). */
void cg_elem_store(cg_kernel *k, ir_etype et, LLVMValueRef base, LLVMValueRef idx,
                   LLVMValueRef v);

/* Converts v (compute type of `from`) to the compute type of `to` with
 * Convert's rules: floats round once to the destination precision; float ->
 * int truncates like OpenVINO on x86; int -> int wraps; -> boolean is != 0. */
LLVMValueRef cg_elem_convert(cg_kernel *k, LLVMValueRef v, ir_etype from, ir_etype to);

/* True if cg_elemental_emit knows op (kind and element types); fills a reason
 * otherwise via the kernel's error when `k` is given. */
bool cg_elemental_supports(const ir_op *op);

/* Emits op's result element(s) from its operand values in[0..n_in) (compute
 * types of the operands' element types) into *out (compute type of the result
 * element type). CG_UNSUPPORTED for ops or type combinations it does not
 * know. Operands that the op reads only as scalars at lowering time (none
 * today) still come as values. */
ovcc_status cg_elemental_emit(cg_kernel *k, const ir_op *op, LLVMValueRef *in, unsigned n_in,
                              LLVMValueRef *out);

#endif
