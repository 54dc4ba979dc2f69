#!/usr/bin/env bash
# Installs the Debian bookworm packages needed to build, test and run the
# service locally. Safe to run again: it installs only what is missing, and
# refreshes the package lists only when something must be installed.
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
  libgtest-dev
  libgmock-dev
  postgresql-15
  postgresql-client-15
  clang-format
  jq
  curl
  docker-compose
)

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
