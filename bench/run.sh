#!/usr/bin/env bash
# Benchmark package cluster against scikit-learn's KMeans on one matrix, side
# by side in one run (issue 5). Usage: bench/run.sh [n] [d] [threads]
# Prints both tools' JSON and a table of ratios (ours / scikit-learn).
#
# PUREGO selects how our side is built (issue 14): unset or 0, with the
# assembly kernels; 1, with -tags purego (the Go code alone, as on machines
# without AVX or on other architectures); both, our side twice, with and
# without -tags purego, against the one scikit-learn timing of the run
# (a column and a ratio each): PUREGO=both bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}; d=${2:-12}; threads=${3:-2}
case "${PUREGO:-0}" in
  0) variants=(asm) ;;
  1) variants=(purego) ;;
  both) variants=(asm purego) ;;
  *) echo "bench/run.sh: PUREGO must be 0, 1 or both, not ${PUREGO}" >&2; exit 2 ;;
esac
tags() { [ "$1" = purego ] && echo purego || true; } # the -tags value of a variant
if ! /usr/bin/python3 -c 'import sklearn, threadpoolctl' 2>/dev/null; then
  echo "installing python3-sklearn (Debian)" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo_cmd=sudo
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq --no-install-recommends python3-sklearn >&2
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for v in "${variants[@]}"; do
  go build -tags "$(tags "$v")" -o "$tmp/kmeansbench-$v" ./bench/kmeansbench
done
"$tmp/kmeansbench-${variants[0]}" -mode gen -matrix "$tmp/m.bin" -n "$n" -d "$d"
# The k-means++ centroids both tools start the per-iteration timing from.
/usr/bin/python3 - "$tmp/m.bin" "$n" "$d" "$tmp/init.bin" <<'PY'
import sys, numpy as np
from sklearn.cluster import kmeans_plusplus
x = np.fromfile(sys.argv[1], dtype="<f8").reshape(int(sys.argv[2]), int(sys.argv[3]))
centers, _ = kmeans_plusplus(x, 8, random_state=1)
centers.astype("<f8").tofile(sys.argv[4])
PY
echo "== machine"; nproc; grep -m1 'model name' /proc/cpuinfo; grep MemTotal /proc/meminfo; go version
iter_bench() { # $1: variant, $2: init file or empty; prints "ms/iter iters GB/s"
  KMEANSBENCH_MATRIX="$tmp/m.bin" KMEANSBENCH_N="$n" KMEANSBENCH_D="$d" KMEANSBENCH_INIT="$2" GOMAXPROCS=$threads \
    go test -tags "$(tags "$1")" ./cluster -run '^$' -bench LloydIterationFile -benchtime 5x -count 1 |
    awk '/^BenchmarkLloydIterationFile/ { for (i = 1; i < NF; i++) { if ($(i+1) == "ms/iter") ms = $i; if ($(i+1) == "iters") it = $i; if ($(i+1) == "GB/s") bw = $i } } END { print ms, it, bw }'
}
for v in "${variants[@]}"; do
  echo "== segment, $v (GOMAXPROCS=$threads)"
  GOMAXPROCS=$threads "$tmp/kmeansbench-$v" -mode go -matrix "$tmp/m.bin" -n "$n" -d "$d" -workers "$threads" | tee "$tmp/go-$v.json"
  echo "== segment's Lloyd iterations, $v, timed directly (go test -bench, GOMAXPROCS=$threads)"
  read -r pp_ms pp_it pp_bw < <(iter_bench "$v" "$tmp/init.bin")
  read -r rows_ms rows_it rows_bw < <(iter_bench "$v" "")
  echo "{\"iter_ms\": $pp_ms, \"iter_count\": $pp_it, \"bandwidth_gb_s\": $pp_bw, \"iter_rows_ms\": $rows_ms, \"iter_rows_count\": $rows_it, \"bandwidth_rows_gb_s\": $rows_bw}" | tee "$tmp/goiter-$v.json"
done
echo "== scikit-learn ($threads threads)"
OMP_NUM_THREADS=$threads /usr/bin/python3 bench/sklearn_bench.py "$tmp/m.bin" "$n" "$d" "$threads" "$tmp/init.bin" | tee "$tmp/sk.json"
/usr/bin/python3 - "$tmp" "$n" "$d" "${variants[@]}" <<'PY'
import json, sys
tmp, n, d, variants = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
s = json.load(open(f"{tmp}/sk.json"))
gs = []
for v in variants:
    g = json.load(open(f"{tmp}/go-{v}.json"))
    g.update(json.load(open(f"{tmp}/goiter-{v}.json")))
    gs.append(g)
