/* Lowering dispatch: each op family lowers the ops it knows; an op nobody
 * lowers is a clear UNSUPPORTED error naming op, version and layer. */
#include "cg.h"

static const cg_lower_fn families[] = {
    cg_lower_elementwise, cg_lower_linear, cg_lower_pool, cg_lower_movement, cg_lower_misc,
};

ovcc_status cg_lower_op(cg_kernel *k, const ir_op *op) {
  for (size_t i = 0; i < sizeof families / sizeof families[0]; i++) {
    bool handled = false;
    ovcc_status st = families[i](k, op, &handled);
    if (st != OVCC_OK || handled)
      return st;
  }
  char ty[128];
  ir_op_type_str(op, ty, sizeof ty);
  return CG_UNSUPPORTED(k, "no code generator for %s yet", ty);
}
