/* Shape functions and evaluators of the data-movement ops (shape_movement.c,
 * eval_movement.c, slice_plan.c). Expected values of the tricky cases
 * (StridedSlice masks, Slice clamping, Interpolate scales, Pad modes, Gather-8)
 * were produced with OpenVINO's Python API and are hard-coded here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ir/ir.h"

/* ---- graph building helpers ---- */

static ir_model *new_model(void) {
  ir_model *m = NULL;
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(ir_model_create(&m, &d), OVCC_OK);
  return m;
}

static ir_shape parse_shape(const char *s) {
  ir_shape sh;
  ir_diag d;
  ir_diag_clear(&d);
  assert_true(ir_shape_parse(s, strlen(s), &sh, &d));
  return sh;
}

static ir_value *param(ir_model *m, ir_etype et, const char *shape) {
  ir_op *op = ir_op_create(m, IR_OP_PARAMETER_1, 0, 1);
  assert_non_null(op);
  op->results[0].type.et = et;
  op->results[0].type.shape = parse_shape(shape);
  ir_attr_value a = {.kind = IR_ATTR_ETYPE, .u.et = et};
  ir_attr_value s = {.kind = IR_ATTR_SHAPE, .u.shape = &op->results[0].type.shape};
  assert_true(ir_op_set_attr(m, op, "element_type", &a));
  assert_true(ir_op_set_attr(m, op, "shape", &s));
  ir_graph_insert(m->main, op, NULL);
  assert_true(ir_graph_add_param(m->main, op));
  return &op->results[0];
}

static ir_value *cst(ir_model *m, ir_etype et, const char *shape, const void *data, size_t n) {
  ir_type t = {et, parse_shape(shape)};
  ir_op *op = ir_const_create(m, &t, data, n);
  assert_non_null(op);
  ir_graph_insert(m->main, op, NULL);
  return &op->results[0];
}

static ir_value *ci64(ir_model *m, const int64_t *v, int n) {
  char sh[16];
  static const int64_t none = 0;
  snprintf(sh, sizeof sh, "%d", n);
  return cst(m, IR_ET_I64, sh, v ? v : &none, (size_t)n * 8);
}

static ir_value *scalar_i64(ir_model *m, int64_t v) { return cst(m, IR_ET_I64, "", &v, 8); }

static ir_value *arange_f32(ir_model *m, const char *shape, int n) {
  float buf[256];
  assert_true(n <= 256);
  for (int i = 0; i < n; i++)
    buf[i] = (float)i;
  return cst(m, IR_ET_F32, shape, buf, (size_t)n * 4);
}

#define I64S(...) ((const int64_t[]){__VA_ARGS__})
#define NV(...) (int)(sizeof((const int64_t[]){__VA_ARGS__}) / 8)
#define VEC(m, ...) ci64((m), I64S(__VA_ARGS__), NV(__VA_ARGS__))

static ir_op *mkop(ir_model *m, ir_op_id id, uint32_t n_res, ir_value *const *ins, uint32_t n) {
  ir_op *op = ir_op_create(m, id, n, n_res);
  assert_non_null(op);
  for (uint32_t i = 0; i < n; i++)
    ir_op_set_operand(op, i, ins[i]);
  ir_graph_insert(m->main, op, NULL);
  return op;
}
#define MK(m, id, ...)                                                                             \
  mkop((m), (id), 1, (ir_value *const[]){__VA_ARGS__},                                             \
       sizeof((ir_value *const[]){__VA_ARGS__}) / sizeof(ir_value *))

static void set_int(ir_model *m, ir_op *op, const char *n, int64_t v) {
  ir_attr_value a = {.kind = IR_ATTR_INT, .u.i = v};
  assert_true(ir_op_set_attr(m, op, n, &a));
}
static void set_bool(ir_model *m, ir_op *op, const char *n, bool v) {
  ir_attr_value a = {.kind = IR_ATTR_BOOL, .u.b = v};
  assert_true(ir_op_set_attr(m, op, n, &a));
}
static void set_str(ir_model *m, ir_op *op, const char *n, const char *v) {
  ir_attr_value a = {.kind = IR_ATTR_STR, .u.s = v};
  assert_true(ir_op_set_attr(m, op, n, &a));
}
static void set_ints(ir_model *m, ir_op *op, const char *n, const int64_t *v, int cnt) {
  ir_attr_value a = {.kind = IR_ATTR_INTS, .u.ints = {(int64_t *)v, (uint32_t)cnt}};
  assert_true(ir_op_set_attr(m, op, n, &a));
}
static void set_et(ir_model *m, ir_op *op, const char *n, ir_etype et) {
  ir_attr_value a = {.kind = IR_ATTR_ETYPE, .u.et = et};
  assert_true(ir_op_set_attr(m, op, n, &a));
}
#define SET_INTS(m, op, name, ...) set_ints((m), (op), (name), I64S(__VA_ARGS__), NV(__VA_ARGS__))

