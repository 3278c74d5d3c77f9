/* DetectionOutput-1/8: one serial ukernel call (rows of each image follow
 * those of the previous ones). Shapes give the counts the way OpenVINO's CPU
 * plugin derives them: priors from the priors input, classes from conf. */
#include <stdio.h>
#include <strings.h>

#include "misc_internal.h"

/* The ukernel keeps its scratch in stack arrays; bound them. */
enum { DETOUT_MAX_SCRATCH = 4 << 20 };

typedef struct detout_shapes {
  int64_t images, priors, classes, loc_classes, prior_size, results;
  bool priors_per_img;
} detout_shapes;

static ovcc_status detout_code_type(cg_kernel *k, const ir_op *op, int64_t *center) {
  const char *ct = ir_op_attr_str(op, "code_type", "caffe.PriorBoxParameter.CORNER");
  if (!strcasecmp(ct, "caffe.PriorBoxParameter.CENTER_SIZE"))
    *center = 1;
  else if (!strcasecmp(ct, "caffe.PriorBoxParameter.CORNER"))
    *center = 0;
  else
    return CG_UNSUPPORTED(k, "code_type '%s'", ct);
  return OVCC_OK;
}

static ovcc_status detout_shapes_get(cg_kernel *k, const ir_op *op, detout_shapes *s) {
  int64_t loc[IR_MAX_RANK], conf[IR_MAX_RANK], pri[IR_MAX_RANK], out[IR_MAX_RANK];
  int rl = cg_dims(ir_op_operand(op, 0), loc), rc = cg_dims(ir_op_operand(op, 1), conf);
  int rp = cg_dims(ir_op_operand(op, 2), pri), ro = cg_dims(&op->results[0], out);
  if (rl != 2 || rc != 2 || rp != 3 || ro != 4 || out[3] != 7)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "unexpected input or output ranks");
  bool normalized = ir_op_attr_bool(op, "normalized", false);
  s->prior_size = normalized ? 4 : 5;
  s->priors = pri[2] / s->prior_size;
  s->priors_per_img = pri[0] != 1;
  s->images = conf[0];
  s->classes = s->priors ? conf[1] / s->priors : 0;
  s->loc_classes = ir_op_attr_bool(op, "share_location", true) ? 1 : s->classes;
  s->results = out[2];
  if (s->priors <= 0 || s->classes <= 0 || s->priors * s->classes != conf[1] ||
      s->priors * s->loc_classes * 4 != loc[1] || loc[0] != s->images)
    return cg_error(k, OVCC_ERR_INVALID_MODEL,
                    "inconsistent sizes: %lld priors, conf %lld, loc %lld", (long long)s->priors,
                    (long long)conf[1], (long long)loc[1]);
  if (op->kind == IR_OP_DETECTIONOUTPUT_1 && ir_op_attr_int(op, "num_classes", 0) != s->classes)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "num_classes %lld, but conf holds %lld classes",
                    (long long)ir_op_attr_int(op, "num_classes", 0), (long long)s->classes);
  return OVCC_OK;
}

/* Bytes of the ukernel's stack arrays (see detection_output.c). */
static uint64_t detout_scratch(int64_t classes, int64_t kmax, int64_t keep_top_k) {
  uint64_t ktk = keep_top_k > 0 ? (uint64_t)keep_top_k : 1;
  return 8 * (uint64_t)classes * (uint64_t)kmax + 8 * (uint64_t)classes +
         (16 + 4 + 20) * (uint64_t)kmax + 20 * ktk;
}

