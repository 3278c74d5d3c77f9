/* Recurrent cells and sequences: RNN, LSTM (with LSTMCell-1/LSTMSequence-1
 * peepholes and coupled input-forget gates) and GRU (both reset placements).
 *
 * One work item is one batch row in one direction: per step, every gate row
 * is a dot product of a weight row with x_t and one with h_{t-1}, then the
 * elementwise gate math. The weights are read in place (row-major rows are
 * what a dot product wants) and the dot products are vectorized with
 * reassociation allowed, as any GEMM orders its sums.
 *
 * Sequence lengths follow OpenVINO's CPU plugin (its ConvertSequenceTo-
 * TensorIterator masking): with len = seq_len[b], the steps t < len run (in
 * reverse, len-1 down to 0), Y is zero at t >= len, and Ho/Co hold the state
 * after the last step only when 1 <= len <= T; otherwise they are zero. */
#include "uk.h"
#include "uk_rnn.h"

typedef struct rnn_cfg {
  int64_t kind, batch, steps, input, hidden, dirs, direction;
  bool lbr, input_forget;
  int64_t act_f, act_g, act_h;
  float clip;
} rnn_cfg;

/* One direction's weights: w [G, I], r [G, H], b [Gb] (NULL: zeros), p [3H] (NULL: none). */
typedef struct rnn_weights {
  const float *w, *r, *b, *p;
} rnn_weights;

static float uk_tanh(float v) {
  /* 1 - 2 / (e^2v + 1): exact limits at +-inf (expf overflows to inf, or
   * underflows to 0), absolute error ~1 ulp of 1 near 0. */
  return 1.0f - 2.0f / (expf(2.0f * v) + 1.0f);
}

static float activate(int64_t act, float v) {
  switch (act) {
  case UK_RNN_SIGMOID:
    return 1.0f / (1.0f + expf(-v));
  case UK_RNN_TANH:
    return uk_tanh(v);
  default:
    return v > 0.0f ? v : 0.0f;
  }
}

/* The gate pre-activation, clipped to [-clip, clip] when clip > 0. */
static inline float clipped(const rnn_cfg *c, float v) {
  return c->clip > 0.0f ? uk_min(uk_max(v, -c->clip), c->clip) : v;
}

static float dot(const float *a, const float *v, int64_t n) {
  float s = 0.0f;
#pragma clang loop vectorize(enable) interleave(enable)
  for (int64_t i = 0; i < n; i++)
    s += a[i] * v[i];
  return s;
}

static inline float bias(const rnn_weights *w, int64_t row) { return w->b ? w->b[row] : 0.0f; }

/* g[j] = x.W[row0 + j] + (h.R[row0 + j] + b[row0 + j]) for j < rows. */
static void gate_rows(const rnn_cfg *c, const rnn_weights *w, const float *x, const float *h,
                      int64_t row0, int64_t rows, float *g) {
  for (int64_t j = 0; j < rows; j++) {
    int64_t row = row0 + j;
    g[j] = dot(w->w + row * c->input, x, c->input) +
           (dot(w->r + row * c->hidden, h, c->hidden) + bias(w, row));
  }
}

/* Ht = f(Xt W^T + Ht-1 R^T + B). */
static void rnn_step(const rnn_cfg *c, const rnn_weights *w, const float *x, float *h, float *g) {
  gate_rows(c, w, x, h, 0, c->hidden, g);
  for (int64_t j = 0; j < c->hidden; j++)
    h[j] = activate(c->act_f, clipped(c, g[j]));
}

/* Gates f, i, c, o (rows in that order); peepholes p = [pf, pi, po]:
 *   f = f(. + pf * Ct-1), i = f(. + pi * Ct-1) or 1 - f, c~ = g(.),
 *   Ct = f * Ct-1 + i * c~, o = f(. + po * Ct), Ht = o * h(Ct). */
static void lstm_step(const rnn_cfg *c, const rnn_weights *w, const float *x, float *h,
                      float *cs, float *g) {
  int64_t n = c->hidden;
  gate_rows(c, w, x, h, 0, 4 * n, g);
  const float *p = w->p;
  for (int64_t j = 0; j < n; j++) {
    float ct_1 = cs[j];
    float f = activate(c->act_f, clipped(c, p ? g[j] + p[j] * ct_1 : g[j]));
    float i = c->input_forget
                  ? 1.0f - f
                  : activate(c->act_f, clipped(c, p ? g[n + j] + p[n + j] * ct_1 : g[n + j]));
    float cand = activate(c->act_g, clipped(c, g[2 * n + j]));
    float ct = f * ct_1 + i * cand;
    float o = activate(c->act_f, clipped(c, p ? g[3 * n + j] + p[2 * n + j] * ct : g[3 * n + j]));
    cs[j] = ct;
    h[j] = o * activate(c->act_h, ct);
  }
}

/* Gates z, r, h~ (rows in that order):
 *   z = f(.), r = f(.), Ht = (1 - z) * h~ + z * Ht-1 with
 *   h~ = g(Xt Wh^T + (r * Ht-1) Rh^T + Bh)                    (linear_before_reset false)
 *   h~ = g(Xt Wh^T + r * (Ht-1 Rh^T + Rbh) + Wbh)             (true; Bh = [Wbh, Rbh]). */
