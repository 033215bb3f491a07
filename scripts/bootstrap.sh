#!/usr/bin/env bash
# Installs the Debian packages gitmem needs to build, test and benchmark.
# Idempotent: when every package is present it only runs dpkg-query and exits.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build
  librocksdb-dev libfaiss-dev libopenblas-dev libomp-dev
  libfmt-dev catch2 pybind11-dev python3-dev python3-numpy python3-pytest
  libbenchmark-dev libssl-dev libsodium-dev nlohmann-json3-dev
  libstemmer-dev libsqlite3-dev libcli11-dev
  clang  # the thread-safety analysis test (tests/CMakeLists.txt)
)
# Node.js (for the MCP end-to-end test) may come from another source with npm bundled.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  sudo_cmd=""
  [[ $(id -u) -eq 0 ]] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# FAISS with AVX2 (Debian's is built without SIMD): built once into .cache/, skipped when there.
bash "$(dirname "${BASH_SOURCE[0]}")/build_faiss.sh"
