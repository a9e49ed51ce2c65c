#!/usr/bin/env bash
# Mutation fuzzing of the shipped scenarios on the release binary: CASES cases (default 3000) from SEED
# (default 1). Asserts what the test suite's FuzzTests asserts on its 240 cases: exit 0, 1 or 2 only,
# a location on every 2, under 20 s and 1 GiB each. Usage: scripts/fuzz.sh [CASES] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
build_release
swift build --build-tests >&2
KFSIM_BIN="$PWD/.build/release/kfsim" KFSIM_FUZZ_CASES="${1:-3000}" KFSIM_FUZZ_SEED="${2:-1}" \
    swift test --skip-build --filter FuzzTests 2>&1 | grep -E "fuzz:|✘|✔|error|case "
