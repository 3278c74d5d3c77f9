/* The recurrent ops: LSTMCell-1/4, GRUCell-3, RNNCell-3, LSTMSequence-1/5,
 * GRUSequence-5, RNNSequence-5, one ukernel call (codegen/ukernels/rnn.c)
 * per chunk of (direction, batch row) items. A cell is a sequence of one step
 * in one direction with no lengths and no Y; the ukernel reads every tensor
 * in place (f32; convert-precision already widened f16/bf16). */
#include <string.h>

#include "misc_internal.h"
#include "ukernels/uk_rnn.h"

/* Where an op keeps its operands (-1: it has none of that kind). */
typedef struct rnn_ports {
  int kind; /* enum uk_rnn_kind */
  bool seq;
  int x, h0, c0, seq_len, w, r, b, p;
} rnn_ports;

static bool rnn_ports_of(ir_op_id id, rnn_ports *o) {
  switch (id) {
  case IR_OP_LSTMCELL_1:
    *o = (rnn_ports){UK_RNN_LSTM, false, 0, 1, 2, -1, 3, 4, 5, 6};
    return true;
  case IR_OP_LSTMCELL_4:
    *o = (rnn_ports){UK_RNN_LSTM, false, 0, 1, 2, -1, 3, 4, 5, -1};
    return true;
  case IR_OP_GRUCELL_3:
    *o = (rnn_ports){UK_RNN_GRU, false, 0, 1, -1, -1, 2, 3, 4, -1};
    return true;
  case IR_OP_RNNCELL_3:
    *o = (rnn_ports){UK_RNN_VANILLA, false, 0, 1, -1, -1, 2, 3, 4, -1};
    return true;
  case IR_OP_LSTMSEQUENCE_1:
    *o = (rnn_ports){UK_RNN_LSTM, true, 0, 1, 2, 3, 4, 5, 6, 7};
    return true;
  case IR_OP_LSTMSEQUENCE_5:
    *o = (rnn_ports){UK_RNN_LSTM, true, 0, 1, 2, 3, 4, 5, 6, -1};
    return true;
  case IR_OP_GRUSEQUENCE_5:
    *o = (rnn_ports){UK_RNN_GRU, true, 0, 1, -1, 2, 3, 4, 5, -1};
    return true;
  case IR_OP_RNNSEQUENCE_5:
    *o = (rnn_ports){UK_RNN_VANILLA, true, 0, 1, -1, 2, 3, 4, 5, -1};
    return true;
  default:
    return false;
  }
}

static bool has_operand(const ir_op *op, int port) {
  return port >= 0 && (uint32_t)port < op->n_operands && ir_op_operand(op, (uint32_t)port);
}

static LLVMValueRef operand_or_null(cg_kernel *k, const ir_op *op, int port) {
  return has_operand(op, port) ? cg_operand(k, (uint32_t)port) : misc_null(k);
}

static int activation_of(const char *name) {
  if (!strcmp(name, "sigmoid"))
    return UK_RNN_SIGMOID;
  if (!strcmp(name, "tanh"))
    return UK_RNN_TANH;
  if (!strcmp(name, "relu"))
    return UK_RNN_RELU;
  return -1;
}

/* activations[0..] into p[UK_RNN_ACT_F..]; missing entries keep the kind's
 * defaults (sigmoid, tanh, tanh; RNN: tanh). OpenVINO's CPU plugin runs
 * sigmoid, tanh and relu only (hardsigmoid fails to compile there), which
 * take no alpha/beta. */
static ovcc_status read_activations(cg_kernel *k, const ir_op *op, int kind, int64_t *p) {
  static const int64_t defaults[2][3] = {{UK_RNN_TANH, UK_RNN_TANH, UK_RNN_TANH},
                                         {UK_RNN_SIGMOID, UK_RNN_TANH, UK_RNN_TANH}};
  const int64_t *def = defaults[kind != UK_RNN_VANILLA];
  for (int i = 0; i < 3; i++)
    p[UK_RNN_ACT_F + i] = def[i];
  const ir_attr_value *a = ir_op_attr(op, "activations");
  if (!a || a->kind != IR_ATTR_STRS)
    return OVCC_OK;
  for (uint32_t i = 0; i < a->u.strs.n && i < 3; i++) {
    int act = activation_of(a->u.strs.v[i]);
    if (act < 0)
      return CG_UNSUPPORTED(k, "activation '%s' (sigmoid, tanh and relu only)", a->u.strs.v[i]);
    p[UK_RNN_ACT_F + i] = act;
  }
  return OVCC_OK;
}

