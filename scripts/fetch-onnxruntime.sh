#!/usr/bin/env bash
# Fetches the ONNX Runtime shared library that facekit loads at run time (ort `load-dynamic`).
# Source: the official `onnxruntime` wheel on PyPI, pinned by version and sha256, so every machine
# gets the same bytes. Installs to $FACEKIT_ORT_DIR (default: <repo>/.ort) and prints the library path.
set -euo pipefail
ORT_VERSION=1.32.0
# sha256 of onnxruntime-1.32.0-cp311-cp311-manylinux_2_28_x86_64.whl on PyPI.
WHEEL_SHA256=5a34fc4dfeb5a7b4a74c95dcba1e773d722abda720b474edf1b0c419dc6d163d
# sha256 of the library inside it (checked after extraction too).
LIB_SHA256=6c1585d1bbf45b0712ea4a21b705c5fcb4ba04ff2e30f1fbf81a49faf658638f

root=$(cd "$(dirname "$0")/.." && pwd)
dest=${FACEKIT_ORT_DIR:-$root/.ort}
lib=$dest/libonnxruntime.so.$ORT_VERSION

if [ -f "$lib" ] && echo "$LIB_SHA256  $lib" | sha256sum -c --status; then
  echo "$lib"; exit 0
fi
case "$(uname -m)" in
  x86_64) platform=manylinux_2_28_x86_64 ;;
  *) echo "fetch-onnxruntime: only x86_64 Linux is pinned here; set ORT_DYLIB_PATH to your libonnxruntime" >&2; exit 1 ;;
esac
python=${PYTHON:-python3}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo "onnxruntime==$ORT_VERSION --hash=sha256:$WHEEL_SHA256" > "$tmp/req.txt"
"$python" -m pip download --quiet --no-deps --only-binary :all: --platform "$platform" --python-version 311 \
  --require-hashes -r "$tmp/req.txt" -d "$tmp" >&2
mkdir -p "$dest"
"$python" - "$tmp"/onnxruntime-*.whl "$dest" "$ORT_VERSION" <<'PY'
import sys, zipfile
whl, dest, ver = sys.argv[1:4]
with zipfile.ZipFile(whl) as z:
    data = z.read(f"onnxruntime/capi/libonnxruntime.so.{ver}")
open(f"{dest}/libonnxruntime.so.{ver}", "wb").write(data)
PY
echo "$LIB_SHA256  $lib" | sha256sum -c --status || { echo "fetch-onnxruntime: sha256 mismatch for $lib" >&2; rm -f "$lib"; exit 1; }
ln -sf "libonnxruntime.so.$ORT_VERSION" "$dest/libonnxruntime.so"
echo "$lib"
