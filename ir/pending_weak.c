/* Weak fallbacks for shape/eval functions not written yet; deleted once all exist. */
#include "ir.h"
__attribute__((weak)) ovcc_status ir_shape_adaptive_pool(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_assign(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_avg_pool(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_batch_norm(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_binary(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_broadcast(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_compare(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_concat(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_constant(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_convert(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_convert_like(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_convolution(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_convolution_backprop(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_ctc_greedy_decoder(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_ctc_greedy_decoder_seq_len(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_cumsum(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_depth_to_space(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_detection_output(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_einsum(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_fake_quantize(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_gather(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_gather_elements(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_gather_nd(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_group_convolution(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_group_convolution_backprop(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_group_norm(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_gru_cell(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_gru_sequence(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_if(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_interpolate(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_is_class(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_loop(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_lrn(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_lstm_cell(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_lstm_sequence(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_matmul(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_max_pool(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_mvn(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_normalize_l2(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_pad(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_parameter(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_prelu(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_prior_box(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_prior_box_clustered(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_range(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_read_value(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_reduce(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_region_yolo(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_reorg_yolo(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_reshape(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_result(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_rnn_cell(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_rnn_sequence(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_scatter(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_sdpa(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_select(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_shape_of(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_shuffle_channels(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_slice(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_softmax(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_space_to_depth(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_split(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_squeeze(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_strided_slice(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_tensor_iterator(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_tile(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_topk(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_transpose(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_unary(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_unsqueeze(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_shape_variadic_split(ir_op *op, ir_diag *d) { return ir_shape_none(op, d); }
__attribute__((weak)) ovcc_status ir_eval_binary(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) { return ir_eval_none(op, in, out, d); }
__attribute__((weak)) ovcc_status ir_eval_broadcast(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) { return ir_eval_none(op, in, out, d); }
__attribute__((weak)) ovcc_status ir_eval_compare(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) { return ir_eval_none(op, in, out, d); }
__attribute__((weak)) ovcc_status ir_eval_concat(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) { return ir_eval_none(op, in, out, d); }
__attribute__((weak)) ovcc_status ir_eval_convert(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) { return ir_eval_none(op, in, out, d); }
__attribute__((weak)) ovcc_status ir_eval_fake_quantize(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) { return ir_eval_none(op, in, out, d); }
__attribute__((weak)) ovcc_status ir_eval_gather(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) { return ir_eval_none(op, in, out, d); }
__attribute__((weak)) ovcc_status ir_eval_matmul(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) { return ir_eval_none(op, in, out, d); }
__attribute__((weak)) ovcc_status ir_eval_pad(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) { return ir_eval_none(op, in, out, d); }
__attribute__((weak)) ovcc_status ir_eval_prelu(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) { return ir_eval_none(op, in, out, d); }
__attribute__((weak)) ovcc_status ir_eval_range(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) { return ir_eval_none(op, in, out, d); }
__attribute__((weak)) ovcc_status ir_eval_reduce(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) { return ir_eval_none(op, in, out, d); }
__attribute__((weak)) ovcc_status ir_eval_reshape(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) { return ir_eval_none(op, in, out, d); }
__attribute__((weak)) ovcc_status ir_eval_select(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) { return ir_eval_none(op, in, out, d); }
__attribute__((weak)) ovcc_status ir_eval_shape_of(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) { return ir_eval_none(op, in, out, d); }
__attribute__((weak)) ovcc_status ir_eval_slice(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) { return ir_eval_none(op, in, out, d); }
__attribute__((weak)) ovcc_status ir_eval_split(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) { return ir_eval_none(op, in, out, d); }
__attribute__((weak)) ovcc_status ir_eval_strided_slice(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) { return ir_eval_none(op, in, out, d); }
__attribute__((weak)) ovcc_status ir_eval_tile(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) { return ir_eval_none(op, in, out, d); }
__attribute__((weak)) ovcc_status ir_eval_transpose(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) { return ir_eval_none(op, in, out, d); }
__attribute__((weak)) ovcc_status ir_eval_unary(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) { return ir_eval_none(op, in, out, d); }