/* Applies the schema and infers; returns the status (message in *d). */
static ovcc_status infer(ir_model *m, ir_op *op, ir_diag *d) {
  ir_diag_clear(d);
  assert_int_equal(ir_op_apply_schema(m, op, d), OVCC_OK);
  return ir_infer_op(op, true, d);
}

static void expect_shape(const ir_op *op, uint32_t i, const char *want) {
  char buf[256];
  ir_shape_format(&op->results[i].type.shape, buf, sizeof buf);
  assert_string_equal(buf, want);
}

static void infer_ok(ir_model *m, ir_op *op, const char *want) {
  ir_diag d;
  ovcc_status st = infer(m, op, &d);
  if (st != OVCC_OK)
    fail_msg("%s", d.msg);
  expect_shape(op, 0, want);
}

static void infer_err(ir_model *m, ir_op *op, const char *needle) {
  ir_diag d;
  assert_int_not_equal(infer(m, op, &d), OVCC_OK);
  if (!strstr(d.msg, needle))
    fail_msg("message '%s' lacks '%s'", d.msg, needle);
}

static ir_tensor *eval_out(ir_op *op, uint32_t i) {
  ir_tensor *outs[8];
  ir_diag d;
  ir_diag_clear(&d);
  ovcc_status st = ir_eval_op(op, outs, 1 << 20, &d);
  if (st != OVCC_OK)
    fail_msg("eval failed (%d): %s", st, d.msg);
  return outs[i];
}

static void expect_f32(const ir_tensor *t, const float *want, size_t n) {
  assert_int_equal(t->numel, n);
  for (size_t i = 0; i < n; i++)
    if (((const float *)t->data)[i] != want[i])
      fail_msg("element %zu: got %g, want %g", i, ((const float *)t->data)[i], want[i]);
}
#define EXPECT_F32(t, ...)                                                                         \
  expect_f32((t), (const float[]){__VA_ARGS__}, sizeof((const float[]){__VA_ARGS__}) / 4)

/* ---- StridedSlice / Slice ---- */

static ir_op *strided(ir_model *m, ir_value *x, const int64_t *b, const int64_t *e,
                      const int64_t *s, int n) {
  ir_op *op = MK(m, IR_OP_STRIDEDSLICE_1, x, ci64(m, b, n), ci64(m, e, n), ci64(m, s, n));
  return op;
}

static void test_strided_slice_masks(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_value *x = arange_f32(m, "2,3,4", 24);
  /* x[:, ::-1, 1:3] */
  ir_op *a = strided(m, x, I64S(0, 0, 1), I64S(0, 0, 3), I64S(1, -1, 1), 3);
  SET_INTS(m, a, "begin_mask", 1, 1, 0);
  SET_INTS(m, a, "end_mask", 1, 1, 0);
  infer_ok(m, a, "2,3,2");
  EXPECT_F32(eval_out(a, 0), 9, 10, 5, 6, 1, 2, 21, 22, 17, 18, 13, 14);
  /* x[..., None, 1]: ellipsis, new axis, shrink */
  ir_op *b = strided(m, x, I64S(0, 0, 1), I64S(0, 0, 2), I64S(1, 1, 1), 3);
  SET_INTS(m, b, "begin_mask", 0, 0, 0);
  SET_INTS(m, b, "end_mask", 0, 0, 0);
  SET_INTS(m, b, "ellipsis_mask", 1, 0, 0);
  SET_INTS(m, b, "new_axis_mask", 0, 1, 0);
  SET_INTS(m, b, "shrink_axis_mask", 0, 0, 1);
  infer_ok(m, b, "2,3,1");
  EXPECT_F32(eval_out(b, 0), 1, 5, 9, 13, 17, 21);
  /* x[-1, 2:-5:-1]: negative stride, end clamped below 0 */
  ir_op *c = strided(m, x, I64S(-1, 2), I64S(0, -5), I64S(1, -1), 2);
  SET_INTS(m, c, "begin_mask", 0, 0);
  SET_INTS(m, c, "end_mask", 0, 0);
  SET_INTS(m, c, "shrink_axis_mask", 1, 0);
  infer_ok(m, c, "3,4");
  EXPECT_F32(eval_out(c, 0), 20, 21, 22, 23, 16, 17, 18, 19, 12, 13, 14, 15);
  /* begin == end: empty */
  ir_op *e = strided(m, x, I64S(0, 1), I64S(0, 1), I64S(1, 1), 2);
  SET_INTS(m, e, "begin_mask", 1, 0);
  SET_INTS(m, e, "end_mask", 1, 0);
  infer_ok(m, e, "2,0,4");
  /* x[1:, -2:, ::-2]: end_mask with a negative stride runs through index 0 */
  ir_op *f = strided(m, x, I64S(1, -2, 0), I64S(0, 0, 0), I64S(1, 1, -2), 3);
  SET_INTS(m, f, "begin_mask", 0, 0, 1);
  SET_INTS(m, f, "end_mask", 1, 1, 1);
  infer_ok(m, f, "1,2,2");
  EXPECT_F32(eval_out(f, 0), 19, 17, 23, 21);
  /* reverse begin below -dim clamps to element 0 (OpenVINO, not numpy) */
  ir_op *g = strided(m, x, I64S(0, -10), I64S(0, -10), I64S(1, -1), 2);
  SET_INTS(m, g, "begin_mask", 1, 0);
  SET_INTS(m, g, "end_mask", 1, 0);
  infer_ok(m, g, "2,1,4");
  EXPECT_F32(eval_out(g, 0), 0, 1, 2, 3, 12, 13, 14, 15);
  /* x[1:2, ..., None] with a shorter mask list */
  ir_op *h = strided(m, x, I64S(1, 0, 0), I64S(2, 0, 0), I64S(1, 1, 1), 3);
  SET_INTS(m, h, "begin_mask", 0, 1, 1);
  SET_INTS(m, h, "end_mask", 0, 1, 1);
  SET_INTS(m, h, "new_axis_mask", 0, 0, 1);
  SET_INTS(m, h, "ellipsis_mask", 0, 1);
  infer_ok(m, h, "1,3,4,1");
  /* errors */
  ir_op *bad = strided(m, x, I64S(5), I64S(6), I64S(1), 1);
  SET_INTS(m, bad, "begin_mask", 0);
  SET_INTS(m, bad, "end_mask", 0);
  SET_INTS(m, bad, "shrink_axis_mask", 1);
  infer_err(m, bad, "shrink_axis_mask: begin 5 is out of range for a dimension of 2");
  ir_op *z = strided(m, x, I64S(0), I64S(1), I64S(0), 1);
  SET_INTS(m, z, "begin_mask", 0);
  SET_INTS(m, z, "end_mask", 0);
  infer_err(m, z, "stride at index 0 is zero");
  ir_model_free(m);
}

