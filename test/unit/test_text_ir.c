/* Textual IR: ir/print.c and frontend/text_parser.c.
 *  - canonical snippets: parse -> print gives the text back byte for byte
 *    (and print -> parse -> print is stable), covering every construct;
 *  - parse errors: line:col and message;
 *  - the corpus: XML -> print -> parse -> print is byte-identical. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend/frontend.h"

/* Prints m into a malloc'd string. */
static char *print_model(ir_model *m) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  ir_diag d;
  ir_diag_clear(&d);
  ovcc_status st = ir_print_model(m, f, &d);
  fclose(f);
  if (st != OVCC_OK)
    fail_msg("print failed: %s", d.msg);
  return buf;
}

static ir_model *parse_ok(const char *text, const char *base_dir) {
  ir_model *m = NULL;
  ir_diag d;
  ir_diag_clear(&d);
  if (fe_read_text(text, strlen(text), "test.ovir", base_dir, &m, &d) != OVCC_OK)
    fail_msg("parse failed: %s\n--- text ---\n%s", d.msg, text);
  return m;
}

static void assert_same(const char *want, const char *got) {
  if (strcmp(want, got) != 0) {
    size_t i = 0;
    while (want[i] && want[i] == got[i])
      i++;
    fprintf(stderr, "--- want ---\n%s\n--- got ---\n%s\n", want, got);
    fail_msg("texts differ at byte %zu: want '%.60s', got '%.60s'", i, want + i, got + i);
  }
}

/* parse(text) prints as text, and that print parses and prints the same. */
static void roundtrip(const char *text) {
  ir_model *m = parse_ok(text, NULL);
  char *p1 = print_model(m);
  assert_same(text, p1);
  ir_model *m2 = parse_ok(p1, NULL);
  char *p2 = print_model(m2);
  assert_same(p1, p2);
  free(p1);
  free(p2);
  ir_model_free(m);
  ir_model_free(m2);
}

/* parse(in) prints as `want` (non-canonical input). */
static void normalizes(const char *in, const char *want) {
  ir_model *m = parse_ok(in, NULL);
  char *p = print_model(m);
  assert_same(want, p);
  free(p);
  ir_model_free(m);
}

static void parse_fails(const char *text, int line, int col, const char *sub) {
  ir_model *m = NULL;
  ir_diag d;
  ir_diag_clear(&d);
  ovcc_status st = fe_read_text(text, strlen(text), "bad.ovir", NULL, &m, &d);
  if (st == OVCC_OK)
    fail_msg("parse of\n%s\nsucceeded, expected '%s'", text, sub);
  assert_null(m);
  if (!strstr(d.msg, sub))
    fail_msg("message '%s' lacks '%s'", d.msg, sub);
  char loc[64];
  snprintf(loc, sizeof loc, "bad.ovir:%d:%d: ", line, col);
  if (strncmp(d.msg, loc, strlen(loc)) != 0)
    fail_msg("message '%s' does not start with '%s'", d.msg, loc);
  assert_int_equal(d.line, line);
  assert_int_equal(d.col, col);
}

/* ---- round trips ---- */

static void test_basic(void **state) {
  (void)state;
  roundtrip(
      "graph @basic attributes {ir_version = 11, rt_info = {framework = {name = \"onnx\", version "
      "= \"1.0\"}, \"key with space\" = \"v\"}} {\n"
      "  %0 = ov.Parameter() {element_type = f32, shape = [2,3]} : f32[2,3] meta {name = \"x\", "
      "id = 0, names = [[\"x\", \"x:0\"]]}\n"
      "  %1 = ov.Constant() {element_type = f32, shape = [3], value = [1.0, -2.5, "
      "3.40282347e+38]} : f32[3]\n"
      "  %2 = ov.Add(%0, %1) : f32[2,3]\n"
      "  %3 = ov.Clamp(%2) {min = -1.5, max = 1e+20} : f32[2,3] meta {name = \"clamp\", rt_info "
      "= {fused_names = {version = \"0\", value = \"a,b\"}}}\n"
      "  %4 = ov.Elu(%3) {alpha = 0.10000000000000001} : f32[2,3]\n"
      "  %5 = ov.Softmax.v8(%4) {axis = -1} : f32[2,3]\n"
      "  %6 = ov.Convert(%5) {destination_type = f16} : f16[2,3] meta {names = [[\"y\"]], "
      "port_rt_info = [{layout = {version = \"0\", value = \"NC\"}}]}\n"
      "  ov.Result(%6) meta {name = \"out\"}\n"
      "}\n");
}

