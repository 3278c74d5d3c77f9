/* frontend/xml_reader.c: the 36 corpus models, port maps, names, rt_info,
 * constants, and one test per class of bad input (status + message). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "frontend/frontend.h"

/* ---- building blocks: one layer per line, so line numbers are known ---- */

#define HDR(v) "<?xml version=\"1.0\"?>\n<net name=\"t\" version=\"" #v "\">\n<layers>\n"
#define MID "</layers>\n<edges>\n"
#define END "</edges>\n</net>\n"
#define D(x) "<dim>" #x "</dim>"
#define PARAM(id, name, dims, shape)                                                               \
  "<layer id=\"" #id "\" name=\"" name "\" type=\"Parameter\" version=\"opset1\">"                 \
  "<data element_type=\"f32\" shape=\"" shape "\"/><output><port id=\"0\" precision=\"FP32\">" dims \
  "</port></output></layer>\n"
#define RESULT(id, name, dims)                                                                     \
  "<layer id=\"" #id "\" name=\"" name "\" type=\"Result\" version=\"opset1\"><input><port "       \
  "id=\"0\">" dims "</port></input></layer>\n"
#define RELU(id, name, dims)                                                                       \
  "<layer id=\"" #id "\" name=\"" name "\" type=\"ReLU\" version=\"opset1\"><input><port "         \
  "id=\"0\">" dims "</port></input><output><port id=\"1\" precision=\"FP32\">" dims                \
  "</port></output></layer>\n"
#define ADD(id, name, dims)                                                                        \
  "<layer id=\"" #id "\" name=\"" name "\" type=\"Add\" version=\"opset1\"><input><port "          \
  "id=\"0\">" dims "</port><port id=\"1\">" dims "</port></input><output><port id=\"2\" "         \
  "precision=\"FP32\">" dims "</port></output></layer>\n"
#define CONST(id, name, et, prec, shape, attrs, dims)                                              \
  "<layer id=\"" #id "\" name=\"" name "\" type=\"Const\" version=\"opset1\"><data "               \
  "element_type=\"" et "\" shape=\"" shape "\" " attrs "/><output><port id=\"0\" precision=\""    \
  prec "\">" dims "</port></output></layer>\n"
#define EDGE(fl, fp, tl, tp)                                                                       \
  "<edge from-layer=\"" #fl "\" from-port=\"" #fp "\" to-layer=\"" #tl "\" to-port=\"" #tp "\"/>\n"

/* x[1,4] + c[1,4] (16 bytes at `attrs`) -> Result; layers on lines 4..7. */
#define ADD_MODEL(const_attrs)                                                                     \
  HDR(11) PARAM(0, "x", D(1) D(4), "1,4") CONST(1, "c", "f32", "FP32", "1,4", const_attrs, D(1) D(4)) \
  ADD(2, "add", D(1) D(4)) RESULT(3, "out", D(1) D(4)) MID EDGE(0, 0, 2, 0) EDGE(1, 0, 2, 1)   \
  EDGE(2, 2, 3, 0) END

static const uint8_t BIN16[16] = {0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64};

static ir_model *read_mem(const char *xml, const uint8_t *bin, size_t n) {
  ir_model *m = NULL;
  ir_diag d;
  ir_diag_clear(&d);
  ovcc_status st = fe_read_xml_memory(xml, strlen(xml), bin, n, "model.xml", &m, &d);
  if (st != OVCC_OK)
    fail_msg("read failed (%s): %s", ovcc_status_str(st), d.msg);
  return m;
}

/* Expects status st and every non-NULL substring in the message. */
static void expect_err(const char *xml, size_t len, const uint8_t *bin, size_t n, ovcc_status st,
                       const char *s1, const char *s2, const char *s3) {
  ir_model *m = (ir_model *)1;
  ir_diag d;
  ir_diag_clear(&d);
  ovcc_status got = fe_read_xml_memory(xml, len, bin, n, "model.xml", &m, &d);
  if (got != st)
    fail_msg("expected %s, got %s: %s", ovcc_status_str(st), ovcc_status_str(got), d.msg);
  assert_ptr_equal(m, (ir_model *)1); /* untouched on failure */
  assert_int_equal(d.status, st);
  const char *subs[3] = {s1, s2, s3};
  for (int i = 0; i < 3; i++)
    if (subs[i] && !strstr(d.msg, subs[i]))
      fail_msg("message '%s' lacks '%s'", d.msg, subs[i]);
}
#define EXPECT_ERR(xml, bin, n, st, s1, s2, s3) expect_err(xml, strlen(xml), bin, n, st, s1, s2, s3)
#define INVALID OVCC_ERR_INVALID_MODEL

static ir_op *find_op(ir_graph *g, const char *name) {
  IR_FOR_EACH_OP(g, op) {
    if (op->name && strcmp(op->name, name) == 0)
      return op;
  }
  return NULL;
}

static ir_op *find_kind(ir_graph *g, ir_op_id k) {
  IR_FOR_EACH_OP(g, op) {
    if (op->kind == k)
      return op;
  }
  return NULL;
}

static int64_t dict_int(const ir_attr_value *dict, const char *key) {
  const ir_attr_value *v = ir_dict_get(dict, key);
  assert_non_null(v);
  assert_int_equal(v->kind, IR_ATTR_INT);
  return v->u.i;
}

static const char *corpus(const char *rel, char *buf, size_t cap) {
  snprintf(buf, cap, "%s/%s", OVCC_CORPUS_DIR, rel);
  return buf;
}

static ir_model *read_corpus(const char *rel) {
  char path[1024];
  ir_model *m = NULL;
  ir_diag d;
  ir_diag_clear(&d);
  ovcc_status st = fe_read_xml_file(corpus(rel, path, sizeof path), NULL, &m, &d);
  if (st != OVCC_OK)
    fail_msg("%s: %s", rel, d.msg);
  return m;
}

/* ---- the corpus ---- */

static void test_corpus_all_load(void **state) {
  (void)state;
  DIR *dir = opendir(OVCC_CORPUS_DIR);
  if (!dir)
    skip();
  int loaded = 0, failed = 0;
  struct dirent *e;
  while ((e = readdir(dir))) {
    if (e->d_name[0] == '.')
      continue;
    char sub[1024];
    snprintf(sub, sizeof sub, "%s/%s", OVCC_CORPUS_DIR, e->d_name);
    DIR *sd = opendir(sub);
    if (!sd)
      continue;
    struct dirent *f;
    while ((f = readdir(sd))) {
      size_t n = strlen(f->d_name);
      if (n < 4 || strcmp(f->d_name + n - 4, ".xml") != 0)
        continue;
      char path[2048];
      snprintf(path, sizeof path, "%s/%s", sub, f->d_name);
      ir_model *m = NULL;
      ir_diag d;
      ir_diag_clear(&d);
      if (fe_read_xml_file(path, NULL, &m, &d) == OVCC_OK) {
        loaded++;
        assert_true(m->main->n_ops > 0);
        assert_true(m->main->n_results > 0);
        ir_model_free(m);
      } else {
        failed++;
        print_error("FAILED %s: %s\n", path, d.msg);
      }
    }
    closedir(sd);
  }
  closedir(dir);
  assert_int_equal(failed, 0);
  assert_int_equal(loaded, 36);
}

