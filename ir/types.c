#include "types.h"

#include <math.h>
#include <string.h>
#include <strings.h>

typedef struct et_info {
  const char *name, *prec;
  unsigned bits, flags;
} et_info;

static const et_info ET_INFO[IR_ET_COUNT] = {
#define ET(id, name, prec, bits, flags) {name, prec, bits, flags},
#include "types.def"
#undef ET
};

const char *ir_etype_name(ir_etype t) { return t < IR_ET_COUNT ? ET_INFO[t].name : "?"; }
const char *ir_etype_precision(ir_etype t) { return t < IR_ET_COUNT ? ET_INFO[t].prec : "?"; }
unsigned ir_etype_bits(ir_etype t) { return t < IR_ET_COUNT ? ET_INFO[t].bits : 0; }
unsigned ir_etype_flags(ir_etype t) { return t < IR_ET_COUNT ? ET_INFO[t].flags : 0; }
bool ir_etype_is_float(ir_etype t) { return ir_etype_flags(t) & IR_ETF_FLOAT; }
bool ir_etype_is_int(ir_etype t) { return ir_etype_flags(t) & IR_ETF_INT; }
bool ir_etype_is_signed(ir_etype t) { return ir_etype_flags(t) & IR_ETF_SIGNED; }

static bool eq_ci(const char *a, size_t n, const char *b) {
  return strlen(b) == n && strncasecmp(a, b, n) == 0;
}

bool ir_etype_parse(const char *s, size_t n, ir_etype *out) {
  static const struct {
    const char *alias;
    ir_etype t;
  } aliases[] = {{"undefined", IR_ET_DYNAMIC}, {"bool", IR_ET_BOOLEAN}, {"bin", IR_ET_U1}};
  for (int t = 0; t < IR_ET_COUNT; t++)
    if (eq_ci(s, n, ET_INFO[t].name) || eq_ci(s, n, ET_INFO[t].prec)) {
      *out = (ir_etype)t;
      return true;
    }
  for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
    if (eq_ci(s, n, aliases[i].alias)) {
      *out = aliases[i].t;
      return true;
    }
  return false;
}

bool ir_etype_nbytes(ir_etype t, uint64_t count, uint64_t *out) {
  unsigned bits = ir_etype_bits(t);
  if (bits == 0)
    return false;
  if (count > UINT64_MAX / bits)
    return false;
  *out = (count * bits + 7) / 8;
  return true;
}

/* ---- small float formats ---------------------------------------------- */

static uint32_t f32_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}
static float bits_f32(uint32_t u) {
  float f;
  memcpy(&f, &u, 4);
  return f;
}

float ir_f16_to_f32(uint16_t h) {
  uint32_t s = (uint32_t)(h & 0x8000) << 16, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e == 0) {
    float v = ldexpf((float)m, -24);
    return s ? -v : v;
  }
  if (e == 31)
    return bits_f32(s | 0x7f800000 | (m << 13));
  return bits_f32(s | ((e + 112) << 23) | (m << 13));
}

uint16_t ir_f32_to_f16(float f) {
  uint32_t u = f32_bits(f), s = (u >> 16) & 0x8000;
  uint32_t a = u & 0x7fffffff;
  if (a >= 0x7f800000) /* inf or nan */
    return (uint16_t)(s | 0x7c00 | (a > 0x7f800000 ? 0x200 | ((a >> 13) & 0x3ff) : 0));
  if (a >= 0x477ff000) /* rounds to >= 65520: inf */
    return (uint16_t)(s | 0x7c00);
  if (a < 0x38800000) { /* subnormal half (or zero) */
    float v = bits_f32(a);
    uint32_t q = (uint32_t)nearbyintf(v * 16777216.0f); /* v / 2^-24, exact scaling */
    return (uint16_t)(s | q);
  }
  uint32_t r = a + 0xfff + ((a >> 13) & 1); /* round to nearest even */
  return (uint16_t)(s | ((r - 0x38000000) >> 13));
}

float ir_bf16_to_f32(uint16_t h) { return bits_f32((uint32_t)h << 16); }

