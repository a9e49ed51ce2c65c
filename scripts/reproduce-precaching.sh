#!/usr/bin/env bash
# Seed paper 4 reproduced: a stream of KFP pipeline runs (scenarios/precaching/ml_pipeline.py, compiled
# with the KFP SDK into ml_pipeline.yaml) whose every read goes through a remote object store, under
# no cache, an on-demand LRU cache and pipeline-aware precaching, 10 seeds each, paired against no
# cache; swept over dataset size, cache size, store bandwidth and load. Writes results/precaching/.
# Deterministic: re-running regenerates the CSVs byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
build_release
kfsim=.build/release/kfsim
scenario=scenarios/precaching/precaching.yaml
out=results/precaching
P=workloads.ml.dataCache.policy
mkdir -p "$out"
sweep() { # name, --param ...
    local name=$1; shift
    rm -rf "$out/$name"
    $kfsim sweep "$scenario" "$@" --param "$P=none,ondemand,precache" --seeds 10 --baseline "$P=none" --out "$out/$name" --quiet
    $kfsim report "$out/$name" >/dev/null
}
sweep policy --param workloads.ml.arrivals.interArrival.mean=60
sweep dataset --param workloads.ml.datasets.features.size=1Gi,2Gi,4Gi,8Gi
sweep cache --param workloads.ml.dataCache.capacity=2Gi,4Gi,8Gi,16Gi
sweep bandwidth --param workloads.ml.storage.bandwidth=1G,2G,5G,10G
sweep load --param workloads.ml.arrivals.interArrival.mean=30,60,120,240
for p in none ondemand precache; do
    $kfsim run "$scenario" --set "$P=$p" --out "$out/run-$p" --quiet
    $kfsim report "$out/run-$p" >/dev/null
done
for s in dataset cache bandwidth load; do
    key=$(sed -n 's/.*"key": "\(workloads[^"]*\)".*/\1/p' "$out/$s/sweep.json" | grep -v dataCache.policy | head -1)
    bash scripts/plot.sh policies "$out/$s" --x "$key" --xlabel "$(basename "${key//./\/}")" --group "$P" \
        --metric jct_mean_s --metric step_io_mean_s --metric cache_hit_ratio --title "Precaching by $s (10 seeds)"
done
python3 scripts/precaching-tables.py "$out" > "$out/tables.md"
echo "written: $out (README tables in $out/tables.md)" >&2
