/* frontend/weights.c: mapping, empty and missing files, range checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "frontend/frontend.h"

static void expect_msg(const ir_diag *d, const char *sub) {
  if (!strstr(d->msg, sub))
    fail_msg("message '%s' lacks '%s'", d->msg, sub);
}

/* Writes n bytes to a fresh temporary file; returns its path (static buffer per call site). */
static void temp_file(char *path, size_t cap, const void *data, size_t n) {
  snprintf(path, cap, "/tmp/ovcc_weights_XXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  if (n)
    assert_int_equal(write(fd, data, n), (ssize_t)n);
  close(fd);
}

static void test_map_file(void **state) {
  (void)state;
  const uint8_t bytes[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  char path[64];
  temp_file(path, sizeof path, bytes, sizeof bytes);
  ir_model *m;
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(ir_model_create(&m, &d), OVCC_OK);
  assert_int_equal(fe_weights_map_file(m, path, false, &d), OVCC_OK);
  assert_int_equal(m->weights.size, 8);
  assert_non_null(m->weights.map);
  assert_string_equal(m->weights.path, path);
  const uint8_t *p;
  assert_int_equal(fe_weights_range(m, 2, 4, &p, &d), OVCC_OK);
  assert_memory_equal(p, bytes + 2, 4);
  assert_int_equal(fe_weights_range(m, 0, 8, &p, &d), OVCC_OK);
  assert_int_equal(fe_weights_range(m, 8, 0, &p, &d), OVCC_OK);
  /* out of range, negative, overflowing */
  assert_int_equal(fe_weights_range(m, 4, 5, &p, &d), OVCC_ERR_INVALID_MODEL);
  expect_msg(&d, "offset 4, size 5");
  expect_msg(&d, "8 bytes");
  assert_int_equal(fe_weights_range(m, 9, 0, &p, &d), OVCC_ERR_INVALID_MODEL);
  assert_int_equal(fe_weights_range(m, -1, 2, &p, &d), OVCC_ERR_INVALID_MODEL);
  expect_msg(&d, "negative");
  assert_int_equal(fe_weights_range(m, 2, -2, &p, &d), OVCC_ERR_INVALID_MODEL);
  assert_int_equal(fe_weights_range(m, INT64_MAX, 1, &p, &d), OVCC_ERR_INVALID_MODEL);
  assert_int_equal(fe_weights_range(m, 1, INT64_MAX, &p, &d), OVCC_ERR_INVALID_MODEL);
  assert_int_equal(fe_weights_range(m, INT64_MAX, INT64_MAX, &p, &d), OVCC_ERR_INVALID_MODEL);
  /* mapping again replaces the first mapping */
  assert_int_equal(fe_weights_map_file(m, path, false, &d), OVCC_OK);
  ir_model_free(m);
  unlink(path);
}

static void test_empty_file(void **state) {
  (void)state;
  char path[64];
  temp_file(path, sizeof path, NULL, 0);
  ir_model *m;
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(ir_model_create(&m, &d), OVCC_OK);
  assert_int_equal(fe_weights_map_file(m, path, false, &d), OVCC_OK);
  assert_int_equal(m->weights.size, 0);
  assert_null(m->weights.map);
  assert_non_null(m->weights.data);
  const uint8_t *p;
  assert_int_equal(fe_weights_range(m, 0, 0, &p, &d), OVCC_OK);
  assert_int_equal(fe_weights_range(m, 0, 1, &p, &d), OVCC_ERR_INVALID_MODEL);
  expect_msg(&d, "too short");
  ir_model_free(m);
  unlink(path);
}

static void test_missing_file(void **state) {
  (void)state;
  ir_model *m;
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(ir_model_create(&m, &d), OVCC_OK);
  const char *path = "/tmp/ovcc_no_such_dir_xyz/model.bin";
  assert_int_equal(fe_weights_map_file(m, path, true, &d), OVCC_OK);
  assert_null(m->weights.data);
  const uint8_t *p;
  assert_int_equal(fe_weights_range(m, 0, 0, &p, &d), OVCC_OK);
  assert_int_equal(fe_weights_range(m, 0, 4, &p, &d), OVCC_ERR_INVALID_MODEL);
  expect_msg(&d, ".bin file is missing");
  assert_int_equal(fe_weights_map_file(m, path, false, &d), OVCC_ERR_IO);
  expect_msg(&d, path);
  /* a directory is not a weights file */
  assert_int_equal(fe_weights_map_file(m, "/tmp", true, &d), OVCC_ERR_IO);
  ir_model_free(m);
}

static void test_from_memory(void **state) {
  (void)state;
  ir_model *m;
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(ir_model_create(&m, &d), OVCC_OK);
  uint8_t buf[3] = {9, 8, 7};
  assert_int_equal(fe_weights_from_memory(m, buf, 3, &d), OVCC_OK);
  buf[0] = 0; /* copied, not aliased */
  const uint8_t *p;
  assert_int_equal(fe_weights_range(m, 0, 3, &p, &d), OVCC_OK);
  assert_int_equal(p[0], 9);
  assert_int_equal(fe_weights_from_memory(m, NULL, 0, &d), OVCC_OK);
  assert_non_null(m->weights.data);
  assert_int_equal(fe_weights_range(m, 0, 1, &p, &d), OVCC_ERR_INVALID_MODEL);
  ir_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_map_file),
      cmocka_unit_test(test_empty_file),
      cmocka_unit_test(test_missing_file),
      cmocka_unit_test(test_from_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
