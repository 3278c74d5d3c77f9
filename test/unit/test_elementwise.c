/* Elementwise ops: shape functions (broadcasting numpy/pdpd/none, dynamic
 * and interval dims, type checks) and evaluators. Reference values marked
 * "OV" were computed once with OpenVINO 2026.4 (Python, constant folding or
 * the CPU plugin where OpenVINO does not fold) and are hard-coded here. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ir/ir.h"

#define PDPD_AXIS "auto_broadcast.auto_broadcast_axis"

/* ---- graph building helpers ---- */

typedef struct ctx {
  ir_model *m;
  ir_diag d;
} ctx;

static int setup(void **state) {
  ctx *c = calloc(1, sizeof *c);
  if (!c)
    return -1;
  ir_diag_clear(&c->d);
  if (ir_model_create(&c->m, &c->d) != OVCC_OK)
    return -1;
  *state = c;
  return 0;
}

static int teardown(void **state) {
  ctx *c = *state;
  ir_model_free(c->m);
  free(c);
  return 0;
}

static ir_shape shp(const char *s) {
  ir_shape r;
  ir_diag d;
  ir_diag_clear(&d);
  if (!ir_shape_parse(s, strlen(s), &r, &d))
    fail_msg("bad shape '%s': %s", s, d.msg);
  return r;
}

/* A typed value without data (a Parameter whose type is set by hand). */
static ir_value *param(ctx *c, ir_etype et, const char *shape) {
  ir_op *p = ir_op_create(c->m, IR_OP_PARAMETER_1, 0, 1);
  assert_non_null(p);
  p->results[0].type.et = et;
  p->results[0].type.shape = shp(shape);
  ir_graph_insert(c->m->main, p, NULL);
  return &p->results[0];
}

static ir_value *cst(ctx *c, ir_etype et, const char *shape, const void *data) {
  ir_type t = {et, shp(shape)};
  uint64_t n, nb;
  assert_true(ir_shape_numel(&t.shape, &n));
  assert_true(ir_etype_nbytes(et, n, &nb));
  ir_op *k = ir_const_create(c->m, &t, data, nb);
  assert_non_null(k);
  ir_graph_insert(c->m->main, k, NULL);
  return &k->results[0];
}

static ir_op *mk(ctx *c, ir_op_id kind, int n, ...) {
  ir_op *op = ir_op_create(c->m, kind, (uint32_t)n, 1);
  assert_non_null(op);
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++)
    ir_op_set_operand(op, (uint32_t)i, va_arg(ap, ir_value *));
  va_end(ap);
  ir_graph_insert(c->m->main, op, NULL);
  return op;
}

static void attr_str(ctx *c, ir_op *op, const char *name, const char *s) {
  ir_attr_value v = {.kind = IR_ATTR_STR, .u.s = s};
  assert_true(ir_op_set_attr(c->m, op, name, &v));
}
static void attr_int(ctx *c, ir_op *op, const char *name, int64_t i) {
  ir_attr_value v = {.kind = IR_ATTR_INT, .u.i = i};
  assert_true(ir_op_set_attr(c->m, op, name, &v));
}
static void attr_float(ctx *c, ir_op *op, const char *name, double f) {
  ir_attr_value v = {.kind = IR_ATTR_FLOAT, .u.f = f};
  assert_true(ir_op_set_attr(c->m, op, name, &v));
}
static void attr_bool(ctx *c, ir_op *op, const char *name, bool b) {
  ir_attr_value v = {.kind = IR_ATTR_BOOL, .u.b = b};
  assert_true(ir_op_set_attr(c->m, op, name, &v));
}
static void attr_et(ctx *c, ir_op *op, const char *name, ir_etype et) {
  ir_attr_value v = {.kind = IR_ATTR_ETYPE, .u.et = et};
  assert_true(ir_op_set_attr(c->m, op, name, &v));
}

static ovcc_status infer(ctx *c, ir_op *op) {
  ir_diag_clear(&c->d);
  ovcc_status st = ir_op_apply_schema(c->m, op, &c->d);
  if (st != OVCC_OK)
    return st;
  return ir_infer_op(op, true, &c->d);
}

static void expect_type(ctx *c, ir_op *op, ir_etype et, const char *shape) {
  ovcc_status st = infer(c, op);
  if (st != OVCC_OK)
    fail_msg("infer failed: %s", c->d.msg);
  char got[256];
  ir_shape_format(&op->results[0].type.shape, got, sizeof got);
  if (strcmp(got, shape) != 0)
    fail_msg("shape: expected [%s], got [%s]", shape, got);
  assert_string_equal(ir_etype_name(op->results[0].type.et), ir_etype_name(et));
}

static void expect_error(ctx *c, ir_op *op, const char *needle) {
  ovcc_status st = infer(c, op);
  assert_int_not_equal(st, OVCC_OK);
  if (!strstr(c->d.msg, needle))
    fail_msg("message '%s' lacks '%s'", c->d.msg, needle);
}

/* Infers and evaluates; returns the output tensor. */
static ir_tensor *eval(ctx *c, ir_op *op) {
  ovcc_status st = infer(c, op);
  if (st != OVCC_OK)
    fail_msg("infer failed: %s", c->d.msg);
  ir_tensor *out[1] = {NULL};
  ir_diag_clear(&c->d);
  st = ir_eval_op(op, out, 1u << 20, &c->d);
  if (st != OVCC_OK)
    fail_msg("eval failed (%d): %s", (int)st, c->d.msg);
  return out[0];
}

static ovcc_status eval_status(ctx *c, ir_op *op) {
  assert_int_equal(infer(c, op), OVCC_OK);
  ir_tensor *out[1] = {NULL};
  ir_diag_clear(&c->d);
  return ir_eval_op(op, out, 1u << 20, &c->d);
}

