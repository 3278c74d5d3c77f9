/* Lowering of the movement family (see cg.h): data movement and shape ops,
 * each a sub-family in codegen/move_*.c built on the view engine of
 * move_view.c (see move_internal.h). */
#include "move_internal.h"

static const cg_lower_fn movement_families[] = {
    mv_lower_shape, mv_lower_concat, mv_lower_slice, mv_lower_gather, mv_lower_scatter,
    mv_lower_interp, mv_lower_misc,
};

ovcc_status cg_lower_movement(cg_kernel *k, const ir_op *op, bool *handled) {
  *handled = false;
  for (size_t i = 0; i < sizeof movement_families / sizeof movement_families[0]; i++) {
    ovcc_status st = movement_families[i](k, op, handled);
    if (st != OVCC_OK || *handled)
      return st;
  }
  return OVCC_OK;
}
