#!/usr/bin/env bash
# Generation trials, offline with the configured models: the bundled personas plus personas learned
# from folders of transcripts, each at 15, 30, 60 and 90 seconds. Prints a TSV: persona, target,
# exit code, spoken seconds, how the length was fitted, sections, overall score, wall seconds, error.
#
#   scripts/generation-trials.sh [EN_TRANSCRIPTS_DIR ES_TRANSCRIPTS_DIR]
#
# Without folders, 42 messy speech-to-text style transcripts per language are written first
# (scripts/messy-transcripts.py).
# Uses a throwaway data folder; needs a release build (scripts/demo.sh makes one).
set -uo pipefail
cd "$(dirname "$0")/.."
bin="${CARGO_TARGET_DIR:-target}/release/reelsmith"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
"$bin" --data-dir "$data" persona learn --name maya --story examples/maya/story.md --examples examples/maya/scripts >/dev/null 2>&1
"$bin" --data-dir "$data" persona learn --name lucia --story examples/lucia/story.md --examples examples/lucia/scripts >/dev/null 2>&1
personas=(maya lucia)
en_dir="${1:-$data/tx-en}"; es_dir="${2:-$data/tx-es}"
if [ -z "${1:-}" ]; then python3 scripts/messy-transcripts.py en "$en_dir"; python3 scripts/messy-transcripts.py es "$es_dir"; fi
"$bin" --data-dir "$data" persona learn --name tx-en --examples "$en_dir" --no-llm >/dev/null && personas+=(tx-en)
"$bin" --data-dir "$data" persona learn --name tx-es --language es --examples "$es_dir" --no-llm >/dev/null && personas+=(tx-es)
printf 'persona\ttarget_s\texit\tspoken_s\tfit\tsections\toverall\twall_s\terror\n'
for p in "${personas[@]}"; do
  case $p in maya|tx-en) topic="why your morning routine fails after a night shift";; *) topic="cómo ahorrar con un sueldo pequeño";; esac
  for d in 15 30 60 90; do
    start=$(date +%s.%N)
    out=$("$bin" --data-dir "$data" generate --persona "$p" --topic "$topic" --duration "$d" --json 2>"$data/err"); code=$?
    wall=$(python3 -c "print(round($(date +%s.%N) - $start, 1))")
    fitted=$(printf '%s' "$out" | python3 -c "import json,sys; g=json.load(sys.stdin); s=g['script']; print(round(s['duration_s'],1), s['fit'], len(s['sections']), g['card']['overall'], sep='\t')" 2>/dev/null || printf -- '-\t-\t-\t-')
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$p" "$d" "$code" "$fitted" "$wall" "$(tail -1 "$data/err" | cut -c1-160)"
  done
done
