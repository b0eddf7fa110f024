#!/usr/bin/env python3
"""Renders the README's simulation tables from the JSON reports `herd simulate` wrote, and with
--update README.md replaces the text between the section's markers with them.

  readme_tables.py simulations DIR [--update README.md]   # DIR/<scenario>.json, DIR/aws-occ.json
  readme_tables.py live DIR SCALE [--update README.md]    # DIR/<scenario>-{simulated,live}.json
"""
import json
import sys

SCENARIOS = ["outage-recovery", "rate-limit-storm", "sustained-overload", "slow-brownout"]
LIVE_SCENARIOS = ["live-outage", "live-storm"]
AWS_CLIENTS = [10, 50, 100, 190]


def number(x, digits=0):
    return "-" if x is None else f"{x:.{digits}f}"


def scenario_table(folder, name):
    report = json.load(open(f"{folder}/{name}.json"))
    spec = json.load(open(f"benchmarks/scenarios/{name}.json"))
    service, workload = spec["service"], spec["workload"]
    lines = [f"**scenario {name} (seed {report['seed']}): {spec['agents']} agents, capacity "
             f"{service['capacity_per_s']:g}/s, offered {workload['rate_per_s']:g}/s**", "",
             "| strategy | completed | dead-lettered | lost | calls | amplification | peak/s | "
             "peak/capacity | drain s (min) | last task s | p50 ms | p99 ms |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in report["results"]:
        drain = "-" if r["drain_time_s"] is None else (
            f"{number(r['drain_time_s'])} ({number(r['drain_minimum_s'])})")
        strategy = f"**{r['strategy']}**" if r["strategy"].startswith("herd") else r["strategy"]
        lines.append(
            f"| {strategy} | {r['tasks_completed']} | {r['tasks_dead_lettered']} | "
            f"{r['tasks_lost']} | {r['calls_total']} | {r['amplification']:.2f} | "
            f"{r['peak_calls_per_s']} | {r['peak_over_capacity']:.2f} | {drain} | "
            f"{number(r['completion_time_s'])} | {number(r['latency_ms']['p50'])} | "
            f"{number(r['latency_ms']['p99'])} |")
    return "\n".join(lines)


def aws_table(folder):
    report = json.load(open(f"{folder}/aws-occ.json"))
    lines = ["**AWS optimistic-concurrency experiment (100 trials per point)**, selected client "
             "counts:", "",
             "| clients | strategy | mean write calls | mean time of the last success, ms |",
             "|---:|---|---:|---:|"]
    for r in report["results"]:
        if r["clients"] in AWS_CLIENTS:
            lines.append(f"| {r['clients']} | {r['strategy']} | {r['mean_calls']:.1f} | "
                         f"{r['mean_time_ms']:.1f} |")
    return "\n".join(lines)


def live_table(folder, scale):
    lines = [f"| scenario (--scale {scale}) | strategy | peak/capacity simulated | live | "
             "amplification simulated | live | lost simulated | live |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for name in LIVE_SCENARIOS:
        simulated = json.load(open(f"{folder}/{name}-simulated.json"))
        live = {r["strategy"]: r for r in json.load(open(f"{folder}/{name}-live.json"))["results"]}
        for s in simulated["results"]:
            l = live[s["strategy"]]
            lines.append(f"| {name} | {s['strategy']} | {s['peak_over_capacity']:.2f} | "
                         f"{l['peak_over_capacity']:.2f} | {s['amplification']:.2f} | "
                         f"{l['amplification']:.2f} | {s['tasks_lost']} | {l['tasks_lost']} |")
    return "\n".join(lines)


def update(readme, section, text):
    begin, end = f"<!-- {section}:begin -->", f"<!-- {section}:end -->"
    content = open(readme).read()
    if begin not in content or end not in content:
        sys.exit(f"readme_tables.py: {readme} has no {begin} ... {end} markers")
    head, rest = content.split(begin, 1)
    _, tail = rest.split(end, 1)
    open(readme, "w").write(f"{head}{begin}\n{text}\n{end}{tail}")


def main(argv):
    readme = None
    if "--update" in argv:
        i = argv.index("--update")
        readme = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    if len(argv) >= 2 and argv[0] == "simulations":
        section = "simulations"
        text = "\n\n".join([scenario_table(argv[1], n) for n in SCENARIOS] + [aws_table(argv[1])])
    elif len(argv) >= 3 and argv[0] == "live":
        section = "live"
        text = live_table(argv[1], argv[2])
    else:
        sys.exit(__doc__)
    print(text)
    if readme:
        update(readme, section, text)


if __name__ == "__main__":
    main(sys.argv[1:])
