/* bf16 and sub-byte tensors to and from their .npy exchange types. */
#include <stdlib.h>
#include <string.h>

#include "ir/types.h"
#include "tools/npy_exchange.h"

ovcc_element_type npy_exchange_type(ovcc_element_type t) {
  switch (t) {
  case OVCC_BF16: return OVCC_F32;
  case OVCC_U1:
  case OVCC_U4: return OVCC_U8;
  case OVCC_I4: return OVCC_I8;
  default: return t;
  }
}

static ir_etype narrow_ir_type(ovcc_element_type t) {
  return t == OVCC_BF16 ? IR_ET_BF16 : t == OVCC_U1 ? IR_ET_U1 : t == OVCC_U4 ? IR_ET_U4 : IR_ET_I4;
}

void *npy_widen(ovcc_element_type t, const void *data, uint64_t count) {
  ovcc_element_type to = npy_exchange_type(t);
  ir_etype from = narrow_ir_type(t);
  uint8_t *out = malloc(count * ovcc_element_type_size(to) + 1);
  for (uint64_t i = 0; out && i < count; i++) {
    if (to == OVCC_F32)
      ((float *)out)[i] = ir_bf16_to_f32(((const uint16_t *)data)[i]);
    else if (to == OVCC_I8)
      ((int8_t *)out)[i] = (int8_t)ir_elem_get_i64(from, data, i);
    else
      out[i] = (uint8_t)ir_elem_get_bits(from, data, i);
  }
  return out;
}

bool npy_narrow(npy_array *a, ovcc_element_type to) {
  uint64_t count = 1;
  for (int32_t i = 0; i < a->rank; i++)
    count *= (uint64_t)a->dims[i];
  ir_etype et = narrow_ir_type(to);
  uint64_t nbytes;
  if (!ir_etype_nbytes(et, count, &nbytes))
    return false;
  uint8_t *out = aligned_alloc(64, (nbytes + 63) / 64 * 64 + 64);
  if (!out)
    return false;
  memset(out, 0, nbytes);
  for (uint64_t i = 0; i < count; i++) {
    if (to == OVCC_BF16)
      ((uint16_t *)out)[i] = ir_f32_to_bf16(((const float *)a->data)[i]);
    else
      ir_elem_set_bits(et, out, i, ((const uint8_t *)a->data)[i]);
  }
  free(a->data);
  a->data = out;
  a->nbytes = nbytes;
  a->type = to;
  return true;
}
