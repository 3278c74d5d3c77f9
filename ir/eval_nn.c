/* Evaluators for constant folding and known values: the Reduce* family and
 * MatMul, on small tensors.
 *
 * Floating-point data accumulates in double and is rounded once into the
 * output type (OpenVINO's reference accumulates in the element type, so f16
 * results may differ in the last bit). Integer data accumulates in int64 with
 * wrap-around, as the reference does in the element type for i64. Cases not
 * handled return OVCC_ERR_UNSUPPORTED, which leaves the op in place. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"

/* Largest input element count / multiply-accumulate count folded here. */
#define EVAL_NN_MAX_ELEMS ((uint64_t)1 << 24)
#define EVAL_NN_MAX_MACS ((uint64_t)1 << 26)

static bool numeric(ir_etype et) {
  return ir_etype_is_float(et) || ir_etype_is_int(et) || et == IR_ET_BOOLEAN;
}

static int64_t wrap_add(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static int64_t wrap_mul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }

/* ---- Reduce* ---- */

typedef enum red_kind {
  RED_SUM,
  RED_MEAN,
  RED_MAX,
  RED_MIN,
  RED_PROD,
  RED_L1,
  RED_L2,
  RED_AND,
  RED_OR
} red_kind;

static red_kind reduce_kind(ir_op_id id) {
  switch (id) {
  case IR_OP_REDUCEMEAN_1:
    return RED_MEAN;
  case IR_OP_REDUCEMAX_1:
    return RED_MAX;
  case IR_OP_REDUCEMIN_1:
    return RED_MIN;
  case IR_OP_REDUCEPROD_1:
    return RED_PROD;
  case IR_OP_REDUCEL1_4:
    return RED_L1;
  case IR_OP_REDUCEL2_4:
    return RED_L2;
  case IR_OP_REDUCELOGICALAND_1:
    return RED_AND;
  case IR_OP_REDUCELOGICALOR_1:
    return RED_OR;
  default:
    return RED_SUM;
  }
}

static double red_init_f(red_kind k) {
  switch (k) {
  case RED_PROD:
  case RED_AND:
    return 1;
  case RED_MAX:
    return -INFINITY;
  case RED_MIN:
    return INFINITY;
  default:
    return 0;
  }
}

static int64_t red_init_i(red_kind k) {
  switch (k) {
  case RED_PROD:
  case RED_AND:
    return 1;
  case RED_MAX:
    return INT64_MIN;
  case RED_MIN:
    return INT64_MAX;
  default:
    return 0;
  }
}

static double red_step_f(red_kind k, double acc, double x) {
  switch (k) {
  case RED_MAX:
    return x > acc || isnan(x) ? x : acc;
  case RED_MIN:
    return x < acc || isnan(x) ? x : acc;
  case RED_PROD:
    return acc * x;
  case RED_L1:
    return acc + fabs(x);
  case RED_L2:
    return acc + x * x;
  case RED_AND:
    return acc != 0 && x != 0;
  case RED_OR:
    return acc != 0 || x != 0;
  default:
    return acc + x;
  }
}

static int64_t red_step_i(red_kind k, int64_t acc, int64_t x) {
  switch (k) {
  case RED_MAX:
    return x > acc ? x : acc;
  case RED_MIN:
    return x < acc ? x : acc;
  case RED_PROD:
    return wrap_mul(acc, x);
  case RED_L1:
    return wrap_add(acc, x < 0 ? (int64_t)(0 - (uint64_t)x) : x);
  case RED_L2:
    return wrap_add(acc, wrap_mul(x, x));
  case RED_AND:
    return acc != 0 && x != 0;
  case RED_OR:
    return acc != 0 || x != 0;
  default:
    return wrap_add(acc, x);
  }
}

/* Output linear index of every input element: strides over kept dims. */
static void reduce_out_strides(const ir_shape *s, const bool *red, uint64_t *ostride) {
  uint64_t st = 1;
  for (int i = s->rank - 1; i >= 0; i--) {
    ostride[i] = red[i] ? 0 : st;
    if (!red[i])
      st *= (uint64_t)s->d[i].lo;
  }
}

