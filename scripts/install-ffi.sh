#!/usr/bin/env bash
# Builds libfacekit and installs it for C and C++ programs:
#   PREFIX/include/facekit.h
#   PREFIX/lib/libfacekit.so.VERSION, libfacekit.so.0 (the soname) and libfacekit.so (for -lfacekit)
#   PREFIX/lib/libfacekit.a
#   PREFIX/lib/pkgconfig/facekit.pc   (pkg-config --cflags --libs facekit)
# The library loads the ONNX models and ONNX Runtime at run time: see fk_engine_open in the header.
#
# Usage: scripts/install-ffi.sh [--prefix DIR] [--debug]     (default: /usr/local, release build)
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=/usr/local
profile=release
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --debug) profile=debug; shift ;;
    *) echo "usage: $0 [--prefix DIR] [--debug]" >&2; exit 2 ;;
  esac
done

if [ "$profile" = release ]; then
  cargo build -p facekit-ffi --locked --release
else
  cargo build -p facekit-ffi --locked
fi
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
built="$target_dir/$profile"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
# The soname ffi/build.rs gave the library (libfacekit.so.0): the name programs linked against it look for.
soname=$(readelf -d "$built/libfacekit.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')

mkdir -p "$prefix/include" "$prefix/lib/pkgconfig"
install -m 644 include/facekit.h "$prefix/include/facekit.h"
install -m 755 "$built/libfacekit.so" "$prefix/lib/libfacekit.so.$version"
ln -sf "libfacekit.so.$version" "$prefix/lib/$soname"
ln -sf "$soname" "$prefix/lib/libfacekit.so"
install -m 644 "$built/libfacekit.a" "$prefix/lib/libfacekit.a"
sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|$version|" ffi/facekit.pc.in >"$prefix/lib/pkgconfig/facekit.pc"
echo "installed libfacekit $version ($profile) in $prefix"