static void test_attr_kinds(void **state) {
  (void)state;
  roundtrip(
      "graph attributes {ir_version = 11} {\n"
      "  %0 = ov.Parameter() {element_type = f32, shape = [1,125,13,13]} : f32[1,125,13,13]\n"
      "  %1 = ov.Clamp(%0) {min = -inf, max = inf} : f32[1,125,13,13]\n"
      "  %2 = ov.Clamp(%1) {min = nan, max = 2.0} : f32[1,125,13,13]\n"
      "  %3 = ov.RegionYolo(%2) {coords = 4, classes = 20, num = 5, do_softmax = true, mask = [0, "
      "1, 2], anchors = [1.0800000000000001, 1.1899999999999999, 3.0, 9.9999999999999995e-08]} : f32[1,21125]\n"
      "  %4 = ov.Relu(%0) : f32[1,125,13,13] meta {rt_info = {a = [1, 2], b = [1.5, 2.0], c = "
      "[f32, i8], d = [1,?], e = [[1, 2], {x = true}], f = 3, g = -0.5, h = false, i = f16, j = "
      "[], k = {}, l = [...], m = [\"s\", \"t\"], n = \"esc \\\" \\\\ \\n \\t \\r \\x01 \\x7f "
      "\xc3\xa9\"}}\n"
      "  ov.Result(%3)\n"
      "  ov.Result(%4)\n"
      "}\n");
}

static void test_shapes(void **state) {
  (void)state;
  roundtrip("graph attributes {ir_version = 11} {\n"
            "  %0 = ov.Parameter() {element_type = f32, shape = [1..10,?,..5,2..,3]} : "
            "f32[1..10,?,..5,2..,3]\n"
            "  %1 = ov.Parameter() {element_type = dynamic, shape = [...]} : dynamic[...]\n"
            "  %2 = ov.Parameter() {element_type = i64, shape = []} : i64[]\n"
            "  ov.Result(%0)\n"
            "  ov.Result(%1)\n"
            "  ov.Result(%2)\n"
            "}\n");
}

