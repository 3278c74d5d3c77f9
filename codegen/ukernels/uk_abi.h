/* The calling convention between the misc lowerings (codegen/misc_*.c) and the
 * C ukernels they call (codegen/ukernels/, compiled to bitcode at build
 * time and linked into each module by codegen/ukernel.c).
 *
 * Only enums live here, so the freestanding ukernels and the hosted compiler
 * include the same file. Every ukernel takes tensor pointers, then a pointer
 * to a table of int64 parameters (indexed by the enums below) and, when it
 * needs them, a table of float parameters, then the [begin, end) chunk of the
 * kernel's work it computes. Scalars cross only as i64/float/pointer so the
 * IR signature is the same on every 64-bit target. */
#ifndef OVCC_CODEGEN_UKERNELS_UK_ABI_H
#define OVCC_CODEGEN_UKERNELS_UK_ABI_H

/* ---- TopK: ovcc_uk_topk_<f32|i32|i64>(in, values, indices, ip, begin, end);
 * work = outer * inner slices along the axis. */
enum uk_topk_param {
  UK_TOPK_AXIS_LEN,  /* elements along the axis */
  UK_TOPK_INNER,     /* product of the dims after the axis (the axis stride) */
  UK_TOPK_K,         /* results per slice, <= AXIS_LEN */
  UK_TOPK_MODE_MAX,  /* 1: largest first, 0: smallest first */
  UK_TOPK_SORT,      /* enum uk_topk_sort */
  UK_TOPK_INDEX_I64, /* index output is i64 (else i32) */
  UK_TOPK_NPARAMS
};
enum uk_topk_sort { UK_TOPK_SORT_NONE, UK_TOPK_SORT_VALUE, UK_TOPK_SORT_INDEX };

/* ---- DetectionOutput: ovcc_uk_detection_output(loc, conf, priors, arm_conf,
 * arm_loc, out, ip, fp, begin, end), each f32 or f16; work = 1 (rows of later images follow
 * the rows of earlier ones). arm_* are NULL without the 5-input form. */
enum uk_detout_param {
  UK_DO_IMAGES,
  UK_DO_PRIORS,         /* priors per image */
  UK_DO_CLASSES,
  UK_DO_BACKGROUND,     /* background_label_id (-1: none) */
  UK_DO_TOP_K,          /* -1: all */
  UK_DO_KEEP_TOP_K,     /* -1: all */
  UK_DO_VAR_IN_TARGET,  /* variance_encoded_in_target */
  UK_DO_SHARE_LOC,
  UK_DO_CLIP_BEFORE,
  UK_DO_CLIP_AFTER,
  UK_DO_DECREASE_LABEL, /* MXNet style: one class per prior, labels - 1 */
  UK_DO_NORMALIZED,
  UK_DO_CENTER_SIZE,    /* code_type CENTER_SIZE (else CORNER) */
  UK_DO_WITH_ARM,       /* 5 inputs */
  UK_DO_PRIORS_PER_IMG, /* priors input has a batch per image */
  UK_DO_RESULTS,        /* output rows */
  UK_DO_INPUT_H,
  UK_DO_INPUT_W,
  UK_DO_SCRATCH_KMAX,   /* candidates per class the scratch arrays hold */
  UK_DO_F16,            /* bit i: input i is f16 (else f32); bit 5: the output */
  UK_DO_NPARAMS
};
enum uk_detout_fparam { UK_DO_NMS_THRESHOLD, UK_DO_CONF_THRESHOLD, UK_DO_OBJECTNESS, UK_DO_NFPARAMS };

/* ---- CTCGreedyDecoder-1: ovcc_uk_ctc_greedy(data[T,N,C], mask[T,N],
 * out[N,T,1,1], ip, begin, end), all f32 or all f16; work = N.
 * CTCGreedyDecoderSeqLen-6: ovcc_uk_ctc_greedy_seq_len(data[N,T,C] f32/f16,
 * seq_len, blank (NULL: C-1), classes, lengths, ip, begin, end); work = N. */
enum uk_ctc_param {
  UK_CTC_T,
  UK_CTC_N,
  UK_CTC_C,
  UK_CTC_MERGE,        /* merge repeated classes */
  UK_CTC_SEQ_I64,      /* seq_len input is i64 (else i32) */
  UK_CTC_BLANK_I64,    /* blank_index input is i64 (else i32) */
  UK_CTC_CLASSES_I64,  /* decoded classes output is i64 (else i32) */
  UK_CTC_LENGTHS_I64,  /* decoded lengths output is i64 (else i32) */
  UK_CTC_F16,          /* data (CTCGreedyDecoder: also mask and output) are f16 */
  UK_CTC_NPARAMS
};

/* ---- RegionYolo-1: ovcc_uk_region_yolo(in, out, ip, begin, end) f32;
 * work = batch * regions. ReorgYolo-2: ovcc_uk_reorg_yolo(in, out, ip, begin,
 * end), any 4-byte element; work = batch * input channels. */
enum uk_yolo_param {
  UK_YOLO_BATCH,
  UK_YOLO_C,           /* input channels */
  UK_YOLO_H,           /* input H, W */
  UK_YOLO_W,
  UK_YOLO_COORDS,
  UK_YOLO_CLASSES,
  UK_YOLO_REGIONS,     /* num (softmax) or mask size */
  UK_YOLO_SOFTMAX,
  UK_YOLO_STRIDE,      /* ReorgYolo */
  UK_YOLO_NPARAMS
};

#endif
