/* ir/ core: registry resolution, shapes, attributes, graph editing, verifier. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ir/ir.h"

static void test_resolve_xml(void **state) {
  (void)state;
  ir_op_id id;
  const char *why = NULL;
  assert_true(ir_op_resolve_xml("SoftMax", "opset1", &id, &why));
  assert_int_equal(id, IR_OP_SOFTMAX_1);
  assert_true(ir_op_resolve_xml("SoftMax", "opset8", &id, &why));
  assert_int_equal(id, IR_OP_SOFTMAX_8);
  assert_true(ir_op_resolve_xml("Const", "opset6", &id, &why));
  assert_int_equal(id, IR_OP_CONSTANT_1);
  assert_true(ir_op_resolve_xml("relu", "opset1", &id, &why)); /* case-insensitive */
  assert_int_equal(id, IR_OP_RELU_1);
  assert_true(ir_op_resolve_xml("Gather", "opset7", &id, &why));
  assert_int_equal(id, IR_OP_GATHER_7);
  assert_true(ir_op_resolve_xml("Gather", "opset13", &id, &why));
  assert_int_equal(id, IR_OP_GATHER_8);
  assert_true(ir_op_resolve_xml("ReorgYolo", "opset1", &id, &why)); /* historical remap */
  assert_int_equal(id, IR_OP_REORGYOLO_2);
  assert_true(ir_op_resolve_xml("RNNCell", "opset1", &id, &why)); /* v0::RNNCell class */
  assert_int_equal(id, IR_OP_RNNCELL_3);
  assert_true(ir_op_resolve_xml("GRUCell", "experimental", &id, &why));
  assert_int_equal(id, IR_OP_GRUCELL_3);
  assert_false(ir_op_resolve_xml("NoSuchOp", "opset1", &id, &why));
  assert_string_equal(why, "type");
  assert_false(ir_op_resolve_xml("Gather", "opset0", &id, &why));
  assert_string_equal(why, "version");
  assert_false(ir_op_resolve_xml("Gelu", "opset1", &id, &why)); /* Gelu appeared in opset2 */
  assert_false(ir_op_resolve_xml("Add", "foo", &id, &why));
}

static void test_resolve_text(void **state) {
  (void)state;
  ir_op_id id;
  assert_true(ir_op_resolve_text("ov.Add", 6, &id));
  assert_int_equal(id, IR_OP_ADD_1);
  assert_true(ir_op_resolve_text("ov.Gather", 9, &id));
  assert_int_equal(id, IR_OP_GATHER_8);
  assert_true(ir_op_resolve_text("ov.Gather.v7", 12, &id));
  assert_int_equal(id, IR_OP_GATHER_7);
  assert_false(ir_op_resolve_text("ov.Gather.v5", 12, &id));
  assert_false(ir_op_resolve_text("ov.add", 6, &id));
  assert_false(ir_op_resolve_text("Add", 3, &id));
  assert_true(ir_op_info_multi_version(IR_OP_GATHER_8));
  assert_false(ir_op_info_multi_version(IR_OP_ADD_1));
}

static void test_registry_table(void **state) {
  (void)state;
  /* Every schema default parses with the XML attribute syntax of its kind. */
  ir_arena a;
  ir_arena_init(&a);
  for (int i = 0; i < IR_OP_COUNT; i++) {
    const ir_op_info *in = ir_op_info_get((ir_op_id)i);
    assert_non_null(in->name);
    assert_true(in->max_in < 0 || in->min_in <= in->max_in);
    for (int k = 0; k < in->n_attrs; k++) {
      const ir_attr_schema *s = &in->attrs[k];
      assert_false(s->required && s->def);
      if (!s->def)
        continue;
      ir_attr_value v;
      ir_diag d;
      ir_diag_clear(&d);
      if (!ir_attr_parse_xml(&a, s->kind, s->def, &v, &d))
        fail_msg("%s-%u attribute %s: default '%s': %s", in->name, in->version, s->name, s->def,
                 d.msg);
    }
  }
  ir_arena_free(&a);
}