static void test_constants(void **state) {
  (void)state;
  roundtrip(
      "graph attributes {ir_version = 11} {\n"
      "  %0 = ov.Constant() {element_type = boolean, shape = [3], value = [true, false, true]} : "
      "boolean[3]\n"
      "  %1 = ov.Constant() {element_type = bf16, shape = [2], value = [1.0, -0.0078125]} : "
      "bf16[2]\n"
      "  %2 = ov.Constant() {element_type = f16, shape = [3], value = [65504.0, 5.96046448e-08, "
      "-0.0]} : f16[3]\n"
      "  %3 = ov.Constant() {element_type = f64, shape = [2], value = [0.10000000000000001, "
      "-inf]} : f64[2]\n"
      "  %4 = ov.Constant() {element_type = i8, shape = [2], value = [-128, 127]} : i8[2]\n"
      "  %5 = ov.Constant() {element_type = i16, shape = [1], value = [-32768]} : i16[1]\n"
      "  %6 = ov.Constant() {element_type = i32, shape = [], value = [2147483647]} : i32[]\n"
      "  %7 = ov.Constant() {element_type = i64, shape = [2], value = [-9223372036854775808, "
      "9223372036854775807]} : i64[2]\n"
      "  %8 = ov.Constant() {element_type = u8, shape = [2], value = [0, 255]} : u8[2]\n"
      "  %9 = ov.Constant() {element_type = u16, shape = [1], value = [65535]} : u16[1]\n"
      "  %10 = ov.Constant() {element_type = u32, shape = [1], value = [4294967295]} : u32[1]\n"
      "  %11 = ov.Constant() {element_type = u64, shape = [1], value = [18446744073709551615]} : "
      "u64[1]\n"
      "  %12 = ov.Constant() {element_type = f8e4m3, shape = [2], value = [448.0, -0.015625]} : "
      "f8e4m3[2]\n"
      "  %13 = ov.Constant() {element_type = f8e5m2, shape = [1], value = [57344.0]} : "
      "f8e5m2[1]\n"
      "  %14 = ov.Constant() {element_type = f8e8m0, shape = [1], value = [1.0]} : f8e8m0[1]\n"
      "  %15 = ov.Constant() {element_type = u4, shape = [3], value = hex\"2103\"} : u4[3]\n"
      "  %16 = ov.Constant() {element_type = i4, shape = [2], value = hex\"f7\"} : i4[2]\n"
      "  %17 = ov.Constant() {element_type = u1, shape = [10], value = hex\"ffc0\"} : u1[10]\n"
      "  %18 = ov.Constant() {element_type = nf4, shape = [2], value = hex\"0f\"} : nf4[2]\n"
      "  %19 = ov.Constant() {element_type = f4e2m1, shape = [2], value = hex\"21\"} : "
      "f4e2m1[2]\n"
      "  %20 = ov.Constant() {element_type = u2, shape = [4], value = hex\"1b\"} : u2[4]\n"
      "  %21 = ov.Constant() {element_type = u3, shape = [8], value = hex\"000000\"} : u3[8]\n"
      "  %22 = ov.Constant() {element_type = u6, shape = [4], value = hex\"ffffff\"} : u6[4]\n"
      "  %23 = ov.Constant() {element_type = string, shape = [3], value = [\"ab\", "
      "\"c\\\"d\\n\\x01\", \"\"]} : string[3]\n"
      "  %24 = ov.Constant() {element_type = f32, shape = [1], value = hex\"0100c07f\"} : f32[1]\n"
      "  %25 = ov.Constant() {element_type = boolean, shape = [1], value = hex\"02\"} : "
      "boolean[1]\n"
      "  %26 = ov.Constant() {element_type = f32, shape = [0], value = []} : f32[0]\n"
      "  %27 = ov.Constant() {element_type = string, shape = [0], value = []} : string[0]\n"
      "  %28 = ov.Constant() {element_type = f32, shape = [2], value = [nan, 1.00000001e-10]} : "
      "f32[2]\n"
      "  %29 = ov.Constant() {element_type = string, shape = [1], value = "
      "hex\"01000000000000000200000061000000\"} : string[1]\n"
      "  ov.Result(%0)\n"
      "}\n");
}

static void test_large_constant_hex(void **state) {
  (void)state;
  /* 17 f32 elements: more than 16 -> hex */
  char text[2048], hex[17 * 8 + 1];
  for (int i = 0; i < 17; i++)
    snprintf(hex + 8 * i, 9, "0000803f");
  snprintf(text, sizeof text,
           "graph attributes {ir_version = 11} {\n"
           "  %%0 = ov.Constant() {element_type = f32, shape = [17], value = hex\"%s\"} : f32[17]\n"
           "  ov.Result(%%0)\n"
           "}\n",
           hex);
  roundtrip(text);
  /* 17 values written as a list read fine and print as hex */
  char in[2048];
  snprintf(in, sizeof in,
           "graph attributes {ir_version = 11} {\n"
           "  %%0 = ov.Constant() {element_type = f32, shape = [17], value = [1, 1, 1, 1, 1, 1, 1, "
           "1, 1, 1, 1, 1, 1, 1, 1, 1, 1]} : f32[17]\n"
           "  ov.Result(%%0)\n"
           "}\n");
  normalizes(in, text);
}

