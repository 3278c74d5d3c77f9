/* The AOT module: the JIT's optimized kernels plus constants as read-only
 * data, the program tables, the library runtime and the ABI wrappers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/BitReader.h>
#include <llvm-c/Linker.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "aot_internal.h"
#include "aotrt/aot_abi.h"
#include "ovcc/ovcc.h"

extern const unsigned char ovcc_aot_rt_bc[];
extern const size_t ovcc_aot_rt_bc_size;

/* The ABI: PREFIX_<name> calls ovcc_aot_rt_<name>(&program, ...). */
static const char *const abi_names[] = {
    "abi_version",  "num_inputs",   "num_outputs",   "input_name",     "output_name",
    "input_type",   "output_type",  "input_rank",    "output_rank",    "input_shape",
    "output_shape", "input_nbytes", "output_nbytes", "workspace_size", "run",
    "num_states",   "reset",        "run_with_pool",
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
      {IR_ET_U64, OVCC_U64},
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
    if (pt->et == IR_ET_STRING || cg_aot_etype_code(pt->et) == OVCC_OTHER)
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

static void set_fn_attr(cg_module *m, LLVMValueRef fn, const char *key, const char *v) {
  LLVMRemoveStringAttributeAtIndex(fn, LLVMAttributeFunctionIndex, key, (unsigned)strlen(key));
  LLVMAddAttributeAtIndex(
      fn, LLVMAttributeFunctionIndex,
      LLVMCreateStringAttribute(m->ctx, key, (unsigned)strlen(key), v, (unsigned)strlen(v)));
}

static ovcc_status link_runtime(cg_module *m, ir_diag *d) {
  LLVMMemoryBufferRef buf = LLVMCreateMemoryBufferWithMemoryRange(
      (const char *)ovcc_aot_rt_bc, ovcc_aot_rt_bc_size, "ovcc_aot_rt", 0);
  LLVMModuleRef src = NULL;
  LLVMBool bad = LLVMParseBitcodeInContext2(m->ctx, buf, &src);
  LLVMDisposeMemoryBuffer(buf);
  if (bad || !src)
    return IR_ERR(d, OVCC_ERR_INTERNAL, "AOT: cannot read the embedded runtime bitcode");
  LLVMSetTarget(src, LLVMGetTarget(m->mod));
  LLVMSetDataLayout(src, LLVMGetDataLayoutStr(m->mod));
  for (LLVMValueRef fn = LLVMGetFirstFunction(src); fn; fn = LLVMGetNextFunction(fn))
    if (!LLVMIsDeclaration(fn)) {
      set_fn_attr(m, fn, "target-cpu", m->target->cpu);
      set_fn_attr(m, fn, "target-features", m->target->features);
    }
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

/* PREFIX_<name>(args...) { return ovcc_aot_rt_<name>(&program, args...); } */
static ovcc_status add_wrapper(cg_module *m, LLVMValueRef program, const char *prefix,
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
  set_fn_attr(m, fn, "target-cpu", m->target->cpu);
  set_fn_attr(m, fn, "target-features", m->target->features);
  LLVMPositionBuilderAtEnd(m->b, LLVMAppendBasicBlockInContext(m->ctx, fn, "entry"));
  args[0] = program;
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

/* ---- the sink ---- */

typedef struct aot_ctx {
  const char *prefix;
  const char *model_name;
  cg_aot_kind kind;
  cg_aot_output *out;
  ir_model *model;
} aot_ctx;

/* The graph IR after the passes, as text. */
static ovcc_status emit_graph_ir(ir_model *model, cg_aot_output *out, ir_diag *d) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f)
    return IR_NOMEM(d);
  ovcc_status st = ir_print_model(model, f, d);
  if (fclose(f) != 0 && st == OVCC_OK)
    st = IR_NOMEM(d);
  if (st != OVCC_OK) {
    free(text);
    return st;
  }
  out->code = text;
  out->code_size = len;
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

static ovcc_status aot_sink(void *ctx, const cg_target *t, cg_module *m, const cg_program *p,
                            ir_diag *d) {
  aot_ctx *a = ctx;
  if (a->kind == CG_AOT_IR)
    return emit_graph_ir(a->model, a->out, d);
  IR_TRY(check_supported(p, d));
  IR_TRY(cg_aot_header(p, a->prefix, a->model_name, &a->out->header, d));
  LLVMValueRef program = NULL;
  IR_TRY(program_const(m, p, &program, d));
  IR_TRY(link_runtime(m, d));
  internalize(m);
  for (int i = 0; i < N_ABI; i++)
    IR_TRY(add_wrapper(m, program, a->prefix, abi_names[i], d));
  IR_TRY(cleanup(m, d));
  return emit(t, m, a->kind, a->out, d);
}

ovcc_status cg_aot_compile(ir_model *m, const cg_options *o, const char *prefix, cg_aot_kind kind,
                           cg_aot_output *out, ir_diag *d) {
  memset(out, 0, sizeof *out);
  if (!cg_aot_valid_prefix(prefix))
    return IR_ERR(d, OVCC_ERR_INVALID_ARG, "'%s' is not a C identifier (the ABI symbol prefix)",
                  prefix ? prefix : "");
  aot_ctx a = {prefix, m->name ? m->name : prefix, kind, out, m};
  ovcc_status st = cg_compile_module(m, o, aot_sink, &a, d);
  if (st != OVCC_OK)
    cg_aot_output_free(out);
  return st;
}
