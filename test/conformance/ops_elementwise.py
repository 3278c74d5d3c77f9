"""Per-op cases: unary, activation, binary, conversion and quantization ops.

Input ranges keep each op on its domain and away from its discontinuities
(Log/Sqrt positive, Acosh >= 1, Tan inside (-pi/2, pi/2)); rounding ops get
exact quarter values ("grid") so .5 ties are hit on purpose.
"""

import numpy as np
import openvino as ov
import openvino.opset1 as o1
import openvino.opset2 as o2
import openvino.opset4 as o4
import openvino.opset5 as o5
import openvino.opset7 as o7
import openvino.opset9 as o9
import openvino.opset10 as o10
import openvino.opset13 as o13
import openvino.opset15 as ops
import openvino.opset16 as o16

from casebuild import Cases, c, const, f32, t

SHAPE = (2, 3, 4, 5)
ODD = (3, 7, 5)  # not a multiple of a vector width: exercises loop tails


def unary(cs):
    table = [
        ("Abs", ops.abs, dict(lo=-5, hi=5)),
        ("Acos", ops.acos, dict(lo=-0.99, hi=0.99)),
        ("Acosh", ops.acosh, dict(lo=1.0, hi=5)),
        ("Asin", ops.asin, dict(lo=-0.99, hi=0.99)),
        ("Asinh", ops.asinh, dict(lo=-5, hi=5)),
        ("Atan", ops.atan, dict(lo=-5, hi=5)),
        ("Atanh", ops.atanh, dict(lo=-0.95, hi=0.95)),
        ("Ceiling", ops.ceiling, dict(lo=-5, hi=5, dist="grid")),
        ("Cos", ops.cos, dict(lo=-6.3, hi=6.3)),
        ("Cosh", ops.cosh, dict(lo=-4, hi=4)),
        ("Erf", ops.erf, dict(lo=-3, hi=3)),
        ("Exp", ops.exp, dict(lo=-8, hi=8)),
        ("Floor", ops.floor, dict(lo=-5, hi=5, dist="grid")),
        ("Log", ops.log, dict(lo=0.01, hi=10)),
        ("Negative", ops.negative, dict()),
        ("Sign", ops.sign, dict(lo=-3, hi=3, dist="grid", step=1)),
        ("Sin", ops.sin, dict(lo=-6.3, hi=6.3)),
        ("Sinh", ops.sinh, dict(lo=-4, hi=4)),
        ("Sqrt", ops.sqrt, dict(lo=0.0, hi=10)),
        ("Tan", ops.tan, dict(lo=-1.3, hi=1.3)),
        ("Tanh", ops.tanh, dict(lo=-5, hi=5)),
        ("Identity", o16.identity, dict()),
    ]
    for name, fn, rng in table:
        cs.add(name + "/f32", [f32(*SHAPE, **rng)], lambda p, r, fn=fn: fn(p[0]))
    cs.add("Exp/f32_odd_shape", [f32(*ODD, lo=-3, hi=3)], lambda p, r: ops.exp(p[0]))
    cs.add("Exp/f32_overflow_underflow", [f32(*ODD, lo=-110, hi=95)],
           lambda p, r: ops.exp(p[0]), note="inf above ~88.7, 0/denormals below ~-87")
    cs.add("Tanh/f32_odd_shape", [f32(*ODD, lo=-12, hi=12)], lambda p, r: ops.tanh(p[0]))
    cs.add("Erf/f32_wide", [f32(*ODD, lo=-6, hi=6)], lambda p, r: ops.erf(p[0]))
    cs.add("Log/f32_wide", [f32(*ODD, lo=1e-6, hi=1e6)], lambda p, r: ops.log(p[0]))
    cs.add("Exp/f16", [t("f16", *SHAPE, lo=-4, hi=4)], lambda p, r: ops.exp(p[0]))
    cs.add("Sqrt/f16", [t("f16", *SHAPE, lo=0, hi=100)], lambda p, r: ops.sqrt(p[0]))
    cs.add("Abs/i32", [t("i32", *SHAPE, lo=-100, hi=100)], lambda p, r: ops.abs(p[0]))
    cs.add("Abs/i64", [t("i64", *SHAPE, lo=-100, hi=100)], lambda p, r: ops.abs(p[0]))
    cs.add("Negative/i32", [t("i32", *SHAPE)], lambda p, r: ops.negative(p[0]))
    cs.add("Sign/i32", [t("i32", *SHAPE, lo=-3, hi=3)], lambda p, r: ops.sign(p[0]))
    cs.add("Sqrt/f64", [t("f64", *SHAPE, lo=0, hi=10)], lambda p, r: ops.sqrt(p[0]))
    for mode in ("half_to_even", "half_away_from_zero"):
        cs.add("Round/" + mode, [f32(*SHAPE, lo=-5, hi=5, dist="grid", step=2)],
               lambda p, r, mode=mode: o5.round(p[0], mode))
    cs.add("LogicalNot/boolean", [t("boolean", *SHAPE)], lambda p, r: ops.logical_not(p[0]))
    for et, lo, hi in (("i32", -1000, 1000), ("u8", 0, 255), ("i8", -128, 127), ("boolean", 0, 1)):
        cs.add("BitwiseNot/" + et, [t(et, *SHAPE, lo=lo, hi=hi)],
               lambda p, r: o13.bitwise_not(p[0]))
    special = [f32(*SHAPE, lo=-1e3, hi=1e3, dist="special")]
    cs.add("IsFinite/f32", special, lambda p, r: o10.is_finite(p[0]))
    cs.add("IsNaN/f32", special, lambda p, r: o10.is_nan(p[0]))
    for pos, neg in ((True, True), (True, False), (False, True)):
        cs.add("IsInf/pos%d_neg%d" % (pos, neg), special,
               lambda p, r, pos=pos, neg=neg: o10.is_inf(
                   p[0], {"detect_positive": pos, "detect_negative": neg}))