static void test_opaque_multi_sinks(void **state) {
  (void)state;
  roundtrip(
      "graph @net attributes {ir_version = 10, meta_data = {meta_data = {MO_version = "
      "\"2022.1\", cli_parameters = {input = \"x\"}}}} {\n"
      "  %0 = ov.Parameter() {element_type = f32, shape = [4,6]} : f32[4,6]\n"
      "  %1 = ov.Constant() {element_type = i64, shape = [], value = [1]} : i64[]\n"
      "  %2, %3 = ov.Split(%0, %1) {num_splits = 2} : f32[4,3], f32[4,3] meta {names = "
      "[[\"a\"], []]}\n"
      "  %4 = ov.MyCustomOp(%2, %3) {alpha = \"0.5\", mode = \"fast\"} : f32[...] meta {name = "
      "\"custom\", version = \"custom_opset\"}\n"
      "  %5 = ov.Gather(%0) : dynamic[...] meta {version = \"opset1\"}\n"
      "  %6 = ov.ReadValue.v6(%0) {variable_id = \"v\", variable_type = f32, variable_shape = "
      "[4,6]} : f32[4,6]\n"
      "  %7 = ov.Add(%6, %0) : f32[4,6]\n"
      "  ov.Assign.v6(%7) {variable_id = \"v\"}\n"
      "  ov.Result(%4)\n"
      "  ov.Result(%5)\n"
      "}\n");
  ir_model *m = parse_ok("graph {\n"
                         "  %x = ov.Parameter() {element_type = f32, shape = [2]} : f32[2]\n"
                         "  %s = ov.ReadValue.v6(%x) {variable_id = \"v\"} : f32[2]\n"
                         "  ov.Assign.v6(%s) {variable_id = \"v\"}\n"
                         "  ov.Result(%s)\n"
                         "}\n",
                         NULL);
  assert_int_equal(m->main->n_params, 1);
  assert_int_equal(m->main->n_results, 1);
  assert_int_equal(m->main->n_sinks, 1);
  assert_int_equal(m->main->sinks[0]->kind, IR_OP_ASSIGN_6);
  assert_int_equal(m->main->first->loc.line, 2);
  assert_int_equal(m->main->first->loc.col, 3);
  assert_string_equal(m->main->first->loc.file, "test.ovir");
  ir_model_free(m);
}

static void test_bodies(void **state) {
  (void)state;
  roundtrip(
      "graph attributes {ir_version = 11} {\n"
      "  %0 = ov.Parameter() {element_type = f32, shape = [1,4,8]} : f32[1,4,8]\n"
      "  %1 = ov.Parameter() {element_type = f32, shape = [1,8]} : f32[1,8]\n"
      "  %2 = ov.TensorIterator(%0, %1) {input_map = [{external = 0, internal = 0, axis = 1, "
      "start = 0, stride = 1, part_size = 1, end = -1}, {external = 1, internal = 1}], output_map "
      "= [{external = 0, internal = 0}], back_edges = [{from = 0, to = 1}]} : f32[1,8] {\n"
      "    graph {\n"
      "      %0 = ov.Parameter() {element_type = f32, shape = [1,1,8]} : f32[1,1,8]\n"
      "      %1 = ov.Parameter() {element_type = f32, shape = [1,8]} : f32[1,8]\n"
      "      %2 = ov.Constant() {element_type = i64, shape = [1], value = [1]} : i64[1]\n"
      "      %3 = ov.Squeeze.v1(%0, %2) : f32[1,8]\n"
      "      %4 = ov.Add(%3, %1) : f32[1,8]\n"
      "      ov.Result(%4)\n"
      "    }\n"
      "  }\n"
      "  %3 = ov.Parameter() {element_type = boolean, shape = []} : boolean[]\n"
      "  %4 = ov.If(%3, %2) {then_inputs = [{external = 1, internal = 0}], then_outputs = "
      "[{external = 0, internal = 0}], else_inputs = [{external = 1, internal = 0}], "
      "else_outputs = [{external = 0, internal = 0}]} : f32[1,8] meta {name = \"if\"} {\n"
      "    graph @then {\n"
      "      %0 = ov.Parameter() {element_type = f32, shape = [1,8]} : f32[1,8]\n"
      "      %1 = ov.Constant() {element_type = i64, shape = [], value = [3]} : i64[]\n"
      "      %2 = ov.Constant() {element_type = boolean, shape = [], value = [true]} : "
      "boolean[]\n"
      "      %3 = ov.Loop(%1, %2, %0) {input_map = [{external = 2, internal = 0}], output_map = "
      "[{external = 0, internal = 1}], back_edges = [{from = 1, to = 0}], "
      "body_condition_output_idx = 0} : f32[1,8] {\n"
      "        graph {\n"
      "          %0 = ov.Parameter() {element_type = f32, shape = [1,8]} : f32[1,8]\n"
      "          %1 = ov.Constant() {element_type = boolean, shape = [], value = [true]} : "
      "boolean[]\n"
      "          %2 = ov.Relu(%0) : f32[1,8]\n"
      "          ov.Result(%1)\n"
      "          ov.Result(%2)\n"
      "        }\n"
      "      }\n"
      "      ov.Result(%3)\n"
      "    }\n"
      "    graph @else {\n"
      "      %0 = ov.Parameter() {element_type = f32, shape = [1,8]} : f32[1,8]\n"
      "      ov.Result(%0)\n"
      "    }\n"
      "  }\n"
      "  ov.Result(%4)\n"
      "}\n");
}

