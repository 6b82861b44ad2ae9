#!/usr/bin/env bash
# Builds the facekit wheel (bindings/python): copies the repo's models into the package (they are package
# data; git keeps one copy), then `maturin build`. Prints the wheel's path on stdout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pkg=$root/bindings/python
venv=${FACEKIT_BUILD_VENV:-$pkg/.venv}
python=${PYTHON:-python3}

if [ ! -x "$venv/bin/maturin" ]; then
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet "maturin>=1.9,<2" >&2
fi
mkdir -p "$pkg/python/facekit/models"
cp "$root"/models/*.onnx "$pkg/python/facekit/models/"
rm -f "$pkg"/dist/facekit-*.whl
host=$(rustc -vV | sed -n 's/^host: //p')
# --target as napi does for the Node addon: both builds then share one target/<host>/dist tree and the
# core compiles once.
"$venv/bin/maturin" build --profile dist --target "$host" --manifest-path "$pkg/Cargo.toml" --out "$pkg/dist" >&2
ls "$pkg"/dist/facekit-*.whl
