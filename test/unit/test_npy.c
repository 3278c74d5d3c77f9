/* tools/npy.c: write/read round trips for every numpy type, headers as
 * numpy writes them (v1 and v2, '|u1' and '<u1'), and malformed files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tools/npy.h"

static void expect_substr(const char *msg, const char *sub) {
  if (!strstr(msg, sub))
    fail_msg("message '%s' lacks '%s'", msg, sub);
}

static void test_round_trip(void **state) {
  (void)state;
  const ovcc_element_type types[] = {OVCC_BOOLEAN, OVCC_I8,  OVCC_U8,  OVCC_I16,
                                     OVCC_U16,     OVCC_I32, OVCC_U32, OVCC_I64,
                                     OVCC_U64,     OVCC_F16, OVCC_F32, OVCC_F64};
  char path[] = "/tmp/ovcc_npy_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  uint8_t data[2 * 3 * 8];
  for (size_t i = 0; i < sizeof data; i++)
    data[i] = (uint8_t)(i * 7 + 1);
  const int64_t dims[3] = {2, 3, 1};
  char err[256];
  for (size_t k = 0; k < sizeof types / sizeof types[0]; k++) {
    size_t nbytes = 6 * ovcc_element_type_size(types[k]);
    if (types[k] == OVCC_BOOLEAN)
      memset(data, 1, nbytes);
    assert_int_equal(npy_write(path, types[k], dims, 3, data, nbytes, err, sizeof err), OVCC_OK);
    npy_array a;
    assert_int_equal(npy_read(path, &a, err, sizeof err), OVCC_OK);
    assert_int_equal(a.type, types[k]);
    assert_int_equal(a.rank, 3);
    assert_memory_equal(a.dims, dims, sizeof dims);
    assert_int_equal(a.nbytes, nbytes);
    assert_memory_equal(a.data, data, nbytes);
    assert_int_equal((uintptr_t)a.data % 64, 0);
    npy_free(&a);
  }
  /* scalar and empty */
  float one = 1;
  assert_int_equal(npy_write(path, OVCC_F32, dims, 0, &one, 4, err, sizeof err), OVCC_OK);
  npy_array a;
  assert_int_equal(npy_read(path, &a, err, sizeof err), OVCC_OK);
  assert_int_equal(a.rank, 0);
  assert_int_equal(a.nbytes, 4);
  npy_free(&a);
  const int64_t empty[2] = {0, 4};
  assert_int_equal(npy_write(path, OVCC_F32, empty, 2, NULL, 0, err, sizeof err), OVCC_OK);
  assert_int_equal(npy_read(path, &a, err, sizeof err), OVCC_OK);
  assert_int_equal(a.nbytes, 0);
  assert_int_equal(a.dims[0], 0);
  npy_free(&a);
  assert_int_equal(npy_write(path, OVCC_U4, dims, 1, data, 1, err, sizeof err),
                   OVCC_ERR_UNSUPPORTED);
  expect_substr(err, "u4");
  unlink(path);
}

/* A .npy file image: magic, version, header padded to 64 bytes, then data. */
static size_t make_file(uint8_t *buf, int version, const char *dict, const void *data,
                        size_t n) {
  size_t pre = version == 1 ? 10 : 12;
  size_t len = strlen(dict);
  size_t total = (pre + len + 1 + 63) / 64 * 64;
  size_t hlen = total - pre;
  memcpy(buf, "\x93NUMPY", 6);
  buf[6] = (uint8_t)version;
  buf[7] = 0;
  memset(buf + 8, 0, 4);
  buf[8] = (uint8_t)(hlen & 0xff);
  buf[9] = (uint8_t)(hlen >> 8);
  memset(buf + pre, ' ', hlen);
  memcpy(buf + pre, dict, len);
  buf[total - 1] = '\n';
  memcpy(buf + total, data, n);
  return total + n;
}

