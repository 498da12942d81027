#!/usr/bin/env bash
# Conformance run of schemathesis against a RUNNING sandbox:
#   sandbox/conformance.sh http://127.0.0.1:PORT
# Start the sandbox with high limits first, e.g.
#   agoralia-sandbox --port 8787 --rpm 1000000 --ip-rpm 1000000
# Exits non-zero on any failure. Bounded: a fixed number of examples per operation
# and a hard time limit.
set -euo pipefail
BASE_URL="${1:?usage: conformance.sh BASE_URL}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
ST="${SCHEMATHESIS:-$ROOT/target/venv/bin/schemathesis}"
if [ ! -x "$ST" ]; then
  echo "conformance.sh: $ST not found; create it with: python3 -m venv target/venv && target/venv/bin/pip install schemathesis==4.32.5" >&2
  exit 2
fi
KEY="${AGORALIA_KEY:-ago_SandboxAllScopes0000000000000001}"
REPORT_DIR="${REPORT_DIR:-$ROOT/target/schemathesis-report}"
mkdir -p "$REPORT_DIR"
# schemathesis keeps a cache (.schemathesis/) in its working directory: keep it under target/.
cd "$REPORT_DIR"
# One worker: CPython 3.11.7's ast.parse is not thread-safe (gh-106905, "AST constructor
# recursion depth mismatch"), and hypothesis parses lambda sources on first use, so two
# workers failed a cold run at random.
exec timeout 300 "$ST" --no-color --config-file "$HERE/schemathesis.toml" run "$BASE_URL/api/v1/openapi.json" \
  --header "X-API-Key: $KEY" \
  --phases examples,coverage,fuzzing \
  --max-examples "${MAX_EXAMPLES:-100}" \
  --seed 1 \
  --workers 1 \
  --request-timeout 10 \
  --generation-database none \
  --report junit --report-dir "$REPORT_DIR"
