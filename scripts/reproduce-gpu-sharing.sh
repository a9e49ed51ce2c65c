#!/usr/bin/env bash
# The fill-the-cluster experiment of Weng et al., "Beware of Fragmentation" (ATC 2023) on the openb
# default trace: six policies x five seeds; writes results/gpu-sharing/fill.csv and tables.md.
# Needs ../shared/data/alibaba-openb beside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
build_release
bin=.build/release/kfsim
policies=FGD,BestFit,DotProduct,GpuPacking,GpuClustering,Random
$bin fill scenarios/gpu-sharing/openb-fill.yaml --policies "$policies" --seeds 42..46 --out results/gpu-sharing
python3 scripts/gpu-sharing-tables.py results/gpu-sharing/fill.csv > results/gpu-sharing/tables.md
# The same with uniformly random ties (kube-scheduler's rule), for comparison.
$bin fill scenarios/gpu-sharing/openb-fill.yaml --policies "$policies" --seeds 42..46 --set scheduler.tieBreak=random \
    --out results/gpu-sharing/random-ties
python3 scripts/gpu-sharing-tables.py results/gpu-sharing/random-ties/fill.csv > results/gpu-sharing/random-ties/tables.md
