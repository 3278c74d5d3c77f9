#!/usr/bin/env python3
"""Conformance suite: ovcc's outputs against OpenVINO's, for every corpus model
and for per-op cases (docs/conformance.md).

For each case it (1) writes the model, seeded inputs and OpenVINO's reference
outputs under the work directory (reference.py), (2) runs
  ovcc-run MODEL.xml --input NAME=in<K>.npy ... --output-dir DIR -O<level>
at each level (-O0 and -O3 by default), (3) compares every DIR/output<K>.npy
with ref<K>.npy (compare.py states the tolerances), and prints one line per
case: status, worst error, its tolerance.

Statuses: PASS; XFAIL (ovcc refuses the case as UNSUPPORTED, e.g. "no code
generator", and the case is listed in expected_unsupported.txt); FAIL (a
wrong answer, a crash, any other error, an UNSUPPORTED case that is not
listed, or a listed case that passes: "unexpectedly passing"). Exit status 1
if any case fails, 0 otherwise.

usage: conformance.py --ovcc-run build/ovcc-run [--group corpus|ops]...
           [--filter REGEX] [--opt-levels 0,3] [-j N] [--work-dir DIR]
           [--update-expected] [--references-only] [--list] [--summary FILE]
"""

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree

import numpy as np  # noqa: E402

import compare  # noqa: E402

DEFAULT_CORPUS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "corpus", "ir"))
DEFAULT_EXPECTED = os.path.join(HERE, "expected_unsupported.txt")
UNSUPPORTED_RE = re.compile(r"unsupported|no code generator", re.IGNORECASE)
FAILING = ("FAIL", "WRONG", "ERROR", "CRASH", "TIMEOUT")


def load_cases(groups, corpus_dir):
    cases = []
    if "corpus" in groups:
        import corpus_cases
        cases += corpus_cases.cases(corpus_dir)
    if "ops" in groups:
        import op_cases
        cases += op_cases.cases()
    names = [c.full_name for c in cases]
    dups = sorted({n for n in names if names.count(n) > 1})
    if dups:
        raise SystemExit("duplicate case names: %s" % ", ".join(dups))
    return cases


def case_dir(work, c):
    return os.path.join(work, c.group, re.sub(r"[^A-Za-z0-9_.-]", "_", c.name))


def read_expected(path):
    """Case names listed in the expected-unsupported file (comments after #)."""
    names = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                body, _, comment = line.partition("#")
                if body.strip():
                    names[body.strip()] = comment.strip()
    return names


def write_expected(path, old, results):
    """Rewrites the list: entries of cases not run now are kept; the run
    cases are listed exactly when ovcc refused them as UNSUPPORTED."""
    run_names = {r["case"] for r in results}
    entries = {n: why for n, why in old.items() if n not in run_names}
    for r in results:
        if r["raw"] == "UNSUPPORTED":
            entries[r["case"]] = r["reason"][:150]
    with open(path, "w") as f:
        f.write("# Conformance cases ovcc refuses today with an UNSUPPORTED error (e.g. \"no code\n"
                "# generator\"): reported as XFAIL. A listed case that passes is an error.\n"
                "# Regenerate: conformance.py --ovcc-run ... --update-expected\n")
        for name in sorted(entries):
            f.write("%s  # %s\n" % (name, entries[name]) if entries[name] else name + "\n")


def prepare_all(cases, work):
    """OpenVINO side, serially (OpenVINO uses every core itself)."""
    import openvino as ov
    import reference
    core = ov.Core()
    metas, errors = {}, {}
    for c in cases:
        try:
            metas[c.full_name] = reference.prepare(c, case_dir(work, c), core)
        except Exception as e:  # a broken case definition: reported, not fatal
            errors[c.full_name] = "reference: %s" % str(e).strip().splitlines()[-1][:300]
    return metas, errors


def run_ovcc(tool, meta, out_dir, level, timeout_s):
    """(rc, stderr) of one ovcc-run; rc None on timeout."""
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    cmd = [tool, meta["model"]]
    for inp in meta["inputs"]:
        cmd += ["--input", "%s=%s" % (inp["key"], inp["file"])]
    cmd += ["--output-dir", out_dir, "-O%d" % level]
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return None, "timed out after %d s" % timeout_s
    # the model path prefixes every message: drop it to keep the listing short
    return p.returncode, p.stderr.decode("utf-8", "replace").replace(meta["model"] + ":", "")


def first_line(text, pattern=None):
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    if pattern:
        lines = [l for l in lines if pattern.search(l)] or lines
    return lines[0] if lines else "(no stderr)"


