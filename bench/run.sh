#!/usr/bin/env bash
# The one bench command: sets up, builds the SDK and the sandbox, installs the
# comparison packages, then prints one table of medians and ratios.
#   bench/run.sh            full run (about 5 minutes; the throttled bulk run waits one 60 s rate window)
#   bench/run.sh --quick    fewer rounds, no throttled bulk run (for iterating)
#   bench/run.sh --record   full run, and writes the table into bench/RESULTS.md
#   bench/run.sh --only size,startup,validation,browser,request,bulk
# SKIP_SETUP=1 skips scripts/setup.sh; SKIP_BUILD=1 also skips the builds.
# The package measured is a snapshot of target/npm/agoralia in target/bench-pkg/ (or $AGORALIA_PKG).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
say() { printf '\033[1mbench:\033[0m %s\n' "$*" >&2; }

if [ "${SKIP_SETUP:-}" != 1 ] && [ "${SKIP_BUILD:-}" != 1 ]; then scripts/setup.sh; fi
if [ "${SKIP_BUILD:-}" != 1 ]; then
  say "building the npm package and the sandbox"
  scripts/build.sh
  cargo build --release -q -p agoralia-sandbox
fi

# The comparison packages (openai, stripe, retell-sdk, ajv, zod, papaparse) from bench's own lockfile.
LOCK_SUM=$(sha256sum bench/package-lock.json | cut -d' ' -f1)
if [ "$(cat bench/node_modules/.bench-lock-sum 2>/dev/null)" != "$LOCK_SUM" ]; then
  say "npm ci --prefix bench"
  npm ci --prefix bench --no-audit --no-fund --loglevel=error
  echo "$LOCK_SUM" > bench/node_modules/.bench-lock-sum
fi

# Measure a snapshot: target/npm/agoralia is shared with other builds (some --dev).
SNAP=target/bench-pkg/agoralia
rm -rf "$SNAP" && mkdir -p "$(dirname "$SNAP")" && cp -r target/npm/agoralia "$SNAP"
if [ "$(wc -c < "$SNAP/dist/wasm/agoralia_bg.wasm")" -gt 600000 ]; then
  echo "bench: target/npm/agoralia holds a --dev build (wasm over 600 KB); run scripts/build.sh (release) first" >&2
  exit 1
fi
export AGORALIA_PKG="${AGORALIA_PKG:-$PWD/$SNAP}"
exec node bench/run.mjs "$@"
