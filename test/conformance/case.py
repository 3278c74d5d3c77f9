"""What a conformance case is: a model (built with OpenVINO's opset API or read
from the corpus), how its inputs are drawn, and how its outputs are compared.

Inputs are seeded from the case name, so every run feeds the same values; the
distribution is per element type and per case (positive for Log/Sqrt, away
from discontinuities for Floor/Round, ...).
"""

import zlib

import numpy as np

# numpy dtype of each OpenVINO element type name a case may use.
NP_TYPES = {
    "f64": np.float64, "f32": np.float32, "f16": np.float16,
    "i64": np.int64, "i32": np.int32, "i16": np.int16, "i8": np.int8,
    "u64": np.uint64, "u32": np.uint32, "u16": np.uint16, "u8": np.uint8,
    "boolean": np.bool_,
}
FLOAT_TYPES = ("f64", "f32", "f16", "bf16")


class Input:
    """One model input: shape, element type and value distribution.

    dist: "uniform" (lo..hi), "grid" (multiples of 1/step in lo..hi, exact in
    binary: hits .5 ties and integers on purpose), "grid_nonzero" (grid values
    in lo..hi > 0 with a random sign), "nonzero" (|x| in lo..hi, random sign;
    integers: 0 replaced), "special" (uniform plus NaN, +inf, -inf sprinkled in),
    "perm" (a permutation of distinct values: no ties for TopK/argmax-like ops),
    "values" (the literal array `values`).
    """

    def __init__(self, shape, etype="f32", lo=None, hi=None, dist="uniform", step=4,
                 values=None, name=None):
        self.shape = tuple(shape)
        self.etype = etype
        self.lo, self.hi = lo, hi
        self.dist = dist
        self.step = step
        self.values = values
        self.name = name

    def default_range(self):
        if self.etype in FLOAT_TYPES:
            return -2.0, 2.0
        if self.etype == "boolean":
            return 0, 1
        if self.etype.startswith("u"):
            return 0, 20
        return -10, 10

    def generate(self, rng):
        lo, hi = self.default_range()
        lo = lo if self.lo is None else self.lo
        hi = hi if self.hi is None else self.hi
        if self.dist == "values":
            return np.asarray(self.values, dtype=NP_TYPES.get(self.etype)).reshape(self.shape)
        dtype = NP_TYPES[self.etype]
        n = int(np.prod(self.shape, dtype=np.int64))
        if self.etype == "boolean":
            return rng.integers(0, 2, size=self.shape).astype(np.bool_)
        if self.dist == "perm":
            base = np.linspace(lo, hi, n) if self.etype in FLOAT_TYPES else np.arange(n) + lo
            return rng.permutation(base).reshape(self.shape).astype(dtype)
        if self.etype not in FLOAT_TYPES:
            x = rng.integers(int(lo), int(hi) + 1, size=self.shape)
            if self.dist == "nonzero":
                x = np.where(x == 0, hi if hi != 0 else lo, x)
            return x.astype(dtype)
        if self.dist in ("grid", "grid_nonzero"):
            q = self.step
            x = rng.integers(int(np.ceil(lo * q)), int(np.floor(hi * q)) + 1, size=self.shape) / q
            if self.dist == "grid_nonzero":
                x = x * rng.choice([-1.0, 1.0], size=self.shape)
            return x.astype(dtype)
        x = rng.uniform(lo, hi, size=self.shape)
        if self.dist == "nonzero":
            x = np.abs(x) * rng.choice([-1.0, 1.0], size=self.shape)
        elif self.dist == "special" and n:
            flat = x.reshape(-1)
            for special in (np.nan, np.inf, -np.inf):
                flat[rng.integers(0, n, size=max(1, n // 8))] = special
        return x.astype(dtype)


class Case:
    """One conformance case.

    group: "ops" or "corpus"; op: the op it covers (counts in the report);
    build(params, rng) -> output node(s) for op cases (params: the Parameters
    made from `inputs`, rng for constants); model_xml for corpus cases.
    tolerance: None (the rules of compare.py) or (absolute value, reason);
    compare: "elementwise" or "detections" (DetectionOutput rows matched as a
    set: near-tied scores may legitimately swap rows).
    expected: hand-computed outputs (list of arrays) for models OpenVINO
    itself cannot run; refused: the exact error ovcc must give instead.
    """

    def __init__(self, group, name, op=None, inputs=(), build=None, model_xml=None,
                 tolerance=None, compare="elementwise", expected=None, refused=None,
                 reference_model=None, note=None, timeout_s=None):
        self.group = group
        self.name = name
        self.op = op or name.split("/")[0]
        self.inputs = list(inputs)
        self.build = build
        self.model_xml = model_xml
        self.tolerance = tolerance
        self.compare = compare
        self.expected = expected
        self.refused = refused
        self.reference_model = reference_model
        self.note = note
        self.timeout_s = timeout_s

    @property
    def full_name(self):
        return "%s/%s" % (self.group, self.name)

    def rng(self):
        """The case's own input generator: the same values on every run."""
        return np.random.default_rng(zlib.crc32(self.full_name.encode()))

    def const_rng(self):
        """A second generator for the constants a build function makes, so
        that changing an input does not change the weights."""
        return np.random.default_rng(zlib.crc32(("const:" + self.full_name).encode()))

    def input_arrays(self):
        rng = self.rng()
        return [spec.generate(rng) for spec in self.inputs]
