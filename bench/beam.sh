#!/usr/bin/env bash
# Prism (Beam's in-process runner, for tests and small data) against the
# local runner on one generated store (issue 18), for information: Prism
# keeps everything in memory and is not a production engine.
# Usage: bench/beam.sh [customers] [sample-size]
# Builds segment and segment-beam, generates a store of N customers, runs
# segment run locally and with -runner prism, and prints each run's wall
# time and peak RSS (GNU time), then the clusters of both model.json files
# (key, size) side by side and bench/beamcompare's figures: customers with
# the same cluster key, and the k-means objective (Σ distance², both runs in
# the store's transform) of each run and their ratio. With a sample smaller
# than the buyers the Beam run fits k-means on the sample only (see the
# README): the ratio is the quality that costs.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}; sample=${2:-100000}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/segment" ./cmd/segment
(cd beam && go build -o "$tmp/segment-beam" ./cmd/segment-beam)
"$tmp/segment" gen -customers "$n" -seed 1 -out "$tmp/store" >/dev/null
timed() { # label, command…: runs it under GNU time, prints seconds and peak RSS
  local label=$1; shift
  /usr/bin/time -f "$label %e s, peak RSS %M KiB" "$@" 2>"$tmp/$label.err" >/dev/null || { cat "$tmp/$label.err" >&2; exit 1; }
  tail -1 "$tmp/$label.err"
}
timed local "$tmp/segment" run -orders "$tmp/store/orders.parquet" -out "$tmp/local" -quiet
timed prism "$tmp/segment" run -orders "$tmp/store/orders.parquet" -out "$tmp/beam" -quiet \
  -runner prism -beam-binary "$tmp/segment-beam" -beam-flags "-sample-size $sample"
if command -v jq >/dev/null; then
  echo "clusters (local | prism):"
  paste <(jq -r '.clusters[] | "\(.key)\t\(.size)"' "$tmp/local/model.json") \
        <(jq -r '.clusters[] | "\(.key)\t\(.size)"' "$tmp/beam/model.json")
  jq -r '"buyers \(.fit.buyers), sample \(.fit.sample_rows)"' "$tmp/beam/features/features.json"
fi
go run ./bench/beamcompare -local "$tmp/local" -beam "$tmp/beam"
