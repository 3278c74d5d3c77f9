#!/usr/bin/env python3
"""ovcc vs OpenVINO latency on every corpus model, back to back.

For each model: `ovcc-bench MODEL --json --hint latency --threads N --time T`,
then OpenVINO's Python API on the same IR with the same thread count,
INFERENCE_PRECISION_HINT f32 and PERFORMANCE_HINT LATENCY, one request run
synchronously for T seconds after one warm-up infer (the same protocol as
ovcc-bench). OpenVINO's latency is the request's own `latency` (timed inside
OpenVINO's C++ infer, so Python's call overhead is not counted against it);
inputs are set once, as ovcc-bench does. Prints the median latencies and the ratio ovcc / OpenVINO per
model (below 1: ovcc is faster) and the geometric mean of the ratios over the
models both ran. Models ovcc cannot compile yet, or OpenVINO rejects, are
listed as such with the reason (for ovcc: the compile or run error).

Run it with the Python that has openvino (the project's .venv):

  .venv/bin/python bench/compare.py --ovcc-bench build/ovcc-bench [--threads N]
      [--time SECONDS] [--corpus DIR] [--models SUBSTR,...] [--json OUT.json]
"""
import argparse
import glob
import json
import math
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def find_models(corpus, filters):
    models = []
    for d in sorted(os.listdir(corpus)):
        xmls = sorted(glob.glob(os.path.join(corpus, d, "*.xml")))
        if not xmls or (filters and not any(f in d for f in filters)):
            continue
        models.append((d, xmls[0]))
    return models


def first_line(text):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return lines[-1][:160] if lines else "no message"


def run_ovcc(bench, xml, threads, seconds, timeout):
    cmd = [bench, xml, "--json", "--hint", "latency", "--threads", str(threads),
           "--time", str(seconds)]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timed out after %ds" % timeout
    if p.returncode < 0:
        return None, "ovcc-bench crashed (signal %d)" % -p.returncode
    if p.returncode != 0:
        return None, first_line(p.stderr)
    try:
        return json.loads(p.stdout.strip().splitlines()[-1]), None
    except (ValueError, IndexError):
        return None, "unreadable ovcc-bench output: " + first_line(p.stdout)


def ov_inputs(compiled, np, ov):
    """Generated inputs like ovcc-bench: floats in [-1, 1), ints in [0, 10), dynamic dims 1."""
    rng = np.random.default_rng(1)
    feed = {}
    for i, port in enumerate(compiled.inputs):
        ps = port.get_partial_shape()
        if ps.rank.is_dynamic:
            raise RuntimeError("input %d has a dynamic rank" % i)
        dims = []
        for d in ps:
            if d.is_static:
                dims.append(d.get_length())
            else:
                dims.append(max(d.get_min_length(), 1))
        et = port.get_element_type()
        if et.bitwidth < 8:  # packed sub-byte: random bytes, nibbles kept in [0, 8)
            t = ov.Tensor(et, ov.Shape(dims))
            mask = 0x77 if et.bitwidth == 4 else 0xFF
            t.data[...] = rng.integers(0, 256, size=t.data.shape).astype(np.uint8) & mask
            feed[i] = t
            continue
        dtype = et.to_dtype()
        if np.issubdtype(dtype, np.floating):
            feed[i] = rng.uniform(-1, 1, size=dims).astype(dtype)
        elif dtype == np.bool_:
            feed[i] = rng.integers(0, 2, size=dims).astype(dtype)
        else:
            feed[i] = rng.integers(0, 10, size=dims).astype(dtype)
    return feed


