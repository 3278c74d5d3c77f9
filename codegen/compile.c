/* The compile driver: passes -> shape specialization -> memory plan -> one
 * kernel per op -> LLVM passes -> object -> ORC LLJIT -> program. */
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "compile.h"
#include "jit.h"
#include "kernel.h"
#include "passes/passes.h"
#include "plan.h"
#include "region.h"

/* Constant folding here must fold weight decompression (f16 -> f32 Convert)
 * and ShapeOf chains of any size a model has. */
#define COMPILE_FOLD_MAX_BYTES ((uint64_t)1 << 30)

void cg_options_init(cg_options *o) {
  memset(o, 0, sizeof *o);
  o->opt_level = 2;
  o->precision = IR_ET_F32;
}

/* What the program owns besides its arrays. */
typedef struct cg_owner {
  ir_model *model;
  cg_jit *jit;
  void **consts; /* kernel constants (prepacked weights, tables) */
  uint32_t n_consts, cap_consts;
  ir_arena names; /* port names */
} cg_owner;

/* ---- specialization ---- */

static ovcc_status specialize_inputs(ir_model *m, const cg_options *o, ir_diag *d) {
  ir_graph *g = m->main;
  if (!o->input_shapes)
    return OVCC_OK;
  if (o->n_input_shapes != g->n_params)
    return IR_ERR(d, OVCC_ERR_INVALID_ARG, "%u input shapes given for a model with %u inputs",
                  o->n_input_shapes, g->n_params);
  for (uint32_t i = 0; i < g->n_params; i++) {
    ir_op *p = g->params[i];
    ir_shape merged;
    if (!ir_shape_merge(&merged, &p->results[0].type.shape, &o->input_shapes[i])) {
      char want[256], got[256];
      ir_shape_format(&p->results[0].type.shape, want, sizeof want);
      ir_shape_format(&o->input_shapes[i], got, sizeof got);
      return IR_ERR(d, OVCC_ERR_INVALID_ARG, "input %u ('%s'): shape %s does not fit the model's %s",
                    i, p->name ? p->name : "", got, want);
    }
    p->results[0].type.shape = merged;
    ir_attr_value sh = {.kind = IR_ATTR_SHAPE, .u.shape = &merged};
    if (!ir_op_set_attr(m, p, "shape", &sh))
      return IR_NOMEM(d);
  }
  return OVCC_OK;
}

ovcc_status cg_prepare_model(ir_model *m, ir_diag *d) {
  pass_options po = {0};
  return pass_run_list(m, "infer-shapes,legacy-v10-io", &po, d);
}

static ovcc_status run_pipeline(ir_model *m, const cg_options *o, ir_diag *d) {
  pass_options po = {.fold_constants_max_bytes = COMPILE_FOLD_MAX_BYTES};
  /* What OpenVINO does before its plugin sees the model: IR v10 I/O types,
   * then the inference precision. */
  IR_TRY(cg_prepare_model(m, d));
  if (o->precision == IR_ET_F32)
    IR_TRY(pass_run_list(m, "convert-precision", &po, d));
  else if (o->precision != IR_ET_DYNAMIC)
    return IR_ERR(d, OVCC_ERR_UNSUPPORTED, "inference precision %s is not supported yet (f32 is)",
                  ir_etype_name(o->precision));
  /* -O0 still folds: kernels need static shapes and no ShapeOf at run time. */
  const char *list = o->opt_level <= 0
                         ? "infer-shapes,decompose-einsum,decompose-sdpa,fold-constants,dce"
                         : pass_pipeline_for_level(o->opt_level > 3 ? 3 : o->opt_level);
  IR_TRY(pass_run_list(m, list, &po, d));
  return ir_infer_types(m, true, d);
}

/* ---- lowering ---- */

static ovcc_status keep_const(cg_owner *own, void *data, ir_diag *d) {
  if (own->n_consts == own->cap_consts) {
    uint32_t cap = own->cap_consts ? own->cap_consts * 2 : 16;
    void **n = realloc(own->consts, cap * sizeof *n);
    if (!n) {
      free(data);
      return IR_NOMEM(d);
    }
    own->consts = n;
    own->cap_consts = cap;
  }
  own->consts[own->n_consts++] = data;
  return OVCC_OK;
}

typedef struct step_list {
  cg_step *steps;
  uint32_t n, cap;
} step_list;

