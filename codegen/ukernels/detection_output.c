/* DetectionOutput ukernel (v1 and v8), following OpenVINO's CPU plugin
 * (intel_cpu/nodes/detection_output.cpp) step for step so that selections,
 * tie-breaks and output order match it:
 *   - caffe style: per class, priors with conf > threshold, the top_k of them
 *     (conf descending, prior index ascending), greedy NMS in that order;
 *   - MXNet style (decrease_label_id): per prior the best non-background class
 *     with conf >= threshold, top_k over the image, NMS per class;
 *   - then keep_top_k over the image (conf descending, prior index ascending),
 *     rows written image by image, class by class, and a -1 image id after the
 *     last row when the output has room.
 * Boxes are decoded on demand (the same float operations each time) instead
 * of for every prior, so scratch is O(classes * top_k), in stack arrays sized
 * by UK_DO_SCRATCH_KMAX (the lowering bounds it). */
#include "uk.h"

typedef struct detout {
  const void *loc, *conf, *priors, *arm_conf, *arm_loc; /* f32 or f16 */
  bool loc16, conf16, priors16, arm_conf16, arm_loc16, out16;
  const int64_t *p;
  float nms, conf_thr, objectness;
  int64_t P, C, loc_classes, prior_size, coord_off;
  float img_w, img_h;
} detout;

typedef struct box {
  float c[4];
  float size;
} box;

/* The reordered confidence of (class c, prior pr) of image n: objectness
 * (arm_conf) below its threshold turns a prior into background. */
static float conf_of(const detout *d, int64_t n, int64_t c, int64_t pr) {
  if (d->p[UK_DO_WITH_ARM] && uk_ldf(d->arm_conf, n * d->P * 2 + pr * 2 + 1, d->arm_conf16) < d->objectness)
    return c == d->p[UK_DO_BACKGROUND] ? 1.0f : 0.0f;
  return uk_ldf(d->conf, n * d->P * d->C + pr * d->C + c, d->conf16);
}

/* decodeBBoxes for one prior: `prior` holds xmin, ymin, xmax, ymax. */
static box decode_one(const detout *d, const float prior[4], const float loc[4],
                      const float var[4]) {
  float pxmin = prior[0], pymin = prior[1], pxmax = prior[2], pymax = prior[3];
  if (!d->p[UK_DO_NORMALIZED]) {
    pxmin /= d->img_w;
    pymin /= d->img_h;
    pxmax /= d->img_w;
    pymax /= d->img_h;
  }
  bool vt = d->p[UK_DO_VAR_IN_TARGET] != 0;
  box b;
  if (!d->p[UK_DO_CENTER_SIZE]) {
    b.c[0] = vt ? pxmin + loc[0] : pxmin + var[0] * loc[0];
    b.c[1] = vt ? pymin + loc[1] : pymin + var[1] * loc[1];
    b.c[2] = vt ? pxmax + loc[2] : pxmax + var[2] * loc[2];
    b.c[3] = vt ? pymax + loc[3] : pymax + var[3] * loc[3];
  } else {
    float pw = pxmax - pxmin, ph = pymax - pymin;
    float pcx = (pxmin + pxmax) / 2.0f, pcy = (pymin + pymax) / 2.0f;
    float cx, cy, w, h;
    if (vt) {
      cx = loc[0] * pw + pcx;
      cy = loc[1] * ph + pcy;
      w = expf(loc[2]) * pw;
      h = expf(loc[3]) * ph;
    } else {
      cx = var[0] * loc[0] * pw + pcx;
      cy = var[1] * loc[1] * ph + pcy;
      w = expf(var[2] * loc[2]) * pw;
      h = expf(var[3] * loc[3]) * ph;
    }
    b.c[0] = cx - w / 2.0f;
    b.c[1] = cy - h / 2.0f;
    b.c[2] = cx + w / 2.0f;
    b.c[3] = cy + h / 2.0f;
  }
  if (d->p[UK_DO_CLIP_BEFORE])
    for (int i = 0; i < 4; i++)
      b.c[i] = uk_clip01(b.c[i]);
  b.size = (b.c[2] - b.c[0]) * (b.c[3] - b.c[1]);
  return b;
}