static void test_normalize(void **state) {
  (void)state;
  /* Any value names, comments, coercions (int list -> shape, int -> float,
   * -1 -> '?'), defaults dropped, enum case folded, newest version chosen. */
  normalizes("// a comment\n"
             "graph @\"my net\" {\n"
             "  %input = ov.Parameter() {shape = [1, -1], element_type = f32} : f32[1,?] // x\n"
             "  %c = ov.Constant() {element_type = f32, shape = [1], value = [2]} : f32[1]\n"
             "  %r = ov.Clamp(%input) {min = 0, max = 6} : f32[1,?]\n"
             "  %s = ov.Add(%r, %c) {auto_broadcast = \"NUMPY\"} : f32[1,?]\n"
             "  %t = ov.Softmax(%s) {axis = 1}\n"
             "  ov.Result(%t)\n"
             "}\n",
             "graph @\"my net\" attributes {ir_version = 11} {\n"
             "  %0 = ov.Parameter() {element_type = f32, shape = [1,?]} : f32[1,?]\n"
             "  %1 = ov.Constant() {element_type = f32, shape = [1], value = [2.0]} : f32[1]\n"
             "  %2 = ov.Clamp(%0) {min = 0.0, max = 6.0} : f32[1,?]\n"
             "  %3 = ov.Add(%2, %1) : f32[1,?]\n"
             "  %4 = ov.Softmax.v8(%3) : f32[1,?]\n"
             "  ov.Result(%4)\n"
             "}\n");
}

static void test_weights_file(void **state) {
  (void)state;
  char dir[] = "/tmp/ovcc_text_XXXXXX";
  assert_non_null(mkdtemp(dir));
  char bin[128], ovir[128];
  snprintf(bin, sizeof bin, "%s/w.bin", dir);
  snprintf(ovir, sizeof ovir, "%s/m.ovir", dir);
  const float w[4] = {1, 2, 3, 4};
  FILE *f = fopen(bin, "wb");
  assert_non_null(f);
  fwrite(w, 1, sizeof w, f);
  fclose(f);
  const char *text = "graph attributes {ir_version = 11, weights = \"w.bin\"} {\n"
                     "  %0 = ov.Constant() {element_type = f32, shape = [2], offset = 8, size = 8} "
                     ": f32[2]\n"
                     "  ov.Result(%0)\n"
                     "}\n";
  f = fopen(ovir, "wb");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  ir_model *m = NULL;
  ir_diag d;
  ir_diag_clear(&d);
  if (fe_read_text_file(ovir, &m, &d) != OVCC_OK)
    fail_msg("%s", d.msg);
  const ir_op *c = m->main->first;
  assert_int_equal(c->cst->bin_offset, 8);
  float got[2];
  memcpy(got, c->cst->data, 8);
  assert_true(got[0] == 3.0f && got[1] == 4.0f);
  char *p = print_model(m);
  assert_same(text, p);
  free(p);
  ir_model_free(m);
  /* Without a weights file the data is printed inline. */
  m = NULL;
  assert_int_equal(fe_read_text_file(ovir, &m, &d), OVCC_OK);
  m->weights.path = NULL;
  p = print_model(m);
  assert_non_null(strstr(p, "value = [3.0, 4.0]"));
  free(p);
  ir_model_free(m);
  /* Out of range */
  const char *bad = "graph attributes {weights = \"w.bin\"} {\n"
                    "  %0 = ov.Constant() {element_type = f32, shape = [4], offset = 8, size = 16} "
                    ": f32[4]\n"
                    "}\n";
  ir_diag_clear(&d);
  assert_int_not_equal(fe_read_text(bad, strlen(bad), "bad.ovir", dir, &m, &d), OVCC_OK);
  assert_non_null(strstr(d.msg, "bad.ovir:2:"));
  assert_non_null(strstr(d.msg, "out of range"));
  /* Missing weights file */
  const char *missing = "graph attributes {weights = \"nope.bin\"} {\n}\n";
  assert_int_not_equal(fe_read_text(missing, strlen(missing), "bad.ovir", dir, &m, &d), OVCC_OK);
  assert_non_null(strstr(d.msg, "bad.ovir:1:19: "));
  unlink(bin);
  unlink(ovir);
  rmdir(dir);
}

