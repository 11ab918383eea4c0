#!/bin/sh
# Regenerates the Go runtime's legacy text profiles and their proto twins.
# Needs go (1.19 was used for the committed files); standard library only.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
export GOFLAGS=-mod=mod GOCACHE="${GOCACHE:-/tmp/gocache}" GOTOOLCHAIN=local CGO_ENABLED=0
for prog in allprofiles; do
  out="$here/$prog/out"
  rm -rf "$out" && mkdir -p "$out"
  (cd "$here/$prog" && go build -trimpath -o "/tmp/legacy-$prog" .)
  "/tmp/legacy-$prog" "$out"
  rm -f "/tmp/legacy-$prog"
done
