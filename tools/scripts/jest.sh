#!/usr/bin/env bash
# Runs Jest for one project in ESM mode.  Usage: jest.sh <project-dir> [unit|all] [jest args...]
set -euo pipefail
dir=$1; kind=${2:-all}; shift 2 || shift $#
root=$(cd "$(dirname "$0")/../.." && pwd)
export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules --no-warnings=ExperimentalWarning"
export JEST_KIND=$kind
exec node "$root/node_modules/jest/bin/jest.js" -c "$root/$dir/jest.config.js" --passWithNoTests=false "$@"
