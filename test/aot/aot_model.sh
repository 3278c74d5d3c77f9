#!/bin/sh
# One AOT end-to-end check (ctest aot/<model>):
#   aot_model.sh BIN_DIR SRC_DIR MODEL.xml WORK_DIR THREADS [OVCC_FLAGS...]
# 1. ovcc builds MODEL into libmodel.so + model.h (--name=model), twice: the
#    two libraries must be byte-identical;
# 2. `nm -D --defined-only` lists only model_* symbols, and the library needs
#    nothing but libc, libm, libpthread (and the dynamic loader);
# 3. examples/aot/main.c is compiled with cc against the header and library;
# 4. ovcc-run runs MODEL with the JIT (generating the inputs), the example
#    runs the library on the same inputs, and every output's bytes must be
#    identical to the JIT's .npy data;
# 5. ovcc-run runs the library itself: its .npy outputs equal the JIT's.
set -eu
BIN=$1 SRC=$2 MODEL=$3 WORK=$4 THREADS=$5
shift 5 # the rest: extra ovcc flags (--shape=... for a dynamic model)
CC=${CC:-cc}
fail() { echo "FAIL: $*" >&2; exit 1; }

rm -rf "$WORK" && mkdir -p "$WORK/jit" "$WORK/aot"
"$BIN/ovcc" "$MODEL" -o "$WORK/libmodel.so" -H "$WORK/model.h" --name=model "$@"
"$BIN/ovcc" "$MODEL" -o "$WORK/libmodel2.so" --name=model "$@"
cmp "$WORK/libmodel.so" "$WORK/libmodel2.so" || fail "two builds differ"

others=$(nm -D --defined-only "$WORK/libmodel.so" | awk '{print $3}' | grep -v '^model_' || true)
[ -z "$others" ] || fail "symbols outside the ABI: $others"
nm -D --defined-only "$WORK/libmodel.so" | grep -q ' T model_run$' || fail "no model_run"
needed=$(readelf -d "$WORK/libmodel.so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' |
         grep -v -E '^(libc|libm|libpthread)\.so\.[0-9]+$|^ld-linux' || true)
[ -z "$needed" ] || fail "unexpected dependencies: $needed"

$CC -std=c11 -O1 -Wall -Wextra -Werror -I"$WORK" "$SRC/examples/aot/main.c" \
    -L"$WORK" -lmodel -Wl,-rpath,"$WORK" -o "$WORK/example"

"$BIN/ovcc-run" "$MODEL" --output-dir "$WORK/jit" --threads "$THREADS" >/dev/null
n_in=$(sed -n 's/^#define MODEL_NUM_INPUTS \([0-9]*\)$/\1/p' "$WORK/model.h")
n_out=$(sed -n 's/^#define MODEL_NUM_OUTPUTS \([0-9]*\)$/\1/p' "$WORK/model.h")
args=""
i=0
while [ "$i" -lt "$n_in" ]; do
  args="$args $WORK/jit/input$i.npy"
  i=$((i + 1))
done
# shellcheck disable=SC2086
"$WORK/example" --threads "$THREADS" --out "$WORK/aot" $args

k=0
while [ "$k" -lt "$n_out" ]; do
  nbytes=$(sed -n "s/^#define MODEL_OUTPUT${k}_NBYTES \([0-9]*\)$/\1/p" "$WORK/model.h")
  tail -c "$nbytes" "$WORK/jit/output$k.npy" > "$WORK/jit/output$k.bin"
  cmp "$WORK/jit/output$k.bin" "$WORK/aot/output$k.bin" || fail "output $k differs from the JIT's"
  k=$((k + 1))
done
# ovcc-run on the library: the same generated inputs, the same .npy outputs.
"$BIN/ovcc-run" "$WORK/libmodel.so" --output-dir "$WORK/run" --threads "$THREADS" 2>/dev/null
k=0
while [ "$k" -lt "$n_out" ]; do
  cmp "$WORK/jit/output$k.npy" "$WORK/run/output$k.npy" || fail "ovcc-run on the library: output $k"
  k=$((k + 1))
done
echo "aot: $(basename "$MODEL"): $n_out output(s) identical to the JIT's, library reproducible"
