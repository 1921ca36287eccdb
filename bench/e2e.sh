#!/usr/bin/env bash
# End to end against DuckDB (issue 14). Usage: bench/e2e.sh [N] [repeats]
#
# Generates a store of N customers (default 1,000,000) with `segment gen
# -seed 1` (cached in ${TMPDIR:-/tmp}/segment-e2e-N, regenerated when the
# generator's source changes), then runs, alternating (A B C D F E A B C D F E …),
# `repeats` times (default 3), each under /usr/bin/time:
#   A  segment run -quiet -orders DIR/orders.parquet -k 8 -out OUT1
#   B  segment run -quiet -orders DIR/orders.parquet -k auto -out OUT2
#   C  bench/duckdb -query distinct: the feature table, orders counted with count(DISTINCT)
#   D  bench/duckdb -query twolevel: the feature table, GROUP BY order then customer
#   F  bench/duckdb -query scan: no feature, the columns those queries read
#      folded into one row (a floor: DuckDB reading and decoding the file)
#   E  A again on a copy of A's OUT1: a scheduled run, which reads the run
#      before it (the -out it replaces) as its previous run
# Both tools get 2 threads (GOMAXPROCS=2 for segment, SET threads = 2 for
# DuckDB). The benchmark is orders only: segment is not given the store's
# customers, products or events tables, since DuckDB computes from the
# orders alone. segment's run does everything it does on orders (features,
# clustering, names, RFM, groups, report, plots, exports); DuckDB computes
# only the feature table (bench/duckdb/query.go says how it matches
# segment's features and where it differs).
#
# Prints the machine, a Markdown table of each tool's best wall time, best
# peak RSS and least CPU time (over the repeats; OUT dirs are emptied before each segment
# run but E's, so that only E reuses a previous run) with ratios to DuckDB's faster
# query, and segment's run.json timings_ms of its best run. After the first
# round it checks DuckDB's result against segment's assignments.csv (the
# first 1,000 customers by id, every feature column both have) and fails
# when they differ beyond float rounding.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}; repeats=${2:-3}; threads=2
case $n/$repeats in *[!0-9/]* | /* | */ | 0/* | */0) echo "usage: bench/e2e.sh [N] [repeats], both positive" >&2; exit 2 ;; esac
n=$((10#$n)); repeats=$((10#$repeats))

if [ ! -x /usr/bin/time ]; then
  echo "installing time (Debian) for /usr/bin/time" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo_cmd=sudo
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq --no-install-recommends time >&2
fi

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/segment" ./cmd/segment
(cd bench/duckdb && go build -o "$tmp/duckbench" .)

store=${TMPDIR:-/tmp}/segment-e2e-$n
stamp=$(ls data/gen*.go | grep -v _test | xargs cat | sha256sum | cut -c1-16) # the generator's source
if [ ! -s "$store/orders.parquet" ] || [ "$(cat "$store/gen.stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "generating $n customers into $store" >&2
  rm -rf "$store" "$store.part"
  "$tmp/segment" gen -customers "$n" -seed 1 -out "$store.part" >&2
  echo "$stamp" >"$store.part/gen.stamp"
  mv "$store.part" "$store"
fi
orders=$store/orders.parquet

best_wall() { sort -n "$tmp/$1.times" | head -n1 | cut -d' ' -f1; }
best_rss() { sort -k2,2n "$tmp/$1.times" | head -n1 | cut -d' ' -f2; }
best_cpu() { sort -k3,3n "$tmp/$1.times" | head -n1 | cut -d' ' -f3; }
json_field() { sed -n "s/.*\"$2\":\"\{0,1\}\([^\",}]*\).*/\1/p" "$1"; }

# measure NAME CMD…: runs CMD under /usr/bin/time, appends "wall rss_kb cpu"
# (cpu: user + system seconds, less disturbed than wall time by other
# work on a shared machine) to
# $tmp/NAME.times and keeps the output of its fastest run in $tmp/NAME.best.
measure() {
  local name=$1; shift
  if ! /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" >"$tmp/$name.stdout" 2>"$tmp/$name.stderr"; then
    echo "$name failed: $*" >&2; cat "$tmp/$name.stderr" "$tmp/time" >&2; exit 1
  fi
  local wall rss user sys cpu best
  read -r wall rss user sys <"$tmp/time"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  best=""
  [ -f "$tmp/$name.times" ] && best=$(best_wall "$name")
  echo "$wall $rss $cpu" >>"$tmp/$name.times"
  if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then
    cp "$tmp/$name.stdout" "$tmp/$name.best"
    case $name in seg-*) cp "$tmp/$name.out/run.json" "$tmp/$name.best" ;; esac
  fi
  echo "  $name: ${wall} s, $((rss / 1024)) MB, ${cpu} CPU s" >&2
}
segment_run() { # NAME K
  rm -rf "$tmp/$1.out"
  measure "$1" env GOMAXPROCS=$threads "$tmp/segment" run -quiet -orders "$orders" -k "$2" -out "$tmp/$1.out"
}
segment_again() { # E: run -k 8 again on a copy of seg-k8's outputs
  rm -rf "$tmp/seg-again.out"
  cp -r "$tmp/seg-k8.out" "$tmp/seg-again.out"
  measure seg-again env GOMAXPROCS=$threads "$tmp/segment" run -quiet -orders "$orders" -k 8 -out "$tmp/seg-again.out"
}

for ((r = 1; r <= repeats; r++)); do
  echo "round $r of $repeats" >&2
  segment_run seg-k8 8
  segment_run seg-auto auto
  measure duck-distinct "$tmp/duckbench" -orders "$orders" -query distinct -threads "$threads"
  measure duck-twolevel "$tmp/duckbench" -orders "$orders" -query twolevel -threads "$threads"
  measure duck-scan "$tmp/duckbench" -orders "$orders" -query scan -threads "$threads"
  segment_again
  if [ "$r" -eq 1 ]; then # sanity: both queries against segment's table (not timed)
    for q in distinct twolevel; do
      if ! "$tmp/duckbench" -orders "$orders" -query "$q" -threads "$threads" \
          -check "$tmp/seg-k8.out/assignments.csv" -check-rows 1000 >"$tmp/check.json"; then
        echo "CHECK FAILED: DuckDB ($q) and segment disagree on the first customers (above)" >&2
        exit 1
      fi
      echo "  check $q: $(sed -n 's/.*"checked":\([0-9]*\).*/\1/p' "$tmp/check.json") customers agree with segment's assignments.csv" >&2
    done
  fi
done


echo "== machine"
echo "nproc: $(nproc)"
grep -m1 'model name' /proc/cpuinfo | sed 's/^model name[[:space:]]*: /cpu: /'
grep MemTotal /proc/meminfo
go version
echo "DuckDB: $(json_field "$tmp/duck-distinct.best" duckdb) (duckdb-go $(cd bench/duckdb && go list -m -f '{{.Version}}' github.com/duckdb/duckdb-go/v2)), threads: $threads"
read -r lines orders_n customers < <(awk '
  /"read":/ && !l { gsub(/[^0-9]/, ""); l = $0 }
  /^  "orders":/ { gsub(/[^0-9]/, ""); o = $0 }
  /^  "customers":/ { gsub(/[^0-9]/, ""); c = $0 }
  END { print l, o, c }' "$tmp/seg-k8.best")
echo "store: $customers customers, $lines order lines, $orders_n orders (segment gen -seed 1; segment's run.json)"
echo "repeats: $repeats, alternating; best of each"

# The reference: DuckDB's faster query by best wall time.
ref=duck-distinct
if awk -v a="$(best_wall duck-twolevel)" -v b="$(best_wall duck-distinct)" 'BEGIN { exit !(a < b) }'; then ref=duck-twolevel; fi
ref_wall=$(best_wall $ref); ref_rss=$(best_rss $ref); ref_cpu=$(best_cpu $ref)
echo
echo "| tool | best wall s | × DuckDB's faster query ($ref) | best peak RSS MB | × that query's RSS | best CPU s (user + sys) | × that query's CPU |"
echo "|---|---:|---:|---:|---:|---:|---:|"
row() { # NAME LABEL
  awk -v w="$(best_wall "$1")" -v m="$(best_rss "$1")" -v c="$(best_cpu "$1")" -v rw="$ref_wall" -v rm="$ref_rss" -v rc="$ref_cpu" -v label="$2" \
    'BEGIN { printf "| %s | %.2f | %.2f | %.0f | %.2f | %.2f | %.2f |\n", label, w, w / rw, m / 1024, m / rm, c, c / rc }'
}
row seg-k8 "segment run -k 8"
row seg-auto "segment run -k auto"
row seg-again "segment run -k 8, scheduled (the first run as previous)"
row duck-distinct "DuckDB count(DISTINCT order_id)"
row duck-twolevel "DuckDB two-level GROUP BY"
row duck-scan "DuckDB reading the columns only (no feature; a floor)"
echo
echo "DuckDB's query alone (CREATE TABLE … AS, in-process, fastest run): distinct $(json_field "$tmp/duck-distinct.best" seconds) s, two-level $(json_field "$tmp/duck-twolevel.best" seconds) s, scan $(json_field "$tmp/duck-scan.best" seconds) s"
for name in seg-k8 seg-auto seg-again; do
  echo
  echo "segment's timings_ms of its fastest run ($name):"
  awk '/"timings_ms"/ { on = 1 } on { sub(/},$/, "}"); print } on && /}/ { exit }' "$tmp/$name.best"
done