names = {"asm": "segment", "purego": "segment, purego"}
if variants == ["purego"]:
    names["purego"] = "segment (purego)"
cols = [names[v] for v in variants]
print("\n| measure | " + " | ".join(cols) + " | scikit-learn | " +
      " | ".join("ratio" if v == "asm" or len(variants) == 1 else "ratio, purego" for v in variants) + " |")
print("|---|" + "---:|" * (2 * len(variants) + 1))
def row(name, key, skey=None, fmt="%.3f"):
    a = [g[key] for g in gs]
    b = s[skey or key]
    print(f"| {name} | " + " | ".join(fmt % x for x in a) + f" | {fmt % b} | " +
          " | ".join(f"{x / b:.3f}" for x in a) + " |")
def count(name, key, skey):
    print(f"| {name} | " + " | ".join(f"{g[key]:g}" for g in gs) + f" | {s[skey]} |" + " |" * len(gs))
def worst(name, f):
    print(f"| {name} |" + " |" * (len(gs) + 1) + " " + " | ".join(f"{f(g):.5f}" for g in gs) + " |")
row("Lloyd iteration, k=8, from k-means++ centroids (ms)", "iter_ms", fmt="%.2f")
count("iterations of that timing fit (same start)", "iter_count", "iter_count")
row("Lloyd iteration, k=8, from the first 8 rows (ms)", "iter_rows_ms", fmt="%.2f")
count("iterations of that timing fit (same start)", "iter_rows_count", "iter_rows_count")
row("full fit k=8, 10 restarts (s)", "fit_s")
row("full fit inertia", "fit_inertia", fmt="%.6g")
row("sweep k=2..12, 3 restarts (s)", "sweep_s")
worst("sweep: worst inertia ratio over k", lambda g: max(g["sweep_inertia"][k] / s["sweep_inertia"][k] for k in g["sweep_inertia"]))
row("silhouette, sample 10,000 (s)", "silhouette_s")
row("sweep, mini-batch refinement (s)", "sweep_minibatch_s", "sweep_s")
worst("sweep, mini-batch refinement: worst inertia ratio over k",
      lambda g: max(g["sweep_minibatch_inertia"][k] / s["sweep_inertia"][k] for k in g["sweep_minibatch_inertia"]))
for v, g in zip(variants, gs):
    label = "" if variants == ["asm"] else f"[{names[v]}] "
    floor_ms = 8 * n * d / (g["bandwidth_gb_s"] * 1e9) * 1000
    floor_rows_ms = 8 * n * d / (g["bandwidth_rows_gb_s"] * 1e9) * 1000
    loss = max(g["sweep_minibatch_inertia"][k] / g["sweep_inertia"][k] for k in g["sweep_inertia"])
    print(f"\n{label}mini-batch refinement against segment's Lloyd refinement: worst inertia ratio over k {loss:.5f}, "
          f"time {g['sweep_minibatch_s']:.2f} s against {g['sweep_s']:.2f} s")
    print(f"\n{label}memory floor of one iteration, 8·n·d over the bandwidth measured in the timing process: "
          f"{floor_ms:.2f} ms ({g['bandwidth_gb_s']:.1f} GB/s), segment's iteration from k-means++ centroids = "
          f"{g['iter_ms'] / floor_ms:.2f}× the floor; {floor_rows_ms:.2f} ms ({g['bandwidth_rows_gb_s']:.1f} GB/s), "
          f"from the first 8 rows = {g['iter_rows_ms'] / floor_rows_ms:.2f}×")
    print(f"{label}memory of the fit (k=8, 10 restarts): it allocated {g['fit_alloc_mb']:.0f} MB = {g['fit_alloc_mb'] / g['matrix_mb']:.2f}× "
          f"the {g['matrix_mb']:.0f} MB matrix, so matrix + fit = {1 + g['fit_alloc_mb'] / g['matrix_mb']:.2f}× the matrix; "
          f"peak RSS of the process that loaded the matrix and fitted: {g['peak_rss_mb']:.0f} MB = "
          f"{g['peak_rss_mb'] / g['matrix_mb']:.2f}× the matrix; scikit-learn's peak RSS {s['peak_rss_mb']:.0f} MB")
PY
