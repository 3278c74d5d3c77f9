"""Per-op cases: recurrent cells and sequences, control flow (TensorIterator,
Loop, If) and state (ReadValue/Assign: one inference on a fresh request, so
ReadValue gives its initializer).

Weights are Constants with small values (gates away from saturation).
"""

import numpy as np
import openvino as ov
import openvino.opset1 as o1
import openvino.opset3 as o3
import openvino.opset4 as o4
import openvino.opset5 as o5
import openvino.opset6 as o6
import openvino.opset15 as ops

from casebuild import Cases, c, const, f32, model, vals

B, I, H, T = 2, 5, 4, 3


def cells(cs):
    x = [f32(B, I, lo=-1, hi=1), f32(B, H, lo=-1, hi=1), f32(B, H, lo=-1, hi=1)]
    w = lambda r, g: (const(r, [g * H, I], -0.5, 0.5), const(r, [g * H, H], -0.5, 0.5))  # noqa
    cs.add("LSTMCell/v4", x, lambda p, r: o4.lstm_cell(
        p[0], p[1], p[2], *w(r, 4), const(r, [4 * H], -0.2, 0.2), H))
    cs.add("LSTMCell/v4_clip", x, lambda p, r: o4.lstm_cell(
        p[0], p[1], p[2], *w(r, 4), const(r, [4 * H], -0.2, 0.2), H, clip=0.5))
    for lbr in (False, True):
        cs.add("GRUCell/linear_before_reset_%s" % str(lbr).lower(), x[:2],
               lambda p, r, lbr=lbr: o3.gru_cell(
                   p[0], p[1], *w(r, 3), const(r, [(4 if lbr else 3) * H], -0.2, 0.2), H,
                   linear_before_reset=lbr))
    cs.add("RNNCell/tanh", x[:2], lambda p, r: o3.rnn_cell(
        p[0], p[1], *w(r, 1), const(r, [H], -0.2, 0.2), H, ["tanh"], [], []))
    cs.add("RNNCell/relu_clip", x[:2], lambda p, r: o3.rnn_cell(
        p[0], p[1], *w(r, 1), const(r, [H], -0.2, 0.2), H, ["relu"], [], [], 0.8))
    cs.add("LSTMCell/v1_activations_clip", x, lambda p, r: o1.lstm_cell(
        p[0], p[1], p[2], *w(r, 4), const(r, [4 * H], -0.2, 0.2), H,
        ["tanh", "relu", "sigmoid"], clip=0.6), note="opset1 class (zero peepholes)")
    cs.add("GRUCell/relu_sigmoid_clip", x[:2], lambda p, r: o3.gru_cell(
        p[0], p[1], *w(r, 3), const(r, [3 * H], -0.2, 0.2), H, ["relu", "sigmoid"], [], [],
        0.7))


def sequences(cs):
    seq = vals("i32", (B,), [T, T - 1])  # the second batch ends early
    for direction, nd in (("forward", 1), ("reverse", 1), ("bidirectional", 2)):
        x = [f32(B, T, I, lo=-1, hi=1), f32(B, nd, H, lo=-1, hi=1), f32(B, nd, H, lo=-1, hi=1), seq]
        ws = lambda r, g, nd=nd: (const(r, [nd, g * H, I], -0.5, 0.5),  # noqa
                                  const(r, [nd, g * H, H], -0.5, 0.5))
        cs.add("LSTMSequence/" + direction, x, lambda p, r, d=direction, nd=nd, ws=ws:
               o5.lstm_sequence(p[0], p[1], p[2], p[3], *ws(r, 4),
                                const(r, [nd, 4 * H], -0.2, 0.2), H, d))
        cs.add("GRUSequence/" + direction, [x[0], x[1], seq], lambda p, r, d=direction, nd=nd,
               ws=ws: o5.gru_sequence(p[0], p[1], p[2], *ws(r, 3),
                                      const(r, [nd, 3 * H], -0.2, 0.2), H, d))
        cs.add("RNNSequence/" + direction, [x[0], x[1], seq], lambda p, r, d=direction, nd=nd,
               ws=ws: o5.rnn_sequence(p[0], p[1], p[2], *ws(r, 1),
                                      const(r, [nd, H], -0.2, 0.2), H, d))
    cs.add("GRUSequence/linear_before_reset", [f32(B, T, I), f32(B, 1, H), seq],
           lambda p, r: o5.gru_sequence(
               p[0], p[1], p[2], const(r, [1, 3 * H, I], -0.5, 0.5),
               const(r, [1, 3 * H, H], -0.5, 0.5), const(r, [1, 4 * H], -0.2, 0.2), H, "forward",
               linear_before_reset=True))
    short_sequences(cs)


