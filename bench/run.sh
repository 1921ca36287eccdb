#!/usr/bin/env bash
# Benchmark package cluster against scikit-learn's KMeans on one matrix, side
# by side in one run (issue 5). Usage: bench/run.sh [n] [d] [threads]
# Prints both tools' JSON and a table of ratios (ours / scikit-learn).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}; d=${2:-12}; threads=${3:-2}
if ! /usr/bin/python3 -c 'import sklearn, threadpoolctl' 2>/dev/null; then
  echo "installing python3-sklearn (Debian)" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo_cmd=sudo
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq --no-install-recommends python3-sklearn >&2
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/kmeansbench" ./bench/kmeansbench
"$tmp/kmeansbench" -mode gen -matrix "$tmp/m.bin" -n "$n" -d "$d"
# The k-means++ centroids both tools start the per-iteration timing from.
/usr/bin/python3 - "$tmp/m.bin" "$n" "$d" "$tmp/init.bin" <<'PY'
import sys, numpy as np
from sklearn.cluster import kmeans_plusplus
x = np.fromfile(sys.argv[1], dtype="<f8").reshape(int(sys.argv[2]), int(sys.argv[3]))
centers, _ = kmeans_plusplus(x, 8, random_state=1)
centers.astype("<f8").tofile(sys.argv[4])
PY
echo "== machine"; nproc; grep -m1 'model name' /proc/cpuinfo; grep MemTotal /proc/meminfo; go version
echo "== segment (GOMAXPROCS=$threads)"
GOMAXPROCS=$threads "$tmp/kmeansbench" -mode go -matrix "$tmp/m.bin" -n "$n" -d "$d" -workers "$threads" | tee "$tmp/go.json"
echo "== segment's Lloyd iterations, timed directly (go test -bench, GOMAXPROCS=$threads)"
iter_bench() { # $1: init file or empty; prints "ms/iter iters"
  KMEANSBENCH_MATRIX="$tmp/m.bin" KMEANSBENCH_N="$n" KMEANSBENCH_D="$d" KMEANSBENCH_INIT="$1" GOMAXPROCS=$threads \
    go test ./cluster -run '^$' -bench LloydIterationFile -benchtime 5x -count 1 |
    awk '/^BenchmarkLloydIterationFile/ { for (i = 1; i < NF; i++) { if ($(i+1) == "ms/iter") ms = $i; if ($(i+1) == "iters") it = $i; if ($(i+1) == "GB/s") bw = $i } } END { print ms, it, bw }'
}
read -r pp_ms pp_it pp_bw < <(iter_bench "$tmp/init.bin")
read -r rows_ms rows_it rows_bw < <(iter_bench "")
echo "{\"iter_ms\": $pp_ms, \"iter_count\": $pp_it, \"bandwidth_gb_s\": $pp_bw, \"iter_rows_ms\": $rows_ms, \"iter_rows_count\": $rows_it, \"bandwidth_rows_gb_s\": $rows_bw}" | tee "$tmp/goiter.json"
echo "== scikit-learn ($threads threads)"
OMP_NUM_THREADS=$threads /usr/bin/python3 bench/sklearn_bench.py "$tmp/m.bin" "$n" "$d" "$threads" "$tmp/init.bin" | tee "$tmp/sk.json"
/usr/bin/python3 - "$tmp/go.json" "$tmp/sk.json" "$n" "$d" "$tmp/goiter.json" <<'PY'
import json, sys
g, s = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
g.update(json.load(open(sys.argv[5])))
n, d = int(sys.argv[3]), int(sys.argv[4])
floor_ms = 8 * n * d / (g["bandwidth_gb_s"] * 1e9) * 1000
floor_rows_ms = 8 * n * d / (g["bandwidth_rows_gb_s"] * 1e9) * 1000
print("\n| measure | segment | scikit-learn | ratio |")
print("|---|---:|---:|---:|")
def row(name, a, b, fmt="%.3f"):
    print(f"| {name} | {fmt % a} | {fmt % b} | {a / b:.3f} |")
row("Lloyd iteration, k=8, from k-means++ centroids (ms)", g["iter_ms"], s["iter_ms"], "%.2f")
print(f"| iterations of that timing fit (same start) | {g['iter_count']} | {s['iter_count']} | |")
row("Lloyd iteration, k=8, from the first 8 rows (ms)", g["iter_rows_ms"], s["iter_rows_ms"], "%.2f")
print(f"| iterations of that timing fit (same start) | {g['iter_rows_count']} | {s['iter_rows_count']} | |")
row("full fit k=8, 10 restarts (s)", g["fit_s"], s["fit_s"])
row("full fit inertia", g["fit_inertia"], s["fit_inertia"], "%.6g")
row("sweep k=2..12, 3 restarts (s)", g["sweep_s"], s["sweep_s"])
worst = max(g["sweep_inertia"][k] / s["sweep_inertia"][k] for k in g["sweep_inertia"])
print(f"| sweep: worst inertia ratio over k | | | {worst:.5f} |")
row("silhouette, sample 10,000 (s)", g["silhouette_s"], s["silhouette_s"])
row("sweep, mini-batch refinement (s)", g["sweep_minibatch_s"], s["sweep_s"])
mb = max(g["sweep_minibatch_inertia"][k] / s["sweep_inertia"][k] for k in g["sweep_minibatch_inertia"])
print(f"| sweep, mini-batch refinement: worst inertia ratio over k | | | {mb:.5f} |")
loss = max(g["sweep_minibatch_inertia"][k] / g["sweep_inertia"][k] for k in g["sweep_inertia"])
print(f"\nmini-batch refinement against segment's Lloyd refinement: worst inertia ratio over k {loss:.5f}, "
      f"time {g['sweep_minibatch_s']:.2f} s against {g['sweep_s']:.2f} s")
print(f"\nmemory floor of one iteration, 8·n·d over the bandwidth measured in the timing process: "
      f"{floor_ms:.2f} ms ({g['bandwidth_gb_s']:.1f} GB/s), segment's iteration from k-means++ centroids = "
      f"{g['iter_ms'] / floor_ms:.2f}× the floor; {floor_rows_ms:.2f} ms ({g['bandwidth_rows_gb_s']:.1f} GB/s), "
      f"from the first 8 rows = {g['iter_rows_ms'] / floor_rows_ms:.2f}×")
print(f"memory of the fit (k=8, 10 restarts): it allocated {g['fit_alloc_mb']:.0f} MB = {g['fit_alloc_mb'] / g['matrix_mb']:.2f}× "
      f"the {g['matrix_mb']:.0f} MB matrix, so matrix + fit = {1 + g['fit_alloc_mb'] / g['matrix_mb']:.2f}× the matrix; "
      f"peak RSS of the process that loaded the matrix and fitted: {g['peak_rss_mb']:.0f} MB = "
      f"{g['peak_rss_mb'] / g['matrix_mb']:.2f}× the matrix; scikit-learn's peak RSS {s['peak_rss_mb']:.0f} MB")
PY
