#!/usr/bin/env bash
# The whole test suite, as a newcomer runs it on a fresh machine and as CI runs it (.ci/run calls this).
# Installs what the tests need (ONNX Runtime, toolchains of the bindings) through the repo's own scripts.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

echo "== ONNX Runtime"
scripts/fetch-onnxruntime.sh

echo "== Rust: format, lints, tests"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --release --locked

# Each part of the project with its own toolchain (C ABI, Python, Node, …) has scripts/test-<part>.sh.
for part in scripts/test-*.sh; do
  [ -e "$part" ] || continue
  echo "== $part"
  bash "$part"
done
echo "== all tests passed"
