/* Shape functions of the infrastructure ops (shape_infra.c: Parameter,
 * Constant, ReadValue, TensorIterator, Loop, If), the recurrent ops
 * (shape_rnn.c), the detection heads (shape_detection.c) and a selection of
 * the extended ops (shape_ext.c, ops_ext.def). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

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

static void set_type_attrs(ir_model *m, ir_op *op, ir_etype et, const ir_shape *s) {
  ir_attr_value a = {.kind = IR_ATTR_ETYPE, .u.et = et};
  ir_attr_value b = {.kind = IR_ATTR_SHAPE, .u.shape = (ir_shape *)s};
  assert_true(ir_op_set_attr(m, op, "element_type", &a));
  assert_true(ir_op_set_attr(m, op, "shape", &b));
}

/* A Parameter of graph g. */
static ir_value *gparam(ir_model *m, ir_graph *g, ir_etype et, const char *shape) {
  ir_op *op = ir_op_create(m, IR_OP_PARAMETER_1, 0, 1);
  assert_non_null(op);
  ir_shape s = parse_shape(shape);
  op->results[0].type.et = et;
  op->results[0].type.shape = s;
  set_type_attrs(m, op, et, &s);
  ir_graph_insert(g, op, NULL);
  assert_true(ir_graph_add_param(g, op));
  return &op->results[0];
}

static ir_value *param(ir_model *m, ir_etype et, const char *shape) {
  return gparam(m, m->main, et, shape);
}

static ir_value *gcst(ir_model *m, ir_graph *g, ir_etype et, const char *shape, const void *data,
                      size_t n) {
  ir_type t = {et, parse_shape(shape)};
  ir_op *op = ir_const_create(m, &t, data, n);
  assert_non_null(op);
  ir_graph_insert(g, op, NULL);
  return &op->results[0];
}

static ir_value *cst(ir_model *m, ir_etype et, const char *shape, const void *data, size_t n) {
  return gcst(m, m->main, et, shape, data, n);
}

static ir_value *ci64(ir_model *m, const int64_t *v, int n) {
  char sh[16];
  snprintf(sh, sizeof sh, "%d", n);
  return cst(m, IR_ET_I64, sh, v, (size_t)n * 8);
}

static ir_value *scalar_i64(ir_model *m, int64_t v) { return cst(m, IR_ET_I64, "", &v, 8); }
static ir_value *scalar_bool(ir_model *m, ir_graph *g, bool v) {
  uint8_t b = v;
  return gcst(m, g, IR_ET_BOOLEAN, "", &b, 1);
}

#define I64S(...) ((const int64_t[]){__VA_ARGS__})
#define NV(...) (int)(sizeof((const int64_t[]){__VA_ARGS__}) / 8)
#define VEC(m, ...) ci64((m), I64S(__VA_ARGS__), NV(__VA_ARGS__))

static ir_op *gmkop(ir_model *m, ir_graph *g, ir_op_id id, uint32_t n_res, ir_value *const *ins,
                    uint32_t n) {
  ir_op *op = ir_op_create(m, id, n, n_res);
  assert_non_null(op);
  for (uint32_t i = 0; i < n; i++)
    ir_op_set_operand(op, i, ins[i]);
  ir_graph_insert(g, op, NULL);
  return op;
}
#define MKN(m, id, nres, ...)                                                                      \
  gmkop((m), (m)->main, (id), (nres), (ir_value *const[]){__VA_ARGS__},                            \
        sizeof((ir_value *const[]){__VA_ARGS__}) / sizeof(ir_value *))
#define MK(m, id, ...) MKN(m, id, 1, __VA_ARGS__)

static ir_op *body_result(ir_model *m, ir_graph *g, ir_value *v) {
  ir_op *r = gmkop(m, g, IR_OP_RESULT_1, 0, (ir_value *const[]){v}, 1);
  assert_true(ir_graph_add_result(g, r));
  return r;
}

static ir_value *body_relu(ir_model *m, ir_graph *g, ir_value *v) {
  return &gmkop(m, g, IR_OP_RELU_1, 1, (ir_value *const[]){v}, 1)->results[0];
}

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
static void set_floats(ir_model *m, ir_op *op, const char *n, const double *v, int cnt) {
  ir_attr_value a = {.kind = IR_ATTR_FLOATS, .u.floats = {(double *)v, (uint32_t)cnt}};
  assert_true(ir_op_set_attr(m, op, n, &a));
}
static void set_float(ir_model *m, ir_op *op, const char *n, double v) {
  ir_attr_value a = {.kind = IR_ATTR_FLOAT, .u.f = v};
  assert_true(ir_op_set_attr(m, op, n, &a));
}
static void set_et(ir_model *m, ir_op *op, const char *n, ir_etype et) {
  ir_attr_value a = {.kind = IR_ATTR_ETYPE, .u.et = et};
  assert_true(ir_op_set_attr(m, op, n, &a));
}
static void set_shape(ir_model *m, ir_op *op, const char *n, const char *s) {
  ir_shape sh = parse_shape(s);
  ir_attr_value a = {.kind = IR_ATTR_SHAPE, .u.shape = &sh};
  assert_true(ir_op_set_attr(m, op, n, &a));
}
#define SET_INTS(m, op, name, ...) set_ints((m), (op), (name), I64S(__VA_ARGS__), NV(__VA_ARGS__))
#define F64S(...) ((const double[]){__VA_ARGS__})
#define NF(...) (int)(sizeof((const double[]){__VA_ARGS__}) / 8)
#define SET_FLOATS(m, op, name, ...) set_floats((m), (op), (name), F64S(__VA_ARGS__), NF(__VA_ARGS__))

