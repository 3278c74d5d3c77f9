#!/usr/bin/env bash
# The main job on the bundled example model: ovcc compiles it in process
# (LLVM ORC JIT for this CPU) and runs it on a seeded input, then prints its
# result and checks it against OpenVINO's (the .venv reference runtime).
#   bash scripts/run-example.sh [extra ovcc-run options, e.g. --threads 1 -O3]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
MODEL=examples/text-image-super-resolution-0001/model.xml
OUT=build/example

rm -rf "$OUT"
printf '\n== build/ovcc-run %s --output-dir %s %s\n' "$MODEL" "$OUT" "$*"
build/ovcc-run "$MODEL" --output-dir "$OUT" "$@"

printf '\n== result (%s/outputs.json, output0.npy), compared with OpenVINO\n' "$OUT"
.venv/bin/python - "$MODEL" "$OUT" <<'PY'
import json, sys
import numpy as np
import openvino as ov

model, out = sys.argv[1], sys.argv[2]
meta = json.load(open(f"{out}/outputs.json"))
core = ov.Core()
cm = core.compile_model(model, "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
inputs = [np.load(f"{out}/input{i}.npy") for i in range(len(cm.inputs))]
ref = cm(inputs)
for k, port in enumerate(meta["outputs"]):
    got = np.load(f"{out}/output{k}.npy")
    exp = ref[k]
    rng = float(exp.max() - exp.min()) or 1.0
    err = float(np.abs(got.astype(np.float64) - exp).max())
    print(f"output {k} {port['names']}: {got.dtype}{list(got.shape)} "
          f"min {got.min():.4f} max {got.max():.4f} mean {got.mean():.4f}")
    print(f"  first values {[round(float(v), 4) for v in got.reshape(-1)[:6]]}")
    print(f"  vs OpenVINO: max |diff| {err:.3g} = {err / rng:.3g} of the output range "
          f"({'ok' if err <= 1e-4 * rng else 'MISMATCH'})")
    if err > 1e-4 * rng:
        sys.exit(1)
PY
