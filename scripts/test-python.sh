#!/usr/bin/env bash
# The Python package: build the wheel, install it in a fresh venv (onnxruntime and numpy from PyPI, no env
# vars), run pytest there: the shared cases, AipFace against the published baidu-aip's signatures, the
# numpy Engine, the stubs, the attendance example.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}

wheel=$("$root/scripts/build-python-wheel.sh")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet "$wheel" "pytest>=7" pillow mypy baidu-aip chardet
# From outside the checkout, with the engine's own search hints cleared: the installed package must find
# its models and ONNX Runtime by itself.
cd "$work"
env -u ORT_DYLIB_PATH -u FACEKIT_MODELS -u FACEKIT_ORT_DIR FACEKIT_COMPAT_REQUIRED=1 \
  "$work/venv/bin/python" -m pytest -q -rs -p no:cacheprovider "$root/bindings/python/tests"