static void test_corpus_u4_constant(void **state) {
  (void)state;
  ir_model *m = read_corpus("ov_irfe_u4_scalar_add/u4_scalar_add.xml");
  ir_op *c = find_op(m->main, "my_const");
  assert_non_null(c);
  assert_int_equal(c->kind, IR_OP_CONSTANT_1);
  assert_int_equal(c->results[0].type.et, IR_ET_U4);
  assert_int_equal(c->results[0].type.shape.rank, 0);
  assert_non_null(c->cst);
  assert_int_equal(c->cst->nbytes, 1);
  assert_int_equal(c->cst->bin_offset, 0);
  assert_int_equal(ir_elem_get_bits(IR_ET_U4, c->cst->data, 0), 8);
  assert_ptr_equal(c->cst->data, m->weights.data); /* a view into the mapped .bin */
  ir_model_free(m);
}

static void test_corpus_ti_port_maps(void **state) {
  (void)state;
  ir_model *m = read_corpus("ov_irfe_ti_sliced/ti_sliced.xml");
  ir_op *ti = find_kind(m->main, IR_OP_TENSORITERATOR_1);
  assert_non_null(ti);
  assert_int_equal(ti->n_bodies, 1);
  ir_graph *body = ti->bodies[0];
  assert_ptr_equal(body->parent, ti);
  assert_int_equal(body->n_params, 1);
  assert_int_equal(body->n_results, 1);
  const ir_attr_value *in = ir_op_attr(ti, "input_map");
  assert_non_null(in);
  assert_int_equal(in->kind, IR_ATTR_LIST);
  assert_int_equal(in->u.list.n, 1);
  const ir_attr_value *e = &in->u.list.v[0];
  assert_int_equal(dict_int(e, "external"), 0);
  assert_int_equal(dict_int(e, "internal"), 0);
  assert_int_equal(dict_int(e, "axis"), 2);
  assert_int_equal(dict_int(e, "start"), 0);
  assert_int_equal(dict_int(e, "stride"), 1);
  assert_int_equal(dict_int(e, "part_size"), 1);
  assert_int_equal(dict_int(e, "end"), -1);
  const ir_attr_value *out = ir_op_attr(ti, "output_map");
  assert_int_equal(out->u.list.n, 1);
  assert_int_equal(dict_int(&out->u.list.v[0], "external"), 0);
  assert_int_equal(dict_int(&out->u.list.v[0], "internal"), 0);
  assert_int_equal(dict_int(&out->u.list.v[0], "axis"), 2);
  const ir_attr_value *be = ir_op_attr(ti, "back_edges");
  assert_int_equal(be->u.list.n, 1);
  assert_int_equal(dict_int(&be->u.list.v[0], "from"), 0);
  assert_int_equal(dict_int(&be->u.list.v[0], "to"), 0);
  /* declared output type from the port */
  assert_int_equal(ti->results[0].type.et, IR_ET_F32);
  assert_int_equal(ti->results[0].type.shape.rank, 3);
  ir_model_free(m);
}

static void test_corpus_string_param(void **state) {
  (void)state;
  ir_model *m = read_corpus("ovms_passthrough_string/passthrough.xml");
  assert_int_equal(m->main->n_params, 1);
  ir_value *v = &m->main->params[0]->results[0];
  assert_int_equal(v->type.et, IR_ET_STRING);
  assert_int_equal(v->type.shape.rank, 1);
  assert_true(ir_dim_is_dynamic(v->type.shape.d[0]));
  assert_int_equal(v->n_names, 1);
  assert_string_equal(v->names[0], "my_name");
  assert_string_equal(m->name, "Model0");
  assert_int_equal(m->ir_version, 11);
  ir_model_free(m);
}

static void test_corpus_names_rt_info(void **state) {
  (void)state;
  ir_model *m = read_corpus("ovms_dummy_fp64/saved_model.xml");
  ir_op *p = m->main->params[0];
  assert_string_equal(p->name, "input");
  assert_int_equal(p->results[0].n_names, 1);
  assert_string_equal(p->results[0].names[0], "input:0");
  assert_int_equal(p->results[0].type.et, IR_ET_F64);
  assert_non_null(p->rt_info);
  const ir_attr_value *fn = ir_dict_get(p->rt_info, "fused_names");
  assert_non_null(fn);
  assert_string_equal(ir_dict_get(fn, "value")->u.s, "input");
  assert_string_equal(ir_dict_get(fn, "version")->u.s, "0");
  assert_null(ir_dict_get(fn, "name"));
  ir_model_free(m);

  /* model-level rt_info tree */
  m = read_corpus("datumaro_rise_test/model.xml");
  assert_non_null(m->rt_info);
  const ir_attr_value *cp = ir_dict_get(m->rt_info, "conversion_parameters");
  assert_non_null(cp);
  assert_int_equal(cp->kind, IR_ATTR_DICT);
  assert_string_equal(ir_dict_get(cp, "framework")->u.s, "onnx");
  assert_string_equal(ir_dict_get(m->rt_info, "legacy_frontend")->u.s, "False");
  ir_model_free(m);

  /* v10: legacy meta_data, Parameter/Result name fix-ups */
  m = read_corpus("ovms_dummy/dummy.xml");
  assert_int_equal(m->ir_version, 10);
  assert_non_null(m->meta);
  const ir_attr_value *md = ir_dict_get(m->meta, "meta_data");
  assert_non_null(md);
  assert_non_null(ir_dict_get(md, "MO_version"));
  assert_int_equal(ir_dict_get(md, "cli_parameters")->kind, IR_ATTR_DICT);
  ir_value *pv = &m->main->params[0]->results[0];
  bool found = false;
  for (uint32_t i = 0; i < pv->n_names; i++)
    found |= strcmp(pv->names[i], m->main->params[0]->name) == 0;
  assert_true(found);
  ir_value *rv = ir_op_operand(m->main->results[0], 0);
  found = false;
  for (uint32_t i = 0; i < rv->n_names; i++)
    found |= strcmp(rv->names[i], rv->def->name) == 0;
  assert_true(found);
  ir_model_free(m);
}

static void test_corpus_stateful(void **state) {
  (void)state;
  ir_model *m = read_corpus("ovms_summator/summator.xml");
  assert_int_equal(m->main->n_sinks, 1);
  assert_true(m->main->sinks[0]->kind == IR_OP_ASSIGN_6 || m->main->sinks[0]->kind == IR_OP_ASSIGN_3);
  assert_non_null(find_kind(m->main, IR_OP_READVALUE_6) ? (void *)1 : find_kind(m->main, IR_OP_READVALUE_3));
  ir_model_free(m);
}

/* As OpenVINO writes them: Assign with an output port (the assigned value),
 * consumed by a Result; Broadcast-1 with mode "none" (v1's explicit). */
