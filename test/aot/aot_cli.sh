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
expect_rc 1 "dynamic input dimensions; give every input a static shape with --shape" \
  "$BIN/ovcc" "$CORPUS/ovms_passthrough_u8/passthrough.xml" -o "$WORK/u8.so"
expect_rc 2 "--shape: '1,x' is not a list of dimensions" "$BIN/ovcc" "$ADD" -o x.so --shape=1,x
expect_rc 1 "cross-compilation is not supported yet" "$BIN/ovcc" "$ADD" -o "$WORK/x.so" \
  --target=aarch64-linux-gnu

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
echo "aot/cli: ok"
