#!/usr/bin/env bash
# Configures and builds herd in ./build (Release with tests, examples and benchmarks); extra
# arguments go to CMake's configure step. HERD_BUILD_TARGET=NAME builds that target only.
set -euo pipefail
cd "$(dirname "$0")/.."
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build "${generator[@]}" "${launcher[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DHERD_BUILD_TESTS=ON -DHERD_BUILD_EXAMPLES=ON -DHERD_BUILD_BENCHMARKS=ON "$@"
targets=()
[ -n "${HERD_BUILD_TARGET:-}" ] && targets=(--target "$HERD_BUILD_TARGET")
cmake --build build -j "$(nproc)" "${targets[@]}"