/* Port-map dict; axis < -100: no slicing fields. */
static ir_attr_value port(ir_model *m, int64_t ext, int64_t internal, int64_t axis, int64_t start,
                          int64_t stride, int64_t part, int64_t end) {
  ir_attr_value dct = {.kind = IR_ATTR_DICT};
  const char *keys[7] = {"external", "internal", "axis", "start", "stride", "part_size", "end"};
  int64_t vals[7] = {ext, internal, axis, start, stride, part, end};
  int n = axis < -100 ? 2 : 7;
  for (int i = 0; i < n; i++) {
    ir_attr_value v = {.kind = IR_ATTR_INT, .u.i = vals[i]};
    assert_true(ir_dict_set(&m->arena, &dct, keys[i], &v));
  }
  return dct;
}
#define PLAIN(m, e, i) port((m), (e), (i), -1000, 0, 1, 1, -1)

static ir_attr_value edge(ir_model *m, int64_t from, int64_t to) {
  ir_attr_value dct = {.kind = IR_ATTR_DICT};
  ir_attr_value f = {.kind = IR_ATTR_INT, .u.i = from}, t = {.kind = IR_ATTR_INT, .u.i = to};
  assert_true(ir_dict_set(&m->arena, &dct, "from", &f));
  assert_true(ir_dict_set(&m->arena, &dct, "to", &t));
  return dct;
}

static void set_list(ir_model *m, ir_op *op, const char *n, ir_attr_value *items, uint32_t cnt) {
  ir_attr_value a = {.kind = IR_ATTR_LIST, .u.list = {items, cnt}};
  assert_true(ir_op_set_attr(m, op, n, &a));
}
#define SET_LIST(m, op, name, ...)                                                                 \
  set_list((m), (op), (name), (ir_attr_value[]){__VA_ARGS__},                                      \
           sizeof((ir_attr_value[]){__VA_ARGS__}) / sizeof(ir_attr_value))

static ir_graph *add_bodies(ir_model *m, ir_op *op, uint32_t n) {
  op->bodies = ir_arena_alloc(&m->arena, n * sizeof *op->bodies);
  assert_non_null(op->bodies);
  op->n_bodies = n;
  for (uint32_t i = 0; i < n; i++)
    assert_non_null(op->bodies[i] = ir_graph_create(m, op));
  return op->bodies[0];
}

/* Applies the schema and infers; returns the status (message in *d). */
static ovcc_status infer(ir_model *m, ir_op *op, ir_diag *d) {
  ir_diag_clear(d);
  assert_int_equal(ir_op_apply_schema(m, op, d), OVCC_OK);
  for (uint32_t i = 0; i < op->n_results; i++) /* re-inference: nothing declared */
    op->results[i].type = (ir_type){IR_ET_DYNAMIC, ir_shape_dynamic_rank()};
  return ir_infer_op(op, true, d);
}

static void expect_type(const ir_op *op, uint32_t i, ir_etype et, const char *want) {
  char buf[256];
  ir_shape_format(&op->results[i].type.shape, buf, sizeof buf);
  if (strcmp(buf, want) != 0)
    fail_msg("output %u: got [%s], want [%s]", i, buf, want);
  if (et != IR_ET_DYNAMIC && op->results[i].type.et != et)
    fail_msg("output %u: got type %s, want %s", i, ir_etype_name(op->results[i].type.et),
             ir_etype_name(et));
}

static void infer_ok(ir_model *m, ir_op *op) {
  ir_diag d;
  if (infer(m, op, &d) != OVCC_OK)
    fail_msg("%s", d.msg);
}

static void infer_err(ir_model *m, ir_op *op, const char *needle) {
  ir_diag d;
  assert_int_not_equal(infer(m, op, &d), OVCC_OK);
  if (!strstr(d.msg, needle))
    fail_msg("message '%s' lacks '%s'", d.msg, needle);
}

/* ---- Parameter, Constant, ReadValue ---- */

static void test_parameter_constant(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_value *p = param(m, IR_ET_F16, "1,?,4");
  infer_ok(m, p->def);
  expect_type(p->def, 0, IR_ET_F16, "1,?,4");
  float f[6] = {0};
  ir_value *c = cst(m, IR_ET_F32, "2,3", f, sizeof f);
  infer_ok(m, c->def);
  expect_type(c->def, 0, IR_ET_F32, "2,3");
  assert_non_null(c->known);
  c->def->cst->nbytes = 20; /* corrupt: 6 floats need 24 bytes */
  infer_err(m, c->def, "needs 24 bytes, its data has 20");
  ir_model_free(m);
}

