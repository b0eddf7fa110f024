#!/usr/bin/env bash
# Fuzzes every libFuzzer target of tests/fuzz for a bounded time each (HERD_FUZZ_SECONDS, default
# 15) in the ASan + UBSan build of scripts/sanitize.sh (./build-asan), starting from the committed
# seed corpus tests/fuzz/corpus/<target>/. New inputs go to build-asan/fuzz/<target>/corpus, a
# crash to build-asan/fuzz/<target>/crashes/; any crash fails the run after all targets ran.
# Reproduce one: build-asan/tests/fuzz/<target> <crash file>.
# Usage: scripts/fuzz.sh [TARGET...]   (default: every target)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${HERD_ASAN_BUILD_DIR:-build-asan}
seconds=${HERD_FUZZ_SECONDS:-15}
source scripts/sanitizers/options.sh

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for source in tests/fuzz/*_fuzzer.cpp; do
    targets+=("$(basename "$source" .cpp)")
  done
fi

failed=()
for target in "${targets[@]}"; do
  binary=$build_dir/tests/fuzz/$target
  [ -x "$binary" ] || { echo "fuzz: $binary is not built (run scripts/sanitize.sh)" >&2; exit 1; }
  work=$build_dir/fuzz/$target
  mkdir -p "$work/corpus" "$work/crashes"
  log=$work/fuzz.log
  start=$(date +%s)
  if "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
       -print_final_stats=1 -artifact_prefix="$work/crashes/" \
       "$work/corpus" "tests/fuzz/corpus/$target" >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
    echo "fuzz: $target ok: $runs runs, coverage $cov, $(( $(date +%s) - start )) s"
  else
    echo "fuzz: $target FAILED (log: $log, inputs: $work/crashes/)" >&2
    grep -m1 -A30 'ERROR\|fuzz contract broken\|runtime error' "$log" >&2 || tail -40 "$log" >&2
    failed+=("$target")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${seconds} s each without a finding"
