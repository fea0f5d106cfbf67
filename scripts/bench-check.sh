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
# `racelens parse` process on 2; then the ratios. The whole check and the whole parse run in
# alternation, ROUNDS times (default 10): on a shared machine whose speed drifts from minute to
# minute, the ratio of the two runs of one round moves far less than either time, so the
# median of those ratios is the figure to compare; the best times are printed too. The
# parse-only figures are the best of 5 runs. Each whole run starts GAP seconds (default 3) after
# the last one ends, as a run started by hand or by CI does: on the virtual machines this is
# measured on, memory freed a few seconds ago has been handed back to the host and costs far
# more to touch again than memory freed a moment ago, so runs back to back (GAP=0) measure a
# warm case users do not see. Requires a release build (made here).
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

rounds=${ROUNDS:-10}
gap=${GAP:-3}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
rss_file=$(mktemp)
rounds_file=$(mktemp)
trap 'rm -f "$list" "$rss_file" "$rounds_file"' EXIT
# One round: a whole check (wall ms, peak RSS in MB) and a whole `racelens parse` process
# (start, read, parse: wall ms), in an order that alternates from round to round.
for i in $(seq 1 "$rounds"); do
  for what in $( ((i % 2)) && echo "check parse" || echo "parse check"); do
    sleep "$gap"
    start=$(now_ms)
    if [ "$what" = check ]; then
      /usr/bin/time -f "%M" -o "$rss_file" "$bin" check -q -j 2 --format json ./... > /dev/null 2>&1 || true
      check_ms=$(( $(now_ms) - start )); check_rss=$(( $(tail -1 "$rss_file") / 1024 ))
    else
      xargs -a "$list" "$bin" parse -j 2 > /dev/null
      parse_ms=$(( $(now_ms) - start ))
    fi
  done
  echo "$check_ms $check_rss $parse_ms" >> "$rounds_file"
done
parse_best() { for _ in 1 2 3 4 5; do xargs -a "$list" "$bin" parse "$@" | tail -1; done | sort -t'(' -k2 -rn | head -1; }
ms() { echo "$1" | sed -E 's/.*parsed in ([0-9.]+) ms.*/\1/'; }
parse1=$(parse_best -j 1)
parse2=$(parse_best -j 2)
parse2_keep=$(parse_best -j 2 --keep)
echo "files:                                  $files"
echo "racelens parse (1 thread, parse only):  $parse1"
echo "racelens parse (2 threads, parse only): $parse2"
echo "  the same, every tree kept to the end:   $parse2_keep"
stats=$(python3 - "$rounds_file" <<'PY'
import statistics, sys
rows = [tuple(map(int, l.split())) for l in open(sys.argv[1])]
check = [r[0] for r in rows]; rss = [r[1] for r in rows]; parse = [r[2] for r in rows]
ratios = [c / p for c, _, p in rows]
print(min(check), round(statistics.median(check)), max(rss), min(parse),
      round(statistics.median(parse)), "%.2f" % statistics.median(ratios),
      "%.2f" % min(ratios), "%.2f" % max(ratios), len(rows))
PY
)
read -r check_ms check_med check_rss parse_run_ms parse_med ratio_med ratio_lo ratio_hi n <<< "$stats"
echo "racelens parse (2 threads, whole run):  best ${parse_run_ms} ms, median ${parse_med} ms (start, read and parse)"
echo "racelens check (2 threads, whole run):  best ${check_ms} ms, median ${check_med} ms, peak RSS ${check_rss} MB"
awk -v c="$check_ms" -v p="$(ms "$parse1")" 'BEGIN { printf "check / parse on 1 thread:              %.2fx\n", c / p }'
awk -v c="$check_ms" -v p="$(ms "$parse2")" 'BEGIN { printf "check / parse on 2 threads:             %.2fx\n", c / p }'
awk -v c="$check_ms" -v p="$(ms "$parse2_keep")" 'BEGIN { printf "check / parse keeping trees, 2 threads: %.2fx\n", c / p }'
echo "check / parse, whole runs, 2 threads:   ${ratio_med}x (median of $n rounds; ${ratio_lo}x to ${ratio_hi}x)"
