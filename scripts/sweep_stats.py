"""Shared helpers of the scripts that print results tables from sweeps (scripts/*-tables.py): reading a
sweep's CSVs, a paired difference's 95% Student t interval, and a comparisons.csv row as a relative
change with its interval."""
import csv
import math

# Two-sided 95% Student t quantiles by degrees of freedom (1..30); the normal beyond.
T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def rows(path):
    """The rows of a CSV file as dictionaries."""
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def t975(df):
    return T975[df - 1] if df <= len(T975) else 1.960


def mean(xs):
    return sum(xs) / len(xs)


def interval(d):
    """Mean of the paired differences `d` and its 95% interval (nan bounds for fewer than two)."""
    m = mean(d)
    if len(d) < 2:
        return m, float("nan"), float("nan")
    sd = math.sqrt(sum((x - m) ** 2 for x in d) / (len(d) - 1))
    h = t975(len(d) - 1) * sd / math.sqrt(len(d))
    return m, m - h, m + h


def change(c):
    """A comparisons.csv row as a relative change with its interval, e.g. -73% (-77..-68) [flag]; empty
    when there is no row, no data or a zero baseline."""
    if c is None or c["relative_diff"] == "" or c["baseline_mean"] == "":
        return ""
    base = float(c["baseline_mean"])
    if base == 0:
        return ""
    lo, hi = float(c["ci95_low"]) / base * 100, float(c["ci95_high"]) / base * 100
    flag = f" [{c['flag']}]" if c.get("flag") else ""
    return f"{float(c['relative_diff']) * 100:+.0f}% ({lo:+.0f}..{hi:+.0f}){flag}"
