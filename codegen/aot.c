/* The AOT module: the JIT's optimized kernels plus constants as read-only
 * data, the program tables, the library runtime and the ABI wrappers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/BitReader.h>
#include <llvm-c/BitWriter.h>
#include <llvm-c/Linker.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "aot_internal.h"
#include "bitcode.h"
#include "aotrt/aot_abi.h"
#include "ovcc/ovcc.h"

/* The ABI: PREFIX_<name> calls ovcc_aot_rt_<name>(&program, ...). */
static const char *const abi_names[] = {
    "abi_version",        "num_inputs",        "num_outputs",        "input_name",
    "output_name",        "input_type",        "output_type",        "input_rank",
    "output_rank",        "input_shape",       "output_shape",       "input_nbytes",
    "output_nbytes",      "workspace_size",    "run",                "num_states",
    "reset",              "run_with_pool",     "num_specializations", "spec_input_shape",
    "spec_output_shape",  "spec_input_nbytes", "spec_output_nbytes", "select",
    "run_spec",           "run_spec_with_pool", "run_dims",
};
enum { N_ABI = sizeof abi_names / sizeof abi_names[0] };

void cg_aot_output_free(cg_aot_output *out) {
  if (!out)
    return;
  free(out->code);
  free(out->header);
  memset(out, 0, sizeof *out);
}

bool cg_aot_valid_prefix(const char *s) {
  if (!s || !*s || (*s >= '0' && *s <= '9'))
    return false;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
          *s == '_'))
      return false;
  return true;
}

int cg_aot_etype_code(ir_etype t) {
  static const struct {
    ir_etype ir;
    int api;
  } map[] = {
      {IR_ET_BOOLEAN, OVCC_BOOLEAN}, {IR_ET_F16, OVCC_F16}, {IR_ET_BF16, OVCC_BF16},
      {IR_ET_F32, OVCC_F32},         {IR_ET_F64, OVCC_F64}, {IR_ET_I4, OVCC_I4},
      {IR_ET_I8, OVCC_I8},           {IR_ET_I16, OVCC_I16}, {IR_ET_I32, OVCC_I32},
      {IR_ET_I64, OVCC_I64},         {IR_ET_U1, OVCC_U1},   {IR_ET_U4, OVCC_U4},
      {IR_ET_U8, OVCC_U8},           {IR_ET_U16, OVCC_U16}, {IR_ET_U32, OVCC_U32},
      {IR_ET_U64, OVCC_U64},         {IR_ET_STRING, OVCC_STRING},
  };
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (map[i].ir == t)
      return map[i].api;
  return OVCC_OTHER;
}

/* ---- what the ABI cannot exchange ---- */

static ovcc_status check_supported(const cg_program *p, ir_diag *d) {
  for (uint32_t i = 0; i < p->n_inputs + p->n_outputs; i++) {
    const cg_port *pt = i < p->n_inputs ? &p->inputs[i] : &p->outputs[i - p->n_inputs];
    if (cg_aot_etype_code(pt->et) == OVCC_OTHER)
      return IR_ERR(d, OVCC_ERR_UNSUPPORTED, "AOT: %s '%s' has element type %s, not supported",
                    i < p->n_inputs ? "input" : "output", pt->name, ir_etype_name(pt->et));
  }
  return OVCC_OK;
}

/* ---- the program tables (aot_tables.c) ---- */

/* Kernel i is the module's function k<i>_... (module.c names them). */
static ovcc_status find_kernels(cg_module *m, LLVMValueRef *fns, uint32_t n, ir_diag *d) {
  uint32_t found = 0;
  for (LLVMValueRef f = LLVMGetFirstFunction(m->mod); f; f = LLVMGetNextFunction(f)) {
    size_t len;
    const char *name = LLVMGetValueName2(f, &len);
    char *end;
    if (LLVMIsDeclaration(f) || name[0] != 'k')
      continue;
    unsigned long k = strtoul(name + 1, &end, 10);
    if (end == name + 1 || *end != '_' || k >= n || fns[k])
      continue;
    fns[k] = f;
    found++;
  }
  if (found != n)
    return IR_ERR(d, OVCC_ERR_INTERNAL, "AOT: module has %u kernels, expected %u", found, n);
  return OVCC_OK;
}