static void expect_f(const ir_tensor *t, const double *want, int n, double tol) {
  assert_int_equal(t->numel, (uint64_t)n);
  for (int i = 0; i < n; i++) {
    double g = ir_elem_get_f64(t->et, t->data, (uint64_t)i);
    bool ok = isnan(want[i]) ? isnan(g)
                             : g == want[i] || fabs(g - want[i]) <= tol * fmax(1.0, fabs(want[i]));
    if (!ok)
      fail_msg("element %d: expected %.9g, got %.9g", i, want[i], g);
  }
}

static void expect_i(const ir_tensor *t, const int64_t *want, int n) {
  assert_int_equal(t->numel, (uint64_t)n);
  for (int i = 0; i < n; i++) {
    int64_t g = ir_elem_get_i64(t->et, t->data, (uint64_t)i);
    if (g != want[i])
      fail_msg("element %d: expected %lld, got %lld", i, (long long)want[i], (long long)g);
  }
}

/* ---- shapes ---- */

static void test_shape_numpy(void **state) {
  ctx *c = *state;
  ir_op *op = mk(c, IR_OP_ADD_1, 2, param(c, IR_ET_F32, "2,3,4"), param(c, IR_ET_F32, "3,1"));
  expect_type(c, op, IR_ET_F32, "2,3,4");
  op = mk(c, IR_OP_ADD_1, 2, param(c, IR_ET_F32, "?,1,4"), param(c, IR_ET_F32, "3,1"));
  expect_type(c, op, IR_ET_F32, "?,3,4");
  op = mk(c, IR_OP_MULTIPLY_1, 2, param(c, IR_ET_F32, "1..10,4"), param(c, IR_ET_F32, "4"));
  expect_type(c, op, IR_ET_F32, "1..10,4");
  op = mk(c, IR_OP_SUBTRACT_1, 2, param(c, IR_ET_F32, "2..5"), param(c, IR_ET_F32, "3"));
  expect_type(c, op, IR_ET_F32, "3");
  op = mk(c, IR_OP_ADD_1, 2, param(c, IR_ET_DYNAMIC, "..."), param(c, IR_ET_I32, "3"));
  expect_type(c, op, IR_ET_I32, "...");
  op = mk(c, IR_OP_ADD_1, 2, param(c, IR_ET_F32, ""), param(c, IR_ET_F32, "5,1,2"));
  expect_type(c, op, IR_ET_F32, "5,1,2");
  op = mk(c, IR_OP_ADD_1, 2, param(c, IR_ET_F32, "2,3"), param(c, IR_ET_F32, "4"));
  expect_error(c, op, "input 1: shape [4] does not broadcast with [2,3]");
  op = mk(c, IR_OP_ADD_1, 2, param(c, IR_ET_F32, "2,3"), param(c, IR_ET_F16, "3"));
  expect_error(c, op, "input 1: element type f16 does not match input 0 (f32)");
  op = mk(c, IR_OP_ADD_1, 2, param(c, IR_ET_BOOLEAN, "3"), param(c, IR_ET_BOOLEAN, "3"));
  expect_error(c, op, "boolean");
}

static void test_shape_none_pdpd(void **state) {
  ctx *c = *state;
  ir_op *op = mk(c, IR_OP_ADD_1, 2, param(c, IR_ET_F32, "2,3"), param(c, IR_ET_F32, "3"));
  attr_str(c, op, "auto_broadcast", "none");
  expect_error(c, op, "input 1: shape [3] does not match [2,3] (auto_broadcast none)");
  op = mk(c, IR_OP_ADD_1, 2, param(c, IR_ET_F32, "2,?"), param(c, IR_ET_F32, "?,3"));
  attr_str(c, op, "auto_broadcast", "none");
  expect_type(c, op, IR_ET_F32, "2,3");
  /* pdpd: B onto A; axis -1 aligns trailing, absent axis is 0 (OpenVINO's reader) */
  op = mk(c, IR_OP_ADD_1, 2, param(c, IR_ET_F32, "2,3,4,5"), param(c, IR_ET_F32, "4,5"));
  attr_str(c, op, "auto_broadcast", "pdpd");
  attr_int(c, op, PDPD_AXIS, -1);
  expect_type(c, op, IR_ET_F32, "2,3,4,5");
  op = mk(c, IR_OP_ADD_1, 2, param(c, IR_ET_F32, "2,3,4,5"), param(c, IR_ET_F32, "4,5"));
  attr_str(c, op, "auto_broadcast", "pdpd");
  expect_error(c, op, "input 1: shape [4,5] does not broadcast onto [2,3,4,5]");
  op = mk(c, IR_OP_ADD_1, 2, param(c, IR_ET_F32, "2,?,4,5"), param(c, IR_ET_F32, "3,4,1"));
  attr_str(c, op, "auto_broadcast", "pdpd");
  attr_int(c, op, PDPD_AXIS, 1); /* trailing 1 trimmed: [3,4] at axis 1 pins dim 1 */
  expect_type(c, op, IR_ET_F32, "2,3,4,5");
  op = mk(c, IR_OP_ADD_1, 2, param(c, IR_ET_F32, "2,3"), param(c, IR_ET_F32, "2,2,3"));
  attr_str(c, op, "auto_broadcast", "pdpd");
  expect_error(c, op, "does not broadcast onto [2,3] (auto_broadcast pdpd)");
  op = mk(c, IR_OP_ADD_1, 2, param(c, IR_ET_F32, "2,3"), param(c, IR_ET_F32, "1,3"));
  attr_str(c, op, "auto_broadcast", "pdpd");
  expect_type(c, op, IR_ET_F32, "2,3");
}