static void test_strided_slice_dynamic(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_value *x = param(m, IR_ET_F32, "?,10");
  ir_op *a = strided(m, x, I64S(-1, 0), I64S(0, 0), I64S(1, 1), 2);
  SET_INTS(m, a, "begin_mask", 0, 1);
  SET_INTS(m, a, "end_mask", 1, 1);
  infer_ok(m, a, "..1,10");
  ir_op *b = strided(m, x, I64S(0, 0), I64S(5, 0), I64S(1, 1), 2);
  SET_INTS(m, b, "begin_mask", 0, 1);
  SET_INTS(m, b, "end_mask", 0, 1);
  infer_ok(m, b, "..5,10");
  ir_op *c = strided(m, x, I64S(2, 0), I64S(-1, 0), I64S(1, 1), 2);
  SET_INTS(m, c, "begin_mask", 0, 1);
  SET_INTS(m, c, "end_mask", 0, 1);
  infer_ok(m, c, "?,10");
  /* unknown begin values: rank still known from the masks */
  ir_value *pb = param(m, IR_ET_I64, "2");
  ir_op *u = MK(m, IR_OP_STRIDEDSLICE_1, x, pb, VEC(m, 0, 0));
  SET_INTS(m, u, "begin_mask", 0, 0);
  SET_INTS(m, u, "end_mask", 0, 0);
  SET_INTS(m, u, "shrink_axis_mask", 1, 0);
  infer_ok(m, u, "..10");
  ir_model_free(m);
}

static void test_slice(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_value *x = arange_f32(m, "5", 5);
  /* start -10, step -1 selects element 0 (OpenVINO clamps start to [0, d-1]) */
  ir_op *a = MK(m, IR_OP_SLICE_8, x, VEC(m, -10), VEC(m, -10), VEC(m, -1));
  infer_ok(m, a, "1");
  EXPECT_F32(eval_out(a, 0), 0);
  ir_op *b = MK(m, IR_OP_SLICE_8, x, VEC(m, 10), VEC(m, 0), VEC(m, -2));
  infer_ok(m, b, "2");
  EXPECT_F32(eval_out(b, 0), 4, 2);
  ir_value *y = arange_f32(m, "2,3,4", 24);
  ir_op *c = MK(m, IR_OP_SLICE_8, y, VEC(m, -1, 1), VEC(m, INT64_MIN, INT64_MAX), VEC(m, -1, 2),
                VEC(m, -1, 0));
  infer_ok(m, c, "1,3,4");
  EXPECT_F32(eval_out(c, 0), 15, 14, 13, 12, 19, 18, 17, 16, 23, 22, 21, 20);
  ir_op *z = MK(m, IR_OP_SLICE_8, y, VEC(m, 0), VEC(m, 1), VEC(m, 0));
  infer_err(m, z, "step at index 0 is zero");
  ir_op *r = MK(m, IR_OP_SLICE_8, y, VEC(m, 0, 0), VEC(m, 1, 1), VEC(m, 1, 1), VEC(m, 1, -2));
  infer_err(m, r, "axis -2 is repeated in axes");
  ir_model_free(m);
}

/* ---- Reshape, Squeeze, Unsqueeze, Transpose ---- */

