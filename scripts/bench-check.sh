#!/usr/bin/env bash
# Measures `racelens check` against `racelens parse` on the same files.
#
# Usage: scripts/bench-check.sh [DIR]   (default: the Go 1.19 standard library source)
#
# Prints the wall time and peak memory of a whole `racelens check ./...` run (discovery,
# reading, parsing, name resolution, types, the concurrency model, every default check,
# rendering; 2 worker threads) and the time of parsing exactly the files that check
# analyses: parse only (files already read) on 1 thread and on 2 (dropping each tree as soon as
# it is built, and keeping every tree to the end as an analysis must), and the whole
# `racelens parse` process on 2; then the ratios. Each figure is the best of 5 runs. Requires a
# release build (made here).
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
# Wall time in ms and peak RSS in MB of one whole check run, best (lowest time) of 5.
rss_file=$(mktemp)
trap 'rm -f "$list" "$rss_file"' EXIT
check_best=$(for _ in 1 2 3 4 5; do
  start=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$rss_file" "$bin" check -q -j 2 --format json ./... > /dev/null 2>&1 || true
  echo "$(( ($(date +%s%N) - start) / 1000000 )) $(( $(tail -1 "$rss_file") / 1024 ))"
done | sort -n | head -1)
check_ms=${check_best% *}
check_rss=${check_best#* }
# The whole `racelens parse` process (start, read, parse), for a like-for-like wall time.
parse_run_ms=$(for _ in 1 2 3 4 5; do
  start=$(date +%s%N)
  xargs -a "$list" "$bin" parse -j 2 > /dev/null
  echo $(( ($(date +%s%N) - start) / 1000000 ))
done | best)
parse_best() { for _ in 1 2 3 4 5; do xargs -a "$list" "$bin" parse "$@" | tail -1; done | sort -t'(' -k2 -rn | head -1; }
ms() { echo "$1" | sed -E 's/.*parsed in ([0-9.]+) ms.*/\1/'; }
parse1=$(parse_best -j 1)
parse2=$(parse_best -j 2)
parse2_keep=$(parse_best -j 2 --keep)
echo "files:                                  $files"
echo "racelens parse (1 thread, parse only):  $parse1"
echo "racelens parse (2 threads, parse only): $parse2"
echo "  the same, every tree kept to the end:   $parse2_keep"
echo "racelens parse (2 threads, whole run):  ${parse_run_ms} ms (start, read and parse)"
echo "racelens check (2 threads, whole run):  ${check_ms} ms, peak RSS ${check_rss} MB"
awk -v c="$check_ms" -v p="$(ms "$parse1")" 'BEGIN { printf "check / parse on 1 thread:              %.2fx\n", c / p }'
awk -v c="$check_ms" -v p="$(ms "$parse2")" 'BEGIN { printf "check / parse on 2 threads:             %.2fx\n", c / p }'
awk -v c="$check_ms" -v p="$(ms "$parse2_keep")" 'BEGIN { printf "check / parse keeping trees, 2 threads: %.2fx\n", c / p }'
awk -v c="$check_ms" -v p="$parse_run_ms" 'BEGIN { printf "check / parse, whole runs, 2 threads:   %.2fx\n", c / p }'
