#!/usr/bin/env bash
# Measures `racelens check` against `racelens parse` on the same files.
#
# Usage: scripts/bench-check.sh [DIR]   (default: the Go 1.19 standard library source)
#
# Prints the wall time of a whole `racelens check ./...` run (discovery, reading, parsing,
# name resolution, every check, rendering; 2 worker threads) and of parsing exactly the files
# that check analyses (single-threaded, parse only), and their ratio. Each figure is the best
# of 3 runs. Requires a release build (made here).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dir=${1:-/usr/lib/go-1.19/src}
cargo build --release -q -p racelens
bin=$root/target/release/racelens
cd "$dir"
list=$(mktemp)
trap 'rm -f "$list"' EXIT
"$bin" check --list-files ./... > "$list" 2>/dev/null
files=$(wc -l < "$list")

best() { sort -n | head -1; }
check_ms=$(for _ in 1 2 3; do
  start=$(date +%s%N)
  "$bin" check -q -j 2 --format json ./... > /dev/null 2>&1 || true
  echo $(( ($(date +%s%N) - start) / 1000000 ))
done | best)
parse_line=$(for _ in 1 2 3; do xargs -a "$list" "$bin" parse | tail -1; done | sort -t'(' -k2 -rn | head -1)
parse_ms=$(echo "$parse_line" | sed -E 's/.*parsed in ([0-9.]+) ms.*/\1/')
echo "files:                  $files"
echo "racelens parse (1 thread, parse only): $parse_line"
echo "racelens check (2 threads, whole run): ${check_ms} ms"
awk -v c="$check_ms" -v p="$parse_ms" 'BEGIN { printf "check / parse:          %.2fx\n", c / p }'
