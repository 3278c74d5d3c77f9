/* Memory plan: views share their operand's buffer, dead buffers are reused,
 * values read by Results and Assigns live to the end, state slots. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codegen/plan.h"
#include "frontend/frontend.h"

static ir_model *parse(const char *text) {
  ir_diag d;
  ir_diag_clear(&d);
  ir_model *m = NULL;
  ovcc_status st = fe_read_text(text, strlen(text), "plan.ovir", ".", &m, &d);
  if (st != OVCC_OK)
    fail_msg("parse: %s", d.msg);
  return m;
}

/* The i-th op of the main graph in textual order. */
static ir_op *op_at(ir_model *m, int i) {
  IR_FOR_EACH_OP(m->main, op)
  if (i-- == 0)
    return op;
  fail_msg("no op %d", i);
  return NULL;
}

static const char CHAIN[] =
    "graph @chain {\n"
    "  %x = ov.Parameter() {element_type = f32, shape = [256]} : f32[256]\n"
    "  %s = ov.Constant() {element_type = i64, shape = [2], value = [16, 16]} : i64[2]\n"
    "  %a = ov.Relu(%x) : f32[256]\n"
    "  %b = ov.Reshape(%a, %s) {special_zero = false} : f32[16,16]\n"
    "  %c = ov.Exp(%b) : f32[16,16]\n"
    "  %e = ov.Relu(%c) : f32[16,16]\n"
    "  %f = ov.Relu(%e) : f32[16,16]\n"
    "  ov.Result(%f)\n"
    "}\n";

static void test_views_and_reuse(void **state) {
  (void)state;
  ir_model *m = parse(CHAIN);
  cg_plan p;
  bool *alias = NULL;
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(cg_plan_build(m->main, &p, &alias, &d), OVCC_OK);
  ir_op *x = op_at(m, 0), *a = op_at(m, 2), *b = op_at(m, 3), *c = op_at(m, 4);
  ir_op *e = op_at(m, 5), *f = op_at(m, 6);
  uint32_t sa = cg_plan_slot_of(&p, &a->results[0]);
  assert_int_equal(cg_plan_slot_of(&p, &b->results[0]), sa); /* Reshape is a view */
  assert_true(alias[b->scratch]);
  assert_false(alias[c->scratch]);
  assert_int_equal(p.slots[cg_plan_slot_of(&p, &x->results[0])].kind, CG_SLOT_INPUT);
  uint32_t sc = cg_plan_slot_of(&p, &c->results[0]);
  uint32_t se = cg_plan_slot_of(&p, &e->results[0]);
  uint32_t sf = cg_plan_slot_of(&p, &f->results[0]);
  /* c is computed while a (through b) is read: different buffers. */
  assert_int_not_equal(p.slots[sc].offset, p.slots[sa].offset);
  /* e is born after a's last read (c): it takes a's buffer back. */
  assert_int_equal(p.slots[se].offset, p.slots[sa].offset);
  /* f reuses c's buffer; the arena holds two 1 KiB buffers, not five. */
  assert_int_equal(p.slots[sf].offset, p.slots[sc].offset);
  assert_int_equal(p.arena_size, 2048);
  free(alias);
  cg_plan_free(&p);
  ir_model_free(m);
}

static const char RESULTS_LIVE[] =
    "graph @live {\n"
    "  %x = ov.Parameter() {element_type = f32, shape = [16]} : f32[16]\n"
    "  %a = ov.Relu(%x) : f32[16]\n"
    "  %b = ov.Exp(%a) : f32[16]\n"
    "  %c = ov.Relu(%b) : f32[16]\n"
    "  ov.Result(%a)\n"
    "  ov.Result(%c)\n"
    "}\n";

static void test_results_live_to_end(void **state) {
  (void)state;
  ir_model *m = parse(RESULTS_LIVE);
  cg_plan p;
  bool *alias = NULL;
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(cg_plan_build(m->main, &p, &alias, &d), OVCC_OK);
  uint32_t sa = cg_plan_slot_of(&p, &op_at(m, 1)->results[0]);
  uint32_t sc = cg_plan_slot_of(&p, &op_at(m, 3)->results[0]);
  /* a is an output: c must not overwrite it even though a's last op use is b. */
  assert_int_not_equal(p.slots[sa].offset, p.slots[sc].offset);
  free(alias);
  cg_plan_free(&p);
  ir_model_free(m);
}

static const char STATEFUL[] =
    "graph @state {\n"
    "  %x = ov.Parameter() {element_type = f32, shape = [4]} : f32[4]\n"
    "  %i = ov.Constant() {element_type = f32, shape = [4], value = [0.0, 0.0, 0.0, 0.0]} : f32[4]\n"
    "  %r = ov.ReadValue.v3(%i) {variable_id = \"acc\"} : f32[4]\n"
    "  %s = ov.Add(%r, %x) : f32[4]\n"
    "  ov.Assign.v3(%s) {variable_id = \"acc\"}\n"
    "  ov.Result(%s)\n"
    "}\n";

static void test_state_slots(void **state) {
  (void)state;
  ir_model *m = parse(STATEFUL);
  cg_plan p;
  bool *alias = NULL;
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(cg_plan_build(m->main, &p, &alias, &d), OVCC_OK);
  assert_int_equal(p.n_states, 1);
  assert_string_equal(p.state_names[0], "acc");
  ir_op *r = op_at(m, 2);
  assert_true(alias[r->scratch]);
  assert_int_equal(p.slots[cg_plan_slot_of(&p, &r->results[0])].kind, CG_SLOT_STATE);
  free(alias);
  cg_plan_free(&p);
  ir_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_views_and_reuse),
      cmocka_unit_test(test_results_live_to_end),
      cmocka_unit_test(test_state_slots),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
