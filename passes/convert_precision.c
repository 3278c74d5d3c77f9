/* convert-precision: computes in f32 what the model stores as f16 or bf16,
 * as OpenVINO's CPU plugin does at f32 inference precision. The model's
 * inputs, outputs and constants keep their element types: Converts go after
 * f16/bf16 inputs and constants (fold-constants folds the latter) and before
 * outputs; every op in between, bodies included, is retyped by shape
 * inference from its new operands, and element-type attributes naming
 * f16/bf16 (Convert's destination, ReadValue's variable type, ...) become
 * f32.
 *
 * Constant subgraphs (weight decompression Convert(i8) -> Subtract ->
 * Multiply, or any op computed from Constants only) are computed in f32 too,
 * but where their value leaves the subgraph it is rounded once to its declared
 * f16/bf16 type: OpenVINO stores a folded constant in its declared type
 * (checked against 2026.4: int8 conv weights equal f16((q - zp) * scale)
 * computed in f32; (a + b) - a of f16 constants is not rounded in between;
 * a constant read through an explicit Convert to f32 is not rounded). The
 * exception is OpenVINO's compressed weights: integer weights dequantized by
 * a per-output-channel scale and read by a MatMul or a 1x1 Convolution stay
 * unfolded there and are dequantized in f32 (checked against 2026.4: such
 * MatMul and 1x1 conv weights are (q - zp) * scale unrounded, 3x3 conv
 * weights are rounded to f16). */
#include <stdlib.h>

#include "convert_insert.h"
#include "passes.h"

typedef struct cp_ctx {
  ir_diag *d;
  uint64_t converts, attrs;
} cp_ctx;

/* op->scratch: computed from Constants only. */
enum { FROM_CONSTANTS = 1 };

/* A low-precision result of a constant subgraph, with its declared type. */
typedef struct low_exit {
  ir_value *v;
  ir_etype et;
} low_exit;

static bool is_low(ir_etype et) { return et == IR_ET_F16 || et == IR_ET_BF16; }

/* Element-type attributes naming f16/bf16 become f32 (not on Parameters and
 * Constants: there they describe stored data). */
static ovcc_status retarget_attrs(ir_model *m, ir_op *op, cp_ctx *c) {
  for (uint32_t i = 0; i < op->n_attrs; i++) {
    ir_attr_value *a = &op->attrs[i].val;
    if (a->kind == IR_ATTR_ETYPE && is_low(a->u.et)) {
      ir_attr_value f = {.kind = IR_ATTR_ETYPE, .u.et = IR_ET_F32};
      if (!ir_op_set_attr(m, op, op->attrs[i].name, &f))
        return IR_NOMEM(c->d);
      c->attrs++;
    }
  }
  return OVCC_OK;
}

/* Whether op computes from Constants only (its operands' defs are marked). */
static bool from_constants(const ir_op *op) {
  if (op->kind == IR_OP_CONSTANT_1)
    return true;
  if (!op->n_operands || op->n_bodies || !pass_op_is_pure(op))
    return false;
  for (uint32_t i = 0; i < op->n_operands; i++) {
    ir_value *v = ir_op_operand(op, i);
    if (!v || !v->def || !(v->def->scratch & FROM_CONSTANTS))
      return false;
  }
  return true;
}

/* x is an integer Constant converted (Convert, then maybe Subtract). */
static bool is_dequantized_int(const ir_value *x) {
  const ir_op *d = x ? x->def : NULL;
  if (d && d->kind == IR_OP_SUBTRACT_1)
    d = ir_op_operand(d, 0) ? ir_op_operand(d, 0)->def : NULL;
  if (!d || d->kind != IR_OP_CONVERT_1 || !ir_op_operand(d, 0))
    return false;
  const ir_op *c = ir_op_operand(d, 0)->def;
  return c && c->kind == IR_OP_CONSTANT_1 && ir_etype_is_int(c->results[0].type.et);
}

/* Whether `user` reads the decompressed weights w as OpenVINO's compressed
 * weights: operand 1 of a MatMul or of a 1x1 Convolution, w = Multiply of a
 * dequantized integer Constant by a scale constant along the reduction axis. */
static bool reads_compressed_weights(const ir_value *w, const ir_op *user, uint32_t index) {
  const ir_op *mul = w->def;
  if (index != 1 || mul->kind != IR_OP_MULTIPLY_1)
    return false;
  int rank = w->type.shape.rank, k_axis;
  if (user->kind == IR_OP_MATMUL_1 && rank >= 2) {
    k_axis = ir_op_attr_bool(user, "transpose_b", false) ? rank - 1 : rank - 2;
  } else if (user->kind == IR_OP_CONVOLUTION_1 && rank >= 3) {
    for (int i = 2; i < rank; i++)
      if (!ir_dim_is_static(w->type.shape.d[i]) || w->type.shape.d[i].lo != 1)
        return false;
    k_axis = 1;
  } else {
    return false;
  }
  for (uint32_t j = 0; j < 2; j++) {
    const ir_value *scale = ir_op_operand(mul, j);
    if (!is_dequantized_int(ir_op_operand(mul, 1 - j)) || !scale)
      continue;
    const ir_shape *ss = &scale->type.shape;
    int at = k_axis - (rank - ss->rank); /* numpy alignment */
    return ss->rank >= 0 && (at < 0 || (ir_dim_is_static(ss->d[at]) && ss->d[at].lo == 1));
  }
  return false;
}