static ovcc_status program_const(cg_module *m, const cg_program *p, LLVMValueRef *out, ir_diag *d) {
  LLVMValueRef *kernels = calloc(p->n_fns + 1, sizeof *kernels);
  if (!kernels)
    return IR_NOMEM(d);
  ovcc_status st = find_kernels(m, kernels, p->n_fns, d);
  if (st == OVCC_OK)
    st = cg_aot_program_const(m, p, kernels, out, d);
  free(kernels);
  return st;
}

/* ---- runtime and ABI ---- */

static ovcc_status link_runtime(cg_module *m, ir_diag *d) {
  bool missing;
  LLVMModuleRef src = cg_bitcode_module(CG_BITCODE_AOT_RUNTIME, m, &missing);
  if (missing)
    return IR_ERR(d, OVCC_ERR_UNSUPPORTED,
                  "AOT: this ovcc was built without the library runtime for %s (it needs that "
                  "target's C library headers at build time: on Debian, libc6-dev-arm64-cross "
                  "for aarch64, libc6-dev-amd64-cross for x86_64; install them and rebuild)",
                  m->target->triple);
  if (!src)
    return IR_ERR(d, OVCC_ERR_INTERNAL, "AOT: cannot read the embedded runtime bitcode");
  if (LLVMLinkModules2(m->mod, src)) /* consumes src */
    return IR_ERR(d, OVCC_ERR_INTERNAL, "AOT: cannot link the runtime bitcode into the module");
  return OVCC_OK;
}

/* Every definition so far becomes internal: only the wrappers added after
 * this are visible outside the library. */
static void internalize(cg_module *m) {
  for (LLVMValueRef f = LLVMGetFirstFunction(m->mod); f; f = LLVMGetNextFunction(f))
    if (!LLVMIsDeclaration(f))
      LLVMSetLinkage(f, LLVMInternalLinkage);
  for (LLVMValueRef g = LLVMGetFirstGlobal(m->mod); g; g = LLVMGetNextGlobal(g)) {
    size_t len;
    const char *name = LLVMGetValueName2(g, &len);
    if (!LLVMIsDeclaration(g) && strncmp(name, "llvm.", 5) != 0 &&
        LLVMGetLinkage(g) != LLVMPrivateLinkage)
      LLVMSetLinkage(g, LLVMInternalLinkage);
  }
}

/* PREFIX_<name>(args...) { return ovcc_aot_rt_<name>(&model, args...); } */
static ovcc_status add_wrapper(cg_module *m, LLVMValueRef model, const char *prefix,
                               const char *name, ir_diag *d) {
  char rt_name[64], abi_name[256];
  snprintf(rt_name, sizeof rt_name, "ovcc_aot_rt_%s", name);
  snprintf(abi_name, sizeof abi_name, "%s_%s", prefix, name);
  LLVMValueRef rt = LLVMGetNamedFunction(m->mod, rt_name);
  if (!rt)
    return IR_ERR(d, OVCC_ERR_INTERNAL, "AOT: the runtime has no %s", rt_name);
  /* An internal symbol that happens to have the ABI name (kernel "k0_run"
   * for --name=k0) steps aside. */
  LLVMValueRef clash = LLVMGetNamedFunction(m->mod, abi_name);
  if (!clash)
    clash = LLVMGetNamedGlobal(m->mod, abi_name);
  if (clash)
    LLVMSetValueName2(clash, "", 0);
  LLVMTypeRef rt_type = LLVMGlobalGetValueType(rt);
  unsigned n = LLVMCountParamTypes(rt_type);
  LLVMTypeRef params[8];
  LLVMValueRef args[8];
  if (n < 1 || n > 8)
    return IR_ERR(d, OVCC_ERR_INTERNAL, "AOT: %s has %u parameters", rt_name, n);
  LLVMGetParamTypes(rt_type, params);
  LLVMTypeRef type = LLVMFunctionType(LLVMGetReturnType(rt_type), params + 1, n - 1, 0);
  LLVMValueRef fn = LLVMAddFunction(m->mod, abi_name, type);
  LLVMSetLinkage(fn, LLVMExternalLinkage);
  LLVMSetVisibility(fn, LLVMDefaultVisibility);
  cg_fn_set_target(m, fn);
  LLVMPositionBuilderAtEnd(m->b, LLVMAppendBasicBlockInContext(m->ctx, fn, "entry"));
  args[0] = model;
  for (unsigned i = 1; i < n; i++)
    args[i] = LLVMGetParam(fn, i - 1);
  LLVMValueRef r = LLVMBuildCall2(m->b, rt_type, rt, args, n, "");
  if (LLVMGetTypeKind(LLVMGetReturnType(rt_type)) == LLVMVoidTypeKind)
    LLVMBuildRetVoid(m->b);
  else
    LLVMBuildRet(m->b, r);
  return OVCC_OK;
}

