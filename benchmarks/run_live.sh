#!/usr/bin/env bash
# Runs the live thundering-herd scenarios (benchmarks/scenarios/live-*.json) simulated and live
# (herd simulate --live: real agents over HTTP against an in-process herd mock-llm on 127.0.0.1)
# at the same --scale, and prints a markdown table of simulated vs live peak/capacity and
# amplification per strategy. Needs a build (scripts/build.sh) and python3.
# Usage: benchmarks/run_live.sh [SCALE]   (default 0.2: 200 agents over 60 s)
set -euo pipefail
cd "$(dirname "$0")/.."
herd=build/cli/herd
scale=${1:-0.2}
out=build/live
mkdir -p "$out"
for scenario in live-outage live-storm; do
  file=benchmarks/scenarios/$scenario.json
  "$herd" simulate "$file" --scale "$scale" --json >"$out/$scenario-simulated.json"
  "$herd" simulate "$file" --scale "$scale" --live --json >"$out/$scenario-live.json"
done
python3 - "$out" "$scale" <<'PY'
import json, sys
out, scale = sys.argv[1], sys.argv[2]
print(f"| scenario (--scale {scale}) | strategy | peak/capacity simulated | live | amplification simulated | live | lost simulated | live |")
print("|---|---|---|---|---|---|---|---|")
for scenario in ["live-outage", "live-storm"]:
    simulated = json.load(open(f"{out}/{scenario}-simulated.json"))
    live = json.load(open(f"{out}/{scenario}-live.json"))
    by_name = {r["strategy"]: r for r in live["results"]}
    for s in simulated["results"]:
        l = by_name[s["strategy"]]
        print(f"| {scenario} | {s['strategy']} | {s['peak_over_capacity']:.2f} | "
              f"{l['peak_over_capacity']:.2f} | {s['amplification']:.2f} | "
              f"{l['amplification']:.2f} | {s['tasks_lost']} | {l['tasks_lost']} |")
PY
