"""Per-op cases: the corpus's detection heads (PriorBox v1/v8,
PriorBoxClustered, DetectionOutput v1/v8, RegionYolo, ReorgYolo).

Prior boxes take their sizes from ShapeOf of real feature maps, as in the
models (the whole subgraph folds to a constant in both compilers).
DetectionOutput rows are compared as a set (compare.compare_detections).
"""

import numpy as np
import openvino.opset1 as o1
import openvino.opset2 as o2
import openvino.opset3 as o3
import openvino.opset8 as o8
import openvino.opset15 as ops

from casebuild import Cases, c, f32

P, CLASSES = 12, 3


def spatial_shape(node):
    return ops.strided_slice(o3.shape_of(node), c([2]), c([4]), c([1]), [0], [0])


def prior_boxes(cs):
    feats = [f32(1, 8, 5, 6), f32(1, 3, 60, 72)]
    v1 = {"min_size": [8.0, 16.0], "max_size": [24.0, 32.0], "aspect_ratio": [2.0, 3.0],
          "flip": True, "clip": False, "step": 12.0, "offset": 0.5,
          "variance": [0.1, 0.1, 0.2, 0.2], "scale_all_sizes": True}
    cs.add("PriorBox/v1", feats, lambda p, r: o1.prior_box(
        spatial_shape(p[0]), spatial_shape(p[1]), v1))
    cs.add("PriorBox/v1_clip_no_scale_all", feats, lambda p, r: o1.prior_box(
        spatial_shape(p[0]), spatial_shape(p[1]),
        dict(v1, clip=True, scale_all_sizes=False, flip=False, step=0.0)))
    cs.add("PriorBox/v8_min_max_order", feats, lambda p, r: o8.prior_box(
        spatial_shape(p[0]), spatial_shape(p[1]), dict(v1, min_max_aspect_ratios_order=False)))
    cs.add("PriorBoxClustered/basic", feats, lambda p, r: o1.prior_box_clustered(
        spatial_shape(p[0]), spatial_shape(p[1]),
        {"width": [8.0, 20.0, 33.5], "height": [10.0, 15.0, 40.0], "clip": False,
         "step_widths": 12.0, "step_heights": 12.0, "offset": 0.5,
         "variance": [0.1, 0.1, 0.2, 0.2]}))
    cs.add("PriorBoxClustered/clip_default_step", feats, lambda p, r: o1.prior_box_clustered(
        spatial_shape(p[0]), spatial_shape(p[1]),
        {"width": [30.0, 60.0], "height": [40.0, 20.0], "clip": True, "offset": 0.5,
         "variance": [0.1]}))


def priors(r):
    """P normalized prior boxes [1, 2, P*4] (boxes, then variances)."""
    centers = r.uniform(0.2, 0.8, size=(P, 2))
    sizes = r.uniform(0.1, 0.3, size=(P, 2))
    boxes = np.concatenate([centers - sizes / 2, centers + sizes / 2], axis=1).reshape(-1)
    var = np.tile([0.1, 0.1, 0.2, 0.2], P)
    return ops.constant(np.stack([boxes, var])[None].astype(np.float32))


def detection_output(cs):
    base = {"num_classes": CLASSES, "background_label_id": 0, "top_k": 10,
            "keep_top_k": [8], "code_type": "caffe.PriorBoxParameter.CENTER_SIZE",
            "share_location": True, "nms_threshold": 0.45, "confidence_threshold": 0.05,
            "variance_encoded_in_target": False, "normalized": True}
    inputs = [f32(1, P * 4, lo=-0.5, hi=0.5), f32(1, P * CLASSES, lo=0.0, hi=1.0, dist="perm")]
    cs.add("DetectionOutput/v1_center_size", inputs, lambda p, r: o1.detection_output(
        p[0], p[1], priors(r), base), compare="detections")
    cs.add("DetectionOutput/v1_corner_clip", inputs, lambda p, r: o1.detection_output(
        p[0], p[1], priors(r), dict(base, code_type="caffe.PriorBoxParameter.CORNER",
                                    clip_before_nms=True, top_k=-1, keep_top_k=[-1])),
           compare="detections")
    v8 = {k: v for k, v in base.items() if k != "num_classes"}
    cs.add("DetectionOutput/v8", inputs, lambda p, r: o8.detection_output(
        p[0], p[1], priors(r), dict(v8, clip_after_nms=True)), compare="detections")
    cs.add("DetectionOutput/v8_no_share_location",
           [f32(1, P * 4 * CLASSES, lo=-0.5, hi=0.5), inputs[1]],
           lambda p, r: o8.detection_output(p[0], p[1], priors(r),
                                            dict(v8, share_location=False, background_label_id=-1)),
           compare="detections")


def yolo(cs):
    x = [f32(1, 3 * (5 + 4), 4, 5, lo=-3, hi=3)]
    cs.add("RegionYolo/v2_softmax", x, lambda p, r: o1.region_yolo(
        p[0], 4, 4, 3, True, [], 1, 3, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
    cs.add("RegionYolo/v3_mask", [f32(1, 2 * (5 + 4), 4, 5, lo=-3, hi=3)], lambda p, r:
           o1.region_yolo(p[0], 4, 4, 6, False, [1, 4], 1, 3,
                          [10.0, 13.0, 16.0, 30.0, 33.0, 23.0, 30.0, 61.0, 62.0, 45.0, 59.0, 119.0]))
    cs.add("ReorgYolo/stride2", [f32(1, 4, 6, 8)], lambda p, r: o2.reorg_yolo(p[0], [2]))


def cases():
    cs = Cases()
    for family in (prior_boxes, detection_output, yolo):
        family(cs)
    return cs.cases
