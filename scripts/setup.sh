#!/usr/bin/env bash
# Installs the Debian packages herd needs to build, test and plot. Idempotent: installs only what
# is missing. Runs as root, or through sudo when not root.
set -euo pipefail

packages=(build-essential cmake ninja-build libcaf-dev libspdlog-dev nlohmann-json3-dev
          libboost-test-dev libsqlite3-dev sqlite3 gnuplot-nox clang-format
          clang libclang-rt-14-dev llvm
          libcurl4-openssl-dev libcpp-httplib-dev pkg-config python3 prometheus
          chromium iproute2 openssl)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "setup: installing ${missing[*]}"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
