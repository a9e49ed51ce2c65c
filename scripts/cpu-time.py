#!/usr/bin/env python3
"""CPU time of a command, process start to exit, in batches of runs: `perf stat -e task-clock` when perf
is installed (exact), else the user plus system time of the children (getrusage, counted in scheduler
ticks: a few milliseconds coarser). Prints the median batch mean, the lowest and the highest, in
seconds, and the method.

usage: cpu-time.py BATCHES RUNS -- command [args...]
"""
import resource
import shutil
import statistics
import subprocess
import sys


def perf_mean(command, runs):
    result = subprocess.run(["perf", "stat", "-x", ",", "-e", "task-clock", "-r", str(runs), "--"] + command,
                            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in result.stderr.splitlines():
        fields = line.split(",")
        if len(fields) > 2 and fields[2].startswith("task-clock"):
            return float(fields[0]) / 1000  # msec
    raise RuntimeError("perf stat printed no task-clock line:\n" + result.stderr)


def rusage_mean(command, runs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for _ in range(runs):
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) / runs


def main():
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        sys.exit(__doc__)
    batches, runs, command = int(sys.argv[1]), int(sys.argv[2]), sys.argv[4:]
    use_perf = shutil.which("perf") is not None
    if use_perf:
        try:
            perf_mean(command, 1)
        except (subprocess.CalledProcessError, RuntimeError):
            use_perf = False  # perf present but not allowed here (perf_event_paranoid)
    measure = perf_mean if use_perf else rusage_mean
    means = sorted(measure(command, runs) for _ in range(batches))
    how = "perf task-clock" if use_perf else "user plus system time, getrusage"
    print(f"{statistics.median(means):.4f} {means[0]:.4f} {means[-1]:.4f} {how}")


if __name__ == "__main__":
    main()
