/* Element types: names, widths, exact small-float conversions, sub-byte packing. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ir/ir.h"

static void test_parse_names(void **state) {
  (void)state;
  ir_etype t;
  assert_true(ir_etype_parse("f32", 3, &t));
  assert_int_equal(t, IR_ET_F32);
  assert_true(ir_etype_parse("FP16", 4, &t));
  assert_int_equal(t, IR_ET_F16);
  assert_true(ir_etype_parse("BOOL", 4, &t));
  assert_int_equal(t, IR_ET_BOOLEAN);
  assert_true(ir_etype_parse("BIN", 3, &t));
  assert_int_equal(t, IR_ET_U1);
  assert_true(ir_etype_parse("undefined", 9, &t));
  assert_int_equal(t, IR_ET_DYNAMIC);
  assert_false(ir_etype_parse("f33", 3, &t));
  for (int i = 0; i < IR_ET_COUNT; i++) {
    const char *n = ir_etype_name((ir_etype)i);
    assert_true(ir_etype_parse(n, strlen(n), &t));
    assert_int_equal(t, i);
  }
}

static void test_f16_exhaustive(void **state) {
  (void)state;
  for (uint32_t h = 0; h < 0x10000; h++) {
    float f = ir_f16_to_f32((uint16_t)h);
    if (isnan(f))
      continue;
    assert_int_equal(ir_f32_to_f16(f), h);
  }
  assert_int_equal(ir_f32_to_f16(65504.0f), 0x7bff);
  assert_int_equal(ir_f32_to_f16(65520.0f), 0x7c00); /* rounds to inf */
  assert_int_equal(ir_f32_to_f16(1.0f + 1.0f / 2048), 0x3c00); /* tie to even */
  assert_int_equal(ir_f32_to_f16(5.9604645e-08f), 0x0001);
  assert_true(isnan(ir_f16_to_f32(ir_f32_to_f16(NAN))));
}

static void test_bf16_exhaustive(void **state) {
  (void)state;
  for (uint32_t h = 0; h < 0x10000; h++) {
    float f = ir_bf16_to_f32((uint16_t)h);
    if (isnan(f))
      continue;
    assert_int_equal(ir_f32_to_bf16(f), h);
  }
  assert_int_equal(ir_f32_to_bf16(1.00390625f), 0x3f80); /* tie to even, down */
}

static void test_f8_roundtrip(void **state) {
  (void)state;
  for (uint32_t c = 0; c < 256; c++) {
    float a = ir_f8e4m3_to_f32((uint8_t)c), b = ir_f8e5m2_to_f32((uint8_t)c);
    if (!isnan(a))
      assert_int_equal(ir_f32_to_f8e4m3(a), c);
    if (!isnan(b))
      assert_int_equal(ir_f32_to_f8e5m2(b), c);
  }
  assert_true(ir_f8e4m3_to_f32(0x7e) == 448.0f);
  assert_true(isnan(ir_f8e4m3_to_f32(0x7f)));
  assert_true(ir_f8e5m2_to_f32(0x7b) == 57344.0f);
  assert_true(isinf(ir_f8e5m2_to_f32(0x7c)));
  assert_true(ir_f4e2m1_to_f32(0x7) == 6.0f);
  assert_true(ir_f4e2m1_to_f32(0x9) == -0.5f);
  assert_true(ir_f8e8m0_to_f32(127) == 1.0f);
  assert_int_equal(ir_f32_to_nf4(1.0f), 15);
  assert_int_equal(ir_f32_to_nf4(-1.0f), 0);
}

static void test_subbyte_packing(void **state) {
  (void)state;
  uint8_t b = 0x18; /* u4: element 0 = low nibble (8), element 1 = high nibble (1) */
  assert_int_equal(ir_elem_get_bits(IR_ET_U4, &b, 0), 8);
  assert_int_equal(ir_elem_get_bits(IR_ET_U4, &b, 1), 1);
  assert_int_equal(ir_elem_get_i64(IR_ET_I4, &b, 0), -8);
  uint8_t u1 = 0x80; /* u1: MSB first */
  assert_int_equal(ir_elem_get_bits(IR_ET_U1, &u1, 0), 1);
  assert_int_equal(ir_elem_get_bits(IR_ET_U1, &u1, 7), 0);
  uint8_t buf[3] = {0};
  for (int i = 0; i < 8; i++)
    ir_elem_set_bits(IR_ET_U3, buf, (uint64_t)i, (uint64_t)i);
  for (int i = 0; i < 8; i++)
    assert_int_equal(ir_elem_get_bits(IR_ET_U3, buf, (uint64_t)i), i);
  uint64_t n;
  assert_true(ir_etype_nbytes(IR_ET_U4, 3, &n));
  assert_int_equal(n, 2);
  assert_false(ir_etype_nbytes(IR_ET_STRING, 3, &n));
}

static void test_int_conversion(void **state) {
  (void)state;
  uint8_t v[8];
  ir_elem_set_f64(IR_ET_I8, v, 0, 300.7); /* saturates (Convert wraps; see eval_elementwise.c) */
  assert_int_equal(ir_elem_get_i64(IR_ET_I8, v, 0), 127);
  ir_elem_set_f64(IR_ET_I32, v, 0, -2.9); /* truncates toward zero */
  assert_int_equal(ir_elem_get_i64(IR_ET_I32, v, 0), -2);
  ir_elem_set_i64(IR_ET_U8, v, 0, 257); /* modular */
  assert_int_equal(ir_elem_get_i64(IR_ET_U8, v, 0), 1);
  ir_elem_set_f64(IR_ET_BOOLEAN, v, 0, 0.5);
  assert_int_equal(v[0], 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_names),    cmocka_unit_test(test_f16_exhaustive),
      cmocka_unit_test(test_bf16_exhaustive), cmocka_unit_test(test_f8_roundtrip),
      cmocka_unit_test(test_subbyte_packing), cmocka_unit_test(test_int_conversion),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