static void test_shape_others(void **state) {
  ctx *c = *state;
  ir_op *op = mk(c, IR_OP_LESS_1, 2, param(c, IR_ET_I64, "?,1"), param(c, IR_ET_I64, "1,5"));
  expect_type(c, op, IR_ET_BOOLEAN, "?,5");
  op = mk(c, IR_OP_LOGICALAND_1, 2, param(c, IR_ET_F32, "3"), param(c, IR_ET_F32, "3"));
  expect_error(c, op, "must be boolean");
  op = mk(c, IR_OP_BITWISEAND_13, 2, param(c, IR_ET_F32, "3"), param(c, IR_ET_F32, "3"));
  expect_error(c, op, "integer or boolean");
  /* select: numpy three-way */
  op = mk(c, IR_OP_SELECT_1, 3, param(c, IR_ET_BOOLEAN, "1,4"), param(c, IR_ET_F32, "3,1"),
          param(c, IR_ET_F32, ""));
  expect_type(c, op, IR_ET_F32, "3,4");
  op = mk(c, IR_OP_SELECT_1, 3, param(c, IR_ET_F32, "3"), param(c, IR_ET_F32, "3"),
          param(c, IR_ET_F32, "3"));
  expect_error(c, op, "input 0 (cond): element type must be boolean");
  op = mk(c, IR_OP_SELECT_1, 3, param(c, IR_ET_BOOLEAN, "3"), param(c, IR_ET_F32, "2,3"),
          param(c, IR_ET_F32, "2,3"));
  attr_str(c, op, "auto_broadcast", "none");
  expect_error(c, op, "input 0: shape [3] does not match [2,3]");
  /* convert, convert_like, is_class */
  op = mk(c, IR_OP_CONVERT_1, 1, param(c, IR_ET_F32, "?,3"));
  attr_et(c, op, "destination_type", IR_ET_U4);
  expect_type(c, op, IR_ET_U4, "?,3");
  op = mk(c, IR_OP_CONVERTLIKE_1, 2, param(c, IR_ET_F32, "2,1..4"), param(c, IR_ET_F16, "7"));
  expect_type(c, op, IR_ET_F16, "2,1..4");
  op = mk(c, IR_OP_ISNAN_10, 1, param(c, IR_ET_F16, "2,?"));
  expect_type(c, op, IR_ET_BOOLEAN, "2,?");
  op = mk(c, IR_OP_ISINF_10, 1, param(c, IR_ET_I32, "2"));
  expect_error(c, op, "floating point");
  /* fake quantize: limits broadcast into X */
  op = mk(c, IR_OP_FAKEQUANTIZE_1, 5, param(c, IR_ET_F32, "1,3,?,4"), param(c, IR_ET_F32, "1,3,1,1"),
          param(c, IR_ET_F32, "1,3,1,1"), param(c, IR_ET_F32, ""), param(c, IR_ET_F32, ""));
  attr_int(c, op, "levels", 256);
  expect_type(c, op, IR_ET_F32, "1,3,?,4");
  op = mk(c, IR_OP_FAKEQUANTIZE_1, 5, param(c, IR_ET_F32, "4"), param(c, IR_ET_F32, ""),
          param(c, IR_ET_F32, ""), param(c, IR_ET_F32, ""), param(c, IR_ET_F32, ""));
  attr_int(c, op, "levels", 1);
  expect_error(c, op, "'levels' must be at least 2");
  /* prelu: per-channel slope, else numpy */
  op = mk(c, IR_OP_PRELU_1, 2, param(c, IR_ET_F32, "1,3,4"), param(c, IR_ET_F32, "3"));
  expect_type(c, op, IR_ET_F32, "1,3,4");
  op = mk(c, IR_OP_PRELU_1, 2, param(c, IR_ET_F32, "1,3,4"), param(c, IR_ET_F32, "5"));
  expect_error(c, op, "input 1 (slope)");
  /* unary: extra inputs */
  op = mk(c, IR_OP_SWISH_4, 2, param(c, IR_ET_F32, "2,?"), param(c, IR_ET_F32, "2"));
  expect_error(c, op, "input 1 (beta): expected one element");
  op = mk(c, IR_OP_HARDSIGMOID_1, 3, param(c, IR_ET_F32, "2,?"), param(c, IR_ET_F32, ""),
          param(c, IR_ET_F32, "1"));
  expect_type(c, op, IR_ET_F32, "2,?");
  op = mk(c, IR_OP_CLAMP_1, 1, param(c, IR_ET_F32, "2"));
  attr_float(c, op, "min", 3);
  attr_float(c, op, "max", 1);
  expect_error(c, op, "'min' (3) is greater than 'max' (1)");
}

/* ---- values ---- */

