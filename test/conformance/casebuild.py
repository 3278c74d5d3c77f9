"""Small helpers the per-op case files share: input specs and constants."""

import numpy as np
import openvino as ov
import openvino.opset15 as ops

from case import Case, Input


def f32(*shape, lo=None, hi=None, dist="uniform", step=4):
    return Input(shape, "f32", lo, hi, dist, step)


def t(etype, *shape, lo=None, hi=None, dist="uniform", step=4):
    return Input(shape, etype, lo, hi, dist, step)


def vals(etype, shape, values):
    return Input(shape, etype, values=values, dist="values")


def const(rng, shape, lo=-1.0, hi=1.0, dtype=np.float32):
    """A seeded Constant (floats uniform in lo..hi, integers in lo..hi)."""
    if np.issubdtype(dtype, np.integer):
        return ops.constant(rng.integers(int(lo), int(hi) + 1, size=shape).astype(dtype))
    return ops.constant(rng.uniform(lo, hi, size=shape).astype(dtype))


def c(value, dtype=np.int64):
    """A literal Constant (shapes, axes, attributes given as inputs)."""
    return ops.constant(np.array(value, dtype=dtype))


class Cases:
    """Collects op cases: add(name, inputs, build, **Case keywords)."""

    def __init__(self):
        self.cases = []

    def add(self, name, inputs, build, **kw):
        self.cases.append(Case("ops", name, inputs=inputs, build=build, **kw))


def model(outputs, params, sinks=()):
    """An ov.Model a build function may return itself (stateful cases)."""
    return ov.Model([ops.result(o) for o in outputs], list(sinks), list(params))