def activations(cs):
    x = [f32(*SHAPE, lo=-4, hi=4)]
    cs.add("Relu/f32", x, lambda p, r: ops.relu(p[0]))
    cs.add("Relu/f16", [t("f16", *SHAPE, lo=-4, hi=4)], lambda p, r: ops.relu(p[0]))
    cs.add("PRelu/scalar_slope", x, lambda p, r: ops.prelu(p[0], c([0.2], np.float32)))
    cs.add("PRelu/per_channel", x, lambda p, r: ops.prelu(p[0], const(r, [3], 0.0, 0.5)))
    cs.add("PRelu/full_slope", [f32(*SHAPE), f32(*SHAPE, lo=0, hi=1)],
           lambda p, r: ops.prelu(p[0], p[1]))
    cs.add("Elu/alpha_0.5", x, lambda p, r: ops.elu(p[0], 0.5))
    cs.add("Selu/f32", x, lambda p, r: ops.selu(p[0], c([1.6732632], np.float32),
                                                 c([1.0507010], np.float32)))
    cs.add("Gelu/v2", x, lambda p, r: o2.gelu(p[0]))
    cs.add("Gelu/erf", x, lambda p, r: o7.gelu(p[0], "erf"))
    cs.add("Gelu/tanh", x, lambda p, r: o7.gelu(p[0], "tanh"))
    cs.add("Swish/no_beta", x, lambda p, r: o4.swish(p[0]))
    cs.add("Swish/beta", x, lambda p, r: o4.swish(p[0], c(0.7, np.float32)))
    cs.add("HSwish/f32", x, lambda p, r: o4.hswish(p[0]))
    cs.add("HSigmoid/f32", x, lambda p, r: o5.hsigmoid(p[0]))
    cs.add("HardSigmoid/f32", x, lambda p, r: ops.hard_sigmoid(p[0], c(0.2, np.float32),
                                                                c(0.5, np.float32)))
    cs.add("Mish/f32", [f32(*SHAPE, lo=-20, hi=20)], lambda p, r: o4.mish(p[0]))
    cs.add("SoftPlus/f32", [f32(*SHAPE, lo=-30, hi=30)], lambda p, r: o4.softplus(p[0]))
    cs.add("SoftSign/f32", [f32(*SHAPE, lo=-10, hi=10)], lambda p, r: o9.softsign(p[0]))
    cs.add("Sigmoid/f32", [f32(*SHAPE, lo=-20, hi=20)], lambda p, r: ops.sigmoid(p[0]))
    cs.add("Sigmoid/f32_odd_shape", [f32(*ODD, lo=-100, hi=100)], lambda p, r: ops.sigmoid(p[0]))
    cs.add("Clamp/f32", x, lambda p, r: ops.clamp(p[0], -0.5, 1.2))
    cs.add("Clamp/i32_fractional_bounds", [t("i32", *SHAPE)],
           lambda p, r: ops.clamp(p[0], -3.5, 4.5))


