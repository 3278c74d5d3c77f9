"""One cross-compilation check (ctest aot-cross/<target>/<model>).

  aot_cross.py --bin BIN_DIR --src SRC_DIR --model MODEL.xml --work WORK_DIR
               --target TRIPLE [--qemu-cpu CPU] [--threads N] [OVCC_FLAGS...]

1. ovcc builds MODEL for TRIPLE into libmodel.so + model.h (--name=model),
   twice: the two libraries must be byte-identical;
2. the library is an ELF shared object for the target's machine, exports only
   model_* and needs nothing but libc, libm, libpthread (and the loader);
3. examples/aot/main.c is compiled by the target's cross compiler
   (TRIPLE-gcc) against the header and the library;
4. ovcc-run runs MODEL with the host's JIT (generating the inputs; dynamic
   dimensions drawn as ovcc-run draws them, which --shape must repeat); the example
   runs the library under qemu-user (`qemu-ARCH -L /usr/TRIPLE`, `-cpu CPU`
   where given) on the same inputs;
5. every output must match the JIT's within the conformance tolerance
   (test/conformance/compare.py: 1e-4 of the output's range for floats,
   exact for integers): the target's vector width and instructions differ,
   so bytes may too. How many outputs are byte-identical is printed.

Exits 77 (skipped) when the cross compiler or qemu-user is missing; scripts/
setup.sh installs both (gcc-aarch64-linux-gnu, qemu-user).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "conformance"))
import compare  # noqa: E402

ELF_MACHINES = {"aarch64": "AArch64", "x86_64": "Advanced Micro Devices X86-64"}
DTYPES = {np.dtype(np.float32): "f32", np.dtype(np.float64): "f64", np.dtype(np.float16): "f16"}


def run(cmd, **kw):
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=True, **kw)


def fail(msg):
    print("FAIL:", msg, flush=True)
    sys.exit(1)


def header_int(header, name):
    m = re.search(r"^#define %s (\d+)$" % re.escape(name), header, re.M)
    if not m:
        fail("model.h has no %s" % name)
    return int(m.group(1))


def check_library(so, arch, tools_prefix):
    readelf = shutil.which(tools_prefix + "readelf") or "readelf"
    head = subprocess.run([readelf, "-h", so], check=True, capture_output=True, text=True).stdout
    want = ELF_MACHINES.get(arch, arch)
    if "DYN" not in head or want not in head:
        fail("%s is not a %s shared object:\n%s" % (so, want, head))
    nm = shutil.which(tools_prefix + "nm") or "nm"
    syms = subprocess.run([nm, "-D", "--defined-only", so], check=True, capture_output=True,
                          text=True).stdout.split("\n")
    names = [line.split()[-1] for line in syms if line.strip()]
    others = [n for n in names if not n.startswith("model_")]
    if others or "model_run" not in names:
        fail("exported symbols outside the ABI (or no model_run): %s" % others)
    dyn = subprocess.run([readelf, "-d", so], check=True, capture_output=True, text=True).stdout
    needed = re.findall(r"\(NEEDED\).*\[(.*)\]", dyn)
    extra = [n for n in needed if not re.match(r"^(libc|libm|libpthread)\.so\.\d+$|^ld-linux", n)]
    if extra:
        fail("unexpected dependencies: %s" % extra)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--qemu-cpu")
    ap.add_argument("--threads", type=int, default=2)
    args, ovcc_flags = ap.parse_known_args()

    arch = args.target.split("-")[0]
    cross_cc = shutil.which(args.target + "-gcc")
    qemu = shutil.which("qemu-" + arch)
    sysroot = "/usr/" + args.target
    if not cross_cc or not qemu or not os.path.isdir(sysroot):
        print("SKIP: needs %s-gcc, qemu-%s and %s (Debian: gcc-%s-linux-gnu, qemu-user)"
              % (args.target, arch, sysroot, arch))
        sys.exit(77)

    work = args.work
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "jit"))
    os.makedirs(os.path.join(work, "aot"))
    so, so2 = os.path.join(work, "libmodel.so"), os.path.join(work, "libmodel2.so")
    header_path = os.path.join(work, "model.h")
    ovcc = [os.path.join(args.bin, "ovcc"), args.model, "--name=model",
            "--target=" + args.target] + ovcc_flags
    run(ovcc + ["-o", so, "-H", header_path])
    run(ovcc + ["-o", so2])
    if open(so, "rb").read() != open(so2, "rb").read():
        fail("two builds of the library differ")
    check_library(so, arch, args.target + "-")

    example = os.path.join(work, "example")
    run([cross_cc, "-std=c11", "-O1", "-Wall", "-Wextra", "-Werror", "-I", work,
         os.path.join(args.src, "examples", "aot", "main.c"), "-L", work, "-lmodel",
         "-Wl,-rpath,$ORIGIN", "-o", example])

    jit = os.path.join(work, "jit")
    run([os.path.join(args.bin, "ovcc-run"), args.model, "--output-dir", jit, "--threads",
         str(args.threads)], stdout=subprocess.DEVNULL)
    header = open(header_path).read()
    n_in = header_int(header, "MODEL_NUM_INPUTS")
    n_out = header_int(header, "MODEL_NUM_OUTPUTS")
    qemu_cmd = [qemu, "-L", sysroot] + (["-cpu", args.qemu_cpu] if args.qemu_cpu else [])
    run(qemu_cmd + [example, "--threads", str(args.threads), "--out", os.path.join(work, "aot")]
        + [os.path.join(jit, "input%d.npy" % i) for i in range(n_in)])

    bad = identical = 0
    for k in range(n_out):
        ref = np.load(os.path.join(jit, "output%d.npy" % k))
        raw = np.fromfile(os.path.join(work, "aot", "output%d.bin" % k), dtype=np.uint8)
        if raw.size != ref.nbytes:
            fail("output %d: %d bytes, expected %d" % (k, raw.size, ref.nbytes))
        got = raw.view(ref.dtype).reshape(ref.shape)
        same = raw.tobytes() == ref.tobytes()
        identical += same
        etype = DTYPES.get(ref.dtype, "exact")
        if etype == "exact":
            ok, err, tol, rule, msg = same, 0.0 if same else float("nan"), 0.0, "exact", \
                "" if same else "integer output differs"
        else:
            ok, err, tol, rule, msg = compare.compare_output(ref, got, etype)
        print("output %d %s %s: max|diff| %.3g, tolerance %.3g (%s)%s %s" % (
            k, ref.dtype, list(ref.shape), err, tol, rule, ", bytes identical" if same else "",
            "ok" if ok else "FAIL " + msg), flush=True)
        bad += not ok
    print("%d of %d outputs byte-identical to the x86-64 JIT's" % (identical, n_out))
    if bad:
        fail("%d output(s) outside the tolerance" % bad)


if __name__ == "__main__":
    main()
