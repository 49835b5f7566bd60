#!/usr/bin/env bash
# Runs every test: unit, integration, property and the store story on SQLite and PostgreSQL.
# Installs and starts PostgreSQL (scripts/postgres.sh) so the PostgreSQL story always runs.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
REELSMITH_TEST_DATABASE_URL=$(scripts/postgres.sh)
export REELSMITH_TEST_DATABASE_URL
echo "test.sh: the PostgreSQL story runs against the local server (REELSMITH_TEST_DATABASE_URL is set)" >&2

if ! cargo nextest --version >/dev/null 2>&1; then
  echo "test.sh: installing cargo-nextest from crates.io" >&2
  cargo install --locked cargo-nextest >&2
fi
cargo nextest run --workspace --all-targets --locked --no-fail-fast