static void test_read_value(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_value *init = param(m, IR_ET_F32, "1,8,0,64");
  ir_op *rv = MK(m, IR_OP_READVALUE_6, init);
  set_str(m, rv, "variable_id", "past_key");
  set_et(m, rv, "variable_type", IR_ET_F32);
  set_shape(m, rv, "variable_shape", "?,8,?,64");
  infer_ok(m, rv);
  expect_type(rv, 0, IR_ET_F32, "?,8,?,64"); /* the state, not the initializer */

  ir_op *bad = MK(m, IR_OP_READVALUE_6, param(m, IR_ET_I32, "1,8,0,64"));
  set_str(m, bad, "variable_id", "v");
  set_et(m, bad, "variable_type", IR_ET_F32);
  set_shape(m, bad, "variable_shape", "?,8,?,64");
  infer_err(m, bad, "does not match the variable type");

  ir_op *bad2 = MK(m, IR_OP_READVALUE_6, param(m, IR_ET_F32, "1,4,0,64"));
  set_str(m, bad2, "variable_id", "v");
  set_shape(m, bad2, "variable_shape", "?,8,?,64");
  infer_err(m, bad2, "not compatible with the variable shape");

  ir_op *legacy = MK(m, IR_OP_READVALUE_6, param(m, IR_ET_F32, "2,3"));
  set_str(m, legacy, "variable_id", "old");
  infer_ok(m, legacy);
  expect_type(legacy, 0, IR_ET_F32, "2,3");

  ir_op *v3 = MK(m, IR_OP_READVALUE_3, param(m, IR_ET_F32, "5"));
  set_str(m, v3, "variable_id", "x");
  infer_ok(m, v3);
  expect_type(v3, 0, IR_ET_F32, "5");

  ir_op *as = gmkop(m, m->main, IR_OP_ASSIGN_6, 0, (ir_value *const[]){&rv->results[0]}, 1);
  set_str(m, as, "variable_id", "past_key");
  infer_ok(m, as);
  ir_model_free(m);
}

/* ---- TensorIterator, Loop, If ---- */

static void test_tensor_iterator(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_value *x = param(m, IR_ET_F32, "2,10,8");
  ir_value *h = param(m, IR_ET_F32, "2,8");
  ir_op *ti = MKN(m, IR_OP_TENSORITERATOR_1, 3, x, h);
  ir_graph *b = add_bodies(m, ti, 1);
  ir_value *p0 = gparam(m, b, IR_ET_F32, "?,?,?"); /* retyped from the outer input */
  ir_value *p1 = gparam(m, b, IR_ET_F32, "2,8");
  body_result(m, b, body_relu(m, b, p0));
  body_result(m, b, body_relu(m, b, p1));
  SET_LIST(m, ti, "input_map", port(m, 0, 0, 1, 0, 1, 1, -1), PLAIN(m, 1, 1));
  SET_LIST(m, ti, "output_map", port(m, 0, 0, 1, 0, 1, 1, -1), PLAIN(m, 1, 1),
           port(m, 2, 0, -2, 0, 1, 1, -1));
  SET_LIST(m, ti, "back_edges", edge(m, 1, 1));
  infer_ok(m, ti);
  expect_type(p0->def, 0, IR_ET_F32, "2,1,8");
  expect_type(ti, 0, IR_ET_F32, "2,10,8");
  expect_type(ti, 1, IR_ET_F32, "2,8");
  expect_type(ti, 2, IR_ET_F32, "2,10,8"); /* negative axis -2 on [2,1,8] */

  /* a bad port index names the map */
  SET_LIST(m, ti, "output_map", PLAIN(m, 0, 5));
  infer_err(m, ti, "output_map[0]: internal 5 is not a body Result");
  ir_model_free(m);
}

/* A merged input whose back edge grows: the body Parameter is relaxed. */
static void test_tensor_iterator_relax(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_value *x = param(m, IR_ET_F32, "4,3");
  ir_value *h = param(m, IR_ET_F32, "1,3");
  ir_op *ti = MKN(m, IR_OP_TENSORITERATOR_1, 1, x, h);
  ir_graph *b = add_bodies(m, ti, 1);
  ir_value *p0 = gparam(m, b, IR_ET_F32, "1,3");
  ir_value *p1 = gparam(m, b, IR_ET_F32, "1,3");
  ir_op *cat = gmkop(m, b, IR_OP_CONCAT_1, 1, (ir_value *const[]){p1, p0}, 2);
  set_int(m, cat, "axis", 0);
  body_result(m, b, &cat->results[0]);
  SET_LIST(m, ti, "input_map", port(m, 0, 0, 0, 0, 1, 1, -1), PLAIN(m, 1, 1));
  SET_LIST(m, ti, "output_map", PLAIN(m, 0, 0));
  SET_LIST(m, ti, "back_edges", edge(m, 0, 1));
  infer_ok(m, ti);
  expect_type(p1->def, 0, IR_ET_F32, "?,3");
  expect_type(ti, 0, IR_ET_F32, "1..,3"); /* concat of [?,3] and [1,3] */
  ir_model_free(m);
}

