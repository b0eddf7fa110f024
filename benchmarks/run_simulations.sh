#!/usr/bin/env bash
# Runs every committed thundering-herd scenario and the AWS backoff experiment, refreshes the
# plots in docs/plots and rewrites the README's tables (between <!-- simulations:begin/end -->)
# from the JSON reports. Needs a build (scripts/build.sh), gnuplot and python3 (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
herd=build/cli/herd
out=build/simulations
mkdir -p "$out" docs/plots
for scenario in outage-recovery rate-limit-storm sustained-overload slow-brownout; do
  "$herd" simulate "benchmarks/scenarios/$scenario.json" --out "$out" --json >"$out/$scenario.json"
  cp "$out/$scenario-calls.png" "$out/$scenario-backlog.png" docs/plots/
done
"$herd" simulate --aws-occ --out "$out" --json >"$out/aws-occ.json"
cp "$out/aws-occ-calls.png" "$out/aws-occ-time.png" docs/plots/
python3 benchmarks/readme_tables.py simulations "$out" --update README.md
