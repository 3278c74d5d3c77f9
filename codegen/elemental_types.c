/* Element types for the elemental emitter: compute types, loads and stores
 * between memory and compute types, and Convert between element types (the
 * conversion rules OpenVINO's x86 CPU plugin follows; see ir/eval_elementwise.c
 * convert_elem, the reference they are checked against). */
#include "elemental.h"
#include "vmath.h"

static bool is_vec(LLVMTypeRef t) { return LLVMGetTypeKind(t) == LLVMVectorTypeKind; }

/* t's shape (scalar or <W x _>) with element type et. */
static LLVMTypeRef like(LLVMTypeRef t, LLVMTypeRef et) {
  return is_vec(t) ? LLVMVectorType(et, LLVMGetVectorSize(t)) : et;
}

bool cg_elem_is_packed(ir_etype et) {
  unsigned bits = ir_etype_bits(et);
  return bits > 0 && bits < 8;
}

LLVMTypeRef cg_compute_type(cg_module *m, ir_etype et) {
  switch (et) {
  case IR_ET_BOOLEAN: return m->t_i1;
  case IR_ET_F16:
  case IR_ET_BF16:
  case IR_ET_F32: return m->t_f32;
  case IR_ET_F64: return m->t_f64;
  case IR_ET_U1:
  case IR_ET_U2:
  case IR_ET_U4:
  case IR_ET_I4:
  case IR_ET_I8:
  case IR_ET_U8: return m->t_i8;
  case IR_ET_I16:
  case IR_ET_U16: return m->t_i16;
  case IR_ET_I32:
  case IR_ET_U32: return m->t_i32;
  case IR_ET_I64:
  case IR_ET_U64: return m->t_i64;
  default: return NULL; /* u3/u6 (bit-spanning), f8, nf4, f4, string */
  }
}

/* ---- packed sub-byte elements ---- */

/* Byte index and bit shift of element idx: u1 is packed MSB first, u2/u4/i4
 * low bits first (ir/types.c ir_elem_get_bits). */
static void packed_pos(cg_kernel *k, ir_etype et, LLVMValueRef idx, LLVMValueRef *byte,
                       LLVMValueRef *shift) {
  LLVMBuilderRef b = k->b;
  unsigned bits = ir_etype_bits(et), per = 8 / bits, lg = bits == 1 ? 3 : bits == 2 ? 2 : 1;
  *byte = LLVMBuildLShr(b, idx, cg_i64(k, lg), "");
  LLVMValueRef in = LLVMBuildAnd(b, idx, cg_i64(k, per - 1), "");
  if (et == IR_ET_U1)
    in = LLVMBuildSub(b, cg_i64(k, 7), in, "");
  LLVMValueRef sh = LLVMBuildMul(b, in, cg_i64(k, bits), "");
  *shift = LLVMBuildTrunc(b, sh, k->m->t_i8, "");
}

static LLVMValueRef packed_load(cg_kernel *k, ir_etype et, LLVMValueRef base, LLVMValueRef idx) {
  LLVMBuilderRef b = k->b;
  LLVMValueRef byte, shift;
  packed_pos(k, et, idx, &byte, &shift);
  LLVMValueRef v = LLVMBuildLoad2(b, k->m->t_i8, cg_gep(k, k->m->t_i8, base, byte), "");
  unsigned bits = ir_etype_bits(et);
  v = LLVMBuildAnd(b, LLVMBuildLShr(b, v, shift, ""),
                   LLVMConstInt(k->m->t_i8, (1u << bits) - 1, false), "");
  if (et == IR_ET_I4) /* sign-extend the nibble */
    v = LLVMBuildAShr(b, LLVMBuildShl(b, v, LLVMConstInt(k->m->t_i8, 4, false), ""),
                      LLVMConstInt(k->m->t_i8, 4, false), "");
  return v;
}