static void test_shape_parse(void **state) {
  (void)state;
  ir_shape s;
  ir_diag d;
  ir_diag_clear(&d);
  char buf[128];
  assert_true(ir_shape_parse("1,3,?,-1", 8, &s, &d));
  assert_int_equal(s.rank, 4);
  ir_shape_format(&s, buf, sizeof buf);
  assert_string_equal(buf, "1,3,?,?");
  assert_true(ir_shape_parse("1..10, ..5, 2..", 15, &s, &d));
  ir_shape_format(&s, buf, sizeof buf);
  assert_string_equal(buf, "1..10,..5,2..");
  assert_true(ir_shape_parse("...", 3, &s, &d));
  assert_int_equal(s.rank, -1);
  assert_true(ir_shape_parse("", 0, &s, &d));
  assert_int_equal(s.rank, 0);
  assert_true(ir_shape_parse("[2, 3]", 6, &s, &d));
  assert_int_equal(s.rank, 2);
  assert_false(ir_shape_parse("1,-3", 4, &s, &d));
  assert_non_null(strstr(d.msg, "negative"));
  assert_false(ir_shape_parse("99999999999999999999", 20, &s, &d));
  assert_false(ir_shape_parse("5..2", 4, &s, &d));
  assert_false(ir_shape_parse("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", 41, &s, &d));
  assert_non_null(strstr(d.msg, "rank"));
}

static void test_broadcast(void **state) {
  (void)state;
  ir_shape a, b, r;
  ir_diag d;
  ir_diag_clear(&d);
  int64_t da[] = {8, 1, 6, 1}, db[] = {7, 1, 5};
  ir_shape_from_dims(&a, da, 4);
  ir_shape_from_dims(&b, db, 3);
  assert_true(ir_shape_broadcast_numpy(&r, &a, &b, &d));
  char buf[64];
  ir_shape_format(&r, buf, sizeof buf);
  assert_string_equal(buf, "8,7,6,5");
  int64_t dc[] = {5, 1};
  ir_shape_from_dims(&b, dc, 2);
  assert_false(ir_shape_broadcast_numpy(&r, &a, &b, &d));
  assert_non_null(strstr(d.msg, "broadcast"));
}

static void test_attr_parse(void **state) {
  (void)state;
  ir_arena a;
  ir_arena_init(&a);
  ir_diag d;
  ir_diag_clear(&d);
  ir_attr_value v;
  assert_true(ir_attr_parse_xml(&a, IR_ATTR_INTS, "1, 2,3", &v, &d));
  assert_int_equal(v.u.ints.n, 3);
  assert_int_equal(v.u.ints.v[2], 3);
  assert_true(ir_attr_parse_xml(&a, IR_ATTR_INTS, "", &v, &d));
  assert_int_equal(v.u.ints.n, 0);
  assert_true(ir_attr_parse_xml(&a, IR_ATTR_BOOL, "True", &v, &d));
  assert_true(v.u.b);
  assert_true(ir_attr_parse_xml(&a, IR_ATTR_FLOAT, "9.9999999747524271e-07", &v, &d));
  assert_true(v.u.f > 9.99e-07 && v.u.f < 1.01e-06);
  assert_true(ir_attr_parse_xml(&a, IR_ATTR_STRS, "sigmoid,tanh,tanh", &v, &d));
  assert_int_equal(v.u.strs.n, 3);
  assert_string_equal(v.u.strs.v[1], "tanh");
  assert_false(ir_attr_parse_xml(&a, IR_ATTR_INTS, "1, x", &v, &d));
  assert_non_null(strstr(d.msg, "'x'"));
  assert_false(ir_attr_parse_xml(&a, IR_ATTR_BOOL, "yes", &v, &d));
  assert_false(ir_attr_parse_xml(&a, IR_ATTR_INT, "12abc", &v, &d));
  ir_attr_value dict = {0}, one = {.kind = IR_ATTR_INT, .u.i = 5};
  assert_true(ir_dict_set(&a, &dict, "k", &one));
  assert_int_equal(ir_dict_get(&dict, "k")->u.i, 5);
  ir_attr_value copy;
  assert_true(ir_attr_value_copy(&a, &copy, &dict));
  assert_true(ir_attr_value_equal(&copy, &dict));
  ir_arena_free(&a);
}