static void test_assign_output_and_broadcast_none(void **state) {
  (void)state;
  static const char xml[] =
      HDR(11) PARAM(0, "x", D(1) D(4), "1,4")
      "<layer id=\"1\" name=\"rv\" type=\"ReadValue\" version=\"opset6\"><data variable_id=\"v\" "
      "variable_type=\"f32\" variable_shape=\"1,4\"/><input><port id=\"0\">" D(1) D(4)
      "</port></input><output><port id=\"1\" precision=\"FP32\">" D(1) D(4)
      "</port></output></layer>\n"
      "<layer id=\"2\" name=\"as\" type=\"Assign\" version=\"opset6\"><data variable_id=\"v\"/>"
      "<input><port id=\"0\">" D(1) D(4) "</port></input><output><port id=\"1\" "
      "precision=\"FP32\">" D(1) D(4) "</port></output></layer>\n"
      RESULT(3, "out", D(1) D(4))
      CONST(4, "t", "i64", "I64", "2", "offset=\"0\" size=\"16\"", D(2))
      "<layer id=\"5\" name=\"b\" type=\"Broadcast\" version=\"opset1\"><data mode=\"none\"/>"
      "<input><port id=\"0\">" D(1) D(4) "</port><port id=\"1\">" D(2) "</port><port id=\"2\">"
      D(2) "</port></input><output><port id=\"3\" precision=\"FP32\">" D(1) D(4)
      "</port></output></layer>\n"
      CONST(6, "axes", "i64", "I64", "2", "offset=\"16\" size=\"16\"", D(2))
      RESULT(7, "out2", D(1) D(4))
      MID EDGE(0, 0, 1, 0) EDGE(1, 1, 2, 0) EDGE(2, 1, 3, 0) EDGE(0, 0, 5, 0) EDGE(4, 0, 5, 1)
      EDGE(6, 0, 5, 2) EDGE(5, 3, 7, 0) END;
  /* i64 {1, 4}: the target shape; i64 {0, 1}: the axes */
  static const uint8_t bin[32] = {1, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0,
                                  0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
  ir_model *m = read_mem(xml, bin, 32);
  ir_op *as = find_op(m->main, "as");
  assert_int_equal(as->n_results, 1);
  assert_int_equal(m->main->n_sinks, 1);
  assert_ptr_equal(m->main->sinks[0], as);
  assert_ptr_equal(ir_op_operand(find_op(m->main, "out"), 0), &as->results[0]);
  assert_int_equal(as->results[0].type.et, IR_ET_F32);
  assert_int_equal(as->results[0].type.shape.rank, 2);
  assert_string_equal(ir_op_attr_str(find_op(m->main, "b"), "mode", ""), "explicit");
  ir_model_free(m);
}

/* ---- well-formed inline models ---- */

static void test_add_model(void **state) {
  (void)state;
  ir_model *m = read_mem(ADD_MODEL("offset=\"0\" size=\"16\""), BIN16, 16);
  assert_int_equal(m->main->n_ops, 4);
  assert_int_equal(m->main->first->kind, IR_OP_PARAMETER_1);
  assert_int_equal(m->main->last->kind, IR_OP_RESULT_1);
  ir_op *c = find_op(m->main, "c");
  assert_int_equal(c->cst->nbytes, 16);
  assert_int_equal(c->loc.line, 5);
  assert_string_equal(c->loc.file, "model.xml");
  assert_int_equal(c->xml_id, 1);
  ir_op *add = find_op(m->main, "add");
  assert_ptr_equal(ir_op_operand(add, 0), &m->main->params[0]->results[0]);
  assert_ptr_equal(ir_op_operand(add, 1), &c->results[0]);
  assert_string_equal(ir_op_attr_str(add, "auto_broadcast", ""), "numpy"); /* schema default */
  ir_model_free(m);
}

static void test_order_and_port_ids(void **state) {
  (void)state;
  /* Result first in the document, layer ids not in order, port ids not
   * indices, a dangling (unreachable) Const kept for DCE. */
  static const char xml[] =
      HDR(11) RESULT(9, "out2", D(2)) RESULT(3, "out", D(2))
      "<layer id=\"5\" name=\"r\" type=\"Relu\" version=\"opset1\"><input><port id=\"7\">" D(2)
      "</port></input><output><port id=\"3\" precision=\"FP32\" names=\"a,b\\,c, d\">" D(2)
      "</port></output></layer>\n"
      CONST(4, "dead", "f32", "FP32", "2", "offset=\"0\" size=\"8\"", D(2))
      PARAM(1, "x", D(2), "2") PARAM(0, "y", D(2), "2")
      MID EDGE(5, 3, 3, 0) EDGE(1, 0, 5, 7) EDGE(0, 0, 9, 0) END;
  ir_model *m = read_mem(xml, BIN16, 16);
  ir_graph *g = m->main;
  assert_int_equal(g->n_ops, 6);
  assert_int_equal(g->n_params, 2);
  assert_string_equal(g->params[0]->name, "x"); /* document order */
  assert_string_equal(g->params[1]->name, "y");
  assert_ptr_equal(g->first, g->params[0]);
  assert_ptr_equal(g->first->next, g->params[1]);
  assert_int_equal(g->n_results, 2);
  assert_string_equal(g->results[0]->name, "out2");
  assert_string_equal(g->results[1]->name, "out");
  assert_ptr_equal(g->last, g->results[1]);
  assert_ptr_equal(g->last->prev, g->results[0]);
  ir_op *r = find_op(g, "r");
  assert_ptr_equal(ir_op_operand(r, 0), &g->params[0]->results[0]);
  assert_ptr_equal(ir_op_operand(g->results[1], 0), &r->results[0]);
  assert_non_null(find_op(g, "dead"));
  ir_value *v = &r->results[0];
  assert_int_equal(v->n_names, 3);
  assert_string_equal(v->names[0], "a");
  assert_string_equal(v->names[1], "b,c");
  assert_string_equal(v->names[2], "d");
  ir_model_free(m);
}

static void test_port_precision_is_a_hint(void **state) {
  (void)state;
  /* Real files carry wrong port precisions (MaxPool-8 indices as FP32, v10
   * outputs in legacy precisions): like OpenVINO, the reader re-infers. */
  static const char xml[] = HDR(11) PARAM(0, "x", D(2), "2")
      "<layer id=\"1\" name=\"r\" type=\"Relu\" version=\"opset1\"><input><port id=\"0\">" D(2)
      "</port></input><output><port id=\"1\" precision=\"I64\">" D(2) "</port></output></layer>\n"
      RESULT(2, "o", D(2)) MID EDGE(0, 0, 1, 0) EDGE(1, 1, 2, 0) END;
  ir_model *m = read_mem(xml, NULL, 0);
  ir_model_free(m);
}

static void test_result_output_names(void **state) {
  (void)state;
  static const char xml[] = HDR(11) PARAM(0, "x", D(2), "2") RELU(1, "r", D(2))
      "<layer id=\"2\" name=\"o\" type=\"Result\" version=\"opset1\" output_names=\"y,z\\,w\">"
      "<input><port id=\"0\">" D(2) "</port></input></layer>\n" MID EDGE(0, 0, 1, 0) EDGE(1, 1, 2, 0) END;
  ir_model *m = read_mem(xml, NULL, 0);
  ir_value *v = ir_op_operand(m->main->results[0], 0);
  assert_int_equal(v->n_names, 2);
  assert_string_equal(v->names[0], "y");
  assert_string_equal(v->names[1], "z,w");
  ir_model_free(m);
}

static void test_opaque_op(void **state) {
  (void)state;
  static const char xml[] =
      HDR(11) PARAM(0, "x", D(2) D(3), "2,3")
      "<layer id=\"1\" name=\"custom\" type=\"MyCustomOp\" version=\"extension\"><data foo=\"1\" "
      "bar=\"x, y\"/><input><port id=\"0\">" D(2) D(3) "</port></input><output><port id=\"1\" "
      "precision=\"FP16\">" D(2) D(-1) "</port><port id=\"2\" precision=\"I64\"/></output></layer>\n"
      "<layer id=\"2\" name=\"r\" type=\"Relu\" version=\"opset99x\"><input><port id=\"0\">" D(2)
      D(3) "</port></input><output><port id=\"1\" precision=\"FP16\">" D(2) D(3)
      "</port></output></layer>\n"
      RESULT(3, "out", D(2) D(3)) RESULT(4, "out2", )
      MID EDGE(0, 0, 1, 0) EDGE(1, 1, 2, 0) EDGE(2, 1, 3, 0) EDGE(1, 2, 4, 0) END;
  ir_model *m = read_mem(xml, NULL, 0);
  ir_op *c = find_op(m->main, "custom");
  assert_int_equal(c->kind, IR_OP_OPAQUE);
  assert_null(c->info);
  assert_string_equal(c->type_name, "MyCustomOp");
  assert_string_equal(c->version_name, "extension");
  assert_int_equal(c->n_results, 2);
  assert_string_equal(ir_op_attr_str(c, "foo", ""), "1");
  assert_string_equal(ir_op_attr_str(c, "bar", ""), "x, y");
  assert_int_equal(c->results[0].type.et, IR_ET_F16);
  assert_int_equal(c->results[0].type.shape.rank, 2);
  assert_true(ir_dim_is_dynamic(c->results[0].type.shape.d[1]));
  assert_int_equal(c->results[1].type.et, IR_ET_I64);
  assert_int_equal(c->results[1].type.shape.rank, 0);
  ir_op *r = find_op(m->main, "r"); /* bad version string: opaque too */
  assert_int_equal(r->kind, IR_OP_OPAQUE);
  assert_string_equal(r->version_name, "opset99x");
  /* strict inference refuses opaque ops, naming them */
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(ir_infer_op(c, true, &d), OVCC_ERR_UNSUPPORTED);
  assert_non_null(strstr(d.msg, "MyCustomOp"));
  assert_non_null(strstr(d.msg, "layer 'custom' (id 1"));
  ir_model_free(m);
}

static void test_string_constant(void **state) {
  (void)state;
  /* 2 strings "hi", "abc": count, 3 offsets, 5 bytes */
  static const uint8_t bin[21] = {2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 5, 0, 0, 0, 'h', 'i', 'a', 'b', 'c'};
  static const char ok[] = HDR(11) CONST(0, "s", "string", "STRING", "2", "offset=\"0\" size=\"21\"", D(2))
      RESULT(1, "out", D(2)) MID EDGE(0, 0, 1, 0) END;
  ir_model *m = read_mem(ok, bin, sizeof bin);
  ir_op *s = find_op(m->main, "s");
  assert_int_equal(s->results[0].type.et, IR_ET_STRING);
  assert_int_equal(s->cst->nbytes, 21);
  ir_model_free(m);
  uint8_t bad[21];
  memcpy(bad, bin, sizeof bad);
  bad[0] = 3; /* count disagrees with the shape */
  EXPECT_ERR(ok, bad, sizeof bad, INVALID, "layer 's' (id 0", "packed count 3", NULL);
  memcpy(bad, bin, sizeof bad);
  bad[12] = 9; /* end offset past the blob */
  EXPECT_ERR(ok, bad, sizeof bad, INVALID, "layer 's'", "out of order or out of range", NULL);
  EXPECT_ERR(ok, bin, 6, INVALID, "layer 's'", "too short", NULL);
}

static void test_zero_element_constant(void **state) {
  (void)state;
  static const char xml[] = HDR(11) CONST(0, "z", "f32", "FP32", "0,4", "size=\"0\"", D(0) D(4))
      RESULT(1, "out", D(0) D(4)) MID EDGE(0, 0, 1, 0) END;
  ir_model *m = read_mem(xml, NULL, 0); /* no .bin at all */
  ir_op *z = find_op(m->main, "z");
  assert_int_equal(z->cst->nbytes, 0);
  assert_non_null(z->cst->data);
  ir_model_free(m);
}

static void test_loop_and_if(void **state) {
  (void)state;
  static const char loop[] =
      HDR(11)
      "<layer id=\"0\" name=\"trip\" type=\"Parameter\" version=\"opset1\"><data element_type=\"i64\" shape=\"\"/><output><port id=\"0\" precision=\"I64\"/></output></layer>\n"
      "<layer id=\"1\" name=\"cond\" type=\"Parameter\" version=\"opset1\"><data element_type=\"boolean\" shape=\"\"/><output><port id=\"0\" precision=\"BOOL\"/></output></layer>\n"
      PARAM(2, "x", D(1), "1")
      "<layer id=\"3\" name=\"loop\" type=\"Loop\" version=\"opset5\"><input><port id=\"0\"/><port id=\"1\"/><port id=\"2\">" D(1) "</port></input>"
      "<output><port id=\"3\" precision=\"FP32\">" D(1) "</port></output>"
      "<port_map><input external_port_id=\"1\" internal_layer_id=\"2\"/><input external_port_id=\"2\" internal_layer_id=\"1\"/>"
      "<input external_port_id=\"-1\" internal_layer_id=\"0\" purpose=\"current_iteration\"/>"
      "<output external_port_id=\"-1\" internal_layer_id=\"3\" purpose=\"execution_condition\"/>"
      "<output external_port_id=\"3\" internal_layer_id=\"4\"/></port_map>"
      "<back_edges><edge from-layer=\"3\" to-layer=\"2\"/><edge from-layer=\"4\" to-layer=\"1\"/></back_edges>"
      "<body><layers>"
      "<layer id=\"0\" name=\"iter\" type=\"Parameter\" version=\"opset1\"><data element_type=\"i64\" shape=\"\"/><output><port id=\"0\" precision=\"I64\"/></output></layer>"
      PARAM(1, "xb", D(1), "1")
      "<layer id=\"2\" name=\"cb\" type=\"Parameter\" version=\"opset1\"><data element_type=\"boolean\" shape=\"\"/><output><port id=\"0\" precision=\"BOOL\"/></output></layer>"
      RESULT(3, "rc", ) RESULT(4, "rx", D(1)) RELU(5, "relu", D(1))
      "</layers><edges>" EDGE(2, 0, 3, 0) EDGE(1, 0, 5, 0) EDGE(5, 1, 4, 0) "</edges></body></layer>\n"
      RESULT(4, "out", D(1))
      MID EDGE(0, 0, 3, 0) EDGE(1, 0, 3, 1) EDGE(2, 0, 3, 2) EDGE(3, 3, 4, 0) END;
  ir_model *m = read_mem(loop, NULL, 0);
  ir_op *l = find_kind(m->main, IR_OP_LOOP_5);
  assert_non_null(l);
  ir_graph *b = l->bodies[0];
  assert_int_equal(b->n_params, 3);
  assert_int_equal(b->n_results, 2);
  assert_int_equal(b->last->kind, IR_OP_RESULT_1);
  const ir_attr_value *in = ir_op_attr(l, "input_map");
  assert_int_equal(in->u.list.n, 2); /* the iteration counter is not an outer input */
  assert_int_equal(dict_int(&in->u.list.v[0], "external"), 1);
  assert_int_equal(dict_int(&in->u.list.v[0], "internal"), 2);
  assert_int_equal(dict_int(&in->u.list.v[1], "external"), 2);
  assert_int_equal(dict_int(&in->u.list.v[1], "internal"), 1);
  assert_null(ir_dict_get(&in->u.list.v[0], "axis"));
  const ir_attr_value *out = ir_op_attr(l, "output_map");
  assert_int_equal(out->u.list.n, 1);
  assert_int_equal(dict_int(&out->u.list.v[0], "external"), 0);
  assert_int_equal(dict_int(&out->u.list.v[0], "internal"), 1);
  const ir_attr_value *be = ir_op_attr(l, "back_edges");
  assert_int_equal(be->u.list.n, 2);
  assert_int_equal(dict_int(&be->u.list.v[0], "from"), 0);
  assert_int_equal(dict_int(&be->u.list.v[0], "to"), 2);
  assert_int_equal(ir_op_attr_int(l, "current_iteration_input_idx", -5), 0);
  assert_int_equal(ir_op_attr_int(l, "body_condition_output_idx", -5), 0);
  ir_model_free(m);

  static const char iff[] =
      HDR(11)
      "<layer id=\"0\" name=\"c\" type=\"Parameter\" version=\"opset1\"><data element_type=\"boolean\" shape=\"\"/><output><port id=\"0\" precision=\"BOOL\"/></output></layer>\n"
      PARAM(1, "x", D(2), "2")
      "<layer id=\"2\" name=\"if\" type=\"If\" version=\"opset8\"><input><port id=\"0\"/><port id=\"1\">" D(2) "</port></input>"
      "<output><port id=\"2\" precision=\"FP32\">" D(2) "</port></output>"
      "<then_port_map><input external_port_id=\"1\" internal_layer_id=\"0\"/><output external_port_id=\"2\" internal_layer_id=\"1\"/></then_port_map>"
      "<else_port_map><input external_port_id=\"1\" internal_layer_id=\"0\"/><output external_port_id=\"2\" internal_layer_id=\"1\"/></else_port_map>"
      "<then_body><layers>" PARAM(0, "t", D(2), "2") RESULT(1, "tr", D(2)) "</layers><edges>" EDGE(0, 0, 1, 0) "</edges></then_body>"
      "<else_body><layers>" PARAM(0, "e", D(2), "2") RESULT(1, "er", D(2)) RELU(2, "er", D(2)) "</layers><edges>" EDGE(0, 0, 2, 0) EDGE(2, 1, 1, 0) "</edges></else_body>"
      "</layer>\n" RESULT(3, "out", D(2))
      MID EDGE(0, 0, 2, 0) EDGE(1, 0, 2, 1) EDGE(2, 2, 3, 0) END;
  m = read_mem(iff, NULL, 0);
  ir_op *f = find_kind(m->main, IR_OP_IF_8);
  assert_int_equal(f->n_bodies, 2);
  assert_int_equal(f->bodies[1]->n_ops, 3);
  const ir_attr_value *ti = ir_op_attr(f, "then_inputs"), *eo = ir_op_attr(f, "else_outputs");
  assert_int_equal(ti->u.list.n, 1);
  assert_int_equal(dict_int(&ti->u.list.v[0], "external"), 1);
  assert_int_equal(dict_int(&ti->u.list.v[0], "internal"), 0);
  assert_int_equal(eo->u.list.n, 1);
  assert_int_equal(dict_int(&eo->u.list.v[0], "external"), 0);
  ir_model_free(m);
}

/* n TensorIterators nested inside each other, each body Param -> TI -> Result. */
static char *nested_ti(int n) {
  size_t cap = 4096 + (size_t)n * 1024;
  char *body = malloc(cap), *tmp = malloc(cap);
  assert_non_null(body);
  assert_non_null(tmp);
  snprintf(body, cap, "<layers>" PARAM(0, "p", D(1), "1") RESULT(2, "r", D(1)) "</layers><edges>"
           EDGE(0, 0, 2, 0) "</edges>");
  for (int i = 0; i < n; i++) {
    snprintf(tmp, cap,
             "<layers>" PARAM(0, "p", D(1), "1")
             "<layer id=\"1\" name=\"ti\" type=\"TensorIterator\" version=\"opset1\"><input><port id=\"0\">" D(1)
             "</port></input><output><port id=\"1\" precision=\"FP32\">" D(1) "</port></output><port_map>"
             "<input external_port_id=\"0\" internal_layer_id=\"0\"/><output external_port_id=\"1\" "
             "internal_layer_id=\"2\"/></port_map><body>%s</body></layer>\n" RESULT(2, "r", D(1))
             "</layers><edges>" EDGE(0, 0, 1, 0) EDGE(1, 1, 2, 0) "</edges>",
             body);
    char *t = body;
    body = tmp;
    tmp = t;
  }
  snprintf(tmp, cap, "<?xml version=\"1.0\"?>\n<net name=\"t\" version=\"11\">%s</net>\n", body);
  free(body);
  return tmp;
}

static void test_body_nesting(void **state) {
  (void)state;
  char *ok = nested_ti(FE_MAX_BODY_DEPTH);
  ir_model *m = read_mem(ok, NULL, 0);
  int depth = 0;
  for (ir_graph *g = m->main;; depth++) {
    ir_op *ti = find_kind(g, IR_OP_TENSORITERATOR_1);
    if (!ti)
      break;
    g = ti->bodies[0];
  }
  assert_int_equal(depth, FE_MAX_BODY_DEPTH);
  ir_model_free(m);
  free(ok);
  char *deep = nested_ti(FE_MAX_BODY_DEPTH + 1);
  EXPECT_ERR(deep, NULL, 0, INVALID, "bodies nested deeper than 64", "TensorIterator-1", NULL);
  free(deep);
}

/* ---- bad input: one test per class ---- */

static void test_bad_xml(void **state) {
  (void)state;
  EXPECT_ERR("", NULL, 0, INVALID, "model.xml", "malformed XML", NULL);
  EXPECT_ERR("<net version=\"11\">\n<layers>\n</net>\n", NULL, 0, INVALID, "model.xml:3:",
             "malformed XML", NULL);
  EXPECT_ERR("<?xml version=\"1.0\"?>\n<net version=\"11\"><layers/><edges/>\n\x01</net>", NULL, 0,
             INVALID, "malformed XML", NULL, NULL);
  EXPECT_ERR("<foo/>", NULL, 0, INVALID, "expected <net>", NULL, NULL);
  EXPECT_ERR("<net version=\"7\"><layers/></net>", NULL, 0, OVCC_ERR_UNSUPPORTED,
             "unsupported IR version '7'", NULL, NULL);
  EXPECT_ERR("<net version=\"eleven\"><layers/></net>", NULL, 0, OVCC_ERR_UNSUPPORTED,
             "unsupported IR version", NULL, NULL);
  EXPECT_ERR("<net><layers/></net>", NULL, 0, INVALID, "no 'version'", NULL, NULL);
  EXPECT_ERR("<net version=\"11\"></net>", NULL, 0, INVALID, "has no <layers>", NULL, NULL);
  /* an embedded NUL ends nothing: the length is what counts */
  static const char nul[] = "<net version=\"11\"><layers/>\0</net>";
  expect_err(nul, sizeof nul - 1, NULL, 0, INVALID, "malformed XML", NULL, NULL);
  /* entities are never expanded (no billion laughs); the reader just reports the mess */
  static const char lol[] =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE net [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
      "\"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>\n"
      "<net version=\"11\"><layers><layer id=\"0\" name=\"&c;\" type=\"&c;\"/></layers></net>";
  ir_model *m = NULL;
  ir_diag d;
  ir_diag_clear(&d);
  ovcc_status st = fe_read_xml_memory(lol, strlen(lol), NULL, 0, "model.xml", &m, &d);
  if (st == OVCC_OK)
    ir_model_free(m);
}

static void test_truncations_never_crash(void **state) {
  (void)state;
  static const char xml[] = ADD_MODEL("offset=\"0\" size=\"16\"");
  size_t n = strlen(xml) - 1; /* the whole document but its final newline is valid */
  for (size_t k = 0; k < n; k++) {
    ir_model *m = NULL;
    ir_diag d;
    ir_diag_clear(&d);
    ovcc_status st = fe_read_xml_memory(xml, k, BIN16, 16, "model.xml", &m, &d);
    assert_int_not_equal(st, OVCC_OK);
    assert_true(d.msg[0] != 0);
  }
}

static void test_missing_and_short_bin(void **state) {
  (void)state;
  static const char xml[] = ADD_MODEL("offset=\"0\" size=\"16\"");
  EXPECT_ERR(xml, NULL, 0, INVALID, "model.xml:5: layer 'c' (id 1, Constant-1)",
             "offset 0, size 16", ".bin file is missing");
  EXPECT_ERR(xml, BIN16, 10, INVALID, "layer 'c' (id 1", "offset 0, size 16", "too short");
  /* from a file, with the .bin beside it missing */
  char dir[] = "/tmp/ovcc_xml_XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[256];
  snprintf(path, sizeof path, "%s/model.xml", dir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(xml, f);
  fclose(f);
  ir_model *m = NULL;
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(fe_read_xml_file(path, NULL, &m, &d), INVALID);
  assert_non_null(strstr(d.msg, path));
  assert_non_null(strstr(d.msg, ".bin file is missing"));
  assert_int_equal(d.line, 5);
  /* with it present */
  char bin[256];
  snprintf(bin, sizeof bin, "%s/model.bin", dir);
  f = fopen(bin, "wb");
  fwrite(BIN16, 1, 16, f);
  fclose(f);
  assert_int_equal(fe_read_xml_file(path, NULL, &m, &d), OVCC_OK);
  assert_string_equal(m->weights.path, bin);
  assert_string_equal(m->source_path, path);
  ir_model_free(m);
  /* an explicit .bin path that does not exist is an I/O error */
  assert_int_equal(fe_read_xml_file(path, "/tmp/ovcc_no_such.bin", &m, &d), OVCC_ERR_IO);
  assert_int_equal(fe_read_xml_file("/tmp/ovcc_no_such.xml", NULL, &m, &d), OVCC_ERR_IO);
  unlink(bin);
  unlink(path);
  rmdir(dir);
}

static void test_bad_weights_range(void **state) {
  (void)state;
  EXPECT_ERR(ADD_MODEL("offset=\"8\" size=\"16\""), BIN16, 16, INVALID, "layer 'c'",
             "offset 8, size 16", "out of range");
  EXPECT_ERR(ADD_MODEL("offset=\"9223372036854775807\" size=\"16\""), BIN16, 16, INVALID,
             "layer 'c'", "out of range", NULL);
  EXPECT_ERR(ADD_MODEL("offset=\"-4\" size=\"16\""), BIN16, 16, INVALID, "layer 'c'", "negative",
             NULL);
  EXPECT_ERR(ADD_MODEL("offset=\"99999999999999999999\" size=\"16\""), BIN16, 16, INVALID,
             "layer 'c'", "attribute 'offset': expected int", NULL);
  EXPECT_ERR(ADD_MODEL("size=\"16\""), BIN16, 16, INVALID, "layer 'c'", "'offset'", NULL);
  EXPECT_ERR(ADD_MODEL("offset=\"0\" size=\"12\""), BIN16, 16, INVALID, "layer 'c' (id 1",
             "size 12 does not match 4 elements of f32 (16 bytes)", NULL);
  EXPECT_ERR(ADD_MODEL("offset=\"0\" size=\"20\""), BIN16, 16, INVALID, "does not match", NULL,
             NULL);
}

static void test_bad_attributes(void **state) {
  (void)state;
  /* missing required attribute */
  EXPECT_ERR(HDR(11)
             "<layer id=\"0\" name=\"x\" type=\"Parameter\" version=\"opset1\"><data element_type=\"f32\"/>"
             "<output><port id=\"0\" precision=\"FP32\"/></output></layer>\n" RESULT(1, "o", ) MID
             EDGE(0, 0, 1, 0) END,
             NULL, 0, INVALID, "model.xml:4: layer 'x' (id 0, Parameter-1)",
             "missing required attribute 'shape'", NULL);
  /* ill-typed attribute */
  static const char conv[] =
      HDR(11) PARAM(0, "x", D(1) D(1) D(4) D(4), "1,1,4,4")
      CONST(1, "w", "f32", "FP32", "1,1,1,1", "offset=\"0\" size=\"4\"", D(1) D(1) D(1) D(1))
      "<layer id=\"2\" name=\"conv1\" type=\"Convolution\" version=\"opset1\"><data strides=\"a,b\" "
      "dilations=\"1,1\" pads_begin=\"0,0\" pads_end=\"0,0\"/><input><port id=\"0\"/><port id=\"1\"/>"
      "</input><output><port id=\"2\" precision=\"FP32\"/></output></layer>\n" RESULT(3, "o", )
      MID EDGE(0, 0, 2, 0) EDGE(1, 0, 2, 1) EDGE(2, 2, 3, 0) END;
  EXPECT_ERR(conv, BIN16, 16, INVALID, "model.xml:6: layer 'conv1' (id 2, Convolution-1)",
             "attribute 'strides'", "'a'");
  /* enum value outside the schema */
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(2), "2") PARAM(1, "y", D(2), "2")
             "<layer id=\"2\" name=\"add\" type=\"Add\" version=\"opset1\"><data auto_broadcast=\"sideways\"/>"
             "<input><port id=\"0\"/><port id=\"1\"/></input><output><port id=\"2\" precision=\"FP32\"/>"
             "</output></layer>\n" RESULT(3, "o", ) MID EDGE(0, 0, 2, 0) EDGE(1, 0, 2, 1)
             EDGE(2, 2, 3, 0) END,
             NULL, 0, INVALID, "layer 'add' (id 2, Add-1)", "auto_broadcast", "sideways");
  /* bad element type and bad shape in a Parameter */
  EXPECT_ERR(HDR(11)
             "<layer id=\"0\" name=\"x\" type=\"Parameter\" version=\"opset1\"><data element_type=\"f33\" shape=\"1\"/>"
             "<output><port id=\"0\" precision=\"FP32\"/></output></layer>\n" RESULT(1, "o", ) MID
             EDGE(0, 0, 1, 0) END,
             NULL, 0, INVALID, "layer 'x'", "attribute 'element_type'", "f33");
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(1), "1,-7") RESULT(1, "o", ) MID EDGE(0, 0, 1, 0) END, NULL,
             0, INVALID, "layer 'x'", "attribute 'shape'", NULL);
}

