#!/usr/bin/env bash
# Counts the instructions of `racelens check` against those of parsing the same files, under
# callgrind: a figure that, unlike wall time, does not move with the machine's load, so that
# two builds can be compared with one run each (a change of 0.5 % shows).
#
# Usage: scripts/bench-instructions.sh [DIR] [BIN]
#   DIR: what to check (default: the Go 1.19 standard library source); a project is checked
#        with --exit-zero.
#   BIN: the racelens binary to measure (default: a release build, made here).
# Prints the instructions of the whole check (one thread, every default check, JSON output),
# those of `racelens parse --keep` on exactly the files that check analyses (one thread,
# every tree kept to the end, as the check keeps them), and their ratio. The check frees the
# package trees on a thread the process does not wait for at exit, so its count can come out
# up to about 1 % lower in a run where that thread is cut off (seen once in eight runs of the
# standard library): compare the higher of two runs when that matters. Needs valgrind
# (apt-get install -y valgrind); takes about a minute on the standard library.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir=${1:-/usr/lib/go-1.19/src}
bin=${2:-}
command -v valgrind >/dev/null || { echo "bench-instructions: valgrind not found; apt-get install -y valgrind" >&2; exit 2; }
[ -d "$dir" ] || { echo "bench-instructions: $dir not found" >&2; exit 2; }
if [ -z "$bin" ]; then
  (cd "$root" && cargo build --release -q -p racelens)
  bin="${CARGO_TARGET_DIR:-$root/target}/release/racelens"
fi
bin=$(realpath "$bin")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$dir"
"$bin" check --list-files ./... > "$work/files" 2>/dev/null
# The instructions of whole processes (startup, discovery and output included), summed over
# the profiles given (xargs may split a long file list over several parse processes).
total() { cat "$@" | sed -n 's/^summary: *//p' | awk '{s += $1} END {printf "%.0f\n", s}'; }
valgrind --tool=callgrind --callgrind-out-file="$work/check.cg" \
  "$bin" check -q -j 1 --exit-zero --format json ./... > /dev/null 2> "$work/check.err" \
  || { cat "$work/check.err" >&2; exit 1; }
xargs -a "$work/files" valgrind --tool=callgrind --callgrind-out-file="$work/parse.%p.cg" \
  "$bin" parse -j 1 --keep > /dev/null 2> "$work/parse.err" \
  || { cat "$work/parse.err" >&2; exit 1; }
check=$(total "$work/check.cg")
parse=$(total "$work"/parse.*.cg)
echo "files:                            $(wc -l < "$work/files")"
echo "racelens check (1 thread):        $check instructions"
echo "racelens parse --keep (1 thread): $parse instructions"
awk -v c="$check" -v p="$parse" 'BEGIN { printf "check / parse:                    %.2fx\n", c / p }'
