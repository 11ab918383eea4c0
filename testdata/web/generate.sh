#!/bin/sh
# Regenerates the web UI's test inputs with the local Go toolchain.
set -e
cd "$(dirname "$0")"
(cd gen && GOFLAGS=-mod=mod GOCACHE=${GOCACHE:-/tmp/gocache} go build -trimpath -o /tmp/webgen .)
/tmp/webgen
rm -f /tmp/webgen