static int seq_len_type(ir_etype et) {
  switch (et) {
  case IR_ET_I32:
    return UK_RNN_SEQ_I32;
  case IR_ET_I64:
    return UK_RNN_SEQ_I64;
  case IR_ET_F32:
    return UK_RNN_SEQ_F32;
  default:
    return -1;
  }
}

static int direction_of(const char *s) {
  if (!strcmp(s, "reverse"))
    return UK_RNN_REVERSE;
  if (!strcmp(s, "bidirectional"))
    return UK_RNN_BIDIRECTIONAL;
  return UK_RNN_FORWARD;
}

/* Every float operand and result is f32. */
static ovcc_status check_types(cg_kernel *k, const ir_op *op, const rnn_ports *pt) {
  for (uint32_t i = 0; i < op->n_operands; i++) {
    const ir_value *v = ir_op_operand(op, i);
    if (v && (int)i != pt->seq_len && v->type.et != IR_ET_F32)
      return CG_UNSUPPORTED(k, "input %u of type %s (f32 only)", i, ir_etype_name(v->type.et));
  }
  for (uint32_t i = 0; i < op->n_results; i++)
    if (op->results[i].type.et != IR_ET_F32)
      return CG_UNSUPPORTED(k, "output %u of type %s (f32 only)", i,
                            ir_etype_name(op->results[i].type.et));
  return OVCC_OK;
}

/* The LSTM-1 extras. weights_format: OpenVINO knows only FICO. LSTMCell-1:
 * OpenVINO's CPU plugin turns it into LSTMCell-4 (ConvertLSTMCell1ToLSTMCell4),
 * dropping the peepholes and input_forget that the spec (and OpenVINO's
 * reference, which LSTMSequence-1 follows here) computes; only the cases where
 * both agree run: input_forget false, peepholes absent or a zero Constant. */
static ovcc_status check_lstm_v1(cg_kernel *k, const ir_op *op, rnn_ports *pt) {
  const char *fmt = ir_op_attr_str(op, "weights_format", "fico");
  if (strcmp(fmt, "fico") != 0)
    return CG_UNSUPPORTED(k, "weights_format '%s' (fico only, as OpenVINO)", fmt);
  if (op->kind != IR_OP_LSTMCELL_1)
    return OVCC_OK;
  if (ir_op_attr_bool(op, "input_forget", false))
    return CG_UNSUPPORTED(k, "LSTMCell-1 with input_forget (OpenVINO's CPU plugin ignores it)");
  if (has_operand(op, pt->p)) {
    const ir_tensor *pv = ir_value_known(ir_op_operand(op, (uint32_t)pt->p));
    bool zero = pv && pv->et == IR_ET_F32;
    for (uint64_t i = 0; zero && i < pv->numel; i++)
      zero = ((const float *)pv->data)[i] == 0.0f;
    if (!zero)
      return CG_UNSUPPORTED(k, "LSTMCell-1 with peepholes other than a zero Constant "
                               "(OpenVINO's CPU plugin ignores them)");
  }
  pt->p = -1;
  return OVCC_OK;
}

