#!/usr/bin/env bash
# The C ABI from outside Rust: the checked-in header matches the code (cbindgen), libfacekit installs with its
# soname and pkg-config file, the C error-path test passes (shared and static) and leaks nothing under
# valgrind, and the C and C++ examples give the expected scores on the test photos.
# (The Rust tests of the ABI, ffi/tests/abi.rs, run with `cargo test`.)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

CBINDGEN_VERSION=0.29.4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "test-ffi: $*" >&2
  exit 1
}

# Tools: cbindgen from crates.io (pinned; kept when already installed), the rest from Debian.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
if [ "$(cbindgen --version 2>/dev/null)" != "cbindgen $CBINDGEN_VERSION" ]; then
  cargo install cbindgen --locked --version "$CBINDGEN_VERSION"
fi
missing=()
command -v cc >/dev/null || missing+=(gcc)
command -v c++ >/dev/null || missing+=(g++)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v valgrind >/dev/null || missing+=(valgrind)
[ -e /usr/include/jpeglib.h ] || missing+=(libjpeg-dev)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

echo "-- header drift: include/facekit.h against cbindgen's output"
cbindgen --quiet --config ffi/cbindgen.toml --crate facekit-ffi --output "$work/facekit.h" ffi
diff -u include/facekit.h "$work/facekit.h" ||
  fail "include/facekit.h is out of date: regenerate it (see ffi/cbindgen.toml) and commit it"

echo "-- install into a temporary prefix"
prefix="$work/prefix"
scripts/install-ffi.sh --prefix "$prefix" --debug
soname=$(readelf -d "$prefix/lib/libfacekit.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = libfacekit.so.0 ] || fail "soname is '$soname', not libfacekit.so.0"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cflags=$(pkg-config --cflags facekit)
libs="$(pkg-config --libs facekit) -Wl,-rpath,$prefix/lib"

echo "-- C error paths (shared and static library)"
cc -std=c99 -pedantic -Wall -Wextra -Werror $cflags ffi/tests/c/error_paths.c $libs -o "$work/error_paths"
# --static gives Libs.private; libfacekit.a is named by path so the linker cannot pick the .so.
static_libs=$(pkg-config --static --libs-only-l facekit | sed 's/-lfacekit//')
cc -std=c99 -Wall -Wextra -Werror $cflags ffi/tests/c/error_paths.c "$prefix/lib/libfacekit.a" $static_libs \
  -o "$work/error_paths_static"
"$work/error_paths_static"
echo "-- C error paths under valgrind (suppressions: ONNX Runtime's own reports only, see the file)"
valgrind -q --leak-check=full --error-exitcode=1 --suppressions=ffi/tests/c/valgrind.supp "$work/error_paths"

echo "-- C example"
cc -std=c99 -Wall -Wextra -Werror $cflags examples/c/facekit_demo.c $libs -o "$work/facekit_demo"
"$work/facekit_demo" "$repo/testdata" | tee "$work/c.out"
value() { sed -n "s/^$1.*$2=\([^ ]*\).*/\1/p" "$3"; }
at_least() { awk -v v="$1" -v t="$2" 'BEGIN { exit !(v != "" && v + 0 >= t) }'; }
below() { awk -v v="$1" -v t="$2" 'BEGIN { exit !(v != "" && v + 0 < t) }'; }
[ "$(value 'detect obama.jpg' face_num "$work/c.out")" = 1 ] || fail "C: detect obama.jpg should find 1 face"
at_least "$(value 'match obama.jpg obama2.jpg' score "$work/c.out")" 80 || fail "C: obama/obama2 should score >= 80"
below "$(value 'match obama.jpg biden.jpg' score "$work/c.out")" 80 || fail "C: obama/biden should score < 80"
[ "$(value 'search obama2.jpg' user_id "$work/c.out")" = obama ] || fail "C: search should find obama"
at_least "$(value 'search obama2.jpg' score "$work/c.out")" 80 || fail "C: search score should be >= 80"

echo "-- C++ example"
c++ -std=c++17 -pedantic -Wall -Wextra -Werror $cflags examples/cpp/facekit_demo.cpp $libs -ljpeg \
  -o "$work/facekit_demo_cpp"
"$work/facekit_demo_cpp" "$repo/testdata" | tee "$work/cpp.out"
for name in obama.jpg obama2.jpg biden.jpg; do
  [ "$(value "frame $name" faces "$work/cpp.out")" = 1 ] || fail "C++: $name should have 1 face"
done
at_least "$(value 'compare obama.jpg obama2.jpg' score "$work/cpp.out")" 80 || fail "C++: obama/obama2 >= 80"
below "$(value 'compare obama.jpg biden.jpg' score "$work/cpp.out")" 80 || fail "C++: obama/biden < 80"
grep -q '^match by face_token: {"error_code":0,' "$work/cpp.out" || fail "C++: match by frame tokens failed"
grep -q '^NULL frame: error 222001' "$work/cpp.out" || fail "C++: a NULL frame should be error 222001"
echo "-- ffi: all checks passed"
