/* The calling convention between codegen/misc_rnn.c and the recurrent
 * ukernel codegen/ukernels/rnn.c (see uk_abi.h for the general rules: tensor
 * pointers, an int64 parameter table, a float parameter table, [begin, end)).
 *
 * ovcc_uk_rnn(x, h0, c0, seq_len, w, r, b, p, y, ho, co, ip, fp, begin, end):
 * every float tensor is f32, in the layout of the sequence ops
 *   x [B, T, I], h0/c0/ho/co [B, D, H], seq_len [B], w [D, G, I], r [D, G, H],
 *   b [D, Gb], p [D, 3H] (LSTM peepholes f, i, o), y [B, D, T, H];
 * a cell is the same with T = D = 1 (x [B, I], h [B, H], w [G, I], ...).
 * c0/co (LSTM only), seq_len, b, p and y may be NULL. work = D * B: one item
 * runs one batch row in one direction through all its steps. */
#ifndef OVCC_CODEGEN_UKERNELS_UK_RNN_H
#define OVCC_CODEGEN_UKERNELS_UK_RNN_H

enum uk_rnn_param {
  UK_RNN_KIND,         /* enum uk_rnn_kind */
  UK_RNN_BATCH,        /* B */
  UK_RNN_STEPS,        /* T (1 for a cell) */
  UK_RNN_INPUT,        /* I */
  UK_RNN_HIDDEN,       /* H, at most UK_RNN_MAX_HIDDEN */
  UK_RNN_DIRS,         /* D */
  UK_RNN_DIRECTION,    /* enum uk_rnn_direction */
  UK_RNN_LBR,          /* GRU linear_before_reset (bias has 4H rows) */
  UK_RNN_INPUT_FORGET, /* LSTM-1 coupled input and forget gates: i = 1 - f */
  UK_RNN_ACT_F,        /* enum uk_rnn_act: activations[0..2] */
  UK_RNN_ACT_G,
  UK_RNN_ACT_H,
  UK_RNN_SEQ_LEN,      /* enum uk_rnn_seq_len: seq_len's element type */
  UK_RNN_NPARAMS
};
enum uk_rnn_fparam { UK_RNN_CLIP, UK_RNN_NFPARAMS }; /* clip <= 0: none */

enum uk_rnn_kind { UK_RNN_VANILLA, UK_RNN_LSTM, UK_RNN_GRU };
enum uk_rnn_direction { UK_RNN_FORWARD, UK_RNN_REVERSE, UK_RNN_BIDIRECTIONAL };
enum uk_rnn_act { UK_RNN_SIGMOID, UK_RNN_TANH, UK_RNN_RELU };
enum uk_rnn_seq_len { UK_RNN_SEQ_NONE, UK_RNN_SEQ_I32, UK_RNN_SEQ_I64, UK_RNN_SEQ_F32 };

/* Scratch lives on the stack: (gates + 3) * H floats. */
#define UK_RNN_MAX_HIDDEN 4096

#endif
