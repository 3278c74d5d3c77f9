/* Inserting Convert ops (shared by the precision passes). */
#ifndef OVCC_PASSES_CONVERT_INSERT_H
#define OVCC_PASSES_CONVERT_INSERT_H

#include "ir/ir.h"

/* A Convert of v to et, inserted into g before `before` (NULL: at the end),
 * its result typed {et, v's shape}. NULL on NOMEM. */
ir_value *pass_insert_convert(ir_model *m, ir_graph *g, ir_value *v, ir_etype et, ir_op *before);
/* Makes every use of v except `keep`'s read `to` instead. */
void pass_redirect_uses_except(ir_value *v, ir_value *to, const ir_op *keep);
/* Puts a Convert to et between Result r and its operand; the operand's tensor
 * names move to the Convert (the output keeps its names). */
ovcc_status pass_convert_result(ir_model *m, ir_graph *g, ir_op *r, ir_etype et, ir_diag *d);

#endif
