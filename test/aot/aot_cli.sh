#!/bin/sh
# The ovcc driver and several libraries in one process (ctest aot/cli):
#   aot_cli.sh BIN_DIR SRC_DIR CORPUS_DIR WORK_DIR
set -eu
BIN=$1 SRC=$2 CORPUS=$3 WORK=$4
CC=${CC:-cc}
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_rc() { # expect_rc WANT STDERR-PATTERN CMD...
  want=$1 pattern=$2
  shift 2
  set +e
  "$@" 2>"$WORK/stderr" >/dev/null
  rc=$?
  set -e
  [ "$rc" = "$want" ] || fail "'$*' exited $rc, expected $want: $(cat "$WORK/stderr")"
  grep -q -- "$pattern" "$WORK/stderr" || fail "'$*': stderr lacks '$pattern': $(cat "$WORK/stderr")"
}
rm -rf "$WORK" && mkdir -p "$WORK"
ADD=$CORPUS/ovms_add_two_inputs/add.xml

# Usage errors exit 2, compile errors 1, both as "ovcc: error: ...".
"$BIN/ovcc" --help | grep -q "usage: ovcc" || fail "--help"
expect_rc 2 "ovcc: error: no output given" "$BIN/ovcc" "$ADD"
expect_rc 2 "ovcc: error: unknown option '--bogus'" "$BIN/ovcc" "$ADD" -o x.so --bogus
expect_rc 2 "is not a C identifier" "$BIN/ovcc" "$ADD" -o x.so --name=1abc
expect_rc 2 "unknown --emit kind" "$BIN/ovcc" "$ADD" -o x.so --emit=exe
expect_rc 1 "ovcc: error: .*nope.xml" "$BIN/ovcc" "$WORK/nope.xml" -o "$WORK/x.so"
expect_rc 1 "dynamic input dimensions; give every input its shape with --shape" \
  "$BIN/ovcc" "$CORPUS/ovms_passthrough_u8/passthrough.xml" -o "$WORK/u8.so"
expect_rc 2 "--shape: '1,x' is not a list of dimensions" "$BIN/ovcc" "$ADD" -o x.so --shape=1,x
expect_rc 2 "input 1 has 3 alternatives, an earlier one 2" "$BIN/ovcc" "$ADD" -o x.so \
  "--shape=1,10;1,10" "--shape=1,10;1,10;1,10"
expect_rc 1 "no LLVM target for 'nosucharch" "$BIN/ovcc" "$ADD" -o "$WORK/x.so" \
  --target=nosucharch-linux-gnu
OVCC_CC=/nonexistent/cc expect_rc 1 "cannot run the linker '/nonexistent/cc'" "$BIN/ovcc" "$ADD" \
  -o "$WORK/x.so"
[ ! -e "$WORK/x.so" ] || fail "a failed link left $WORK/x.so"

# --emit kinds.
"$BIN/ovcc" "$ADD" -o - --emit=llvm --name=m | grep -q "define i32 @m_run(" || fail "--emit=llvm"
"$BIN/ovcc" "$ADD" -o - --emit=asm --name=m | grep -q "m_run:" || fail "--emit=asm"
"$BIN/ovcc" "$ADD" -o - --emit=ir | grep -q "Add" || fail "--emit=ir"
"$BIN/ovcc" "$ADD" -o "$WORK/m.o" --emit=obj --name=m
nm "$WORK/m.o" | grep -q " T m_run$" || fail "--emit=obj"

# Default prefix from the file name; -O0 builds too.
cp "$ADD" "$WORK/my-model.xml"
cp "${ADD%.xml}.bin" "$WORK/my-model.bin"
"$BIN/ovcc" "$WORK/my-model.xml" -o "$WORK/libmy.so" -O0
nm -D --defined-only "$WORK/libmy.so" | grep -q " T my_model_run$" || fail "default prefix"

# Three libraries in one process: the same model under two prefixes gives the
# same outputs, at any thread count.
"$BIN/ovcc" "$ADD" -o "$WORK/libm1.so" --name=m1
"$BIN/ovcc" "$ADD" -o "$WORK/libm2.so" --name=m2
"$BIN/ovcc" "$CORPUS/landmarks-regression-retail-0009_fp16_ir11/landmarks-regression-retail-0009.xml" \
  -o "$WORK/liblm.so" --name=lm
$CC -std=c11 -Wall -Wextra -Werror "$SRC/examples/aot/dlopen.c" -ldl -o "$WORK/aot_dlopen"
"$WORK/aot_dlopen" "$WORK/libm1.so:m1" "$WORK/libm2.so:m2" "$WORK/liblm.so:lm" > "$WORK/t1.txt"
"$WORK/aot_dlopen" --threads 4 "$WORK/libm1.so:m1" "$WORK/libm2.so:m2" "$WORK/liblm.so:lm" \
  > "$WORK/t4.txt"
cmp "$WORK/t1.txt" "$WORK/t4.txt" || fail "1 and 4 threads differ"
h1=$(sed -n 's/^m1 output 0 .* hash //p' "$WORK/t1.txt")
h2=$(sed -n 's/^m2 output 0 .* hash //p' "$WORK/t1.txt")
[ -n "$h1" ] && [ "$h1" = "$h2" ] || fail "m1 and m2 differ: $(cat "$WORK/t1.txt")"
grep -q "^lm output 0" "$WORK/t1.txt" || fail "lm did not run"
# The ABI contract (signature, argument errors, concurrent callers).
"$BIN/ovcc" "$ADD" -o "$WORK/libmodel.so" -H "$WORK/model.h" --name=model
$CC -std=c11 -Wall -Wextra -Werror -I"$WORK" "$SRC/test/aot/abi_check.c" -L"$WORK" -lmodel \
  -Wl,-rpath,"$WORK" -lpthread -o "$WORK/abi_check"
