#!/usr/bin/env bash
# Regenerates Tests/Golden/hashes.txt from the current code. Commit the result on its own, saying why
# the outputs moved. Needs ../shared/data beside the repository (for the openb replay case).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
swift build --build-tests
KFSIM_UPDATE_GOLDEN=1 swift test --skip-build --filter GoldenOutputTests/regenerate
git diff --stat -- Tests/Golden/hashes.txt || true