static void test_eval_divide_mod(void **state) {
  ctx *c = *state;
  const int32_t a[] = {-7, -6, 7, 5}, b[] = {2, -4, -2, 3};
  ir_value *va = cst(c, IR_ET_I32, "4", a), *vb = cst(c, IR_ET_I32, "4", b);
  expect_i(eval(c, mk(c, IR_OP_DIVIDE_1, 2, va, vb)), (int64_t[]){-4, 1, -4, 1}, 4); /* OV */
  ir_op *op = mk(c, IR_OP_DIVIDE_1, 2, va, vb);
  attr_bool(c, op, "m_pythondiv", false);
  expect_i(eval(c, op), (int64_t[]){-3, 1, -3, 1}, 4);                               /* OV */
  expect_i(eval(c, mk(c, IR_OP_FLOORMOD_1, 2, va, vb)), (int64_t[]){1, -2, -1, 2}, 4); /* OV */
  expect_i(eval(c, mk(c, IR_OP_MOD_1, 2, va, vb)), (int64_t[]){-1, -2, 1, 2}, 4);      /* OV */
  const float fa[] = {-7.5f, -6, 7, 5.5f}, fb[] = {2, -4, -2, 3};
  ir_value *vfa = cst(c, IR_ET_F32, "4", fa), *vfb = cst(c, IR_ET_F32, "4", fb);
  expect_f(eval(c, mk(c, IR_OP_FLOORMOD_1, 2, vfa, vfb)), (double[]){0.5, -2, -1, 2.5}, 4, 0);
  expect_f(eval(c, mk(c, IR_OP_MOD_1, 2, vfa, vfb)), (double[]){-1.5, -2, 1, 2.5}, 4, 0);
  expect_f(eval(c, mk(c, IR_OP_DIVIDE_1, 2, vfa, vfb)), (double[]){-3.75, 1.5, -3.5, 5.5 / 3}, 4,
           1e-7);
  /* integer division by zero is not folded */
  const int32_t z[] = {1, 0, 1, 1};
  op = mk(c, IR_OP_DIVIDE_1, 2, va, cst(c, IR_ET_I32, "4", z));
  assert_int_equal(eval_status(c, op), OVCC_ERR_UNSUPPORTED);
  op = mk(c, IR_OP_FLOORMOD_1, 2, va, cst(c, IR_ET_I32, "4", z));
  assert_int_equal(eval_status(c, op), OVCC_ERR_UNSUPPORTED);
  /* Power on ints (OV) and floats */
  const int32_t pa[] = {2, -2, 3, 0, 5, -3}, pb[] = {3, 3, -1, 0, 0, 2};
  expect_i(eval(c, mk(c, IR_OP_POWER_1, 2, cst(c, IR_ET_I32, "6", pa), cst(c, IR_ET_I32, "6", pb))),
           (int64_t[]){8, -8, 0, 1, 1, 9}, 6);
  const float qa[] = {2, 4, 9}, qb[] = {-0.5f, 0.5f, 1.5f};
  expect_f(eval(c, mk(c, IR_OP_POWER_1, 2, cst(c, IR_ET_F32, "3", qa), cst(c, IR_ET_F32, "3", qb))),
           (double[]){0.70710677, 2, 27}, 3, 1e-7);
}

static void test_eval_broadcast(void **state) {
  ctx *c = *state;
  const float a[] = {1, 2}, b[] = {10, 20, 30};
  ir_tensor *t = eval(c, mk(c, IR_OP_ADD_1, 2, cst(c, IR_ET_F32, "2,1", a), cst(c, IR_ET_F32, "3", b)));
  assert_int_equal(t->shape.rank, 2);
  expect_f(t, (double[]){11, 21, 31, 12, 22, 32}, 6, 0);
  /* pdpd, axis 1: B [3] onto A [2,3,2] */
  float x[12];
  for (int i = 0; i < 12; i++)
    x[i] = (float)i;
  const float y[] = {100, 200, 300};
  ir_op *op = mk(c, IR_OP_ADD_1, 2, cst(c, IR_ET_F32, "2,3,2", x), cst(c, IR_ET_F32, "3", y));
  attr_str(c, op, "auto_broadcast", "pdpd");
  attr_int(c, op, PDPD_AXIS, 1);
  expect_f(eval(c, op),
           (double[]){100, 101, 202, 203, 304, 305, 106, 107, 208, 209, 310, 311}, 12, 0);
  /* pdpd axis -1: trailing */
  const float y2[] = {100, 200};
  op = mk(c, IR_OP_SUBTRACT_1, 2, cst(c, IR_ET_F32, "2,3,2", x), cst(c, IR_ET_F32, "2", y2));
  attr_str(c, op, "auto_broadcast", "pdpd");
  attr_int(c, op, PDPD_AXIS, -1);
  expect_f(eval(c, op), (double[]){-100, -199, -98, -197, -96, -195, -94, -193, -92, -191, -90, -189},
           12, 0);
  /* pdpd, axis absent (0): B [2,3] onto A [2,3,4] (OV) */
  float x24[24];
  for (int i = 0; i < 24; i++)
    x24[i] = (float)i;
  const float y6[] = {0, 100, 200, 300, 400, 500};
  op = mk(c, IR_OP_ADD_1, 2, cst(c, IR_ET_F32, "2,3,4", x24), cst(c, IR_ET_F32, "2,3", y6));
  attr_str(c, op, "auto_broadcast", "pdpd");
  t = eval(c, op);
  t->numel = 8; /* check the first 8 */
  expect_f(t, (double[]){0, 1, 2, 3, 104, 105, 106, 107}, 8, 0);
  /* u8 wraps */
  const uint8_t u[] = {250, 3}, v[] = {10};
  expect_i(eval(c, mk(c, IR_OP_ADD_1, 2, cst(c, IR_ET_U8, "2", u), cst(c, IR_ET_U8, "1", v))),
           (int64_t[]){4, 13}, 2);
  expect_i(eval(c, mk(c, IR_OP_SUBTRACT_1, 2, cst(c, IR_ET_U8, "2", u), cst(c, IR_ET_U8, "1", v))),
           (int64_t[]){240, 249}, 2);
  const int32_t sa[] = {1, 5}, sb[] = {4, -5};
  expect_i(eval(c, mk(c, IR_OP_SQUAREDDIFFERENCE_1, 2, cst(c, IR_ET_I32, "2", sa),
                      cst(c, IR_ET_I32, "2", sb))),
           (int64_t[]){9, 100}, 2);
}