static void test_reshape(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_value *x = param(m, IR_ET_F32, "2,3,4");
  ir_op *a = MK(m, IR_OP_RESHAPE_1, x, VEC(m, 0, -1));
  set_bool(m, a, "special_zero", true);
  infer_ok(m, a, "2,12");
  ir_op *b = MK(m, IR_OP_RESHAPE_1, x, VEC(m, 4, 0, -1));
  set_bool(m, b, "special_zero", true);
  infer_ok(m, b, "4,3,2");
  ir_op *c = MK(m, IR_OP_RESHAPE_1, x, VEC(m, 0, 24));
  set_bool(m, c, "special_zero", false);
  infer_err(m, c, "cannot reshape 24 elements into [0,24]");
  ir_op *e = MK(m, IR_OP_RESHAPE_1, x, VEC(m, -1, -1));
  set_bool(m, e, "special_zero", false);
  infer_err(m, e, "target shape has two -1 entries");
  ir_op *f = MK(m, IR_OP_RESHAPE_1, x, VEC(m, 5, -1));
  set_bool(m, f, "special_zero", false);
  infer_err(m, f, "cannot reshape 24 elements into [5,?]");
  /* dynamic dims copied by special_zero cancel out */
  ir_value *y = param(m, IR_ET_F32, "?,?,32,128");
  ir_op *g = MK(m, IR_OP_RESHAPE_1, y, VEC(m, 0, 0, -1));
  set_bool(m, g, "special_zero", true);
  infer_ok(m, g, "?,?,4096");
  /* unknown target: rank from its static length */
  ir_op *h = MK(m, IR_OP_RESHAPE_1, x, param(m, IR_ET_I64, "3"));
  set_bool(m, h, "special_zero", false);
  infer_ok(m, h, "?,?,?");
  ir_value *k = arange_f32(m, "2,3", 6);
  ir_op *v = MK(m, IR_OP_RESHAPE_1, k, VEC(m, 3, 2));
  set_bool(m, v, "special_zero", false);
  infer_ok(m, v, "3,2");
  EXPECT_F32(eval_out(v, 0), 0, 1, 2, 3, 4, 5);
  ir_model_free(m);
}

static void test_squeeze_unsqueeze(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_value *x = param(m, IR_ET_F32, "1,2,3,1");
  infer_ok(m, MK(m, IR_OP_SQUEEZE_1, x), "2,3");
  infer_ok(m, MK(m, IR_OP_SQUEEZE_1, x, VEC(m, -1)), "1,2,3");
  infer_err(m, MK(m, IR_OP_SQUEEZE_1, x, VEC(m, 1)),
            "cannot squeeze axis 1: its dimension is 2, not 1");
  ir_op *s15 = MK(m, IR_OP_SQUEEZE_15, x, VEC(m, 0, 2));
  set_bool(m, s15, "allow_axis_skip", true);
  infer_ok(m, s15, "2,3,1");
  ir_value *y = param(m, IR_ET_F32, "1,?,3,1");
  infer_ok(m, MK(m, IR_OP_SQUEEZE_1, y), "..."); /* ? may be 1 */
  infer_ok(m, MK(m, IR_OP_SQUEEZE_1, y, VEC(m, 1)), "1,3,1");
  ir_value *z = param(m, IR_ET_F32, "1,2..5,3,1");
  infer_ok(m, MK(m, IR_OP_SQUEEZE_1, z), "2..5,3");
  ir_value *w = param(m, IR_ET_F32, "2,3");
  infer_ok(m, MK(m, IR_OP_UNSQUEEZE_1, w, VEC(m, -1, 0)), "1,2,3,1");
  infer_err(m, MK(m, IR_OP_UNSQUEEZE_1, w, VEC(m, 0, 0)), "axis 0 is repeated");
  ir_model_free(m);
}

static void test_transpose(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_value *x = arange_f32(m, "2,3", 6);
  ir_op *a = MK(m, IR_OP_TRANSPOSE_1, x, VEC(m, 1, 0));
  infer_ok(m, a, "3,2");
  EXPECT_F32(eval_out(a, 0), 0, 3, 1, 4, 2, 5);
  ir_op *b = MK(m, IR_OP_TRANSPOSE_1, x, ci64(m, NULL, 0));
  infer_ok(m, b, "3,2");
  EXPECT_F32(eval_out(b, 0), 0, 3, 1, 4, 2, 5);
  ir_value *y = param(m, IR_ET_F32, "1,?,3");
  infer_ok(m, MK(m, IR_OP_TRANSPOSE_1, y, VEC(m, 2, 0, 1)), "3,1,?");
  infer_err(m, MK(m, IR_OP_TRANSPOSE_1, y, VEC(m, 0, 0, 1)), "order is not a permutation");
  infer_err(m, MK(m, IR_OP_TRANSPOSE_1, y, VEC(m, 0, 1)), "order has 2 entries for data of rank 3");
  ir_model_free(m);
}

/* ---- Concat, Split ---- */

