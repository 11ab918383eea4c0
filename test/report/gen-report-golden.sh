#!/bin/sh
# Regenerates test/report/golden/<case>.txt by running go1.19's
# `go tool pprof` (the oracle) over test/report/cases.txt, from the
# fixtures directory, with TZ=UTC. A case whose pprof run fails stores its
# stderr in <case>.err instead (the report must fail too).
set -e
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$here/golden"
rm -f "$here/golden/"*.txt "$here/golden/"*.err
cd "$here/fixtures"
grep -v '^#' "$here/cases.txt" | while IFS='|' read -r name prof flags; do
  name=$(echo $name); prof=$(echo $prof)
  [ -z "$name" ] && continue
  # shellcheck disable=SC2086
  if ! TZ=UTC go tool pprof $flags "$prof" > "$here/golden/$name.txt" 2> /tmp/gen-report-golden.err; then
    rm -f "$here/golden/$name.txt"
    cp /tmp/gen-report-golden.err "$here/golden/$name.err"
  fi
done
go version > "$here/golden/ORACLE"
# Go's own number formatting, for measurement.test.ts.
cd "$here/fixtures/fmtcheck"
GOFLAGS=-mod=mod GOCACHE=${GOCACHE:-/tmp/gocache} go run . < values.txt > "$here/golden/fmt.tsv"
