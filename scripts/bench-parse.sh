#!/usr/bin/env bash
# bench-parse.sh: single-threaded parse throughput of racelens against Go's go/parser.
#
# Builds racelens in release mode and the go/parser oracle (crates/racelens_syntax/tests/
# oracle/godump), then parses the same file list with both, each on one thread, timing only
# the parse (both read every file into memory first), and prints MB/s (1 MB = 10^6 bytes)
# for each and their ratio.
#
# Usage: scripts/bench-parse.sh [DIR]      (default DIR: /usr/lib/go-1.19/src, every .go file)
# Needs: cargo, Go 1.19 (apt-get install -y golang-go golang-1.19-src).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-/usr/lib/go-1.19/src}"
target="${CARGO_TARGET_DIR:-$root/target}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

command -v go >/dev/null || { echo "bench-parse: go not found; apt-get install -y golang-go" >&2; exit 2; }
[ -d "$dir" ] || { echo "bench-parse: $dir not found; apt-get install -y golang-1.19-src" >&2; exit 2; }

echo "building racelens (release) and the go/parser oracle..." >&2
(cd "$root" && cargo build --release --quiet -p racelens)
(cd "$root/crates/racelens_syntax/tests/oracle/godump" &&
	GOFLAGS=-mod=mod GOTOOLCHAIN=local go build -o "$work/godump" .)

# The file list: every regular .go file under DIR (a directory can be named *.go in testdata,
# hence -type f; the trailing slash follows DIR if it is a symbolic link). racelens walks DIR
# itself and finds the same files; the byte counts are compared below to make sure.
find "$dir/" -type f -name '*.go' | LC_ALL=C sort >"$work/files"
echo "$(wc -l <"$work/files") files under $dir" >&2

# racelens: the summary line is "N files, B bytes, E syntax errors, parsed in T ms (X MB/s)".
# Syntax errors are expected (testdata holds broken files), so its exit status is ignored.
# Each side runs three times and keeps its best run, so that a busy moment on the machine
# does not decide the figure.
rl_summary="$(for _ in 1 2 3; do "$target/release/racelens" parse "$dir" 2>/dev/null | tail -n 1 || true; done |
	sed -n 's/.*(\([0-9.]*\) MB\/s)$/\1 &/p' | sort -g | tail -n 1 | cut -d' ' -f2-)"
rl_mbs="$(sed -n 's/.*(\([0-9.]*\) MB\/s)$/\1/p' <<<"$rl_summary")"
rl_bytes="$(sed -n 's/^[0-9]* files, \([0-9]*\) bytes,.*/\1/p' <<<"$rl_summary")"
[ -n "$rl_mbs" ] || { echo "bench-parse: unexpected racelens output: $rl_summary" >&2; exit 1; }

# go/parser: "B bytes, S s, X MB/s".
go_summary="$(for _ in 1 2 3; do "$work/godump" -bench <"$work/files"; done |
	sed -n 's/.*, \([0-9.]*\) MB\/s$/\1 &/p' | sort -g | tail -n 1 | cut -d' ' -f2-)"
go_mbs="$(sed -n 's/.*, \([0-9.]*\) MB\/s$/\1/p' <<<"$go_summary")"
go_bytes="${go_summary%% bytes*}"
[ "$rl_bytes" = "$go_bytes" ] || {
	echo "bench-parse: racelens read $rl_bytes bytes, go/parser $go_bytes: not the same files" >&2
	exit 1
}

# go/parser in its default mode, which also resolves identifiers (as gofmt and go vet's
# parsing do); racelens resolves names in a later, separate pass.
go_default="$(for _ in 1 2 3; do "$work/godump" -bench -resolve <"$work/files"; done |
	sed -n 's/.*, \([0-9.]*\) MB\/s$/\1 &/p' | sort -g | tail -n 1 | cut -d' ' -f2-)"
go_default_mbs="$(sed -n 's/.*, \([0-9.]*\) MB\/s$/\1/p' <<<"$go_default")"

echo "racelens:  $rl_summary"
echo "go/parser (SkipObjectResolution): $go_summary"
echo "go/parser (default mode):         $go_default"
awk -v r="$rl_mbs" -v g="$go_mbs" -v d="$go_default_mbs" 'BEGIN {
	printf "racelens parse %.1f MB/s, go/parser %.1f MB/s (ratio %.2fx), go/parser default mode %.1f MB/s (ratio %.2fx)\n", r, g, r / g, d, r / d
}'