static void test_eval_bitwise_compare_select(void **state) {
  ctx *c = *state;
  /* shifts (OV for in-range counts); over-wide counts are not folded */
  const int32_t a[] = {1, 1, -1, 5}, b[] = {3, 31, 4, 0};
  expect_i(eval(c, mk(c, IR_OP_BITWISELEFTSHIFT_15, 2, cst(c, IR_ET_I32, "4", a),
                      cst(c, IR_ET_I32, "4", b))),
           (int64_t[]){8, INT32_MIN, -16, 5}, 4);
  const int32_t r[] = {64, -64, -1, 5};
  expect_i(eval(c, mk(c, IR_OP_BITWISERIGHTSHIFT_15, 2, cst(c, IR_ET_I32, "4", r),
                      cst(c, IR_ET_I32, "4", b))),
           (int64_t[]){8, -1, -1, 5}, 4);
  const int32_t wide[] = {32};
  ir_op *op = mk(c, IR_OP_BITWISELEFTSHIFT_15, 2, cst(c, IR_ET_I32, "4", a),
                 cst(c, IR_ET_I32, "1", wide));
  assert_int_equal(eval_status(c, op), OVCC_ERR_UNSUPPORTED);
  const uint8_t m[] = {0xF0, 0x3C}, n[] = {0x0F, 0x30};
  ir_value *vm = cst(c, IR_ET_U8, "2", m), *vn = cst(c, IR_ET_U8, "2", n);
  expect_i(eval(c, mk(c, IR_OP_BITWISEAND_13, 2, vm, vn)), (int64_t[]){0, 0x30}, 2);
  expect_i(eval(c, mk(c, IR_OP_BITWISEOR_13, 2, vm, vn)), (int64_t[]){0xFF, 0x3C}, 2);
  expect_i(eval(c, mk(c, IR_OP_BITWISEXOR_13, 2, vm, vn)), (int64_t[]){0xFF, 0x0C}, 2);
  expect_i(eval(c, mk(c, IR_OP_BITWISENOT_13, 1, vm)), (int64_t[]){0x0F, 0xC3}, 2);
  const uint8_t bt[] = {1, 0, 1, 0}, bf[] = {1, 1, 0, 0};
  ir_value *p = cst(c, IR_ET_BOOLEAN, "4", bt), *q = cst(c, IR_ET_BOOLEAN, "4", bf);
  expect_i(eval(c, mk(c, IR_OP_LOGICALAND_1, 2, p, q)), (int64_t[]){1, 0, 0, 0}, 4);
  expect_i(eval(c, mk(c, IR_OP_LOGICALOR_1, 2, p, q)), (int64_t[]){1, 1, 1, 0}, 4);
  expect_i(eval(c, mk(c, IR_OP_LOGICALXOR_1, 2, p, q)), (int64_t[]){0, 1, 1, 0}, 4);
  expect_i(eval(c, mk(c, IR_OP_LOGICALNOT_1, 1, p)), (int64_t[]){0, 1, 0, 1}, 4);
  expect_i(eval(c, mk(c, IR_OP_BITWISENOT_13, 1, p)), (int64_t[]){0, 1, 0, 1}, 4);
  /* comparisons, NaN unordered */
  const float x[] = {1, NAN, 3, -0.0f}, y[] = {2, 1, 3, 0};
  ir_value *vx = cst(c, IR_ET_F32, "4", x), *vy = cst(c, IR_ET_F32, "4", y);
  ir_tensor *t = eval(c, mk(c, IR_OP_LESS_1, 2, vx, vy));
  assert_int_equal(t->et, IR_ET_BOOLEAN);
  expect_i(t, (int64_t[]){1, 0, 0, 0}, 4);
  expect_i(eval(c, mk(c, IR_OP_EQUAL_1, 2, vx, vy)), (int64_t[]){0, 0, 1, 1}, 4);
  expect_i(eval(c, mk(c, IR_OP_NOTEQUAL_1, 2, vx, vy)), (int64_t[]){1, 1, 0, 0}, 4);
  expect_i(eval(c, mk(c, IR_OP_GREATEREQUAL_1, 2, vx, vy)), (int64_t[]){0, 0, 1, 1}, 4);
  const uint64_t big[] = {UINT64_MAX, 1}, one[] = {2};
  expect_i(eval(c, mk(c, IR_OP_GREATER_1, 2, cst(c, IR_ET_U64, "2", big), cst(c, IR_ET_U64, "1", one))),
           (int64_t[]){1, 0}, 2);
  /* select with numpy broadcast: cond [2,1], then [3], else scalar */
  const uint8_t cond[] = {1, 0};
  const int16_t th[] = {1, 2, 3}, el[] = {-9};
  expect_i(eval(c, mk(c, IR_OP_SELECT_1, 3, cst(c, IR_ET_BOOLEAN, "2,1", cond),
                      cst(c, IR_ET_I16, "3", th), cst(c, IR_ET_I16, "", el))),
           (int64_t[]){1, 2, 3, -9, -9, -9}, 6);
}

