#!/usr/bin/env bash
# Installs the Debian bookworm packages needed to build, test and run the
# service locally. Safe to run again: it installs only what is missing, and
# refreshes the package lists only when something must be installed.
#
#   install-deps.sh           everything, the web frontends' packages included
#   install-deps.sh --no-web  the C++ build only (the service's image)
#   install-deps.sh --clang   also clang and its sanitizer runtimes, for
#                             the fuzzing harnesses (scripts/fuzz.sh)
set -euo pipefail

# The one list of system packages the project needs.
PACKAGES=(
  build-essential
  cmake
  ccache
  pkg-config
  git
  ca-certificates
  openssl
  libgrpc++-dev
  protobuf-compiler-grpc
  libprotobuf-dev
  protobuf-compiler
  libpqxx-dev
  libabsl-dev
  libsodium-dev
  libicu-dev
  liburiparser-dev
  libre2-dev
  uuid-dev
  nlohmann-json3-dev
  libcli11-dev
  libyaml-cpp-dev
  libcidr-dev
  prometheus-cpp-dev
  libcurl4-openssl-dev
  libgtest-dev
  libgmock-dev
  postgresql-15
  postgresql-client-15
  prometheus
  clang-format
  jq
  curl
  docker-compose
)

# The web frontends (gateway/, examples/web/) and their browser tests:
# Node.js (npm ci brings the npm packages, pinned by package-lock.json),
# Debian's Chromium, which playwright-core drives (browsers cannot be
# downloaded), and a font for its screenshots.
WEB_PACKAGES=(
  nodejs
  chromium
  fonts-dejavu-core
)
# A Node.js from outside Debian (NodeSource's) brings its own npm and
# conflicts with Debian's npm package, which Debian's nodejs needs.
if ! command -v npm >/dev/null 2>&1; then
  WEB_PACKAGES+=(npm)
fi
# The instrumented builds (scripts/fuzz.sh, scripts/sanitize.sh) use clang:
# libFuzzer and clang's sanitizer runtimes.
CLANG_PACKAGES=(
  clang
  libclang-rt-14-dev
)
with_web=1
for option in "$@"; do
  case "${option}" in
    --no-web) with_web=0 ;;
    --clang) PACKAGES+=("${CLANG_PACKAGES[@]}") ;;
    *)
      echo "install-deps: unknown option ${option}" >&2
      exit 2
      ;;
  esac
done
if ((with_web)); then
  PACKAGES+=("${WEB_PACKAGES[@]}")
fi

missing=()
for package in "${PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "${package}" 2>/dev/null || true)"
  if [[ "${status}" != "installed" ]]; then
    missing+=("${package}")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages are installed"
  exit 0
fi

sudo=()
if ((EUID != 0)); then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: missing packages: ${missing[*]}" >&2
    echo "install-deps: run this script as root to install them" >&2
    exit 1
  fi
  sudo=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${missing[@]}"
