#!/usr/bin/env bash
# Allreduce training (issue 11): PyTorchJobs (DDP over NCCL) on a mixed GPU cluster of A100, V100 and T4
# zones, placed by the default operator (every pod scheduled on its own), gang admission, task affinity
# (fewest nodes) and topology-aware packing (fewest nodes of one zone); 5 seeds, paired against the
# default. Writes results/allreduce/ (tables.md: the README's tables). Deterministic.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
build_release
kfsim=.build/release/kfsim
scenario=scenarios/allreduce/allreduce.yaml
out=results/allreduce
P=workloads.jobs.policy
mkdir -p "$out"
rm -rf "$out/policies" "$out/load"
$kfsim sweep "$scenario" --param "$P=default,gang,affinity,topology" --seeds 1..5 --baseline "$P=default" --out "$out/policies" --quiet
$kfsim sweep "$scenario" --param workloads.jobs.arrivals.interArrival.mean=45,90,180 --param "$P=default,gang,affinity,topology" \
    --seeds 1..5 --baseline "$P=default" --out "$out/load" --quiet
for p in default topology; do $kfsim run "$scenario" --set "$P=$p" --out "$out/run-$p" --quiet; done
python3 scripts/allreduce-tables.py "$out" > "$out/tables.md"
bash scripts/plot.sh policies "$out/load" --x workloads.jobs.arrivals.interArrival.mean --xlabel "mean inter-arrival s" \
    --group "$P" --metric jct_mean_s --metric gpu_used --metric cross_node_gib --title "PyTorchJobs on a mixed GPU cluster (5 seeds)"
bash scripts/plot.sh timeseries "$out/timeseries.png" "$out/run-default:default operator" "$out/run-topology:topology"
for d in "$out/policies" "$out/load" "$out/run-default" "$out/run-topology"; do $kfsim report "$d" >/dev/null; done
echo "written: $out" >&2