def short_sequences(cs):
    """Both rows shorter than T (and a zero length: OpenVINO's CPU plugin then
    gives zero final states), bidirectional, with clip and activations."""
    nd = 2
    ws = lambda r, g: (const(r, [nd, g * H, I], -0.8, 0.8),  # noqa
                       const(r, [nd, g * H, H], -0.8, 0.8))
    x, h = f32(B, T + 2, I, lo=-1, hi=1), f32(B, nd, H, lo=-1, hi=1)
    short = vals("i64", (B,), [T, 2])
    cs.add("LSTMSequence/short_clip_bidirectional", [x, h, h, short], lambda p, r, ws=ws:
           o5.lstm_sequence(p[0], p[1], p[2], p[3], *ws(r, 4), const(r, [nd, 4 * H], -0.2, 0.2),
                            H, "bidirectional", clip=0.5))
    cs.add("LSTMSequence/zero_length", [x, h, h, vals("i32", (B,), [0, T + 1])],
           lambda p, r, ws=ws: o5.lstm_sequence(
               p[0], p[1], p[2], p[3], *ws(r, 4), const(r, [nd, 4 * H], -0.2, 0.2), H,
               "bidirectional", activations=["sigmoid", "relu", "tanh"]),
           note="length 0: zero Y, Ho and Co")
    cs.add("GRUSequence/short_clip_lbr_bidirectional", [x, h, short], lambda p, r, ws=ws:
           o5.gru_sequence(p[0], p[1], p[2], *ws(r, 3), const(r, [nd, 4 * H], -0.2, 0.2), H,
                           "bidirectional", clip=0.4, linear_before_reset=True))
    cs.add("RNNSequence/short_relu_clip_bidirectional", [x, h, short], lambda p, r, ws=ws:
           o5.rnn_sequence(p[0], p[1], p[2], *ws(r, 1), const(r, [nd, H], -0.2, 0.2), H,
                           "bidirectional", ["relu"], clip=0.9))


def tensor_iterator(p, r):
    """Running sum over axis 1 of x [2, 4, 3]: h = tanh(h + x_t * w); outputs
    the last h and all h concatenated along axis 1."""
    xi = ops.parameter([2, 1, 3], ov.Type.f32)
    hi = ops.parameter([2, 1, 3], ov.Type.f32)
    wi = ops.parameter([3], ov.Type.f32)
    h_next = ops.tanh(ops.add(hi, ops.multiply(xi, wi)))
    res = ops.result(h_next)
    body = ov.Model([res], [xi, hi, wi])
    ti = ops.tensor_iterator()
    ti.set_body(body)
    ti.set_sliced_input(xi, p[0].output(0), 0, 1, 1, -1, 1)
    ti.set_merged_input(hi, p[1].output(0), res.output(0))
    ti.set_invariant_input(wi, const(r, [3], 0.5, 1.5).output(0))
    return [ti.get_iter_value(res.output(0), -1),
            ti.get_concatenated_slices(res.output(0), 0, 1, 1, -1, 1)]


