#!/usr/bin/env bash
# Where the time of `racelens check` goes, by stage: a sampling profile (perf, with frame
# pointers) of one whole check, printed as the share of all samples spent inside each stage.
#
# Usage: scripts/profile-check.sh [DIR] [THREADS]
#   DIR:     what to check (default: the Go 1.19 standard library source)
#   THREADS: worker threads (default 2, as scripts/bench-check.sh measures)
#
# The shares are of CPU time, summed over threads; stages nest, so they do not add up to
# 100 %: the summaries computed for importers include their own type check and model, and
# page faults and system calls happen inside every stage. Builds a release binary with frame
# pointers in its own target directory (target/profile-fp), so that perf can walk the stacks.
# Needs perf (apt-get install -y linux-perf) and permission to use it (perf_event_paranoid);
# on a machine without hardware counters it samples the CPU clock.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir=${1:-/usr/lib/go-1.19/src}
threads=${2:-2}
command -v perf >/dev/null || { echo "profile-check: perf not found; apt-get install -y linux-perf" >&2; exit 2; }
[ -d "$dir" ] || { echo "profile-check: $dir not found" >&2; exit 2; }
target="$root/target/profile-fp"
(cd "$root" && RUSTFLAGS="-C force-frame-pointers=yes" CARGO_TARGET_DIR="$target" \
  cargo build --release -q -p racelens)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$dir"
# A first run reads the files into the page cache: a profile of reading them from disk would
# show the disk, not racelens.
"$target/release/racelens" check -q -j "$threads" --exit-zero --format json ./... > /dev/null 2>&1 || true
# Then a pause, as before any run a user starts: see scripts/bench-pair.py on why it matters.
sleep 3
perf record -q -F 10000 --call-graph fp -o "$work/perf.data" \
  "$target/release/racelens" check -q -j "$threads" --exit-zero --format json ./... \
  > /dev/null 2> "$work/err" || { cat "$work/err" >&2; exit 1; }
perf report -i "$work/perf.data" --children --sort sym --stdio -g none 2> /dev/null > "$work/report"
# Stage, then the function whose inclusive samples stand for it (demangled, without hash).
stages=(
  "discovery (walk, headers, reading files)|racelens_workspace::discover::discover"
  "  header and file readers|racelens_workspace::discover::inspect"
  "parsing (every file)|racelens_workspace::run::parse_file"
  "name resolution|racelens_semantic::scope::resolve_package_with"
  "type checking (bodies, imported declarations)|racelens_semantic::types::check::Program::check_loaded"
  "concurrency models|racelens_model::build::build_files"
  "summaries computed for importers|<racelens_workspace::summaries::Store as racelens_model::summary::SummarySource>::summary"
  "checks, with the types and models they build|racelens_checks::run_checks"
  "page faults|asm_exc_page_fault"
  "system calls|entry_SYSCALL_64_after_hwframe"
)
printf '%-50s %s\n' "stage ($threads threads, $(basename "$dir"))" "share of CPU samples"
for s in "${stages[@]}"; do
  name=${s%%|*}
  sym=${s#*|}
  share=$(awk -v sym="$sym" '{
      line = $0; sub(/^ *[0-9.]+% +[0-9.]+% +\[[.k]\] +/, "", line)
      if (line == sym) { print $1; exit }
    }' "$work/report")
  printf '%-50s %s\n' "$name" "${share:-0%}"
done
