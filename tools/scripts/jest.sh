#!/usr/bin/env bash
# Runs Jest for one project in ESM mode (see docs/adr/0001-esm-and-jest.md).
#   jest.sh <project-dir> unit|all [jest args...]
# unit leaves out *.int.test.ts (the tests that need the real services).
# With JEST_RESULTS_DIR set, a JSON summary is also written there (scripts/test.sh adds them up).
set -euo pipefail
dir=$1; kind=${2:-all}; shift 2 || shift $#
root=$(cd "$(dirname "$0")/../.." && pwd)
export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules --no-warnings=ExperimentalWarning"
export JEST_KIND=$kind
extra=()
if [ -n "${JEST_RESULTS_DIR:-}" ]; then
  mkdir -p "$JEST_RESULTS_DIR"
  extra=(--json --outputFile="$JEST_RESULTS_DIR/$(echo "$dir" | tr / _)-$kind.json")
fi
exec node "$root/node_modules/jest/bin/jest.js" -c "$root/$dir/jest.config.js" "${extra[@]}" "$@"
