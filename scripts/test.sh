#!/usr/bin/env bash
# Runs the test suite (installs GSL first when missing). Extra arguments go to `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
swift build --build-tests
swift test --skip-build "$@"
