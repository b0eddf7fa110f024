#!/usr/bin/env bash
# One command for a fresh machine: install what is missing, build, run the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec build/cli/herd demo "$@"
