"""Per-op cases: MatMul, Einsum, convolutions, pooling, normalizations,
reductions, CumSum, TopK, attention.

Ops that return indices (MaxPool v8/v14, AdaptiveMaxPool, TopK) get inputs of
distinct values ("perm"): with ties the index OpenVINO picks is not specified.
"""

import numpy as np
import openvino.opset1 as o1
import openvino.opset2 as o2
import openvino.opset3 as o3
import openvino.opset5 as o5
import openvino.opset6 as o6
import openvino.opset7 as o7
import openvino.opset8 as o8
import openvino.opset11 as o11
import openvino.opset12 as o12
import openvino.opset13 as o13
import openvino.opset14 as o14
import openvino.opset15 as ops

from casebuild import Cases, c, const, f32, t, vals


def matmul(cs):
    mm = lambda ta, tb: lambda p, r: ops.matmul(p[0], p[1], ta, tb)  # noqa: E731
    cs.add("MatMul/2d", [f32(3, 4), f32(4, 5)], mm(False, False))
    cs.add("MatMul/transpose_a", [f32(4, 3), f32(4, 5)], mm(True, False))
    cs.add("MatMul/transpose_b", [f32(3, 4), f32(5, 4)], mm(False, True))
    cs.add("MatMul/transpose_both", [f32(2, 4, 3), f32(2, 5, 4)], mm(True, True))
    cs.add("MatMul/batch_broadcast", [f32(2, 1, 3, 4), f32(3, 4, 5)], mm(False, False))
    cs.add("MatMul/1d_x_2d", [f32(4), f32(4, 5)], mm(False, False))
    cs.add("MatMul/2d_x_1d", [f32(3, 4), f32(4)], mm(False, False))
    cs.add("MatMul/1d_x_1d", [f32(6), f32(6)], mm(False, False))
    cs.add("MatMul/const_weights", [f32(1, 4, 8)],
           lambda p, r: ops.matmul(p[0], const(r, [8, 16]), False, False))
    cs.add("MatMul/large_const_weights_tb", [f32(2, 37, 96, lo=-1, hi=1)],
           lambda p, r: ops.matmul(p[0], const(r, [80, 96], -0.2, 0.2), False, True))
    cs.add("MatMul/f16", [t("f16", 3, 16, lo=-1, hi=1), t("f16", 16, 5, lo=-1, hi=1)],
           mm(False, False))