static void packed_store(cg_kernel *k, ir_etype et, LLVMValueRef base, LLVMValueRef idx,
                         LLVMValueRef v) {
  LLVMBuilderRef b = k->b;
  LLVMValueRef byte, shift;
  packed_pos(k, et, idx, &byte, &shift);
  LLVMValueRef p = cg_gep(k, k->m->t_i8, base, byte);
  LLVMValueRef old = LLVMBuildLoad2(b, k->m->t_i8, p, "");
  unsigned bits = ir_etype_bits(et);
  LLVMValueRef mask = LLVMBuildShl(b, LLVMConstInt(k->m->t_i8, (1u << bits) - 1, false), shift, "");
  LLVMValueRef nv = LLVMBuildShl(b, v, shift, "");
  nv = LLVMBuildOr(b, LLVMBuildAnd(b, old, LLVMBuildNot(b, mask, ""), ""),
                   LLVMBuildAnd(b, nv, mask, ""), "");
  LLVMBuildStore(b, nv, p);
}

/* ---- bf16 by bits (no libcalls: targets without avx512bf16 lower fptrunc
 * to bfloat as a call to __truncsfbf2) ---- */

/* f32 lanes -> bf16 bit patterns (i16), round to nearest even, NaN quiet. */
static LLVMValueRef bf16_bits(cg_kernel *k, LLVMValueRef v) {
  LLVMBuilderRef b = k->b;
  LLVMTypeRef vt = LLVMTypeOf(v), it = like(vt, k->m->t_i32);
  LLVMValueRef u = LLVMBuildBitCast(b, v, it, "");
  LLVMValueRef lsb = LLVMBuildAnd(b, LLVMBuildLShr(b, u, vm_iconst(k, it, 16), ""),
                                  vm_iconst(k, it, 1), "");
  LLVMValueRef r = LLVMBuildAdd(b, u, LLVMBuildAdd(b, lsb, vm_iconst(k, it, 0x7fff), ""), "");
  LLVMValueRef nan = LLVMBuildFCmp(b, LLVMRealUNO, v, v, "");
  r = LLVMBuildSelect(b, nan, LLVMBuildOr(b, u, vm_iconst(k, it, 0x400000), ""), r, "");
  return LLVMBuildTrunc(b, LLVMBuildLShr(b, r, vm_iconst(k, it, 16), ""), like(vt, k->m->t_i16),
                        "");
}

/* bf16 bit patterns (i16) -> f32 lanes. */
static LLVMValueRef bf16_value(cg_kernel *k, LLVMValueRef bits) {
  LLVMBuilderRef b = k->b;
  LLVMTypeRef it = like(LLVMTypeOf(bits), k->m->t_i32);
  LLVMValueRef u = LLVMBuildShl(b, LLVMBuildZExt(b, bits, it, ""), vm_iconst(k, it, 16), "");
  return LLVMBuildBitCast(b, u, like(it, k->m->t_f32), "");
}

/* ---- loads and stores ---- */

LLVMValueRef cg_elem_load(cg_kernel *k, ir_etype et, LLVMValueRef base, LLVMValueRef idx,
                          unsigned n) {
  LLVMBuilderRef b = k->b;
  if (cg_elem_is_packed(et))
    return packed_load(k, et, base, idx);
  LLVMTypeRef mt = et == IR_ET_BF16 ? k->m->t_i16 : cg_mem_type(k->m, et);
  LLVMTypeRef lt = n > 1 ? LLVMVectorType(mt, n) : mt;
  LLVMValueRef v = LLVMBuildLoad2(b, lt, cg_gep(k, mt, base, idx), "");
  LLVMSetAlignment(v, (ir_etype_bits(et) + 7) / 8);
  if (et == IR_ET_BF16)
    return bf16_value(k, v);
  if (et == IR_ET_F16)
    return LLVMBuildFPExt(b, v, like(lt, k->m->t_f32), "");
  if (et == IR_ET_BOOLEAN)
    return LLVMBuildICmp(b, LLVMIntNE, v, LLVMConstNull(lt), "");
  return v;
}