/* Element offsets of image n's priors and variances in the priors input. */
static int64_t image_priors(const detout *d, int64_t n, int64_t *var) {
  int64_t pp = 0, per = d->P * d->prior_size;
  *var = per;
  if (d->p[UK_DO_PRIORS_PER_IMG]) {
    int64_t off = d->p[UK_DO_VAR_IN_TARGET] ? n * per : 2 * n * per;
    pp += off;
    *var += d->p[UK_DO_VAR_IN_TARGET] ? 0 : off;
  }
  return pp;
}

static void load4(const void *src, int64_t at, bool f16, float *dst) {
  for (int i = 0; i < 4; i++)
    dst[i] = uk_ldf(src, at + i, f16);
}

/* The decoded box of prior pr for location class c of image n (c is ignored
 * with shared locations). With the refinement (ARM) input the prior is first
 * decoded with arm_loc, then that box with loc, as the plugin does. */
static box decode(const detout *d, int64_t n, int64_t c, int64_t pr) {
  int64_t lc = d->p[UK_DO_SHARE_LOC] ? 0 : c;
  int64_t at = n * 4 * d->loc_classes * d->P + lc * 4 + 4 * pr * d->loc_classes;
  int64_t var_at, pp = image_priors(d, n, &var_at);
  float prior[4], loc[4], var[4] = {0, 0, 0, 0};
  load4(d->priors, pp + pr * d->prior_size + d->coord_off, d->priors16, prior);
  load4(d->loc, at, d->loc16, loc);
  /* the plugin reads variances even when they are encoded in the target
   * (and then unused); read them only when they exist */
  if (!d->p[UK_DO_VAR_IN_TARGET])
    load4(d->priors, var_at + pr * 4, d->priors16, var);
  if (!d->p[UK_DO_WITH_ARM])
    return decode_one(d, prior, loc, var);
  float arm_loc[4];
  load4(d->arm_loc, at, d->arm_loc16, arm_loc);
  box first = decode_one(d, prior, arm_loc, var);
  return decode_one(d, first.c, loc, var);
}

/* Priors of image n that count: all, or (not normalized) those before the
 * first one whose image id is -1. */
static int64_t actual_priors(const detout *d, int64_t n) {
  if (d->p[UK_DO_NORMALIZED])
    return d->P;
  int64_t var_at, pp = image_priors(d, d->p[UK_DO_PRIORS_PER_IMG] ? n : 0, &var_at);
  for (int64_t i = 0; i < d->P; i++)
    if (uk_ldf(d->priors, pp + i * d->prior_size, d->priors16) == -1.0f)
      return i;
  return d->P;
}

static float jaccard(const box *a, const box *b) {
  if (b->c[0] > a->c[2] || b->c[2] < a->c[0] || b->c[1] > a->c[3] || b->c[3] < a->c[1])
    return 0.0f;
  float iw = uk_min(a->c[2], b->c[2]) - uk_max(a->c[0], b->c[0]);
  float ih = uk_min(a->c[3], b->c[3]) - uk_max(a->c[1], b->c[1]);
  if (iw <= 0 || ih <= 0)
    return 0.0f;
  float inter = iw * ih;
  return inter / (a->size + b->size - inter);
}

/* ---- bounded top-k of candidate ids by (score descending, id ascending) ---- */

typedef struct cand_heap {
  int64_t *id;
  float *score;
  int64_t n, cap; /* root: the candidate ranking last */
} cand_heap;

static bool ranks_before(float sa, int64_t a, float sb, int64_t b) {
  return sa > sb || (sa == sb && a < b);
}

static void heap_sift(cand_heap *h, int64_t i, int64_t n) {
  int64_t id = h->id[i];
  float s = h->score[i];
  for (;;) {
    int64_t c = 2 * i + 1;
    if (c >= n)
      break;
    if (c + 1 < n && ranks_before(h->score[c], h->id[c], h->score[c + 1], h->id[c + 1]))
      c++;
    if (!ranks_before(s, id, h->score[c], h->id[c]))
      break;
    h->id[i] = h->id[c];
    h->score[i] = h->score[c];
    i = c;
  }
  h->id[i] = id;
  h->score[i] = s;
}

static void heap_offer(cand_heap *h, int64_t id, float s) {
  if (h->cap == 0)
    return;
  if (h->n < h->cap) {
    /* sift up */
    int64_t i = h->n++;
    while (i > 0) {
      int64_t parent = (i - 1) / 2;
      if (!ranks_before(h->score[parent], h->id[parent], s, id))
        break;
      h->id[i] = h->id[parent];
      h->score[i] = h->score[parent];
      i = parent;
    }
    h->id[i] = id;
    h->score[i] = s;
  } else if (ranks_before(s, id, h->score[0], h->id[0])) {
    h->id[0] = id;
    h->score[0] = s;
    heap_sift(h, 0, h->n);
  }
}