static void test_eval_convert(void **state) {
  ctx *c = *state;
  const float f[] = {-200.7f, -128.5f, 127.9f, 300, -0.9f, 1e20f, NAN, INFINITY};
  ir_value *vf = cst(c, IR_ET_F32, "8", f);
  /* Float -> int truncates toward zero, then wraps, as OpenVINO 2026.4 does on x86 (OV) */
  ir_op *op = mk(c, IR_OP_CONVERT_1, 1, vf);
  attr_et(c, op, "destination_type", IR_ET_I8);
  expect_i(eval(c, op), (int64_t[]){56, -128, 127, 44, 0, 0, 0, 0}, 8);
  const float g[] = {-3.7f, -1, 0, 1.9f, 7.5f, 15.2f, 16, 300};
  op = mk(c, IR_OP_CONVERT_1, 1, cst(c, IR_ET_F32, "8", g));
  attr_et(c, op, "destination_type", IR_ET_U4);
  ir_tensor *t = eval(c, op);
  assert_int_equal(t->nbytes, 4);
  expect_i(t, (int64_t[]){13, 15, 0, 1, 7, 15, 0, 12}, 8); /* OV */
  /* int -> int is modular (OV) */
  const int32_t k[] = {-300, -129, 200, 255, 256, -1};
  op = mk(c, IR_OP_CONVERT_1, 1, cst(c, IR_ET_I32, "6", k));
  attr_et(c, op, "destination_type", IR_ET_I8);
  expect_i(eval(c, op), (int64_t[]){-44, 127, -56, -1, 0, -1}, 6);
  const int32_t k4[] = {-3, -1, 0, 1, 7, 15, 16, 17};
  op = mk(c, IR_OP_CONVERT_1, 1, cst(c, IR_ET_I32, "8", k4));
  attr_et(c, op, "destination_type", IR_ET_U4);
  t = eval(c, op);
  expect_i(t, (int64_t[]){13, 15, 0, 1, 7, 15, 0, 1}, 8);
  assert_memory_equal(t->data, ((uint8_t[]){0xFD, 0x10, 0xF7, 0x10}), 4); /* OV bytes */
  /* u4 source decodes, -> f32 */
  op = mk(c, IR_OP_CONVERT_1, 1, cst(c, IR_ET_U4, "8", t->data));
  attr_et(c, op, "destination_type", IR_ET_F32);
  expect_f(eval(c, op), (double[]){13, 15, 0, 1, 7, 15, 0, 1}, 8, 0);
  /* -> boolean: non-zero; f32 -> f16 rounds (OV) */
  op = mk(c, IR_OP_CONVERT_1, 1, vf);
  attr_et(c, op, "destination_type", IR_ET_BOOLEAN);
  expect_i(eval(c, op), (int64_t[]){1, 1, 1, 1, 1, 1, 1, 1}, 8);
  const float h[] = {1e5f, 65519, 0.1f, -2.5e-8f};
  op = mk(c, IR_OP_CONVERT_1, 1, cst(c, IR_ET_F32, "4", h));
  attr_et(c, op, "destination_type", IR_ET_F16);
  expect_f(eval(c, op), (double[]){INFINITY, 65504, 0.0999755859375, 0}, 4, 0);
  /* i64 -> f32 rounds once (OV) */
  const int64_t l[] = {16777217, -16777219, 9007199254740993LL};
  op = mk(c, IR_OP_CONVERT_1, 1, cst(c, IR_ET_I64, "3", l));
  attr_et(c, op, "destination_type", IR_ET_F32);
  expect_f(eval(c, op), (double[]){16777216, -16777220, 9007199254740992.0}, 3, 0);
  /* ConvertLike takes the type of input 1 */
  const int8_t like[] = {0};
  op = mk(c, IR_OP_CONVERTLIKE_1, 2, cst(c, IR_ET_F32, "8", g), cst(c, IR_ET_I8, "1", like));
  expect_i(eval(c, op), (int64_t[]){-3, -1, 0, 1, 7, 15, 16, 44}, 8); /* wraps like Convert */
}

static void test_eval_fake_quantize(void **state) {
  ctx *c = *state;
  /* ties to even: (x - 0)/(4 - 0) * 4 = 0.5, 1.5, 2.5, 3.5 (OV) */
  const float x[] = {-1, 0.5f, 1.5f, 2.5f, 3.5f, 5, -1, 1, 3, 5, 7, 20};
  const float il[] = {0, 0}, ih[] = {4, 8}, ol[] = {0}, oh[] = {4, 2};
  ir_op *op = mk(c, IR_OP_FAKEQUANTIZE_1, 5, cst(c, IR_ET_F32, "2,2,3", x),
                 cst(c, IR_ET_F32, "2,1,1", il), cst(c, IR_ET_F32, "2,1,1", ih),
                 cst(c, IR_ET_F32, "", ol), cst(c, IR_ET_F32, "2,1,1", oh));
  attr_int(c, op, "levels", 5);
  expect_f(eval(c, op), (double[]){0, 0, 2, 2, 4, 4, 0, 0, 1, 1, 2, 2}, 12, 0);
  const float y[] = {0.1f, 0.33f, 0.5f, 0.77f, -0.2f, 1.3f};
  const float z0[] = {0}, z1[] = {1}, m1[] = {-1};
  op = mk(c, IR_OP_FAKEQUANTIZE_1, 5, cst(c, IR_ET_F32, "6", y), cst(c, IR_ET_F32, "", z0),
          cst(c, IR_ET_F32, "", z1), cst(c, IR_ET_F32, "", m1), cst(c, IR_ET_F32, "", z1));
  attr_int(c, op, "levels", 256);
  expect_f(eval(c, op), (double[]){-0.79607844, -0.34117642, 0.003921628, 0.537255, -1, 1}, 6,
           1e-7);
}