static void gru_step(const rnn_cfg *c, const rnn_weights *w, const float *x, float *h, float *g,
                     float *rh) {
  int64_t n = c->hidden;
  gate_rows(c, w, x, h, 0, 2 * n, g);
  for (int64_t j = 0; j < 2 * n; j++)
    g[j] = activate(c->act_f, clipped(c, g[j]));
  const float *z = g, *r = g + n;
  float *cand = g + 2 * n;
  const float *wh = w->w + 2 * n * c->input, *rh_w = w->r + 2 * n * n;
  if (c->lbr) {
    for (int64_t j = 0; j < n; j++) {
      float hr = dot(rh_w + j * n, h, n) + bias(w, 3 * n + j);
      cand[j] = dot(wh + j * c->input, x, c->input) + r[j] * hr + bias(w, 2 * n + j);
    }
  } else {
    for (int64_t j = 0; j < n; j++)
      rh[j] = r[j] * h[j];
    for (int64_t j = 0; j < n; j++)
      cand[j] = dot(wh + j * c->input, x, c->input) +
                (dot(rh_w + j * n, rh, n) + bias(w, 2 * n + j));
  }
  for (int64_t j = 0; j < n; j++) {
    float hh = activate(c->act_g, clipped(c, cand[j]));
    h[j] = (1.0f - z[j]) * hh + z[j] * h[j];
  }
}

static int64_t gate_count(int64_t kind) {
  return kind == UK_RNN_LSTM ? 4 : kind == UK_RNN_GRU ? 3 : 1;
}

static rnn_cfg read_cfg(const int64_t *p, const float *fp) {
  rnn_cfg c = {
      .kind = p[UK_RNN_KIND],
      .batch = p[UK_RNN_BATCH],
      .steps = p[UK_RNN_STEPS],
      .input = p[UK_RNN_INPUT],
      .hidden = p[UK_RNN_HIDDEN],
      .dirs = p[UK_RNN_DIRS],
      .direction = p[UK_RNN_DIRECTION],
      .lbr = p[UK_RNN_LBR] != 0,
      .input_forget = p[UK_RNN_INPUT_FORGET] != 0,
      .act_f = p[UK_RNN_ACT_F],
      .act_g = p[UK_RNN_ACT_G],
      .act_h = p[UK_RNN_ACT_H],
      .clip = fp[UK_RNN_CLIP],
  };
  return c;
}

/* seq_len[b] as an integer; a float length truncates, NaN reads as 0 and
 * values past T as T + 1 (both then give zero final states). */
static int64_t seq_length(const void *seq, int64_t type, int64_t b, int64_t steps) {
  switch (type) {
  case UK_RNN_SEQ_I32:
    return ((const int32_t *)seq)[b];
  case UK_RNN_SEQ_I64:
    return ((const int64_t *)seq)[b];
  case UK_RNN_SEQ_F32: {
    float f = ((const float *)seq)[b];
    if (!(f > -1.0f))
      return f < 0.0f ? -1 : 0;
    return f > (float)steps ? steps + 1 : (int64_t)f;
  }
  default:
    return steps;
  }
}

static void copy(float *dst, const float *src, int64_t n) {
  for (int64_t i = 0; i < n; i++)
    dst[i] = src[i];
}

static void zero(float *dst, int64_t n) {
  for (int64_t i = 0; i < n; i++)
    dst[i] = 0.0f;
}

UK_EXPORT void ovcc_uk_rnn(const float *x, const float *h0, const float *c0, const void *seq_len,
                           const float *w, const float *r, const float *b, const float *p,
                           float *y, float *ho, float *co, const int64_t *ip, const float *fp,
                           int64_t begin, int64_t end) {
  rnn_cfg c = read_cfg(ip, fp);
  int64_t n = c.hidden, steps = c.steps, gates = gate_count(c.kind);
  int64_t bias_rows = (gates + (c.kind == UK_RNN_GRU && c.lbr)) * n;
  float g[gates * n], tmp[n], h[n], cs[n];
  for (int64_t item = begin; item < end; item++) {
    int64_t d = item / c.batch, row = item % c.batch;
    bool rev = c.direction == UK_RNN_REVERSE || (c.direction == UK_RNN_BIDIRECTIONAL && d == 1);
    rnn_weights wd = {w + d * gates * n * c.input, r + d * gates * n * n,
                      b ? b + d * bias_rows : 0, p ? p + d * 3 * n : 0};
    int64_t state = (row * c.dirs + d) * n; /* offset of [row, d, :] in h0, ho, c0, co */
    int64_t len = seq_length(seq_len, ip[UK_RNN_SEQ_LEN], row, steps);
    int64_t run = len < 0 ? 0 : len > steps ? steps : len;
    copy(h, h0 + state, n);
    if (c.kind == UK_RNN_LSTM)
      copy(cs, c0 + state, n);
    float *y_rows = y ? y + (row * c.dirs + d) * steps * n : 0;
    for (int64_t s = 0; s < run; s++) {
      int64_t t = rev ? run - 1 - s : s;
      const float *xt = x + (row * steps + t) * c.input;
      if (c.kind == UK_RNN_LSTM)
        lstm_step(&c, &wd, xt, h, cs, g);
      else if (c.kind == UK_RNN_GRU)
        gru_step(&c, &wd, xt, h, g, tmp);
      else
        rnn_step(&c, &wd, xt, h, g);
      if (y_rows)
        copy(y_rows + t * n, h, n);
    }
    if (y_rows)
      zero(y_rows + run * n, (steps - run) * n);
    bool final_valid = len >= 1 && len <= steps;
    if (final_valid)
      copy(ho + state, h, n);
    else
      zero(ho + state, n);
    if (co) {
      if (final_valid)
        copy(co + state, cs, n);
      else
        zero(co + state, n);
    }
  }
}