BINARY = {
    "Add": ops.add, "Subtract": ops.subtract, "Multiply": ops.multiply,
    "Maximum": ops.maximum, "Minimum": ops.minimum, "SquaredDifference": ops.squared_difference,
}
COMPARE = {
    "Equal": ops.equal, "NotEqual": ops.not_equal, "Less": ops.less,
    "LessEqual": ops.less_equal, "Greater": ops.greater, "GreaterEqual": ops.greater_equal,
}


def python_division(node, on):
    """Divide's m_pythondiv (floor division for integers); the opset API has no argument."""
    node.set_attribute("m_pythondiv", on)
    return node


def binary(cs):
    for name, fn in BINARY.items():
        cs.add(name + "/f32", [f32(*SHAPE), f32(*SHAPE)], lambda p, r, fn=fn: fn(p[0], p[1]))
        cs.add(name + "/f32_broadcast", [f32(2, 1, 4), f32(3, 1)],
               lambda p, r, fn=fn: fn(p[0], p[1]))
        cs.add(name + "/i32", [t("i32", *SHAPE), t("i32", *SHAPE)],
               lambda p, r, fn=fn: fn(p[0], p[1]))
    cs.add("Add/f32_const_rhs", [f32(*ODD)], lambda p, r: ops.add(p[0], const(r, [5])))
    cs.add("Add/f32_pdpd_axis0", [f32(2, 3, 4, 5), f32(2, 1)],
           lambda p, r: ops.add(p[0], p[1], "pdpd"))  # the API makes axis 0: aligned left
    cs.add("Add/f16", [t("f16", *SHAPE), t("f16", *SHAPE)], lambda p, r: ops.add(p[0], p[1]))
    cs.add("Add/i64", [t("i64", *SHAPE), t("i64", *SHAPE)], lambda p, r: ops.add(p[0], p[1]))
    cs.add("Add/u8_wraps", [t("u8", *SHAPE, lo=0, hi=255), t("u8", *SHAPE, lo=0, hi=255)],
           lambda p, r: ops.add(p[0], p[1]))
    cs.add("Add/f64", [t("f64", *SHAPE), t("f64", *SHAPE)], lambda p, r: ops.add(p[0], p[1]))
    cs.add("Multiply/scalar", [f32(*SHAPE), f32()], lambda p, r: ops.multiply(p[0], p[1]))
    cs.add("Divide/f32", [f32(*SHAPE), f32(*SHAPE, lo=0.5, hi=2, dist="nonzero")],
           lambda p, r: ops.divide(p[0], p[1]))
    cs.add("Divide/f32_broadcast", [f32(2, 1, 4), f32(3, 1, lo=0.5, hi=2, dist="nonzero")],
           lambda p, r: ops.divide(p[0], p[1]))
    for pydiv in (True, False):
        cs.add("Divide/i32_pythondiv_%s" % str(pydiv).lower(),
               [t("i32", *SHAPE, lo=-50, hi=50), t("i32", *SHAPE, lo=-7, hi=7, dist="nonzero")],
               lambda p, r, pydiv=pydiv: python_division(ops.divide(p[0], p[1]), pydiv))
    cs.add("Power/f32", [f32(*SHAPE, lo=0.1, hi=3), f32(*SHAPE, lo=-2, hi=2)],
           lambda p, r: ops.power(p[0], p[1]))
    cs.add("Power/f32_integer_exponent", [f32(*SHAPE, lo=-3, hi=3)],
           lambda p, r: ops.power(p[0], c([3.0], np.float32)))
    cs.add("Power/i32", [t("i32", *SHAPE, lo=-3, hi=3), t("i32", *SHAPE, lo=0, hi=4)],
           lambda p, r: ops.power(p[0], p[1]))
    for name, fn in (("Mod", ops.mod), ("FloorMod", ops.floor_mod)):
        cs.add(name + "/f32", [f32(*SHAPE, lo=-10, hi=10, dist="grid"),
                               f32(*SHAPE, lo=0.25, hi=3, dist="grid_nonzero")],
               lambda p, r, fn=fn: fn(p[0], p[1]),
               note="x/y of quarter values is exact, so truncation/flooring is exact too")
        cs.add(name + "/i32", [t("i32", *SHAPE, lo=-50, hi=50),
                               t("i32", *SHAPE, lo=-7, hi=7, dist="nonzero")],
               lambda p, r, fn=fn: fn(p[0], p[1]))
    for name, fn in COMPARE.items():
        cs.add(name + "/f32", [f32(*SHAPE, lo=-3, hi=3, dist="grid", step=1),
                               f32(*SHAPE, lo=-3, hi=3, dist="grid", step=1)],
               lambda p, r, fn=fn: fn(p[0], p[1]))
        cs.add(name + "/i32_broadcast", [t("i32", 2, 3, 1, lo=-2, hi=2), t("i32", 4, lo=-2, hi=2)],
               lambda p, r, fn=fn: fn(p[0], p[1]))
    for name, fn in (("LogicalAnd", ops.logical_and), ("LogicalOr", ops.logical_or),
                     ("LogicalXor", ops.logical_xor)):
        cs.add(name + "/boolean", [t("boolean", *SHAPE), t("boolean", *SHAPE)],
               lambda p, r, fn=fn: fn(p[0], p[1]))
        cs.add(name + "/broadcast", [t("boolean", 2, 1, 4), t("boolean", 3, 1)],
               lambda p, r, fn=fn: fn(p[0], p[1]))
    for name, fn in (("BitwiseAnd", o13.bitwise_and), ("BitwiseOr", o13.bitwise_or),
                     ("BitwiseXor", o13.bitwise_xor)):
        for et, lo, hi in (("i32", -1000, 1000), ("u8", 0, 255), ("boolean", 0, 1)):
            cs.add("%s/%s" % (name, et), [t(et, *SHAPE, lo=lo, hi=hi), t(et, *SHAPE, lo=lo, hi=hi)],
                   lambda p, r, fn=fn: fn(p[0], p[1]))
    for name, fn in (("BitwiseLeftShift", ops.bitwise_left_shift),
                     ("BitwiseRightShift", ops.bitwise_right_shift)):
        cs.add(name + "/i32", [t("i32", *SHAPE, lo=-1000, hi=1000), t("i32", *SHAPE, lo=0, hi=7)],
               lambda p, r, fn=fn: fn(p[0], p[1]))
        cs.add(name + "/u8", [t("u8", *SHAPE, lo=0, hi=255), t("u8", *SHAPE, lo=0, hi=7)],
               lambda p, r, fn=fn: fn(p[0], p[1]))
    cs.add("Select/f32", [t("boolean", *SHAPE), f32(*SHAPE), f32(*SHAPE)],
           lambda p, r: ops.select(p[0], p[1], p[2]))
    cs.add("Select/broadcast", [t("boolean", 3, 1), f32(2, 1, 4), f32(4)],
           lambda p, r: ops.select(p[0], p[1], p[2]))
    cs.add("Select/i32", [t("boolean", *SHAPE), t("i32", *SHAPE), t("i32", *SHAPE)],
           lambda p, r: ops.select(p[0], p[1], p[2]))