/* A tiny graph: Parameter -> Relu -> Result. */
static ir_model *small_graph(ir_op **param, ir_op **relu, ir_op **result) {
  ir_model *m;
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(ir_model_create(&m, &d), OVCC_OK);
  ir_graph *g = m->main;
  *param = ir_op_create(m, IR_OP_PARAMETER_1, 0, 1);
  ir_attr_value et = {.kind = IR_ATTR_ETYPE, .u.et = IR_ET_F32};
  ir_shape s;
  int64_t dims[] = {2, 3};
  ir_shape_from_dims(&s, dims, 2);
  ir_attr_value sh = {.kind = IR_ATTR_SHAPE, .u.shape = &s};
  assert_true(ir_op_set_attr(m, *param, "element_type", &et));
  assert_true(ir_op_set_attr(m, *param, "shape", &sh));
  (*param)->results[0].type = (ir_type){IR_ET_F32, s};
  ir_graph_insert(g, *param, NULL);
  assert_true(ir_graph_add_param(g, *param));
  *relu = ir_op_create(m, IR_OP_RELU_1, 1, 1);
  ir_op_set_operand(*relu, 0, &(*param)->results[0]);
  (*relu)->results[0].type = (ir_type){IR_ET_F32, s};
  ir_graph_insert(g, *relu, NULL);
  *result = ir_op_create(m, IR_OP_RESULT_1, 1, 0);
  ir_op_set_operand(*result, 0, &(*relu)->results[0]);
  ir_graph_insert(g, *result, NULL);
  assert_true(ir_graph_add_result(g, *result));
  return m;
}

static void test_graph_edit(void **state) {
  (void)state;
  ir_op *p, *r, *res;
  ir_model *m = small_graph(&p, &r, &res);
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(ir_verify(m, &d), OVCC_OK);
  assert_int_equal(ir_value_num_uses(&p->results[0]), 1);
  /* bypass Relu, erase it */
  ir_value_replace_uses(&r->results[0], &p->results[0]);
  assert_int_equal(ir_value_num_uses(&p->results[0]), 2);
  ir_graph_erase(m->main, r);
  assert_int_equal(ir_value_num_uses(&p->results[0]), 1);
  assert_int_equal(m->main->n_ops, 2);
  assert_int_equal(ir_verify(m, &d), OVCC_OK);
  ir_model_free(m);
  ir_model_free(NULL);
}

static void test_verify_errors(void **state) {
  (void)state;
  ir_op *p, *r, *res;
  ir_diag d;
  ir_diag_clear(&d);
  /* use before def */
  ir_model *m = small_graph(&p, &r, &res);
  ir_graph_erase(m->main, r);
  ir_graph_insert(m->main, r, NULL); /* Relu now after the Result that uses it */
  ir_op_set_operand(r, 0, &p->results[0]);
  assert_int_equal(ir_verify(m, &d), OVCC_ERR_INVALID_MODEL);
  assert_non_null(strstr(d.msg, "defined after"));
  ir_model_free(m);
  /* unconnected input */
  m = small_graph(&p, &r, &res);
  ir_op_set_operand(res, 0, NULL);
  assert_int_equal(ir_verify(m, &d), OVCC_ERR_INVALID_MODEL);
  assert_non_null(strstr(d.msg, "not connected"));
  ir_model_free(m);
  /* wrong operand count */
  m = small_graph(&p, &r, &res);
  ir_op *add = ir_op_create(m, IR_OP_ADD_1, 1, 1);
  ir_op_set_operand(add, 0, &p->results[0]);
  ir_graph_insert(m->main, add, res);
  assert_int_equal(ir_verify(m, &d), OVCC_ERR_INVALID_MODEL);
  assert_non_null(strstr(d.msg, "expects 2 inputs, got 1"));
  assert_non_null(strstr(d.msg, "Add-1"));
  ir_model_free(m);
  /* unregistered Parameter */
  m = small_graph(&p, &r, &res);
  m->main->n_params = 0;
  assert_int_equal(ir_verify(m, &d), OVCC_ERR_INVALID_MODEL);
  assert_non_null(strstr(d.msg, "not registered"));
  ir_model_free(m);
  /* constant with the wrong byte count */
  m = small_graph(&p, &r, &res);
  float data[5] = {0};
  ir_shape s;
  int64_t dims[] = {5};
  ir_shape_from_dims(&s, dims, 1);
  ir_type t = {IR_ET_F32, s};
  ir_op *c = ir_const_create(m, &t, data, sizeof data);
  ir_graph_insert(m->main, c, m->main->first);
  assert_int_equal(ir_verify(m, &d), OVCC_OK);
  c->cst->nbytes = 16;
  assert_int_equal(ir_verify(m, &d), OVCC_ERR_INVALID_MODEL);
  assert_non_null(strstr(d.msg, "constant data is 16 bytes"));
  ir_model_free(m);
}

