/* TopK ukernels: for each slice along the axis, the k best elements by the
 * total order "better value first, then lower index" (OpenVINO's reference
 * comparators compare_max/compare_min), i.e. what stable=true asks for; with
 * stable=false any order of ties is allowed and this one is used too.
 *
 * No scratch: the slice's index output doubles as a bounded heap whose root is
 * the worst kept element (O(n log k)); heap-sorting it then leaves the best
 * first. The values are gathered at the end. */
#include "uk.h"

typedef struct topk_slice {
  uk_index_view ix; /* k indices, the heap while selecting */
  int64_t k;
  bool max;
} topk_slice;

#define DEFINE_TOPK(SUFFIX, T)                                                                 \
  /* a ranks before b */                                                                       \
  static inline bool better_##SUFFIX(const T *x, int64_t stride, bool max, int64_t a,          \
                                     int64_t b) {                                              \
    T va = x[a * stride], vb = x[b * stride];                                                  \
    if (va == vb)                                                                              \
      return a < b;                                                                            \
    return max ? va > vb : va < vb;                                                            \
  }                                                                                            \
  /* Orders the heap so that its root ranks last: by value, or by index. */                    \
  static inline bool heap_above_##SUFFIX(const T *x, int64_t stride, const topk_slice *s,      \
                                         bool by_index, int64_t a, int64_t b) {                \
    return by_index ? a > b : better_##SUFFIX(x, stride, s->max, b, a);                        \
  }                                                                                            \
  static void sift_down_##SUFFIX(const T *x, int64_t stride, const topk_slice *s, bool by_ix,  \
                                 int64_t i, int64_t n) {                                       \
    int64_t v = uk_ix_get(s->ix, i);                                                           \
    for (;;) {                                                                                 \
      int64_t c = 2 * i + 1;                                                                   \
      if (c >= n)                                                                              \
        break;                                                                                 \
      int64_t cv = uk_ix_get(s->ix, c);                                                        \
      if (c + 1 < n) {                                                                         \
        int64_t rv = uk_ix_get(s->ix, c + 1);                                                  \
        if (heap_above_##SUFFIX(x, stride, s, by_ix, rv, cv)) {                                \
          c++;                                                                                 \
          cv = rv;                                                                             \
        }                                                                                      \
      }                                                                                        \
      if (!heap_above_##SUFFIX(x, stride, s, by_ix, cv, v))                                    \
        break;                                                                                 \
      uk_ix_set(s->ix, i, cv);                                                                 \
      i = c;                                                                                   \
    }                                                                                          \
    uk_ix_set(s->ix, i, v);                                                                    \
  }                                                                                            \
  /* Heap-sorts the k indices; the root (ranking last) goes to the end each time. */           \
  static void heap_sort_##SUFFIX(const T *x, int64_t stride, const topk_slice *s, bool by_ix) { \
    for (int64_t i = s->k / 2 - 1; i >= 0; i--)                                                \
      sift_down_##SUFFIX(x, stride, s, by_ix, i, s->k);                                        \
    for (int64_t n = s->k - 1; n > 0; n--) {                                                   \
      int64_t root = uk_ix_get(s->ix, 0);                                                      \
      uk_ix_set(s->ix, 0, uk_ix_get(s->ix, n));                                                \
      uk_ix_set(s->ix, n, root);                                                               \
      sift_down_##SUFFIX(x, stride, s, by_ix, 0, n);                                           \
    }                                                                                          \
  }                                                                                            \
  static void select_##SUFFIX(const T *x, int64_t n, int64_t stride, const topk_slice *s) {    \
    for (int64_t i = 0; i < s->k; i++)                                                         \
      uk_ix_set(s->ix, i, i);                                                                  \
    for (int64_t i = s->k / 2 - 1; i >= 0; i--)                                                \
      sift_down_##SUFFIX(x, stride, s, false, i, s->k);                                        \
    for (int64_t i = s->k; i < n; i++)                                                         \
      if (better_##SUFFIX(x, stride, s->max, i, uk_ix_get(s->ix, 0))) {                        \
        uk_ix_set(s->ix, 0, i);                                                                \
        sift_down_##SUFFIX(x, stride, s, false, 0, s->k);                                      \
      }                                                                                        \
  }                                                                                            \
  UK_EXPORT void ovcc_uk_topk_##SUFFIX(const T *in, T *values, void *indices, const int64_t *p, \
                                       int64_t begin, int64_t end) {                           \
    int64_t n = p[UK_TOPK_AXIS_LEN], inner = p[UK_TOPK_INNER], k = p[UK_TOPK_K];               \
    bool wide = p[UK_TOPK_INDEX_I64] != 0;                                                     \
    for (int64_t sl = begin; sl < end; sl++) {                                                 \
      int64_t outer = sl / inner, col = sl % inner;                                            \
      const T *x = in + outer * n * inner + col;                                               \
      int64_t out0 = outer * k * inner + col;                                                  \
      char *ixbase = (char *)indices + out0 * (wide ? 8 : 4);                                  \
      topk_slice s = {{ixbase, inner, wide}, k, p[UK_TOPK_MODE_MAX] != 0};                     \
      if (k <= 0)                                                                              \
        continue;                                                                              \
      select_##SUFFIX(x, n, inner, &s);                                                        \
      /* sort=none keeps OpenVINO CPU's order, which is by value as well */                    \
      heap_sort_##SUFFIX(x, inner, &s, p[UK_TOPK_SORT] == UK_TOPK_SORT_INDEX);                 \
      for (int64_t i = 0; i < k; i++)                                                          \
        values[out0 + i * inner] = x[uk_ix_get(s.ix, i) * inner];                              \
    }                                                                                          \
  }

DEFINE_TOPK(f32, float)
DEFINE_TOPK(i32, int32_t)
DEFINE_TOPK(i64, int64_t)