uint16_t ir_f32_to_bf16(float f) {
  uint32_t u = f32_bits(f);
  if ((u & 0x7fffffff) > 0x7f800000)
    return (uint16_t)((u >> 16) | 0x40);
  u += 0x7fff + ((u >> 16) & 1);
  return (uint16_t)(u >> 16);
}

/* Generic sign/exponent/mantissa minifloat. `maxcode` is the largest finite
 * magnitude code; `nan` the NaN code (no sign); `inf` the inf code or 0 if none. */
typedef struct minifloat {
  int ebits, mbits, bias;
  unsigned maxcode, nan, inf;
  bool has_sign;
} minifloat;

static const minifloat MF_E4M3 = {4, 3, 7, 0x7e, 0x7f, 0, true};
static const minifloat MF_E5M2 = {5, 2, 15, 0x7b, 0x7f, 0x7c, true};
static const minifloat MF_E2M1 = {2, 1, 1, 0x7, 0, 0, true};

static float mf_decode(const minifloat *mf, unsigned code) {
  unsigned nb = 1u + mf->ebits + mf->mbits;
  unsigned sign = mf->has_sign ? (code >> (nb - 1)) & 1 : 0;
  unsigned mag = code & ((1u << (nb - 1)) - 1);
  if (mf->nan && mag == mf->nan)
    return sign ? -NAN : NAN;
  if (mf->inf && mag == mf->inf)
    return sign ? -INFINITY : INFINITY;
  if (mf->inf && mag > mf->inf) /* e5m2: all other exponent-31 codes are NaN */
    return NAN;
  unsigned e = mag >> mf->mbits, m = mag & ((1u << mf->mbits) - 1);
  float v = e == 0 ? ldexpf((float)m, 1 - mf->bias - mf->mbits)
                   : ldexpf((float)(m | (1u << mf->mbits)), (int)e - mf->bias - mf->mbits);
  return sign ? -v : v;
}

static unsigned mf_encode(const minifloat *mf, float f) {
  unsigned nb = 1u + mf->ebits + mf->mbits;
  unsigned sign = signbit(f) && mf->has_sign ? 1u << (nb - 1) : 0;
  float a = fabsf(f);
  if (isnan(f))
    return mf->nan ? (sign | mf->nan) : (sign | mf->maxcode);
  if (a == 0)
    return sign;
  unsigned mag;
  int e;
  frexpf(a, &e);
  int E = e - 1; /* a = 1.x * 2^E */
  int emin = 1 - mf->bias;
  if (isinf(a) || E > 64) {
    mag = mf->inf ? mf->inf : mf->maxcode;
  } else if (E < emin) {
    mag = (unsigned)nearbyintf(ldexpf(a, -(emin - mf->mbits))); /* subnormal quanta */
  } else {
    unsigned q = (unsigned)nearbyintf(ldexpf(a, -(E - mf->mbits)));
    if (q == (2u << mf->mbits)) {
      E++;
      q = 1u << mf->mbits;
    }
    long field = (long)E + mf->bias;
    mag = field >= (1L << mf->ebits) ? 0xffffu
                                     : ((unsigned)field << mf->mbits) | (q - (1u << mf->mbits));
  }
  if (mag > mf->maxcode)
    mag = mf->inf ? mf->inf : mf->maxcode; /* overflow: inf where the format has it, else saturate */
  return sign | mag;
}

float ir_f8e4m3_to_f32(uint8_t v) { return mf_decode(&MF_E4M3, v); }
uint8_t ir_f32_to_f8e4m3(float f) { return (uint8_t)mf_encode(&MF_E4M3, f); }
float ir_f8e5m2_to_f32(uint8_t v) { return mf_decode(&MF_E5M2, v); }
uint8_t ir_f32_to_f8e5m2(float f) { return (uint8_t)mf_encode(&MF_E5M2, f); }
float ir_f4e2m1_to_f32(uint8_t c) { return mf_decode(&MF_E2M1, c & 0xf); }
uint8_t ir_f32_to_f4e2m1(float f) { return (uint8_t)mf_encode(&MF_E2M1, f); }

float ir_f8e8m0_to_f32(uint8_t v) { return v == 0xff ? NAN : ldexpf(1.0f, (int)v - 127); }

