/* Shape functions of the compute ops (ir/shape_conv.c, ir/shape_nn.c) and
 * the Reduce/MatMul evaluators (ir/eval_nn.c). Expected shapes were checked
 * against OpenVINO 2026.4's Python API (get_output_partial_shape); where
 * ovcc is stricter than OpenVINO the test says so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ir/ir.h"

/* ---- graph-building helpers ---- */

static ir_model *new_model(void) {
  ir_model *m;
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(ir_model_create(&m, &d), OVCC_OK);
  return m;
}

/* A Parameter of type et and shape text ("1,3,?,2..10", "...", ""). */
static ir_value *P(ir_model *m, ir_etype et, const char *shape) {
  ir_diag d;
  ir_diag_clear(&d);
  ir_shape s;
  assert_true(ir_shape_parse(shape, strlen(shape), &s, &d));
  ir_op *p = ir_op_create(m, IR_OP_PARAMETER_1, 0, 1);
  assert_non_null(p);
  ir_attr_value a = {.kind = IR_ATTR_ETYPE, .u.et = et};
  ir_attr_value sh = {.kind = IR_ATTR_SHAPE, .u.shape = &s};
  assert_true(ir_op_set_attr(m, p, "element_type", &a));
  assert_true(ir_op_set_attr(m, p, "shape", &sh));
  p->results[0].type = (ir_type){et, s};
  ir_graph_insert(m->main, p, NULL);
  assert_true(ir_graph_add_param(m->main, p));
  return &p->results[0];
}

static ir_value *P32(ir_model *m, const char *shape) { return P(m, IR_ET_F32, shape); }

/* An i64 Constant: 1-D of n values, or a scalar when n < 0 (one value). */
static ir_value *CI(ir_model *m, const int64_t *v, int n) {
  ir_type t = {IR_ET_I64, ir_shape_scalar()};
  if (n >= 0) {
    t.shape.rank = 1;
    t.shape.d[0] = ir_dim_static(n);
  }
  int cnt = n < 0 ? 1 : n;
  ir_op *c = ir_const_create(m, &t, v, (uint64_t)cnt * sizeof(int64_t));
  assert_non_null(c);
  ir_graph_insert(m->main, c, NULL);
  return &c->results[0];
}

static ir_value *CF(ir_model *m, const float *v, const char *shape) {
  ir_diag d;
  ir_diag_clear(&d);
  ir_type t = {IR_ET_F32, ir_shape_scalar()};
  assert_true(ir_shape_parse(shape, strlen(shape), &t.shape, &d));
  uint64_t n;
  assert_true(ir_shape_numel(&t.shape, &n));
  ir_op *c = ir_const_create(m, &t, v, n * sizeof(float));
  assert_non_null(c);
  ir_graph_insert(m->main, c, NULL);
  return &c->results[0];
}

static ir_op *mk(ir_model *m, ir_op_id id, int n_out, int n_in, ...) {
  ir_op *op = ir_op_create(m, id, (uint32_t)n_in, (uint32_t)n_out);
  assert_non_null(op);
  va_list ap;
  va_start(ap, n_in);
  for (int i = 0; i < n_in; i++)
    ir_op_set_operand(op, (uint32_t)i, va_arg(ap, ir_value *));
  va_end(ap);
  ir_graph_insert(m->main, op, NULL);
  return op;
}

/* Sets an attribute from its XML text, with the kind taken from the schema. */
static void attr(ir_model *m, ir_op *op, const char *name, const char *text) {
  int k = ir_op_schema_index(op->kind, name);
  assert_true(k >= 0);
  ir_attr_value v;
  ir_diag d;
  ir_diag_clear(&d);
  if (!ir_attr_parse_xml(&m->arena, op->info->attrs[k].kind, text, &v, &d))
    fail_msg("attribute %s='%s': %s", name, text, d.msg);
  assert_true(ir_op_set_attr(m, op, name, &v));
}

static ovcc_status infer(ir_model *m, ir_op *op, ir_diag *d) {
  ir_diag_clear(d);
  ovcc_status st = ir_op_apply_schema(m, op, d);
  if (st != OVCC_OK)
    return st;
  return ir_infer_op(op, true, d);
}

static void expect_shape(ir_op *op, uint32_t i, const char *want) {
  char buf[256];
  ir_shape_format(&op->results[i].type.shape, buf, sizeof buf);
  if (strcmp(buf, want) != 0)
    fail_msg("output %u: got [%s], want [%s]", i, buf, want);
}

static void expect_ok(ir_model *m, ir_op *op, const char *want) {
  ir_diag d;
  if (infer(m, op, &d) != OVCC_OK)
    fail_msg("unexpected error: %s", d.msg);
  expect_shape(op, 0, want);
}

static void expect_err(ir_model *m, ir_op *op, const char *needle) {
  ir_diag d;
  ovcc_status st = infer(m, op, &d);
  if (st == OVCC_OK)
    fail_msg("expected an error containing '%s'", needle);
  assert_int_equal(st, OVCC_ERR_INVALID_MODEL);
  if (!strstr(d.msg, needle))
    fail_msg("message '%s' lacks '%s'", d.msg, needle);
}

/* A Convolution-family op with data, filters and attributes. */
static ir_op *conv(ir_model *m, ir_op_id id, const char *x, const char *f, const char *s,
                   const char *pb, const char *pe, const char *dil) {
  ir_op *op = mk(m, id, 1, 2, P32(m, x), P32(m, f));
  attr(m, op, "strides", s);
  attr(m, op, "pads_begin", pb);
  attr(m, op, "pads_end", pe);
  attr(m, op, "dilations", dil);
  return op;
}