static cg_step *new_step(step_list *sl, ir_arena *a, uint32_t n_bufs, ir_diag *d) {
  if (sl->n == sl->cap) {
    uint32_t cap = sl->cap ? sl->cap * 2 : 64;
    cg_step *n = realloc(sl->steps, cap * sizeof *n);
    if (!n)
      return NULL;
    sl->steps = n;
    sl->cap = cap;
  }
  cg_step *s = &sl->steps[sl->n++];
  memset(s, 0, sizeof *s);
  s->bufs = ir_arena_alloc(a, (n_bufs + 1) * sizeof(uint32_t));
  s->n_bufs = n_bufs;
  if (!s->bufs) {
    IR_NOMEM(d);
    return NULL;
  }
  return s;
}

static const char *op_label(ir_arena *a, const ir_op *op, char *ty, size_t cap) {
  ir_op_type_str(op, ty, cap);
  return op->name ? ir_arena_strdup(a, op->name) : "";
}

/* Lowers one op into a kernel and a step. */
static ovcc_status lower_one(cg_module *mod, cg_plan *plan, cg_owner *own, step_list *sl,
                             ir_op *op, ir_diag *d) {
  cg_kernel k;
  cg_kernel_begin(mod, op, &k, d);
  ovcc_status st = cg_lower_op(&k, op);
  if (st != OVCC_OK) {
    for (uint32_t i = 0; i < k.n_consts; i++)
      free(k.consts[i].data);
    return st;
  }
  cg_kernel_finish(&k);
  if (k.n_bufs > CG_MAX_STEP_BUFS) {
    for (uint32_t i = 0; i < k.n_consts; i++)
      free(k.consts[i].data);
    return CG_UNSUPPORTED(&k, "%u tensors in one kernel (limit %d)", k.n_bufs, CG_MAX_STEP_BUFS);
  }
  cg_step *s = new_step(sl, &own->names, k.n_bufs, d);
  if (!s)
    return d->status ? d->status : IR_NOMEM(d);
  uint32_t *bufs = (uint32_t *)s->bufs;
  uint32_t n = 0;
  for (uint32_t i = 0; i < op->n_operands; i++)
    bufs[n++] = cg_plan_slot_of(plan, ir_op_operand(op, i));
  for (uint32_t r = 0; r < op->n_results; r++)
    bufs[n++] = cg_plan_slot_of(plan, &op->results[r]);
  for (uint32_t i = 0; i < k.n_consts; i++) {
    IR_TRY(keep_const(own, k.consts[i].data, d));
    uint32_t slot = cg_plan_add_slot(
        plan, (cg_slot){.kind = CG_SLOT_CONST, .data = k.consts[i].data, .nbytes = k.consts[i].nbytes});
    if (slot == UINT32_MAX)
      return IR_NOMEM(d);
    bufs[n++] = slot;
  }
  s->kind = CG_STEP_KERNEL;
  s->kernel = mod->n_kernels - 1;
  s->work = k.work > 0 ? k.work : 1;
  s->cost = k.cost;
  char ty[128];
  s->name = op_label(&own->names, op, ty, sizeof ty);
  s->op_type = ir_arena_strdup(&own->names, ty);
  return OVCC_OK;
}

static ovcc_status state_init_step(cg_plan *plan, cg_owner *own, step_list *sl, ir_op *op,
                                   ir_diag *d) {
  if (op->n_operands == 0 || !ir_op_operand(op, 0))
    return OVCC_OK;
  uint32_t state = plan->slots[cg_plan_slot_of(plan, &op->results[0])].index;
  cg_step *s = new_step(sl, &own->names, 1, d);
  if (!s)
    return d->status ? d->status : IR_NOMEM(d);
  ((uint32_t *)s->bufs)[0] = cg_plan_slot_of(plan, ir_op_operand(op, 0));
  s->kind = CG_STEP_STATE_INIT;
  s->kernel = state;
  s->work = 1;
  s->nbytes = plan->slots[cg_plan_slot_of(plan, &op->results[0])].nbytes;
  char ty[128];
  s->name = op_label(&own->names, op, ty, sizeof ty);
  s->op_type = ir_arena_strdup(&own->names, ty);
  return OVCC_OK;
}

/* A Result that reads a variable must see the value from before this run's
 * Assign write-back: copy it into the arena first. */
