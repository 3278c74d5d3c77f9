/* Shape functions of the recurrent ops: LSTMCell (v1, v4), LSTMSequence
 * (v1, v5), GRUCell-3, GRUSequence-5, RNNCell-3, RNNSequence-5.
 *
 * Every input is described by a pattern of symbolic dims (batch B, sequence
 * length T, input size I, hidden size H, directions D, gate rows G = gates*H,
 * bias rows g = G, or (gates+1)*H for GRU's linear_before_reset, peephole rows
 * P = 3*H). H, D, G, g and P come from the attributes; B, T and I are merged
 * across the inputs, so a mismatch is reported at the first input that
 * contradicts the others. Outputs follow the specs:
 *   cells      Ho [B,H] (LSTM also Co [B,H])
 *   sequences  Y [B,D,T,H], Ho [B,D,H] (LSTM also Co [B,D,H]). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ir.h"

enum { SYM_B, SYM_T, SYM_I, SYM_H, SYM_D, SYM_G, SYM_BIAS, SYM_P, SYM_COUNT };

typedef struct rnn_desc {
  int gates;           /* 4 LSTM, 3 GRU, 1 RNN */
  bool seq;            /* sequence op: has direction, T and D dims */
  int n_outputs;       /* 2 for LSTM (H, C), 1 otherwise (cells) */
  const char *const *names;
  const char *const *pats; /* per input, symbols "BTIHDGgP" */
  uint32_t n_pats;
} rnn_desc;

static const char *const LSTM_CELL_NAMES[] = {"X", "initial_hidden_state", "initial_cell_state",
                                              "W", "R", "B", "P"};
static const char *const LSTM_CELL_PATS[] = {"BI", "BH", "BH", "GI", "GH", "g", "P"};
static const char *const CELL_NAMES[] = {"X", "initial_hidden_state", "W", "R", "B"};
static const char *const CELL_PATS[] = {"BI", "BH", "GI", "GH", "g"};
static const char *const LSTM_SEQ_NAMES[] = {"X", "initial_hidden_state", "initial_cell_state",
                                             "sequence_lengths", "W", "R", "B", "P"};
static const char *const LSTM_SEQ_PATS[] = {"BTI", "BDH", "BDH", "B", "DGI", "DGH", "Dg", "DP"};
static const char *const SEQ_NAMES[] = {"X", "initial_hidden_state", "sequence_lengths", "W", "R",
                                        "B"};
static const char *const SEQ_PATS[] = {"BTI", "BDH", "B", "DGI", "DGH", "Dg"};

static int sym_of(char c) {
  switch (c) {
  case 'B': return SYM_B;
  case 'T': return SYM_T;
  case 'I': return SYM_I;
  case 'H': return SYM_H;
  case 'D': return SYM_D;
  case 'G': return SYM_G;
  case 'g': return SYM_BIAS;
  default: return SYM_P;
  }
}

static const char *sym_name(int s) {
  static const char *const n[SYM_COUNT] = {"batch size",   "sequence length", "input size",
                                           "hidden_size",  "num_directions",  "gates * hidden_size",
                                           "bias rows",    "3 * hidden_size"};
  return n[s];
}

static void fmt_dim(ir_dim dm, char *buf, size_t cap) { ir_dim_format(dm, buf, cap); }

/* Merges input i's dims into the symbols. */
static ovcc_status bind_input(const ir_op *op, const rnn_desc *r, uint32_t i, ir_dim *sym,
                              ir_diag *d) {
  const ir_shape *s = &ir_op_operand(op, i)->type.shape;
  const char *pat = r->pats[i];
  int n = (int)strlen(pat);
  if (s->rank < 0)
    return OVCC_OK;
  if (s->rank != n)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u (%s) must have rank %d, got %d", i,
                  r->names[i], n, (int)s->rank);
  for (int k = 0; k < n; k++) {
    int y = sym_of(pat[k]);
    ir_dim m;
    if (!ir_dim_merge(&m, sym[y], s->d[k])) {
      char a[64], b[64];
      fmt_dim(s->d[k], a, sizeof a);
      fmt_dim(sym[y], b, sizeof b);
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "input %u (%s) dim %d is %s, expected %s (%s)", i,
                    r->names[i], k, a, b, sym_name(y));
    }
    sym[y] = m;
  }
  return OVCC_OK;
}

/* The element type shared by the floating-point inputs (sequence_lengths excluded). */
static ovcc_status data_etype(const ir_op *op, const rnn_desc *r, ir_etype *out, ir_diag *d) {
  ir_etype et = IR_ET_DYNAMIC;
  uint32_t first = 0;
  for (uint32_t i = 0; i < op->n_operands && i < r->n_pats; i++) {
    const ir_value *v = ir_op_operand(op, i);
    if (!v || strcmp(r->names[i], "sequence_lengths") == 0 || v->type.et == IR_ET_DYNAMIC)
      continue;
    if (et == IR_ET_DYNAMIC) {
      et = v->type.et;
      first = i;
    } else if (v->type.et != et) {
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL,
                    "input %u (%s) has element type %s, input %u (%s) has %s", i, r->names[i],
                    ir_etype_name(v->type.et), first, r->names[first], ir_etype_name(et));
    }
  }
  *out = et;
  return OVCC_OK;
}

