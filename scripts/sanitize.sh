#!/usr/bin/env bash
# Builds everything with AddressSanitizer + UndefinedBehaviorSanitizer into
# build-asan/ (-DOVCC_SANITIZE=ON) and runs the whole ctest suite there:
# unit tests, lit and the corpus test. Any sanitizer report fails the test it
# happens in (-fno-sanitize-recover=all, leaks included).
#   bash scripts/sanitize.sh [extra ctest options, e.g. -R unit/]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
BUILD=build-asan
export PATH="$ROOT/.venv/bin:/usr/lib/llvm-22/bin:$PATH"

cmake -G Ninja -B "$BUILD" -S . -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOVCC_SANITIZE=ON >/dev/null
ninja -C "$BUILD"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
OVCC_BUILD_DIR="$BUILD" exec bash "$ROOT/scripts/test.sh" "$@"
