#!/usr/bin/env bash
# The unmodified official SDKs (PyPI baidu-aip, npm baidu-aip-sdk) against `facekit serve` on loopback.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work=${FACEKIT_SDK_TEST_DIR:-$root/target/sdk-server-test}
mkdir -p "$work"

# The binary `cargo test --workspace --release` built (scripts/test.sh runs it first): a no-op then, and the
# same feature set, so nothing is compiled twice.
cargo test --workspace --release --locked --no-run
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check "baidu-aip==4.16.13" chardet
if [ ! -d "$work/node/node_modules/baidu-aip-sdk" ]; then
  mkdir -p "$work/node"
  (cd "$work/node" && npm install --silent --no-audit --no-fund "baidu-aip-sdk@4.16.16" >/dev/null)
fi

db="$work/library.db"
rm -f "$db" "$db-wal" "$db-shm"
log="$work/serve.log"
target/release/facekit --db "$db" serve --listen 127.0.0.1:0 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
url=$(sed -n 's/.*listening on //p' "$log" | head -n1)
[ -n "$url" ] || { cat "$log"; echo "facekit serve did not start"; exit 1; }

FACEKIT_URL=$url "$work/venv/bin/python" tests/sdk/official_python.py
FACEKIT_URL=$url NODE_PATH="$work/node/node_modules" node tests/sdk/official_node.js
