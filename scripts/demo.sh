#!/usr/bin/env bash
# Sets up, builds the npm package and the sandbox, then serves the demo page and
# the sandbox API from one process on one port (PORT, default 8787).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
PORT=${PORT:-8787}

scripts/setup.sh demo
scripts/build.sh
cargo build --release -q -p agoralia-sandbox

echo
echo "Demo: http://127.0.0.1:$PORT/  (sandbox API at http://127.0.0.1:$PORT/api/v1; Ctrl-C stops it)"
echo
exec target/release/agoralia-sandbox --port "$PORT" --www www --pkg target/npm/agoralia --ip-rpm 1000
