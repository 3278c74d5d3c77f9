/* Element types: names, widths, exact conversions, element access.
 * Sub-byte packing follows OpenVINO: u1 MSB first; u2/u4/i4/nf4/f4e2m1 low
 * bits first; u3/u6 as a plain LSB-first bit stream (OpenVINO >= 2026). */
#ifndef OVCC_IR_TYPES_H
#define OVCC_IR_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
  IR_ETF_FLOAT = 1 << 0,
  IR_ETF_INT = 1 << 1,
  IR_ETF_SIGNED = 1 << 2,
  IR_ETF_BOOL = 1 << 3,
  IR_ETF_STRING = 1 << 4,
};

typedef enum ir_etype {
#define ET(id, name, prec, bits, flags) IR_ET_##id,
#include "types.def"
#undef ET
  IR_ET_COUNT
} ir_etype;

const char *ir_etype_name(ir_etype t);      /* "f32" */
const char *ir_etype_precision(ir_etype t); /* "FP32" */
unsigned ir_etype_bits(ir_etype t);         /* 0 for dynamic and string */
unsigned ir_etype_flags(ir_etype t);
bool ir_etype_is_float(ir_etype t);
bool ir_etype_is_int(ir_etype t); /* integer types incl. sub-byte, not boolean */
bool ir_etype_is_signed(ir_etype t);
/* Parses a <data> spelling or a port precision, case-insensitively, with the
 * legacy aliases (FP32, BOOL, BIN, UNSPECIFIED, undefined, ...). */
bool ir_etype_parse(const char *s, size_t n, ir_etype *out);

/* Bytes for `count` elements (sub-byte types packed); false on overflow or for
 * string/dynamic types. */
bool ir_etype_nbytes(ir_etype t, uint64_t count, uint64_t *out);

/* Exact scalar conversions (round to nearest even on narrowing). */
float ir_f16_to_f32(uint16_t h);
uint16_t ir_f32_to_f16(float f);
float ir_bf16_to_f32(uint16_t h);
uint16_t ir_f32_to_bf16(float f);
float ir_f8e4m3_to_f32(uint8_t v);
uint8_t ir_f32_to_f8e4m3(float f);
float ir_f8e5m2_to_f32(uint8_t v);
uint8_t ir_f32_to_f8e5m2(float f);
float ir_f8e8m0_to_f32(uint8_t v);
uint8_t ir_f32_to_f8e8m0(float f);
float ir_f4e2m1_to_f32(uint8_t code);
uint8_t ir_f32_to_f4e2m1(float f);
float ir_nf4_to_f32(uint8_t code);
uint8_t ir_f32_to_nf4(float f);

/* Raw element code of element i (sub-byte types unpacked, no sign extension). */
uint64_t ir_elem_get_bits(ir_etype t, const void *data, uint64_t i);
void ir_elem_set_bits(ir_etype t, void *data, uint64_t i, uint64_t bits);
/* Element i as double (floats, ints, boolean); i64/u64 beyond 2^53 lose bits. */
double ir_elem_get_f64(ir_etype t, const void *data, uint64_t i);
/* Element i as int64 (floats truncate toward zero, saturating). u64 is reinterpreted. */
int64_t ir_elem_get_i64(ir_etype t, const void *data, uint64_t i);
/* Stores v converted to t (floats round to nearest even; ints: C conversion
 * semantics of OpenVINO's Convert: truncation toward zero, saturating for
 * out-of-range floats; boolean: v != 0). */
void ir_elem_set_f64(ir_etype t, void *data, uint64_t i, double v);
void ir_elem_set_i64(ir_etype t, void *data, uint64_t i, int64_t v);

#endif