static ovcc_status copy_step(cg_plan *plan, cg_owner *own, step_list *sl, uint32_t from,
                             uint32_t *to, ir_diag *d) {
  *to = cg_plan_add_arena_slot(plan, plan->slots[from].nbytes);
  cg_step *s = new_step(sl, &own->names, 2, d);
  if (*to == UINT32_MAX || !s)
    return d->status ? d->status : IR_NOMEM(d);
  ((uint32_t *)s->bufs)[0] = from;
  ((uint32_t *)s->bufs)[1] = *to;
  s->kind = CG_STEP_COPY;
  s->nbytes = plan->slots[from].nbytes;
  s->work = 1;
  s->name = "";
  s->op_type = "copy";
  return OVCC_OK;
}

typedef struct lower_ctx {
  cg_module *mod;
  cg_owner *own;
} lower_ctx;

static ovcc_status region_step(lower_ctx *lc, cg_plan *plan, step_list *sl, ir_op *op,
                               ir_diag *d);

static ovcc_status lower_graph(lower_ctx *lc, cg_plan *plan, const bool *is_alias, step_list *sl,
                               ir_graph *g, ir_diag *d) {
  IR_FOR_EACH_OP(g, op) {
    if (op->kind == IR_OP_PARAMETER_1 || op->kind == IR_OP_CONSTANT_1 ||
        (op->info && (op->info->flags & OPF_SINK)))
      continue;
    if (is_alias[op->scratch]) {
      if (op->kind == IR_OP_READVALUE_3 || op->kind == IR_OP_READVALUE_6)
        IR_TRY(state_init_step(plan, lc->own, sl, op, d));
      continue;
    }
    if (op->kind == IR_OP_TENSORITERATOR_1 || op->kind == IR_OP_LOOP_5 || op->kind == IR_OP_IF_8)
      IR_TRY(region_step(lc, plan, sl, op, d));
    else
      IR_TRY(lower_one(lc->mod, plan, lc->own, sl, op, d));
  }
  return OVCC_OK;
}

/* A body graph as a nested program: its own plan and steps; its Parameters
 * are the program's inputs and its Results its outputs (slots only). */
static ovcc_status compile_body(void *ctx, ir_graph *body, cg_program **out, ir_diag *d) {
  lower_ctx *lc = ctx;
  cg_plan plan;
  bool *is_alias = NULL;
  step_list sl = {0};
  cg_program *p = calloc(1, sizeof *p);
  if (!p)
    return IR_NOMEM(d);
  ovcc_status st = cg_plan_build(body, &plan, &is_alias, d);
  if (st == OVCC_OK && plan.n_states)
    st = IR_ERR(d, OVCC_ERR_UNSUPPORTED, "ReadValue/Assign inside a body are not supported");
  if (st == OVCC_OK)
    st = lower_graph(lc, &plan, is_alias, &sl, body, d);
  if (st == OVCC_OK) {
    p->n_inputs = body->n_params;
    p->n_outputs = body->n_results;
    p->outputs = calloc(body->n_results + 1, sizeof *p->outputs);
    if (!p->outputs)
      st = IR_NOMEM(d);
    for (uint32_t i = 0; st == OVCC_OK && i < body->n_results; i++)
      p->outputs[i].slot = cg_plan_slot_of(&plan, ir_op_operand(body->results[i], 0));
  }
  free(is_alias);
  p->steps = sl.steps;
  p->n_steps = sl.n;
  p->slots = plan.slots;
  p->n_slots = plan.n_slots;
  p->arena_size = plan.arena_size;
  plan.slots = NULL;
  cg_plan_free(&plan);
  if (st != OVCC_OK) {
    cg_program_free(p);
    return st;
  }
  *out = p;
  return OVCC_OK;
}

static ovcc_status region_step(lower_ctx *lc, cg_plan *plan, step_list *sl, ir_op *op,
                               ir_diag *d) {
  cg_region *r = NULL;
  IR_TRY(cg_region_build(op, plan, compile_body, lc, &r, d));
  cg_step *s = new_step(sl, &lc->own->names, 0, d);
  if (!s) {
    cg_region_free(r);
    return d->status ? d->status : IR_NOMEM(d);
  }
  s->kind = CG_STEP_REGION;
  s->region = r;
  s->work = 1;
  char ty[128];
  s->name = op_label(&lc->own->names, op, ty, sizeof ty);
  s->op_type = ir_arena_strdup(&lc->own->names, ty);
  return OVCC_OK;
}

