"""Per-op conformance cases: every Core op of ../shared/docs/op-coverage.md with
representative attributes, shapes and element types, one file per family."""

import importlib

FAMILIES = ("ops_elementwise", "ops_compute", "ops_movement", "ops_recurrent", "ops_detection")


def cases():
    out = []
    for name in FAMILIES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
            continue
        out += module.cases()
    return out