static void test_eval_unary(void **state) {
  ctx *c = *state;
  const float x[] = {-3, -1, -0.5f, 0, 0.5f, 1, 3};
  ir_value *vx = cst(c, IR_ET_F32, "7", x);
  ir_op *op = mk(c, IR_OP_GELU_7, 1, vx);
  attr_str(c, op, "approximation_mode", "tanh");
  expect_f(eval(c, op), (double[]){-0.003637392, -0.15880801, -0.154286, 0, 0.345714, 0.841192,
                                   2.9963627}, 7, 2e-6); /* OV */
  expect_f(eval(c, mk(c, IR_OP_GELU_7, 1, vx)),
           (double[]){-0.004049694, -0.15865526, -0.15426877, 0, 0.34573123, 0.8413448, 2.9959502},
           7, 2e-6); /* OV */
  expect_f(eval(c, mk(c, IR_OP_GELU_2, 1, vx)),
           (double[]){-0.004049694, -0.15865526, -0.15426877, 0, 0.34573123, 0.8413448, 2.9959502},
           7, 2e-6);
  const float half[] = {0.5f};
  expect_f(eval(c, mk(c, IR_OP_SWISH_4, 2, vx, cst(c, IR_ET_F32, "", half))),
           (double[]){-0.54727656, -0.37754068, -0.21891175, 0, 0.28108826, 0.62245935, 2.4527235},
           7, 2e-7); /* OV */
  expect_f(eval(c, mk(c, IR_OP_SOFTPLUS_4, 1, vx)),
           (double[]){0.04858733, 0.31326166, 0.474077, 0.6931472, 0.974077, 1.3132616, 3.0485873},
           7, 2e-7); /* OV */
  expect_f(eval(c, mk(c, IR_OP_MISH_4, 1, vx)),
           (double[]){-0.14564739, -0.3034014, -0.22074376, 0, 0.37524524, 0.86509836, 2.986535},
           7, 2e-7); /* OV */
  expect_f(eval(c, mk(c, IR_OP_SIGMOID_1, 1, vx)),
           (double[]){0.047425874, 0.26894143, 0.37754068, 0.5, 0.62245935, 0.7310586, 0.95257413},
           7, 2e-7); /* OV */
  expect_f(eval(c, mk(c, IR_OP_HSWISH_4, 1, vx)),
           (double[]){0, -0.3333333, -0.20833333, 0, 0.29166666, 0.6666667, 3}, 7, 2e-7); /* OV */
  op = mk(c, IR_OP_ELU_1, 1, vx);
  attr_float(c, op, "alpha", 0.5);
  expect_f(eval(c, op), (double[]){-0.47510648, -0.31606025, -0.1967347, 0, 0.5, 1, 3}, 7,
           2e-7); /* OV */
  const float al[] = {1.67326f}, la[] = {1.0507f};
  expect_f(eval(c, mk(c, IR_OP_SELU_1, 3, vx, cst(c, IR_ET_F32, "1", al), cst(c, IR_ET_F32, "1", la))),
           (double[]){-1.6705639, -1.1113274, -0.6917561, 0, 0.52535, 1.0507, 3.1520998}, 7,
           2e-7); /* OV */
  const float ha[] = {0.2f}, hb[] = {0.5f};
  expect_f(eval(c, mk(c, IR_OP_HARDSIGMOID_1, 3, vx, cst(c, IR_ET_F32, "", ha),
                      cst(c, IR_ET_F32, "", hb))),
           (double[]){0, 0.3, 0.4, 0.5, 0.6, 0.7, 1}, 7, 2e-7); /* OV */
  expect_f(eval(c, mk(c, IR_OP_SOFTSIGN_9, 1, vx)),
           (double[]){-0.75, -0.5, -1.0 / 3, 0, 1.0 / 3, 0.5, 0.75}, 7, 1e-7);
  /* SoftPlus returns x at and above log(FLT_MAX) */
  const float big[] = {100, 13.9f};
  expect_f(eval(c, mk(c, IR_OP_SOFTPLUS_4, 1, cst(c, IR_ET_F32, "2", big))),
           (double[]){100, 13.900001}, 2, 1e-7);
  /* Round */
  const float r[] = {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 2.4999f, -3.7f};
  ir_value *vr = cst(c, IR_ET_F32, "8", r);
  op = mk(c, IR_OP_ROUND_5, 1, vr);
  attr_str(c, op, "mode", "half_to_even");
  ir_tensor *t = eval(c, op);
  expect_f(t, (double[]){-2, -2, -0.0, 0, 2, 2, 2, -4}, 8, 0); /* OV */
  assert_true(signbit(ir_elem_get_f64(t->et, t->data, 2)));
  op = mk(c, IR_OP_ROUND_5, 1, vr);
  attr_str(c, op, "mode", "half_away_from_zero");
  expect_f(eval(c, op), (double[]){-3, -2, -1, 1, 2, 3, 2, -4}, 8, 0); /* OV */
  /* classification */
  const float cl[] = {INFINITY, -INFINITY, 1, NAN};
  ir_value *vc = cst(c, IR_ET_F32, "4", cl);
  op = mk(c, IR_OP_ISINF_10, 1, vc);
  attr_bool(c, op, "detect_negative", false);
  expect_i(eval(c, op), (int64_t[]){1, 0, 0, 0}, 4); /* OV */
  expect_i(eval(c, mk(c, IR_OP_ISINF_10, 1, vc)), (int64_t[]){1, 1, 0, 0}, 4);
  expect_i(eval(c, mk(c, IR_OP_ISNAN_10, 1, vc)), (int64_t[]){0, 0, 0, 1}, 4);
  expect_i(eval(c, mk(c, IR_OP_ISFINITE_10, 1, vc)), (int64_t[]){0, 0, 1, 0}, 4);
  const float s[] = {NAN, -0.0f, -2.5f, 3};
  expect_f(eval(c, mk(c, IR_OP_SIGN_1, 1, cst(c, IR_ET_F32, "4", s))), (double[]){NAN, 0, -1, 1}, 4,
           0); /* OV */
}

