#!/usr/bin/env bash
# Runs the live thundering-herd scenarios (benchmarks/scenarios/live-*.json) simulated and live
# (herd simulate --live: real agents over HTTP against an in-process herd mock-llm on 127.0.0.1)
# at the same --scale, and prints a markdown table of simulated vs live peak/capacity and
# amplification per strategy, also written into README.md (between <!-- live:begin/end -->).
# Needs a build (scripts/build.sh) and python3.
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
python3 benchmarks/readme_tables.py live "$out" "$scale" --update README.md
