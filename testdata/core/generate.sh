#!/bin/sh
# Rebuilds testdata/core/profiles/ from the Go program in profgen/.
# Needs go (1.19 was used); standard library only. Run from anywhere.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/profiles"
mkdir -p "$out/series" /tmp/gocache
cd "$here/profgen"
GOCACHE=${GOCACHE:-/tmp/gocache} GOFLAGS=-mod=mod go build -trimpath -o /tmp/pprof-plus-profgen .
/tmp/pprof-plus-profgen "$out"
rm -f /tmp/pprof-plus-profgen
ls -l "$out" "$out/series"
