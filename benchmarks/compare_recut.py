#!/usr/bin/env python3
"""Issue #11's table: the five benchmarks the re-cut promised not to slow (bench_pipeline,
bench_breaker, bench_retry, bench_dlq, bench_heartbeat) built from the commit before the re-cut
and from a later commit, run in interleaved pairs (compare_builds.py: baseline, candidate,
baseline, ...), one row per headline figure: each build's median, the median of the paired
candidate/baseline ratios and their quartiles, and whether the candidate is worse (the ratio's
upper quartile below 1 where more is better, its lower quartile above 1 where less is better).

Each commit is checked out in a git worktree under build/compare/<commit> and its benchmarks are
built there (Release, ccache when the machine has it); --candidate-build DIR takes the candidate's
programs from DIR/benchmarks instead (e.g. `build`, this checkout's own, for today's figures).
With --update FILE the markdown table
replaces the text between FILE's <!-- recut-<candidate>:begin --> and ...:end --> markers.

  benchmarks/compare_recut.py [--baseline 38765ca] [--candidate 047bf3b | --candidate-build DIR]
                              [--pairs 15] [--only bench_dlq,...] [--update docs/recut.md]
"""
import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_builds import compare  # noqa: E402
from readme_tables import update  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# benchmark, its arguments, pairs (None: --pairs), and its headline figures:
# (entry, field, label, True if more is better).
BENCHMARKS = [
    ("bench_pipeline", [], None, [
        ("threads=1", "tasks_per_s", "tasks per s, 1 thread", True),
        ("threads=2", "tasks_per_s", "tasks per s, 2 threads", True),
        ("threads=1", "ratio", "pipeline / raw rpc, 1 thread", True),
        ("threads=2", "ratio", "pipeline / raw rpc, 2 threads", True)]),
    ("bench_breaker", ["--rounds", "3"], None, [
        ("threads=2", "closed_calls_per_s", "calls per s through a closed breaker", True),
        ("threads=2", "ratio", "closed breaker / direct", True),
        ("threads=2", "open_rejections_per_s", "rejections per s, open breaker", True)]),
    ("bench_retry", [], None, [
        ("#0", "ops_per_s", "retry ops per s, 10^4 pending", True),
        ("#2", "ops_per_s", "retry ops per s, 10^6 pending", True),
        ("#0", "bytes_per_pending", "core bytes per pending retry", False),
        ("#0", "actor_bytes_per_pending", "actor bytes per pending retry", False)]),
    ("bench_dlq", [], None, [
        ("#0", "durable_writes_per_s", "durable dead letters per s (group commit)", True),
        ("#0", "cpu_us_per_letter", "CPU µs per dead letter", False),
        ("#1", "replay_achieved_per_s", "replay rate achieved (2000/s asked)", True)]),
    ("bench_heartbeat", ["--agents", "10000"], 7, [
        ("threads=2", "herd_cpu_share", "liveness CPU share, 10^4 agents", False),
        ("threads=2", "detect_s", "time to detect a hung agent, s", False),
        ("threads=2", "bytes_per_agent", "bytes per agent", False)]),
]


def build(commit, benchmarks):
    """Builds `benchmarks` of `commit` in its worktree; returns the directory of the programs."""
    # The real path: a build tree configured there is reused (even through a symlink).
    tree = os.path.realpath(os.path.join(ROOT, "build", "compare", commit))
    if not os.path.isdir(tree):
        subprocess.run(["git", "-C", ROOT, "worktree", "add", "--detach", "-f", tree, commit],
                       check=True)
    configure = ["cmake", "-S", tree, "-B", os.path.join(tree, "build"),
                 "-DCMAKE_BUILD_TYPE=Release", "-DHERD_BUILD_BENCHMARKS=ON"]
    if subprocess.run(["sh", "-c", "command -v ninja"], capture_output=True).returncode == 0:
        configure += ["-G", "Ninja"]
    if subprocess.run(["sh", "-c", "command -v ccache"], capture_output=True).returncode == 0:
        configure += ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"]
    subprocess.run(configure, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", os.path.join(tree, "build"), "--target", *benchmarks],
                   check=True, stdout=subprocess.DEVNULL)
    return os.path.join(tree, "build", "benchmarks")


def verdict(row, more_is_better):
    if more_is_better:
        return "worse" if row["q3"] < 1 else "same or better"
    return "worse" if row["q1"] > 1 else "same or better"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", default="38765ca")
    parser.add_argument("--candidate", default="047bf3b")
    parser.add_argument("--candidate-build", default="")
    parser.add_argument("--pairs", type=int, default=15)
    parser.add_argument("--only", default="")
    parser.add_argument("--update", default="")
    opt = parser.parse_args()
    chosen = [b for b in BENCHMARKS if not opt.only or b[0] in opt.only.split(",")]
    names = [b[0] for b in chosen]
    old_dir = build(opt.baseline, names)
    if opt.candidate_build:
        new_dir, candidate = os.path.join(opt.candidate_build, "benchmarks"), "this checkout"
    else:
        new_dir, candidate = build(opt.candidate, names), opt.candidate
    lines = [f"| figure | {opt.baseline} | {candidate} | ratio (q1-q3) | verdict |",
             "|---|---|---|---|---|"]
    for name, args, pairs, figures in chosen:
        rows = {(r["entry"], r["field"]): r
                for r in compare(os.path.join(old_dir, name), os.path.join(new_dir, name),
                                 pairs or opt.pairs, args)}
        for entry, field, label, more_is_better in figures:
            r = rows[(entry, field)]
            lines.append(f"| {name}: {label} | {r['baseline_median']:.4g} | "
                         f"{r['candidate_median']:.4g} | {r['candidate_over_baseline_median']:.3f} "
                         f"({r['q1']:.3f}-{r['q3']:.3f}) | {verdict(r, more_is_better)} |")
            print(lines[-1], flush=True)
    table = "\n".join(lines)
    if opt.update:
        update(opt.update, "recut-" + ("head" if opt.candidate_build else opt.candidate), table)


if __name__ == "__main__":
    main()