static void test_bad_layers(void **state) {
  (void)state;
  EXPECT_ERR(HDR(11) "<layer name=\"x\" type=\"Parameter\"/>\n" MID END, NULL, 0, INVALID,
             "model.xml:4:", "no 'id'", NULL);
  EXPECT_ERR(HDR(11) "<layer id=\"x1\" name=\"x\" type=\"Parameter\"/>\n" MID END, NULL, 0,
             INVALID, "model.xml:4:", "layer id 'x1'", NULL);
  EXPECT_ERR(HDR(11) "<layer id=\"-3\" name=\"x\" type=\"Parameter\"/>\n" MID END, NULL, 0,
             INVALID, "layer id '-3'", NULL, NULL);
  EXPECT_ERR(HDR(11) "<layer id=\"0\" name=\"x\"/>\n" MID END, NULL, 0, INVALID, "layer 'x' (id 0",
             "missing attribute 'type'", NULL);
  /* Found by fuzz_xml_reader: a non-identifier type printed as `ov.Paramete(r`,
   * which the textual parser could not read back. */
  EXPECT_ERR(HDR(11) "<layer id=\"0\" name=\"x\" type=\"Paramete(r\" version=\"opset1\"/>\n" MID END,
             NULL, 0, INVALID, "layer 'x' (id 0", "'Paramete(r' is not an op type name", NULL);
  EXPECT_ERR(HDR(11) "<layer id=\"0\" name=\"x\" type=\"9Relu\"/>\n" MID END, NULL, 0, INVALID,
             "layer 'x' (id 0", "not an op type name", NULL);
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(1), "1") PARAM(0, "y", D(1), "1") MID END, NULL, 0, INVALID,
             "model.xml:5:", "duplicate layer id 0", "'x' at line 4");
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(1), "1")
             "<layer id=\"1\" name=\"r\" type=\"Relu\" version=\"opset1\"><input><port id=\"0\"/>"
             "<port id=\"0\"/></input></layer>\n" MID END,
             NULL, 0, INVALID, "layer 'r' (id 1", "duplicate input port id 0", NULL);
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(1), "1")
             "<layer id=\"1\" name=\"r\" type=\"Relu\" version=\"opset1\"><input><port id=\"zero\"/>"
             "</input></layer>\n" MID END,
             NULL, 0, INVALID, "layer 'r' (id 1", "port id 'zero'", NULL);
  EXPECT_ERR(HDR(11)
             "<layer id=\"0\" name=\"x\" type=\"Parameter\" version=\"opset1\"><data element_type=\"f32\" shape=\"1\"/>"
             "<output><port id=\"0\" precision=\"FP33\"/></output></layer>\n" MID END,
             NULL, 0, INVALID, "layer 'x'", "unknown precision 'FP33'", NULL);
}