void cg_elem_store(cg_kernel *k, ir_etype et, LLVMValueRef base, LLVMValueRef idx,
                   LLVMValueRef v) {
  LLVMBuilderRef b = k->b;
  if (cg_elem_is_packed(et)) {
    packed_store(k, et, base, idx, v);
    return;
  }
  LLVMTypeRef mt = et == IR_ET_BF16 ? k->m->t_i16 : cg_mem_type(k->m, et);
  LLVMTypeRef vt = LLVMTypeOf(v);
  if (et == IR_ET_BF16)
    v = bf16_bits(k, v);
  else if (et == IR_ET_F16)
    v = LLVMBuildFPTrunc(b, v, like(vt, mt), "");
  else if (et == IR_ET_BOOLEAN)
    v = LLVMBuildZExt(b, v, like(vt, mt), "");
  LLVMValueRef st = LLVMBuildStore(b, v, cg_gep(k, mt, base, idx));
  LLVMSetAlignment(st, (ir_etype_bits(et) + 7) / 8);
}

/* ---- convert ---- */

static bool et_signed_int(ir_etype t) { return ir_etype_is_int(t) && ir_etype_is_signed(t); }

/* An integer value (its own width w) to the compute representation of integer
 * type `to`: wrap to to's bits, then extend sub-byte values to i8. */
static LLVMValueRef int_to_int(cg_kernel *k, LLVMValueRef v, bool from_signed, ir_etype to) {
  LLVMBuilderRef b = k->b;
  LLVMTypeRef vt = LLVMTypeOf(v);
  unsigned w = LLVMGetIntTypeWidth(is_vec(vt) ? LLVMGetElementType(vt) : vt);
  unsigned bits = ir_etype_bits(to);
  LLVMTypeRef ct = like(vt, cg_compute_type(k->m, to));
  if (bits < 8) {
    LLVMTypeRef nt = like(vt, LLVMIntTypeInContext(k->m->ctx, bits));
    LLVMValueRef n = v; /* w < bits: only a boolean (i1) */
    if (w > bits)
      n = LLVMBuildTrunc(b, v, nt, "");
    else if (w < bits)
      n = LLVMBuildZExt(b, v, nt, "");
    return et_signed_int(to) ? LLVMBuildSExt(b, n, ct, "") : LLVMBuildZExt(b, n, ct, "");
  }
  if (w == bits)
    return v;
  if (w > bits)
    return LLVMBuildTrunc(b, v, ct, "");
  return from_signed ? LLVMBuildSExt(b, v, ct, "") : LLVMBuildZExt(b, v, ct, "");
}

/* f64 -> int as OpenVINO's CPU plugin does: saturating. 8-bit types clamp to
 * their range (NaN: 0); wider ones saturate to i32 (NaN: INT32_MIN) and then
 * wrap or sign-extend like the f32 path. */
static LLVMValueRef f64_to_int(cg_kernel *k, LLVMValueRef v, ir_etype to) {
  LLVMBuilderRef b = k->b;
  LLVMTypeRef vt = LLVMTypeOf(v), i32 = like(vt, k->m->t_i32);
  unsigned bits = ir_etype_bits(to);
  bool sgn = et_signed_int(to);
  double lo = bits == 8 ? (sgn ? -128.0 : 0.0) : -2147483648.0;
  double hi = bits == 8 ? (sgn ? 127.0 : 255.0) : 2147483647.0;
  LLVMValueRef c = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOLT, v, vm_fconst(k, vt, lo), ""),
                                   vm_fconst(k, vt, lo), v, "");
  c = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOGT, c, vm_fconst(k, vt, hi), ""),
                      vm_fconst(k, vt, hi), c, "");
  LLVMValueRef nan = LLVMBuildFCmp(b, LLVMRealUNO, v, v, "");
  c = LLVMBuildSelect(b, nan, vm_fconst(k, vt, bits == 8 ? 0.0 : -2147483648.0), c, "");
  return int_to_int(k, LLVMBuildFPToSI(b, c, i32, ""), true, to);
}

/* float -> int as OpenVINO's CPU plugin does on x86: truncate toward zero to
 * i32 with cvttps2dq's answer for NaN, inf and out-of-range (INT32_MIN), then
 * wrap to narrower types or sign-extend to 64-bit ones (its i64/u64 tensors
 * are i32 inside; checked against OpenVINO 2026.4 for every destination). */
