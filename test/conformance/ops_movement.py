"""Per-op cases: data movement and shapes (reshapes, slicing, concat/split,
tile/broadcast/pad, gather/scatter, ShapeOf/Range, Interpolate, space/depth).

Shape-like inputs (target shapes, axes, indices of scatters) are Constants, as
in real models; the data is always a Parameter so nothing folds away whole.
"""

import numpy as np
import openvino.opset1 as o1
import openvino.opset3 as o3
import openvino.opset4 as o4
import openvino.opset5 as o5
import openvino.opset6 as o6
import openvino.opset7 as o7
import openvino.opset8 as o8
import openvino.opset10 as o10
import openvino.opset11 as o11
import openvino.opset12 as o12
import openvino.opset15 as ops

from casebuild import Cases, c, f32, t, vals


def shapes(cs):
    x = [f32(2, 3, 4, 5)]
    cs.add("Reshape/special_zero", x, lambda p, r: ops.reshape(p[0], c([0, -1, 5]), True))
    cs.add("Reshape/plain", x, lambda p, r: ops.reshape(p[0], c([6, 20]), False))
    cs.add("Reshape/i32", [t("i32", 2, 3, 4)], lambda p, r: ops.reshape(p[0], c([4, -1]), False))
    cs.add("Squeeze/axes", [f32(2, 1, 4, 1)], lambda p, r: o1.squeeze(p[0], c([1, -1])))
    cs.add("Squeeze/all_ones", [f32(1, 3, 1, 4)], lambda p, r: ops.squeeze(p[0]))
    cs.add("Unsqueeze/axes", [f32(3, 4)], lambda p, r: ops.unsqueeze(p[0], c([0, 3])))
    cs.add("Transpose/nchw_to_nhwc", x, lambda p, r: ops.transpose(p[0], c([0, 2, 3, 1])))
    cs.add("Transpose/reverse_3d", [f32(3, 5, 7)], lambda p, r: ops.transpose(p[0], c([2, 1, 0])))
    cs.add("Transpose/i8", [t("i8", 4, 6)], lambda p, r: ops.transpose(p[0], c([1, 0])))
    cs.add("Transpose/large_2d", [f32(67, 131)], lambda p, r: ops.transpose(p[0], c([1, 0])))
    cs.add("ShapeOf/v1", x, lambda p, r: o1.shape_of(p[0]))
    cs.add("ShapeOf/v3_i32", x, lambda p, r: o3.shape_of(p[0], "i32"))
    cs.add("ShapeOf/v3_into_reshape", x, lambda p, r: ops.reshape(
        p[0], ops.concat([o8.gather(o3.shape_of(p[0]), c([0]), c(0)), c([-1])], 0), False),
        note="the usual ShapeOf -> Gather -> Concat -> Reshape chain")
    cs.add("Range/v1_f32", [f32(7)], lambda p, r: ops.add(p[0], o1.range(
        c(-1.5, np.float32), c(2.0, np.float32), c(0.5, np.float32))))
    cs.add("Range/v4_i32", [t("i32", 5)], lambda p, r: ops.add(p[0], ops.range(
        c(10, np.int32), c(0, np.int32), c(-2, np.int32), "i32")))
    cs.add("Range/v4_f32_to_i64", [t("i64", 4)], lambda p, r: ops.add(p[0], ops.range(
        c(1.0, np.float32), c(9.0, np.float32), c(2.0, np.float32), "i64")))


def concat_split(cs):
    cs.add("Concat/axis1_three", [f32(2, 3, 4), f32(2, 1, 4), f32(2, 2, 4)],
           lambda p, r: ops.concat(list(p), 1))
    cs.add("Concat/axis_neg1", [f32(2, 3), f32(2, 5)], lambda p, r: ops.concat(list(p), -1))
    cs.add("Concat/axis0_i32", [t("i32", 2, 3), t("i32", 1, 3)], lambda p, r: ops.concat(list(p), 0))
    cs.add("Split/axis1_3", [f32(2, 6, 4)], lambda p, r: o1.split(p[0], c(1), 3))
    cs.add("Split/axis_neg1_2", [t("i32", 3, 8)], lambda p, r: o1.split(p[0], c(-1), 2))
    cs.add("VariadicSplit/with_minus1", [f32(2, 7, 3)],
           lambda p, r: o1.variadic_split(p[0], c(1), c([2, -1, 1])))
    cs.add("VariadicSplit/zero_length", [f32(5, 3)],
           lambda p, r: o1.variadic_split(p[0], c(0), c([2, 0, 3])))


