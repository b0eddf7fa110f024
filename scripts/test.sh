#!/usr/bin/env bash
# One command for a fresh machine: install what is missing, build, run every test; then the
# hardening passes: a 1-minute soak of the demo's chaos workload (nothing lost, descriptors
# stable), the ASan + UBSan build (scripts/sanitize.sh, build-asan) with the fuzz targets' seed
# corpora replayed in it (the whole suite with HERD_SANITIZE_TESTS=1), and every fuzz target for
# a bounded time (scripts/fuzz.sh). Prints how long each phase took. HERD_QUICK=1 stops after the
# tests.
set -euo pipefail
cd "$(dirname "$0")/.."

timings=()
phase() {
  local name=$1
  shift
  local start
  start=$(date +%s)
  echo "test.sh: phase $name"
  "$@"
  timings+=("$name $(($(date +%s) - start)) s")
  echo "test.sh: phase $name took $(($(date +%s) - start)) s"
}

phase setup scripts/setup.sh
phase build scripts/build.sh
phase tests ctest --test-dir build --output-on-failure -j "$(nproc)"
if [ "${HERD_QUICK:-0}" != 1 ]; then
  phase soak build/benchmarks/bench_soak --minutes 1 --json
  # The whole suite under ASan + UBSan once its fixtures' leaks are fixed (docs/hardening.md:
  # not yet verified clean); until then only the fuzz targets are built sanitized and their seed
  # corpora replayed, which keeps CI inside its time budget.
  if [ "${HERD_SANITIZE_TESTS:-0}" = 1 ]; then
    phase sanitize-build scripts/sanitize.sh --build-only
    phase sanitize-tests scripts/sanitize.sh --test-only
  else
    phase sanitize-build env HERD_SANITIZE_TARGET=herd_fuzzers scripts/sanitize.sh --build-only
    phase sanitize-tests scripts/sanitize.sh --test-only -L fuzz
  fi
  phase fuzz scripts/fuzz.sh
fi
printf 'test.sh: %s\n' "${timings[@]}"