/* Drops what nothing reaches (unused runtime functions). */
static ovcc_status cleanup(cg_module *m, ir_diag *d) {
  LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
  LLVMErrorRef err = LLVMRunPasses(m->mod, "globaldce", m->target->tm, po);
  LLVMDisposePassBuilderOptions(po);
  if (err) {
    char *e = LLVMGetErrorMessage(err);
    IR_ERR(d, OVCC_ERR_INTERNAL, "AOT: LLVM globaldce failed: %s", e);
    LLVMDisposeErrorMessage(e);
    return d->status;
  }
  return OVCC_OK;
}

static ovcc_status emit(const cg_target *t, cg_module *m, cg_aot_kind kind, cg_aot_output *out,
                        ir_diag *d) {
  if (kind == CG_AOT_LLVM) {
    out->code = LLVMPrintModuleToString(m->mod);
    out->code_size = strlen(out->code);
    char *copy = malloc(out->code_size + 1);
    if (copy)
      memcpy(copy, out->code, out->code_size + 1);
    LLVMDisposeMessage(out->code);
    out->code = copy;
    return copy ? OVCC_OK : IR_NOMEM(d);
  }
  char *err = NULL;
  LLVMMemoryBufferRef buf;
  if (LLVMTargetMachineEmitToMemoryBuffer(
          t->tm, m->mod, kind == CG_AOT_ASM ? LLVMAssemblyFile : LLVMObjectFile, &err, &buf)) {
    IR_ERR(d, OVCC_ERR_INTERNAL, "AOT: LLVM code generation failed: %s", err ? err : "?");
    LLVMDisposeMessage(err);
    return d->status;
  }
  out->code_size = LLVMGetBufferSize(buf);
  out->code = malloc(out->code_size ? out->code_size : 1);
  if (out->code)
    memcpy(out->code, LLVMGetBufferStart(buf), out->code_size);
  LLVMDisposeMemoryBuffer(buf);
  return out->code ? OVCC_OK : IR_NOMEM(d);
}

/* ---- the specializations ---- */

typedef struct aot_ctx {
  const char *prefix;
  const char *model_name;
  cg_aot_kind kind;
  cg_aot_output *out;
  ir_model *model;  /* the specialization being compiled */
  uint32_t spec;    /* its index */
  cg_aot_sig *sigs; /* per specialization: its signature */
  void **bc;        /* per specialization: its module as bitcode */
  size_t *bc_size;
  ir_arena names; /* the signatures' strings and arrays */
  FILE *ir_text;  /* CG_AOT_IR: every specialization's graph IR */
} aot_ctx;