static ovcc_status rnn_shape(ir_op *op, const rnn_desc *r, ir_diag *d) {
  int64_t hs = ir_op_attr_int(op, "hidden_size", -1);
  if (hs <= 0 || hs > IR_MAX_DIM)
    return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "hidden_size %" PRId64 " must be positive", hs);
  int64_t dirs = 1;
  if (r->seq) {
    const char *dir = ir_op_attr_str(op, "direction", "forward");
    if (strcmp(dir, "bidirectional") == 0)
      dirs = 2;
    else if (strcmp(dir, "forward") != 0 && strcmp(dir, "reverse") != 0)
      return IR_ERR(d, OVCC_ERR_INVALID_MODEL, "direction '%s' is not forward, reverse or bidirectional",
                    dir);
  }
  int bias_gates = r->gates;
  if (r->gates == 3 && ir_op_attr_bool(op, "linear_before_reset", false))
    bias_gates = 4;
  ir_dim sym[SYM_COUNT];
  for (int i = 0; i < SYM_COUNT; i++)
    sym[i] = ir_dim_dynamic();
  sym[SYM_H] = ir_dim_static(hs);
  sym[SYM_D] = ir_dim_static(dirs);
  sym[SYM_G] = ir_dim_static(hs * r->gates);
  sym[SYM_BIAS] = ir_dim_static(hs * bias_gates);
  sym[SYM_P] = ir_dim_static(hs * 3);
  for (uint32_t i = 0; i < op->n_operands && i < r->n_pats; i++)
    if (ir_op_operand(op, i))
      IR_TRY(bind_input(op, r, i, sym, d));
  ir_etype et = IR_ET_DYNAMIC;
  IR_TRY(data_etype(op, r, &et, d));
  ir_shape hshape = ir_shape_dynamic_of_rank(r->seq ? 3 : 2);
  hshape.d[0] = sym[SYM_B];
  if (r->seq) {
    hshape.d[1] = sym[SYM_D];
    hshape.d[2] = sym[SYM_H];
  } else {
    hshape.d[1] = sym[SYM_H];
  }
  uint32_t o = 0;
  if (r->seq) {
    ir_shape y = ir_shape_dynamic_of_rank(4);
    y.d[0] = sym[SYM_B];
    y.d[1] = sym[SYM_D];
    y.d[2] = sym[SYM_T];
    y.d[3] = sym[SYM_H];
    op->results[o++].type = (ir_type){et, y};
  }
  for (int k = 0; k < r->n_outputs && o < op->n_results; k++)
    op->results[o++].type = (ir_type){et, hshape};
  return OVCC_OK;
}

#define N_OF(a) (uint32_t)(sizeof(a) / sizeof((a)[0]))

ovcc_status ir_shape_lstm_cell(ir_op *op, ir_diag *d) {
  static const rnn_desc r = {4, false, 2, LSTM_CELL_NAMES, LSTM_CELL_PATS, N_OF(LSTM_CELL_PATS)};
  return rnn_shape(op, &r, d);
}

ovcc_status ir_shape_lstm_sequence(ir_op *op, ir_diag *d) {
  static const rnn_desc r = {4, true, 2, LSTM_SEQ_NAMES, LSTM_SEQ_PATS, N_OF(LSTM_SEQ_PATS)};
  return rnn_shape(op, &r, d);
}

ovcc_status ir_shape_gru_cell(ir_op *op, ir_diag *d) {
  static const rnn_desc r = {3, false, 1, CELL_NAMES, CELL_PATS, N_OF(CELL_PATS)};
  return rnn_shape(op, &r, d);
}

ovcc_status ir_shape_gru_sequence(ir_op *op, ir_diag *d) {
  static const rnn_desc r = {3, true, 1, SEQ_NAMES, SEQ_PATS, N_OF(SEQ_PATS)};
  return rnn_shape(op, &r, d);
}

ovcc_status ir_shape_rnn_cell(ir_op *op, ir_diag *d) {
  static const rnn_desc r = {1, false, 1, CELL_NAMES, CELL_PATS, N_OF(CELL_PATS)};
  return rnn_shape(op, &r, d);
}

ovcc_status ir_shape_rnn_sequence(ir_op *op, ir_diag *d) {
  static const rnn_desc r = {1, true, 1, SEQ_NAMES, SEQ_PATS, N_OF(SEQ_PATS)};
  return rnn_shape(op, &r, d);
}