static void test_loop(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_value *trip = scalar_i64(m, 5);
  ir_value *cond = scalar_bool(m, m->main, true);
  ir_value *x = param(m, IR_ET_F32, "3");
  ir_op *lp = MKN(m, IR_OP_LOOP_5, 2, trip, cond, x);
  ir_graph *b = add_bodies(m, lp, 1);
  ir_value *p0 = gparam(m, b, IR_ET_F32, "?");
  body_result(m, b, body_relu(m, b, p0));
  body_result(m, b, scalar_bool(m, b, true));
  SET_LIST(m, lp, "input_map", PLAIN(m, 2, 0));
  SET_LIST(m, lp, "output_map", port(m, 0, 0, 0, 0, 1, 1, -1), PLAIN(m, 1, 0));
  SET_LIST(m, lp, "back_edges", edge(m, 0, 0));
  set_int(m, lp, "body_condition_output_idx", 1);
  infer_ok(m, lp);
  expect_type(lp, 0, IR_ET_F32, "15");
  expect_type(lp, 1, IR_ET_F32, "3");

  /* unknown trip count: the concatenated output is dynamic */
  ir_op *lp2 = MKN(m, IR_OP_LOOP_5, 2, param(m, IR_ET_I64, ""), cond, x);
  ir_graph *b2 = add_bodies(m, lp2, 1);
  ir_value *q0 = gparam(m, b2, IR_ET_F32, "?");
  body_result(m, b2, body_relu(m, b2, q0));
  body_result(m, b2, scalar_bool(m, b2, true));
  SET_LIST(m, lp2, "input_map", PLAIN(m, 2, 0));
  SET_LIST(m, lp2, "output_map", port(m, 0, 0, 0, 0, 1, 1, -1), PLAIN(m, 1, 0));
  set_int(m, lp2, "body_condition_output_idx", 1);
  infer_ok(m, lp2);
  expect_type(lp2, 0, IR_ET_F32, "?");
  expect_type(lp2, 1, IR_ET_F32, "3");

  set_int(m, lp2, "body_condition_output_idx", 7);
  infer_err(m, lp2, "body_condition_output_idx 7 is not a body Result");
  ir_model_free(m);
}

static ir_op *make_if(ir_model *m, ir_value *cond, const char *xs, const char *ys) {
  ir_value *x = param(m, IR_ET_F32, xs);
  ir_value *y = param(m, IR_ET_F32, ys);
  ir_op *op = MKN(m, IR_OP_IF_8, 1, cond, x, y);
  add_bodies(m, op, 2);
  for (int k = 0; k < 2; k++) {
    ir_graph *g = op->bodies[k];
    ir_value *p = gparam(m, g, IR_ET_F32, "...");
    body_result(m, g, body_relu(m, g, p));
  }
  SET_LIST(m, op, "then_inputs", PLAIN(m, 1, 0));
  SET_LIST(m, op, "else_inputs", PLAIN(m, 2, 0));
  SET_LIST(m, op, "then_outputs", PLAIN(m, 0, 0));
  SET_LIST(m, op, "else_outputs", PLAIN(m, 0, 0));
  return op;
}

static void test_if(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_op *known = make_if(m, scalar_bool(m, m->main, true), "2,3", "4");
  infer_ok(m, known);
  expect_type(known, 0, IR_ET_F32, "2,3");
  ir_op *known_else = make_if(m, scalar_bool(m, m->main, false), "2,3", "4");
  infer_ok(m, known_else);
  expect_type(known_else, 0, IR_ET_F32, "4");
  ir_op *runtime = make_if(m, param(m, IR_ET_BOOLEAN, ""), "2,3", "2,5");
  infer_ok(m, runtime);
  expect_type(runtime, 0, IR_ET_F32, "2,3..5");
  ir_op *ranks = make_if(m, param(m, IR_ET_BOOLEAN, ""), "2,3", "4");
  infer_ok(m, ranks);
  expect_type(ranks, 0, IR_ET_F32, "...");
  ir_model_free(m);
}

/* ---- recurrent ---- */

static ir_op *rnn_seq(ir_model *m, ir_op_id id, int gates, int64_t hs, const char *w_shape) {
  char rs[64], bs[64];
  snprintf(rs, sizeof rs, "1,%d,%d", (int)(gates * hs), (int)hs);
  snprintf(bs, sizeof bs, "1,%d", (int)(gates * hs));
  ir_value *x = param(m, IR_ET_F32, "10,3,512");
  ir_value *h = param(m, IR_ET_F32, "10,1,256");
  ir_value *sl = param(m, IR_ET_I32, "10");
  ir_value *w = param(m, IR_ET_F32, w_shape);
  ir_value *r = param(m, IR_ET_F32, rs);
  ir_value *b = param(m, IR_ET_F32, bs);
  ir_op *op = id == IR_OP_LSTMSEQUENCE_5
                  ? MKN(m, id, 3, x, h, param(m, IR_ET_F32, "10,1,256"), sl, w, r, b)
                  : MKN(m, id, 2, x, h, sl, w, r, b);
  set_int(m, op, "hidden_size", hs);
  set_str(m, op, "direction", "forward");
  return op;
}