def slicing(cs):
    x = [f32(4, 6, 5)]
    cs.add("Slice/basic", x, lambda p, r: o8.slice(p[0], c([1, 0]), c([3, 6]), c([1, 2]), c([0, 1])))
    cs.add("Slice/negative_step", x, lambda p, r: o8.slice(p[0], c([-1]), c([-100]), c([-2]), c([2])))
    cs.add("Slice/no_axes_clamped", x, lambda p, r: o8.slice(p[0], c([0, 1, -3]), c([10, 5, 100]),
                                                             c([3, 1, 1])))
    ss = lambda b, e, s, bm, em, na=None, sa=None, el=None: lambda p, r: o1.strided_slice(  # noqa
        p[0], c(b), c(e), c(s), bm, em, na, sa, el)
    cs.add("StridedSlice/basic", x, ss([1, 0, 1], [3, 6, 5], [1, 2, 2], [0, 0, 0], [0, 0, 0]))
    cs.add("StridedSlice/begin_end_masks", x, ss([1, 2, 3], [3, 4, 4], [1, 1, 1], [1, 0, 1],
                                                 [0, 1, 1]))
    cs.add("StridedSlice/negative_stride", x, ss([-1, 5, 0], [0, 0, 5], [-1, -2, 1], [1, 0, 0],
                                                 [1, 1, 0]))
    cs.add("StridedSlice/new_axis", x, ss([0, 0, 1], [0, 2, 3], [1, 1, 1], [0, 0, 0], [0, 0, 0],
                                          [1, 0, 0]))
    cs.add("StridedSlice/shrink_axis", x, ss([1, 0, 2], [2, 6, 3], [1, 1, 1], [0, 1, 0], [0, 1, 0],
                                             [0, 0, 0], [1, 0, 1]))
    cs.add("StridedSlice/ellipsis", [f32(2, 3, 4, 5)], ss([0, 1], [0, 4], [1, 2], [0, 0], [0, 0],
                                                          [0, 0], [0, 0], [1, 0]))


def tile_broadcast_pad(cs):
    cs.add("Tile/3d", [f32(2, 3, 4)], lambda p, r: o1.tile(p[0], c([2, 1, 3])))
    cs.add("Tile/more_repeats_than_rank", [t("i32", 2, 3)], lambda p, r: o1.tile(p[0], c([2, 1, 2])))
    cs.add("Broadcast/v1_numpy", [f32(3, 1)], lambda p, r: o1.broadcast(p[0], c([2, 3, 4])))
    cs.add("Broadcast/v1_explicit", [f32(3)], lambda p, r: o1.broadcast(p[0], c([2, 3, 4]), c([1]),
                                                                        "EXPLICIT"))
    cs.add("Broadcast/v3_numpy_i32", [t("i32", 1, 4)], lambda p, r: o3.broadcast(p[0], c([3, 2, 4])))
    cs.add("Broadcast/v3_bidirectional", [f32(3, 1, 4)],
           lambda p, r: o3.broadcast(p[0], c([2, 1, 5, 1]), broadcast_spec="BIDIRECTIONAL"))
    cs.add("Broadcast/v3_explicit", [f32(2, 4)], lambda p, r: o3.broadcast(
        p[0], c([2, 3, 4]), c([0, 2]), "EXPLICIT"))
    x = [f32(1, 2, 4, 5)]
    cs.add("Pad/v1_constant", x, lambda p, r: o1.pad(p[0], c([0, 1, 2, 1]), c([0, 0, 1, 3]),
                                                     "constant", c(0.5, np.float32)))
    for mode in ("edge", "reflect", "symmetric"):
        cs.add("Pad/v1_" + mode, x, lambda p, r, mode=mode: o1.pad(
            p[0], c([0, 0, 2, 3]), c([0, 1, 3, 2]), mode))
    cs.add("Pad/v12_negative_constant", x, lambda p, r: o12.pad(
        p[0], c([0, 0, -1, 2]), c([0, 1, 2, -2]), "constant", c(-1.0, np.float32)))
    cs.add("Pad/v12_negative_reflect", x, lambda p, r: o12.pad(
        p[0], c([0, 0, 1, -1]), c([0, 0, -2, 2]), "reflect"))
    cs.add("Pad/v1_i32_constant_default", [t("i32", 3, 4)], lambda p, r: o1.pad(
        p[0], c([1, 0]), c([2, 1]), "constant"))


