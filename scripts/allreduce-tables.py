#!/usr/bin/env python3
"""Prints the tables of results/allreduce/README.md from the sweeps' points.csv and comparisons.csv.

Usage: scripts/allreduce-tables.py results/allreduce > results/allreduce/tables.md
"""
import sys

from sweep_stats import change, rows

POLICY = "workloads.jobs.policy"
LOAD = "workloads.jobs.arrivals.interArrival.mean"
METRICS = [("jct_mean_s", "mean JCT s", "{:.0f}"), ("jct_p95_s", "p95 JCT s", "{:.0f}"), ("gpu_allocated", "GPU allocated", "{:.2f}"),
           ("gpu_used", "GPU used", "{:.2f}"), ("cross_node_gib", "cross-node GiB", "{:.0f}")]


def table(points, comps, where):
    policies = []
    for p in points:
        if p[POLICY] not in policies:
            policies.append(p[POLICY])
    print("| policy | " + " | ".join(label for _, label, _ in METRICS) + " |")
    print("|---" * (len(METRICS) + 1) + "|")
    for pol in policies:
        cells = [pol]
        for metric, _, fmt in METRICS:
            pt = next((p for p in points if p[POLICY] == pol and p["metric"] == metric and all(p[k] == v for k, v in where.items())), None)
            value = fmt.format(float(pt["mean"])) if pt and pt["mean"] else ""
            if pol != "default":
                c = next((c for c in comps if c[POLICY] == pol and c["metric"] == metric and all(c[k] == v for k, v in where.items())), None)
                value += f" {change(c)}" if change(c) else ""
            cells.append(value)
        print("| " + " | ".join(cells) + " |")


def main(root):
    print("### At the scenario's load (policies/, mean inter-arrival 90 s; change against default, paired by seed, 95% intervals)\n")
    table(rows(f"{root}/policies/points.csv"), rows(f"{root}/policies/comparisons.csv"), {})
    points, comps = rows(f"{root}/load/points.csv"), rows(f"{root}/load/comparisons.csv")
    for x in sorted({p[LOAD] for p in points}, key=float):
        print(f"\n### Mean inter-arrival {x} s (load/)\n")
        table(points, comps, {LOAD: x})


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "results/allreduce")