static void test_rnn(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_op *lstm = rnn_seq(m, IR_OP_LSTMSEQUENCE_5, 4, 256, "1,1024,512");
  infer_ok(m, lstm);
  expect_type(lstm, 0, IR_ET_F32, "10,1,3,256");
  expect_type(lstm, 1, IR_ET_F32, "10,1,256");
  expect_type(lstm, 2, IR_ET_F32, "10,1,256");
  ir_op *gru = rnn_seq(m, IR_OP_GRUSEQUENCE_5, 3, 256, "1,768,512");
  infer_ok(m, gru);
  expect_type(gru, 0, IR_ET_F32, "10,1,3,256");
  expect_type(gru, 1, IR_ET_F32, "10,1,256");
  ir_op *bad = rnn_seq(m, IR_OP_GRUSEQUENCE_5, 3, 256, "1,1024,512");
  infer_err(m, bad, "input 3 (W) dim 1 is 1024, expected 768 (gates * hidden_size)");
  ir_op *bidir = rnn_seq(m, IR_OP_RNNSEQUENCE_5, 1, 256, "1,256,512");
  set_str(m, bidir, "direction", "bidirectional");
  infer_err(m, bidir, "expected 2 (num_directions)");

  ir_op *cell = MKN(m, IR_OP_LSTMCELL_4, 2, param(m, IR_ET_F32, "?,16"),
                    param(m, IR_ET_F32, "4,32"), param(m, IR_ET_F32, "4,32"),
                    param(m, IR_ET_F32, "128,16"), param(m, IR_ET_F32, "128,32"),
                    param(m, IR_ET_F32, "128"));
  set_int(m, cell, "hidden_size", 32);
  infer_ok(m, cell);
  expect_type(cell, 0, IR_ET_F32, "4,32");
  expect_type(cell, 1, IR_ET_F32, "4,32");
  ir_op *gcell = MK(m, IR_OP_GRUCELL_3, param(m, IR_ET_F32, "2,16"), param(m, IR_ET_F32, "2,8"),
                    param(m, IR_ET_F32, "24,16"), param(m, IR_ET_F32, "24,8"),
                    param(m, IR_ET_F32, "32"));
  set_int(m, gcell, "hidden_size", 8);
  set_bool(m, gcell, "linear_before_reset", true);
  infer_ok(m, gcell);
  expect_type(gcell, 0, IR_ET_F32, "2,8");
  ir_model_free(m);
}

/* ---- detection ---- */

static void test_detection_output(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_op *d1 = MK(m, IR_OP_DETECTIONOUTPUT_1, param(m, IR_ET_F32, "1,30672"),
                 param(m, IR_ET_F32, "1,161028"), param(m, IR_ET_F32, "1,2,30672"));
  set_int(m, d1, "num_classes", 21);
  SET_INTS(m, d1, "keep_top_k", 200);
  set_float(m, d1, "nms_threshold", 0.45);
  set_bool(m, d1, "normalized", true);
  infer_ok(m, d1);
  expect_type(d1, 0, IR_ET_F32, "1,1,200,7");
  set_bool(m, d1, "normalized", false);
  infer_err(m, d1, "proposals dim 2 (30672) is not a multiple of the prior box size 5");
  set_bool(m, d1, "normalized", true);
  infer_ok(m, d1);
  expect_type(d1, 0, IR_ET_F32, "1,1,200,7");

  ir_op *d8 = MK(m, IR_OP_DETECTIONOUTPUT_8, param(m, IR_ET_F32, "2,30672"),
                 param(m, IR_ET_F32, "2,161028"), param(m, IR_ET_F32, "2,2,30672"));
  SET_INTS(m, d8, "keep_top_k", -1);
  set_float(m, d8, "nms_threshold", 0.45);
  set_bool(m, d8, "normalized", true);
  infer_ok(m, d8);
  expect_type(d8, 0, IR_ET_F32, "1,1,322056,7"); /* 2 images * 7668 priors * 21 classes */
  set_int(m, d8, "top_k", 100);
  infer_ok(m, d8);
  expect_type(d8, 0, IR_ET_F32, "1,1,4200,7");
  ir_model_free(m);
}

static void test_prior_boxes(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_op *pbc = MK(m, IR_OP_PRIORBOXCLUSTERED_1, VEC(m, 19, 19), VEC(m, 300, 300));
  SET_FLOATS(m, pbc, "width", 10, 20, 30);
  SET_FLOATS(m, pbc, "height", 10, 20, 30);
  set_float(m, pbc, "offset", 0.5);
  infer_ok(m, pbc);
  expect_type(pbc, 0, IR_ET_F32, "2,4332");

  ir_op *pb = MK(m, IR_OP_PRIORBOX_1, VEC(m, 10, 10), VEC(m, 300, 300));
  SET_FLOATS(m, pb, "min_size", 60);
  SET_FLOATS(m, pb, "max_size", 150);
  SET_FLOATS(m, pb, "aspect_ratio", 2);
  set_bool(m, pb, "flip", true);
  set_float(m, pb, "offset", 0.5);
  infer_ok(m, pb);
  expect_type(pb, 0, IR_ET_F32, "2,1600"); /* ratios {1,2,0.5}: 3 * 1 + 1 priors */
  set_bool(m, pb, "scale_all_sizes", false);
  SET_FLOATS(m, pb, "density", 2);
  infer_ok(m, pb);
  expect_type(pb, 0, IR_ET_F32, "2,4800"); /* 3 + 1 - 1 + 3 * (2*2 - 1) = 12 */

  ir_op *dyn = MK(m, IR_OP_PRIORBOXCLUSTERED_1, param(m, IR_ET_I64, "2"), VEC(m, 300, 300));
  SET_FLOATS(m, dyn, "width", 1);
  SET_FLOATS(m, dyn, "height", 1, 2);
  set_float(m, dyn, "offset", 0.5);
  infer_err(m, dyn, "width has 1 values, height 2");
  ir_model_free(m);
}