/* ---- errors ---- */

#define HDR "graph {\n  %0 = ov.Parameter() {element_type = f32, shape = [2]} : f32[2]\n"

static void test_errors(void **state) {
  (void)state;
  parse_fails("", 1, 1, "expected 'graph', got end of input");
  parse_fails("graph {\n  %0 = ov.Relu(\n}\n", 3, 1, "expected an operand (%name) or ')'");
  parse_fails(HDR "  %1 = ov.Foo(%0)\n}\n", 3, 8, "unknown op 'ov.Foo'");
  parse_fails(HDR "  %1 = ov.Gather.v5(%0)\n}\n", 3, 8, "unknown op 'ov.Gather.v5'");
  parse_fails(HDR "  ov.Result(%9)\n}\n", 3, 13, "use of undefined value '%9'");
  parse_fails(HDR "  %0 = ov.Relu(%0)\n}\n", 3, 3, "value '%0' defined twice (first at line 2)");
  parse_fails(HDR "  %1 = ov.Add(%0)\n}\n", 3, 8, "ov.Add expects 2 operands, got 1");
  parse_fails(HDR "  %1, %2 = ov.Relu(%0)\n}\n", 3, 3, "ov.Relu has 1 result, got 2");
  parse_fails(HDR "  %1 = ov.Relu(%0) {foo = 1}\n}\n", 3, 21, "unknown attribute 'foo' for Relu-1");
  parse_fails(HDR "  %1 = ov.Softmax(%0) {axis = \"x\"}\n}\n", 3, 24,
              "attribute 'axis': expected int, got string");
  parse_fails(HDR "  %1 = ov.Elu(%0)\n}\n", 3, 3, "missing required attribute 'alpha'");
  parse_fails(HDR "  %1 = ov.Add(%0, %0) {auto_broadcast = \"foo\"}\n}\n", 3, 3, "is not one of");
  parse_fails(HDR "  %1 = ov.Relu(%0) : f32[2,\n}\n", 4, 1, "expected a dimension");
  parse_fails(HDR "  %1 = ov.Relu(%0) : float[2]\n}\n", 3, 22, "expected a type");
  parse_fails(HDR "  %1 = ov.Relu(%0) : f32[3..2]\n}\n", 3, 26, "empty interval");
  parse_fails(HDR "  %1 = ov.Relu(%0) : f32[2], f32[2]\n}\n", 3, 3, "2 result types for 1 result");
  parse_fails("graph {\n  %0 = ov.Constant() {element_type = f32, shape = [2], value = [1.0]}\n}\n",
              2, 64, "constant data size mismatch: 1 values for 2 elements");
  parse_fails("graph {\n  %0 = ov.Constant() {element_type = f32, shape = [2], value = hex\"00\"}\n}\n",
              2, 64, "constant data size mismatch: hex has 1 bytes");
  parse_fails("graph {\n  %0 = ov.Constant() {element_type = i8, shape = [1], value = [200]}\n}\n",
              2, 64, "value 200 is out of range of i8");
  parse_fails("graph {\n  %0 = ov.Constant() {element_type = i8, shape = [1], value = [1.5]}\n}\n",
              2, 64, "expected an integer for a Constant of i8");
  parse_fails("graph {\n  %0 = ov.Constant() {element_type = f32, shape = [1]}\n}\n", 2, 3,
              "Constant needs its data");
  parse_fails("graph {\n  %0 = ov.Constant() {element_type = f32, shape = [1], offset = 0, size = "
              "4}\n}\n",
              2, 56, "no weights");
  parse_fails("graph {\n}\nfoo\n", 3, 1, "expected end of input after the graph, got 'foo'");
  parse_fails("graph {\n  %0 = ov.Constant() {element_type = u64, shape = [1], value = "
              "[99999999999999999999]}\n}\n",
              2, 65, "overflows 64 bits");
  parse_fails(HDR "  %1 = ov.Softmax(%0) {axis = 9223372036854775808}\n}\n", 3, 31,
              "out of range of int64");
  parse_fails(HDR "  %1 = ov.Relu(%0) {5}\n}\n", 3, 21, "expected a key or '}', got '5'");
  parse_fails(HDR "  %1 = ov.Relu(%0) {a = 1,}\n}\n", 3, 27, "expected a key, got '}'");
  parse_fails(HDR "  %1 = ov.Relu(%0) : f32[2] meta {bogus = 1}\n}\n", 3, 35,
              "unknown meta field 'bogus'");
  parse_fails(HDR "  %1 = ov.Relu(%0) {graph = 1}\n}\n", 3, 21, "unknown attribute 'graph'");
  parse_fails(HDR "  %1 = ov.Relu(%0) {\n    graph {\n    }\n  }\n}\n", 3, 20, "has no bodies");
  parse_fails(HDR "  %1 = ov.Relu(%0) : f32[2]\n  ov.Result(%1) \"junk\"\n}\n", 4, 17,
              "expected an op");
  parse_fails("graph {\n  %0 = ov.Parameter() {element_type = f32, shape = [1] \"\n}\n", 2, 56,
              "unterminated string");
  parse_fails("graph attributes {bogus = 1} {\n}\n", 1, 19, "unknown graph attribute 'bogus'");
  parse_fails("graph {\n  %0 = ov.TensorIterator() : f32[1]\n}\n", 2, 3, "needs 1 body");
  parse_fails(HDR "  %1 = ov.Relu(%0) {x = ?}\n}\n", 3, 25, "only allowed inside a shape");
  parse_fails(HDR "  %1 = ov.Relu(%0) {x = hex\"00\"}\n}\n", 3, 25, "only allowed as the value");
  /* errors found after parsing (inference, verifier) carry the op's location */
  parse_fails(HDR "  %1 = ov.Add(%0, %0) : f32[3]\n}\n", 3, 3, "contradicts");
}

