#!/usr/bin/env python3
"""Cold vs warm start with the compiled-code cache (docs/cache.md).

For each corpus model: `ovcc-run MODEL --cache-dir DIR` with an empty DIR
(cold: compile + store + first inference), then again (warm: load + link +
first inference), both timed as whole processes; the outputs of the two runs
must be byte-identical. With --openvino, OpenVINO's read_model +
compile_model + first infer is timed in a fresh process without and with its
CACHE_DIR (second run), for comparison.

  bench/cache_start.py --ovcc-run build/ovcc-run [--filter SUBSTR] [--openvino]
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time

CORPUS = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus", "ir")

OV_SNIPPET = r"""
import sys, time, numpy as np
t0 = time.perf_counter()
import openvino as ov
core = ov.Core()
cfg = {'INFERENCE_PRECISION_HINT': 'f32'}
if sys.argv[2]:
    cfg['CACHE_DIR'] = sys.argv[2]
cm = core.compile_model(core.read_model(sys.argv[1]), 'CPU', cfg)
req = cm.create_infer_request()
for i, inp in enumerate(cm.inputs):
    shape = [d if d > 0 else 1 for d in inp.get_partial_shape().get_min_shape()]
    req.set_input_tensor(i, ov.Tensor(np.zeros(shape, dtype=inp.get_element_type().to_dtype())))
req.infer()
print(time.perf_counter() - t0)
"""


def timed(cmd, env=None):
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    return time.perf_counter() - t, p


def outputs(d):
    return sorted(f for f in os.listdir(d) if f.startswith("output") and f.endswith(".npy"))


def same_outputs(a, b):
    fa, fb = outputs(a), outputs(b)
    if fa != fb or not fa:
        return False
    for f in fa:
        with open(os.path.join(a, f), "rb") as x, open(os.path.join(b, f), "rb") as y:
            if x.read() != y.read():
                return False
    return True


def ovcc_row(ovcc_run, xml, work):
    cache = os.path.join(work, "cache")
    runs = []
    for i in (1, 2):
        out = os.path.join(work, f"out{i}")
        t, p = timed([ovcc_run, xml, "--cache-dir", cache, "--output-dir", out, "--seed", "1"])
        if p.returncode:
            return None, p.stderr.strip().splitlines()[-1:] or ["?"]
        runs.append(t)
    blob = sum(os.path.getsize(f) for f in glob.glob(os.path.join(cache, "*")))
    return (runs[0], runs[1], blob, same_outputs(os.path.join(work, "out1"),
                                                 os.path.join(work, "out2"))), None


def ov_times(python, xml, work):
    def one(cache):
        p = subprocess.run([python, "-c", OV_SNIPPET, xml, cache], capture_output=True, text=True)
        return float(p.stdout.strip().splitlines()[-1]) if p.returncode == 0 else None
    cache = os.path.join(work, "ovcache")
    cold = one("")
    one(cache)  # populate
    warm = one(cache)
    return cold, warm


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ovcc-run", required=True)
    ap.add_argument("--filter", default="")
    ap.add_argument("--openvino", action="store_true")
    ap.add_argument("--python", default=os.path.join(os.path.dirname(__file__), "..", ".venv", "bin", "python"))
    a = ap.parse_args()
    models = sorted(glob.glob(os.path.join(CORPUS, "*", "*.xml")))
    models = [m for m in models if a.filter in m]
    hdr = f"{'model':58} {'cold s':>7} {'warm s':>7} {'ratio':>6} {'blob KB':>8} same"
    if a.openvino:
        hdr += f" {'OV cold':>8} {'OV warm':>8} {'OVw/ovw':>8}"
    print(hdr)
    for xml in models:
        name = os.path.relpath(xml, CORPUS)
        work = tempfile.mkdtemp(prefix="ovcc-cache-bench-")
        try:
            row, err = ovcc_row(a.ovcc_run, xml, work)
            if row is None:
                print(f"{name:58} fails: {err[0][:90]}")
                continue
            cold, warm, blob, same = row
            line = (f"{name:58} {cold:7.2f} {warm:7.3f} {cold / warm:6.1f} {blob / 1024:8.0f} "
                    f"{'yes' if same else 'NO'}")
            if a.openvino:
                oc, ow = ov_times(a.python, xml, work)
                fmt = lambda v: f"{v:8.3f}" if v is not None else f"{'fail':>8}"
                line += f" {fmt(oc)} {fmt(ow)}"
                line += f" {ow / warm:8.1f}" if ow else f" {'-':>8}"
            print(line, flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