/* A copy of p's ports and state sizes that outlives the compilation. */
static ovcc_status save_sig(aot_ctx *a, const cg_program *p, ir_diag *d) {
  cg_aot_sig *s = &a->sigs[a->spec];
  s->n_inputs = p->n_inputs;
  s->n_outputs = p->n_outputs;
  s->n_states = p->n_states;
  s->inputs = ir_arena_memdup(&a->names, p->inputs, (p->n_inputs + 1) * sizeof *p->inputs);
  s->outputs = ir_arena_memdup(&a->names, p->outputs, (p->n_outputs + 1) * sizeof *p->outputs);
  s->state_nbytes = ir_arena_alloc(&a->names, (p->n_states + 1) * sizeof *s->state_nbytes);
  if (!s->inputs || !s->outputs || !s->state_nbytes)
    return IR_NOMEM(d);
  for (uint32_t i = 0; i < p->n_inputs + p->n_outputs; i++) {
    cg_port *pt = i < p->n_inputs ? &s->inputs[i] : &s->outputs[i - p->n_inputs];
    pt->names = NULL;
    pt->n_names = 0;
    if (!(pt->name = ir_arena_strdup(&a->names, pt->name ? pt->name : "")))
      return IR_NOMEM(d);
  }
  for (uint32_t v = 0; v < p->n_states; v++)
    s->state_nbytes[v] = p->states[v].nbytes;
  return OVCC_OK;
}

/* The name a specialization's program table has until the final link. */
static void spec_symbol(char *buf, size_t n, uint32_t spec) {
  snprintf(buf, n, "ovcc.spec.%u", spec);
}

/* One specialization: its kernels (optimized as for the JIT), constants and
 * program table, everything internal but the table, kept as bitcode for the
 * library's module (internal names that clash are renamed by the linker). */
static ovcc_status aot_spec_sink(void *ctx, const cg_target *t, cg_module *m, const cg_program *p,
                                 ir_diag *d) {
  (void)t;
  aot_ctx *a = ctx;
  if (a->kind == CG_AOT_IR) {
    if (a->spec)
      fprintf(a->ir_text, "\n// specialization %u\n", a->spec);
    return ir_print_model(a->model, a->ir_text, d);
  }
  IR_TRY(check_supported(p, d));
  IR_TRY(save_sig(a, p, d));
  LLVMValueRef program = NULL;
  IR_TRY(program_const(m, p, &program, d));
  internalize(m);
  char name[32];
  spec_symbol(name, sizeof name, a->spec);
  LLVMSetValueName2(program, name, strlen(name));
  LLVMSetLinkage(program, LLVMExternalLinkage);
  LLVMMemoryBufferRef buf = LLVMWriteBitcodeToMemoryBuffer(m->mod);
  if (!buf)
    return IR_ERR(d, OVCC_ERR_INTERNAL, "AOT: cannot write specialization %u as bitcode", a->spec);
  a->bc_size[a->spec] = LLVMGetBufferSize(buf);
  a->bc[a->spec] = malloc(a->bc_size[a->spec]);
  if (a->bc[a->spec])
    memcpy(a->bc[a->spec], LLVMGetBufferStart(buf), a->bc_size[a->spec]);
  LLVMDisposeMemoryBuffer(buf);
  return a->bc[a->spec] ? OVCC_OK : IR_NOMEM(d);
}

/* Every specialization must have the same ports (but for their shapes) and
 * the same state variables: one ABI and one workspace layout serve all. */
static ovcc_status check_specs(const aot_ctx *a, uint32_t n, ir_diag *d) {
  const cg_aot_sig *s0 = &a->sigs[0];
  for (uint32_t j = 1; j < n; j++) {
    const cg_aot_sig *s = &a->sigs[j];
    if (s->n_inputs != s0->n_inputs || s->n_outputs != s0->n_outputs)
      return IR_ERR(d, OVCC_ERR_INTERNAL, "AOT: specialization %u has other ports", j);
    for (uint32_t i = 0; i < s->n_inputs + s->n_outputs; i++) {
      bool in = i < s->n_inputs;
      const cg_port *p = in ? &s->inputs[i] : &s->outputs[i - s->n_inputs];
      const cg_port *p0 = in ? &s0->inputs[i] : &s0->outputs[i - s->n_inputs];
      if (p->et != p0->et || p->shape.rank != p0->shape.rank)
        return IR_ERR(d, OVCC_ERR_UNSUPPORTED,
                      "AOT: %s '%s' is %s of rank %d in specialization %u but %s of rank %d in "
                      "specialization 0; one library needs one element type and rank per port",
                      in ? "input" : "output", p->name, ir_etype_name(p->et), p->shape.rank, j,
                      ir_etype_name(p0->et), p0->shape.rank);
    }
    bool same_states = s->n_states == s0->n_states;
    for (uint32_t v = 0; same_states && v < s->n_states; v++)
      same_states = s->state_nbytes[v] == s0->state_nbytes[v];
    if (!same_states)
      return IR_ERR(d, OVCC_ERR_UNSUPPORTED,
                    "AOT: the model's state variables differ in size between specializations 0 "
                    "and %u; build one library per shape instead",
                    j);
  }
  return OVCC_OK;
}