static void test_schema(void **state) {
  (void)state;
  ir_model *m;
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(ir_model_create(&m, &d), OVCC_OK);
  ir_op *op = ir_op_create(m, IR_OP_MVN_6, 2, 1);
  ir_attr_value nv = {.kind = IR_ATTR_BOOL, .u.b = true};
  ir_attr_value eps = {.kind = IR_ATTR_FLOAT, .u.f = 1e-5};
  ir_attr_value mode = {.kind = IR_ATTR_STR, .u.s = "INSIDE_SQRT"};
  assert_true(ir_op_set_attr(m, op, "normalize_variance", &nv));
  assert_true(ir_op_set_attr(m, op, "eps_mode", &mode));
  assert_int_equal(ir_op_apply_schema(m, op, &d), OVCC_ERR_INVALID_MODEL);
  assert_non_null(strstr(d.msg, "missing required attribute 'eps'"));
  assert_true(ir_op_set_attr(m, op, "eps", &eps));
  assert_int_equal(ir_op_apply_schema(m, op, &d), OVCC_OK);
  assert_string_equal(ir_op_attr_str(op, "eps_mode", ""), "inside_sqrt"); /* canonical */
  ir_op *sm = ir_op_create(m, IR_OP_SOFTMAX_8, 1, 1);
  assert_int_equal(ir_op_apply_schema(m, sm, &d), OVCC_OK);
  assert_int_equal(ir_op_attr_int(sm, "axis", 99), 1); /* default */
  ir_op *pad = ir_op_create(m, IR_OP_PAD_12, 3, 1);
  ir_attr_value bad = {.kind = IR_ATTR_STR, .u.s = "mirror"};
  assert_true(ir_op_set_attr(m, pad, "pad_mode", &bad));
  assert_int_equal(ir_op_apply_schema(m, pad, &d), OVCC_ERR_INVALID_MODEL);
  assert_non_null(strstr(d.msg, "'mirror' is not one of"));
  ir_model_free(m);
}

static void test_arena_nomem(void **state) {
  (void)state;
  ir_model *m;
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(ir_model_create(&m, &d), OVCC_OK);
  m->arena.fail_after = 0;
  assert_null(ir_op_create(m, IR_OP_ADD_1, 2, 1));
  m->arena.fail_after = -1;
  assert_non_null(ir_op_create(m, IR_OP_ADD_1, 2, 1));
  ir_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_resolve_xml),   cmocka_unit_test(test_resolve_text),
      cmocka_unit_test(test_registry_table), cmocka_unit_test(test_shape_parse),
      cmocka_unit_test(test_broadcast),     cmocka_unit_test(test_attr_parse),
      cmocka_unit_test(test_graph_edit),    cmocka_unit_test(test_verify_errors),
      cmocka_unit_test(test_schema),        cmocka_unit_test(test_arena_nomem),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