/* ---- convolution ---- */

static void test_conv(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_op_id C = IR_OP_CONVOLUTION_1;
  /* dynamic and interval spatial dims */
  expect_ok(m, conv(m, C, "1,3,?,2..10", "8,3,3,3", "2,2", "1,1", "1,1", "1,1"), "1,8,1..,1..5");
  expect_ok(m, conv(m, C, "1,3,1..10,5", "8,3,3,3", "1,1", "0,0", "0,0", "1,1"), "1,8,1..8,3");
  /* 3-D with strides, dilations and asymmetric pads */
  expect_ok(m, conv(m, C, "2,4,9,10,11", "6,4,3,2,3", "2,1,3", "1,0,2", "0,1,1", "2,1,2"),
            "2,6,3,10,4");
  /* 1-D */
  expect_ok(m, conv(m, C, "1,4,10", "6,4,3", "2", "1", "1", "1"), "1,6,5");
  /* auto_pad */
  ir_op *op = conv(m, C, "1,4,10,11", "6,4,4,3", "3,2", "0,0", "0,0", "2,1");
  attr(m, op, "auto_pad", "same_lower");
  expect_ok(m, op, "1,6,4,6");
  op = conv(m, C, "1,4,10,11", "6,4,4,3", "3,2", "5,5", "5,5", "2,1");
  attr(m, op, "auto_pad", "valid"); /* pads ignored */
  expect_ok(m, op, "1,6,2,5");
  op = conv(m, C, "1,3,?,2..10", "8,3,3,3", "2,2", "0,0", "0,0", "1,1");
  attr(m, op, "auto_pad", "same_upper");
  expect_ok(m, op, "1,8,?,1..5");
  op = conv(m, C, "1,3,224,224", "64,3,7,7", "2,2", "0,0", "0,0", "1,1");
  attr(m, op, "auto_pad", "SAME_UPPER"); /* enum case-insensitive */
  expect_ok(m, op, "1,64,112,112");
  /* dynamic rank data: rank from the filters */
  expect_ok(m, conv(m, C, "...", "8,3,3,3", "1,1", "0,0", "0,0", "1,1"), "?,8,1..,1..");
  /* errors */
  expect_err(m, conv(m, C, "1,3,5,5", "8,3,7,3", "1,1", "0,0", "0,0", "1,1"),
             "kernel 7 (after dilation) larger than padded input 5 along axis 2");
  expect_err(m, conv(m, C, "1,3,5,5", "8,3,3,3", "1,1", "0,0", "0,0", "3,1"),
             "kernel 7 (after dilation) larger than padded input 5 along axis 2");
  expect_err(m, conv(m, C, "1,4,5,5", "8,3,3,3", "1,1", "0,0", "0,0", "1,1"),
             "input 0: channels 4 do not match filter input channels 3");
  expect_err(m, conv(m, C, "1,3,5,5", "8,3,3,3", "1,1,1", "0,0", "0,0", "1,1"),
             "attribute 'strides': expected 2 values (spatial rank), got 3");
  expect_err(m, conv(m, C, "1,3,5,5", "8,3,3,3", "1,0", "0,0", "0,0", "1,1"),
             "attribute 'strides': value 0 at index 1 must be positive");
  expect_err(m, conv(m, C, "1,3,5,5", "8,3,3,3", "1,1", "0,0", "0,0", "1,-1"),
             "attribute 'dilations': value -1 at index 1 must be positive");
  expect_err(m, conv(m, C, "1,3,5,5", "8,3,3,3", "1,1", "0", "0,0", "1,1"),
             "attribute 'pads_begin': expected 2 values (spatial rank), got 1");
  expect_err(m, conv(m, C, "1,4,10", "6,4,3,3", "1", "0", "0", "1"),
             "input 1 (filters): rank 4 does not match data rank 3 (expected 3)");
  expect_err(m, conv(m, C, "1,4", "6,4", "", "", "", ""), "expected rank 3, 4 or 5");
  ir_op *bad = mk(m, C, 1, 2, P32(m, "1,3,5,5"), P(m, IR_ET_F16, "8,3,3,3"));
  attr(m, bad, "strides", "1,1");
  attr(m, bad, "pads_begin", "0,0");
  attr(m, bad, "pads_end", "0,0");
  attr(m, bad, "dilations", "1,1");
  expect_err(m, bad, "element types of data (f32) and filters (f16) do not match");
  ir_model_free(m);
}

static void test_group_conv(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_op_id G = IR_OP_GROUPCONVOLUTION_1;
  expect_ok(m, conv(m, G, "1,16,5,5", "4,3,4,3,3", "1,1", "1,1", "1,1", "1,1"), "1,12,5,5");
  /* depthwise */
  expect_ok(m, conv(m, G, "1,16,5,5", "16,1,1,3,3", "2,2", "1,1", "1,1", "1,1"), "1,16,3,3");
  expect_ok(m, conv(m, G, "?,?,?,?", "16,1,1,3,3", "2,2", "1,1", "1,1", "1,1"), "?,16,1..,1..");
  expect_err(m, conv(m, G, "1,15,5,5", "4,3,4,3,3", "1,1", "1,1", "1,1", "1,1"),
             "input 0: channels 15 are not divisible by groups 4");
  expect_err(m, conv(m, G, "1,12,5,5", "4,3,4,3,3", "1,1", "1,1", "1,1", "1,1"),
             "input 0: channels 12 do not match groups 4 x filter input channels 4");
  expect_err(m, conv(m, G, "1,16,5,5", "16,1,3,3", "1,1", "1,1", "1,1", "1,1"),
             "rank 4 does not match data rank 4 (expected 5)");
  ir_model_free(m);
}

