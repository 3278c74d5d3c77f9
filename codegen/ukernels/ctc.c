/* CTC greedy decoders, as OpenVINO's CPU plugin computes them: per time step
 * the first class with the highest probability, then blanks dropped and (with
 * merging) repeats collapsed, the rest of the row filled with -1. */
#include "uk.h"

/* First index of the maximum of x[at .. at + n). */
static int64_t argmax(const void *x, int64_t at, int64_t n, bool f16) {
  int64_t best = 0;
  float v = uk_ldf(x, at, f16);
  for (int64_t c = 1; c < n; c++) {
    float xc = uk_ldf(x, at + c, f16);
    if (xc > v) {
      v = xc;
      best = c;
    }
  }
  return best;
}

/* CTCGreedyDecoder-1: data [T, N, C], mask [T, N] (a sequence ends at its
 * first 0), out [N, T, 1, 1] f32; class C-1 is the blank. work = N. */
UK_EXPORT void ovcc_uk_ctc_greedy(const void *data, const void *mask, void *out,
                                  const int64_t *p, int64_t begin, int64_t end) {
  int64_t T = p[UK_CTC_T], N = p[UK_CTC_N], C = p[UK_CTC_C];
  bool merge = p[UK_CTC_MERGE] != 0, f16 = p[UK_CTC_F16] != 0;
  for (int64_t b = begin; b < end; b++) {
    int64_t len = 0;
    while (len < T && uk_ldf(mask, len * N + b, f16) != 0.0f)
      len++;
    int64_t o = 0, prev = -1;
    for (int64_t t = 0; t < len; t++) {
      int64_t c = argmax(data, (t * N + b) * C, C, f16);
      if (c < C - 1 && !(merge && c == prev))
        uk_stf(out, b * T + o++, (float)c, f16);
      prev = c;
    }
    for (; o < T; o++)
      uk_stf(out, b * T + o, -1.0f, f16);
  }
}

/* CTCGreedyDecoderSeqLen-6: data [N, T, C], seq_len [N], optional blank
 * index (default C-1); classes [N, T] and lengths [N]. work = N. */
UK_EXPORT void ovcc_uk_ctc_greedy_seq_len(const void *data, const void *seq_len,
                                          const void *blank, void *classes, void *lengths,
                                          const int64_t *p, int64_t begin, int64_t end) {
  int64_t T = p[UK_CTC_T], C = p[UK_CTC_C];
  bool merge = p[UK_CTC_MERGE] != 0, f16 = p[UK_CTC_F16] != 0;
  uk_index_view seq = {(void *)seq_len, 1, p[UK_CTC_SEQ_I64] != 0};
  uk_index_view cls = {classes, 1, p[UK_CTC_CLASSES_I64] != 0};
  uk_index_view lens = {lengths, 1, p[UK_CTC_LENGTHS_I64] != 0};
  int64_t blank_ix = C - 1;
  if (blank)
    blank_ix = uk_ix_get((uk_index_view){(void *)blank, 1, p[UK_CTC_BLANK_I64] != 0}, 0);
  for (int64_t b = begin; b < end; b++) {
    int64_t len = uk_ix_get(seq, b);
    len = len < 0 ? 0 : (len > T ? T : len);
    int64_t o = 0, prev = -1;
    for (int64_t t = 0; t < len; t++) {
      int64_t c = argmax(data, (b * T + t) * C, C, f16);
      if (c != blank_ix && !(merge && c == prev))
        uk_ix_set(cls, b * T + o++, c);
      prev = c;
    }
    uk_ix_set(lens, b, o);
    for (; o < T; o++)
      uk_ix_set(cls, b * T + o, -1);
  }
}
