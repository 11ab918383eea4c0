#!/bin/sh
# Regenerates the goroutine analysis corpus: one directory per scenario of
# src/scenarios, each a series of goroutine snapshots in all three forms
# (goroutine_NN.pb.gz, .debug1.txt, .debug2.txt), plus a real panic
# traceback (panic/traceback.txt). Needs go1.19, standard library only.
# Usage: testdata/goroutines/generate.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
export GOFLAGS=-mod=mod GOCACHE="${GOCACHE:-/tmp/gocache}" CGO_ENABLED=0
bin=$(mktemp -d)/scenarios
trap 'rm -rf "$(dirname "$bin")"' EXIT
(cd "$here/src/scenarios" && go build -trimpath -o "$bin" .)

for s in chan-no-peer http-body sleep-ticker context sql-pool waitgroup steady; do
  d="$here/$s"
  rm -rf "$d"; mkdir -p "$d"
  "$bin" -scenario "$s" -out "$d" -snapshots 5 -per-step 4
done

d="$here/panic"
rm -rf "$d"; mkdir -p "$d"
GOTRACEBACK=all "$bin" -scenario panic 2> "$d/traceback.txt" && exit 1 || true

# A SIGQUIT traceback of a leaking process: printed at GOTRACEBACK=system
# level (runtime frames with fp= sp= pc=, system goroutines), then registers.
tmp=$(mktemp -d)
"$bin" -scenario waitgroup -out "$tmp" -snapshots 2 -hold > "$tmp/ready" 2> "$d/sigquit.txt" &
pid=$!
n=0
until grep -q ready "$tmp/ready" 2>/dev/null; do
  n=$((n + 1)); [ "$n" -lt 300 ] || { echo "sigquit: scenario never got ready" >&2; exit 1; }
  sleep 0.1
done
kill -QUIT "$pid"
wait "$pid" || true
rm -rf "$tmp"
