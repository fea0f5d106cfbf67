#!/bin/sh
# Runs every check (nursery included) over the Go corpora this machine has (the Go 1.19
# standard library and the Debian golang-*-dev projects) and prints, per corpus, the number
# of reports of each check, as a Markdown table for docs/precision.md. Reports are also
# written to target/precision/<corpus>.txt for review.
#
#   cargo build --release && scripts/precision.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/target/release/racelens"
out="$root/target/precision"
mkdir -p "$out"
src=/usr/share/gocode/src
corpora="stdlib=/usr/lib/go-1.19/src
etcd=$src/go.etcd.io/etcd
docker=$src/github.com/docker/docker
grpc=$src/google.golang.org/grpc
containerd=$src/github.com/containerd/containerd
nats-server=$src/github.com/nats-io/nats-server
syncthing=$src/github.com/syncthing/syncthing"
checks=$("$bin" rules | awk '$1 !~ /suppression|syntax-error/ {print $1}')
printf '| check |'
for c in $corpora; do printf ' %s |' "${c%%=*}"; done
printf '\n|---|'
for c in $corpora; do printf -- '---:|'; done
printf '\n'
for c in $corpora; do
    name=${c%%=*}
    dir=${c#*=}
    if [ -d "$dir" ]; then
        (cd "$dir" && "$bin" check -q --exit-zero --select all ./... 2>/dev/null) >"$out/$name.txt" || true
    else
        : >"$out/$name.txt"
    fi
done
for check in $checks; do
    printf '| `%s` |' "$check"
    for c in $corpora; do
        n=$(grep -c "($check)\$" "$out/${c%%=*}.txt" || true)
        printf ' %s |' "$n"
    done
    printf '\n'
done
