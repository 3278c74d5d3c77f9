/* Generated inputs (see gen_input.h). SplitMix64 keeps them identical on
 * every platform for a given seed. */
#include "tools/gen_input.h"

#include "ir/types.h"

static uint64_t splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

bool gen_input_dims(const ovcc_partial_shape *s, int64_t *dims, int32_t *rank) {
  if (s->rank < 0)
    return false;
  *rank = s->rank;
  for (int32_t i = 0; i < s->rank; i++)
    dims[i] = s->dims[i] >= 0 ? s->dims[i] : s->min[i] > 0 ? s->min[i] : 1;
  return true;
}

const char *gen_input_distribution(ovcc_element_type t) {
  switch (t) {
  case OVCC_F16: case OVCC_BF16: case OVCC_F32: case OVCC_F64: return "uniform in [-1, 1)";
  case OVCC_BOOLEAN: return "uniform in {0, 1}";
  case OVCC_U4: case OVCC_I4: return "uniform integers in [0, 8)";
  case OVCC_U1: return "uniform bits";
  case OVCC_STRING: return "slices of 0..16 bytes of a fixed ASCII text";
  default: return "uniform integers in [0, 10)";
  }
}

/* Packed sub-byte types: random bytes; 4-bit values kept in [0, 8). */
static void fill_packed(uint8_t *data, uint64_t nbytes, uint8_t mask, uint64_t seed) {
  uint64_t st = seed;
  for (uint64_t i = 0; i < nbytes; i++)
    data[i] = (uint8_t)splitmix64(&st) & mask;
}

bool gen_input_fill(ovcc_element_type t, void *data, uint64_t count, uint64_t seed) {
  if (t == OVCC_U4 || t == OVCC_I4) {
    fill_packed(data, (count + 1) / 2, 0x77, seed);
    return true;
  }
  if (t == OVCC_U1) {
    fill_packed(data, (count + 7) / 8, 0xFF, seed);
    return true;
  }
  uint64_t st = seed;
  if (t == OVCC_STRING) {
    /* Descriptors into a static text: no storage to own, valid for the
     * whole process like the tensor that holds them. */
    static const char text[] = "the quick brown fox jumps over the lazy dog 0123456789 "
                               "ovcc compiles OpenVINO models";
    ovcc_string *s = data;
    for (uint64_t i = 0; i < count; i++) {
      uint64_t r = splitmix64(&st);
      size_t len = (size_t)(r % 17), max_off = sizeof text - 1 - len;
      s[i].data = text + (r >> 8) % (max_off + 1);
      s[i].size = len;
    }
    return true;
  }
  for (uint64_t i = 0; i < count; i++) {
    uint64_t r = splitmix64(&st);
    float f = (float)((double)(r >> 11) * 0x1.0p-53 * 2.0 - 1.0);
    uint64_t k = r % 10;
    switch (t) {
    case OVCC_F32: ((float *)data)[i] = f; break;
    case OVCC_F64: ((double *)data)[i] = (double)(r >> 11) * 0x1.0p-53 * 2.0 - 1.0; break;
    case OVCC_F16: ((uint16_t *)data)[i] = ir_f32_to_f16(f); break;
    case OVCC_BF16: ((uint16_t *)data)[i] = ir_f32_to_bf16(f); break;
    case OVCC_BOOLEAN: ((uint8_t *)data)[i] = (uint8_t)(r & 1); break;
    case OVCC_I8: case OVCC_U8: ((uint8_t *)data)[i] = (uint8_t)k; break;
    case OVCC_I16: case OVCC_U16: ((uint16_t *)data)[i] = (uint16_t)k; break;
    case OVCC_I32: case OVCC_U32: ((uint32_t *)data)[i] = (uint32_t)k; break;
    case OVCC_I64: case OVCC_U64: ((uint64_t *)data)[i] = k; break;
    default: return false;
    }
  }
  return true;
}
