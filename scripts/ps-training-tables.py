#!/usr/bin/env python3
"""Prints the tables of results/ps-training/README.md from the sweeps' points.csv and comparisons.csv.

Usage: scripts/ps-training-tables.py results/ps-training > results/ps-training/tables.md

For each sweep (load/, nic/) and network model (phased, the default; continuous, seed paper 2's
original always-on model): the default operator's mean JCT and both CPU utilisations (used over
allocated, used over capacity), and the change of affinity and autoscaling against default, paired by
seed, with 95% intervals.
"""
import sys

from sweep_stats import change, rows

POLICY = "workloads.jobs.policy"
NETWORK = "workloads.jobs.network"
SWEEPS = [("load", "workloads.jobs.arrivals.interArrival.mean", "mean inter-arrival s"),
          ("nic", "cluster.nodePools.node.nicBandwidth", "NIC bit/s")]


def main(root):
    for name, key, label in SWEEPS:
        points = rows(f"{root}/{name}/points.csv")
        comps = rows(f"{root}/{name}/comparisons.csv")
        xs = []
        for p in points:
            if p[key] not in xs:
                xs.append(p[key])

        def mean(x, net, policy, metric):
            for p in points:
                if p[key] == x and p.get(NETWORK, "phased") == net and p[POLICY] == policy and p["metric"] == metric:
                    return float(p["mean"]) if p["mean"] else None
            return None

        def comp(x, net, policy, metric):
            for c in comps:
                if c[key] == x and c.get(NETWORK, "phased") == net and c[POLICY] == policy and c["metric"] == metric:
                    return c
            return None

        for net in ("phased", "continuous"):
            print(f"\n### {name}/ ({net} network model)\n")
            print(f"| {label} | default JCT s | affinity JCT | autoscaling JCT | default CPU used/allocated | affinity | autoscaling "
                  "| default CPU used/capacity | affinity | autoscaling |")
            print("|---" * 10 + "|")
            for x in xs:
                jct = mean(x, net, "default", "jct_mean_s")
                ua = mean(x, net, "default", "cpu_used_of_allocated")
                uc = mean(x, net, "default", "cpu_used")
                cells = [x, f"{jct:.0f}" if jct is not None else "",
                         change(comp(x, net, "affinity", "jct_mean_s")), change(comp(x, net, "autoscaling", "jct_mean_s")),
                         f"{ua:.2f}" if ua is not None else "",
                         change(comp(x, net, "affinity", "cpu_used_of_allocated")), change(comp(x, net, "autoscaling", "cpu_used_of_allocated")),
                         f"{uc:.2f}" if uc is not None else "",
                         change(comp(x, net, "affinity", "cpu_used")), change(comp(x, net, "autoscaling", "cpu_used"))]
                print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "results/ps-training")
