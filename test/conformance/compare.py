"""How an ovcc output is compared with the reference. The tolerances:

  floating point (f64, f32): |ovcc - ref| <= max(1e-4 * (max(ref) - min(ref)),
                              1e-6 * max(1, max|ref|))
      1e-4 of the output's value range (issue 4); the floor keeps a constant
      output (range 0) from demanding more than f32 can hold.
  f16 / bf16 outputs: the above, but at least one unit in the last place of
      the type at the largest magnitude (2^-10 resp. 2^-7 times max|ref|):
      both sides compute in f32 and round once, a near-tie may round apart.
  models with FakeQuantize: at least one quantization step,
      (output_high - output_low) / (levels - 1), of the FakeQuantize ops
      nearest the output (reference.fq_steps): a value on a rounding boundary
      may land one level apart.
  integer, boolean, string outputs: exact.
  NaN and infinities: at the same positions, with the same sign.
  A case may state its own absolute tolerance, with the reason, instead.

Every comparison also checks the shape and the element type.
"""

import numpy as np

import case as case_mod

ULP_BITS = {"f16": 10, "bf16": 7}
SUBBYTE_INT_TYPES = ("u1", "u2", "u3", "u4", "u6", "i4", "nf4", "f4e2m1")


def float_tolerance(ref, etype, fq_step):
    """(tolerance, rule) of a floating-point output; see the module text."""
    finite = ref[np.isfinite(ref)].astype(np.float64)
    rng = float(finite.max() - finite.min()) if finite.size else 0.0
    mag = float(np.abs(finite).max()) if finite.size else 0.0
    tol, rule = max(1e-4 * rng, 1e-6 * max(1.0, mag)), "1e-4*range"
    if etype in ULP_BITS and mag * 2.0 ** -ULP_BITS[etype] > tol:
        tol, rule = mag * 2.0 ** -ULP_BITS[etype], "1ulp(%s)" % etype
    if fq_step is not None and fq_step > tol:
        tol, rule = fq_step, "1 FQ step"
    return tol, rule


def check_type(ref, got, etype):
    """None if got has the element type of the output, else why not."""
    if etype == "string":
        return None if got.dtype.kind in "US" else "element type %s, expected strings" % got.dtype
    if etype in SUBBYTE_INT_TYPES:
        return None if got.dtype.kind in "iu" else "element type %s, expected integers" % got.dtype
    want = case_mod.NP_TYPES.get(etype, ref.dtype)
    return None if got.dtype == np.dtype(want) else "element type %s, expected %s" % (
        got.dtype, np.dtype(want))


def compare_exact(ref, got):
    if ref.dtype.kind in "US" or got.dtype.kind in "US":
        bad = int(np.sum(ref.astype(str) != got.astype(str)))
        return bad == 0, float(bad), "%d strings differ" % bad
    diff = np.abs(ref.astype(np.float64) - got.astype(np.float64))
    err = float(diff.max()) if diff.size else 0.0
    return err == 0, err, "%d of %d values differ" % (int(np.sum(diff != 0)), diff.size)


def compare_float(ref, got, tol):
    r, g = ref.astype(np.float64), got.astype(np.float64)
    nan_r, nan_g = np.isnan(r), np.isnan(g)
    inf_r, inf_g = np.isinf(r), np.isinf(g)
    special_bad = (nan_r != nan_g) | (inf_r != inf_g) | (inf_r & inf_g & (np.sign(r) != np.sign(g)))
    finite = np.isfinite(r) & np.isfinite(g)
    diff = np.abs(np.where(finite, r, 0.0) - np.where(finite, g, 0.0))
    err = float(diff.max()) if diff.size else 0.0
    nbad = int(np.sum(special_bad))
    if nbad:
        return False, err, "%d NaN/inf positions differ" % nbad
    if err <= tol:
        return True, err, ""
    where = np.unravel_index(int(np.argmax(diff)), diff.shape)
    return False, err, "%d of %d values over tolerance; worst at %s: ovcc %r, reference %r" % (
        int(np.sum(diff > tol)), diff.size, tuple(int(i) for i in where), g[where], r[where])


def detection_rows(a):
    """Valid rows [image, label, conf, x1, y1, x2, y2] of a DetectionOutput."""
    rows = a.reshape(-1, 7).astype(np.float64)
    end = np.nonzero(rows[:, 0] < 0)[0]
    return rows[: end[0] if end.size else len(rows)]


def compare_detections(ref, got, tol):
    """DetectionOutput rows as a set: every reference row has an ovcc row with
    the same image and label and values within tol, and the other way round;
    only rows whose score is within tol of the lowest kept score may be
    missing (a near-tie at the top_k / keep_top_k cut)."""
    r, g = detection_rows(ref), detection_rows(got)
    cut = min(r[:, 2].min() if len(r) else 1.0, g[:, 2].min() if len(g) else 1.0)
    used = np.zeros(len(g), bool)
    err, missing = 0.0, 0
    for row in r:
        cand = np.nonzero(~used & (g[:, 0] == row[0]) & (g[:, 1] == row[1]))[0]
        d = np.abs(g[cand, 2:] - row[2:]).max(axis=1) if cand.size else np.array([])
        ok = cand[d <= tol] if cand.size else cand
        if ok.size:
            best = ok[np.argmin(d[d <= tol])]
            used[best] = True
            err = max(err, float(np.abs(g[best, 2:] - row[2:]).max()))
        elif row[2] > cut + tol:
            missing += 1
    extra = int(np.sum(~used & (g[:, 2] > cut + tol))) if len(g) else 0
    if missing or extra:
        return False, err, "%d reference detections unmatched, %d extra ovcc detections" % (
            missing, extra)
    return True, err, ""


def compare_output(ref, got, etype, fq_step=None, override=None, mode="elementwise"):
    """(ok, max abs error, tolerance, tolerance rule, message)."""
    bad_type = check_type(ref, got, etype)
    if bad_type:
        return False, float("nan"), 0.0, "-", bad_type
    if tuple(ref.shape) != tuple(got.shape):
        return False, float("nan"), 0.0, "-", "shape %s, expected %s" % (
            list(got.shape), list(ref.shape))
    if etype not in case_mod.FLOAT_TYPES:
        ok, err, msg = compare_exact(ref, got)
        return ok, err, 0.0, "exact", msg
    tol, rule = float_tolerance(ref, etype, fq_step)
    if override is not None:
        tol, rule = override[0], "case: " + override[1]
    if mode == "detections":
        ok, err, msg = compare_detections(ref, got, tol)
        return ok, err, tol, rule + ", rows as a set", msg
    ok, err, msg = compare_float(ref, got, tol)
    return ok, err, tol, rule, msg