static LLVMValueRef float_to_int(cg_kernel *k, LLVMValueRef v, ir_etype to) {
  LLVMBuilderRef b = k->b;
  LLVMTypeRef vt = LLVMTypeOf(v), i32 = like(vt, k->m->t_i32);
  if (LLVMTypeOf(v) == like(vt, k->m->t_f64))
    return f64_to_int(k, v, to);
  LLVMValueRef in = LLVMBuildAnd(b, LLVMBuildFCmp(b, LLVMRealOGE, v, vm_fconst(k, vt, -2147483648.0), ""),
                                 LLVMBuildFCmp(b, LLVMRealOLT, v, vm_fconst(k, vt, 2147483648.0), ""), "");
  LLVMValueRef r = LLVMBuildSelect(b, in, LLVMBuildFPToSI(b, v, i32, ""),
                                   vm_iconst(k, i32, INT32_MIN), "");
  return int_to_int(k, r, true, to);
}

/* A float value rounded to the precision of float type `to`, in to's compute
 * type. Rounds once from the source. */
static LLVMValueRef float_to_float(cg_kernel *k, LLVMValueRef v, ir_etype to) {
  LLVMBuilderRef b = k->b;
  LLVMTypeRef vt = LLVMTypeOf(v);
  LLVMTypeRef st = is_vec(vt) ? LLVMGetElementType(vt) : vt;
  LLVMTypeRef ct = cg_compute_type(k->m, to);
  if (to == IR_ET_BF16)
    return bf16_value(k, bf16_bits(k, st == k->m->t_f64 ? LLVMBuildFPTrunc(b, v, like(vt, ct), "")
                                                         : v));
  if (to == IR_ET_F16) {
    LLVMValueRef n = LLVMBuildFPTrunc(b, v, like(vt, cg_mem_type(k->m, to)), "");
    return LLVMBuildFPExt(b, n, like(vt, ct), "");
  }
  if (st == ct)
    return v;
  return st == k->m->t_f64 ? LLVMBuildFPTrunc(b, v, like(vt, ct), "")
                           : LLVMBuildFPExt(b, v, like(vt, ct), "");
}

static LLVMValueRef int_to_float(cg_kernel *k, LLVMValueRef v, bool from_signed, ir_etype to) {
  LLVMBuilderRef b = k->b;
  LLVMTypeRef vt = LLVMTypeOf(v);
  /* round once, to the target type (bf16: through f32, as OpenVINO does) */
  LLVMTypeRef ft = like(vt, to == IR_ET_BF16 ? k->m->t_f32 : cg_mem_type(k->m, to));
  LLVMValueRef f = from_signed ? LLVMBuildSIToFP(b, v, ft, "") : LLVMBuildUIToFP(b, v, ft, "");
  if (to == IR_ET_BF16)
    return bf16_value(k, bf16_bits(k, f));
  if (to == IR_ET_F16)
    f = LLVMBuildFPExt(b, f, like(vt, k->m->t_f32), "");
  return f;
}

LLVMValueRef cg_elem_convert(cg_kernel *k, LLVMValueRef v, ir_etype from, ir_etype to) {
  LLVMBuilderRef b = k->b;
  LLVMTypeRef vt = LLVMTypeOf(v);
  bool ffloat = ir_etype_is_float(from), tfloat = ir_etype_is_float(to);
  if (to == IR_ET_BOOLEAN) {
    if (from == IR_ET_BOOLEAN)
      return v;
    if (ffloat)
      return LLVMBuildFCmp(b, LLVMRealONE, v, LLVMConstNull(vt), ""); /* NaN: false, as OpenVINO */
    return LLVMBuildICmp(b, LLVMIntNE, v, LLVMConstNull(vt), "");
  }
  if (ffloat && tfloat)
    return float_to_float(k, v, to);
  if (ffloat)
    return float_to_int(k, v, to);
  bool from_signed = et_signed_int(from); /* boolean and unsigned: zero-extend */
  if (tfloat)
    return int_to_float(k, v, from_signed, to);
  return int_to_int(k, v, from_signed, to);
}