def loop(trip, p, r):
    """h = h * 0.9 + x, `trip` times (condition always true), with the
    iteration number added: the last h and all h stacked on axis 0."""
    it = ops.parameter([1], ov.Type.i64)
    hi = ops.parameter([2, 3], ov.Type.f32)
    xi = ops.parameter([2, 3], ov.Type.f32)
    h_next = ops.add(ops.add(ops.multiply(hi, c(0.9, np.float32)), xi),
                     ops.convert(it, "f32"))
    h_res = ops.result(h_next)
    cond_res = ops.result(c(True, np.bool_))
    stacked = ops.result(ops.unsqueeze(h_next, c([0])))
    body = ov.Model([cond_res, h_res, stacked], [it, hi, xi])
    lp = ops.loop(c(trip), c(True, np.bool_))
    lp.set_function(body)
    lp.set_special_body_ports([0, 0])
    lp.set_merged_input(hi, p[0].output(0), h_res.output(0))
    lp.set_invariant_input(xi, p[1].output(0))
    return [lp.get_iter_value(h_res.output(0), -1),
            lp.get_concatenated_slices(stacked.output(0), 0, 1, 1, -1, 0)]


def if_op(p, r):
    """cond ? x * y : x - y (each branch its own body)."""
    tx, ty = ops.parameter([2, 3], ov.Type.f32), ops.parameter([2, 3], ov.Type.f32)
    ex, ey = ops.parameter([2, 3], ov.Type.f32), ops.parameter([2, 3], ov.Type.f32)
    then_res = ops.result(ops.multiply(tx, ty))
    else_res = ops.result(ops.subtract(ex, ey))
    node = ops.if_op(p[0].output(0))
    node.set_then_body(ov.Model([then_res], [tx, ty]))
    node.set_else_body(ov.Model([else_res], [ex, ey]))
    node.set_input(p[1].output(0), tx, ex)
    node.set_input(p[2].output(0), ty, ey)
    return [node.set_output(then_res, else_res)]


def state(version):
    """ReadValue(init = x * 2) + y -> Assign and Result: on a fresh request
    ReadValue returns its initializer, so the output is 2x + y."""
    def build(p, r):
        init = ops.multiply(p[0], c(2.0, np.float32))
        if version == 3:
            rv = o3.read_value(init, "var3")
            sum_ = ops.add(rv, p[1])
            asg = o3.assign(sum_, "var3")
        else:
            rv = o6.read_value(init, "var6", ov.Type.f32, [2, 3])
            sum_ = ops.add(rv, p[1])
            asg = o6.assign(sum_, "var6")
        return model([sum_], p, [asg])
    return build


def state_zero_init(p, r):
    """x + ReadValue() (zeros on a fresh request) -> Assign and Result."""
    info = ov.op.util.VariableInfo()
    info.data_shape, info.data_type, info.variable_id = ov.PartialShape([2, 3]), ov.Type.f32, "z"
    var = ov.op.util.Variable(info)
    rv = o6.read_value(var)
    sum_ = ops.add(p[0], rv)
    return model([sum_], p, [o6.assign(sum_, var)])


def control_flow(cs):
    cs.add("TensorIterator/sliced_merged_invariant", [f32(2, 4, 3), f32(2, 1, 3)], tensor_iterator)
    cs.add("Loop/trip3", [f32(2, 3), f32(2, 3)], lambda p, r: loop(3, p, r))
    for cond in (True, False):
        cs.add("If/cond_%s" % str(cond).lower(),
               [vals("boolean", (), cond), f32(2, 3), f32(2, 3)], if_op)
    cs.add("ReadValue/v3_with_assign", [f32(2, 3), f32(2, 3)], state(3))
    cs.add("ReadValue/v6_with_assign", [f32(2, 3), f32(2, 3)], state(6))
    cs.add("Assign/v6_read_value_no_initializer", [f32(2, 3)], state_zero_init,
           note="ReadValue v6 without an initializer reads zeros")


def cases():
    cs = Cases()
    for family in (cells, sequences, control_flow):
        family(cs)
    return cs.cases