def check_level(c, meta, cdir, tool, level):
    """One optimization level: dict(status, err, tol, rule, message)."""
    out_dir = os.path.join(cdir, "O%d" % level)
    rc, err_text = run_ovcc(tool, meta, out_dir, level, c.timeout_s or
                            (600 if c.group == "corpus" else 120))
    res = {"status": "PASS", "err": 0.0, "tol": 0.0, "rule": "", "message": ""}
    if meta.get("refused"):
        if rc not in (None, 0) and rc > 0 and meta["refused"] in err_text:
            res.update(rule="refused", message="refused as expected")
        else:
            res.update(status="FAIL", message="expected the error %r, got rc %s: %s" % (
                meta["refused"], rc, first_line(err_text)))
        return res
    if rc is None:
        return dict(res, status="TIMEOUT", message=err_text)
    if rc < 0 or rc >= 128:
        return dict(res, status="CRASH", message="rc %d: %s" % (rc, first_line(err_text)))
    if rc != 0:
        status = "UNSUPPORTED" if UNSUPPORTED_RE.search(err_text) else "ERROR"
        return dict(res, status=status, message=first_line(err_text, UNSUPPORTED_RE))
    worst = -1.0
    for k, out in enumerate(meta["outputs"]):
        path = os.path.join(out_dir, "output%d.npy" % k)
        if not os.path.exists(path):
            return dict(res, status="ERROR", message="no output%d.npy" % k)
        got = np.load(path, allow_pickle=False)
        ref = np.load(os.path.join(cdir, "ref%d.npy" % k), allow_pickle=False)
        ok, err, tol, rule, msg = compare.compare_output(
            ref, got, out["etype"], meta["fq_steps"][k], c.tolerance, c.compare)
        ratio = err / tol if tol > 0 else (0.0 if err == 0 else float("inf"))
        if not ok:
            return dict(res, status="WRONG", err=err, tol=tol, rule=rule,
                        message="output %d: %s" % (k, msg))
        if ratio > worst:
            worst = ratio
            res.update(err=err, tol=tol, rule=rule)
    return res


def classify(c, levels, expected):
    """Case status from its levels and the expected-unsupported list."""
    raws = [l["status"] for l in levels.values()]
    bad = [(lv, l) for lv, l in levels.items() if l["status"] in FAILING]
    if bad:
        lv, l = bad[0]
        return "FAIL", l["status"], "-O%d %s: %s" % (lv, l["status"], l["message"])
    unsup = [(lv, l) for lv, l in levels.items() if l["status"] == "UNSUPPORTED"]
    if unsup:
        lv, l = unsup[0]
        if c.full_name in expected:
            return "XFAIL", "UNSUPPORTED", l["message"]
        return "FAIL", "UNSUPPORTED", "unsupported and not in expected_unsupported.txt: " + \
            l["message"]
    if c.full_name in expected:
        return "FAIL", "PASS", "unexpectedly passing: remove it from expected_unsupported.txt"
    note = next((l["message"] for l in levels.values() if l["message"]), "")
    return "PASS", raws[0], note


def run_case(c, meta, work, tool, opt_levels, expected):
    cdir = case_dir(work, c)
    levels = {lv: check_level(c, meta, cdir, tool, lv) for lv in opt_levels}
    status, raw, message = classify(c, levels, expected)
    unsup = [l["message"] for l in levels.values() if l["status"] == "UNSUPPORTED"]
    return {"case": c.full_name, "op": c.op, "status": status, "raw": raw, "message": message,
            "reason": short_reason(unsup[0]) if unsup else "", "levels": levels}


def short_reason(message):
    """The part of an ovcc error that says what is unsupported."""
    m = re.search(r"(no code generator.*|[^:]*unsupported.*)$", message, re.IGNORECASE)
    return (m.group(1) if m else message).strip()


def fmt_err(l):
    if l["status"] not in ("PASS", "WRONG"):
        return "%-10s" % l["status"].lower()[:10]
    return "%-10.3g" % l["err"]


def print_table(results, opt_levels, out):
    width = max([len(r["case"]) for r in results] + [4])
    head = "%-*s  %-6s  " % (width, "case", "status") + "  ".join(
        "%-10s" % ("O%d maxerr" % lv) for lv in opt_levels) + "  %-10s  %s" % ("tolerance", "note")
    out.write(head + "\n")
    for r in results:
        lv = r["levels"]
        tol = max((l["tol"] for l in lv.values()), default=0.0)
        rule = next((l["rule"] for l in lv.values() if l["rule"]), "")
        out.write("%-*s  %-6s  " % (width, r["case"], r["status"]) +
                  "  ".join(fmt_err(lv[l]) for l in opt_levels) +
                  "  %-10s  %s%s\n" % ("%.3g" % tol if rule not in ("exact", "refused") else rule,
                                       "[%s] " % rule if rule not in ("", "exact", "refused",
                                                                      "1e-4*range") else "",
                                       r["message"]))


