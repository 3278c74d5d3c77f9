# Single-op models vs the OpenVINO CPU plugin (f32 inference precision).
# Usage: OVCC_RUN=<build>/ovcc-run .venv/bin/python t_pool.py [name filters]
# Env: THREADS, OPT (-O0..-O3), OVCC_CMP_DIR (scratch). Tolerance 1e-4 of the output range.
# Single-op models vs OpenVINO CPU: python harness.py [filter]
import os, sys, subprocess, json, shutil, traceback
import numpy as np
import openvino as ov
import openvino.opset15 as ops
import openvino.opset1 as ops1
import openvino.opset2 as ops2
import openvino.opset8 as ops8
core = ov.Core()
RUN = os.environ.get('OVCC_RUN', 'build/ovcc-run')
OUT = os.environ.get('OVCC_CMP_DIR', '/tmp/ovcc_pool_cmp')
rng = np.random.default_rng(0)
results = []

def check(name, build, inputs, opt=os.environ.get('OPT','-O2'), tol=1e-4, threads=os.environ.get('THREADS')):
    if len(sys.argv) > 1 and not any(f in name for f in sys.argv[1:]):
        return
    d = os.path.join(OUT, name); shutil.rmtree(d, ignore_errors=True); os.makedirs(d)
    params = [ops.parameter(list(a.shape), ov.Type(a.dtype), name=f'in{i}') for i, a in enumerate(inputs)]
    outs = build(*params)
    if not isinstance(outs, (list, tuple)): outs = [outs]
    outs = [o.output(0) if hasattr(o, 'output') and not isinstance(o, ov.Output) else o for o in outs]
    model = ov.Model(outs, params, name)
    xml = os.path.join(d, 'm.xml'); ov.save_model(model, xml, compress_to_fp16=False)
    try:
        cm = core.compile_model(model, 'CPU', {'INFERENCE_PRECISION_HINT': 'f32'})
        ref = cm(inputs)
    except RuntimeError as e:
        print(name, 'SKIP-OV', str(e).splitlines()[-1][:100] if str(e) else ''); return
    refs = [ref[cm.outputs[i]] for i in range(len(outs))]
    cmd = [RUN, xml, '--output-dir', d, opt]
    for i, a in enumerate(inputs):
        p = os.path.join(d, f'in{i}.npy'); np.save(p, a); cmd += ['--input', f'in{i}={p}']
    if threads: cmd += ['--threads', str(threads)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        results.append((name, 'FAIL-RUN', r.stderr.strip()[-400:])); print(name, 'FAIL-RUN', r.stderr.strip()[-400:]); return
    worst = 0.0; msg = ''
    for i, e in enumerate(refs):
        g = np.load(os.path.join(d, f'output{i}.npy'))
        if g.shape != e.shape:
            msg += f' out{i} shape {g.shape} vs {e.shape}'; worst = np.inf; continue
        if e.size == 0: continue
        if e.dtype == np.bool_ or np.issubdtype(e.dtype, np.integer):
            bad = int(np.sum(g.astype(np.int64) != e.astype(np.int64)))
            if bad: msg += f' out{i} {bad} int mismatches'; worst = np.inf
            continue
        rngv = float(np.max(e) - np.min(e)) if np.all(np.isfinite(e)) else 1.0
        rngv = max(rngv, float(np.max(np.abs(e))), 1e-30)
        err = float(np.max(np.abs(g.astype(np.float64) - e.astype(np.float64))))
        if not np.all(np.isfinite(g) == np.isfinite(e)): err = np.inf
        worst = max(worst, err / rngv)
    ok = worst <= tol
    results.append((name, 'ok' if ok else 'MISMATCH', f'{worst:.2e}{msg}'))
    print(name, 'ok' if ok else 'MISMATCH', f'rel {worst:.2e}{msg}', flush=True)

def f32(*s): return rng.standard_normal(s).astype(np.float32)
def c(v, dt=np.int64): return ops.constant(np.array(v, dtype=dt))
