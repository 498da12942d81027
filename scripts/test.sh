#!/usr/bin/env bash
# Runs every test suite (default), or the named ones:
#   scripts/test.sh                 set up, build, then every suite below
#   scripts/test.sh rust            cargo test: SDK core + sandbox over real HTTP (incl. schemathesis)
#   scripts/test.sh wasm            wasm-bindgen-test in Node and in headless Chromium
#   scripts/test.sh node            node:test suites against the sandbox, through the built package
#   scripts/test.sh conformance     only the schemathesis run (also part of `rust`)
#   scripts/test.sh package         npm pack -> install in a scratch project (ESM, CJS), tsc --strict, Vite and webpack apps in Chromium, the validators in Chromium, Firefox and WebKit, examples
#   scripts/test.sh e2e             the demo page driven by Playwright in Chromium (screenshots in target/screenshots)
#   scripts/test.sh size            the size budget of what a browser downloads
#   scripts/test.sh fuzz            cargo fuzz of the validators, bounded time
#   scripts/test.sh ecosystem       the tarball on Node 18-24 (ESM, CJS), Deno, Bun, workerd, Vercel's edge-runtime, esbuild/rollup apps in Chromium, Firefox, WebKit; attw, publint
#   scripts/test.sh soak            every kind of call for minutes with full GCs on Node 18/20/22/24, Deno and Bun: no crash, flat memory
# Set SKIP_SETUP=1 to skip the (idempotent) set-up step when iterating.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
ALL=(rust wasm node package ecosystem e2e size fuzz soak)
EXTRA=(conformance)
SUITES=("$@"); [ ${#SUITES[@]} -eq 0 ] && SUITES=("${ALL[@]}")

banner() { printf '\n\033[1;36m== %s ==\033[0m\n' "$*"; }
[ "${SKIP_SETUP:-}" = 1 ] || scripts/setup.sh

built=""
ensure_build() {
  [ -n "$built" ] && return
  banner "build: npm package + sandbox"
  scripts/build.sh
  cargo build --release -q -p agoralia-sandbox
  built=1
}

# A sandbox for suites that share one (wasm-bindgen tests, conformance).
SANDBOX_PID=""
start_sandbox() {
  local log=target/sandbox-test.log
  target/release/agoralia-sandbox --port 0 --faults --rpm 100000 --ip-rpm 100000 --rpd 100000000 >"$log" 2>&1 &
  SANDBOX_PID=$!
  for _ in $(seq 100); do
    SANDBOX_URL=$(grep -o 'http://[^ ]*' "$log" | head -n1 || true)
    [ -n "$SANDBOX_URL" ] && return
    sleep 0.1
  done
  echo "sandbox did not start:"; cat "$log"; exit 1
}
stop_sandbox() { [ -n "$SANDBOX_PID" ] && kill "$SANDBOX_PID" 2>/dev/null || true; SANDBOX_PID=""; }
trap stop_sandbox EXIT

suite_rust() {
  banner "rust: cargo test (core + sandbox)"
  cargo test --workspace -q
}

suite_wasm() {
  ensure_build
  start_sandbox
  banner "wasm: wasm-bindgen-test in Node"
  export AGORALIA_SANDBOX_URL=$SANDBOX_URL
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
  local tests=(); for f in tests/wasm_*.rs; do tests+=(--test "$(basename "$f" .rs)"); done
  cargo test --target wasm32-unknown-unknown "${tests[@]}"
  banner "wasm: wasm-bindgen-test in headless Chromium"
  WASM_BINDGEN_USE_BROWSER=1 WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/tests/webdriver.json" \
    cargo test --target wasm32-unknown-unknown "${tests[@]}"
  stop_sandbox
}

suite_node() {
  ensure_build
  banner "node: node:test against the sandbox"
  node --test --test-concurrency=2 tests/node/
}

suite_conformance() {
  banner "conformance: schemathesis against the sandbox's OpenAPI document"
  cargo test -q -p agoralia-sandbox --test conformance
}

suite_package() {
  ensure_build
  banner "package: installed tarball (ESM + CJS), tsc --strict, Vite and webpack builds in Chromium, examples"
  node --test tests/package/
}

suite_e2e() {
  ensure_build
  banner "e2e: demo in Chromium (Playwright)"
  node --test tests/e2e/
}

suite_size() {
  ensure_build
  banner "size: the browser download budget"
  node --test tests/size/
}

suite_ecosystem() {
  ensure_build
  banner "ecosystem: every runtime, bundler and browser engine, the package linters"
  node --test --test-concurrency=2 tests/ecosystem/
}

suite_soak() {
  ensure_build
  banner "soak: long runs on Node 18, 20, 22, 24, Deno and Bun (about 3 minutes)"
  node --test tests/soak/
}

suite_fuzz() {
  banner "fuzz: cargo fuzz, bounded"
  scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
}

start=$SECONDS
for s in "${SUITES[@]}"; do
  case " ${ALL[*]} ${EXTRA[*]} " in *" $s "*) "suite_$s" ;; *) echo "unknown suite: $s (one of: ${ALL[*]} ${EXTRA[*]})"; exit 2 ;; esac
done
banner "all passed: ${SUITES[*]} in $((SECONDS - start)) s"