/* ---- ports ---- */

static ovcc_status fill_port(cg_owner *own, cg_port *port, const ir_value *v, const ir_op *named,
                             const ir_shape *declared, ir_diag *d) {
  ir_arena *a = &own->names;
  port->n_names = v->n_names;
  const char **names = ir_arena_alloc(a, (v->n_names + 1) * sizeof *names);
  if (!names)
    return IR_NOMEM(d);
  for (uint32_t i = 0; i < v->n_names; i++)
    if (!(names[i] = ir_arena_strdup(a, v->names[i])))
      return IR_NOMEM(d);
  port->names = names;
  port->name = v->n_names ? names[0] : ir_arena_strdup(a, named->name ? named->name : "");
  if (!port->name)
    return IR_NOMEM(d);
  port->et = v->type.et;
  port->shape = v->type.shape;
  port->declared = declared ? *declared : v->type.shape;
  uint64_t n = 0;
  ir_shape_numel(&v->type.shape, &n);
  cg_etype_nbytes(v->type.et, n, &port->nbytes);
  return OVCC_OK;
}

static ovcc_status fill_ports(cg_program *p, cg_plan *plan, cg_owner *own, step_list *sl,
                              ir_graph *g, const ir_shape *declared, ir_diag *d) {
  p->n_inputs = g->n_params;
  p->n_outputs = g->n_results;
  p->n_states = plan->n_states;
  p->inputs = calloc(g->n_params + 1, sizeof *p->inputs);
  p->outputs = calloc(g->n_results + 1, sizeof *p->outputs);
  p->states = calloc(plan->n_states + 1, sizeof *p->states);
  p->assign_slots = malloc((plan->n_states + 1) * sizeof *p->assign_slots);
  if (!p->inputs || !p->outputs || !p->states || !p->assign_slots)
    return IR_NOMEM(d);
  for (uint32_t i = 0; i < g->n_params; i++) {
    ir_op *op = g->params[i];
    IR_TRY(fill_port(own, &p->inputs[i], &op->results[0], op, declared ? &declared[i] : NULL, d));
    p->inputs[i].slot = cg_plan_slot_of(plan, &op->results[0]);
  }
  for (uint32_t i = 0; i < g->n_results; i++) {
    ir_op *op = g->results[i];
    ir_value *v = ir_op_operand(op, 0);
    /* OpenVINO names an output by its Result's input tensor; a nameless one
     * by the producing layer. */
    IR_TRY(fill_port(own, &p->outputs[i], v, v->def, NULL, d));
    uint32_t slot = cg_plan_slot_of(plan, v);
    if (plan->slots[slot].kind == CG_SLOT_STATE)
      IR_TRY(copy_step(plan, own, sl, slot, &slot, d));
    p->outputs[i].slot = slot;
  }
  for (uint32_t i = 0; i < plan->n_states; i++) {
    ir_op *rv = plan->state_reads[i];
    IR_TRY(fill_port(own, &p->states[i], &rv->results[0], rv, NULL, d));
    p->states[i].name = ir_arena_strdup(&own->names, plan->state_names[i]);
    p->states[i].slot = cg_plan_slot_of(plan, &rv->results[0]);
    p->assign_slots[i] = UINT32_MAX;
  }
  for (uint32_t i = 0; i < g->n_sinks; i++) {
    ir_op *as = g->sinks[i];
    const char *id = ir_op_attr_str(as, "variable_id", "");
    for (uint32_t k = 0; k < plan->n_states; k++)
      if (strcmp(plan->state_names[k], id) == 0)
        p->assign_slots[k] = cg_plan_slot_of(plan, ir_op_operand(as, 0));
  }
  return OVCC_OK;
}

/* ---- the whole compile ---- */

typedef struct compile_state {
  cg_target target;
  cg_module mod;
  cg_plan plan;
  bool *is_alias;
  step_list steps;
  cg_owner *own;
  ir_shape *declared;
} compile_state;

static void free_steps(cg_step *steps, uint32_t n) {
  if (!steps)
    return;
  for (uint32_t i = 0; i < n; i++)
    if (steps[i].kind == CG_STEP_REGION)
      cg_region_free((cg_region *)steps[i].region);
  free(steps);
}