static ovcc_status detout_params(cg_kernel *k, const ir_op *op, const detout_shapes *s,
                                 int64_t *p) {
  uint32_t n_ktk = 0;
  const int64_t *ktk = ir_op_attr_ints(op, "keep_top_k", &n_ktk);
  int64_t top_k = ir_op_attr_int(op, "top_k", -1);
  p[UK_DO_IMAGES] = s->images;
  p[UK_DO_PRIORS] = s->priors;
  p[UK_DO_CLASSES] = s->classes;
  p[UK_DO_BACKGROUND] = ir_op_attr_int(op, "background_label_id", 0);
  p[UK_DO_TOP_K] = top_k;
  p[UK_DO_KEEP_TOP_K] = n_ktk ? ktk[0] : -1;
  p[UK_DO_VAR_IN_TARGET] = ir_op_attr_bool(op, "variance_encoded_in_target", false);
  p[UK_DO_SHARE_LOC] = ir_op_attr_bool(op, "share_location", true);
  p[UK_DO_CLIP_BEFORE] = ir_op_attr_bool(op, "clip_before_nms", false);
  p[UK_DO_CLIP_AFTER] = ir_op_attr_bool(op, "clip_after_nms", false);
  p[UK_DO_DECREASE_LABEL] = ir_op_attr_bool(op, "decrease_label_id", false);
  p[UK_DO_NORMALIZED] = ir_op_attr_bool(op, "normalized", false);
  p[UK_DO_WITH_ARM] = op->n_operands == 5;
  p[UK_DO_PRIORS_PER_IMG] = s->priors_per_img;
  p[UK_DO_RESULTS] = s->results;
  p[UK_DO_INPUT_H] = ir_op_attr_int(op, "input_height", 1);
  p[UK_DO_INPUT_W] = ir_op_attr_int(op, "input_width", 1);
  p[UK_DO_SCRATCH_KMAX] = top_k < 0 || top_k > s->priors ? s->priors : (top_k > 0 ? top_k : 1);
  if (p[UK_DO_DECREASE_LABEL] && p[UK_DO_BACKGROUND] != 0)
    return cg_error(k, OVCC_ERR_INVALID_MODEL,
                    "decrease_label_id needs background_label_id 0, not %lld",
                    (long long)p[UK_DO_BACKGROUND]);
  if (!p[UK_DO_NORMALIZED] && (p[UK_DO_INPUT_H] <= 0 || p[UK_DO_INPUT_W] <= 0))
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "input_height/input_width must be positive");
  uint64_t scratch = detout_scratch(s->classes, p[UK_DO_SCRATCH_KMAX], p[UK_DO_KEEP_TOP_K]);
  if (scratch > DETOUT_MAX_SCRATCH)
    return CG_UNSUPPORTED(k, "%llu bytes of selection scratch (%lld classes x %lld candidates); "
                          "at most %d",
                          (unsigned long long)scratch, (long long)s->classes,
                          (long long)p[UK_DO_SCRATCH_KMAX], DETOUT_MAX_SCRATCH);
  return detout_code_type(k, op, &p[UK_DO_CENTER_SIZE]);
}

ovcc_status cg_lower_detection_output(cg_kernel *k, const ir_op *op) {
  /* each tensor f32 or f16 (folded priors are f32 next to f16 heads) */
  int64_t f16 = 0;
  for (uint32_t i = 0; i <= op->n_operands; i++) {
    ir_etype et = i < op->n_operands ? misc_et(op, i) : op->results[0].type.et;
    if (et != IR_ET_F32 && et != IR_ET_F16)
      return CG_UNSUPPORTED(k, "%s of type %s (f32 or f16)",
                            i < op->n_operands ? "an input" : "the output", ir_etype_name(et));
    f16 |= (int64_t)(et == IR_ET_F16) << (i < op->n_operands ? i : 5);
  }
  if (op->n_operands != 3 && op->n_operands != 5)
    return cg_error(k, OVCC_ERR_INVALID_MODEL, "3 or 5 inputs, not %u", op->n_operands);
  detout_shapes s = {0};
  int64_t p[UK_DO_NPARAMS];
  IR_TRY(detout_shapes_get(k, op, &s));
  IR_TRY(detout_params(k, op, &s, p));
  p[UK_DO_F16] = f16;
  float fp[UK_DO_NFPARAMS] = {
      [UK_DO_NMS_THRESHOLD] = (float)ir_op_attr_float(op, "nms_threshold", 0),
      [UK_DO_CONF_THRESHOLD] = (float)ir_op_attr_float(op, "confidence_threshold", 0),
      [UK_DO_OBJECTNESS] = (float)ir_op_attr_float(op, "objectness_score", 0),
  };
  k->work = 1;
  bool arm = op->n_operands == 5;
  LLVMValueRef args[] = {cg_operand(k, 0),
                         cg_operand(k, 1),
                         cg_operand(k, 2),
                         arm ? cg_operand(k, 3) : misc_null(k),
                         arm ? cg_operand(k, 4) : misc_null(k),
                         cg_result(k, 0),
                         cg_uk_i64_table(k, p, UK_DO_NPARAMS),
                         cg_uk_f32_table(k, fp, UK_DO_NFPARAMS),
                         k->begin,
                         k->end};
  return cg_uk_call(k, "ovcc_uk_detection_output", args, 10);
}