static void test_headers(void **state) {
  (void)state;
  uint8_t file[512];
  const int32_t v[3] = {1, -2, 3};
  npy_array a;
  char err[256];
  size_t n = make_file(file, 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", v,
                       sizeof v);
  assert_int_equal(npy_parse(file, n, &a, err, sizeof err), OVCC_OK);
  assert_int_equal(a.type, OVCC_I32);
  assert_int_equal(a.rank, 1);
  assert_int_equal(((int32_t *)a.data)[1], -2);
  npy_free(&a);
  n = make_file(file, 2, "{\"descr\": \"<u1\", \"fortran_order\": False, \"shape\": (1, 3)}", v,
                3);
  assert_int_equal(npy_parse(file, n, &a, err, sizeof err), OVCC_OK);
  assert_int_equal(a.type, OVCC_U8);
  assert_int_equal(a.dims[1], 3);
  npy_free(&a);
  /* malformed */
  n = make_file(file, 1, "{'descr': '<i4', 'fortran_order': True, 'shape': (3,), }", v, 12);
  assert_int_equal(npy_parse(file, n, &a, err, sizeof err), OVCC_ERR_INVALID_ARG);
  expect_substr(err, "Fortran");
  n = make_file(file, 1, "{'descr': '>i4', 'fortran_order': False, 'shape': (3,), }", v, 12);
  assert_int_equal(npy_parse(file, n, &a, err, sizeof err), OVCC_ERR_INVALID_ARG);
  expect_substr(err, ">i4");
  n = make_file(file, 1, "{'descr': '<c8', 'fortran_order': False, 'shape': (3,), }", v, 12);
  assert_int_equal(npy_parse(file, n, &a, err, sizeof err), OVCC_ERR_INVALID_ARG);
  n = make_file(file, 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (4,), }", v, 12);
  assert_int_equal(npy_parse(file, n, &a, err, sizeof err), OVCC_ERR_INVALID_ARG);
  expect_substr(err, "12 bytes, the header says 16");
  n = make_file(file, 1, "{'descr': '<i4', 'shape': (3,), }", v, 12);
  assert_int_equal(npy_parse(file, n, &a, err, sizeof err), OVCC_ERR_INVALID_ARG);
  assert_int_equal(npy_parse((const uint8_t *)"\x93NUMPY\x01", 7, &a, err, sizeof err),
                   OVCC_ERR_INVALID_ARG);
  assert_int_equal(npy_parse((const uint8_t *)"PK\x03\x04 zip file", 14, &a, err, sizeof err),
                   OVCC_ERR_INVALID_ARG);
  expect_substr(err, "bad magic");
  file[8] = 0xff; /* header longer than the file */
  file[9] = 0xff;
  assert_int_equal(npy_parse(file, 80, &a, err, sizeof err), OVCC_ERR_INVALID_ARG);
  assert_int_equal(npy_read("/nonexistent/x.npy", &a, err, sizeof err), OVCC_ERR_IO);
  expect_substr(err, "cannot open");
}

/* String tensors: ovcc_string elements written as '<U<longest>' (UTF-32)
 * and read back; '|S' byte strings; trailing NULs dropped; bad input. */
static void test_strings(void **state) {
  (void)state;
  char path[] = "/tmp/ovcc_npy_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  const ovcc_string in[4] = {{"ab", 2}, {"", 0}, {"\xc3\xa9\xe2\x9c\x93!", 6}, {"x\0y", 3}};
  const int64_t dims[2] = {2, 2};
  char err[256];
  assert_int_equal(npy_write(path, OVCC_STRING, dims, 2, in, sizeof in, err, sizeof err), OVCC_OK);
  npy_array a;
  assert_int_equal(npy_read(path, &a, err, sizeof err), OVCC_OK);
  assert_int_equal(a.type, OVCC_STRING);
  assert_int_equal(a.rank, 2);
  assert_int_equal(a.nbytes, sizeof in);
  const ovcc_string *got = a.data;
  for (int i = 0; i < 4; i++) {
    assert_int_equal(got[i].size, in[i].size);
    assert_memory_equal(got[i].data, in[i].data, in[i].size);
  }
  npy_free(&a);
  const ovcc_string bad[1] = {{"\xff", 1}};
  assert_int_equal(npy_write(path, OVCC_STRING, dims, 1, bad, sizeof bad, err, sizeof err),
                   OVCC_ERR_INVALID_ARG);
  expect_substr(err, "not valid UTF-8");
  unlink(path);

  uint8_t file[512];
  size_t n = make_file(file, 1, "{'descr': '|S3', 'fortran_order': False, 'shape': (2,), }",
                       "ab\0xyz", 6);
  assert_int_equal(npy_parse(file, n, &a, err, sizeof err), OVCC_OK);
  got = a.data;
  assert_int_equal(got[0].size, 2);
  assert_memory_equal(got[1].data, "xyz", 3);
  npy_free(&a);
  const uint32_t surrogate[2] = {0x41, 0xd800};
  n = make_file(file, 1, "{'descr': '<U2', 'fortran_order': False, 'shape': (1,), }", surrogate,
                8);
  assert_int_equal(npy_parse(file, n, &a, err, sizeof err), OVCC_ERR_INVALID_ARG);
  expect_substr(err, "invalid code point");
  n = make_file(file, 1, "{'descr': '<U2', 'fortran_order': False, 'shape': (2,), }", surrogate,
                8);
  assert_int_equal(npy_parse(file, n, &a, err, sizeof err), OVCC_ERR_INVALID_ARG);
  expect_substr(err, "8 bytes, the header says 16");
  /* width 0: no data bounds the shape (found by fuzz_npy) */
  n = make_file(file, 1, "{'descr': '=S0', 'fortran_order': False, 'shape': (4444444444, 44), }",
                "", 0);
  assert_int_equal(npy_parse(file, n, &a, err, sizeof err), OVCC_ERR_INVALID_ARG);
  expect_substr(err, "absurd shape");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_headers),
      cmocka_unit_test(test_strings),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
