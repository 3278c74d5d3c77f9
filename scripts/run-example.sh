#!/usr/bin/env bash
# Runs ovcc-opt on the bundled example model: reads the IR (XML + weights),
# verifies it, runs the -O2 pipeline and prints the resulting textual IR.
#   bash scripts/run-example.sh [extra ovcc-opt options]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
MODEL=examples/text-image-super-resolution-0001/model.xml

printf '\n== build/ovcc-opt %s -O2 %s\n' "$MODEL" "$*"
build/ovcc-opt "$MODEL" -O2 "$@"