static void test_concat_split(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_op *c = MK(m, IR_OP_CONCAT_1, param(m, IR_ET_F32, "2,?,3"), param(m, IR_ET_F32, "?,4,3"),
                param(m, IR_ET_F32, "2,1..3,3"));
  set_int(m, c, "axis", -2);
  infer_ok(m, c, "2,5..,3");
  ir_op *bad = MK(m, IR_OP_CONCAT_1, param(m, IR_ET_F32, "2,3"), param(m, IR_ET_F32, "2,3,1"));
  set_int(m, bad, "axis", 0);
  infer_err(m, bad, "input 1 has rank 3, expected 2");
  ir_op *cv = MK(m, IR_OP_CONCAT_1, arange_f32(m, "2,1", 2), arange_f32(m, "2,2", 4));
  set_int(m, cv, "axis", 1);
  infer_ok(m, cv, "2,3");
  EXPECT_F32(eval_out(cv, 0), 0, 0, 1, 1, 2, 3);

  ir_value *x = arange_f32(m, "2,6", 12);
  ir_op *s = mkop(m, IR_OP_SPLIT_1, 3, (ir_value *const[]){x, scalar_i64(m, -1)}, 2);
  set_int(m, s, "num_splits", 3);
  infer_ok(m, s, "2,2");
  EXPECT_F32(eval_out(s, 2), 4, 5, 10, 11);
  ir_op *s4 = mkop(m, IR_OP_SPLIT_1, 4, (ir_value *const[]){x, scalar_i64(m, 1)}, 2);
  set_int(m, s4, "num_splits", 4);
  infer_err(m, s4, "dimension 6 on axis 1 is not divisible by num_splits 4");
  ir_op *v = mkop(m, IR_OP_VARIADICSPLIT_1, 3,
                  (ir_value *const[]){x, scalar_i64(m, 1), VEC(m, 1, -1, 2)}, 3);
  infer_ok(m, v, "2,1");
  expect_shape(v, 1, "2,3");
  EXPECT_F32(eval_out(v, 1), 1, 2, 3, 7, 8, 9);
  ir_op *vb =
      mkop(m, IR_OP_VARIADICSPLIT_1, 2, (ir_value *const[]){x, scalar_i64(m, 1), VEC(m, 1, 2)}, 3);
  infer_err(m, vb, "split_lengths sum to 3, but the dimension on axis 1 is 6");
  ir_model_free(m);
}

/* ---- Gather ---- */

static void test_gather(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_value *x = arange_f32(m, "2,3,4", 24);
  int64_t idx[] = {-1, 0, 1, 5};
  ir_value *ix = cst(m, IR_ET_I64, "2,2", idx, sizeof idx);
  ir_op *a = MK(m, IR_OP_GATHER_8, x, ix, scalar_i64(m, 2));
  set_int(m, a, "batch_dims", 1);
  infer_ok(m, a, "2,3,2");
  /* negative index wraps, out-of-range gives zeros */
  EXPECT_F32(eval_out(a, 0), 3, 0, 7, 4, 11, 8, 13, 0, 17, 0, 21, 0);
  ir_op *b = MK(m, IR_OP_GATHER_8, x, ix, scalar_i64(m, -1));
  infer_ok(m, b, "2,3,2,2");
  EXPECT_F32(eval_out(b, 0), 3, 0, 1, 0, 7, 4, 5, 0, 11, 8, 9, 0, 15, 12, 13, 0, 19, 16, 17, 0, 23,
             20, 21, 0);
  ir_op *c = MK(m, IR_OP_GATHER_7, param(m, IR_ET_F32, "2,5,7"), param(m, IR_ET_I64, "2,3"),
                scalar_i64(m, -1));
  set_int(m, c, "batch_dims", 1);
  infer_ok(m, c, "2,5,3");
  ir_op *e = MK(m, IR_OP_GATHER_8, x, ix, scalar_i64(m, 0));
  set_int(m, e, "batch_dims", 1);
  infer_err(m, e, "batch_dims 1 is greater than axis 0");
  ir_op *nd5 =
      MK(m, IR_OP_GATHERND_5, param(m, IR_ET_F32, "2,3,4,5"), param(m, IR_ET_I64, "2,3,7,2"));
  set_int(m, nd5, "batch_dims", 2);
  infer_ok(m, nd5, "6,7");
  ir_op *nd8 =
      MK(m, IR_OP_GATHERND_8, param(m, IR_ET_F32, "2,3,4,5"), param(m, IR_ET_I64, "2,3,7,2"));
  set_int(m, nd8, "batch_dims", 2);
  infer_ok(m, nd8, "2,3,7");
  ir_op *ge = MK(m, IR_OP_GATHERELEMENTS_6, param(m, IR_ET_F32, "3,4"), param(m, IR_ET_I64, "3,?"));
  set_int(m, ge, "axis", 1);
  infer_ok(m, ge, "3,?");
  ir_model_free(m);
}

/* ---- Broadcast, Tile, Pad ---- */