static void test_yolo_ctc(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_op *ry = MK(m, IR_OP_REGIONYOLO_1, param(m, IR_ET_F32, "1,255,13,13"));
  set_int(m, ry, "coords", 4);
  set_int(m, ry, "classes", 80);
  set_int(m, ry, "num", 9);
  set_bool(m, ry, "do_softmax", false);
  SET_INTS(m, ry, "mask", 6, 7, 8);
  infer_ok(m, ry);
  expect_type(ry, 0, IR_ET_F32, "1,255,13,13");
  set_bool(m, ry, "do_softmax", true);
  infer_ok(m, ry);
  expect_type(ry, 0, IR_ET_F32, "1,43095");
  ir_op *rg = MK(m, IR_OP_REORGYOLO_2, param(m, IR_ET_F32, "1,64,26,26"));
  SET_INTS(m, rg, "stride", 2);
  infer_ok(m, rg);
  expect_type(rg, 0, IR_ET_F32, "1,256,13,13");
  ir_op *ctc = MKN(m, IR_OP_CTCGREEDYDECODERSEQLEN_6, 2, param(m, IR_ET_F32, "8,20,37"),
                   param(m, IR_ET_I32, "8"));
  infer_ok(m, ctc);
  expect_type(ctc, 0, IR_ET_I32, "8,20");
  expect_type(ctc, 1, IR_ET_I32, "8");
  ir_model_free(m);
}

static void expect_known_f32(const ir_op *op, const float *want, int n) {
  const ir_tensor *t = op->results[0].known;
  assert_non_null(t);
  assert_int_equal(t->numel, n);
  for (int i = 0; i < n; i++)
    if (fabsf(((const float *)t->data)[i] - want[i]) > 1e-6f)
      fail_msg("value %d: got %.9g, want %.9g", i, ((const float *)t->data)[i], want[i]);
}

static void test_prior_box_eval(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_op *pbc = MK(m, IR_OP_PRIORBOXCLUSTERED_1, VEC(m, 2, 2), VEC(m, 10, 10));
  SET_FLOATS(m, pbc, "width", 4);
  SET_FLOATS(m, pbc, "height", 2);
  set_float(m, pbc, "offset", 0.5);
  infer_ok(m, pbc);
  expect_type(pbc, 0, IR_ET_F32, "2,16");
  const float want_c[32] = {0.05f, 0.15f, 0.45f, 0.35f, 0.55f, 0.15f, 0.95f, 0.35f,
                            0.05f, 0.65f, 0.45f, 0.85f, 0.55f, 0.65f, 0.95f, 0.85f,
                            0.1f,  0.1f,  0.1f,  0.1f,  0.1f,  0.1f,  0.1f,  0.1f,
                            0.1f,  0.1f,  0.1f,  0.1f,  0.1f,  0.1f,  0.1f,  0.1f};
  expect_known_f32(pbc, want_c, 32);

  ir_op *pb = MK(m, IR_OP_PRIORBOX_1, VEC(m, 1, 1), VEC(m, 10, 10));
  SET_FLOATS(m, pb, "min_size", 4);
  SET_FLOATS(m, pb, "max_size", 9);
  SET_FLOATS(m, pb, "aspect_ratio", 2);
  SET_FLOATS(m, pb, "variance", 0.1, 0.1, 0.2, 0.2);
  set_float(m, pb, "offset", 0.5);
  infer_ok(m, pb);
  expect_type(pb, 0, IR_ET_F32, "2,12");
  const float want_b[24] = {0.3f, 0.3f, 0.7f, 0.7f, 0.2f, 0.2f, 0.8f, 0.8f,
                            0.21715729f, 0.35857864f, 0.78284271f, 0.64142136f,
                            0.1f, 0.1f, 0.2f, 0.2f, 0.1f, 0.1f, 0.2f, 0.2f,
                            0.1f, 0.1f, 0.2f, 0.2f};
  expect_known_f32(pb, want_b, 24);

  /* mxnet-like (scale_all_sizes=false, sizes scaled by the image height) with
   * max_size: number_of_priors counts 1 + ratios - 1 = 2 boxes a cell, but
   * OpenVINO writes min, max and ratio boxes in turn; the output keeps the
   * first 2 (the ratio box runs into the variance row and is overwritten). */
  ir_op *mx = MK(m, IR_OP_PRIORBOX_1, VEC(m, 1, 1), VEC(m, 10, 10));
  SET_FLOATS(m, mx, "min_size", 0.4);
  SET_FLOATS(m, mx, "max_size", 9);
  SET_FLOATS(m, mx, "aspect_ratio", 2);
  SET_FLOATS(m, mx, "variance", 0.1, 0.1, 0.2, 0.2);
  set_bool(m, mx, "scale_all_sizes", false);
  set_float(m, mx, "offset", 0.5);
  infer_ok(m, mx);
  expect_type(mx, 0, IR_ET_F32, "2,8");
  const float want_mx[16] = {0.3f, 0.3f, 0.7f, 0.7f, 0.2f, 0.2f, 0.8f, 0.8f,
                             0.1f, 0.1f, 0.2f, 0.2f, 0.1f, 0.1f, 0.2f, 0.2f};
  expect_known_f32(mx, want_mx, 16);
  ir_model_free(m);
}

/* ---- extended ops ---- */

