#!/usr/bin/env python3
"""Corpus test: every model of the IR corpus must load, print, round-trip and optimize.

For each model directory (one .xml + its .bin, if any) it runs
  1. load:      ovcc-opt MODEL.xml            exit 0 (read + verify + print) -> P1
  2. roundtrip: ovcc-opt P1.ovir              exit 0 and output byte-identical to P1
  3. O2:        ovcc-opt MODEL.xml -O2        exit 0 -> Q1
  4. O2 round trip (with --o2-roundtrip): ovcc-opt Q1.ovir exit 0, output == Q1
and prints a table model -> status, then a total. Exit 1 if any model fails a
step, 77 (skip) if the corpus directory does not exist.

usage: check_corpus.py --ovcc-opt build/ovcc-opt [--corpus DIR] [--only NAME] [-j N]
"""

import argparse
import concurrent.futures
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPUS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "corpus", "ir"))
TIMEOUT_S = 300


def run(cmd):
    """Runs cmd; returns (rc, stdout bytes, stderr text). rc -1 on timeout."""
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return -1, b"", "timed out after %d s" % TIMEOUT_S
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def first_diff(a, b):
    """Line number and both lines of the first difference between two outputs."""
    la, lb = a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines()
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else "<end of output>"
        y = lb[i] if i < len(lb) else "<end of output>"
        if x != y:
            return "line %d:\n    first:  %s\n    second: %s" % (i + 1, x[:300], y[:300])
    return "(no line differs)"


def describe(rc, err):
    err = err.strip()
    tail = "\n".join(err.splitlines()[-6:]) if err else "(no stderr)"
    what = "timed out" if rc == -1 else ("killed by signal %d" % -rc if rc < 0 else "exit %d" % rc)
    return "%s: %s" % (what, tail)


def roundtrip(opt, printed, tmp, stem):
    """ovcc-opt on the printed text must print it again byte for byte."""
    path = os.path.join(tmp, stem + ".ovir")
    with open(path, "wb") as f:
        f.write(printed)
    rc, out, err = run([opt, path])
    if rc != 0:
        return "parse of printed IR (%s) failed, %s" % (path, describe(rc, err))
    if out != printed:
        return "print -> parse -> print differs at %s" % first_diff(printed, out)
    return None


def check_model(opt, mdir, o2_roundtrip):
    """Returns (status per step, first failure message or None, n_ops)."""
    name = os.path.basename(mdir)
    xmls = sorted(f for f in os.listdir(mdir) if f.endswith(".xml"))
    steps = {"load": "-", "roundtrip": "-", "O2": "-"}
    if o2_roundtrip:
        steps["O2 roundtrip"] = "-"
    if len(xmls) != 1:
        return steps, "%s: expected one .xml, found %d" % (name, len(xmls)), 0
    xml = os.path.join(mdir, xmls[0])
    with tempfile.TemporaryDirectory(prefix="ovcc-corpus-") as tmp:
        rc, p1, err = run([opt, xml])
        if rc != 0:
            steps["load"] = "FAIL"
            return steps, "load: " + describe(rc, err), 0
        steps["load"] = "ok"
        n_ops = sum(1 for line in p1.splitlines() if b"= ov." in line or line.strip().startswith(b"ov."))

        msg = roundtrip(opt, p1, tmp, "load")
        steps["roundtrip"] = "FAIL" if msg else "ok"
        first_fail = "roundtrip: " + msg if msg else None

        rc, q1, err = run([opt, xml, "-O2"])
        if rc != 0:
            steps["O2"] = "FAIL"
            return steps, first_fail or "O2: " + describe(rc, err), n_ops
        steps["O2"] = "ok"
        if o2_roundtrip:
            msg = roundtrip(opt, q1, tmp, "o2")
            steps["O2 roundtrip"] = "FAIL" if msg else "ok"
            if msg and not first_fail:
                first_fail = "O2 roundtrip: " + msg
    return steps, first_fail, n_ops


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ovcc-opt", required=True, help="path of the ovcc-opt binary")
    ap.add_argument("--corpus", default=DEFAULT_CORPUS, help="corpus directory (default: %(default)s)")
    ap.add_argument("--only", action="append", help="check only this model (repeatable)")
    ap.add_argument("--o2-roundtrip", action="store_true",
                    help="also round-trip the -O2 output through print -> parse -> print")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()

    opt = os.path.abspath(args.ovcc_opt)
    corpus = os.path.abspath(args.corpus)
    if not os.path.isdir(corpus):
        print("corpus directory %s not found: skipped" % corpus)
        return 77
    if not os.access(opt, os.X_OK):
        print("ovcc-opt not found or not executable: %s" % opt)
        return 1
    models = sorted(d for d in os.listdir(corpus) if os.path.isdir(os.path.join(corpus, d)))
    if args.only:
        models = [m for m in models if m in args.only]
    if not models:
        print("no models found in %s" % corpus)
        return 1

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futs = {m: pool.submit(check_model, opt, os.path.join(corpus, m), args.o2_roundtrip)
                for m in models}
        results = {m: f.result() for m, f in futs.items()}

    cols = list(next(iter(results.values()))[0].keys())
    width = max(len(m) for m in models)
    print("%-*s  %5s  %s  %s" % (width, "model", "ops", "  ".join("%-9s" % c for c in cols), "status"))
    n_fail = 0
    for m in models:
        steps, fail, n_ops = results[m]
        n_fail += fail is not None
        print("%-*s  %5d  %s  %s" % (width, m, n_ops, "  ".join("%-9s" % steps[c] for c in cols),
                                     "FAIL" if fail else "PASS"))
    failures = [(m, results[m][1]) for m in models if results[m][1]]
    if failures:
        print("\nFailures:")
        for m, msg in failures:
            print("- %s: %s" % (m, msg.replace("\n", "\n    ")))
    print("\ncorpus: %d models, %d passed, %d failed" % (len(models), len(models) - n_fail, n_fail))
    return 1 if n_fail else 0


if __name__ == "__main__":
    sys.exit(main())