static void compile_state_free(compile_state *cs) {
  free(cs->is_alias);
  free_steps(cs->steps.steps, cs->steps.n);
  free(cs->declared);
  cg_plan_free(&cs->plan);
  cg_module_dispose(&cs->mod);
  cg_target_dispose(&cs->target);
  if (cs->own) {
    for (uint32_t i = 0; i < cs->own->n_consts; i++)
      free(cs->own->consts[i]);
    free(cs->own->consts);
    ir_arena_free(&cs->own->names);
    free(cs->own);
  }
  memset(cs, 0, sizeof *cs);
}

static ovcc_status optimize(compile_state *cs, ir_diag *d) {
  char *msg = NULL;
  if (LLVMVerifyModule(cs->mod.mod, LLVMReturnStatusAction, &msg)) {
    ir_diag_set_at(d, OVCC_ERR_INTERNAL, NULL, 0, "generated LLVM IR is invalid: %.1500s",
                   msg ? msg : "?");
    LLVMDisposeMessage(msg);
    return d->status;
  }
  LLVMDisposeMessage(msg);
  int level = cs->target.opt_level;
  if (level <= 0)
    return OVCC_OK;
  char pipeline[32];
  snprintf(pipeline, sizeof pipeline, "default<O%d>", level > 3 ? 3 : level);
  LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
  /* Kernels are written with explicit vectors; the vectorizers mostly cost
   * compile time (cpu-kernels.md §6). */
  LLVMPassBuilderOptionsSetSLPVectorization(po, 0);
  LLVMErrorRef err = LLVMRunPasses(cs->mod.mod, pipeline, cs->target.tm, po);
  LLVMDisposePassBuilderOptions(po);
  if (err) {
    char *e = LLVMGetErrorMessage(err);
    ir_diag_set_at(d, OVCC_ERR_INTERNAL, NULL, 0, "LLVM optimization failed: %s", e);
    LLVMDisposeErrorMessage(e);
    return d->status;
  }
  return OVCC_OK;
}

/* Everything up to an optimized module. */
static ovcc_status build_module(ir_model *m, const cg_options *o, compile_state *cs, ir_diag *d) {
  ir_graph *g = m->main;
  cs->own = calloc(1, sizeof *cs->own);
  cs->declared = calloc(g->n_params + 1, sizeof *cs->declared);
  if (!cs->own || !cs->declared)
    return IR_NOMEM(d);
  ir_arena_init(&cs->own->names);
  for (uint32_t i = 0; i < g->n_params; i++)
    cs->declared[i] = g->params[i]->results[0].type.shape;
  IR_TRY(specialize_inputs(m, o, d));
  IR_TRY(run_pipeline(m, o, d));
  IR_TRY(cg_target_create(&cs->target, o->opt_level, o->triple, o->cpu, o->cpu_features, d));
  IR_TRY(cg_module_create(&cs->mod, &cs->target, m->name, d));
  IR_TRY(cg_plan_build(g, &cs->plan, &cs->is_alias, d));
  lower_ctx lc = {&cs->mod, cs->own};
  IR_TRY(lower_graph(&lc, &cs->plan, cs->is_alias, &cs->steps, g, d));
  return optimize(cs, d);
}

static ovcc_status compile_impl(ir_model *m, const cg_options *o, cg_program **out,
                                cg_artifact *art, ir_diag *d) {
  cg_options defaults;
  if (!o) {
    cg_options_init(&defaults);
    o = &defaults;
  }
  *out = NULL;
  compile_state cs = {0};
  cg_program *p = calloc(1, sizeof *p);
  ovcc_status st = p ? build_module(m, o, &cs, d) : IR_NOMEM(d);
  if (st == OVCC_OK && !cs.target.host)
    st = IR_ERR(d, OVCC_ERR_UNSUPPORTED,
                "code for %s cannot run in this process (compile it ahead of time with ovcc)",
                cs.target.triple);
  if (st == OVCC_OK)
    st = fill_ports(p, &cs.plan, cs.own, &cs.steps, m->main, cs.declared, d);
  if (st == OVCC_OK) {
    p->n_fns = cs.mod.n_kernels;
    p->fns = calloc(p->n_fns + 1, sizeof *p->fns);
    st = p->fns ? cg_jit_load(&cs.target, &cs.mod, p->fns, p->n_fns, art, &cs.own->jit, d) : IR_NOMEM(d);
  }
  if (st != OVCC_OK) {
    if (p) {
      p->owner = NULL;
      cg_program_free(p);
    }
    compile_state_free(&cs);
    return st;
  }
  p->steps = cs.steps.steps;
  p->n_steps = cs.steps.n;
  cs.steps.steps = NULL;
  cs.steps.n = 0;
  p->slots = cs.plan.slots;
  p->n_slots = cs.plan.n_slots;
  cs.plan.slots = NULL;
  p->arena_size = cs.plan.arena_size;
  cs.own->model = m;
  p->owner = cs.own;
  cs.own = NULL;
  compile_state_free(&cs);
  *out = p;
  return OVCC_OK;
}

