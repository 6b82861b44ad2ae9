#!/usr/bin/env bash
# The npm package: npm ci and build, `npm pack`, install the tarball into a fresh app (onnxruntime-node from
# npm, no env vars), and run the node --test suite against that install: the shared cases, AipFace against
# the published baidu-aip-sdk (installed beside it), the event loop, the types, the attendance example.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pkg=$root/bindings/node
# onnxruntime-node's postinstall fetches CUDA libraries from nuget.org; facekit uses the CPU library the
# package already holds.
export ONNXRUNTIME_NODE_INSTALL=skip
npm_quiet=(--no-audit --no-fund --loglevel=error)

cd "$pkg"
npm ci "${npm_quiet[@]}"
npm run build

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball=$(npm pack --pack-destination "$work" --loglevel=error | tail -1)
mkdir "$work/app" "$work/sdk"
(cd "$work/app" && npm init -y >/dev/null && npm install "${npm_quiet[@]}" "$work/$tarball")
(cd "$work/sdk" && npm init -y >/dev/null && npm install "${npm_quiet[@]}" baidu-aip-sdk)

cd "$work"
env -u ORT_DYLIB_PATH -u FACEKIT_MODELS -u FACEKIT_ORT_DIR \
  FACEKIT_PACKAGE="$work/app/node_modules/facekit" \
  BAIDU_AIP_SDK_DIR="$work/sdk/node_modules/baidu-aip-sdk" FACEKIT_COMPAT_REQUIRED=1 \
  node --test --test-reporter=spec "$pkg"/test/*.test.js
