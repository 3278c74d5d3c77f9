/* RegionYolo-1 and ReorgYolo-2, following OpenVINO's CPU plugin
 * (intel_cpu/nodes/region_yolo.cpp, reorg_yolo.cpp). */
#include "uk.h"

/* The plugin's logistic_scalar: exp of -|x| for stability. */
static float logistic(float x) {
  bool nonneg = !(x < 0.0f) && !(x == 0.0f && __builtin_signbit(x));
  float e = expf(nonneg ? -x : x);
  float s = e / (e + 1.0f);
  return nonneg ? 1.0f - s : s;
}

/* RegionYolo: the output is the input's first elements (same layout), with
 * the logistic on x, y and objectness (and the classes without softmax) and a
 * softmax over the classes per location with do_softmax (YOLOv2).
 * work = batch * regions; item (b, r) owns one region's block. */
UK_EXPORT void ovcc_uk_region_yolo(const float *in, float *out, const int64_t *p, int64_t begin,
                                   int64_t end) {
  int64_t hw = p[UK_YOLO_H] * p[UK_YOLO_W], coords = p[UK_YOLO_COORDS];
  int64_t classes = p[UK_YOLO_CLASSES], regions = p[UK_YOLO_REGIONS];
  bool softmax = p[UK_YOLO_SOFTMAX] != 0;
  int64_t block = hw * (classes + coords + 1);
  for (int64_t item = begin; item < end; item++) {
    int64_t b = item / regions, r = item % regions;
    int64_t base = b * regions * block + r * block;
    for (int64_t i = 0; i < block; i++)
      out[base + i] = in[base + i];
    for (int64_t i = 0; i < 2 * hw; i++)
      out[base + i] = logistic(out[base + i]);
    int64_t n_obj = softmax ? hw : hw * (classes + 1);
    for (int64_t i = 0; i < n_obj; i++)
      out[base + coords * hw + i] = logistic(out[base + coords * hw + i]);
    if (!softmax)
      continue;
    const float *src = in + base + (coords + 1) * hw;
    float *dst = out + base + (coords + 1) * hw;
    for (int64_t s = 0; s < hw; s++) {
      float mx = src[s];
      for (int64_t c = 0; c < classes; c++)
        mx = uk_max(mx, src[c * hw + s]);
      float sum = 0.0f;
      for (int64_t c = 0; c < classes; c++) {
        dst[c * hw + s] = expf(src[c * hw + s] - mx);
        sum += dst[c * hw + s];
      }
      for (int64_t c = 0; c < classes; c++)
        dst[c * hw + s] /= sum;
    }
  }
}

/* ReorgYolo (darknet's reorg): out [B, C*s*s, H/s, W/s] from in [B, C, H, W],
 * the plugin's index mapping, which walks the output flat with the input
 * dims (IC, IH, IW below). work = B * IC; elements are 4 bytes. */
UK_EXPORT void ovcc_uk_reorg_yolo(const uint32_t *in, uint32_t *out, const int64_t *p,
                                  int64_t begin, int64_t end) {
  int64_t IC = p[UK_YOLO_C], IH = p[UK_YOLO_H], IW = p[UK_YOLO_W], s = p[UK_YOLO_STRIDE];
  int64_t ic_off = IC / (s * s), ih_off = IH * s, iw_off = IW * s;
  for (int64_t item = begin; item < end; item++) {
    int64_t b = item / IC, ic = item % IC;
    int64_t oc = ic % ic_off, offset = ic / ic_off;
    for (int64_t ih = 0; ih < IH; ih++)
      for (int64_t iw = 0; iw < IW; iw++) {
        int64_t ow = iw * s + offset % s, oh = ih * s + offset / s;
        out[((b * IC + ic) * IH + ih) * IW + iw] =
            in[b * ic_off * ih_off * iw_off + (oc * ih_off + oh) * iw_off + ow];
      }
  }
}