/* Fills the parameter table from the (static) shapes and the attributes. */
static ovcc_status rnn_params(cg_kernel *k, const ir_op *op, const rnn_ports *pt, int64_t *p) {
  int64_t xd[IR_MAX_RANK], hd[IR_MAX_RANK];
  int xr = cg_dims(ir_op_operand(op, (uint32_t)pt->x), xd);
  int hr = cg_dims(ir_op_operand(op, (uint32_t)pt->h0), hd);
  if (xr != (pt->seq ? 3 : 2) || hr != (pt->seq ? 3 : 2))
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "X and initial_hidden_state have ranks %d and %d",
                    xr, hr);
  p[UK_RNN_KIND] = pt->kind;
  p[UK_RNN_BATCH] = xd[0];
  p[UK_RNN_STEPS] = pt->seq ? xd[1] : 1;
  p[UK_RNN_INPUT] = xd[xr - 1];
  p[UK_RNN_HIDDEN] = ir_op_attr_int(op, "hidden_size", -1);
  p[UK_RNN_DIRS] = pt->seq ? hd[1] : 1;
  p[UK_RNN_DIRECTION] =
      pt->seq ? direction_of(ir_op_attr_str(op, "direction", "forward")) : UK_RNN_FORWARD;
  p[UK_RNN_LBR] = pt->kind == UK_RNN_GRU && ir_op_attr_bool(op, "linear_before_reset", false);
  p[UK_RNN_INPUT_FORGET] = pt->kind == UK_RNN_LSTM && ir_op_attr_bool(op, "input_forget", false);
  if (p[UK_RNN_HIDDEN] <= 0 || p[UK_RNN_HIDDEN] > UK_RNN_MAX_HIDDEN ||
      hd[hr - 1] != p[UK_RNN_HIDDEN])
    return CG_UNSUPPORTED(k, "hidden_size %lld (1..%d, the state's last dim)",
                          (long long)p[UK_RNN_HIDDEN], UK_RNN_MAX_HIDDEN);
  if (p[UK_RNN_DIRS] != (p[UK_RNN_DIRECTION] == UK_RNN_BIDIRECTIONAL ? 2 : 1))
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "%lld directions in the state for direction %s",
                    (long long)p[UK_RNN_DIRS], ir_op_attr_str(op, "direction", "forward"));
  p[UK_RNN_SEQ_LEN] = UK_RNN_SEQ_NONE;
  if (has_operand(op, pt->seq_len)) {
    int t = seq_len_type(misc_et(op, (uint32_t)pt->seq_len));
    if (t < 0)
      return CG_UNSUPPORTED(k, "sequence_lengths of type %s (i32, i64 or f32)",
                            ir_etype_name(misc_et(op, (uint32_t)pt->seq_len)));
    p[UK_RNN_SEQ_LEN] = t;
  }
  return read_activations(k, op, pt->kind, p);
}

ovcc_status cg_lower_rnn(cg_kernel *k, const ir_op *op) {
  rnn_ports pt;
  if (!rnn_ports_of(op->kind, &pt))
    return cg_error(k, OVCC_ERR_INTERNAL, "not a recurrent op");
  ovcc_status st = check_types(k, op, &pt);
  if (st == OVCC_OK && (op->kind == IR_OP_LSTMCELL_1 || op->kind == IR_OP_LSTMSEQUENCE_1))
    st = check_lstm_v1(k, op, &pt);
  int64_t p[UK_RNN_NPARAMS];
  if (st == OVCC_OK)
    st = rnn_params(k, op, &pt, p);
  if (st != OVCC_OK)
    return st;
  float fp[UK_RNN_NFPARAMS] = {[UK_RNN_CLIP] = (float)ir_op_attr_float(op, "clip", 0.0)};
  int64_t gates = pt.kind == UK_RNN_LSTM ? 4 : pt.kind == UK_RNN_GRU ? 3 : 1;
  k->work = p[UK_RNN_DIRS] * p[UK_RNN_BATCH];
  k->cost = (double)p[UK_RNN_STEPS] * (double)(gates * p[UK_RNN_HIDDEN]) *
            (double)(p[UK_RNN_INPUT] + p[UK_RNN_HIDDEN]) * 0.25;
  /* Results: sequences Y, Ho[, Co]; cells Ho[, Co]. */
  uint32_t first_state = pt.seq ? 1 : 0;
  LLVMValueRef args[] = {
      cg_operand(k, (uint32_t)pt.x),
      cg_operand(k, (uint32_t)pt.h0),
      operand_or_null(k, op, pt.c0),
      operand_or_null(k, op, pt.seq_len),
      cg_operand(k, (uint32_t)pt.w),
      cg_operand(k, (uint32_t)pt.r),
      operand_or_null(k, op, pt.b),
      operand_or_null(k, op, pt.p),
      pt.seq ? cg_result(k, 0) : misc_null(k),
      cg_result(k, first_state),
      pt.kind == UK_RNN_LSTM ? cg_result(k, first_state + 1) : misc_null(k),
      cg_uk_i64_table(k, p, UK_RNN_NPARAMS),
      cg_uk_f32_table(k, fp, UK_RNN_NFPARAMS),
      k->begin,
      k->end,
  };
  return cg_uk_call(k, "ovcc_uk_rnn", args, 15);
}