static void test_ext_registry(void **state) {
  (void)state;
  ir_op_id id;
  const char *why = NULL;
  assert_true(ir_op_resolve_xml("NonMaxSuppression", "opset5", &id, &why));
  assert_int_equal(id, IR_OP_NONMAXSUPPRESSION_5);
  assert_true(ir_op_resolve_xml("NonMaxSuppression", "opset13", &id, &why));
  assert_int_equal(id, IR_OP_NONMAXSUPPRESSION_9);
  assert_true(ir_op_resolve_xml("OneHot", "opset15", &id, &why));
  assert_int_equal(id, IR_OP_ONEHOT_1);
  assert_true(ir_op_resolve_xml("ROIPooling", "opset1", &id, &why));
  assert_int_equal(id, IR_OP_ROIPOOLING_2);
  assert_true(ir_op_resolve_xml("ExperimentalDetectronTopKROIs", "experimental", &id, &why));
  assert_int_equal(id, IR_OP_EXPERIMENTALDETECTRONTOPKROIS_6);
  const ir_op_info *in = ir_op_info_get(IR_OP_GRIDSAMPLE_9);
  assert_int_equal(in->flags & OPF_CORE, 0);
  assert_true(ir_op_has_shape_fn(in));
  assert_int_equal(ir_op_schema_index(IR_OP_GRIDSAMPLE_9, "padding_mode"), 2);
}

static void test_ext_generation(void **state) {
  (void)state;
  ir_model *m = new_model();
  float on = 1, off = 0;
  ir_op *oh = MK(m, IR_OP_ONEHOT_1, param(m, IR_ET_I64, "2,3"), scalar_i64(m, 5),
                 cst(m, IR_ET_F32, "", &on, 4), cst(m, IR_ET_F32, "", &off, 4));
  set_int(m, oh, "axis", -1);
  infer_ok(m, oh);
  expect_type(oh, 0, IR_ET_F32, "2,3,5");
  set_int(m, oh, "axis", 0);
  infer_ok(m, oh);
  expect_type(oh, 0, IR_ET_F32, "5,2,3");

  ir_op *nz = MK(m, IR_OP_NONZERO_3, param(m, IR_ET_F32, "2,3"));
  infer_ok(m, nz);
  expect_type(nz, 0, IR_ET_I64, "2,..6");

  ir_op *eye = MK(m, IR_OP_EYE_9, scalar_i64(m, 3), scalar_i64(m, 4), scalar_i64(m, 0),
                  VEC(m, 2));
  set_et(m, eye, "output_type", IR_ET_F16);
  infer_ok(m, eye);
  expect_type(eye, 0, IR_ET_F16, "2,3,4");

  ir_op *un = MKN(m, IR_OP_UNIQUE_10, 4, param(m, IR_ET_F32, "4,5"));
  infer_ok(m, un);
  expect_type(un, 0, IR_ET_F32, "1..20");
  expect_type(un, 2, IR_ET_I64, "20");

  ir_op *ru = MK(m, IR_OP_RANDOMUNIFORM_8, VEC(m, 2, 7), cst(m, IR_ET_F32, "", &off, 4),
                 cst(m, IR_ET_F32, "", &on, 4));
  set_et(m, ru, "output_type", IR_ET_F32);
  infer_ok(m, ru);
  expect_type(ru, 0, IR_ET_F32, "2,7");
  ir_model_free(m);
}

static void test_ext_spatial(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_op *b2s = MK(m, IR_OP_BATCHTOSPACE_2, param(m, IR_ET_F32, "48,3,3,1"), VEC(m, 1, 2, 4, 3),
                  VEC(m, 0, 0, 1, 0), VEC(m, 0, 0, 1, 0));
  infer_ok(m, b2s);
  expect_type(b2s, 0, IR_ET_F32, "2,6,10,3");
  ir_op *s2b = MK(m, IR_OP_SPACETOBATCH_2, param(m, IR_ET_F32, "2,6,10,3"), VEC(m, 1, 2, 4, 3),
                  VEC(m, 0, 0, 1, 0), VEC(m, 0, 0, 1, 0));
  infer_ok(m, s2b);
  expect_type(s2b, 0, IR_ET_F32, "48,3,3,1");
  ir_op *s2b_bad = MK(m, IR_OP_SPACETOBATCH_2, param(m, IR_ET_F32, "2,6,10,3"),
                      VEC(m, 1, 4, 4, 3), VEC(m, 0, 0, 1, 0), VEC(m, 0, 0, 1, 0));
  infer_err(m, s2b_bad, "not divisible by block 4");

  ir_op *eip = MK(m, IR_OP_EXTRACTIMAGEPATCHES_3, param(m, IR_ET_F32, "1,1,10,10"));
  SET_INTS(m, eip, "sizes", 3, 3);
  SET_INTS(m, eip, "strides", 5, 5);
  SET_INTS(m, eip, "rates", 1, 1);
  set_str(m, eip, "auto_pad", "valid");
  infer_ok(m, eip);
  expect_type(eip, 0, IR_ET_F32, "1,9,2,2");

  ir_op *gs = MK(m, IR_OP_GRIDSAMPLE_9, param(m, IR_ET_F32, "2,3,16,16"),
                 param(m, IR_ET_F32, "2,7,9,2"));
  infer_ok(m, gs);
  expect_type(gs, 0, IR_ET_F32, "2,3,7,9");

  ir_op *nv = MK(m, IR_OP_NV12TORGB_8, param(m, IR_ET_U8, "1,720,640,1"));
  infer_ok(m, nv);
  expect_type(nv, 0, IR_ET_U8, "1,480,640,3");

  ir_op *dc = MK(m, IR_OP_DEFORMABLECONVOLUTION_8, param(m, IR_ET_F32, "1,4,8,8"),
                 param(m, IR_ET_F32, "1,18,6,6"), param(m, IR_ET_F32, "5,4,3,3"));
  SET_INTS(m, dc, "strides", 1, 1);
  SET_INTS(m, dc, "pads_begin", 0, 0);
  SET_INTS(m, dc, "pads_end", 0, 0);
  SET_INTS(m, dc, "dilations", 1, 1);
  infer_ok(m, dc);
  expect_type(dc, 0, IR_ET_F32, "1,5,6,6");
  ir_model_free(m);
}

