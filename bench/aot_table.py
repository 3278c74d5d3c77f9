#!/usr/bin/env python3
"""AOT libraries for every corpus model (docs/aot.md): build time and size,
outputs against the JIT, and run time AOT vs JIT.

For each model of ../shared/corpus/ir: `ovcc MODEL -o lib.so` (x86-64 for this
host, and with --cross also aarch64-linux-gnu) is timed as a whole process and
its size taken; `ovcc-run MODEL` (JIT, generating the inputs) and
`ovcc-run lib.so` on the same inputs must give byte-identical outputs; then
the run time: JIT median latency from `ovcc-bench MODEL --threads T --time S`,
AOT median from examples/aot/main.c built against the library
(`--repeat N --threads T`), both in this process' machine, one after the
other. Models with dynamic inputs get --shape from the inputs ovcc-run
generated. A model the AOT path refuses (string tensors) is listed with the
reason.

  bench/aot_table.py --bin build [--threads 1] [--time 2] [--filter SUBSTR] [--cross]
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "..", "shared", "corpus", "ir")


def timed(cmd):
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    return time.perf_counter() - t, p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "build"))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--time", type=float, default=2.0)
    ap.add_argument("--filter", default="")
    ap.add_argument("--cross", action="store_true", help="also build for aarch64-linux-gnu")
    args = ap.parse_args()
    ovcc, run, bench = (os.path.join(args.bin, t) for t in ("ovcc", "ovcc-run", "ovcc-bench"))
    src = os.path.join(HERE, "..")
    models = sorted(glob.glob(os.path.join(CORPUS, "*", "*.xml")))
    print("| model | build s | .so KB | aarch64 build s | aarch64 .so KB | outputs | JIT ms | AOT ms | AOT/JIT |")
    print("|---|---|---|---|---|---|---|---|---|")
    ratios = []
    for model in models:
        name = os.path.basename(os.path.dirname(model))
        if args.filter not in name:
            continue
        work = tempfile.mkdtemp(prefix="ovcc-aot-table-")
        try:
            jit = os.path.join(work, "jit")
            _, p = timed([run, model, "--output-dir", jit, "--threads", str(args.threads)])
            if p.returncode:
                print("| %s | JIT failed: %s |" % (name, p.stderr.strip().splitlines()[-1]))
                continue
            inputs = sorted(glob.glob(os.path.join(jit, "input*.npy")))
            shapes = ["--shape=" + ",".join(str(d) for d in np.load(f, allow_pickle=False).shape)
                      for f in inputs]
            so = os.path.join(work, "libmodel.so")
            header = os.path.join(work, "model.h")
            dt, p = timed([ovcc, model, "-o", so, "-H", header, "--name=model"] + shapes)
            if p.returncode:
                print("| %s | refused: %s |" % (name, p.stderr.strip().splitlines()[-1]))
                continue
            size = os.path.getsize(so) / 1024
            cross_t = cross_kb = "-"
            if args.cross:
                so64 = os.path.join(work, "libmodel64.so")
                ct, p = timed([ovcc, model, "-o", so64, "--target=aarch64-linux-gnu"] + shapes)
                if p.returncode == 0:
                    cross_t, cross_kb = "%.2f" % ct, "%.0f" % (os.path.getsize(so64) / 1024)
            aot = os.path.join(work, "aot")
            cmd = [run, so, "--output-dir", aot, "--threads", str(args.threads)]
            for i, f in enumerate(inputs):
                cmd += ["--input", "#%d=%s" % (i, f)]
            _, p = timed(cmd)
            same = p.returncode == 0
            for f in sorted(glob.glob(os.path.join(jit, "output*.npy"))):
                g = os.path.join(aot, os.path.basename(f))
                same = same and os.path.exists(g) and open(f, "rb").read() == open(g, "rb").read()
            # run time: JIT (ovcc-bench median) and AOT (the example's median)
            _, p = timed([bench, model, "--threads", str(args.threads), "--time", str(args.time),
                          "--json"])
            jit_ms = json.loads(p.stdout)["latency_median_ms"] if p.returncode == 0 else None
            exe = os.path.join(work, "example")
            subprocess.run(["cc", "-std=c11", "-O2", "-I", work,
                            os.path.join(src, "examples", "aot", "main.c"), "-L", work, "-lmodel",
                            "-Wl,-rpath," + work, "-o", exe], check=True)
            # as many runs as fill about --time seconds (from the JIT's latency)
            reps = max(5, min(20000, int(args.time * 1000 / max(jit_ms or 1.0, 1e-3))))
            p = subprocess.run([exe, "--threads", str(args.threads), "--repeat", str(reps), "--out",
                                aot] + inputs, capture_output=True, text=True)
            m = re.search(r"median ([0-9.]+) ms", p.stdout)
            aot_ms = float(m.group(1)) if m else None
            ratio = aot_ms / jit_ms if aot_ms and jit_ms else None
            if ratio:
                ratios.append(ratio)
            print("| %s | %.2f | %.0f | %s | %s | %s | %s | %s | %s |" % (
                name, dt, size, cross_t, cross_kb, "identical" if same else "DIFFER",
                "%.4g" % jit_ms if jit_ms else "-", "%.4g" % aot_ms if aot_ms else "-",
                "%.2f" % ratio if ratio else "-"), flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    if ratios:
        print("\ngeometric mean AOT/JIT median run time over %d models (%d thread(s)): %.3f" % (
            len(ratios), args.threads, float(np.exp(np.mean(np.log(ratios))))))


if __name__ == "__main__":
    sys.exit(main())