"$WORK/abi_check"
# State variables persist in the workspace across runs; reset restores them.
mkdir -p "$WORK/state"
"$BIN/ovcc" "$CORPUS/ovms_summator/summator.xml" -o "$WORK/state/libmodel.so" \
  -H "$WORK/state/model.h" --name=model
$CC -std=c11 -Wall -Wextra -Werror -I"$WORK/state" "$SRC/test/aot/state_check.c" \
  -L"$WORK/state" -lmodel -Wl,-rpath,"$WORK/state" -o "$WORK/state_check"
"$WORK/state_check"
# Run-time dimensions (ABI 2): one library with three specializations of a
# model with a dynamic batch; the caller's input shape picks one, and each
# gives what a library built for that shape alone gives (and the JIT).
DYN=$CORPUS/ovms_dummy_fp64/saved_model.xml
mkdir -p "$WORK/dyn"
"$BIN/ovcc" "$DYN" -o "$WORK/dyn/libmodel.so" -H "$WORK/dyn/model.h" --name=model \
  "--shape=1,10;3,10;8,10"
grep -q "^#define MODEL_NUM_SPECIALIZATIONS 3$" "$WORK/dyn/model.h" || fail "dyn: header"
grep -q "^#define MODEL_INPUT0_NBYTES 0$" "$WORK/dyn/model.h" || fail "dyn: INPUT0_NBYTES"
grep -q "input 0 '.*': f64 \[-1,10\]" "$WORK/dyn/model.h" || fail "dyn: input shape comment"
$CC -std=c11 -O1 -Wall -Wextra -Werror -I"$WORK/dyn" "$SRC/examples/aot/main.c" \
  -L"$WORK/dyn" -lmodel -Wl,-rpath,"$WORK/dyn" -o "$WORK/dyn/example"
for b in 1 3 8 2; do
  d=$WORK/dyn/b$b
  mkdir -p "$d/one" "$d/multi" "$d/jit" "$d/example"
  "$BIN/ovcc" "$DYN" -o "$d/libone.so" "--shape=$b,10"
  "$BIN/ovcc-run" "$d/libone.so" --output-dir "$d/one" --seed "$b" 2>/dev/null
  if [ "$b" = 2 ]; then # not built for batch 2: refused, naming what it was built for
    expect_rc 1 "no specialization for the input shapes f64\[2,10\]; it was built for: f64\[1,10\]; f64\[3,10\]; f64\[8,10\]" \
      "$BIN/ovcc-run" "$WORK/dyn/libmodel.so" --input "#0=$d/one/input0.npy" --output-dir "$d/multi"
    expect_rc 1 "not built for these input shapes" "$WORK/dyn/example" --out "$d/example" \
      "$d/one/input0.npy"
    continue
  fi
  "$BIN/ovcc-run" "$WORK/dyn/libmodel.so" --input "#0=$d/one/input0.npy" --output-dir "$d/multi"
  "$BIN/ovcc-run" "$DYN" --input "#0=$d/one/input0.npy" --output-dir "$d/jit" >/dev/null
  cmp "$d/one/output0.npy" "$d/multi/output0.npy" || fail "dyn: batch $b differs from its own library"
  cmp "$d/jit/output0.npy" "$d/multi/output0.npy" || fail "dyn: batch $b differs from the JIT"
  "$WORK/dyn/example" --threads 2 --out "$d/example" "$d/one/input0.npy" >/dev/null
  nbytes=$((b * 10 * 8))
  tail -c "$nbytes" "$d/jit/output0.npy" | cmp - "$d/example/output0.bin" ||
    fail "dyn: the example's batch $b output differs"
done
# String tensors: the library moves ovcc_aot_string descriptors; ovcc-run
# reads and writes numpy '<U' arrays. A '<U2' [2] file ("ab", "c"), written
# by hand (magic, v1, header length 118, the dict padded to 128 bytes, UTF-32).
STR=$CORPUS/ovms_passthrough_string/passthrough.xml
mkdir -p "$WORK/str/jit" "$WORK/str/aot"
{
  printf '\223NUMPY\001\000\166\000'
  printf "%-117s\n" "{'descr': '<U2', 'fortran_order': False, 'shape': (2,), }"
  printf 'a\000\000\000b\000\000\000c\000\000\000\000\000\000\000'
} > "$WORK/str/in.npy"
"$BIN/ovcc" "$STR" -o "$WORK/str/libstr.so" -H "$WORK/str/str.h" --name=str "--shape=2;5"
grep -q "OVCC_AOT_STRING = 17" "$WORK/str/str.h" || fail "str: header"
"$BIN/ovcc-run" "$STR" --input "#0=$WORK/str/in.npy" --output-dir "$WORK/str/jit" >/dev/null
"$BIN/ovcc-run" "$WORK/str/libstr.so" --input "#0=$WORK/str/in.npy" --output-dir "$WORK/str/aot"
cmp "$WORK/str/in.npy" "$WORK/str/jit/output0.npy" || fail "str: the JIT changed the strings"
cmp "$WORK/str/jit/output0.npy" "$WORK/str/aot/output0.npy" || fail "str: AOT differs from the JIT"
echo "aot/cli: ok"
