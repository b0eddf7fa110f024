#!/usr/bin/env bash
# Builds everything under AddressSanitizer + UndefinedBehaviorSanitizer in ./build-asan (clang, -O1,
# line tables only; examples off; of the benchmarks only bench_soak, for CI's soak) and runs the
# whole ctest suite there. The same build has the libFuzzer targets of tests/fuzz (scripts/fuzz.sh
# runs them; ctest replays their seed corpora), so the libraries are built once for all.
# Any report fails the run: halt_on_error, leak detection on, UBSan reports are errors.
# Suppressions (scripts/sanitizers/*.supp) name findings inside CAF only, each with its reason.
# Usage: scripts/sanitize.sh [--build-only|--test-only] [extra ctest arguments...]
# HERD_SANITIZE_TARGET=NAME builds that target only (e.g. herd_fuzzers) instead of everything.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${HERD_ASAN_BUILD_DIR:-build-asan}
jobs=${HERD_JOBS:-$(nproc)}

build=1
run=1
case "${1:-}" in
  --build-only) run=0; shift ;;
  --test-only) build=0; shift ;;
esac

if [ "$build" = 1 ]; then
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B "$build_dir" "${generator[@]}" "${launcher[@]}" \
    -DCMAKE_CXX_COMPILER="${HERD_SANITIZE_CXX:-clang++}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
    -DHERD_SANITIZER=address -DHERD_BUILD_TESTS=ON -DHERD_BUILD_EXAMPLES=OFF \
    -DHERD_BUILD_BENCHMARKS=ON -DHERD_BUILD_FUZZERS="${HERD_BUILD_FUZZERS:-ON}"
  targets=(--target all bench_soak)
  [ -n "${HERD_SANITIZE_TARGET:-}" ] && targets=(--target "$HERD_SANITIZE_TARGET")
  cmake --build "$build_dir" -j "$jobs" "${targets[@]}"
fi

if [ "$run" = 1 ]; then
  source scripts/sanitizers/options.sh
  ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" "$@"
fi
