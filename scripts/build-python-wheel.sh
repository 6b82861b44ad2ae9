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
# The release profile and the workspace's target directory, as the Rust tests and the Node addon use: the
# core compiles once. maturin strips the module (pyproject.toml).
"$venv/bin/maturin" build --release --manifest-path "$pkg/Cargo.toml" --out "$pkg/dist" >&2
ls "$pkg"/dist/facekit-*.whl