uint8_t ir_f32_to_f8e8m0(float f) {
  if (isnan(f) || f <= 0)
    return f == 0 ? 0 : 0xff;
  int e;
  float m = frexpf(f, &e); /* f = m * 2^e, m in [0.5, 1) */
  int E = e - 1;
  if (m > 0.75f) /* nearer to 2^(E+1) than to 2^E */
    E++;
  if (E < -127)
    return 0;
  if (E > 127)
    return 0xfe;
  return (uint8_t)(E + 127);
}

static const float NF4_TABLE[16] = {-1.0f,
                                    -0.6961928009986877f,
                                    -0.5250730514526367f,
                                    -0.39491748809814453f,
                                    -0.28444138169288635f,
                                    -0.18477343022823334f,
                                    -0.09105003625154495f,
                                    0.0f,
                                    0.07958029955625534f,
                                    0.16093020141124725f,
                                    0.24611230194568634f,
                                    0.33791524171829224f,
                                    0.44070982933044434f,
                                    0.5626170039176941f,
                                    0.7229568362236023f,
                                    1.0f};

float ir_nf4_to_f32(uint8_t code) { return NF4_TABLE[code & 0xf]; }

uint8_t ir_f32_to_nf4(float f) {
  uint8_t best = 0;
  float bd = INFINITY;
  for (uint8_t i = 0; i < 16; i++) {
    float d = fabsf(f - NF4_TABLE[i]);
    if (d < bd) {
      bd = d;
      best = i;
    }
  }
  return best;
}

/* ---- element access --------------------------------------------------- */

uint64_t ir_elem_get_bits(ir_etype t, const void *data, uint64_t i) {
  const uint8_t *p = data;
  unsigned bits = ir_etype_bits(t);
  switch (bits) {
  case 1: return (p[i / 8] >> (7 - i % 8)) & 1;
  case 2: return (p[i / 4] >> (2 * (i % 4))) & 3;
  case 4: return (p[i / 2] >> (4 * (i % 2))) & 0xf;
  case 3:
  case 6: {
    uint64_t bit = i * bits, v = 0;
    for (unsigned k = 0; k < bits; k++, bit++)
      v |= (uint64_t)((p[bit / 8] >> (bit % 8)) & 1) << k;
    return v;
  }
  case 8: return p[i];
  case 16: {
    uint16_t v;
    memcpy(&v, p + 2 * i, 2);
    return v;
  }
  case 32: {
    uint32_t v;
    memcpy(&v, p + 4 * i, 4);
    return v;
  }
  case 64: {
    uint64_t v;
    memcpy(&v, p + 8 * i, 8);
    return v;
  }
  }
  return 0;
}

void ir_elem_set_bits(ir_etype t, void *data, uint64_t i, uint64_t v) {
  uint8_t *p = data;
  unsigned bits = ir_etype_bits(t);
  switch (bits) {
  case 1: {
    unsigned sh = 7 - i % 8;
    p[i / 8] = (uint8_t)((p[i / 8] & ~(1u << sh)) | ((v & 1) << sh));
    return;
  }
  case 2:
  case 4: {
    unsigned per = 8 / bits, sh = bits * (unsigned)(i % per), mask = (1u << bits) - 1;
    p[i / per] = (uint8_t)((p[i / per] & ~(mask << sh)) | ((v & mask) << sh));
    return;
  }
  case 3:
  case 6: {
    uint64_t bit = i * bits;
    for (unsigned k = 0; k < bits; k++, bit++) {
      uint8_t m = (uint8_t)(1u << (bit % 8));
      p[bit / 8] = (uint8_t)((v >> k) & 1 ? p[bit / 8] | m : p[bit / 8] & ~m);
    }
    return;
  }
  case 8: p[i] = (uint8_t)v; return;
  case 16: {
    uint16_t x = (uint16_t)v;
    memcpy(p + 2 * i, &x, 2);
    return;
  }
  case 32: {
    uint32_t x = (uint32_t)v;
    memcpy(p + 4 * i, &x, 4);
    return;
  }
  case 64: memcpy(p + 8 * i, &v, 8); return;
  }
}

static int64_t sext(uint64_t v, unsigned bits) {
  uint64_t m = 1ull << (bits - 1);
  return (int64_t)((v ^ m) - m);
}