static void test_absurd_dims(void **state) {
  (void)state;
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(1) D(-5), "1,?") RESULT(1, "o", ) MID EDGE(0, 0, 1, 0) END,
             NULL, 0, INVALID, "layer 'x' (id 0", "output port 0: dimension -5 is out of range",
             NULL);
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(99999999999999999999), "?") RESULT(1, "o", ) MID
             EDGE(0, 0, 1, 0) END,
             NULL, 0, INVALID, "layer 'x'", "is not an integer", NULL);
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(2199023255552), "?") RESULT(1, "o", ) MID EDGE(0, 0, 1, 0)
             END,
             NULL, 0, INVALID, "layer 'x'", "out of range", NULL);
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(1) D(1) D(1) D(1) D(1) D(1) D(1) D(1) D(1) D(1) D(1) D(1) D(1)
                                        D(1) D(1) D(1) D(1),
                           "...") RESULT(1, "o", ) MID EDGE(0, 0, 1, 0) END,
             NULL, 0, INVALID, "layer 'x'", "rank exceeds 16", NULL);
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(a), "?") RESULT(1, "o", ) MID EDGE(0, 0, 1, 0) END, NULL, 0,
             INVALID, "dimension 'a' is not an integer", NULL, NULL);
  /* element count overflow in a Constant */
  EXPECT_ERR(HDR(11) CONST(0, "big", "f32", "FP32", "1099511627776,1099511627776,1099511627776",
                           "offset=\"0\" size=\"4\"", )
             RESULT(1, "o", ) MID EDGE(0, 0, 1, 0) END,
             BIN16, 16, INVALID, "layer 'big' (id 0, Constant-1)", "representable element count",
             NULL);
}