def conversions(cs):
    pairs = [
        ("f32", "i32", dict(lo=-100, hi=100, dist="grid", step=4)),  # .5 ties included
        ("f32", "i64", dict(lo=-100, hi=100, dist="grid", step=4)),
        ("f32", "u8", dict(lo=-50, hi=300, dist="grid", step=4)),    # out of range: saturates?
        ("f32", "i8", dict(lo=-200, hi=200, dist="grid", step=4)),
        ("f32", "f16", dict(lo=-70000, hi=70000)),                  # beyond f16's range too
        ("f32", "boolean", dict(lo=-2, hi=2, dist="grid", step=1)),
        ("f16", "f32", dict()),
        ("f32", "f64", dict()),
        ("f64", "f32", dict()),
        ("i32", "f32", dict(lo=-100000, hi=100000)),
        ("i32", "u8", dict(lo=-300, hi=300)),
        ("i32", "i8", dict(lo=-300, hi=300)),
        ("i64", "i32", dict(lo=-100000, hi=100000)),
        ("u8", "f32", dict(lo=0, hi=255)),
        ("u8", "i32", dict(lo=0, hi=255)),
        ("i8", "f32", dict(lo=-128, hi=127)),
        ("boolean", "f32", dict()),
        ("boolean", "i32", dict()),
    ]
    for src, dst, rng in pairs:
        cs.add("Convert/%s_to_%s" % (src, dst), [t(src, *SHAPE, **rng)],
               lambda p, r, dst=dst: ops.convert(p[0], dst))
    cs.add("ConvertLike/f32_like_i32", [f32(*SHAPE, lo=-9, hi=9, dist="grid"), t("i32", 1)],
           lambda p, r: ops.convert_like(p[0], p[1]))