/* The library's signature: specialization 0's ports with every dimension
 * that differs between specializations as -1 (and then nbytes 0). */
static ovcc_status declared_ports(aot_ctx *a, uint32_t n, bool outputs, cg_port **out,
                                  ir_diag *d) {
  const cg_aot_sig *s0 = &a->sigs[0];
  uint32_t np = outputs ? s0->n_outputs : s0->n_inputs;
  cg_port *ports = ir_arena_memdup(&a->names, outputs ? s0->outputs : s0->inputs,
                                   (np + 1) * sizeof *ports);
  if (!ports)
    return IR_NOMEM(d);
  for (uint32_t i = 0; i < np; i++)
    for (uint32_t j = 1; j < n; j++) {
      const cg_port *pj = outputs ? &a->sigs[j].outputs[i] : &a->sigs[j].inputs[i];
      for (int32_t k = 0; k < ports[i].shape.rank; k++)
        if (pj->shape.d[k].lo != ports[i].shape.d[k].lo)
          ports[i].shape.d[k].lo = -1;
      if (pj->nbytes != ports[i].nbytes)
        ports[i].nbytes = 0;
    }
  *out = ports;
  return OVCC_OK;
}

/* Links specialization j's bitcode into m; *table: its program table. */
static ovcc_status link_spec(cg_module *m, const aot_ctx *a, uint32_t j, LLVMValueRef *table,
                             ir_diag *d) {
  LLVMMemoryBufferRef buf =
      LLVMCreateMemoryBufferWithMemoryRange(a->bc[j], a->bc_size[j], "ovcc_spec", 0);
  LLVMModuleRef src = NULL;
  LLVMBool bad = LLVMParseBitcodeInContext2(m->ctx, buf, &src);
  LLVMDisposeMemoryBuffer(buf);
  if (bad || !src)
    return IR_ERR(d, OVCC_ERR_INTERNAL, "AOT: cannot read specialization %u's bitcode", j);
  if (LLVMLinkModules2(m->mod, src)) /* consumes src */
    return IR_ERR(d, OVCC_ERR_INTERNAL, "AOT: cannot link specialization %u", j);
  char name[32];
  spec_symbol(name, sizeof name, j);
  if (!(*table = LLVMGetNamedGlobal(m->mod, name)))
    return IR_ERR(d, OVCC_ERR_INTERNAL, "AOT: specialization %u lost its table", j);
  return OVCC_OK;
}

/* The library's module: every specialization linked in, the runtime, the
 * model table and the PREFIX_* wrappers. */
static ovcc_status build_module(aot_ctx *a, cg_module *m, uint32_t n, ir_diag *d) {
  IR_TRY(check_specs(a, n, d));
  cg_port *ins = NULL, *outs = NULL;
  IR_TRY(declared_ports(a, n, false, &ins, d));
  IR_TRY(declared_ports(a, n, true, &outs, d));
  IR_TRY(cg_aot_header(a->sigs, n, ins, outs, a->prefix, a->model_name, &a->out->header, d));
  LLVMValueRef *specs = calloc(n, sizeof *specs);
  if (!specs)
    return IR_NOMEM(d);
  ovcc_status st = OVCC_OK;
  for (uint32_t j = 0; st == OVCC_OK && j < n; j++)
    st = link_spec(m, a, j, &specs[j], d);
  if (st == OVCC_OK)
    st = link_runtime(m, d);
  LLVMValueRef model = NULL;
  if (st == OVCC_OK) {
    internalize(m);
    st = cg_aot_model_const(m, specs, n, ins, a->sigs[0].n_inputs, outs, a->sigs[0].n_outputs,
                            &model, d);
  }
  free(specs);
  for (int i = 0; st == OVCC_OK && i < N_ABI; i++)
    st = add_wrapper(m, model, a->prefix, abi_names[i], d);
  return st == OVCC_OK ? cleanup(m, d) : st;
}