ovcc_status ir_eval_reduce(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  const ir_tensor *x = &in[0], *ax = &in[1];
  ir_tensor *o = &out[0];
  red_kind k = reduce_kind(op->kind);
  if (!numeric(x->et) || x->et == IR_ET_U64 || !x->data || x->numel > EVAL_NN_MAX_ELEMS ||
      x->shape.rank < 0 || ax->shape.rank > 1 || !ir_etype_is_int(ax->et))
    return OVCC_ERR_UNSUPPORTED;
  bool red[IR_MAX_RANK] = {false};
  uint64_t count = 1;
  for (uint64_t i = 0; i < ax->numel; i++) {
    int64_t a;
    if (!ir_axis_normalize(ir_elem_get_i64(ax->et, ax->data, i), x->shape.rank, &a, d))
      return d->status;
    red[a] = true;
  }
  for (int i = 0; i < x->shape.rank; i++)
    if (red[i])
      count *= (uint64_t)x->shape.d[i].lo;
  if (count == 0 && o->numel > 0 && (k == RED_MAX || k == RED_MIN || k == RED_MEAN))
    return OVCC_ERR_UNSUPPORTED; /* no identity: leave it to run time */
  bool isf = ir_etype_is_float(x->et);
  double *af = isf ? malloc(sizeof(double) * (o->numel ? o->numel : 1)) : NULL;
  int64_t *ai = isf ? NULL : malloc(sizeof(int64_t) * (o->numel ? o->numel : 1));
  if (!af && !ai)
    return IR_NOMEM(d);
  for (uint64_t j = 0; j < o->numel; j++) {
    if (isf)
      af[j] = red_init_f(k);
    else
      ai[j] = red_init_i(k);
  }
  uint64_t ostride[IR_MAX_RANK];
  int64_t idx[IR_MAX_RANK] = {0};
  reduce_out_strides(&x->shape, red, ostride);
  uint64_t oj = 0;
  for (uint64_t e = 0; e < x->numel; e++) {
    if (isf)
      af[oj] = red_step_f(k, af[oj], ir_elem_get_f64(x->et, x->data, e));
    else
      ai[oj] = red_step_i(k, ai[oj], ir_elem_get_i64(x->et, x->data, e));
    for (int i = x->shape.rank - 1; i >= 0; i--) { /* odometer step */
      oj += ostride[i];
      if (++idx[i] < x->shape.d[i].lo)
        break;
      oj -= ostride[i] * (uint64_t)idx[i];
      idx[i] = 0;
    }
  }
  for (uint64_t j = 0; j < o->numel; j++) {
    if (isf) {
      double v = af[j];
      if (k == RED_MEAN)
        v = count ? v / (double)count : NAN;
      else if (k == RED_L2)
        v = sqrt(v);
      ir_elem_set_f64(o->et, o->data, j, v);
    } else {
      int64_t v = ai[j];
      if (k == RED_MEAN)
        v = v / (int64_t)count;
      if (k == RED_L2) /* a negative sum of squares wrapped: set_f64 saturates */
        ir_elem_set_f64(o->et, o->data, j, v < 0 ? INFINITY : sqrt((double)v));
      else
        ir_elem_set_i64(o->et, o->data, j, v);
    }
  }
  free(af);
  free(ai);
  return OVCC_OK;
}

/* ---- MatMul ---- */

/* Element offset of (batch index b, row r, col c) in a [batch..., R, C]
 * operand whose batch dims broadcast into the output's. */
typedef struct mm_operand {
  const ir_tensor *t;
  int64_t rows, cols; /* after the 1-D promotion, before the transpose */
  bool trans;
  uint64_t bstride[IR_MAX_RANK]; /* per output batch dim; 0 where broadcast */
} mm_operand;

static void mm_setup(mm_operand *m, const ir_tensor *t, bool trans, bool is_a, const ir_shape *ob,
                     int nb) {
  const ir_shape *s = &t->shape;
  m->t = t;
  m->trans = s->rank > 1 && trans;
  if (s->rank == 1) {
    m->rows = is_a ? 1 : s->d[0].lo;
    m->cols = is_a ? s->d[0].lo : 1;
  } else {
    m->rows = s->d[s->rank - 2].lo;
    m->cols = s->d[s->rank - 1].lo;
  }
  int tb = s->rank > 2 ? s->rank - 2 : 0;
  uint64_t st = (uint64_t)m->rows * (uint64_t)m->cols;
  for (int i = nb - 1; i >= 0; i--) {
    int ti = i - (nb - tb);
    if (ti < 0 || s->d[ti].lo == 1) {
      m->bstride[i] = 0;
    } else {
      m->bstride[i] = st;
    }
    if (ti >= 0)
      st *= (uint64_t)s->d[ti].lo;
  }
  (void)ob;
}