static void test_bad_edges(void **state) {
  (void)state;
  /* dangling: missing layer, missing ports */
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(2), "2") RELU(1, "r", D(2)) RESULT(2, "o", D(2)) MID
             EDGE(0, 0, 1, 0) EDGE(42, 1, 2, 0) END,
             NULL, 0, INVALID, "model.xml:10:", "no layer with id 42", NULL);
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(2), "2") RELU(1, "r", D(2)) RESULT(2, "o", D(2)) MID
             EDGE(0, 0, 1, 0) EDGE(1, 9, 2, 0) END,
             NULL, 0, INVALID, "layer 'r' (id 1, Relu-1)", "no output port 9", NULL);
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(2), "2") RELU(1, "r", D(2)) RESULT(2, "o", D(2)) MID
             EDGE(0, 0, 1, 0) EDGE(1, 1, 2, 5) END,
             NULL, 0, INVALID, "layer 'o' (id 2, Result-1)", "no input port 5", NULL);
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(2), "2") RELU(1, "r", D(2)) RESULT(2, "o", D(2)) MID
             EDGE(0, 0, 1, 0) "<edge from-layer=\"1\" from-port=\"1\" to-layer=\"2\"/>\n" END,
             NULL, 0, INVALID, "model.xml:10:", "no 'to-port'", NULL);
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(2), "2") RELU(1, "r", D(2)) RESULT(2, "o", D(2)) MID
             EDGE(0, 0, 1, 0) "<edge from-layer=\"1\" from-port=\"1\" to-layer=\"2\" to-port=\"x\"/>\n" END,
             NULL, 0, INVALID, "'to-port' = 'x'", NULL, NULL);
  /* duplicate edge into one input */
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(2), "2") PARAM(1, "y", D(2), "2") RELU(2, "r", D(2))
             RESULT(3, "o", D(2)) MID EDGE(0, 0, 2, 0) EDGE(1, 0, 2, 0) EDGE(2, 1, 3, 0) END,
             NULL, 0, INVALID, "layer 'r' (id 2, Relu-1)",
             "input port 0 has more than one incoming edge (lines 10 and 11)", NULL);
  /* input with no edge */
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(2), "2") ADD(1, "add", D(2)) RESULT(2, "o", D(2)) MID
             EDGE(0, 0, 1, 0) EDGE(1, 2, 2, 0) END,
             NULL, 0, INVALID, "layer 'add' (id 1, Add-1)", "input port 1 is not connected", NULL);
  /* cycle */
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(2), "2") ADD(1, "add", D(2)) RELU(2, "r", D(2))
             RESULT(3, "o", D(2)) MID EDGE(0, 0, 1, 0) EDGE(2, 1, 1, 1) EDGE(1, 2, 2, 0)
             EDGE(2, 1, 3, 0) END,
             NULL, 0, INVALID, "cycle", "layer '", NULL);
  /* a cycle among unreachable layers is found too */
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(2), "2") RELU(1, "r1", D(2)) RELU(2, "r2", D(2))
             RESULT(3, "o", D(2)) MID EDGE(0, 0, 3, 0) EDGE(1, 1, 2, 0) EDGE(2, 1, 1, 0) END,
             NULL, 0, INVALID, "cycle", NULL, NULL);
}

