#!/usr/bin/env bash
# Installs everything the build, the demo and the tests need, idempotently:
# each step checks first and is skipped when already satisfied.
#   scripts/setup.sh          everything (tests)
#   scripts/setup.sh demo     only what the demo needs (no browser, no Python tools)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PROFILE=${1:-all}

WASM_PACK_VERSION=0.15.1
SCHEMATHESIS_VERSION=4.32.5
CARGO_FUZZ_VERSION=0.13.2

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

# wasm-bindgen: the version pinned in Cargo.toml, the one in Cargo.lock and the
# CLI must be the same, or the generated glue does not match the wasm.
[ -f Cargo.lock ] || cargo generate-lockfile
PINNED=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
LOCKED=$(awk '/^name = "wasm-bindgen"$/{getline; sub(/version = /,""); gsub(/"/,""); print}' Cargo.lock)
if [ -z "$PINNED" ] || [ "$PINNED" != "$LOCKED" ]; then
  echo "setup: wasm-bindgen drift: Cargo.toml pins '${PINNED}' but Cargo.lock has '${LOCKED}'. Pin both to one version." >&2
  exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The release wasm rebuilds std (-Zbuild-std, see scripts/build.sh): it needs std's sources.
if ! rustup component list --installed | grep -q rust-src; then
  say "adding the rust-src component"
  rustup component add rust-src
fi

if [ "$(wasm-pack --version 2>/dev/null)" != "wasm-pack $WASM_PACK_VERSION" ]; then
  say "installing wasm-pack $WASM_PACK_VERSION"
  cargo install wasm-pack --version "$WASM_PACK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $LOCKED" ]; then
  say "installing wasm-bindgen-cli $LOCKED"
  # Without --locked: one of its locked dependency versions is not in the registry.
  cargo install wasm-bindgen-cli --version "$LOCKED" --force
fi

# npm tools (esbuild, binaryen's wasm-opt, playwright-core, typescript, vite, ajv,
# Node 18/20/22/24, Deno, Bun)
# from the committed lockfile; skipped when node_modules matches it.
LOCK_SUM=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.setup-lock-sum 2>/dev/null)" != "$LOCK_SUM" ]; then
  say "npm ci"
  npm ci --no-audit --no-fund
  echo "$LOCK_SUM" > node_modules/.setup-lock-sum
fi
# The pinned Node versions (node18..node24, for the soak and ecosystem suites)
# each install a `node` bin; the scripts put node_modules/.bin first on PATH, so
# drop that link: the machine's own node runs the tooling, and a suite names
# the version it wants (node_modules/node22/bin/node).
rm -f node_modules/.bin/node

[ "$PROFILE" = demo ] && { say "ready (demo)"; exit 0; }

# Headless Chromium for wasm-bindgen-test, the Vite app test and the demo's e2e
# tests. Debian's packages: a test tool's own browser download cannot work here.
# Firefox ESR, and WebKit (Safari's engine: WebKitWebDriver driving MiniBrowser
# under Xvfb), for the ecosystem suite's browsers.
BROWSER_PACKAGES=()
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || BROWSER_PACKAGES+=(chromium chromium-driver)
[ -x /usr/bin/firefox-esr ] || BROWSER_PACKAGES+=(firefox-esr)
[ -x /usr/bin/WebKitWebDriver ] && [ -x /usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser ] || BROWSER_PACKAGES+=(webkit2gtk-driver)
command -v Xvfb >/dev/null || BROWSER_PACKAGES+=(xvfb)
if [ ${#BROWSER_PACKAGES[@]} -gt 0 ]; then
  say "installing Debian's ${BROWSER_PACKAGES[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${BROWSER_PACKAGES[@]}" >/dev/null
fi

# schemathesis (the sandbox's OpenAPI conformance run) in a project-local venv.
if [ "$(target/venv/bin/schemathesis --version 2>/dev/null | grep -o '[0-9.]*$')" != "$SCHEMATHESIS_VERSION" ]; then
  say "installing schemathesis $SCHEMATHESIS_VERSION into target/venv"
  python3 -m venv target/venv
  target/venv/bin/pip install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi

# cargo-fuzz for the validator's bounded fuzz run (needs RUSTC_BOOTSTRAP=1 on stable).
if [ "$(cargo fuzz --version 2>/dev/null | grep -o '[0-9][0-9.]*')" != "$CARGO_FUZZ_VERSION" ]; then
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi

say "ready"
