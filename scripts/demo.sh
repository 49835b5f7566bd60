#!/usr/bin/env bash
# The main job, offline, on a fresh machine: build reelsmith, learn the bundled example persona (Maya, an
# ex-ER nurse who coaches shift workers on sleep) from her story and eight example scripts, show the
# profile it learned, import how her posts did (an illustrative file) and calibrate the scores on it,
# then write a 30-second script in her voice with the embedded default (the local
# GGUF model, local embeddings, SQLite) and print it.
#
# Data goes to the usual place (~/.local/share/reelsmith) unless REELSMITH_DATA_DIR is set. Running it
# again adds a new version of the persona; earlier ones stay readable (`persona show maya --version 1`).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

echo "==> building reelsmith (release)" >&2
cargo build --release --locked --quiet -p reelsmith
bin="${CARGO_TARGET_DIR:-target}/release/reelsmith"

echo "==> learning the example persona 'maya'" >&2
"$bin" persona learn --name maya --story examples/maya/story.md --examples examples/maya/scripts
echo
echo "==> importing how her posts did (an illustrative file) and what they say" >&2
"$bin" import examples/maya/performance.csv --persona maya
"$bin" insights scores --persona maya
echo
echo "==> writing a 30-second script for maya with the local model (3 attempts, scored; about a minute)" >&2
"$bin" generate --persona maya --topic "why your morning routine fails after a night shift" --duration 30
echo
echo "Done. Try: $bin history · $bin export 1 --format srt · $bin llm test · $bin generate --help" >&2