static void test_wrong_port_counts(void **state) {
  (void)state;
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(2), "2")
             "<layer id=\"1\" name=\"add\" type=\"Add\" version=\"opset1\"><input><port id=\"0\"/>"
             "<port id=\"1\"/><port id=\"2\"/></input><output><port id=\"3\" precision=\"FP32\"/></output></layer>\n"
             RESULT(2, "o", ) MID EDGE(0, 0, 1, 0) EDGE(0, 0, 1, 1) EDGE(0, 0, 1, 2) EDGE(1, 3, 2, 0) END,
             NULL, 0, INVALID, "model.xml:5: layer 'add' (id 1, Add-1)", "expects 2 inputs, got 3",
             NULL);
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(2), "2")
             "<layer id=\"1\" name=\"r\" type=\"Relu\" version=\"opset1\"><input><port id=\"0\"/></input>"
             "<output><port id=\"1\" precision=\"FP32\"/><port id=\"2\" precision=\"FP32\"/></output></layer>\n"
             RESULT(2, "o", ) MID EDGE(0, 0, 1, 0) EDGE(1, 1, 2, 0) END,
             NULL, 0, INVALID, "layer 'r' (id 1, Relu-1)", "expects 1 outputs, got 2", NULL);
  EXPECT_ERR(HDR(11) "<layer id=\"0\" name=\"o\" type=\"Result\" version=\"opset1\"/>\n" MID END,
             NULL, 0, INVALID, "layer 'o' (id 0, Result-1)", "expects 1 inputs, got 0", NULL);
}

#define TI_LAYER(port_map)                                                                         \
  HDR(11) PARAM(0, "x", D(1), "1")                                                                 \
  "<layer id=\"1\" name=\"ti\" type=\"TensorIterator\" version=\"opset1\"><input><port id=\"0\">" \
  D(1) "</port></input><output><port id=\"1\" precision=\"FP32\">" D(1) "</port></output>"      \
  port_map "<body><layers>" PARAM(0, "p", D(1), "1") RESULT(2, "r", D(1))                          \
  "</layers><edges>" EDGE(0, 0, 2, 0) "</edges></body></layer>\n" RESULT(2, "o", D(1)) MID        \
  EDGE(0, 0, 1, 0) EDGE(1, 1, 2, 0) END