def gather(cs):
    x = [f32(4, 5, 3)]
    cs.add("Gather/v1_axis1", x, lambda p, r: o1.gather(p[0], c([[0, 4], [2, 2]], np.int32), c(1)))
    cs.add("Gather/v1_scalar_index", x, lambda p, r: o1.gather(p[0], c(3), c(0)))
    cs.add("Gather/v7_batch_dims1", x, lambda p, r: o7.gather(
        p[0], c([[0, 2], [1, 1], [4, 0], [3, 3]], np.int32), c(1), 1))
    cs.add("Gather/v8_negative_indices", x, lambda p, r: o8.gather(
        p[0], c([-1, 0, -4, 2]), c(1)))
    cs.add("Gather/v8_indices_input", [f32(6, 4), t("i32", 3, 2, lo=-6, hi=5)],
           lambda p, r: o8.gather(p[0], p[1], c(0)))
    cs.add("Gather/v8_i32_data", [t("i32", 5, 4)], lambda p, r: o8.gather(p[0], c([4, 0, 1]), c(0)))
    cs.add("GatherElements/axis1", [f32(3, 4), t("i32", 3, 5, lo=0, hi=3)],
           lambda p, r: o6.gather_elements(p[0], p[1], 1))
    cs.add("GatherElements/axis0_neg_idx", [f32(3, 4, 2)],
           lambda p, r: o6.gather_elements(p[0], c(np.array([[[-1, 0], [2, 1], [0, -3], [1, 1]]]),
                                                   np.int64), 0))
    cs.add("GatherND/v5_batch0", [f32(3, 4, 5)],
           lambda p, r: o5.gather_nd(p[0], c([[0, 1], [2, 3], [1, 0]]), 0))
    cs.add("GatherND/v5_batch1", [f32(3, 4, 5)],
           lambda p, r: o5.gather_nd(p[0], c([[[1], [3]], [[0], [0]], [[2], [1]]]), 1))
    cs.add("GatherND/v8_batch1", [f32(2, 3, 4)],
           lambda p, r: o8.gather_nd(p[0], c([[1, 0], [2, 3]]), 1))
    cs.add("GatherND/v8_full_index", [f32(3, 4)], lambda p, r: o8.gather_nd(
        p[0], c([[0, 1], [2, 3], [-1, 0]]), 0))


def scatter(cs):
    cs.add("ScatterUpdate/axis0", [f32(5, 3), f32(2, 3)],
           lambda p, r: o3.scatter_update(p[0], c([3, 0]), p[1], c(0)))
    cs.add("ScatterUpdate/axis1_2d_indices", [f32(3, 5), f32(3, 2, 2)],
           lambda p, r: o3.scatter_update(p[0], c([[4, 1], [0, 2]]), p[1], c(1)))
    idx = c([[1, 0, 2], [2, 2, 0]])
    cs.add("ScatterElementsUpdate/v3_axis1", [f32(2, 4), f32(2, 3)],
           lambda p, r: o3.scatter_elements_update(p[0], c([[1, 0, 3], [3, 2, 0]]), p[1], c(1)))
    for red in ("sum", "prod", "max", "min", "mean"):
        for init in (True, False):
            cs.add("ScatterElementsUpdate/v12_%s_init%d" % (red, init),
                   [f32(3, 4, lo=0.5, hi=2), f32(2, 3, lo=0.5, hi=2)],
                   lambda p, r, red=red, init=init: o12.scatter_elements_update(
                       p[0], idx, p[1], c(1), red, init),
                   note="duplicate indices: the reduction combines them")
    cs.add("ScatterElementsUpdate/v12_none_negative_idx", [f32(3, 4), f32(2, 2)],
           lambda p, r: o12.scatter_elements_update(p[0], c([[-1, 0], [1, -3]]), p[1], c(0)))
    cs.add("ScatterNDUpdate/v3_rows", [f32(4, 3), f32(2, 3)],
           lambda p, r: o4.scatter_nd_update(p[0], c([[2], [0]]), p[1]))
    cs.add("ScatterNDUpdate/v3_elements", [f32(4, 3), f32(3)],
           lambda p, r: o4.scatter_nd_update(p[0], c([[2, 1], [0, 0], [3, 2]]), p[1]))
    for red in ("sum", "max"):
        cs.add("ScatterNDUpdate/v15_" + red, [f32(4, 3), f32(3, 3)], lambda p, r, red=red:
               ops.scatter_nd_update(p[0], c([[1], [3], [1]]), p[1], red))