double ir_elem_get_f64(ir_etype t, const void *data, uint64_t i) {
  uint64_t b = ir_elem_get_bits(t, data, i);
  switch (t) {
  case IR_ET_BOOLEAN: return b != 0;
  case IR_ET_BF16: return ir_bf16_to_f32((uint16_t)b);
  case IR_ET_F16: return ir_f16_to_f32((uint16_t)b);
  case IR_ET_F32: return bits_f32((uint32_t)b);
  case IR_ET_F64: {
    double d;
    memcpy(&d, &b, 8);
    return d;
  }
  case IR_ET_NF4: return ir_nf4_to_f32((uint8_t)b);
  case IR_ET_F8E4M3: return ir_f8e4m3_to_f32((uint8_t)b);
  case IR_ET_F8E5M2: return ir_f8e5m2_to_f32((uint8_t)b);
  case IR_ET_F8E8M0: return ir_f8e8m0_to_f32((uint8_t)b);
  case IR_ET_F4E2M1: return ir_f4e2m1_to_f32((uint8_t)b);
  case IR_ET_U64: return (double)b;
  default:
    if (ir_etype_is_signed(t))
      return (double)sext(b, ir_etype_bits(t));
    return (double)b;
  }
}

int64_t ir_elem_get_i64(ir_etype t, const void *data, uint64_t i) {
  if (ir_etype_is_float(t)) {
    double d = ir_elem_get_f64(t, data, i);
    if (isnan(d))
      return 0;
    if (d >= 9223372036854775807.0)
      return INT64_MAX;
    if (d <= -9223372036854775808.0)
      return INT64_MIN;
    return (int64_t)d;
  }
  uint64_t b = ir_elem_get_bits(t, data, i);
  if (t == IR_ET_BOOLEAN)
    return b != 0;
  if (ir_etype_is_signed(t))
    return sext(b, ir_etype_bits(t));
  return (int64_t)b;
}

static uint64_t int_saturate(ir_etype t, double v) {
  unsigned bits = ir_etype_bits(t);
  if (isnan(v))
    return 0;
  v = trunc(v);
  if (ir_etype_is_signed(t)) {
    double lo = -ldexp(1, (int)bits - 1), hi = ldexp(1, (int)bits - 1) - 1;
    if (v < lo)
      v = lo;
    if (v > hi)
      v = hi;
    if (v >= 9223372036854775807.0)
      return (uint64_t)INT64_MAX;
    return (uint64_t)(int64_t)v;
  }
  double hi = ldexp(1, (int)bits) - 1;
  if (v < 0)
    v = 0;
  if (v >= 18446744073709551615.0)
    return UINT64_MAX;
  if (v > hi)
    v = hi;
  return (uint64_t)v;
}

void ir_elem_set_f64(ir_etype t, void *data, uint64_t i, double v) {
  uint64_t b;
  switch (t) {
  case IR_ET_BOOLEAN: b = v != 0; break;
  case IR_ET_BF16: b = ir_f32_to_bf16((float)v); break;
  case IR_ET_F16: b = ir_f32_to_f16((float)v); break;
  case IR_ET_F32: b = f32_bits((float)v); break;
  case IR_ET_F64: memcpy(&b, &v, 8); break;
  case IR_ET_NF4: b = ir_f32_to_nf4((float)v); break;
  case IR_ET_F8E4M3: b = ir_f32_to_f8e4m3((float)v); break;
  case IR_ET_F8E5M2: b = ir_f32_to_f8e5m2((float)v); break;
  case IR_ET_F8E8M0: b = ir_f32_to_f8e8m0((float)v); break;
  case IR_ET_F4E2M1: b = ir_f32_to_f4e2m1((float)v); break;
  default:
    if (!ir_etype_is_int(t))
      return;
    b = int_saturate(t, v);
  }
  ir_elem_set_bits(t, data, i, b);
}

void ir_elem_set_i64(ir_etype t, void *data, uint64_t i, int64_t v) {
  if (ir_etype_is_float(t)) {
    ir_elem_set_f64(t, data, i, (double)v);
    return;
  }
  if (t == IR_ET_BOOLEAN) {
    ir_elem_set_bits(t, data, i, v != 0);
    return;
  }
  ir_elem_set_bits(t, data, i, (uint64_t)v); /* modular, like C integer conversion */
}