static void test_conv_backprop(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_op_id B = IR_OP_CONVOLUTIONBACKPROPDATA_1;
  expect_ok(m, conv(m, B, "1,16,5,5", "16,8,3,3", "2,2", "1,1", "1,1", "1,1"), "1,8,9,9");
  ir_op *op = conv(m, B, "1,16,5,5", "16,8,3,3", "2,2", "1,1", "1,1", "1,1");
  attr(m, op, "output_padding", "1,0");
  expect_ok(m, op, "1,8,10,9");
  op = conv(m, B, "1,16,5,5", "16,8,3,3", "2,3", "0,1", "2,0", "2,3");
  attr(m, op, "output_padding", "1,2");
  expect_ok(m, op, "1,8,12,20");
  op = conv(m, B, "1,16,5", "16,8,3", "3", "0", "0", "2");
  attr(m, op, "output_padding", "2");
  expect_ok(m, op, "1,8,19");
  expect_ok(m, conv(m, B, "1,16,?,2..4", "16,8,3,3", "2,2", "1,1", "1,1", "1,1"), "1,8,1..,3..7");
  /* same_* without output_shape: no padding; valid likewise */
  op = conv(m, B, "1,16,5,5", "16,8,3,3", "2,2", "1,1", "1,1", "1,1");
  attr(m, op, "auto_pad", "same_upper");
  expect_ok(m, op, "1,8,11,11");
  op = conv(m, B, "1,16,5,5", "16,8,3,3", "2,2", "1,1", "1,1", "1,1");
  attr(m, op, "auto_pad", "valid");
  expect_ok(m, op, "1,8,11,11");
  /* output_shape input */
  int64_t os[] = {10, 11};
  ir_value *osv = CI(m, os, 2);
  op = conv(m, B, "1,16,5,5", "16,8,3,3", "2,2", "1,1", "1,1", "1,1");
  op = mk(m, B, 1, 3, ir_op_operand(op, 0), ir_op_operand(op, 1), osv);
  attr(m, op, "strides", "2,2");
  attr(m, op, "pads_begin", "1,1");
  attr(m, op, "pads_end", "1,1");
  attr(m, op, "dilations", "1,1");
  attr(m, op, "auto_pad", "same_upper");
  expect_ok(m, op, "1,8,10,11");
  ir_op *op2 = mk(m, B, 1, 3, ir_op_operand(op, 0), ir_op_operand(op, 1), P(m, IR_ET_I64, "2"));
  attr(m, op2, "strides", "2,2");
  attr(m, op2, "pads_begin", "1,1");
  attr(m, op2, "pads_end", "1,1");
  attr(m, op2, "dilations", "1,1");
  expect_ok(m, op2, "1,8,?,?");
  op2 = mk(m, B, 1, 3, ir_op_operand(op, 0), ir_op_operand(op, 1), P(m, IR_ET_I64, "3"));
  attr(m, op2, "strides", "2,2");
  attr(m, op2, "pads_begin", "1,1");
  attr(m, op2, "pads_end", "1,1");
  attr(m, op2, "dilations", "1,1");
  expect_err(m, op2, "input 2 (output_shape): expected 2 values (spatial rank), got 3");
  /* errors; OpenVINO gives [1,8,?,?] for the negative size, ovcc rejects it */
  expect_err(m, conv(m, B, "1,16,1,1", "16,8,1,1", "1,1", "1,1", "1,1", "1,1"),
             "output size -1 along axis 2 is negative");
  expect_err(m, conv(m, B, "1,15,5,5", "16,8,3,3", "2,2", "1,1", "1,1", "1,1"),
             "input 0: channels 15 do not match filter input channels 16");
  op = conv(m, B, "1,16,5,5", "16,8,3,3", "2,2", "1,1", "1,1", "1,1");
  attr(m, op, "output_padding", "1");
  expect_err(m, op, "attribute 'output_padding': expected 2 values (spatial rank), got 1");
  /* grouped */
  ir_op_id GB = IR_OP_GROUPCONVOLUTIONBACKPROPDATA_1;
  expect_ok(m, conv(m, GB, "1,16,5,5", "4,4,2,3,3", "2,2", "1,1", "1,1", "1,1"), "1,8,9,9");
  expect_err(m, conv(m, GB, "1,15,5,5", "4,4,2,3,3", "2,2", "1,1", "1,1", "1,1"),
             "not divisible by groups 4");
  ir_model_free(m);
}

/* ---- pooling ---- */

static ir_op *pool(ir_model *m, ir_op_id id, const char *x, const char *k, const char *s,
                   const char *pb, const char *pe, const char *rounding) {
  int nout = ir_op_info_get(id)->n_out;
  ir_op *op = mk(m, id, nout, 1, P32(m, x));
  attr(m, op, "kernel", k);
  attr(m, op, "strides", s);
  attr(m, op, "pads_begin", pb);
  attr(m, op, "pads_end", pe);
  attr(m, op, "rounding_type", rounding);
  if (id == IR_OP_AVGPOOL_1 || id == IR_OP_AVGPOOL_14 || id == IR_OP_AVGPOOL_16)
    attr(m, op, "exclude-pad", "false");
  return op;
}

