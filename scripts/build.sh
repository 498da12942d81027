#!/usr/bin/env bash
# Builds the wasm with wasm-pack and assembles the npm package `agoralia` in
# target/npm/agoralia (pkg-template + wasm-pack's output + a CommonJS bundle),
# then packs it to target/npm/agoralia-<version>.tgz.
#   scripts/build.sh [--dev]   --dev: debug wasm, no wasm-opt (faster to iterate)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"   # wasm-opt from npm's binaryen

MODE=--release
[ "${1:-}" = --dev ] && MODE=--dev
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
OUT=target/npm/agoralia
WP=target/wasm-pack

# Two wasm builds of the one crate: the validation-only wasm (no client
# binding: `--no-default-features`) for the `agoralia/validate` entry, then the
# whole SDK. In this order: the whole SDK's is the .wasm left in the target
# directory, which bench/lib/names-build.mjs reads.
# The release flags below are nightly-only (RUSTC_BOOTSTRAP on the stable
# compiler) and tested on TESTED_RUSTC, the toolchain of this project's machines
# and CI (README, "Toolchain": why they stay and why no rust-toolchain.toml).
TESTED_RUSTC=1.95
RUSTC_VERSION=$(rustc --version | sed -E 's/^rustc ([0-9]+\.[0-9]+).*/\1/')
if [ "$MODE" = --release ] && [ "$RUSTC_VERSION" != "$TESTED_RUSTC" ]; then
  echo "warning: rustc $RUSTC_VERSION: the release wasm's flags (-Zbuild-std, -Cpanic=immediate-abort, optimize_attribute) are tested on $TESTED_RUSTC only; see README, Toolchain" >&2
fi
wasm() { # <out-dir> [cargo flags...]
  local dir=$1; shift
  if [ "$MODE" = --release ]; then
    # Release: std is rebuilt with panic=immediate-abort, so a panic is a bare
    # `unreachable` trap: no panic messages, locations or formatting machinery in
    # the wasm. The SDK reports every input problem as a value and
    # never relies on a panic message. Both flags are nightly-only; RUSTC_BOOTSTRAP
    # enables them on the stable toolchain (rust-src: scripts/setup.sh). Its own
    # target dir keeps these flags from invalidating other builds (cargo test,
    # wasm-bindgen-test, bench), which stay on the normal profile.
    # -reference-types: no export may return an externref, which aborts Node 20
    # and 22 when V8 deoptimizes the JS caller of an inlined wasm call
    # (docs/v8-externref-deopt/); std is rebuilt anyway, so the flag reaches it too.
    RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Ctarget-feature=-reference-types --cfg agoralia_speed" CARGO_TARGET_DIR=target/wasm-min \
      wasm-pack --quiet build --release --target web --no-pack --out-dir "$dir" --out-name agoralia . \
      -- -Zbuild-std=std,panic_abort "$@" >/dev/null
  else
    wasm-pack --quiet build $MODE --target web --no-pack --out-dir "$dir" --out-name agoralia . -- "$@" >/dev/null
  fi
}
wasm "$WP-validate" --no-default-features
wasm "$WP"

rm -rf "$OUT" && mkdir -p "$OUT/dist/wasm" "$OUT/types"
cp pkg-template/src/*.js "$OUT/dist/"
# The command line (`npx agoralia`): Node only, reached from no other entry.
mkdir -p "$OUT/dist/cli" && cp pkg-template/src/cli/*.js "$OUT/dist/cli/" && chmod +x "$OUT/dist/cli/main.js"
cp "$WP/agoralia.js" "$WP/agoralia_bg.wasm" "$OUT/dist/wasm/"
# agoralia/validate: the same validate.js beside its own entries and the
# validation-only wasm, so that its `./wasm/agoralia.js` is that build's glue.
mkdir -p "$OUT/dist/validate/wasm"
cp pkg-template/src/validate.js pkg-template/src/validate-api.js pkg-template/src/json-text.js pkg-template/src/validate/*.js "$OUT/dist/validate/"
cp "$WP-validate/agoralia.js" "$WP-validate/agoralia_bg.wasm" "$OUT/dist/validate/wasm/"
cp pkg-template/README.md "$OUT/README.md" 2>/dev/null || true
sed "s/0.0.0-filled-by-build/$VERSION/" pkg-template/package.json > "$OUT/package.json"

# Declarations: ESM (.d.ts) as written, and CommonJS twins (.d.cts) for `require`.
for f in pkg-template/types/*.d.ts; do
  base=$(basename "$f" .d.ts)
  cp "$f" "$OUT/types/$base.d.ts"
  sed -E 's#(from "\./[^"]+)\.js"#\1.cjs"#g' "$f" > "$OUT/types/$base.d.cts"
done

# CommonJS: one file bundling the glue and the SDK; it loads the same .wasm.
esbuild "$OUT/dist/node-cjs.js" --bundle --platform=node --format=cjs --target=node18 \
  --log-level=error --define:import.meta.url=undefined --outfile="$OUT/dist/node.cjs"
esbuild "$OUT/dist/validate/node-cjs.js" --bundle --platform=node --format=cjs --target=node18 \
  --log-level=error --define:import.meta.url=undefined --outfile="$OUT/dist/validate/node.cjs"
rm "$OUT/dist/node-cjs.js" "$OUT/dist/validate/node-cjs.js"

(cd target/npm && npm pack --silent ./agoralia >/dev/null)
echo "built $OUT ($(wc -c < "$OUT/dist/wasm/agoralia_bg.wasm") bytes of wasm)"
