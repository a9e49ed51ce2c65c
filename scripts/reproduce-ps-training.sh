#!/usr/bin/env bash
# Seed paper 2 reproduced: parameter-server TFJobs under Kubeflow's default operator, gang admission,
# task-affinity placement and the autoscaling operator, swept over load (mean inter-arrival time) and
# over NIC bandwidth, 10 seeds each, under the phased and the continuous network model, paired against
# the default operator. Writes results/ps-training/ (tables.md: the README's tables).
# Deterministic: re-running regenerates the CSVs byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
build_release
kfsim=.build/release/kfsim
scenario=scenarios/ps-training/ps-training.yaml
out=results/ps-training
P=workloads.jobs.policy
mkdir -p "$out"

rm -rf "$out/load" "$out/nic"
# Both network models: phased (flows only while they transfer; the default) and continuous (every flow
# always on, the model of the first reproduction), so that the change shows.
N=workloads.jobs.network=phased,continuous
$kfsim sweep "$scenario" --param workloads.jobs.arrivals.interArrival.mean=15,30,60,120,240 --param "$N" \
    --param "$P=default,gang,coscheduling,affinity,autoscaling,optimus" --seeds 1..10 --baseline "$P=default" --out "$out/load" --quiet
$kfsim sweep "$scenario" --param cluster.nodePools.node.nicBandwidth=1G,2500M,5G,10G,25G --param "$N" \
    --param "$P=default,gang,coscheduling,affinity,autoscaling,optimus" --seeds 1..10 --baseline "$P=default" --out "$out/nic" --quiet
python3 scripts/ps-training-tables.py "$out" > "$out/tables.md"

# One run per policy at the scenario's load (seed 1), for the time series and training.csv.
for p in default affinity autoscaling; do
    $kfsim run "$scenario" --set "$P=$p" --out "$out/run-$p" --quiet
done

bash scripts/plot.sh policies "$out/load" --x workloads.jobs.arrivals.interArrival.mean --xlabel "mean inter-arrival s" \
    --group "$P" --metric jct_mean_s --metric cpu_used_of_allocated --metric cpu_used --where workloads.jobs.network=phased \
    --title "PS training by load (10 seeds, phased network model)"
bash scripts/plot.sh policies "$out/nic" --x cluster.nodePools.node.nicBandwidth --xlabel "NIC bandwidth (bit/s)" \
    --group "$P" --metric jct_mean_s --metric cpu_used_of_allocated --metric cpu_used --where workloads.jobs.network=phased \
    --title "PS training by NIC bandwidth (10 seeds, phased network model)"
bash scripts/plot.sh timeseries "$out/timeseries.png" "$out/run-default:default operator" "$out/run-affinity:affinity" \
    "$out/run-autoscaling:autoscaling"
for d in "$out/load" "$out/nic" "$out/run-default" "$out/run-affinity" "$out/run-autoscaling"; do $kfsim report "$d" >/dev/null; done
echo "written: $out" >&2