static void test_pool(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_op *op = pool(m, IR_OP_MAXPOOL_1, "1,3,32,32", "3,3", "2,2", "0,0", "0,0", "floor");
  expect_ok(m, op, "1,3,15,15");
  op = pool(m, IR_OP_MAXPOOL_14, "1,3,5,5", "2,2", "2,2", "1,1", "1,1", "ceil_torch");
  expect_ok(m, op, "1,3,3,3");
  expect_shape(op, 1, "1,3,3,3");
  assert_int_equal(op->results[1].type.et, IR_ET_I64);
  op = pool(m, IR_OP_MAXPOOL_8, "1,3,5,5", "2,2", "2,2", "1,1", "1,1", "ceil");
  attr(m, op, "index_element_type", "i32");
  expect_ok(m, op, "1,3,4,4");
  assert_int_equal(op->results[1].type.et, IR_ET_I32);
  op = pool(m, IR_OP_MAXPOOL_14, "1,3,?,3..9", "2,2", "2,2", "1,1", "1,1", "ceil_torch");
  expect_ok(m, op, "1,3,1..,2..5");
  op = pool(m, IR_OP_AVGPOOL_14, "1,3,6,6", "2,2", "2,2", "1,1", "1,1", "ceil_torch");
  expect_ok(m, op, "1,3,4,4");
  op = pool(m, IR_OP_AVGPOOL_1, "1,3,7,9", "3,3", "2,2", "0,0", "0,0", "floor");
  attr(m, op, "auto_pad", "same_upper");
  expect_ok(m, op, "1,3,4,5");
  /* dilated MaxPool-8 */
  op = pool(m, IR_OP_MAXPOOL_8, "1,3,10,10", "3,3", "1,1", "0,0", "0,0", "floor");
  attr(m, op, "dilations", "2,3");
  expect_ok(m, op, "1,3,6,4");
  /* errors */
  op = pool(m, IR_OP_AVGPOOL_14, "1,3,6,6", "2,2", "1,1", "2,2", "0,0", "floor");
  attr(m, op, "exclude-pad", "true");
  expect_err(m, op, "fits entirely in the padding");
  expect_err(m, pool(m, IR_OP_MAXPOOL_14, "1,3,5,5", "7,2", "1,1", "0,0", "0,0", "floor"),
             "kernel 7 (after dilation) larger than padded input 5 along axis 2");
  expect_err(m, pool(m, IR_OP_MAXPOOL_1, "1,3,5,5", "0,2", "1,1", "0,0", "0,0", "floor"),
             "attribute 'kernel': value 0 at index 0 must be positive");
  expect_err(m, pool(m, IR_OP_MAXPOOL_1, "1,3,5,5", "2,2,2", "1,1", "0,0", "0,0", "floor"),
             "attribute 'kernel': expected 2 values (spatial rank), got 3");
  op = pool(m, IR_OP_MAXPOOL_8, "1,3,5,5", "2,2", "1,1", "0,0", "0,0", "floor");
  attr(m, op, "axis", "4");
  expect_err(m, op, "attribute 'axis': axis 4 is out of range for rank 4");
  op = pool(m, IR_OP_MAXPOOL_1, "1,3,5,5", "2,2", "1,1", "0,0", "0,0", "floor");
  ir_attr_value bad = {.kind = IR_ATTR_STR, .u.s = "ceil_torch"};
  assert_true(ir_op_set_attr(m, op, "rounding_type", &bad));
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(ir_op_apply_schema(m, op, &d), OVCC_ERR_INVALID_MODEL); /* v1: no ceil_torch */
  ir_model_free(m);
}

static void test_adaptive_pool(void **state) {
  (void)state;
  ir_model *m = new_model();
  int64_t o2[] = {3, 2}, o3[] = {3, 2, 1};
  expect_ok(m, mk(m, IR_OP_ADAPTIVEAVGPOOL_8, 1, 2, P32(m, "1,3,9,9"), CI(m, o2, 2)), "1,3,3,2");
  ir_op *op = mk(m, IR_OP_ADAPTIVEMAXPOOL_8, 2, 2, P32(m, "1,3,9,9"), CI(m, o2, 2));
  attr(m, op, "index_element_type", "i32");
  expect_ok(m, op, "1,3,3,2");
  expect_shape(op, 1, "1,3,3,2");
  assert_int_equal(op->results[1].type.et, IR_ET_I32);
  expect_ok(m, mk(m, IR_OP_ADAPTIVEAVGPOOL_8, 1, 2, P32(m, "1,3,9,9"), P(m, IR_ET_I64, "2")),
            "1,3,?,?");
  expect_err(m, mk(m, IR_OP_ADAPTIVEAVGPOOL_8, 1, 2, P32(m, "1,3,9,9"), CI(m, o3, 3)),
             "expected 2 values (spatial rank), got 3");
  ir_model_free(m);
}

/* ---- matmul, einsum ---- */

static ir_op *matmul(ir_model *m, const char *a, const char *b, bool ta, bool tb) {
  ir_op *op = mk(m, IR_OP_MATMUL_1, 1, 2, P32(m, a), P32(m, b));
  attr(m, op, "transpose_a", ta ? "true" : "false");
  attr(m, op, "transpose_b", tb ? "true" : "false");
  return op;
}