static void test_ext_signal_nms_roi(void **state) {
  (void)state;
  ir_model *m = new_model();
  ir_op *rdft = MK(m, IR_OP_RDFT_9, param(m, IR_ET_F32, "4,16,32"), VEC(m, 1, 2));
  infer_ok(m, rdft);
  expect_type(rdft, 0, IR_ET_F32, "4,16,17,2");
  ir_op *irdft = MK(m, IR_OP_IRDFT_9, param(m, IR_ET_F32, "4,16,17,2"), VEC(m, 1, 2));
  infer_ok(m, irdft);
  expect_type(irdft, 0, IR_ET_F32, "4,16,32");
  ir_op *dft = MK(m, IR_OP_DFT_7, param(m, IR_ET_F32, "4,16,32,2"), VEC(m, -1), VEC(m, 64));
  infer_ok(m, dft);
  expect_type(dft, 0, IR_ET_F32, "4,16,64,2");
  ir_op *stft = MK(m, IR_OP_STFT_15, param(m, IR_ET_F32, "2,48"), param(m, IR_ET_F32, "16"),
                   scalar_i64(m, 16), scalar_i64(m, 4));
  set_bool(m, stft, "transpose_frames", false);
  infer_ok(m, stft);
  expect_type(stft, 0, IR_ET_F32, "2,9,9,2");

  ir_op *nms = MKN(m, IR_OP_NONMAXSUPPRESSION_5, 3, param(m, IR_ET_F32, "1,100,4"),
                   param(m, IR_ET_F32, "1,3,100"), scalar_i64(m, 10));
  set_et(m, nms, "output_type", IR_ET_I32);
  infer_ok(m, nms);
  expect_type(nms, 0, IR_ET_I32, "..30,3");
  expect_type(nms, 1, IR_ET_F32, "..30,3");
  expect_type(nms, 2, IR_ET_I32, "1");

  int32_t bi[3] = {0, 0, 0};
  ir_op *ra = MK(m, IR_OP_ROIALIGN_9, param(m, IR_ET_F32, "1,256,14,14"),
                 param(m, IR_ET_F32, "3,4"), cst(m, IR_ET_I32, "3", bi, sizeof bi));
  set_int(m, ra, "pooled_h", 7);
  set_int(m, ra, "pooled_w", 6);
  set_int(m, ra, "sampling_ratio", 2);
  set_float(m, ra, "spatial_scale", 0.0625);
  set_str(m, ra, "mode", "avg");
  infer_ok(m, ra);
  expect_type(ra, 0, IR_ET_F32, "3,256,7,6");

  ir_op *emb = MK(m, IR_OP_EMBEDDINGBAGOFFSETSSUM_3, param(m, IR_ET_F32, "100,16"),
                  param(m, IR_ET_I64, "40"), param(m, IR_ET_I64, "8"));
  infer_ok(m, emb);
  expect_type(emb, 0, IR_ET_F32, "8,16");

  ir_op *mc = MKN(m, IR_OP_MULTICLASSNMS_9, 3, param(m, IR_ET_F32, "2,100,4"),
                  param(m, IR_ET_F32, "2,3,100"));
  set_int(m, mc, "nms_top_k", 10);
  set_int(m, mc, "keep_top_k", 20);
  infer_ok(m, mc);
  expect_type(mc, 0, IR_ET_F32, "..40,6");
  expect_type(mc, 1, IR_ET_I64, "..40,1");
  expect_type(mc, 2, IR_ET_I64, "2");

  ir_op *c2i = MK(m, IR_OP_COL2IM_15, param(m, IR_ET_F32, "2,12,9"), VEC(m, 4, 4), VEC(m, 2, 2));
  infer_ok(m, c2i);
  expect_type(c2i, 0, IR_ET_F32, "2,3,4,4");
  ir_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parameter_constant),
      cmocka_unit_test(test_read_value),
      cmocka_unit_test(test_tensor_iterator),
      cmocka_unit_test(test_tensor_iterator_relax),
      cmocka_unit_test(test_loop),
      cmocka_unit_test(test_if),
      cmocka_unit_test(test_rnn),
      cmocka_unit_test(test_detection_output),
      cmocka_unit_test(test_prior_boxes),
      cmocka_unit_test(test_prior_box_eval),
      cmocka_unit_test(test_yolo_ctc),
      cmocka_unit_test(test_ext_registry),
      cmocka_unit_test(test_ext_generation),
      cmocka_unit_test(test_ext_spatial),
      cmocka_unit_test(test_ext_signal_nms_roi),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
