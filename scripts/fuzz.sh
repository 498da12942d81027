#!/usr/bin/env bash
# Fuzzes the validation core (fuzz/): JSON parser, every validator, CSV.
#   scripts/fuzz.sh [SECONDS]   seconds per target, default 30
# Only a stable toolchain is installed here; RUSTC_BOOTSTRAP=1 lets cargo-fuzz
# use the nightly-only sanitizer flags with it.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-30}"
export PATH="$HOME/.cargo/bin:$PATH"
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz
fi
cd fuzz
for target in $(RUSTC_BOOTSTRAP=1 cargo fuzz list); do
  echo "fuzzing $target for ${SECS}s"
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" -- -max_total_time="$SECS" -max_len=4096
done