static void test_matmul(void **state) {
  (void)state;
  ir_model *m = new_model();
  expect_ok(m, matmul(m, "?,1,2,3", "5,?,3,4", false, false), "5,?,2,4");
  expect_ok(m, matmul(m, "...", "3,4", false, false), "...");
  expect_ok(m, matmul(m, "3", "2,3,4", true, false), "2,4"); /* transpose ignored for 1-D */
  expect_ok(m, matmul(m, "2,5,3", "3", false, true), "2,5");
  expect_ok(m, matmul(m, "3", "3", false, false), "");
  expect_ok(m, matmul(m, "2,?,16", "32,16", false, true), "2,?,32");
  expect_ok(m, matmul(m, "1,8,16,4", "8,16,5", true, false), "1,8,4,5");
  expect_err(m, matmul(m, "2,3", "4,5", false, false),
             "inner dims do not match: input 0 has K=3, input 1 has K=4");
  expect_err(m, matmul(m, "2,2,3", "4,3,5", false, false),
             "batch dims do not broadcast: input 0 dim 0 is 2, input 1 dim 0 is 4");
  expect_err(m, matmul(m, "", "3", false, false), "scalars are not supported");
  ir_op *op = mk(m, IR_OP_MATMUL_1, 1, 2, P32(m, "2,3"), P(m, IR_ET_F16, "3,4"));
  expect_err(m, op, "element types of input 0 (f32) and input 1 (f16) do not match");
  ir_model_free(m);
}

static ir_op *einsum(ir_model *m, const char *eq, const char *a, const char *b) {
  ir_op *op = b ? mk(m, IR_OP_EINSUM_7, 1, 2, P32(m, a), P32(m, b))
                : mk(m, IR_OP_EINSUM_7, 1, 1, P32(m, a));
  attr(m, op, "equation", eq);
  return op;
}

static void test_einsum(void **state) {
  (void)state;
  ir_model *m = new_model();
  expect_ok(m, einsum(m, "ij,jk", "2,3", "3,4"), "2,4");
  expect_ok(m, einsum(m, "ba,ac", "2,3", "3,4"), "2,4");
  expect_ok(m, einsum(m, "...ij,jk", "5,2,3", "3,4"), "5,2,4");
  expect_ok(m, einsum(m, "...ij,...jk->...ik", "5,1,2,3", "7,3,4"), "5,7,2,4");
  expect_ok(m, einsum(m, "a...b,bc", "3,5,6,4", "4,2"), "5,6,3,2");
  expect_ok(m, einsum(m, "ij,jk->ik", "2,1", "3,4"), "2,4"); /* size-1 label broadcasts */
  expect_ok(m, einsum(m, "iJ", "3,4", NULL), "4,3");         /* ASCII order: J before i */
  expect_ok(m, einsum(m, "ii->i", "3,3", NULL), "3");
  expect_ok(m, einsum(m, "...i,...i->...", "2,1,3", "4,3"), "2,4");
  expect_ok(m, einsum(m, "...b,bc->...c", "...", "5,2"), "...");
  expect_ok(m, einsum(m, "ab,bc->ac", "...", "5,2"), "?,2");
  expect_ok(m, einsum(m, "bhqd,bhkd->bhqk", "2,8,5,64", "2,8,7,64"), "2,8,5,7");
  expect_err(m, einsum(m, "ab,bc->ac", "3,5", "4,2"), "label 'b' has dim 4 here and 5 elsewhere");
  expect_err(m, einsum(m, "ab,bc->ac", "3,5,6,4", "4,2"), "input 0: rank 4 does not match");
  expect_err(m, einsum(m, "a1,bc->a", "3,5", "5,2"), "invalid character '1'");
  expect_err(m, einsum(m, "ab,bc->ad", "3,5", "5,2"), "output label 'd' appears in no input");
  expect_err(m, einsum(m, "ab,bc->ac", "3,5", NULL), "2 input subscripts for 1 inputs");
  expect_err(m, einsum(m, "a....b,bc", "3,5", "5,2"), "at most one ellipsis");
  ir_model_free(m);
}

/* ---- softmax, normalization ---- */