ovcc_status cg_compile(ir_model *m, const cg_options *o, cg_program **out, ir_diag *d) {
  return compile_impl(m, o, out, NULL, d);
}

ovcc_status cg_compile_artifact(ir_model *m, const cg_options *o, cg_program **out,
                                cg_artifact *art, ir_diag *d) {
  memset(art, 0, sizeof *art);
  ovcc_status st = compile_impl(m, o, out, art, d);
  if (st != OVCC_OK)
    cg_artifact_free(art);
  return st;
}

ovcc_status cg_program_assemble(cg_program *p, ir_arena *names, void *block, ir_model *m,
                                const void *obj, size_t obj_size,
                                const char *const *kernel_names, uint32_t n_kernels,
                                ir_diag *d) {
  cg_owner *own = calloc(1, sizeof *own);
  p->n_fns = n_kernels;
  p->fns = calloc(n_kernels + 1, sizeof *p->fns);
  if (own && block && (own->consts = malloc(sizeof *own->consts))) {
    own->consts[0] = block;
    own->n_consts = own->cap_consts = 1;
  }
  if (!own || !p->fns || (block && !own->consts)) {
    free(own);
    return IR_NOMEM(d);
  }
  ovcc_status st = cg_jit_link(obj, obj_size, kernel_names, p->fns, n_kernels, &own->jit, d);
  if (st != OVCC_OK) {
    free(own->consts);
    free(own);
    return st;
  }
  own->names = *names;
  ir_arena_init(names);
  own->model = m;
  p->owner = own;
  return OVCC_OK;
}

void cg_program_free(cg_program *p) {
  if (!p)
    return;
  cg_owner *own = p->owner;
  if (own) {
    cg_jit_free(own->jit);
    for (uint32_t i = 0; i < own->n_consts; i++)
      free(own->consts[i]);
    free(own->consts);
    ir_arena_free(&own->names);
    ir_model_free(own->model);
    free(own);
  }
  free_steps(p->steps, p->n_steps);
  free(p->slots);
  free(p->inputs);
  free(p->outputs);
  free(p->states);
  free(p->assign_slots);
  free(p->fns);
  free(p);
}

ovcc_status cg_emit(ir_model *m, const cg_options *o, cg_emit_kind kind, FILE *f, ir_diag *d) {
  cg_options defaults;
  if (!o) {
    cg_options_init(&defaults);
    o = &defaults;
  }
  compile_state cs = {0};
  ovcc_status st = build_module(m, o, &cs, d);
  if (st == OVCC_OK)
    st = cg_jit_emit(&cs.target, &cs.mod, kind, f, d);
  compile_state_free(&cs);
  return st;
}

/* ---- the AOT path (codegen/aot.c) ---- */

ovcc_status cg_compile_module(ir_model *m, const cg_options *o, cg_module_sink sink, void *ctx,
                              ir_diag *d) {
  cg_options defaults;
  if (!o) {
    cg_options_init(&defaults);
    o = &defaults;
  }
  compile_state cs = {0};
  cg_program p = {0};
  ovcc_status st = build_module(m, o, &cs, d);
  if (st == OVCC_OK)
    st = fill_ports(&p, &cs.plan, cs.own, &cs.steps, m->main, cs.declared, d);
  if (st == OVCC_OK) {
    p.steps = cs.steps.steps;
    p.n_steps = cs.steps.n;
    p.slots = cs.plan.slots;
    p.n_slots = cs.plan.n_slots;
    p.arena_size = cs.plan.arena_size;
    p.n_fns = cs.mod.n_kernels;
    st = sink(ctx, &cs.target, &cs.mod, &p, d);
  }
  free(p.inputs);
  free(p.outputs);
  free(p.states);
  free(p.assign_slots);
  compile_state_free(&cs);
  return st;
}