static void test_eval_unary_int(void **state) {
  ctx *c = *state;
  const int32_t x[] = {-5, -2, -1, 0, 1, 2, 3, 10};
  ir_value *vx = cst(c, IR_ET_I32, "8", x);
  ir_op *op = mk(c, IR_OP_CLAMP_1, 1, vx);
  attr_float(c, op, "min", -1.5);
  attr_float(c, op, "max", 2.5);
  expect_i(eval(c, op), (int64_t[]){-1, -1, -1, 0, 1, 2, 2, 2}, 8); /* OV */
  const uint8_t u[] = {0, 1, 5, 255};
  op = mk(c, IR_OP_CLAMP_1, 1, cst(c, IR_ET_U8, "4", u));
  attr_float(c, op, "min", -1.5);
  attr_float(c, op, "max", 300);
  expect_i(eval(c, op), (int64_t[]){0, 1, 5, 255}, 4); /* OV */
  op = mk(c, IR_OP_CLAMP_1, 1, cst(c, IR_ET_U8, "4", u));
  attr_float(c, op, "min", 0.5);
  attr_float(c, op, "max", 4.9);
  expect_i(eval(c, op), (int64_t[]){1, 1, 4, 4}, 4);
  expect_i(eval(c, mk(c, IR_OP_ABS_1, 1, vx)), (int64_t[]){5, 2, 1, 0, 1, 2, 3, 10}, 8);
  expect_i(eval(c, mk(c, IR_OP_SIGN_1, 1, vx)), (int64_t[]){-1, -1, -1, 0, 1, 1, 1, 1}, 8);
  expect_i(eval(c, mk(c, IR_OP_RELU_1, 1, vx)), (int64_t[]){0, 0, 0, 0, 1, 2, 3, 10}, 8);
  expect_i(eval(c, mk(c, IR_OP_FLOOR_1, 1, vx)), (int64_t[]){-5, -2, -1, 0, 1, 2, 3, 10}, 8);
  expect_i(eval(c, mk(c, IR_OP_SIGMOID_1, 1, vx)), (int64_t[]){0, 0, 0, 0, 1, 1, 1, 1}, 8); /* OV */
  expect_i(eval(c, mk(c, IR_OP_LOGICALNOT_1, 1, vx)), (int64_t[]){0, 0, 0, 1, 0, 0, 0, 0}, 8);
  /* OV rounds some integer math results and truncates others */
  const int32_t p[] = {0, 1, 2, 3, 4, 5, 7};
  ir_value *vp = cst(c, IR_ET_I32, "7", p);
  expect_i(eval(c, mk(c, IR_OP_SQRT_1, 1, vp)), (int64_t[]){0, 1, 1, 2, 2, 2, 3}, 7);       /* OV */
  expect_i(eval(c, mk(c, IR_OP_EXP_1, 1, vp)), (int64_t[]){1, 2, 7, 20, 54, 148, 1096}, 7); /* OV */
  expect_i(eval(c, mk(c, IR_OP_COSH_1, 1, vp)), (int64_t[]){1, 2, 4, 10, 27, 74, 548}, 7);  /* OV */
  /* undefined (NaN) results are not folded */
  assert_int_equal(eval_status(c, mk(c, IR_OP_SQRT_1, 1, vx)), OVCC_ERR_UNSUPPORTED);
  /* float clamp bounds are rounded to T */
  const float f[] = {-10, 0.1f, 10};
  op = mk(c, IR_OP_CLAMP_1, 1, cst(c, IR_ET_F32, "3", f));
  attr_float(c, op, "min", -0.1);
  attr_float(c, op, "max", 6);
  expect_f(eval(c, op), (double[]){(float)-0.1, 0.1f, 6}, 3, 0);
}

static void test_eval_prelu(void **state) {
  ctx *c = *state;
  const float x[] = {-1, 2, -3, 4}, s[] = {0.5f, 0.25f};
  expect_f(eval(c, mk(c, IR_OP_PRELU_1, 2, cst(c, IR_ET_F32, "1,2,2", x), cst(c, IR_ET_F32, "2", s))),
           (double[]){-0.5, 2, -0.75, 4}, 4, 0); /* OV: per channel (axis 1) */
  const float y[] = {-1, 2, -3}, t[] = {0.5f, 0.25f, 2};
  expect_f(eval(c, mk(c, IR_OP_PRELU_1, 2, cst(c, IR_ET_F32, "3", y), cst(c, IR_ET_F32, "3", t))),
           (double[]){-0.5, 2, -6}, 3, 0); /* OV */
  const float u[] = {0.1f};
  expect_f(eval(c, mk(c, IR_OP_PRELU_1, 2, cst(c, IR_ET_F32, "1,2,2", x), cst(c, IR_ET_F32, "1", u))),
           (double[]){-0.1, 2, -0.3, 4}, 4, 1e-7);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_shape_numpy, setup, teardown),
      cmocka_unit_test_setup_teardown(test_shape_none_pdpd, setup, teardown),
      cmocka_unit_test_setup_teardown(test_shape_others, setup, teardown),
      cmocka_unit_test_setup_teardown(test_eval_divide_mod, setup, teardown),
      cmocka_unit_test_setup_teardown(test_eval_broadcast, setup, teardown),
      cmocka_unit_test_setup_teardown(test_eval_bitwise_compare_select, setup, teardown),
      cmocka_unit_test_setup_teardown(test_eval_convert, setup, teardown),
      cmocka_unit_test_setup_teardown(test_eval_fake_quantize, setup, teardown),
      cmocka_unit_test_setup_teardown(test_eval_unary, setup, teardown),
      cmocka_unit_test_setup_teardown(test_eval_unary_int, setup, teardown),
      cmocka_unit_test_setup_teardown(test_eval_prelu, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