def run_openvino(xml, threads, seconds):
    try:
        import numpy as np
        import openvino as ov
    except ImportError as e:
        return None, "openvino is not importable here (%s)" % e
    try:
        core = ov.Core()
        t0 = time.perf_counter()
        compiled = core.compile_model(core.read_model(xml), "CPU", {
            "INFERENCE_NUM_THREADS": threads,
            "INFERENCE_PRECISION_HINT": "f32",
            "PERFORMANCE_HINT": "LATENCY",
        })
        compile_ms = (time.perf_counter() - t0) * 1e3
        req = compiled.create_infer_request()
        for i, t in ov_inputs(compiled, np, ov).items():
            req.set_input_tensor(i, t if isinstance(t, ov.Tensor) else ov.Tensor(t))
        req.infer()  # warm-up, not measured
        lat = []
        start = time.perf_counter()
        deadline = start + seconds
        while True:
            req.infer()
            lat.append(req.latency)  # measured inside OpenVINO: no Python overhead
            if time.perf_counter() >= deadline:
                break
        wall = time.perf_counter() - start
    except Exception as e:  # OpenVINO rejects the model: report, keep going
        return None, first_line(str(e))
    lat.sort()
    n = len(lat)
    median = lat[n // 2] if n % 2 else (lat[n // 2 - 1] + lat[n // 2]) / 2
    p90 = lat[min(n - 1, math.ceil(0.9 * (n - 1)))]
    return {"compile_ms": compile_ms, "latency_median_ms": median, "latency_p90_ms": p90,
            "throughput_fps": n / wall, "threads": threads}, None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ovcc-bench", default=os.path.join(ROOT, "build", "ovcc-bench"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus", "ir"))
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--time", type=float, default=3.0, help="seconds per model and engine")
    ap.add_argument("--timeout", type=int, default=600, help="seconds for one ovcc-bench run")
    ap.add_argument("--models", default="", help="comma-separated substrings of model names")
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args()

    filters = [f for f in args.models.split(",") if f]
    models = find_models(args.corpus, filters)
    if not models:
        sys.exit("bench: no models under %s" % args.corpus)
    rows = []
    print("%-52s %12s %12s %8s" % ("model", "ovcc ms", "openvino ms", "ratio"))
    for name, xml in models:
        ours, our_err = run_ovcc(args.ovcc_bench, xml, args.threads, args.time, args.timeout)
        ref, ref_err = run_openvino(xml, args.threads, args.time)
        row = {"model": name, "ovcc": ours, "openvino": ref}
        if ours and ref:
            row["ratio"] = ours["latency_median_ms"] / ref["latency_median_ms"]
            print("%-52s %12.5f %12.5f %8.3f" % (name, ours["latency_median_ms"],
                                                 ref["latency_median_ms"], row["ratio"]))
        else:
            if not ref:
                row["openvino_error"] = ref_err
            if not ours:
                row["ovcc_error"] = our_err
            why = []
            if not ours:
                why.append("ovcc cannot run it yet: " + our_err)
            if not ref:
                why.append("OpenVINO fails on it: " + ref_err)
            why = "; ".join(why)
            col = lambda r: "%12.5f" % r["latency_median_ms"] if r else "%12s" % "-"
            print("%-52s %s %s %8s  %s" % (name, col(ours), col(ref), "-", why))
        sys.stdout.flush()
        rows.append(row)
    ratios = [r["ratio"] for r in rows if "ratio" in r]
    print()
    if ratios:
        geo = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        print("geometric mean of ovcc/OpenVINO latency over %d models: %.3f (threads %d)"
              % (len(ratios), geo, args.threads))
    else:
        geo = None
        print("no model ran on both engines")
    no_ovcc = [r["model"] for r in rows if not r["ovcc"]]
    no_ov = [r["model"] for r in rows if not r["openvino"]]
    if no_ovcc:
        print("ovcc cannot run yet (%d): %s" % (len(no_ovcc), ", ".join(no_ovcc)))
    if no_ov:
        print("OpenVINO fails on (%d): %s" % (len(no_ov), ", ".join(no_ov)))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"threads": args.threads, "seconds": args.time, "geomean_ratio": geo,
                       "models": rows}, f, indent=1)


if __name__ == "__main__":
    main()
