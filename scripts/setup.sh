#!/usr/bin/env bash
# Installs everything ovcc needs on Debian 12 (bookworm), builds it into build/
# and runs the bundled example. Idempotent: a second run skips apt and pip when
# nothing changed, and only rebuilds what ninja finds out of date.
#
#   bash scripts/setup.sh            # install + build + example
#   OVCC_SKIP_EXAMPLE=1 bash scripts/setup.sh
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

log() { printf '\n== %s\n' "$*"; }

# ---- 1. Debian packages -----------------------------------------------------
PACKAGES=(
  ca-certificates build-essential gcc make libc6-dev
  cmake ninja-build pkg-config file
  python3 python3-venv python3-pip
  llvm-22-dev llvm-22-tools clang-22 libclang-rt-22-dev
  zlib1g-dev libzstd-dev
  libxml2-dev libcmocka-dev
  spirv-tools ocl-icd-opencl-dev opencl-headers
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
)

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  fi
fi

missing=()
for p in "${PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
  if [ "$status" != "install ok installed" ]; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  log "Debian packages: all ${#PACKAGES[@]} installed"
else
  log "Debian packages: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ] && [ "${#SUDO[@]}" -eq 0 ]; then
    echo "setup.sh: not root and no sudo; install these packages first: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update
  # LLVM 22 comes from bookworm-security; add that suite if the image lacks it.
  policy="$(apt-cache policy llvm-22-dev 2>/dev/null || true)"
  if ! grep -q 'Candidate: [0-9]' <<<"$policy" &&
    ! grep -rqs 'bookworm-security' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    if [ -r /etc/os-release ] && grep -q '^VERSION_CODENAME=bookworm' /etc/os-release; then
      echo "adding bookworm-security to apt sources (for llvm-22)"
      echo 'deb http://deb.debian.org/debian-security bookworm-security main' |
        "${SUDO[@]}" tee /etc/apt/sources.list.d/ovcc-bookworm-security.list >/dev/null
      "${SUDO[@]}" apt-get update
    fi
  fi
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
fi

# ---- 2. Python virtual environment -------------------------------------------
REQ="$ROOT/scripts/requirements.txt"
STAMP="$ROOT/.venv/.ovcc-requirements"
if [ ! -x "$ROOT/.venv/bin/python" ]; then
  log "Creating .venv"
  /usr/bin/python3 -m venv "$ROOT/.venv"
fi
if [ -f "$STAMP" ] && cmp -s "$REQ" "$STAMP"; then
  log "Python packages: up to date"
else
  log "Python packages: installing from scripts/requirements.txt"
  "$ROOT/.venv/bin/python" -m pip install --disable-pip-version-check -q -r "$REQ"
  cp "$REQ" "$STAMP"
fi

# ---- 3. Configure and build ----------------------------------------------------
log "Building into build/"
# lit (venv) and FileCheck (llvm-22-tools) are looked up on PATH at configure time.
export PATH="$ROOT/.venv/bin:/usr/lib/llvm-22/bin:$PATH"
cmake -G Ninja -B build -S . -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build

# ---- 4. The example --------------------------------------------------------------
if [ -z "${OVCC_SKIP_EXAMPLE:-}" ]; then
  bash "$ROOT/scripts/run-example.sh"
fi
