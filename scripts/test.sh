#!/usr/bin/env bash
# The test command: brings build/ up to date and runs every ctest there: the
# cmocka unit tests (unit/*), the lit suite (lit) and the corpus test (corpus).
# Prints "N passed, M failed" (ctest tests) last; exits non-zero on any failure.
#   bash scripts/test.sh [extra ctest options, e.g. -R corpus]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
BUILD="${OVCC_BUILD_DIR:-build}"

if [ ! -f "$BUILD/build.ninja" ]; then
  echo "test.sh: $BUILD/ is not configured; run 'bash scripts/setup.sh' first" >&2
  exit 1
fi
export PATH="$ROOT/.venv/bin:/usr/lib/llvm-22/bin:$PATH"

ninja -C "$BUILD"

LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
rc=0
ctest --test-dir "$BUILD" --output-on-failure -j "$(nproc)" "$@" 2>&1 | tee "$LOG" || rc=$?

# ctest's summary: "NN% tests passed, F tests failed out of T"
summary="$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$LOG" | tail -n 1 || true)"
if [ -z "$summary" ]; then
  echo "test.sh: no ctest summary found (no tests ran?)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
failed="$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$summary")"
total="$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$summary")"
if [ "$total" -eq 0 ]; then
  echo "0 passed, 1 failed"
  exit 1
fi
# Skipped tests (exit 77: a tool they need is missing) are named, not hidden.
skipped="$(grep -cE '\*\*\*Skipped|Not Run \(Disabled\)' "$LOG" || true)"
echo
if [ "$skipped" -gt 0 ]; then
  echo "skipped (see above why): $skipped"
fi
echo "$((total - failed - skipped)) passed, $failed failed"
if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ]; then
  exit 1
fi
