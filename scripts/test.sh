#!/usr/bin/env bash
# Runs every test: unit, integration, property, the store story on SQLite and PostgreSQL, and the
# UI end to end in headless Chromium (screenshots in target/e2e-screenshots/).
# Installs and starts PostgreSQL (scripts/postgres.sh) so the PostgreSQL story always runs.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
# The UI's end-to-end test drives Debian's headless Chromium through chromedriver.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "test.sh: installing chromium and chromium-driver from Debian's packages" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >&2
fi
REELSMITH_TEST_DATABASE_URL=$(scripts/postgres.sh)
export REELSMITH_TEST_DATABASE_URL
echo "test.sh: the PostgreSQL story runs against the local server (REELSMITH_TEST_DATABASE_URL is set)" >&2

if ! cargo nextest --version >/dev/null 2>&1; then
  echo "test.sh: installing cargo-nextest from crates.io" >&2
  cargo install --locked cargo-nextest >&2
fi
cargo nextest run --workspace --all-targets --locked --no-fail-fast
# A short, bounded run of every fuzz target (cargo-fuzz on stable), the committed crash inputs first.
scripts/fuzz.sh 20
