#!/usr/bin/env python3
"""Prints the Markdown tables of results/precaching/README.md from the sweeps' runs.csv.

For each swept value: mean pipeline JCT under each policy, the paired difference precache - on-demand
over seeds with its 95% Student t interval, hit ratios and mean step IO seconds.
Usage: scripts/precaching-tables.py results/precaching
"""
import sys

from sweep_stats import interval, mean
from sweep_stats import rows as read

POLICY = "workloads.ml.dataCache.policy"


def paired(a, b):
    """Mean of a - b over common seeds, and its 95% interval."""
    return interval([a[s] - b[s] for s in sorted(a) if s in b])


def table(folder, title, label):
    rows = read(f"{folder}/runs.csv")
    key = [k for k in rows[0] if k.startswith("workloads.") and k != POLICY][0]
    values = []
    for r in rows:
        if r[key] not in values:
            values.append(r[key])
    print(f"### {title} (`{label}/`)\n")
    print("| value | no cache JCT s | on-demand JCT s | precache JCT s | precache - on-demand (95% CI) "
          "| hit ratio on-demand / precache | step IO s none / on-demand / precache |")
    print("|---|---|---|---|---|---|---|")
    for v in values:
        by = {}
        for p in ("none", "ondemand", "precache"):
            by[p] = {r["seed"]: r for r in rows if r[key] == v and r[POLICY] == p}

        def metric(p, m):
            return {s: float(r[m]) for s, r in by[p].items() if r[m] != ""}
        jct = {p: metric(p, "jct_mean_s") for p in by}
        d, lo, hi = paired(jct["precache"], jct["ondemand"])
        hit = {p: mean(list(metric(p, "cache_hit_ratio").values())) for p in ("ondemand", "precache")}
        io = {p: mean(list(metric(p, "step_io_mean_s").values())) for p in by}
        print(f"| {v} | {mean(list(jct['none'].values())):.0f} | {mean(list(jct['ondemand'].values())):.0f} "
              f"| {mean(list(jct['precache'].values())):.0f} | {d:+.1f} ({lo:+.1f}, {hi:+.1f}) "
              f"| {hit['ondemand']:.2f} / {hit['precache']:.2f} | {io['none']:.1f} / {io['ondemand']:.1f} / {io['precache']:.1f} |")
    print()


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "results/precaching"
    table(f"{out}/policy", "Policies at the scenario's setting", "policy")
    table(f"{out}/dataset", "Feature set size", "dataset")
    table(f"{out}/cache", "Cache per node", "cache")
    table(f"{out}/bandwidth", "Store bandwidth (bit/s)", "bandwidth")
    table(f"{out}/load", "Mean seconds between runs", "load")


if __name__ == "__main__":
    main()