static void test_softmax_norm(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_op *op = mk(m, IR_OP_SOFTMAX_8, 1, 1, P32(m, "2,3"));
  attr(m, op, "axis", "-1");
  expect_ok(m, op, "2,3");
  op = mk(m, IR_OP_SOFTMAX_1, 1, 1, P32(m, "2,3"));
  attr(m, op, "axis", "-1");
  expect_err(m, op, "Softmax-1 takes no negative axes");
  op = mk(m, IR_OP_SOFTMAX_8, 1, 1, P32(m, "2,3"));
  attr(m, op, "axis", "2");
  expect_err(m, op, "attribute 'axis': axis 2 is out of range for rank 2");
  op = mk(m, IR_OP_LOGSOFTMAX_5, 1, 1, P32(m, "..."));
  attr(m, op, "axis", "7");
  expect_ok(m, op, "...");

  int64_t ax[] = {-1, 5}, one[] = {1};
  op = mk(m, IR_OP_MVN_6, 1, 2, P32(m, "2,3,4"), CI(m, one, 1));
  attr(m, op, "normalize_variance", "true");
  attr(m, op, "eps", "1e-5");
  attr(m, op, "eps_mode", "inside_sqrt");
  expect_ok(m, op, "2,3,4");
  /* OpenVINO accepts this at build time; ovcc checks known axes */
  op = mk(m, IR_OP_MVN_6, 1, 2, P32(m, "2,3,4"), CI(m, ax, 2));
  attr(m, op, "normalize_variance", "true");
  attr(m, op, "eps", "1e-5");
  attr(m, op, "eps_mode", "inside_sqrt");
  expect_err(m, op, "input 1 (axes): axis 5 is out of range for rank 3");

  /* BatchNormInference: -1 takes gamma, beta, data, mean, variance */
  op = mk(m, IR_OP_BATCHNORMINFERENCE_1, 1, 5, P32(m, "3"), P32(m, "3"), P32(m, "2,3,4"),
          P32(m, "3"), P32(m, "3"));
  attr(m, op, "epsilon", "1e-5");
  expect_ok(m, op, "2,3,4");
  op = mk(m, IR_OP_BATCHNORMINFERENCE_5, 1, 5, P32(m, "2,?,4"), P32(m, "3"), P32(m, "3"),
          P32(m, "3"), P32(m, "3"));
  attr(m, op, "epsilon", "1e-5");
  expect_ok(m, op, "2,3,4"); /* channels refined from the parameters */
  op = mk(m, IR_OP_BATCHNORMINFERENCE_5, 1, 5, P32(m, "2,3,4"), P32(m, "3"), P32(m, "3"),
          P32(m, "3"), P32(m, "4"));
  attr(m, op, "epsilon", "1e-5");
  expect_err(m, op, "input 4 (variance): 4 values do not match channels 3");

  op = mk(m, IR_OP_GROUPNORMALIZATION_12, 1, 3, P32(m, "2,6,4"), P32(m, "6"), P32(m, "6"));
  attr(m, op, "num_groups", "3");
  attr(m, op, "epsilon", "1e-5");
  expect_ok(m, op, "2,6,4");
  op = mk(m, IR_OP_GROUPNORMALIZATION_12, 1, 3, P32(m, "2,6,4"), P32(m, "6"), P32(m, "6"));
  attr(m, op, "num_groups", "4");
  attr(m, op, "epsilon", "1e-5");
  expect_err(m, op, "channels 6 are not divisible by num_groups 4");

  int64_t three[] = {3};
  op = mk(m, IR_OP_NORMALIZEL2_1, 1, 2, P32(m, "2,6,4"), CI(m, three, 1));
  attr(m, op, "eps", "1e-5");
  attr(m, op, "eps_mode", "add");
  expect_err(m, op, "axis 3 is out of range for rank 3");
  op = mk(m, IR_OP_LRN_1, 1, 2, P32(m, "2,6,4,4"), CI(m, one, 1));
  attr(m, op, "size", "5");
  expect_ok(m, op, "2,6,4,4");
  ir_model_free(m);
}

/* ---- reductions, cumsum, topk ---- */

static ir_op *reduce(ir_model *m, ir_op_id id, const char *x, ir_value *axes, bool keep) {
  ir_op *op = mk(m, id, 1, 2, P32(m, x), axes);
  attr(m, op, "keep_dims", keep ? "true" : "false");
  return op;
}

static void test_reduce(void **state) {
  (void)state;
  ir_model *m = new_model();
  int64_t a1[] = {1, -2}, a2[] = {-1}, a3[] = {3}, z = 0;
  expect_ok(m, reduce(m, IR_OP_REDUCESUM_1, "4,7,8", CI(m, a1, 2), false), "4,8");
  expect_ok(m, reduce(m, IR_OP_REDUCEMEAN_1, "4,7,8", CI(m, a2, 1), true), "4,7,1");
  expect_ok(m, reduce(m, IR_OP_REDUCEMAX_1, "4,?,8", CI(m, a2, 1), false), "4,?");
  expect_ok(m, reduce(m, IR_OP_REDUCEMIN_1, "4,7,8", CI(m, &z, -1), false), "7,8");
  expect_ok(m, reduce(m, IR_OP_REDUCESUM_1, "4,7,8", CI(m, a1, 0), false), "4,7,8");
  expect_ok(m, reduce(m, IR_OP_REDUCESUM_1, "4,7,8", P(m, IR_ET_I64, "2"), true), "?,?,?");
  expect_ok(m, reduce(m, IR_OP_REDUCESUM_1, "4,7,8", P(m, IR_ET_I64, "2"), false), "...");
  expect_ok(m, reduce(m, IR_OP_REDUCEL2_4, "...", CI(m, a2, 1), true), "...");
  expect_err(m, reduce(m, IR_OP_REDUCEPROD_1, "4,7,8", CI(m, a3, 1), false),
             "input 1 (axes): axis 3 is out of range for rank 3");
  expect_err(m, reduce(m, IR_OP_REDUCELOGICALAND_1, "4,7,8", CI(m, a2, 1), false),
             "input 0: expected boolean, got f32");
  expect_err(m, reduce(m, IR_OP_REDUCESUM_1, "4,7,8", P(m, IR_ET_I64, "1,1"), false),
             "input 1 (axes): expected a scalar or 1-D tensor, got rank 2");
  expect_err(m, reduce(m, IR_OP_REDUCESUM_1, "4,7,8", P(m, IR_ET_F32, "1"), false),
             "input 1 (axes): expected an integer type, got f32");

  expect_ok(m, mk(m, IR_OP_CUMSUM_3, 1, 2, P32(m, "2,6,4"), CI(m, a2, -1)), "2,6,4");
  expect_ok(m, mk(m, IR_OP_CUMSUM_3, 1, 1, P32(m, "2,6,4")), "2,6,4");
  expect_err(m, mk(m, IR_OP_CUMSUM_3, 1, 2, P32(m, "2,6,4"), CI(m, a3, -1)),
             "axis 3 is out of range for rank 3");
  ir_model_free(m);
}

static ir_op *topk(ir_model *m, const char *x, ir_value *k, const char *axis) {
  ir_op *op = mk(m, IR_OP_TOPK_11, 2, 2, P32(m, x), k);
  attr(m, op, "axis", axis);
  attr(m, op, "mode", "max");
  attr(m, op, "sort", "value");
  return op;
}