static void test_broadcast_tile(void **state) {
  (void)state;
  ir_model *m = new_model();
  float col[] = {1, 2, 3};
  ir_value *x = cst(m, IR_ET_F32, "3,1", col, sizeof col);
  ir_op *a = MK(m, IR_OP_BROADCAST_3, x, VEC(m, 2, 1, 4));
  set_str(m, a, "mode", "bidirectional");
  infer_ok(m, a, "2,3,4");
  EXPECT_F32(eval_out(a, 0), 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3,
             3);
  ir_op *b = MK(m, IR_OP_BROADCAST_3, x, param(m, IR_ET_I64, "1"));
  set_str(m, b, "mode", "bidirectional");
  infer_ok(m, b, "3,?");
  ir_op *c = MK(m, IR_OP_BROADCAST_3, x, VEC(m, 2, 3, 2));
  infer_ok(m, c, "2,3,2");
  EXPECT_F32(eval_out(c, 0), 1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3);
  ir_op *e = MK(m, IR_OP_BROADCAST_3, x, VEC(m, 2, 4));
  infer_err(m, e, "does not broadcast to [2,4]");
  ir_op *f =
      MK(m, IR_OP_BROADCAST_1, cst(m, IR_ET_F32, "3", col, sizeof col), VEC(m, 3, 2), VEC(m, 0));
  set_str(m, f, "mode", "explicit");
  infer_ok(m, f, "3,2");
  EXPECT_F32(eval_out(f, 0), 1, 1, 2, 2, 3, 3);

  float t[] = {1, 2, 3, 4};
  ir_op *tl = MK(m, IR_OP_TILE_1, cst(m, IR_ET_F32, "2,2", t, sizeof t), VEC(m, 2, 1, 2));
  infer_ok(m, tl, "2,2,4");
  EXPECT_F32(eval_out(tl, 0), 1, 2, 1, 2, 3, 4, 3, 4, 1, 2, 1, 2, 3, 4, 3, 4);
  infer_ok(m, MK(m, IR_OP_TILE_1, param(m, IR_ET_F32, "2,?,4"), VEC(m, 2)), "2,?,8");
  ir_model_free(m);
}

static ir_op *pad(ir_model *m, ir_value *x, const char *mode) {
  ir_op *op = MK(m, IR_OP_PAD_12, x, VEC(m, 1, 2), VEC(m, 2, -1));
  set_str(m, op, "pad_mode", mode);
  return op;
}

static void test_pad(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_value *x = arange_f32(m, "3,4", 12);
  ir_op *r = pad(m, x, "reflect");
  infer_ok(m, r, "6,5");
  EXPECT_F32(eval_out(r, 0), 6, 5, 4, 5, 6, 2, 1, 0, 1, 2, 6, 5, 4, 5, 6, 10, 9, 8, 9, 10, 6, 5, 4,
             5, 6, 2, 1, 0, 1, 2);
  ir_op *s = pad(m, x, "symmetric");
  infer_ok(m, s, "6,5");
  EXPECT_F32(eval_out(s, 0), 1, 0, 0, 1, 2, 1, 0, 0, 1, 2, 5, 4, 4, 5, 6, 9, 8, 8, 9, 10, 9, 8, 8,
             9, 10, 5, 4, 4, 5, 6);
  ir_op *e = pad(m, x, "edge");
  EXPECT_F32((infer_ok(m, e, "6,5"), eval_out(e, 0)), 0, 0, 0, 1, 2, 0, 0, 0, 1, 2, 4, 4, 4, 5, 6,
             8, 8, 8, 9, 10, 8, 8, 8, 9, 10, 8, 8, 8, 9, 10);
  float nine = 9;
  ir_op *c = MK(m, IR_OP_PAD_12, x, VEC(m, 1, 2), VEC(m, 2, -1), cst(m, IR_ET_F32, "", &nine, 4));
  set_str(m, c, "pad_mode", "constant");
  infer_ok(m, c, "6,5");
  EXPECT_F32(eval_out(c, 0), 9, 9, 9, 9, 9, 9, 9, 0, 1, 2, 9, 9, 4, 5, 6, 9, 9, 8, 9, 10, 9, 9, 9,
             9, 9, 9, 9, 9, 9, 9);
  ir_op *n = MK(m, IR_OP_PAD_12, x, VEC(m, -1, 0), VEC(m, 0, -2));
  set_str(m, n, "pad_mode", "constant");
  infer_ok(m, n, "2,2");
  EXPECT_F32(eval_out(n, 0), 4, 5, 8, 9);
  ir_op *big = MK(m, IR_OP_PAD_12, x, VEC(m, 3, 0), VEC(m, 0, 0));
  set_str(m, big, "pad_mode", "reflect");
  infer_err(m, big, "reflect pad on axis 0");
  ir_op *dyn = MK(m, IR_OP_PAD_12, param(m, IR_ET_F32, "?,5"), VEC(m, 1, 2), VEC(m, 1, -3));
  set_str(m, dyn, "pad_mode", "constant");
  infer_ok(m, dyn, "2..,4");
  ir_model_free(m);
}

/* ---- ShapeOf, Range, Interpolate, misc ---- */