def einsum(cs):
    for name, eq, shapes in (
            ("matmul", "ij,jk->ik", [(3, 4), (4, 5)]),
            ("batch_matmul", "bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
            ("transpose", "ij->ji", [(3, 4)]),
            ("reduce", "ij->i", [(3, 4)]),
            ("diagonal", "ii->i", [(4, 4)]),
            ("dot", "i,i->", [(6,), (6,)]),
            ("ellipsis", "...ij,...jk->...ik", [(2, 3, 4), (2, 4, 2)]),
            ("outer", "i,j->ij", [(3,), (4,)]),
            ("trace", "ii->", [(5, 5)]),
            ("implicit_chain", "ij,jk,kl", [(3, 4), (4, 5), (5, 2)]),
            ("batch_diagonal", "bii->bi", [(2, 3, 3)]),
            ("contract_two_labels", "abcd,cdbe->ae", [(2, 3, 4, 5), (4, 5, 3, 6)]),
            ("ellipsis_broadcast", "...ij,...jk->...ik", [(2, 1, 3, 4), (5, 4, 2)]),
            ("unit_contracted_label", "ij,jk->ik", [(3, 1), (4, 5)]),
            ("sum_shared_no_output", "bi,bj->j", [(4, 3), (4, 2)])):
        cs.add("Einsum/" + name, [f32(*s) for s in shapes],
               lambda p, r, eq=eq: o7.einsum(list(p), eq))


def convolution(cs):
    def conv(w_shape, strides, pb, pe, dil, pad="explicit"):
        return lambda p, r: o1.convolution(p[0], const(r, w_shape, -0.5, 0.5), strides, pb, pe,
                                           dil, pad)
    x2 = [f32(1, 3, 8, 8)]
    cs.add("Convolution/2d_pad1", x2, conv([4, 3, 3, 3], [1, 1], [1, 1], [1, 1], [1, 1]))
    cs.add("Convolution/2d_stride2_asym_pads", [f32(1, 3, 9, 8)],
           conv([4, 3, 3, 3], [2, 2], [0, 1], [1, 0], [1, 1]))
    cs.add("Convolution/2d_dilation2", x2, conv([2, 3, 3, 3], [1, 1], [2, 2], [2, 2], [2, 2]))
    cs.add("Convolution/2d_same_upper_stride2", x2,
           conv([4, 3, 2, 2], [2, 2], [0, 0], [0, 0], [1, 1], "same_upper"))
    cs.add("Convolution/2d_same_lower", [f32(1, 3, 7, 7)],
           conv([4, 3, 4, 4], [1, 1], [0, 0], [0, 0], [1, 1], "same_lower"))
    cs.add("Convolution/2d_valid", x2, conv([4, 3, 3, 3], [1, 1], [0, 0], [0, 0], [1, 1], "valid"))
    cs.add("Convolution/2d_1x1", [f32(2, 16, 5, 5)], conv([8, 16, 1, 1], [1, 1], [0, 0], [0, 0],
                                                          [1, 1]))
    cs.add("Convolution/1d", [f32(1, 2, 10)], conv([3, 2, 3], [2], [1], [1], [1]))
    cs.add("Convolution/3d", [f32(1, 2, 5, 6, 6)],
           conv([3, 2, 3, 3, 3], [1, 2, 1], [1, 0, 1], [1, 1, 0], [1, 1, 1]))
    cs.add("Convolution/2d_bias_relu", [f32(1, 16, 10, 10)],
           lambda p, r: ops.relu(ops.add(o1.convolution(
               p[0], const(r, [32, 16, 3, 3], -0.2, 0.2), [1, 1], [1, 1], [1, 1], [1, 1]),
               const(r, [1, 32, 1, 1]))))
    cs.add("Convolution/f16", [t("f16", 1, 3, 8, 8)],
           lambda p, r: o1.convolution(p[0], const(r, [4, 3, 3, 3], -0.5, 0.5, np.float16),
                                       [1, 1], [1, 1], [1, 1], [1, 1]))

    def gconv(w_shape, strides, pb, pe, dil, pad="explicit"):
        return lambda p, r: o1.group_convolution(p[0], const(r, w_shape, -0.5, 0.5), strides, pb,
                                                 pe, dil, pad)
    cs.add("GroupConvolution/groups2", [f32(1, 4, 6, 6)],
           gconv([2, 3, 2, 3, 3], [1, 1], [1, 1], [1, 1], [1, 1]))
    cs.add("GroupConvolution/depthwise_stride2", [f32(1, 6, 7, 7)],
           gconv([6, 1, 1, 3, 3], [2, 2], [1, 1], [1, 1], [1, 1]))
    cs.add("GroupConvolution/depthwise_same_upper", [f32(1, 8, 9, 9)],
           gconv([8, 1, 1, 5, 5], [1, 1], [0, 0], [0, 0], [1, 1], "same_upper"))
    cs.add("GroupConvolution/1d", [f32(1, 4, 9)], gconv([2, 2, 2, 3], [1], [1], [1], [2]))
    cs.add("GroupConvolution/3d", [f32(1, 4, 4, 5, 5)],
           gconv([2, 2, 2, 3, 3, 3], [1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 1]))

    def deconv(w_shape, strides, pb, pe, dil, out_pad=None, pad="explicit", out_shape=None):
        return lambda p, r: o1.convolution_backprop_data(
            p[0], const(r, w_shape, -0.5, 0.5), strides,
            c(out_shape) if out_shape else None, pb, pe, dil, pad, out_pad)
    cs.add("ConvolutionBackpropData/2d_stride2_outpad", [f32(1, 4, 5, 5)],
           deconv([4, 3, 3, 3], [2, 2], [1, 1], [1, 1], [1, 1], [1, 1]))
    cs.add("ConvolutionBackpropData/2d_dilation", [f32(1, 2, 4, 4)],
           deconv([2, 3, 3, 3], [1, 1], [0, 0], [0, 0], [2, 2]))
    cs.add("ConvolutionBackpropData/2d_output_shape", [f32(1, 4, 5, 5)],
           deconv([4, 2, 3, 3], [2, 2], [0, 0], [0, 0], [1, 1], None, "same_upper", [10, 10]))
    cs.add("ConvolutionBackpropData/1d", [f32(1, 3, 6)],
           deconv([3, 2, 4], [2], [1], [1], [1]))
    cs.add("ConvolutionBackpropData/3d", [f32(1, 2, 3, 4, 4)],
           deconv([2, 2, 3, 3, 3], [2, 2, 2], [1, 1, 1], [1, 1, 1], [1, 1, 1]))
    cs.add("GroupConvolutionBackpropData/groups2", [f32(1, 4, 5, 5)],
           lambda p, r: o1.group_convolution_backprop_data(
               p[0], const(r, [2, 2, 3, 3, 3], -0.5, 0.5), [2, 2], None, [1, 1], [1, 1], [1, 1],
               "explicit", [1, 1]))
    cs.add("GroupConvolutionBackpropData/depthwise_1d", [f32(1, 3, 7)],
           lambda p, r: o1.group_convolution_backprop_data(
               p[0], const(r, [3, 1, 1, 3], -0.5, 0.5), [2], None, [0], [0], [1]))


def pooling(cs):
    x = [f32(1, 3, 9, 9, dist="perm")]
    cs.add("MaxPool/v1_k3s2", x, lambda p, r: o1.max_pool(p[0], [2, 2], [0, 0], [0, 0], [3, 3]))
    cs.add("MaxPool/v1_pads_ceil", [f32(1, 3, 8, 8, dist="perm")],
           lambda p, r: o1.max_pool(p[0], [2, 2], [1, 1], [1, 1], [3, 3], "ceil"))
    cs.add("MaxPool/v1_same_upper", [f32(1, 2, 7, 7, dist="perm")],
           lambda p, r: o1.max_pool(p[0], [2, 2], [0, 0], [0, 0], [2, 2], "floor", "same_upper"))
    cs.add("MaxPool/v1_1d", [f32(2, 3, 11, dist="perm")],
           lambda p, r: o1.max_pool(p[0], [2], [1], [0], [3]))
    cs.add("MaxPool/v1_3d", [f32(1, 2, 5, 6, 6, dist="perm")],
           lambda p, r: o1.max_pool(p[0], [1, 2, 2], [0, 0, 0], [0, 0, 0], [2, 2, 2]))
    for et in ("i32", "i64"):
        cs.add("MaxPool/v8_indices_" + et, x, lambda p, r, et=et: o8.max_pool(
            p[0], [2, 2], [1, 1], [1, 1], [1, 1], [3, 3], "floor", None, et, 0))
    cs.add("MaxPool/v8_dilation_axis2", x, lambda p, r: o8.max_pool(
        p[0], [1, 1], [2, 2], [0, 0], [0, 0], [2, 2], "floor", None, "i32", 2))
    cs.add("MaxPool/v14_ceil_torch", [f32(1, 2, 8, 8, dist="perm")], lambda p, r: o14.max_pool(
        p[0], [3, 3], [1, 1], [1, 1], [1, 1], [3, 3], "ceil_torch", None, "i64", 0))
    cs.add("MaxPool/v1_f16", [t("f16", 1, 3, 8, 8, dist="perm", lo=-8, hi=8)],
           lambda p, r: o1.max_pool(p[0], [2, 2], [0, 0], [0, 0], [2, 2]))
    y = [f32(1, 3, 8, 8)]
    for ex in (True, False):
        cs.add("AvgPool/v1_pads_exclude_%s" % str(ex).lower(), y, lambda p, r, ex=ex: o1.avg_pool(
            p[0], [2, 2], [1, 1], [1, 1], [3, 3], ex))
    cs.add("AvgPool/v1_ceil", [f32(1, 3, 9, 9)], lambda p, r: o1.avg_pool(
        p[0], [2, 2], [0, 0], [0, 0], [2, 2], True, "ceil"))
    cs.add("AvgPool/v1_same_upper", y, lambda p, r: o1.avg_pool(
        p[0], [2, 2], [0, 0], [0, 0], [3, 3], False, "floor", "same_upper"))
    cs.add("AvgPool/v1_global", [f32(2, 5, 7, 7)], lambda p, r: o1.avg_pool(
        p[0], [1, 1], [0, 0], [0, 0], [7, 7], True))
    cs.add("AvgPool/v1_3d", [f32(1, 2, 4, 6, 6)], lambda p, r: o1.avg_pool(
        p[0], [2, 2, 2], [0, 1, 1], [0, 1, 1], [2, 3, 3], True))
    cs.add("AvgPool/v14_ceil_torch", y, lambda p, r: o14.avg_pool(
        p[0], [3, 3], [1, 1], [1, 1], [3, 3], False, "ceil_torch"))
    cs.add("AdaptiveAvgPool/2d", [f32(1, 3, 10, 7)],
           lambda p, r: o8.adaptive_avg_pool(p[0], c([4, 3])))
    cs.add("AdaptiveAvgPool/1d", [f32(2, 3, 11)], lambda p, r: o8.adaptive_avg_pool(p[0], c([4])))
    cs.add("AdaptiveAvgPool/3d", [f32(1, 2, 5, 6, 7)],
           lambda p, r: o8.adaptive_avg_pool(p[0], c([2, 3, 3])))
    # (i64 indices: OpenVINO's CPU plugin refuses them for AdaptiveMaxPool)
    cs.add("AdaptiveMaxPool/2d_i32", [f32(1, 3, 10, 7, dist="perm")],
           lambda p, r: o8.adaptive_max_pool(p[0], c([3, 4]), "i32"))
    cs.add("AdaptiveMaxPool/1d", [f32(2, 3, 11, dist="perm")],
           lambda p, r: o8.adaptive_max_pool(p[0], c([5]), "i32"))


def normalization(cs):
    x = [f32(2, 3, 4, 5, lo=-5, hi=5)]
    cs.add("Softmax/v1_axis1", x, lambda p, r: o1.softmax(p[0], 1))
    cs.add("Softmax/v8_axis_neg1", x, lambda p, r: o8.softmax(p[0], -1))
    cs.add("Softmax/v8_large_values", [f32(3, 50, lo=-100, hi=100)],
           lambda p, r: o8.softmax(p[0], 1))
    cs.add("LogSoftmax/axis_neg1", x, lambda p, r: o5.log_softmax(p[0], -1))
    cs.add("LogSoftmax/axis0", x, lambda p, r: o5.log_softmax(p[0], 0))
    cs.add("MVN/v6_inside_sqrt", x, lambda p, r: o6.mvn(p[0], c([2, 3]), True, 1e-9, "inside_sqrt"))
    cs.add("MVN/v6_outside_sqrt", x, lambda p, r: o6.mvn(p[0], c([1, 2, 3]), True, 1e-4,
                                                          "outside_sqrt"))
    cs.add("MVN/v6_no_variance", x, lambda p, r: o6.mvn(p[0], c([-1]), False, 1e-9, "inside_sqrt"))
    cs.add("MVN/v2_across_channels", x, lambda p, r: o2.mvn(p[0], True, True, 1e-9))
    cs.add("MVN/v2_per_channel", x, lambda p, r: o2.mvn(p[0], False, True, 1e-9))
    cs.add("NormalizeL2/axis1_add", x, lambda p, r: o1.normalize_l2(p[0], c([1]), 1e-6, "add"))
    cs.add("NormalizeL2/axes23_max", x, lambda p, r: o1.normalize_l2(p[0], c([2, 3]), 1e-3, "max"))
    cs.add("NormalizeL2/tiny_values_max_eps", [f32(2, 8, lo=-1e-4, hi=1e-4)],
           lambda p, r: o1.normalize_l2(p[0], c([1]), 1e-6, "max"))
    cs.add("BatchNormInference/4d", x, lambda p, r: o5.batch_norm_inference(
        p[0], const(r, [3]), const(r, [3]), const(r, [3]), const(r, [3], 0.1, 2.0), 1e-5))
    cs.add("BatchNormInference/2d", [f32(4, 3)], lambda p, r: o5.batch_norm_inference(
        p[0], const(r, [3]), const(r, [3]), const(r, [3]), const(r, [3], 0.1, 2.0), 1e-3))
    cs.add("GroupNormalization/3_groups", [f32(2, 6, 4, 4)], lambda p, r: o12.group_normalization(
        p[0], const(r, [6]), const(r, [6]), 3, 1e-5))
    cs.add("GroupNormalization/1_group_3d", [f32(2, 4, 7)], lambda p, r: o12.group_normalization(
        p[0], const(r, [4]), const(r, [4]), 1, 1e-5))
    cs.add("LRN/across_channels", x, lambda p, r: o1.lrn(p[0], c([1]), 1e-2, 0.75, 1.0, 3))
    cs.add("LRN/spatial", x, lambda p, r: o1.lrn(p[0], c([2, 3]), 1e-3, 0.5, 2.0, 3))


def reductions(cs):
    table = [("ReduceSum", ops.reduce_sum, {}), ("ReduceMean", ops.reduce_mean, {}),
             ("ReduceMax", ops.reduce_max, {}), ("ReduceMin", ops.reduce_min, {}),
             ("ReduceProd", ops.reduce_prod, dict(lo=0.5, hi=1.5)),
             ("ReduceL1", o5.reduce_l1, {}), ("ReduceL2", o5.reduce_l2, {})]
    for name, fn, rng in table:
        x = [f32(2, 3, 4, 5, **rng)]
        cs.add(name + "/axis1", x, lambda p, r, fn=fn: fn(p[0], c([1]), False))
        cs.add(name + "/axes02_keep", x, lambda p, r, fn=fn: fn(p[0], c([0, 2]), True))
        cs.add(name + "/last_axis_neg", x, lambda p, r, fn=fn: fn(p[0], c([-1]), False))
        cs.add(name + "/all_axes", x, lambda p, r, fn=fn: fn(p[0], c([0, 1, 2, 3]), False))
    cs.add("ReduceSum/i32", [t("i32", 2, 3, 4)], lambda p, r: ops.reduce_sum(p[0], c([1]), False))
    cs.add("ReduceMax/i32", [t("i32", 2, 3, 4)], lambda p, r: ops.reduce_max(p[0], c([2]), True))
    cs.add("ReduceSum/long_axis", [f32(3, 1000)], lambda p, r: ops.reduce_sum(p[0], c([1]), False))
    for name, fn in (("ReduceLogicalAnd", ops.reduce_logical_and),
                     ("ReduceLogicalOr", ops.reduce_logical_or)):
        cs.add(name + "/axis1", [t("boolean", 2, 3, 4)],
               lambda p, r, fn=fn: fn(p[0], c([1]), False))
        cs.add(name + "/axes02_keep", [t("boolean", 2, 3, 4)],
               lambda p, r, fn=fn: fn(p[0], c([0, 2]), True))
    x = [f32(2, 3, 4)]
    for ex in (False, True):
        for rev in (False, True):
            cs.add("CumSum/axis1_excl%d_rev%d" % (ex, rev), x,
                   lambda p, r, ex=ex, rev=rev: o3.cum_sum(p[0], c(1), ex, rev))
    cs.add("CumSum/i32_axis_neg1", [t("i32", 2, 3, 4)], lambda p, r: o3.cum_sum(p[0], c(-1)))


def topk(cs):
    x = [f32(3, 10, 4, dist="perm")]
    cs.add("TopK/v1_max_value", x, lambda p, r: o1.topk(p[0], c(3), 1, "max", "value"))
    cs.add("TopK/v1_min_index", x, lambda p, r: o1.topk(p[0], c(4), 1, "min", "index"))
    cs.add("TopK/v3_max_axis_neg1_i64", x,
           lambda p, r: o3.topk(p[0], c(2), -1, "max", "value", "i64"))
    cs.add("TopK/v3_min_axis0", x, lambda p, r: o3.topk(p[0], c(2), 0, "min", "value", "i32"))
    cs.add("TopK/v11_stable_ties", [t("i32", 3, 12, lo=0, hi=3)],
           lambda p, r: o11.topk(p[0], c(5), 1, "max", "value", "i32", True))
    cs.add("TopK/v11_stable_min_f32_ties", [f32(4, 9, lo=-2, hi=2, dist="grid", step=1)],
           lambda p, r: o11.topk(p[0], c(4), 1, "min", "value", "i64", True))
    cs.add("TopK/v11_k_equals_axis", [f32(2, 6, dist="perm")],
           lambda p, r: o11.topk(p[0], c(6), 1, "max", "value", "i32", False))


def attention(cs):
    q = [f32(1, 2, 5, 8), f32(1, 2, 6, 8), f32(1, 2, 6, 8)]
    cs.add("ScaledDotProductAttention/plain", q,
           lambda p, r: o13.scaled_dot_product_attention(p[0], p[1], p[2]))
    cs.add("ScaledDotProductAttention/causal", [f32(1, 2, 6, 8)] * 3,
           lambda p, r: o13.scaled_dot_product_attention(p[0], p[1], p[2], causal=True))
    mask = (np.arange(6)[None, :] <= np.arange(5)[:, None] + 1).reshape(1, 1, 5, 6)
    cs.add("ScaledDotProductAttention/bool_mask", q + [vals("boolean", (1, 1, 5, 6), mask)],
           lambda p, r: o13.scaled_dot_product_attention(p[0], p[1], p[2], p[3]))
    cs.add("ScaledDotProductAttention/float_mask_scale", q + [f32(5, 6, lo=-2, hi=0)],
           lambda p, r: o13.scaled_dot_product_attention(p[0], p[1], p[2], p[3],
                                                         c(0.25, np.float32)))
    cs.add("ScaledDotProductAttention/3d", [f32(3, 5, 8), f32(3, 6, 8), f32(3, 6, 4)],
           lambda p, r: o13.scaled_dot_product_attention(p[0], p[1], p[2]))
    cs.add("ScaledDotProductAttention/3d_causal", [f32(2, 6, 4), f32(2, 6, 4), f32(2, 6, 3)],
           lambda p, r: o13.scaled_dot_product_attention(p[0], p[1], p[2], causal=True))
    cs.add("ScaledDotProductAttention/causal_scale", [f32(1, 2, 6, 8)] * 3 + [f32(6, 6)],
           lambda p, r: o13.scaled_dot_product_attention(p[0], p[1], p[2], p[3],
                                                         c(0.3, np.float32), causal=True))
    cs.add("ScaledDotProductAttention/causal_rect", [f32(1, 2, 4, 8), f32(1, 2, 6, 8),
                                                     f32(1, 2, 6, 8)],
           lambda p, r: o13.scaled_dot_product_attention(p[0], p[1], p[2], causal=True))
    cs.add("ScaledDotProductAttention/broadcast_kv", [f32(2, 4, 5, 8), f32(2, 1, 6, 8),
                                                      f32(2, 1, 6, 8)],
           lambda p, r: o13.scaled_dot_product_attention(p[0], p[1], p[2]))
    cs.add("ScaledDotProductAttention/float_mask_4d", q + [f32(1, 2, 5, 6, lo=-3, hi=0)],
           lambda p, r: o13.scaled_dot_product_attention(p[0], p[1], p[2], p[3]))


def cases():
    cs = Cases()
    for family in (matmul, einsum, convolution, pooling, normalization, reductions, topk,
                   attention):
        family(cs)
    return cs.cases