static void test_topk(void **state) {
  (void)state;
  ir_model *m = new_model();
  int64_t two = 2, nine = 9, five = 5, neg = -1;
  ir_op *op = topk(m, "4,7,8", CI(m, &two, -1), "-1");
  attr(m, op, "index_element_type", "i64");
  expect_ok(m, op, "4,7,2");
  expect_shape(op, 1, "4,7,2");
  assert_int_equal(op->results[0].type.et, IR_ET_F32);
  assert_int_equal(op->results[1].type.et, IR_ET_I64);
  op = topk(m, "4,2..10,8", P(m, IR_ET_I64, ""), "1");
  expect_ok(m, op, "4,..10,8");
  assert_int_equal(op->results[1].type.et, IR_ET_I32);            /* default index type */
  expect_ok(m, topk(m, "4,7,8", CI(m, &nine, -1), "1"), "4,9,8"); /* as OpenVINO */
  expect_ok(m, topk(m, "4,3..10,8", CI(m, &five, -1), "1"), "4,5,8");
  expect_err(m, topk(m, "4,7,8", CI(m, &neg, -1), "1"), "input 1 (k): -1 must be non-negative");
  expect_err(m, topk(m, "4,7,8", CI(m, &two, 1), "1"),
             "input 1 (k): expected a scalar, got rank 1");
  expect_err(m, topk(m, "4,7,8", CI(m, &two, -1), "3"), "axis 3 is out of range for rank 3");
  op = topk(m, "4,7,8", CI(m, &two, -1), "1");
  attr(m, op, "index_element_type", "f32");
  expect_err(m, op, "attribute 'index_element_type': expected i32 or i64, got f32");
  ir_model_free(m);
}

static void test_sdpa(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_op_id S = IR_OP_SCALEDDOTPRODUCTATTENTION_13;
  expect_ok(m, mk(m, S, 1, 3, P32(m, "2,8,5,64"), P32(m, "2,8,7,64"), P32(m, "2,8,7,32")),
            "2,8,5,32");
  expect_ok(m, mk(m, S, 1, 3, P32(m, "2,8,5,64"), P32(m, "1,8,7,64"), P32(m, "2,1,7,32")),
            "2,8,5,32");
  expect_ok(m, mk(m, S, 1, 3, P32(m, "8,5,64"), P32(m, "8,7,64"), P32(m, "8,7,32")), "8,5,32");
  expect_ok(m, mk(m, S, 1, 3, P32(m, "2,8,5,64"), P32(m, "8,7,64"), P32(m, "8,7,32")), "2,8,5,32");
  expect_ok(m,
            mk(m, S, 1, 5, P32(m, "1,32,?,128"), P32(m, "1,32,?,128"), P32(m, "1,32,?,128"),
               P32(m, "1,1,?,?"), P32(m, "")),
            "1,32,?,128");
  expect_err(m, mk(m, S, 1, 3, P32(m, "2,8,5,64"), P32(m, "2,8,7,63"), P32(m, "2,8,7,32")),
             "input 1 (key): embedding dim 63 does not match the query's 64");
  expect_err(m, mk(m, S, 1, 3, P32(m, "2,8,5,64"), P32(m, "2,8,7,64"), P32(m, "2,8,6,32")),
             "input 2 (value): sequence dim 6 does not match the key's 7");
  expect_err(m, mk(m, S, 1, 3, P32(m, "4,8,5,64"), P32(m, "2,8,7,64"), P32(m, "2,8,7,32")),
             "input 1 (key): batch dims do not broadcast");
  ir_model_free(m);
}

/* ---- evaluators ---- */

static ir_tensor *eval1(ir_model *m, ir_op *op) {
  ir_diag d;
  if (infer(m, op, &d) != OVCC_OK)
    fail_msg("infer: %s", d.msg);
  ir_tensor *outs[2];
  ir_diag_clear(&d);
  if (ir_eval_op(op, outs, 1 << 20, &d) != OVCC_OK)
    fail_msg("eval: %s", d.msg);
  return outs[0];
}

static void expect_f32(const ir_tensor *t, const float *want, uint64_t n) {
  assert_int_equal(t->numel, n);
  for (uint64_t i = 0; i < n; i++) {
    float got = ((const float *)t->data)[i];
    if (got != want[i])
      fail_msg("element %llu: got %g, want %g", (unsigned long long)i, got, want[i]);
  }
}

