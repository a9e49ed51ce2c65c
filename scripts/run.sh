#!/usr/bin/env bash
# Quick start: builds kfsim (release) and runs a scenario, writing results under results/<name>/.
#   scripts/run.sh [SCENARIO] [kfsim run options...]
# Default: the seed-paper-1 container-count scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
scenario="${1:-scenarios/container-count.yaml}"
shift || true
build_release
exec .build/release/kfsim run "$scenario" "$@"
