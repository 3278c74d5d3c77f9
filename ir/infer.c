/* Shape and type inference driver: runs each op's shape function in op
 * order, merges the result with the types already declared on the values
 * (XML port dims, text IR types), and evaluates small shape-like results
 * into known values so that ShapeOf -> Gather -> Concat -> Reshape chains give
 * static shapes, as OpenVINO's own reader does. */
#include "ir.h"

#include <stdio.h>
#include <string.h>

static bool type_declared(const ir_type *t) {
  return t->et != IR_ET_DYNAMIC || t->shape.rank >= 0;
}

/* Merges inferred into declared; false if they contradict. */
static bool merge_type(ir_type *out, const ir_type *declared, const ir_type *inferred) {
  ir_type r = *inferred;
  if (declared->et != IR_ET_DYNAMIC && inferred->et != IR_ET_DYNAMIC && declared->et != inferred->et)
    return false;
  if (r.et == IR_ET_DYNAMIC)
    r.et = declared->et;
  if (!ir_shape_merge(&r.shape, &declared->shape, &inferred->shape))
    return false;
  *out = r;
  return true;
}

static void type_str(const ir_type *t, char *buf, size_t cap) {
  char s[512];
  ir_shape_format(&t->shape, s, sizeof s);
  snprintf(buf, cap, "%s[%s]", ir_etype_name(t->et), s);
}

/* Known value of a Constant: a view of its data. */
static ovcc_status know_constant(ir_op *op, ir_diag *d) {
  ir_tensor t;
  if (!op->cst || !ir_const_tensor(op, &t))
    return OVCC_OK;
  ir_tensor *k = ir_arena_memdup(&op->graph->model->arena, &t, sizeof t);
  if (!k)
    return IR_NOMEM(d);
  op->results[0].known = k;
  return OVCC_OK;
}

/* Evaluates op into known values when every input is known (or, for
 * shape-only ops, has a static shape) and the results are small. */
static ovcc_status know_by_eval(ir_op *op, ir_diag *d) {
  const ir_op_info *in = op->info;
  if (!in || !ir_op_has_eval_fn(in) || (in->flags & (OPF_STATEFUL | OPF_SOURCE | OPF_SINK)) ||
      op->n_results == 0)
    return OVCC_OK;
  for (uint32_t i = 0; i < op->n_operands; i++) {
    ir_value *v = ir_op_operand(op, i);
    if (!v)
      continue;
    if (in->flags & OPF_SHAPE_ONLY) {
      if (!ir_shape_is_static(&v->type.shape))
        return OVCC_OK;
    } else if (!v->known && !(v->def && v->def->kind == IR_OP_CONSTANT_1 && v->def->cst)) {
      return OVCC_OK;
    }
  }
  for (uint32_t i = 0; i < op->n_results; i++) {
    uint64_t numel, nbytes;
    const ir_type *t = &op->results[i].type;
    if (!ir_shape_numel(&t->shape, &numel) || !ir_etype_nbytes(t->et, numel, &nbytes) ||
        nbytes > IR_KNOWN_MAX_BYTES)
      return OVCC_OK;
  }
  ir_tensor *outs[64];
  if (op->n_results > 64)
    return OVCC_OK;
  ir_diag local;
  ir_diag_clear(&local);
  ovcc_status st = ir_eval_op(op, outs, IR_KNOWN_MAX_BYTES, &local);
  if (st == OVCC_ERR_UNSUPPORTED)
    return OVCC_OK; /* this case cannot be evaluated: the value stays unknown */
  if (st != OVCC_OK) {
    *d = local;
    return st;
  }
  for (uint32_t i = 0; i < op->n_results; i++)
    op->results[i].known = outs[i];
  return OVCC_OK;
}

ovcc_status ir_infer_op(ir_op *op, bool strict, ir_diag *d) {
  char where[768];
  if (!op->info || !ir_op_has_shape_fn(op->info)) {
    if (!strict)
      return OVCC_OK; /* keeps the declared types */
    ir_op_describe(op, where, sizeof where);
    if (!op->info)
      return IR_ERR(d, OVCC_ERR_UNSUPPORTED, "%s: unknown op type '%s' version '%s': its shapes cannot be inferred",
                    where, op->type_name, op->version_name ? op->version_name : "");
    IR_ERR(d, OVCC_ERR_UNSUPPORTED, "no shape inference for this op yet");
    ir_diag_prefix(d, "%s: ", where);
    return d->status;
  }
  /* Results keep what was declared; the shape function overwrites. */
  enum { MAX_KEEP = 32 };
  ir_type declared[MAX_KEEP];
  uint32_t nkeep = op->n_results < MAX_KEEP ? op->n_results : MAX_KEEP;
  for (uint32_t i = 0; i < nkeep; i++)
    declared[i] = op->results[i].type;
  ovcc_status st = op->info->shape(op, d);
  if (st == OVCC_ERR_UNSUPPORTED && !strict) {
    /* Not written yet (weak stub) or a case it cannot handle: keep the declared types. */
    for (uint32_t i = 0; i < nkeep; i++)
      op->results[i].type = declared[i];
    ir_diag_clear(d);
    return OVCC_OK;
  }
  if (st != OVCC_OK) {
    ir_op_describe(op, where, sizeof where);
    ir_diag_prefix(d, "%s: ", where);
    if (!d->line)
      d->line = op->loc.line, d->col = op->loc.col;
    return st;
  }
  for (uint32_t i = 0; i < nkeep; i++) {
    ir_type *t = &op->results[i].type;
    if (!type_declared(&declared[i]))
      continue;
    ir_type merged;
    if (!merge_type(&merged, &declared[i], t)) {
      char a[600], b[600];
      type_str(t, a, sizeof a);
      type_str(&declared[i], b, sizeof b);
      ir_op_describe(op, where, sizeof where);
      d->line = op->loc.line;
      d->col = op->loc.col;
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "%s: output %u: inferred type %s contradicts the declared %s", where, i, a, b);
    }
    *t = merged;
  }
  if (op->kind == IR_OP_CONSTANT_1)
    return know_constant(op, d);
  st = know_by_eval(op, d);
  if (st != OVCC_OK) {
    ir_op_describe(op, where, sizeof where);
    ir_diag_prefix(d, "%s: evaluating known value: ", where);
  }
  return st;
}

ovcc_status ir_infer_graph(ir_graph *g, bool strict, ir_diag *d) {
  IR_FOR_EACH_OP(g, op) {
    for (uint32_t i = 0; i < op->n_results; i++)
      op->results[i].known = NULL;
  }
  IR_FOR_EACH_OP(g, op) { IR_TRY(ir_infer_op(op, strict, d)); }
  return OVCC_OK;
}

ovcc_status ir_infer_types(ir_model *m, bool strict, ir_diag *d) {
  /* Bodies are inferred by their owners' shape functions (they need the
   * outer input types), so only the main graph is walked here. */
  return ir_infer_graph(m->main, strict, d);
}
