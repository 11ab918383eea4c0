#!/bin/sh
# Regenerates the leak finder's scenario corpus: every scenario of
# src/scenarios under several runtime.MemProfileRate values (the default
# 512 KiB included). Each output directory holds heap_NN.pb.gz and
# goroutine_NN.pb.gz in time order and labels.json (the functions that leak
# and the noise functions), in the layout of shared/corpus/leaks.
# Needs go1.19 (standard library only). Usage: testdata/leaks/generate.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
export GOFLAGS=-mod=mod GOCACHE="${GOCACHE:-/tmp/gocache}" CGO_ENABLED=0
bin=$(mktemp -d)/scenarios
trap 'rm -rf "$(dirname "$bin")"' EXIT
(cd "$here/src/scenarios" && go build -trimpath -o "$bin" .)

labels() { # dir leaks noise
  printf '{"leaks":"%s","noise":"%s"}\n' "$2" "$3" > "$1/labels.json"
}

run() { # scenario rate leaks noise
  d="$here/$1-r$2"
  rm -rf "$d"; mkdir -p "$d"
  "$bin" -scenario "$1" -rate "$2" -out "$d"
  labels "$d" "$3" "$4"
}

for rate in 524288 65536 8192; do
  run map-lru-pool $rate main.registerSession main.lruPut,main.renderPage,main.poolBuffer
  run goroutines-timers $rate main.holdBuffer,main.scheduleRetry main.appendBatch,main.warmIndex
  run subslice-closures $rate main.keepHeader,main.registerCallback main.warmIndex,main.renderPage
  run contexts $rate main.newRequestContext main.lruPut,main.poolBuffer,main.appendBatch
  run steady-state $rate - main.warmIndex,main.lruPut,main.appendBatch,main.renderPage,main.poolBuffer
  run slow-leak-big-warmup $rate main.rememberClient main.loadCatalog,main.renderPage
  run late-leak $rate main.trackOrder main.appendBatch,main.lruPut
done

# A series spanning a restart of the same service: two runs, one directory.
d="$here/restart-r524288"
rm -rf "$d"; mkdir -p "$d"
"$bin" -scenario map-lru-pool -rate 524288 -out "$d" -snapshots 7
"$bin" -scenario map-lru-pool -rate 524288 -out "$d" -snapshots 7 -first 7
labels "$d" main.registerSession main.lruPut,main.renderPage,main.poolBuffer