static void test_range(void **state) {
  (void)state;
  ir_model *m = new_model();
  float s0 = 1, s1 = -3.5f, st = -1.5f, st1 = -1;
  ir_op *a = MK(m, IR_OP_RANGE_4, cst(m, IR_ET_F32, "", &s0, 4), cst(m, IR_ET_F32, "", &s1, 4),
                cst(m, IR_ET_F32, "", &st, 4));
  set_et(m, a, "output_type", IR_ET_F32);
  infer_ok(m, a, "3");
  EXPECT_F32(eval_out(a, 0), 1, -0.5f, -2);
  /* integer output truncates the inputs first: 1 .. -3 step -1 */
  ir_op *b = MK(m, IR_OP_RANGE_4, cst(m, IR_ET_F32, "", &s0, 4), cst(m, IR_ET_F32, "", &s1, 4),
                cst(m, IR_ET_F32, "", &st1, 4));
  set_et(m, b, "output_type", IR_ET_I64);
  infer_ok(m, b, "4");
  ir_tensor *t = eval_out(b, 0);
  const int64_t *v = t->data;
  assert_true(v[0] == 1 && v[1] == 0 && v[2] == -1 && v[3] == -2);
  ir_op *c = MK(m, IR_OP_RANGE_1, scalar_i64(m, 1), scalar_i64(m, 10), scalar_i64(m, 3));
  infer_ok(m, c, "3");
  assert_int_equal(c->results[0].type.et, IR_ET_I64);
  ir_op *d = MK(m, IR_OP_RANGE_1, scalar_i64(m, 1), param(m, IR_ET_I64, ""), scalar_i64(m, 3));
  infer_ok(m, d, "?");
  ir_op *z = MK(m, IR_OP_RANGE_1, scalar_i64(m, 1), scalar_i64(m, 10), scalar_i64(m, 0));
  infer_err(m, z, "step is zero");
  ir_model_free(m);
}

static ir_op *interp4(ir_model *m, ir_value *x, ir_value *sizes, const float *sc, int n,
                      const char *mode) {
  char sh[8];
  snprintf(sh, sizeof sh, "%d", n);
  ir_op *op =
      MK(m, IR_OP_INTERPOLATE_4, x, sizes, cst(m, IR_ET_F32, sh, sc, (size_t)n * 4), VEC(m, 2, 3));
  set_str(m, op, "mode", "nearest");
  set_str(m, op, "shape_calculation_mode", mode);
  return op;
}

static void test_interpolate(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_value *x = param(m, IR_ET_F32, "1,3,5,7");
  ir_value *sz = VEC(m, 1, 1);
  infer_ok(m, interp4(m, x, sz, (const float[]){1.5f, 0.7f}, 2, "scales"), "1,3,7,4");
  infer_ok(m, interp4(m, x, sz, (const float[]){2.0f, 1.0f / 3}, 2, "scales"), "1,3,10,2");
  infer_ok(m, interp4(m, x, sz, (const float[]){0.33f, 2.5f}, 2, "scales"), "1,3,1,17");
  infer_ok(m, interp4(m, x, sz, (const float[]){0.6f, 3.0f / 7}, 2, "scales"), "1,3,3,3");
  ir_op *p = interp4(m, x, sz, (const float[]){1.5f, 0.5f}, 2, "scales");
  SET_INTS(m, p, "pads_begin", 0, 0, 1, 0);
  SET_INTS(m, p, "pads_end", 0, 0, 1, 1);
  infer_ok(m, p, "1,3,10,4");
  ir_op *s = interp4(m, x, VEC(m, 9, 4), (const float[]){1, 1}, 2, "sizes");
  SET_INTS(m, s, "pads_begin", 0, 0, 1, 0);
  SET_INTS(m, s, "pads_end", 0, 0, 1, 1);
  infer_ok(m, s, "1,3,9,4");
  infer_ok(m, interp4(m, param(m, IR_ET_F32, "1,3,?,7"), sz, (const float[]){2, 0.5f}, 2, "scales"),
           "1,3,?,3");
  ir_op *v11 = MK(m, IR_OP_INTERPOLATE_11, x, VEC(m, 1, 3, 10, 14));
  set_str(m, v11, "mode", "nearest");
  set_str(m, v11, "shape_calculation_mode", "sizes");
  infer_ok(m, v11, "1,3,10,14");
  ir_op *v1 = MK(m, IR_OP_INTERPOLATE_1, x, VEC(m, 10, 14));
  SET_INTS(m, v1, "axes", 2, 3);
  set_str(m, v1, "mode", "nearest");
  infer_ok(m, v1, "1,3,10,14");
  ir_op *bad = interp4(m, x, sz, (const float[]){1, 1, 1}, 3, "scales");
  infer_err(m, bad, "scales has 3 entries for 2 axes");
  ir_model_free(m);
}