static void test_nesting_limits(void **state) {
  (void)state;
  /* attribute values */
  char text[4096];
  int n = snprintf(text, sizeof text, "%s  %%1 = ov.Relu(%%0) : f32[2] meta {rt_info = {a = ", HDR);
  for (int i = 0; i < 70; i++)
    text[n++] = '[';
  text[n] = 0;
  ir_model *m = NULL;
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_not_equal(fe_read_text(text, strlen(text), "bad.ovir", NULL, &m, &d), OVCC_OK);
  assert_non_null(strstr(d.msg, "nested deeper than 64"));
  assert_int_equal(d.line, 3);
  /* bodies */
  size_t cap = 1 << 16;
  char *deep = malloc(cap);
  size_t k = 0;
  for (int i = 0; i < 70; i++)
    k += (size_t)snprintf(deep + k, cap - k, "graph {\n %%0 = ov.TensorIterator() : f32[1] {\n");
  assert_int_not_equal(fe_read_text(deep, k, "bad.ovir", NULL, &m, &d), OVCC_OK);
  assert_non_null(strstr(d.msg, "bodies nested deeper than 64"));
  free(deep);
}

/* ---- samples: every .ovir in test/data/ovir is canonical (print gives it back) ---- */

static void test_samples(void **state) {
  (void)state;
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/ovir", OVCC_TEST_DATA_DIR);
  DIR *dd = opendir(dir);
  assert_non_null(dd);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(dd))) {
    size_t len = strlen(e->d_name);
    if (len < 6 || strcmp(e->d_name + len - 5, ".ovir") != 0)
      continue;
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char text[1 << 16];
    size_t k = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[k] = 0;
    ir_model *m = NULL;
    ir_diag d;
    ir_diag_clear(&d);
    if (fe_read_text_file(path, &m, &d) != OVCC_OK)
      fail_msg("%s", d.msg);
    char *p = print_model(m);
    assert_same(text, p);
    free(p);
    ir_model_free(m);
    n++;
  }
  closedir(dd);
  assert_true(n >= 5);
}