/* Leaves id[0..n) best first. */
static void heap_sort(cand_heap *h) {
  for (int64_t m = h->n - 1; m > 0; m--) {
    int64_t id = h->id[0];
    float s = h->score[0];
    h->id[0] = h->id[m];
    h->score[0] = h->score[m];
    h->id[m] = id;
    h->score[m] = s;
    heap_sift(h, 0, m);
  }
}

/* ---- one image ---- */

typedef struct image_state {
  int64_t *keep; /* [C][kmax] kept priors per class, in order */
  int64_t *count; /* [C] */
  box *boxes;    /* [kmax] decoded candidates */
  int64_t *kept; /* [kmax] candidate positions kept by the current NMS */
} image_state;

/* Greedy NMS over candidates cand[0..n) of class c (ids are priors). */
static void nms_class(const detout *d, int64_t n_img, int64_t c, const cand_heap *h,
                      image_state *st, int64_t kmax) {
  int64_t nk = 0;
  for (int64_t i = 0; i < h->n; i++) {
    st->boxes[i] = decode(d, n_img, c, h->id[i]);
    bool keep = true;
    for (int64_t j = 0; j < nk && keep; j++)
      keep = !(jaccard(&st->boxes[i], &st->boxes[st->kept[j]]) > d->nms);
    if (keep)
      st->kept[nk++] = i;
  }
  for (int64_t j = 0; j < nk; j++)
    st->keep[c * kmax + j] = h->id[st->kept[j]];
  st->count[c] = nk;
}

static void caffe_style(const detout *d, int64_t n, image_state *st, cand_heap *h, int64_t kmax) {
  int64_t np = actual_priors(d, n), top_k = d->p[UK_DO_TOP_K];
  for (int64_t c = 0; c < d->C; c++) {
    st->count[c] = 0;
    if (c == d->p[UK_DO_BACKGROUND])
      continue;
    h->n = 0;
    h->cap = top_k < 0 ? kmax : (top_k < kmax ? top_k : kmax);
    for (int64_t pr = 0; pr < np; pr++) {
      float s = conf_of(d, n, c, pr);
      if (s > d->conf_thr)
        heap_offer(h, pr, s);
    }
    heap_sort(h);
    nms_class(d, n, c, h, st, kmax);
  }
}

static void mxnet_style(const detout *d, int64_t n, image_state *st, cand_heap *h, int64_t kmax) {
  int64_t np = actual_priors(d, n), top_k = d->p[UK_DO_TOP_K];
  h->n = 0;
  h->cap = top_k < 0 ? kmax : (top_k < kmax ? top_k : kmax);
  for (int64_t pr = 0; pr < np; pr++) {
    float best = -1.0f;
    int64_t best_c = 0;
    for (int64_t c = 1; c < d->C; c++) {
      float s = conf_of(d, n, c, pr);
      if (s >= d->conf_thr && s > best) {
        best = s;
        best_c = c;
      }
    }
    if (best_c > 0)
      heap_offer(h, best_c * d->P + pr, best);
  }
  heap_sort(h);
  for (int64_t c = 0; c < d->C; c++)
    st->count[c] = 0;
  for (int64_t i = 0; i < h->n; i++) {
    int64_t c = h->id[i] / d->P, pr = h->id[i] % d->P;
    st->boxes[i] = decode(d, n, c, pr);
    bool keep = true;
    /* kept candidates of class c, by their candidate positions */
    for (int64_t j = 0; j < st->count[c] && keep; j++)
      keep = !(jaccard(&st->boxes[i], &st->boxes[st->keep[c * kmax + j]]) > d->nms);
    if (keep)
      st->keep[c * kmax + st->count[c]++] = i;
  }
  for (int64_t c = 0; c < d->C; c++)
    for (int64_t j = 0; j < st->count[c]; j++)
      st->keep[c * kmax + j] = h->id[st->keep[c * kmax + j]] % d->P;
}

/* keep_top_k over the image: the best detections by (conf descending, prior
 * ascending, class ascending), then per class in that order. sel holds
 * keep_top_k entries encoded as c * kmax + position. */