static void test_bad_port_maps(void **state) {
  (void)state;
  /* sanity: the template itself is fine */
  ir_model *m = read_mem(TI_LAYER("<port_map><input external_port_id=\"0\" internal_layer_id=\"0\"/>"
                                  "<output external_port_id=\"1\" internal_layer_id=\"2\"/></port_map>"),
                         NULL, 0);
  ir_model_free(m);
  EXPECT_ERR(TI_LAYER("<port_map><input external_port_id=\"0\" internal_layer_id=\"2\"/></port_map>"),
             NULL, 0, INVALID, "layer 'ti' (id 1, TensorIterator-1)",
             "internal_layer_id 2 is not a body Parameter", NULL);
  EXPECT_ERR(TI_LAYER("<port_map><output external_port_id=\"1\" internal_layer_id=\"7\"/></port_map>"),
             NULL, 0, INVALID, "layer 'ti'", "internal_layer_id 7 is not a body Result", NULL);
  EXPECT_ERR(TI_LAYER("<port_map><input external_port_id=\"5\" internal_layer_id=\"0\"/></port_map>"),
             NULL, 0, INVALID, "layer 'ti'", "external_port_id 5 is not an input port", NULL);
  EXPECT_ERR(TI_LAYER("<port_map><output external_port_id=\"1\" internal_layer_id=\"2\"/>"
                      "<output external_port_id=\"2\" internal_layer_id=\"2\"/></port_map>"),
             NULL, 0, INVALID, "layer 'ti'", "maps more outputs than the op's 1", NULL);
  EXPECT_ERR(TI_LAYER("<port_map><input internal_layer_id=\"0\"/></port_map>"), NULL, 0, INVALID,
             "layer 'ti'", "has no 'external_port_id'", NULL);
  EXPECT_ERR(TI_LAYER("<port_map><input external_port_id=\"0\" internal_layer_id=\"0\" axis=\"x\"/></port_map>"),
             NULL, 0, INVALID, "layer 'ti'", "'axis' = 'x' is not an integer", NULL);
  EXPECT_ERR(TI_LAYER("<back_edges><edge from-layer=\"0\" to-layer=\"0\"/></back_edges>"), NULL, 0,
             INVALID, "layer 'ti'", "from-layer 0 is not a body Result", NULL);
  EXPECT_ERR(TI_LAYER("<back_edges><edge from-layer=\"2\" to-layer=\"2\"/></back_edges>"), NULL, 0,
             INVALID, "layer 'ti'", "to-layer 2 is not a body Parameter", NULL);
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(1), "1")
             "<layer id=\"1\" name=\"ti\" type=\"TensorIterator\" version=\"opset1\"><input><port id=\"0\"/>"
             "</input><output><port id=\"1\" precision=\"FP32\"/></output></layer>\n"
             RESULT(2, "o", ) MID EDGE(0, 0, 1, 0) EDGE(1, 1, 2, 0) END,
             NULL, 0, INVALID, "layer 'ti' (id 1, TensorIterator-1)", "missing <body>", NULL);
  /* errors inside a body carry the body layer's own line */
  EXPECT_ERR(HDR(11) PARAM(0, "x", D(1), "1")
             "<layer id=\"1\" name=\"ti\" type=\"TensorIterator\" version=\"opset1\"><input><port id=\"0\"/>"
             "</input><output><port id=\"1\" precision=\"FP32\"/></output><body><layers>\n"
             PARAM(0, "p", D(1), "1") RELU(1, "inner", D(1)) RESULT(2, "r", D(1))
             "</layers><edges>" EDGE(0, 0, 1, 0) "</edges></body></layer>\n" RESULT(2, "o", ) MID
             EDGE(0, 0, 1, 0) EDGE(1, 1, 2, 0) END,
             NULL, 0, INVALID, "model.xml:8: layer 'r' (id 2, Result-1)", "input port 0 is not connected",
             NULL);
}

static void test_v10_rt_info_ignored(void **state) {
  (void)state;
  static const char v10[] =
      HDR(10)
      "<layer id=\"0\" name=\"x\" type=\"Parameter\" version=\"opset1\"><data element_type=\"f32\" shape=\"2\"/>"
      "<rt_info><attribute name=\"fused_names\" version=\"0\" value=\"x\"/></rt_info>"
      "<output><port id=\"0\" precision=\"FP32\">" D(2) "</port></output></layer>\n"
      RESULT(1, "o", D(2)) MID EDGE(0, 0, 1, 0) END
      "<meta_data><MO_version value=\"1\"/></meta_data>";
  /* meta_data sits after </net> above: malformed on purpose */
  EXPECT_ERR(v10, NULL, 0, INVALID, "malformed XML", NULL, NULL);
  static const char ok[] =
      HDR(10)
      "<layer id=\"0\" name=\"x\" type=\"Parameter\" version=\"opset1\"><data element_type=\"f32\" shape=\"2\"/>"
      "<rt_info><attribute name=\"fused_names\" version=\"0\" value=\"x\"/></rt_info>"
      "<output><port id=\"0\" precision=\"FP32\">" D(2) "</port></output></layer>\n"
      RESULT(1, "o", D(2)) MID EDGE(0, 0, 1, 0)
      "</edges><meta_data><MO_version value=\"1\"/><cli_parameters><a value=\"b\"/></cli_parameters>"
      "</meta_data><quantization_parameters><config>{ 'x': 1 }</config></quantization_parameters></net>";
  ir_model *m = read_mem(ok, NULL, 0);
  assert_null(m->main->params[0]->rt_info); /* node rt_info is read for v11 only */
  assert_non_null(m->meta);
  const ir_attr_value *q = ir_dict_get(m->meta, "quantization_parameters");
  assert_non_null(q);
  assert_string_equal(ir_dict_get(q, "config")->u.s, "{ 'x': 1 }");
  /* v10 fix-ups: the Parameter name and the Result producer name are tensor names */
  ir_value *v = &m->main->params[0]->results[0];
  assert_int_equal(v->n_names, 1);
  assert_string_equal(v->names[0], "x");
  ir_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_corpus_all_load),
      cmocka_unit_test(test_corpus_u4_constant),
      cmocka_unit_test(test_corpus_ti_port_maps),
      cmocka_unit_test(test_corpus_string_param),
      cmocka_unit_test(test_corpus_names_rt_info),
      cmocka_unit_test(test_corpus_stateful),
      cmocka_unit_test(test_assign_output_and_broadcast_none),
      cmocka_unit_test(test_add_model),
      cmocka_unit_test(test_order_and_port_ids),
      cmocka_unit_test(test_port_precision_is_a_hint),
      cmocka_unit_test(test_result_output_names),
      cmocka_unit_test(test_opaque_op),
      cmocka_unit_test(test_string_constant),
      cmocka_unit_test(test_zero_element_constant),
      cmocka_unit_test(test_loop_and_if),
      cmocka_unit_test(test_body_nesting),
      cmocka_unit_test(test_bad_xml),
      cmocka_unit_test(test_truncations_never_crash),
      cmocka_unit_test(test_missing_and_short_bin),
      cmocka_unit_test(test_bad_weights_range),
      cmocka_unit_test(test_bad_attributes),
      cmocka_unit_test(test_bad_layers),
      cmocka_unit_test(test_absurd_dims),
      cmocka_unit_test(test_bad_edges),
      cmocka_unit_test(test_wrong_port_counts),
      cmocka_unit_test(test_bad_port_maps),
      cmocka_unit_test(test_v10_rt_info_ignored),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
