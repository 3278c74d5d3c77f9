#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-22 (ASan + UBSan) into build-fuzz/ and
# runs one of them.
#
#   bash scripts/fuzz.sh TARGET [SECONDS] [extra libFuzzer flags...]
#
# TARGET: xml (fuzz_xml_reader), weights (fuzz_weights), text (fuzz_text_parser), npy (fuzz_npy),
# or the full target name. SECONDS defaults to 60. New inputs are kept in
# build-fuzz/corpus/<target>/, crashes in build-fuzz/artifacts/<target>/; the
# seeds are test/fuzz/corpus/<xml|weights|text|npy>/ (never written).
# Reproduce a crash: build-fuzz/test/fuzz/<target> build-fuzz/artifacts/<target>/crash-...
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 1 ] || usage
case "$1" in
  xml | fuzz_xml_reader) target=fuzz_xml_reader seeds=xml ;;
  weights | fuzz_weights) target=fuzz_weights seeds=weights ;;
  text | fuzz_text_parser) target=fuzz_text_parser seeds=text ;;
  npy | fuzz_npy) target=fuzz_npy seeds=npy ;;
  -h | --help) usage ;;
  *) echo "fuzz.sh: unknown target '$1' (xml, weights, text, npy)" >&2; exit 2 ;;
esac
seconds="${2:-60}"
shift $(( $# >= 2 ? 2 : 1 ))

CC_FUZZ="${CC_FUZZ:-clang-22}"
if ! command -v "$CC_FUZZ" >/dev/null 2>&1; then
  echo "fuzz.sh: $CC_FUZZ not found (bash scripts/setup.sh installs clang-22)" >&2
  exit 1
fi

BUILD=build-fuzz
if [ ! -f "$BUILD/build.ninja" ]; then
  CC="$CC_FUZZ" cmake -G Ninja -B "$BUILD" -S . -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DOVCC_FUZZ=ON -DOVCC_TESTS=OFF >/dev/null
fi
ninja -C "$BUILD" "$target"

work="$BUILD/corpus/$target"
artifacts="$BUILD/artifacts/$target"
mkdir -p "$work" "$artifacts"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export ASAN_SYMBOLIZER_PATH="${ASAN_SYMBOLIZER_PATH:-/usr/lib/llvm-22/bin/llvm-symbolizer}"

echo "== $target for ${seconds}s (seeds: test/fuzz/corpus/$seeds, corpus: $work, crashes: $artifacts/)"
exec "$BUILD/test/fuzz/$target" \
  -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=30 -print_final_stats=1 \
  -artifact_prefix="$artifacts/" "$@" \
  "$work" "test/fuzz/corpus/$seeds"
