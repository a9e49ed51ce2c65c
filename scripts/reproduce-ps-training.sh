#!/usr/bin/env bash
# Seed paper 2 reproduced: parameter-server TFJobs under Kubeflow's default operator, gang admission,
# task-affinity placement and the autoscaling operator, swept over load (mean inter-arrival time) and
# over NIC bandwidth, 10 seeds each, paired against the default operator. Writes results/ps-training/.
# Deterministic: re-running regenerates the CSVs byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
swift build -c release --product kfsim >&2
kfsim=.build/release/kfsim
scenario=scenarios/ps-training/ps-training.yaml
out=results/ps-training
P=workloads.jobs.policy
mkdir -p "$out"

rm -rf "$out/load" "$out/nic"
$kfsim sweep "$scenario" --param workloads.jobs.arrivals.interArrival.mean=15,30,60,120,240 \
    --param "$P=default,gang,coscheduling,affinity,autoscaling,optimus" --seeds 1..10 --baseline "$P=default" --out "$out/load" --quiet
$kfsim sweep "$scenario" --param cluster.nodePools.node.nicBandwidth=1G,2500M,5G,10G,25G \
    --param "$P=default,gang,coscheduling,affinity,autoscaling,optimus" --seeds 1..10 --baseline "$P=default" --out "$out/nic" --quiet

# One run per policy at the scenario's load (seed 1), for the time series and training.csv.
for p in default affinity autoscaling; do
    $kfsim run "$scenario" --set "$P=$p" --out "$out/run-$p" --quiet
done

bash scripts/plot.sh policies "$out/load" --x workloads.jobs.arrivals.interArrival.mean --xlabel "mean inter-arrival s" \
    --group "$P" --metric jct_mean_s --metric cpu_used_of_allocated --title "PS training by load (10 seeds)"
bash scripts/plot.sh policies "$out/nic" --x cluster.nodePools.node.nicBandwidth --xlabel "NIC bandwidth (bit/s)" \
    --group "$P" --metric jct_mean_s --metric cpu_used_of_allocated --title "PS training by NIC bandwidth (10 seeds)"
bash scripts/plot.sh timeseries "$out/timeseries.png" "$out/run-default:default operator" "$out/run-affinity:affinity" \
    "$out/run-autoscaling:autoscaling"
for d in "$out/load" "$out/nic" "$out/run-default" "$out/run-affinity" "$out/run-autoscaling"; do $kfsim report "$d" >/dev/null; done
echo "written: $out" >&2
