#!/usr/bin/env python3
"""Prints the Markdown tables of results/precaching/README.md from the sweeps' runs.csv.

For each swept value: mean pipeline JCT under each policy, the paired difference precache - on-demand
over seeds with its 95% Student t interval, hit ratios and mean step IO seconds.
Usage: scripts/precaching-tables.py results/precaching
"""
import csv
import math
import sys

POLICY = "workloads.ml.dataCache.policy"
# Two-sided 95% Student t quantiles by degrees of freedom (1..30); the normal beyond.
T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def t975(df):
    return T975[df - 1] if df <= len(T975) else 1.960


def mean(xs):
    return sum(xs) / len(xs)


def paired(a, b):
    """Mean of a - b over common seeds, and its 95% interval."""
    d = [a[s] - b[s] for s in sorted(a) if s in b]
    m = mean(d)
    if len(d) < 2:
        return m, float("nan"), float("nan")
    sd = math.sqrt(sum((x - m) ** 2 for x in d) / (len(d) - 1))
    h = t975(len(d) - 1) * sd / math.sqrt(len(d))
    return m, m - h, m + h


def table(folder, title, label):
    with open(f"{folder}/runs.csv") as f:
        rows = list(csv.DictReader(f))
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
