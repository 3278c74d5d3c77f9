/* Lowering of the misc family (see cg.h): selection, detection heads, decoders
 * and the recurrent cells and sequences, one file each (misc_*.c). */
#include "misc_internal.h"

ovcc_status cg_lower_misc(cg_kernel *k, const ir_op *op, bool *handled) {
  ovcc_status (*lower)(cg_kernel *, const ir_op *) = NULL;
  switch (op->kind) {
  case IR_OP_TOPK_1:
  case IR_OP_TOPK_3:
  case IR_OP_TOPK_11:
    lower = cg_lower_topk;
    break;
  case IR_OP_DETECTIONOUTPUT_1:
  case IR_OP_DETECTIONOUTPUT_8:
    lower = cg_lower_detection_output;
    break;
  case IR_OP_CTCGREEDYDECODER_1:
    lower = cg_lower_ctc_greedy;
    break;
  case IR_OP_CTCGREEDYDECODERSEQLEN_6:
    lower = cg_lower_ctc_greedy_seq_len;
    break;
  case IR_OP_REGIONYOLO_1:
    lower = cg_lower_region_yolo;
    break;
  case IR_OP_REORGYOLO_2:
    lower = cg_lower_reorg_yolo;
    break;
  case IR_OP_LSTMCELL_1:
  case IR_OP_LSTMCELL_4:
  case IR_OP_GRUCELL_3:
  case IR_OP_RNNCELL_3:
  case IR_OP_LSTMSEQUENCE_1:
  case IR_OP_LSTMSEQUENCE_5:
  case IR_OP_GRUSEQUENCE_5:
  case IR_OP_RNNSEQUENCE_5:
    lower = cg_lower_rnn;
    break;
  default:
    break;
  }
  *handled = lower != NULL;
  return lower ? lower(k, op) : OVCC_OK;
}