static ovcc_status build_library(aot_ctx *a, const cg_options *o, uint32_t n, ir_diag *d) {
  cg_target t;
  IR_TRY(cg_target_create(&t, o->opt_level, o->triple, o->cpu, o->cpu_features, d));
  cg_module m;
  ovcc_status st = cg_module_create(&m, &t, a->model_name, d);
  if (st == OVCC_OK) {
    st = build_module(a, &m, n, d);
    if (st == OVCC_OK)
      st = emit(&t, &m, a->kind, a->out, d);
    cg_module_dispose(&m);
  }
  cg_target_dispose(&t);
  return st;
}

/* Ports of types the ABI cannot exchange (f8, nf4, ...), diagnosed before any
 * compilation; check_supported repeats it on the compiled program. */
static ovcc_status check_model_ports(const ir_model *m, ir_diag *d) {
  const ir_graph *g = m->main;
  for (uint32_t i = 0; i < g->n_params + g->n_results; i++) {
    bool in = i < g->n_params;
    const ir_op *op = in ? g->params[i] : g->results[i - g->n_params];
    ir_etype et = in ? op->results[0].type.et : op->operands[0].value->type.et;
    if (cg_aot_etype_code(et) == OVCC_OTHER)
      return IR_ERR(d, OVCC_ERR_UNSUPPORTED,
                    "AOT: %s %u ('%s') has element type %s, which the library ABI does not "
                    "exchange",
                    in ? "input" : "output", in ? i : i - g->n_params,
                    op->name ? op->name : "?", ir_etype_name(et));
  }
  return OVCC_OK;
}

ovcc_status cg_aot_compile(ir_model *const *models, const cg_options *opts, uint32_t n_specs,
                           const char *prefix, cg_aot_kind kind, cg_aot_output *out, ir_diag *d) {
  memset(out, 0, sizeof *out);
  if (!cg_aot_valid_prefix(prefix))
    return IR_ERR(d, OVCC_ERR_INVALID_ARG, "'%s' is not a C identifier (the ABI symbol prefix)",
                  prefix ? prefix : "");
  if (n_specs < 1)
    return IR_ERR(d, OVCC_ERR_INVALID_ARG, "AOT: no specialization to compile");
  if (kind != CG_AOT_IR)
    IR_TRY(check_model_ports(models[0], d));
  aot_ctx a;
  memset(&a, 0, sizeof a);
  a.prefix = prefix;
  a.model_name = models[0]->name ? models[0]->name : prefix;
  a.kind = kind;
  a.out = out;
  ir_arena_init(&a.names);
  a.sigs = calloc(n_specs, sizeof *a.sigs);
  a.bc = calloc(n_specs, sizeof *a.bc);
  a.bc_size = calloc(n_specs, sizeof *a.bc_size);
  char *text = NULL;
  size_t len = 0;
  if (kind == CG_AOT_IR)
    a.ir_text = open_memstream(&text, &len);
  ovcc_status st = a.sigs && a.bc && a.bc_size && (kind != CG_AOT_IR || a.ir_text)
                       ? OVCC_OK
                       : IR_NOMEM(d);
  for (uint32_t j = 0; st == OVCC_OK && j < n_specs; j++) {
    a.model = models[j];
    a.spec = j;
    st = cg_compile_module(models[j], &opts[j], aot_spec_sink, &a, d);
  }
  if (a.ir_text) {
    if (fclose(a.ir_text) != 0 && st == OVCC_OK)
      st = IR_NOMEM(d);
    out->code = text;
    out->code_size = len;
  } else if (st == OVCC_OK) {
    st = build_library(&a, &opts[0], n_specs, d);
  }
  for (uint32_t j = 0; a.bc && j < n_specs; j++)
    free(a.bc[j]);
  free(a.bc);
  free(a.bc_size);
  free(a.sigs);
  ir_arena_free(&a.names);
  if (st != OVCC_OK)
    cg_aot_output_free(out);
  return st;
}
