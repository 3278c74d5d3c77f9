/* Evaluation driver: gathers an op's constant/known inputs, allocates its
 * outputs from the inferred static result types, and calls the op's eval
 * function. Used by shape inference (known values) and fold-constants. */
#include "ir.h"

#include <stdlib.h>

ovcc_status ir_eval_op(ir_op *op, ir_tensor **outs, uint64_t max_bytes, ir_diag *d) {
  if (!op->info || !ir_op_has_eval_fn(op->info))
    return OVCC_ERR_UNSUPPORTED;
  ir_model *m = op->graph->model;
  ir_tensor *in = calloc(op->n_operands + 1, sizeof *in);
  ir_tensor *out = calloc(op->n_results + 1, sizeof *out);
  ovcc_status st = OVCC_OK;
  if (!in || !out) {
    st = IR_NOMEM(d);
    goto done;
  }
  for (uint32_t i = 0; i < op->n_operands; i++) {
    ir_value *v = ir_op_operand(op, i);
    if (!v)
      continue;
    if (v->known) {
      in[i] = *v->known;
    } else if (v->def && ir_const_tensor(v->def, &in[i])) {
      /* constant operand */
    } else if (op->info->flags & OPF_SHAPE_ONLY) {
      in[i].et = v->type.et; /* no data: only the shape matters */
      in[i].shape = v->type.shape;
      if (!ir_shape_numel(&v->type.shape, &in[i].numel)) {
        st = OVCC_ERR_UNSUPPORTED;
        goto done;
      }
    } else {
      st = OVCC_ERR_UNSUPPORTED;
      goto done;
    }
  }
  for (uint32_t i = 0; i < op->n_results; i++) {
    const ir_type *t = &op->results[i].type;
    uint64_t numel, nbytes;
    if (t->et == IR_ET_STRING || t->et == IR_ET_DYNAMIC || !ir_shape_numel(&t->shape, &numel) ||
        !ir_etype_nbytes(t->et, numel, &nbytes) || nbytes > max_bytes) {
      st = OVCC_ERR_UNSUPPORTED;
      goto done;
    }
    ir_tensor *o = ir_tensor_alloc(m, t->et, &t->shape);
    if (!o) {
      st = IR_NOMEM(d);
      goto done;
    }
    out[i] = *o;
    outs[i] = o;
  }
  st = op->info->eval(op, in, out, d);
  if (st == OVCC_OK)
    for (uint32_t i = 0; i < op->n_results; i++)
      *outs[i] = out[i];
done:
  free(in);
  free(out);
  return st;
}
