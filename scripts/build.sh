#!/usr/bin/env bash
# Configures and builds herd in ./build (Release with tests, examples and benchmarks).
set -euo pipefail
cd "$(dirname "$0")/.."
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build "${generator[@]}" "${launcher[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DHERD_BUILD_TESTS=ON -DHERD_BUILD_EXAMPLES=ON -DHERD_BUILD_BENCHMARKS=ON "$@"
cmake --build build -j "$(nproc)"
