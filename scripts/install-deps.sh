#!/usr/bin/env bash
# Installs what building and running reelsmith needs beyond the Rust toolchain, from Debian's packages
# and crates.io only. Idempotent. Today the build needs a C compiler (bundled SQLite); later steps
# (the local model) will add cmake and clang here.
set -euo pipefail

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

need=()
command -v cc >/dev/null 2>&1 || need+=(build-essential)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if [ ${#need[@]} -gt 0 ]; then
  echo "install-deps.sh: installing ${need[*]} from Debian's packages" >&2
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >&2
fi
command -v cargo >/dev/null 2>&1 || { echo "install-deps.sh: cargo not found — install Rust (rustup) first" >&2; exit 1; }