/* ---- corpus ---- */

static const char *find_xml(const char *dir, char *out, size_t cap) {
  DIR *dd = opendir(dir);
  if (!dd)
    return NULL;
  const char *res = NULL;
  struct dirent *e;
  while ((e = readdir(dd))) {
    size_t n = strlen(e->d_name);
    if (n > 4 && strcmp(e->d_name + n - 4, ".xml") == 0) {
      snprintf(out, cap, "%s/%s", dir, e->d_name);
      res = out;
      break;
    }
  }
  closedir(dd);
  return res;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_corpus(void **state) {
  (void)state;
  DIR *dd = opendir(OVCC_CORPUS_DIR);
  if (!dd) {
    print_message("corpus %s not found: skipped\n", OVCC_CORPUS_DIR);
    skip();
  }
  char *names[256];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(dd)) && n < 256)
    if (e->d_name[0] != '.')
      names[n++] = strdup(e->d_name);
  closedir(dd);
  qsort(names, (size_t)n, sizeof *names, cmp_str);
  int ok = 0, unread = 0;
  for (int i = 0; i < n; i++) {
    char dir[1024], xml[2048];
    snprintf(dir, sizeof dir, "%s/%s", OVCC_CORPUS_DIR, names[i]);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || !find_xml(dir, xml, sizeof xml)) {
      free(names[i]);
      continue;
    }
    ir_model *m = NULL;
    ir_diag d;
    ir_diag_clear(&d);
    if (fe_read_xml_file(xml, NULL, &m, &d) != OVCC_OK) {
      print_message("corpus %s: XML not read (%s)\n", names[i], d.msg);
      unread++;
      free(names[i]);
      continue;
    }
    char *p1 = print_model(m);
    ir_model *m2 = NULL;
    if (fe_read_text(p1, strlen(p1), names[i], NULL, &m2, &d) != OVCC_OK)
      fail_msg("corpus %s: printed text does not parse: %s", names[i], d.msg);
    char *p2 = print_model(m2);
    assert_int_equal(m->main->n_ops, m2->main->n_ops);
    assert_int_equal(m->main->n_params, m2->main->n_params);
    assert_int_equal(m->main->n_results, m2->main->n_results);
    assert_int_equal(m->main->n_sinks, m2->main->n_sinks);
    for (uint32_t k = 0; k < m->main->n_params; k++)
      assert_string_equal(m->main->params[k]->name ? m->main->params[k]->name : "",
                          m2->main->params[k]->name ? m2->main->params[k]->name : "");
    if (strcmp(p1, p2) != 0) {
      size_t k = 0;
      while (p1[k] == p2[k])
        k++;
      size_t from = k > 200 ? k - 200 : 0;
      fail_msg("corpus %s: print -> parse -> print differs at byte %zu:\n%.400s\n--- vs ---\n%.400s",
               names[i], k, p1 + from, p2 + from);
    }
    ok++;
    free(p1);
    free(p2);
    ir_model_free(m);
    ir_model_free(m2);
    free(names[i]);
  }
  print_message("corpus: %d models round-trip, %d not read from XML\n", ok, unread);
  assert_true(ok > 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_basic),
      cmocka_unit_test(test_attr_kinds),
      cmocka_unit_test(test_shapes),
      cmocka_unit_test(test_constants),
      cmocka_unit_test(test_large_constant_hex),
      cmocka_unit_test(test_opaque_multi_sinks),
      cmocka_unit_test(test_bodies),
      cmocka_unit_test(test_normalize),
      cmocka_unit_test(test_weights_file),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_nesting_limits),
      cmocka_unit_test(test_samples),
      cmocka_unit_test(test_corpus),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