/* Reads of v by ops outside its constant subgraph that see the declared type. */
static bool rounded_read(const ir_value *v, const ir_use *u) {
  return !(u->user->scratch & FROM_CONSTANTS) && !reads_compressed_weights(v, u->user, u->index);
}

/* The ops outside the constant subgraph that read v (but as compressed
 * weights) read it rounded to its declared type et: v -> Convert(et) ->
 * Convert(f32) (fold-constants folds both). */
static ovcc_status round_exit(ir_model *m, ir_graph *g, const low_exit *e, cp_ctx *c) {
  bool outside = false;
  for (ir_use *u = e->v->uses; u; u = u->next)
    outside |= rounded_read(e->v, u);
  if (!outside)
    return OVCC_OK;
  ir_value *low = pass_insert_convert(m, g, e->v, e->et, e->v->def->next);
  ir_value *f32 = low ? pass_insert_convert(m, g, low, IR_ET_F32, low->def->next) : NULL;
  if (!f32)
    return IR_NOMEM(c->d);
  low->def->scratch = f32->def->scratch = FROM_CONSTANTS;
  for (ir_use *u = e->v->uses, *next; u; u = next) {
    next = u->next;
    if (u->user != low->def && rounded_read(e->v, u))
      ir_op_set_operand(u->user, u->index, f32);
  }
  c->converts += 2;
  return OVCC_OK;
}

/* Converts after low-precision sources (main-graph Parameters, Constants);
 * every other result forgets a low element type so inference retypes it;
 * constant subgraphs are rounded where they are read (round_exit). */
static ovcc_status rewrite_graph(ir_graph *g, void *arg) {
  cp_ctx *c = arg;
  ir_model *m = g->model;
  low_exit *exits = NULL;
  uint32_t n_exits = 0, cap_exits = 0;
  ovcc_status st = OVCC_OK;
  for (ir_op *op = g->first; op && st == OVCC_OK; op = op->next) {
    op->scratch = from_constants(op) ? FROM_CONSTANTS : 0;
    bool source = op->kind == IR_OP_CONSTANT_1 || (op->kind == IR_OP_PARAMETER_1 && !g->parent);
    if (source) {
      ir_value *v = &op->results[0];
      if (!is_low(v->type.et) || !v->uses)
        continue;
      ir_value *cv = pass_insert_convert(m, g, v, IR_ET_F32, op->next);
      if (!cv) {
        st = IR_NOMEM(c->d);
        break;
      }
      pass_redirect_uses_except(v, cv, cv->def);
      cv->def->scratch = op->scratch;
      op = cv->def; /* go on after the new Convert */
      c->converts++;
      continue;
    }
    if (op->kind != IR_OP_PARAMETER_1)
      st = retarget_attrs(m, op, c);
    for (uint32_t r = 0; st == OVCC_OK && r < op->n_results; r++) {
      ir_value *v = &op->results[r];
      if (!is_low(v->type.et))
        continue;
      if (op->scratch & FROM_CONSTANTS) {
        if (n_exits == cap_exits) {
          cap_exits = cap_exits ? 2 * cap_exits : 16;
          low_exit *ne = realloc(exits, cap_exits * sizeof *ne);
          if (!ne) {
            st = IR_NOMEM(c->d);
            break;
          }
          exits = ne;
        }
        exits[n_exits++] = (low_exit){v, v->type.et};
      }
      v->type.et = IR_ET_DYNAMIC;
    }
  }
  for (uint32_t i = 0; st == OVCC_OK && i < n_exits; i++)
    st = round_exit(m, g, &exits[i], c);
  free(exits);
  return st;
}

ovcc_status pass_convert_precision_run(ir_model *m, pass_ctx *ctx, ir_diag *d) {
  ir_graph *g = m->main;
  /* Each output's element type, restored at the boundary afterwards. */
  ir_etype *was = calloc(g->n_results + 1, sizeof *was);
  if (!was)
    return IR_NOMEM(d);
  for (uint32_t i = 0; i < g->n_results; i++) {
    ir_value *v = ir_op_operand(g->results[i], 0);
    was[i] = v ? v->type.et : IR_ET_DYNAMIC;
  }
  cp_ctx c = {.d = d};
  ovcc_status st = ir_model_walk_graphs(m, rewrite_graph, &c);
  if (st == OVCC_OK)
    st = ir_infer_types(m, false, d);
  for (uint32_t i = 0; st == OVCC_OK && i < g->n_results; i++) {
    ir_value *v = ir_op_operand(g->results[i], 0);
    if (v && is_low(was[i]) && v->type.et != was[i]) {
      st = pass_convert_result(m, g, g->results[i], was[i], d);
      c.converts++;
    }
  }
  free(was);
  if (st == OVCC_OK)
    st = ir_infer_types(m, false, d);
  pass_stat(ctx, "converts", c.converts);
  pass_stat(ctx, "attributes", c.attrs);
  return st;
}
