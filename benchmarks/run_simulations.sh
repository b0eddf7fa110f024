#!/usr/bin/env bash
# Runs every committed thundering-herd scenario and the AWS backoff experiment, prints their
# tables and refreshes the plots in docs/plots (the README's figures). Needs a build (scripts/build.sh)
# and gnuplot (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
herd=build/cli/herd
out=build/simulations
mkdir -p "$out" docs/plots
for scenario in outage-recovery rate-limit-storm sustained-overload slow-brownout; do
  "$herd" simulate "benchmarks/scenarios/$scenario.json" --out "$out" | tee "$out/$scenario.txt"
  cp "$out/$scenario-calls.png" "$out/$scenario-backlog.png" docs/plots/
done
"$herd" simulate --aws-occ --out "$out" | tee "$out/aws-occ.txt"
cp "$out/aws-occ-calls.png" "$out/aws-occ-time.png" docs/plots/
