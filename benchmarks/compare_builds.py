#!/usr/bin/env python3
"""Compares one benchmark program of two builds in interleaved rounds, paired.

usage: compare_builds.py BASELINE_BINARY CANDIDATE_BINARY [--pairs N] [--key K] -- BENCH_ARGS...

Runs baseline, candidate, baseline, candidate, ... (each with BENCH_ARGS and --json), matches the
entries of each pair by their "threads" field (or their position) and prints, as JSON, per entry
and per numeric field: the median of the candidate/baseline ratios and their quartiles, next to
each build's own median. Pairing cancels drift; the quartiles show the spread.
"""
import argparse
import json
import statistics
import subprocess
import sys


def run(binary, args):
    out = subprocess.run([binary, *args, "--json"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["results"]


def entry_key(entry, index):
    return f"threads={entry['threads']}" if "threads" in entry else f"#{index}"


def compare(baseline, candidate, pairs, args):
    """Runs the two binaries in `pairs` interleaved pairs; one row per entry and numeric field."""
    ratios, own = {}, {}
    for _ in range(pairs):
        base, cand = run(baseline, args), run(candidate, args)
        for i, (b, c) in enumerate(zip(base, cand)):
            for field, value in b.items():
                if field == "threads" or not isinstance(value, (int, float)) or value == 0:
                    continue
                key = (entry_key(b, i), field)
                ratios.setdefault(key, []).append(c[field] / value)
                own.setdefault(key, ([], []))
                own[key][0].append(value)
                own[key][1].append(c[field])
    report = []
    for (entry, field), xs in sorted(ratios.items()):
        q = statistics.quantiles(xs, n=4) if len(xs) > 1 else [xs[0]] * 3
        report.append({"entry": entry, "field": field, "pairs": len(xs),
                       "candidate_over_baseline_median": round(statistics.median(xs), 4),
                       "q1": round(q[0], 4), "q3": round(q[2], 4),
                       "baseline_median": statistics.median(own[(entry, field)][0]),
                       "candidate_median": statistics.median(own[(entry, field)][1])})
    return report


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("baseline")
    parser.add_argument("candidate")
    parser.add_argument("--pairs", type=int, default=15)
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    opt = parser.parse_args(argv[:split])
    report = compare(opt.baseline, opt.candidate, opt.pairs, argv[split + 1:])
    json.dump({"comparison": report}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
