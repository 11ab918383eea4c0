#!/bin/sh
# Regenerates the Go runtime's legacy text profiles and their proto twins,
# the `go tool pprof -raw` goldens, and the Go time/duration formatting
# table. Needs go (go1.19 was used for the committed files); standard
# library only.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
export GOFLAGS=-mod=mod GOCACHE="${GOCACHE:-/tmp/gocache}" GOTOOLCHAIN=local CGO_ENABLED=0 TZ=UTC

build() { (cd "$here/$1" && go build -trimpath -o "/tmp/legacy-$1" .); }

build allprofiles
out="$here/allprofiles/out"
rm -rf "$out" && mkdir -p "$out"
"/tmp/legacy-allprofiles" "$out"
rm -f /tmp/legacy-allprofiles

# go tool pprof -raw on the text forms it reads without changing anything
# (no pruning or merging happens for these): goldens for profileToString.
for name in block mutex; do
  go tool pprof -raw "$out/$name.debug1.txt" >"$out/$name.debug1.txt.raw" 2>/dev/null
done

build gofmt
"/tmp/legacy-gofmt" >"$here/gofmt/out.txt"
rm -f /tmp/legacy-gofmt
