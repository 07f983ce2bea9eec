#!/usr/bin/env bash
# Installs the Debian packages that reckon's build, tests, demo and benchmarks need.
# Idempotent: installs only what is missing and says what it installs.
#   scripts/install-deps.sh              install what is missing
#   scripts/install-deps.sh --if-missing the same, silent when nothing is missing
#   scripts/install-deps.sh --list       print the package names
#   scripts/install-deps.sh --mpi ...    also Open MPI, for the MPI build (`make MPI=1`)
set -euo pipefail

packages=(
  gcc make cmake pkg-config          # build
  libsqlite3-dev                     # the project file
  libicu-dev                         # Unicode normalization and transliteration
  libgsl-dev                         # distributions for the samplers
  libssl-dev                         # SHA-256 (libcrypto)
  libsodium-dev                      # encrypted backups (Argon2id, XChaCha20-Poly1305)
  libmicrohttpd-dev                  # the review server
  libzip-dev libexpat1-dev           # .xlsx and .ods lists (zip archives of XML)
  libfreexl-dev                      # legacy .xls lists
  libcmocka-dev                      # unit tests
  clang-format                       # formatting check
  clang libomp-dev                   # make fuzz: libFuzzer, and OpenMP for clang
  sqlite3                            # tests inspect project files
  bsdutils                           # script(1): a terminal for the progress line's test
  chromium                           # browser tests of the report and review pages
  wrk                                # load benchmark of the review server
  nodejs                             # the browser test (npm comes with it) drives Chromium
)

# Open MPI, only for the MPI build (`make MPI=1`, CMake option RECKON_MPI): the default build
# and `make check` need no MPI.
mpi_packages=(libopenmpi-dev openmpi-bin)
if [ "${1:-}" = "--mpi" ]; then
  packages+=("${mpi_packages[@]}")
  shift
fi

# The browser test's one npm package (tests/browser/package-lock.json), when it is missing.
npm_deps() {
  local dir
  dir=$(cd "$(dirname "$0")/../tests/browser" && pwd)
  if [ ! -d "$dir/node_modules/playwright-core" ] && command -v npm >/dev/null 2>&1; then
    echo "install-deps: npm ci in tests/browser"
    (cd "$dir" && npm ci --no-audit --no-fund >/dev/null)
  fi
}

if [ "${1:-}" = "--list" ]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  npm_deps
  [ "${1:-}" = "--if-missing" ] || echo "install-deps: every package is installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=sudo
  else
    echo "install-deps: these Debian packages are missing: ${missing[*]}; run this script as root" >&2
    exit 1
  fi
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
npm_deps
echo "install-deps: done"
