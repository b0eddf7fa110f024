#!/usr/bin/env python3
"""Runs every benchmark that reports a ratio (herd against its baseline, in interleaved rounds
inside each run; each run the median of FORKS processes, bench_forks.hpp) RUNS times in a row and
prints, per ratio, each run's median ratio with its spread (min-max over the run's rounds), the
median of the runs and how far the runs' medians lie apart ((max - min) / median: the acceptance
is within 10%). With --update README.md the table replaces the text between README's
<!-- ratios:begin --> and <!-- ratios:end --> markers; the raw JSON of every run goes to
build/ratios/<benchmark>.jsonl, from which --reuse builds the table again without running.

  benchmarks/run_ratios.py [--runs 5] [--forks 5] [--build build] [--only bench_breaker,...]
                           [--update README.md] [--reuse]
"""
import argparse
import json
import os
import statistics
from math import nan
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from readme_tables import update  # noqa: E402

# benchmark, its arguments, and the ratios it reports: (label, path to the result entry, key).
BENCHMARKS = [
    # One scheduler thread, as bench_locks: on two, the ratio is what CAF's work stealing makes
    # of one service actor and four drivers in a process (run medians 0.76-1.06 in five runs of
    # 2026-12-02, per CPU second 0.89-1.08 with the polling of an idle worker counted), not
    # what a breaker costs; on one, nothing idles and the runs agree within 2%. The two-thread
    # figures stay what bench_breaker prints by default.
    ("bench_breaker", ["--rounds", "7", "--threads", "1"], [
        ("closed breaker / direct, calls per s, 1 thread", lambda r: r["results"][0], "ratio"),
        ("closed breaker / direct, calls per CPU s, 1 thread", lambda r: r["results"][0],
         "cpu_ratio")]),
    ("bench_pipeline", ["--rounds", "15"], [
        ("pipeline / raw rpc, 1 thread, per s", lambda r: r["results"][0], "ratio"),
        ("pipeline / raw rpc, 1 thread, per CPU s", lambda r: r["results"][0], "cpu_ratio"),
        ("pipeline / raw rpc, 2 threads, per s", lambda r: r["results"][1], "ratio"),
        ("pipeline / raw rpc, 2 threads, per CPU s", lambda r: r["results"][1], "cpu_ratio")]),
    ("bench_http", ["--rounds", "3"], [
        ("http_service / raw libcurl, calls per s", lambda r: r["results"][0], "ratio"),
        ("http_service / raw libcurl, calls per CPU s", lambda r: r["results"][0], "cpu_ratio")]),
    ("bench_retry", ["--ops", "1000000", "--rounds", "7", "--forks", "9"], [
        ("ops at 10^6 / 10^4 pending, per s", lambda r: r["results"][-1], "ratio_to_first"),
        ("ops at 10^6 / 10^4 pending, per CPU s", lambda r: r["results"][-1],
         "cpu_ratio_to_first")]),
    # One scheduler thread: on two, the plain loop it is divided by is bimodal with 100 loops on
    # one actor (about 200,000 or 370,000 pairs/s, whichever way CAF's work stealing settles
    # in a process), so the ratio told which mode a process drew, not what a lock costs.
    ("bench_locks", ["--threads", "1"], [
        ("lock acquire+release / plain rpc pairs, uncontended, 1 thread",
         lambda r: r["results"][0], "ratio"),
        ("lock acquire+release / plain rpc pairs, 100 holders on one lock, 1 thread",
         lambda r: r["results"][0], "contended_ratio")]),
    # Three rounds of four 2 s windows a process, twelve processes: herd's watching costs about
    # 0.0003 of a core (a check timer firing four times a second: wake-ups of the clock thread
    # and the monitor's), which varies by +-15-25% from window to window on this virtual machine
    # and drifts between runs; each window is a sample, so a run takes 144 for the time of 36
    # system starts. Four rounds x six processes gave run medians 12.8% apart (net ratio). The
    # headline ratio divides the two systems' whole shares; the net one subtracts an idle
    # system's share (a tenth of herd's, varying 2x between processes) from both.
    ("bench_heartbeat", ["--agents", "10000", "--window", "2", "--windows", "4", "--rounds", "3",
                         "--forks", "12"], [
        ("herd / naive hang-detection CPU, 10^4 agents, whole systems", lambda r: r["results"][0],
         "ratio"),
        ("herd / naive hang-detection CPU, 10^4 agents, net of an idle system",
         lambda r: r["results"][0], "net_ratio")]),
]


def shown(value):
    """A ratio with three decimals, or five decimals under 0.1 (bench_heartbeat's)."""
    return f"{value:.3f}" if not value < 0.1 else f"{value:.5f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--forks", type=int, default=5)
    parser.add_argument("--build", default="build")
    parser.add_argument("--only", default="")
    parser.add_argument("--update")
    parser.add_argument("--reuse", action="store_true",
                        help="build the table from the runs logged in BUILD/ratios instead of running")
    args = parser.parse_args()
    only = set(filter(None, args.only.split(",")))
    out_dir = os.path.join(args.build, "ratios")
    os.makedirs(out_dir, exist_ok=True)
    rows = ["| ratio | median of runs | run medians (min-max of each run's rounds) | spread of the "
            "medians |", "|---|---:|---|---:|"]
    worst = 0.0
    for name, extra, ratios in BENCHMARKS:
        if only and name not in only:
            continue
        log_path = os.path.join(out_dir, f"{name}.jsonl")
        if args.reuse:
            with open(log_path) as log:
                runs = [json.loads(line) for line in log if line.strip()]
            if not runs:
                print(f"run_ratios.py: {log_path} holds no run; {name} left out", file=sys.stderr)
                continue
        else:
            runs = []
            with open(log_path, "w") as log:
                for _ in range(args.runs):
                    forks = [] if "--forks" in extra else ["--forks", str(args.forks)]
                    out = subprocess.run([os.path.join(args.build, "benchmarks", name), "--json",
                                          *forks, *extra],
                                         check=True, capture_output=True, text=True).stdout
                    report = json.loads(out.strip().splitlines()[-1])
                    log.write(json.dumps(report) + "\n")
                    runs.append(report)
        for label, entry_of, key in ratios:
            medians = [entry_of(r)[key] for r in runs]
            spreads = [f"{shown(entry_of(r)[key])} ({shown(entry_of(r).get(key + '_min', nan))}-"
                       f"{shown(entry_of(r).get(key + '_max', nan))})" for r in runs]
            middle = statistics.median(medians)
            spread = (max(medians) - min(medians)) / middle if middle else float("inf")
            worst = max(worst, spread)
            rows.append(f"| {name}: {label} | {shown(middle)} | {', '.join(spreads)} | "
                        f"{100 * spread:.1f}% |")
            print(rows[-1], flush=True)
    table = "\n".join(rows)
    print(table)
    if args.update:
        update(args.update, "ratios", table)
    print(f"run_ratios.py: the runs' medians lie at most {100 * worst:.1f}% apart")


if __name__ == "__main__":
    main()