static uint64_t mm_off(const mm_operand *m, uint64_t base, int64_t r, int64_t c) {
  /* r, c index the logical (transposed) matrix */
  return m->trans ? base + (uint64_t)c * (uint64_t)m->cols + (uint64_t)r
                  : base + (uint64_t)r * (uint64_t)m->cols + (uint64_t)c;
}

ovcc_status ir_eval_matmul(ir_op *op, const ir_tensor *in, ir_tensor *out, ir_diag *d) {
  const ir_tensor *a = &in[0], *b = &in[1];
  ir_tensor *o = &out[0];
  if (!numeric(a->et) || a->et != b->et || a->et == IR_ET_U64 || a->et == IR_ET_BOOLEAN ||
      !a->data || !b->data || a->shape.rank < 1 || b->shape.rank < 1)
    return OVCC_ERR_UNSUPPORTED;
  /* output batch dims = output shape minus the matrix dims present */
  int nmat = (a->shape.rank > 1) + (b->shape.rank > 1);
  int nb = o->shape.rank - nmat;
  if (nb < 0)
    return OVCC_ERR_UNSUPPORTED;
  mm_operand ma, mb;
  mm_setup(&ma, a, ir_op_attr_bool(op, "transpose_a", false), true, &o->shape, nb);
  mm_setup(&mb, b, ir_op_attr_bool(op, "transpose_b", false), false, &o->shape, nb);
  int64_t M = ma.trans ? ma.cols : ma.rows, K = ma.trans ? ma.rows : ma.cols;
  int64_t Kb = mb.trans ? mb.cols : mb.rows, N = mb.trans ? mb.rows : mb.cols;
  if (K != Kb)
    return OVCC_ERR_UNSUPPORTED;
  uint64_t macs;
  if (__builtin_mul_overflow(o->numel, (uint64_t)K, &macs) || macs > EVAL_NN_MAX_MACS)
    return OVCC_ERR_UNSUPPORTED;
  bool isf = ir_etype_is_float(a->et);
  int64_t bi[IR_MAX_RANK] = {0};
  uint64_t obase = 0, abase = 0, bbase = 0, mn = (uint64_t)M * (uint64_t)N;
  uint64_t nbatch = mn ? o->numel / mn : 0;
  for (uint64_t bt = 0; bt < nbatch; bt++) {
    for (int64_t r = 0; r < M; r++)
      for (int64_t c = 0; c < N; c++) {
        double sf = 0;
        int64_t si = 0;
        for (int64_t kk = 0; kk < K; kk++) {
          uint64_t ia = mm_off(&ma, abase, r, kk), ib = mm_off(&mb, bbase, kk, c);
          if (isf)
            sf += ir_elem_get_f64(a->et, a->data, ia) * ir_elem_get_f64(b->et, b->data, ib);
          else
            si = wrap_add(si, wrap_mul(ir_elem_get_i64(a->et, a->data, ia),
                                       ir_elem_get_i64(b->et, b->data, ib)));
        }
        uint64_t oi = obase + (uint64_t)r * (uint64_t)N + (uint64_t)c;
        if (isf)
          ir_elem_set_f64(o->et, o->data, oi, sf);
        else
          ir_elem_set_i64(o->et, o->data, oi, si);
      }
    obase += mn;
    for (int i = nb - 1; i >= 0; i--) { /* odometer over output batch dims */
      abase += ma.bstride[i];
      bbase += mb.bstride[i];
      if (++bi[i] < o->shape.d[i].lo)
        break;
      abase -= ma.bstride[i] * (uint64_t)bi[i];
      bbase -= mb.bstride[i] * (uint64_t)bi[i];
      bi[i] = 0;
    }
  }
  return OVCC_OK;
}
