#!/usr/bin/env bash
# Compares the reports of two racelens binaries on seven corpora: the Go 1.19 standard
# library and six projects under /usr/share/gocode (every check, `--select all`).
#
# Usage: scripts/compare-reports.sh BIN_A BIN_B
# Each corpus prints "N vs M reports" and, when the two JSON documents differ at all
# (messages, related locations, help), the first lines of the difference. A change meant
# to keep the output, such as a speed change, must print "N vs N reports, identical"
# everywhere.
set -uo pipefail
a=$(realpath "$1"); b=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
summary() {
  python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
for x in d["diagnostics"]:
    print(x["check"], x["location"]["path"], x["location"]["start"]["line"], x["message"])' "$1"
}
for d in \
  /usr/lib/go-1.19/src \
  /usr/share/gocode/src/go.etcd.io/etcd \
  /usr/share/gocode/src/github.com/docker/docker \
  /usr/share/gocode/src/google.golang.org/grpc \
  /usr/share/gocode/src/github.com/containerd/containerd \
  /usr/share/gocode/src/github.com/nats-io/nats-server \
  /usr/share/gocode/src/github.com/syncthing/syncthing; do
  (cd "$d" && "$a" check -q --exit-zero --select all --format json ./... > "$work/a.json" 2>/dev/null)
  (cd "$d" && "$b" check -q --exit-zero --select all --format json ./... > "$work/b.json" 2>/dev/null)
  summary "$work/a.json" > "$work/a.txt"
  summary "$work/b.json" > "$work/b.txt"
  if cmp -s "$work/a.json" "$work/b.json"; then same=", identical"; else same=", different"; fi
  echo "$d: $(wc -l < "$work/a.txt") vs $(wc -l < "$work/b.txt") reports$same"
  diff "$work/a.txt" "$work/b.txt" | head -5
done