def write_summary(path, results, opt_levels):
    with open(path, "w") as f:
        f.write("case\top\tstatus\t" + "\t".join("O%d_max_abs_err\tO%d_tolerance" % (l, l)
                                                 for l in opt_levels) + "\tnote\n")
        for r in results:
            cols = []
            for l in opt_levels:
                lv = r["levels"][l]
                cols += [repr(lv["err"]) if lv["status"] in ("PASS", "WRONG") else lv["status"],
                         repr(lv["tol"])]
            f.write("\t".join([r["case"], r["op"], r["status"]] + cols +
                              [r["message"].replace("\t", " ")]) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ovcc-run", help="the ovcc-run executable")
    ap.add_argument("--group", action="append", choices=["corpus", "ops"],
                    help="case group (repeatable; default: both)")
    ap.add_argument("--filter", help="only cases whose group/name matches this regex")
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument("--work-dir", default=os.path.join(os.getcwd(), "conformance-work"))
    ap.add_argument("--opt-levels", default="0,3")
    ap.add_argument("-j", "--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--expected", default=DEFAULT_EXPECTED)
    ap.add_argument("--update-expected", action="store_true",
                    help="rewrite the expected-unsupported list from this run")
    ap.add_argument("--references-only", action="store_true",
                    help="write models, inputs and references; run no ovcc")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    ap.add_argument("--summary", help="also write the per-case table as TSV here")
    args = ap.parse_args()
    groups = args.group or ["corpus", "ops"]
    opt_levels = [int(x) for x in args.opt_levels.split(",")]

    try:
        import openvino  # noqa: F401
    except ImportError:
        print("openvino is not importable from %s: skipping" % sys.executable)
        return 77
    if "corpus" in groups and not os.path.isdir(args.corpus):
        print("corpus %s not found: skipping" % args.corpus)
        return 77
    cases = load_cases(groups, args.corpus)
    if args.filter:
        cases = [c for c in cases if re.search(args.filter, c.full_name)]
    if args.list:
        for c in cases:
            print("%-50s %s" % (c.full_name, c.op))
        print("%d cases" % len(cases))
        return 0
    if not args.references_only and not args.ovcc_run:
        ap.error("--ovcc-run is required (or --references-only)")

    t0 = time.time()
    metas, ref_errors = prepare_all(cases, args.work_dir)
    t_ref = time.time() - t0
    print("references: %d cases in %.1f s (%d broken)" % (len(metas), t_ref, len(ref_errors)))
    for name, msg in sorted(ref_errors.items()):
        print("  %s: %s" % (name, msg))
    if args.references_only:
        return 1 if ref_errors else 0

    expected = read_expected(args.expected)
    todo = [c for c in cases if c.full_name in metas]
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(run_case, c, metas[c.full_name], args.work_dir,
                               os.path.abspath(args.ovcc_run), opt_levels, expected)
                   for c in todo]
        results = [f.result() for f in futures]
    empty = {"status": "ERROR", "err": 0.0, "tol": 0.0, "rule": "", "message": ""}
    for name, msg in ref_errors.items():
        results.append({"case": name, "op": name.split("/")[1], "status": "FAIL", "raw": "ERROR",
                        "message": msg, "reason": "", "levels": {l: dict(empty) for l in opt_levels}})
    results.sort(key=lambda r: r["case"])

    print_table(results, opt_levels, sys.stdout)
    if args.summary:
        write_summary(args.summary, results, opt_levels)
    counts = {s: sum(r["status"] == s for r in results) for s in ("PASS", "XFAIL", "FAIL")}
    print("\n%d cases: %d pass, %d xfail (unsupported, listed), %d fail; %.1f s in all"
          % (len(results), counts["PASS"], counts["XFAIL"], counts["FAIL"], time.time() - t0))
    known = {c.full_name for c in load_cases(["corpus", "ops"], args.corpus)} \
        if os.path.isdir(args.corpus) else set()
    stale = sorted(n for n in expected if known and n not in known)
    if stale:
        print("note: expected_unsupported.txt lists unknown cases: %s" % ", ".join(stale))
    if args.update_expected:
        write_expected(args.expected, expected, results)
        print("rewrote %s" % args.expected)
        return 0 if all(r["raw"] in ("PASS", "UNSUPPORTED") for r in results) else 1
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
