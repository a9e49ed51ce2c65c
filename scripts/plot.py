#!/usr/bin/env python3
"""Plots for kfsim sweeps and runs (PNG and SVG side by side).

  plot.py speedup SWEEP_DIR [--title T]      speedup with 95% CI bars and the Amdahl/USL fits
                                             (reads speedup.csv and fit.json written by `kfsim fit`)
  plot.py timeseries OUT.png RUN_DIR[:LABEL]...  CPU allocated/used, pending pods and refused creations
                                             over time (reads each run's timeseries.csv)
  plot.py policies SWEEP_DIR --x KEY --group KEY --metric M [--metric M2] [--title T]
                                             a metric's mean and 95% CI against a swept key, one line per
                                             value of another key (reads points.csv)
"""
import argparse
import csv
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# Deterministic SVG output (no random ids, no date).
plt.rcParams["svg.hashsalt"] = "kfsim"
METADATA = {"svg": {"Date": None}, "png": {"Software": None}}


def save(fig, path_png):
    base, _ = os.path.splitext(path_png)
    fig.savefig(base + ".png", dpi=120, bbox_inches="tight", metadata=METADATA["png"])
    fig.savefig(base + ".svg", bbox_inches="tight", metadata=METADATA["svg"])
    plt.close(fig)


def num(text):
    """A CSV cell as a number; an empty cell (no data) is NaN, which matplotlib leaves undrawn."""
    return float(text) if text not in ("", None) else float("nan")


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def speedup(args):
    rows = read_csv(os.path.join(args.sweep, "speedup.csv"))
    fit = json.load(open(os.path.join(args.sweep, "fit.json")))
    key = fit["key"]
    group_keys = [k for k in rows[0].keys() if k not in (key, "n") and not k.startswith(fit["metric"])
                  and not k.startswith("speedup") and k not in ("amdahl", "usl")]
    groups = {}
    for r in rows:
        groups.setdefault(tuple(r[k] for k in group_keys), []).append(r)
    fig, ax = plt.subplots(figsize=(8, 5))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (g, rs) in enumerate(groups.items()):
        c = colors[i % len(colors)]
        n = [num(r[key]) for r in rs]
        s = [num(r["speedup_mean"]) for r in rs]
        lo = [num(r["speedup_mean"]) - num(r["speedup_ci95_low"]) for r in rs]
        hi = [num(r["speedup_ci95_high"]) - num(r["speedup_mean"]) for r in rs]
        label = ", ".join(f"{k.split('.')[-1]}={v}" for k, v in zip(group_keys, g)) or "simulated"
        ax.errorbar(n, s, yerr=[lo, hi], fmt="o", ms=3, color=c, capsize=2, label=f"{label} (mean, 95% CI)")
        if len(groups) == 1:
            ax.plot(n, [num(r["amdahl"]) for r in rs], "--", color="gray", label="Amdahl fit")
            ax.plot(n, [num(r["usl"]) for r in rs], "-", color="black", lw=1, label="USL fit")
        else:
            ax.plot(n, [num(r["usl"]) for r in rs], "-", color=c, lw=0.8)
    ax.set_xlabel(key.split(".")[-1] + " (N)")
    ax.set_ylabel("speedup T(1) / T(N)")
    ax.set_title(args.title or "Speedup by container count")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    save(fig, os.path.join(args.sweep, "speedup.png"))


def timeseries(args):
    runs = []
    for spec in args.runs:
        path, _, label = spec.partition(":")
        runs.append((label or os.path.basename(path), read_csv(os.path.join(path, "timeseries.csv"))))
    fig, axes = plt.subplots(len(runs), 1, figsize=(8, 3 * len(runs)), sharex=True, squeeze=False)
    for ax, (label, rows) in zip(axes[:, 0], runs):
        t = [num(r["time_s"]) for r in rows]
        ax.plot(t, [num(r["cpu_allocated"]) for r in rows], label="CPU allocated")
        ax.plot(t, [num(r["cpu_used"]) for r in rows], label="CPU used")
        ax.set_ylabel("fraction of cluster CPU")
        ax.set_ylim(0, 1)
        ax2 = ax.twinx()
        ax2.step(t, [int(r["waiting_creations"]) for r in rows], where="post", color="tab:red", label="refused by quota, waiting")
        ax2.step(t, [int(r["pending_pods"]) for r in rows], where="post", color="tab:purple", label="pending (unschedulable)")
        ax2.set_ylabel("pods")
        top = max([int(r["waiting_creations"]) for r in rows] + [int(r["pending_pods"]) for r in rows] + [1])
        ax2.set_ylim(0, top * 1.1 + 0.5)
        ax.set_title(label)
        h1, l1 = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        ax.legend(h1 + h2, l1 + l2, fontsize=8, loc="upper right")
        ax.grid(alpha=0.3)
    axes[-1, 0].set_xlabel("time (s)")
    save(fig, args.out)


def policies(args):
    rows = read_csv(os.path.join(args.sweep, "points.csv"))
    # Only the points with KEY=VALUE for every --where (one slice of a sweep over more parameters).
    for cond in args.where or []:
        key, _, value = cond.partition("=")
        rows = [r for r in rows if r.get(key) == value]
    metrics = args.metric
    fig, axes = plt.subplots(1, len(metrics), figsize=(6 * len(metrics), 4.5), squeeze=False)
    xs = []
    for r in rows:
        if r[args.x] not in xs:
            xs.append(r[args.x])
    groups = []
    for r in rows:
        if r[args.group] not in groups:
            groups.append(r[args.group])
    for ax, metric in zip(axes[0], metrics):
        for g in groups:
            sel = [r for r in rows if r[args.group] == g and r["metric"] == metric]
            pos = [xs.index(r[args.x]) for r in sel]
            mean = [num(r["mean"]) for r in sel]
            lo = [num(r["mean"]) - num(r["ci95_low"]) for r in sel]
            hi = [num(r["ci95_high"]) - num(r["mean"]) for r in sel]
            bars = ax.errorbar(pos, mean, yerr=[lo, hi], marker="o", ms=4, capsize=3, label=g)
            # Points whose runs left jobs unfinished are censored: circled in red, never shown as plain means.
            flagged = [(x, m) for x, m, r in zip(pos, mean, sel) if int(r.get("runs_with_unfinished_jobs") or 0) > 0]
            if flagged:
                ax.scatter([x for x, _ in flagged], [m for _, m in flagged], s=90, facecolors="none",
                           edgecolors="red", zorder=5, label=f"{g}: runs with unfinished jobs" if g == groups[0] else None)
        ax.set_xticks(range(len(xs)))
        ax.set_xticklabels(xs)
        ax.set_xlabel(args.x.split(".")[-1] if not args.xlabel else args.xlabel)
        ax.set_ylabel(metric)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    if args.title:
        fig.suptitle(args.title)
    save(fig, os.path.join(args.sweep, args.name + ".png"))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("speedup")
    s.add_argument("sweep")
    s.add_argument("--title")
    t = sub.add_parser("timeseries")
    t.add_argument("out")
    t.add_argument("runs", nargs="+")
    q = sub.add_parser("policies")
    q.add_argument("sweep")
    q.add_argument("--x", required=True)
    q.add_argument("--xlabel")
    q.add_argument("--group", required=True)
    q.add_argument("--metric", action="append", required=True)
    q.add_argument("--title")
    q.add_argument("--name", default="policies")
    q.add_argument("--where", action="append", help="KEY=VALUE: plot only the points with that parameter value")
    args = p.parse_args()
    {"speedup": speedup, "timeseries": timeseries, "policies": policies}[args.command](args)


if __name__ == "__main__":
    main()