static void test_space_depth_shuffle(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_op *a = MK(m, IR_OP_DEPTHTOSPACE_1, param(m, IR_ET_F32, "1,8,2,3"));
  set_str(m, a, "mode", "blocks_first");
  set_int(m, a, "block_size", 2);
  infer_ok(m, a, "1,2,4,6");
  ir_op *b = MK(m, IR_OP_SPACETODEPTH_1, param(m, IR_ET_F32, "1,2,4,6"));
  set_str(m, b, "mode", "blocks_first");
  set_int(m, b, "block_size", 2);
  infer_ok(m, b, "1,8,2,3");
  ir_op *c = MK(m, IR_OP_SPACETODEPTH_1, param(m, IR_ET_F32, "1,2,5,6"));
  set_str(m, c, "mode", "depth_first");
  set_int(m, c, "block_size", 2);
  infer_err(m, c, "dimension 2 (5) is not divisible by block_size 2");
  ir_op *s = MK(m, IR_OP_SHUFFLECHANNELS_1, param(m, IR_ET_F32, "1,6,2,3"));
  set_int(m, s, "group", 3);
  infer_ok(m, s, "1,6,2,3");
  ir_op *s4 = MK(m, IR_OP_SHUFFLECHANNELS_1, param(m, IR_ET_F32, "1,6,2,3"));
  set_int(m, s4, "group", 4);
  infer_err(m, s4, "not divisible by group 4");
  ir_model_free(m);
}

/* ShapeOf -> Gather -> Concat -> Reshape gives a static shape through known
 * values. */
static void build_chain(ir_model *m, ir_op **reshape_out) {
  ir_value *x = param(m, IR_ET_F32, "2,3,4");
  ir_op *so = MK(m, IR_OP_SHAPEOF_3, x);
  set_et(m, so, "output_type", IR_ET_I64);
  ir_op *g = MK(m, IR_OP_GATHER_8, &so->results[0], VEC(m, 0), scalar_i64(m, 0));
  ir_op *c = MK(m, IR_OP_CONCAT_1, &g->results[0], VEC(m, -1));
  set_int(m, c, "axis", 0);
  ir_op *r = MK(m, IR_OP_RESHAPE_1, x, &c->results[0]);
  set_bool(m, r, "special_zero", false);
  ir_diag d;
  IR_FOR_EACH_OP(m->main, op) {
    ir_diag_clear(&d);
    assert_int_equal(ir_op_apply_schema(m, op, &d), OVCC_OK);
  }
  *reshape_out = r;
}

static void test_shape_chain(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_op *r;
  build_chain(m, &r);
  ir_diag d;
  /* op by op (sources keep their types) */
  IR_FOR_EACH_OP(m->main, op) {
    if (op->kind == IR_OP_CONSTANT_1) { /* what inference does for constants */
      ir_tensor *t = ir_arena_alloc(&m->arena, sizeof *t);
      assert_true(t && ir_const_tensor(op, t));
      op->results[0].known = t;
    }
    if (op->info->flags & OPF_SOURCE)
      continue;
    ir_diag_clear(&d);
    if (ir_infer_op(op, true, &d) != OVCC_OK)
      fail_msg("%s", d.msg);
  }
  expect_shape(r, 0, "2,12");
  const ir_tensor *k = r->graph->first->next->results[0].known; /* ShapeOf */
  assert_non_null(k);
  assert_int_equal(((const int64_t *)k->data)[2], 4);
  ir_model_free(m);

  /* the whole graph, once Parameter/Constant have shape functions */
  m = new_model();
  build_chain(m, &r);
  ir_diag_clear(&d);
  ir_op *p = m->main->first;
  if (ir_infer_op(p, true, &d) == OVCC_ERR_UNSUPPORTED) {
    ir_model_free(m);
    skip();
  }
  ir_diag_clear(&d);
  if (ir_infer_graph(m->main, true, &d) != OVCC_OK)
    fail_msg("%s", d.msg);
  expect_shape(r, 0, "2,12");
  ir_model_free(m);
}

static void test_shape_of_eval(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_op *so = MK(m, IR_OP_SHAPEOF_3, param(m, IR_ET_F32, "2,?,4"));
  set_et(m, so, "output_type", IR_ET_I32);
  infer_ok(m, so, "3");
  assert_null(so->results[0].known); /* dynamic input: no value */
  ir_op *s2 = MK(m, IR_OP_SHAPEOF_1, param(m, IR_ET_F32, "5,6"));
  infer_ok(m, s2, "2");
  assert_non_null(s2->results[0].known);
  assert_int_equal(((const int64_t *)s2->results[0].known->data)[1], 6);
  ir_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_strided_slice_masks),
      cmocka_unit_test(test_strided_slice_dynamic),
      cmocka_unit_test(test_slice),
      cmocka_unit_test(test_reshape),
      cmocka_unit_test(test_squeeze_unsqueeze),
      cmocka_unit_test(test_transpose),
      cmocka_unit_test(test_concat_split),
      cmocka_unit_test(test_gather),
      cmocka_unit_test(test_broadcast_tile),
      cmocka_unit_test(test_pad),
      cmocka_unit_test(test_range),
      cmocka_unit_test(test_interpolate),
      cmocka_unit_test(test_space_depth_shuffle),
      cmocka_unit_test(test_shape_chain),
      cmocka_unit_test(test_shape_of_eval),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
