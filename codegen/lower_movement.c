/* Lowering of the movement family (see cg.h). */
#include "cg.h"

ovcc_status cg_lower_movement(cg_kernel *k, const ir_op *op, bool *handled) {
  (void)k;
  (void)op;
  *handled = false;
  return OVCC_OK;
}