static void keep_top_k(const detout *d, int64_t n, image_state *st, int64_t kmax, int64_t *sel_id,
                       float *sel_score, int64_t *sel_prior) {
  int64_t ktk = d->p[UK_DO_KEEP_TOP_K], total = 0;
  for (int64_t c = 0; c < d->C; c++)
    total += st->count[c];
  if (ktk < 0 || total <= ktk)
    return;
  /* ranks by prior then class: id = (prior * C + c), the score alongside */
  cand_heap h = {sel_id, sel_score, 0, ktk};
  for (int64_t c = 0; c < d->C; c++)
    for (int64_t j = 0; j < st->count[c]; j++) {
      int64_t pr = st->keep[c * kmax + j];
      heap_offer(&h, pr * d->C + c, conf_of(d, n, c, pr));
    }
  heap_sort(&h);
  for (int64_t i = 0; i < h.n; i++)
    sel_prior[i] = h.id[i];
  for (int64_t c = 0; c < d->C; c++) {
    st->count[c] = 0;
    for (int64_t i = 0; i < h.n; i++)
      if (sel_prior[i] % d->C == c)
        st->keep[c * kmax + st->count[c]++] = sel_prior[i] / d->C;
  }
}

static int64_t write_rows(const detout *d, int64_t n, const image_state *st, int64_t kmax,
                          void *out, int64_t row) {
  int64_t rows = d->p[UK_DO_RESULTS];
  for (int64_t c = 0; c < d->C; c++)
    for (int64_t j = 0; j < st->count[c] && row < rows; j++, row++) {
      int64_t pr = st->keep[c * kmax + j];
      box b = decode(d, n, c, pr);
      float o[7] = {(float)n, (float)(d->p[UK_DO_DECREASE_LABEL] ? c - 1 : c),
                    conf_of(d, n, c, pr)};
      for (int i = 0; i < 4; i++)
        o[3 + i] = d->p[UK_DO_CLIP_AFTER] ? uk_clip01(b.c[i]) : b.c[i];
      for (int i = 0; i < 7; i++)
        uk_stf(out, row * 7 + i, o[i], d->out16);
    }
  return row;
}

UK_EXPORT void ovcc_uk_detection_output(const void *loc, const void *conf, const void *priors,
                                        const void *arm_conf, const void *arm_loc, void *out,
                                        const int64_t *p, const float *fp, int64_t begin,
                                        int64_t end) {
  if (begin >= end)
    return;
  int64_t f16 = p[UK_DO_F16];
  detout d = {loc, conf, priors, arm_conf, arm_loc, f16 & 1, f16 >> 1 & 1, f16 >> 2 & 1,
              f16 >> 3 & 1, f16 >> 4 & 1, f16 >> 5 & 1, p, fp[UK_DO_NMS_THRESHOLD],
              fp[UK_DO_CONF_THRESHOLD], fp[UK_DO_OBJECTNESS], p[UK_DO_PRIORS], p[UK_DO_CLASSES],
              p[UK_DO_SHARE_LOC] ? 1 : p[UK_DO_CLASSES], p[UK_DO_NORMALIZED] ? 4 : 5,
              p[UK_DO_NORMALIZED] ? 0 : 1, (float)p[UK_DO_INPUT_W], (float)p[UK_DO_INPUT_H]};
  int64_t kmax = p[UK_DO_SCRATCH_KMAX], C = d.C;
  int64_t ktk = p[UK_DO_KEEP_TOP_K] > 0 ? p[UK_DO_KEEP_TOP_K] : 1;
  int64_t keep[C * kmax], count[C], kept[kmax], cand_id[kmax], sel_id[ktk], sel_prior[ktk];
  float cand_score[kmax], sel_score[ktk];
  box boxes[kmax];
  image_state st = {keep, count, boxes, kept};
  cand_heap h = {cand_id, cand_score, 0, kmax};
  int64_t rows = p[UK_DO_RESULTS];
  for (int64_t i = 0; i < rows * 7; i++)
    uk_stf(out, i, 0.0f, d.out16);
  int64_t row = 0;
  for (int64_t n = 0; n < p[UK_DO_IMAGES]; n++) {
    if (p[UK_DO_DECREASE_LABEL])
      mxnet_style(&d, n, &st, &h, kmax);
    else
      caffe_style(&d, n, &st, &h, kmax);
    keep_top_k(&d, n, &st, kmax, sel_id, sel_score, sel_prior);
    row = write_rows(&d, n, &st, kmax, out, row);
  }
  if (row < rows)
    uk_stf(out, row * 7, -1.0f, d.out16);
}
