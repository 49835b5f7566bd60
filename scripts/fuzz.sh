#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ for SECONDS each (default 20) with cargo-fuzz (libFuzzer) on the
# stable toolchain (--sanitizer none), starting from the committed seeds and the regression inputs
# (the files that crashed or hung reelsmith before issue 12), in a scratch corpus. A crash, a hang
# over 10 s or more than 2 GiB of memory fails the script and leaves the input in fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz.sh: installing cargo-fuzz from crates.io" >&2
  cargo install --locked cargo-fuzz >&2
fi
cargo fuzz build --sanitizer none --fuzz-dir fuzz
for target in $(cargo fuzz list --fuzz-dir fuzz); do
  scratch=$(mktemp -d)
  echo "fuzz.sh: $target for ${secs} s" >&2
  # Seed and regression folders are optional (git keeps no empty folder).
  corpora=()
  for dir in "fuzz/seeds/$target" "fuzz/regressions/$target"; do
    [ -d "$dir" ] && corpora+=("$dir")
  done
  status=0
  cargo fuzz run --sanitizer none --fuzz-dir fuzz "$target" "$scratch" "${corpora[@]}" \
    -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    >"$scratch.log" 2>&1 || status=$?
  grep -E "^stat::(number_of_executed_units|new_units_added)|Done [0-9]+ runs" "$scratch.log" >&2 || true
  if [ "$status" -ne 0 ]; then
    tail -60 "$scratch.log" >&2
    echo "fuzz.sh: $target failed (exit $status); the input is in fuzz/artifacts/$target/" >&2
    exit "$status"
  fi
  rm -rf "$scratch" "$scratch.log"
done