static void test_eval_reduce(void **state) {
  (void)state;
  ir_model *m = new_model();
  const float x[] = {1, -2, 3, 4, 5, -6}; /* [2, 3] */
  int64_t ax0[] = {0}, ax1[] = {-1}, both[] = {0, 1};
  ir_op *op = mk(m, IR_OP_REDUCESUM_1, 1, 2, CF(m, x, "2,3"), CI(m, ax1, 1));
  attr(m, op, "keep_dims", "true");
  expect_f32(eval1(m, op), (const float[]){2, 3}, 2);
  expect_shape(op, 0, "2,1");
  op = mk(m, IR_OP_REDUCEMAX_1, 1, 2, CF(m, x, "2,3"), CI(m, ax0, 1));
  expect_f32(eval1(m, op), (const float[]){4, 5, 3}, 3);
  op = mk(m, IR_OP_REDUCEMIN_1, 1, 2, CF(m, x, "2,3"), CI(m, both, 2));
  expect_f32(eval1(m, op), (const float[]){-6}, 1);
  op = mk(m, IR_OP_REDUCEMEAN_1, 1, 2, CF(m, x, "2,3"), CI(m, ax0, 1));
  expect_f32(eval1(m, op), (const float[]){2.5f, 1.5f, -1.5f}, 3);
  op = mk(m, IR_OP_REDUCEPROD_1, 1, 2, CF(m, x, "2,3"), CI(m, ax1, 1));
  expect_f32(eval1(m, op), (const float[]){-6, -120}, 2);
  op = mk(m, IR_OP_REDUCEL1_4, 1, 2, CF(m, x, "2,3"), CI(m, ax1, 1));
  expect_f32(eval1(m, op), (const float[]){6, 15}, 2);
  const float y[] = {3, 4, 0, 0};
  op = mk(m, IR_OP_REDUCEL2_4, 1, 2, CF(m, y, "2,2"), CI(m, ax1, 1));
  expect_f32(eval1(m, op), (const float[]){5, 0}, 2);
  /* 3-D, two axes, and a middle axis (numpy sum/max) */
  float z[24];
  for (int i = 0; i < 24; i++)
    z[i] = (float)(i % 5) - 2;
  int64_t ax02[] = {0, 2};
  op = mk(m, IR_OP_REDUCESUM_1, 1, 2, CF(m, z, "2,3,4"), CI(m, ax02, 2));
  expect_f32(eval1(m, op), (const float[]){-1, 1, -2}, 3);
  int64_t mid[] = {1};
  op = mk(m, IR_OP_REDUCEMAX_1, 1, 2, CF(m, z, "2,3,4"), CI(m, mid, 1));
  expect_f32(eval1(m, op), (const float[]){2, 2, 0, 1, 0, 1, 2, 2}, 8);
  /* integer data: i64 ReduceMean truncates */
  const int64_t xi[] = {1, 2, 4, 7};
  op = mk(m, IR_OP_REDUCEMEAN_1, 1, 2, CI(m, xi, 4), CI(m, ax0, 1));
  ir_tensor *t = eval1(m, op);
  assert_int_equal(t->et, IR_ET_I64);
  assert_int_equal(((const int64_t *)t->data)[0], 3);
  ir_model_free(m);
}

static void test_eval_matmul(void **state) {
  (void)state;
  ir_model *m = new_model();
  const float a[] = {1, 2, 3, 4, 5, 6};  /* [2, 3] */
  const float b[] = {1, 0, 0, 1, 1, 1};  /* [3, 2] */
  const float bt[] = {1, 0, 1, 0, 1, 1}; /* b transposed: [2, 3] */
  const float v[] = {1, 1, 1};           /* [3] */
  ir_op *op = mk(m, IR_OP_MATMUL_1, 1, 2, CF(m, a, "2,3"), CF(m, b, "3,2"));
  expect_f32(eval1(m, op), (const float[]){4, 5, 10, 11}, 4);
  op = mk(m, IR_OP_MATMUL_1, 1, 2, CF(m, a, "2,3"), CF(m, bt, "2,3"));
  attr(m, op, "transpose_b", "true");
  expect_f32(eval1(m, op), (const float[]){4, 5, 10, 11}, 4);
  op = mk(m, IR_OP_MATMUL_1, 1, 2, CF(m, a, "3,2"), CF(m, a, "3,2"));
  attr(m, op, "transpose_a", "true"); /* [2,3] x [3,2]: a^T a */
  expect_f32(eval1(m, op), (const float[]){35, 44, 44, 56}, 4);
  op = mk(m, IR_OP_MATMUL_1, 1, 2, CF(m, a, "2,3"), CF(m, v, "3"));
  expect_f32(eval1(m, op), (const float[]){6, 15}, 2);
  expect_shape(op, 0, "2");
  /* batch broadcast: [2,1,3] x [3,1] -> [2,1,1] */
  op = mk(m, IR_OP_MATMUL_1, 1, 2, CF(m, a, "2,1,3"), CF(m, v, "3,1"));
  expect_f32(eval1(m, op), (const float[]){6, 15}, 2);
  expect_shape(op, 0, "2,1,1");
  /* [1,3] x [2,3,1] -> [2,1,1] (b batched, a broadcast) */
  op = mk(m, IR_OP_MATMUL_1, 1, 2, CF(m, v, "1,3"), CF(m, a, "2,3,1"));
  expect_f32(eval1(m, op), (const float[]){6, 15}, 2);
  /* both batched: [2,1,2,3] x [3,2,3]^T -> [2,3,2,2] (numpy.matmul) */
  float a4[12], b3[18];
  for (int i = 0; i < 12; i++)
    a4[i] = (float)i - 5;
  for (int i = 0; i < 18; i++)
    b3[i] = (float)(i % 7) - 3;
  op = mk(m, IR_OP_MATMUL_1, 1, 2, CF(m, a4, "2,1,2,3"), CF(m, b3, "3,2,3"));
  attr(m, op, "transpose_b", "true");
  expect_f32(eval1(m, op), (const float[]){26,  -10, 8,   -1, 3,  2, -3,  2, -13, 14, -7, 5,
                                           -10, 8,   -28, 17, -9, 2, -15, 2, -1,  -4, 5,  -13},
             24);
  expect_shape(op, 0, "2,3,2,2");
  ir_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_conv),          cmocka_unit_test(test_group_conv),
      cmocka_unit_test(test_conv_backprop), cmocka_unit_test(test_pool),
      cmocka_unit_test(test_adaptive_pool), cmocka_unit_test(test_matmul),
      cmocka_unit_test(test_einsum),        cmocka_unit_test(test_softmax_norm),
      cmocka_unit_test(test_reduce),        cmocka_unit_test(test_topk),
      cmocka_unit_test(test_sdpa),          cmocka_unit_test(test_eval_reduce),
      cmocka_unit_test(test_eval_matmul),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