def interpolate(cs):
    x = [f32(1, 2, 4, 5)]
    cs.add("Interpolate/v1_nearest", x, lambda p, r: o1.interpolate(
        p[0], c([8, 10]), {"axes": [2, 3], "mode": "nearest"}))
    cs.add("Interpolate/v1_linear_align_corners", x, lambda p, r: o1.interpolate(
        p[0], c([7, 9]), {"axes": [2, 3], "mode": "linear", "align_corners": True}))
    cs.add("Interpolate/v1_linear", x, lambda p, r: o1.interpolate(
        p[0], c([8, 10]), {"axes": [2, 3], "mode": "linear", "align_corners": False}))
    v4 = lambda size, scales, mode, calc, ctm="half_pixel", nm="round_prefer_floor", **kw: (  # noqa
        lambda p, r: o10.interpolate(p[0], c(size), c(scales, np.float32), mode, calc,
                                     coordinate_transformation_mode=ctm, nearest_mode=nm,
                                     axes=c([2, 3]), **kw))
    for nm in ("round_prefer_floor", "round_prefer_ceil", "floor", "ceil", "simple"):
        cs.add("Interpolate/v4_nearest_" + nm, x,
               v4([9, 7], [2.25, 1.4], "nearest", "sizes", "asymmetric", nm))
    for ctm in ("half_pixel", "pytorch_half_pixel", "asymmetric", "tf_half_pixel_for_nn",
                "align_corners"):
        cs.add("Interpolate/v4_linear_onnx_" + ctm, x,
               v4([7, 11], [1.75, 2.2], "linear_onnx", "sizes", ctm))
    cs.add("Interpolate/v4_nearest_downscale_scales", [f32(1, 2, 8, 9)],
           v4([3, 4], [0.4, 0.5], "nearest", "scales", "half_pixel", "round_prefer_ceil"))
    cs.add("Interpolate/v4_linear", x, v4([6, 8], [1.5, 1.6], "linear", "sizes"))
    cs.add("Interpolate/v4_linear_antialias_down", [f32(1, 2, 9, 10)],
           v4([4, 5], [0.45, 0.5], "linear", "sizes", antialias=True))
    cs.add("Interpolate/v4_cubic", x, v4([7, 9], [1.75, 1.8], "cubic", "sizes"))
    cs.add("Interpolate/v4_cubic_align_corners", x, v4([7, 9], [1.75, 1.8], "cubic", "sizes",
                                                       "align_corners"))
    v11 = lambda sizes, mode, calc, ctm="half_pixel", **kw: (  # noqa
        lambda p, r: o11.interpolate(p[0], c(sizes, np.int64 if calc == "sizes" else np.float32),
                                     mode, calc, coordinate_transformation_mode=ctm,
                                     axes=c([2, 3]), **kw))
    cs.add("Interpolate/v11_bilinear_pillow", x, v11([7, 8], "bilinear_pillow", "sizes"))
    cs.add("Interpolate/v11_bicubic_pillow", x, v11([7, 8], "bicubic_pillow", "sizes"))
    cs.add("Interpolate/v11_bilinear_pillow_down", [f32(1, 2, 9, 10)],
           v11([4, 3], "bilinear_pillow", "sizes"))
    cs.add("Interpolate/v11_nearest_scales", x, v11([2.0, 1.5], "nearest", "scales",
                                                    "asymmetric", nearest_mode="floor"))
    cs.add("Interpolate/v11_linear_onnx_scales", x, v11([1.5, 2.0], "linear_onnx", "scales"))


def space_depth(cs):
    for mode in ("blocks_first", "depth_first"):
        cs.add("DepthToSpace/" + mode, [f32(1, 8, 2, 3)],
               lambda p, r, mode=mode: o1.depth_to_space(p[0], mode, 2))
        cs.add("SpaceToDepth/" + mode, [f32(1, 2, 4, 6)],
               lambda p, r, mode=mode: o1.space_to_depth(p[0], mode, 2))
    cs.add("DepthToSpace/3d_blocks_first", [f32(1, 16, 1, 2, 2)],
           lambda p, r: o1.depth_to_space(p[0], "blocks_first", 2))
    cs.add("ShuffleChannels/axis1_group3", [f32(1, 6, 2, 2)],
           lambda p, r: o3.shuffle_channels(p[0], 1, 3))
    cs.add("ShuffleChannels/axis_neg1", [f32(2, 3, 8)],
           lambda p, r: o3.shuffle_channels(p[0], -1, 2))


def strings(cs):
    """String tensors through the data-movement ops OpenVINO's CPU plugin runs
    on strings (its Broadcast and Tile refuse them; its Slice on strings
    corrupts the heap, openvino 2026.4.1: 'munmap_chunk(): invalid pointer'): ovcc moves
    the string descriptors, the outputs are compared string by string."""
    words = ["a", "bb", "", "ccc", "\u00e9\u2713", "a longer string here"]
    s23 = vals("string", (2, 3), words)
    cs.add("Reshape/string", [s23], lambda p, r: ops.reshape(p[0], c([3, 2]), False))
    cs.add("Transpose/string", [s23], lambda p, r: ops.transpose(p[0], c([1, 0])))
    cs.add("Concat/string", [s23, vals("string", (2, 1), ["x", "yz"])],
           lambda p, r: ops.concat([p[0], p[1], p[0]], 1))
    cs.add("Gather/string", [s23], lambda p, r: o8.gather(p[0], c([2, 0, 2]), c(1)))


def cases():
    cs = Cases()
    for family in (shapes, concat_split, slicing, tile_broadcast_pad, gather, scatter,
                   interpolate, space_depth, strings):
        family(cs)
    return cs.cases
