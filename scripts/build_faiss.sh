#!/usr/bin/env bash
# Builds FAISS's AVX2 variant from Debian's own source package, once.
#
# Debian's libfaiss.a is compiled for baseline x86-64 (no SIMD), which makes exact search
# and HNSW builds 5-10x slower than they should be. This script fetches the same FAISS
# release Debian ships (`apt-get source faiss`), builds the `faiss_avx2` static library
# (PIC, Release, OpenBLAS, no GPU/Python/tests) and installs it with its headers into
#   <repo>/.cache/faiss/install/{lib/libfaiss_avx2.a,include/faiss/...}
# where cmake/Search.cmake finds it. Without AVX2, or when anything fails, CMake falls back
# to Debian's library, so this script never has to succeed for gitmem to build.
#
# Nothing system-wide changes: the deb-src list, the package lists and apt's caches live in a
# private directory under .cache/faiss/apt and are passed to apt-get with -o options.
#
# Idempotent: when the library is already installed it exits at once.
# Environment: GITMEM_FAISS_JOBS (default: nproc), GITMEM_FAISS_FORCE=1 to rebuild.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${root}/.cache/faiss"
prefix="${cache}/install"
lib="${prefix}/lib/libfaiss_avx2.a"
stamp="${prefix}/.complete"

log() { echo "build_faiss: $*"; }

if [[ "${GITMEM_FAISS_FORCE:-0}" != 1 && -f "$lib" && -f "$stamp" ]]; then
  log "AVX2 FAISS already built at ${lib}"
  exit 0
fi

if [[ "$(uname -m)" != x86_64 ]] || ! grep -qw avx2 /proc/cpuinfo; then
  log "CPU has no AVX2; gitmem will use Debian's libfaiss"
  exit 0
fi

for tool in apt-get dpkg-source cmake; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    log "missing ${tool}; skipping (gitmem will use Debian's libfaiss)"
    exit 0
  fi
done

# --- 1. Fetch the source package with a private apt configuration --------------------------
apt_dir="${cache}/apt"
mkdir -p "${apt_dir}/lists/partial" "${apt_dir}/cache/archives/partial" "${apt_dir}/parts"
# The suite Debian's installed libfaiss-dev comes from (bookworm here); override if needed.
suite="${GITMEM_FAISS_SUITE:-$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")}"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
signed=""
[[ -r "$keyring" ]] && signed="[signed-by=${keyring}] "
echo "deb-src ${signed}http://deb.debian.org/debian ${suite} main" >"${apt_dir}/sources.list"

apt_opts=(
  -o "Dir::Etc::SourceList=${apt_dir}/sources.list"
  -o "Dir::Etc::SourceParts=${apt_dir}/parts"
  -o "Dir::State::Lists=${apt_dir}/lists"
  -o "Dir::Cache=${apt_dir}/cache"
  -o "Dir::Cache::pkgcache=${apt_dir}/cache/pkgcache.bin"
  -o "Dir::Cache::srcpkgcache=${apt_dir}/cache/srcpkgcache.bin"
  -o "APT::Sandbox::User=$(id -un)"
  -o "Acquire::Languages=none"
)

src_dir="${cache}/src"
mkdir -p "$src_dir"
faiss_src="$(find "$src_dir" -maxdepth 1 -mindepth 1 -type d -name 'faiss-*' | sort | tail -n1)"
if [[ -z "$faiss_src" || ! -f "${faiss_src}/CMakeLists.txt" ]]; then
  log "fetching the faiss source package (${suite})"
  apt-get -qq "${apt_opts[@]}" update
  (cd "$src_dir" && apt-get -qq "${apt_opts[@]}" source faiss)
  faiss_src="$(find "$src_dir" -maxdepth 1 -mindepth 1 -type d -name 'faiss-*' | sort | tail -n1)"
fi
[[ -n "$faiss_src" && -f "${faiss_src}/CMakeLists.txt" ]] || { log "no faiss source found"; exit 1; }
log "source: ${faiss_src}"

# --- 2. Configure and build only the AVX2 library -----------------------------------------
build_dir="${cache}/build"
jobs="${GITMEM_FAISS_JOBS:-$(nproc)}"
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
if [[ ! -f "${build_dir}/CMakeCache.txt" ]]; then
  cmake -S "$faiss_src" -B "$build_dir" "${generator[@]}" \
    -DFAISS_OPT_LEVEL=avx2 \
    -DFAISS_ENABLE_GPU=OFF \
    -DFAISS_ENABLE_PYTHON=OFF \
    -DFAISS_ENABLE_C_API=OFF \
    -DBUILD_TESTING=OFF \
    -DBUILD_SHARED_LIBS=OFF \
    -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
    -DCMAKE_BUILD_TYPE=Release \
    -DBLA_VENDOR=OpenBLAS \
    -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
fi
log "building faiss_avx2 with ${jobs} jobs (a few minutes)"
nice -n 10 cmake --build "$build_dir" --target faiss_avx2 -j "$jobs"

built="$(find "$build_dir" -name libfaiss_avx2.a | head -n1)"
[[ -n "$built" ]] || { log "build produced no libfaiss_avx2.a"; exit 1; }

# --- 3. Install the archive and the headers -------------------------------------------------
rm -rf "$prefix"
mkdir -p "${prefix}/lib" "${prefix}/include"
cp "$built" "$lib"
(cd "$faiss_src" && find faiss -name '*.h' -not -path 'faiss/gpu/*' -print0 |
  xargs -0 cp --parents -t "${prefix}/include")
echo "faiss $(basename "$faiss_src") avx2" >"$stamp"
log "installed ${lib}"