def fake_quantize(cs):
    x = [f32(1, 3, 4, 5, lo=-3, hi=3)]
    cs.add("FakeQuantize/per_tensor_256", x, lambda p, r: ops.fake_quantize(
        p[0], c(-2.0, np.float32), c(2.0, np.float32), c(-2.0, np.float32), c(2.0, np.float32), 256))
    cs.add("FakeQuantize/u8_output_range", x, lambda p, r: ops.fake_quantize(
        p[0], c(0.0, np.float32), c(2.5, np.float32), c(0.0, np.float32), c(255.0, np.float32), 256))
    cs.add("FakeQuantize/per_channel", x, lambda p, r: ops.fake_quantize(
        p[0], c([[[[-1.0]], [[-2.0]], [[0.0]]]], np.float32),
        c([[[[1.0]], [[2.5]], [[1.5]]]], np.float32),
        c([[[[-1.0]], [[-2.0]], [[0.0]]]], np.float32),
        c([[[[1.0]], [[2.5]], [[1.5]]]], np.float32), 255))
    cs.add("FakeQuantize/levels_16_asymmetric", x, lambda p, r: ops.fake_quantize(
        p[0], c(-1.3, np.float32), c(2.1, np.float32), c(-0.5, np.float32), c(1.0, np.float32), 16))
    cs.add("FakeQuantize/levels_2", x, lambda p, r: ops.fake_quantize(
        p[0], c(0.0, np.float32), c(1.0, np.float32), c(-1.0, np.float32), c(1.0, np.float32), 2))


def decompression(cs):
    """Compressed weights: Const u8/i8/u4/i4/nf4 -> Convert -> (Subtract zero
    point) -> Multiply scale (-> Reshape groups) -> MatMul."""
    def u8_zp(p, r):
        w = ops.convert(const(r, [16, 32], 0, 255, np.uint8), "f32")
        zp = ops.convert(const(r, [16, 1], 100, 150, np.uint8), "f32")
        return ops.matmul(p[0], ops.multiply(ops.subtract(w, zp), const(r, [16, 1], 0.001, 0.01)),
                          False, True)

    def i8_sym(p, r):
        w = ops.convert(const(r, [16, 32], -127, 127, np.int8), "f32")
        return ops.matmul(p[0], ops.multiply(w, const(r, [16, 1], 0.001, 0.01)), False, True)

    def grouped(etype, lo, hi):
        def build(p, r):
            q = r.integers(lo, hi + 1, size=[16, 4, 8]).astype(np.int8 if lo < 0 else np.uint8)
            w = ops.convert(ops.constant(q, dtype=etype), "f32")
            if etype == ov.Type.u4:
                w = ops.subtract(w, ops.convert(ops.constant(
                    r.integers(6, 10, size=[16, 4, 1]).astype(np.uint8), dtype=ov.Type.u4), "f32"))
            w = ops.multiply(w, const(r, [16, 4, 1], 0.01, 0.05))
            return ops.matmul(p[0], ops.reshape(w, c([16, 32]), False), False, True)
        return build

    def nf4(p, r):
        w = ops.convert(ops.constant(r.uniform(-1, 1, size=[16, 32]).astype(np.float32),
                                     dtype=ov.Type.nf4), "f32")
        return ops.matmul(p[0], ops.multiply(w, const(r, [16, 1], 0.01, 0.05)), False, True)

    x = [f32(2, 32, lo=-1, hi=1)]
    cs.add("Decompression/u8_zero_point", x, u8_zp, op="Convert")
    cs.add("Decompression/i8_symmetric", x, i8_sym, op="Convert")
    cs.add("Decompression/u4_groups", x, grouped(ov.Type.u4, 0, 15), op="Convert")
    cs.add("Decompression/i4_groups", x, grouped(ov.Type.i4, -8, 7), op="Convert")
    cs.add("Decompression/nf4", x, nf4, op="Convert")


def cases():
    cs = Cases()
    for family in (unary, activations, binary, conversions, fake_quantize, decompression):
        family(cs)
    return cs.cases
