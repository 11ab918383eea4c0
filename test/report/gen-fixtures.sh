#!/bin/sh
# Regenerates the real Go profiles under test/report/fixtures/ (go1.19).
set -e
cd "$(dirname "$0")/fixtures/gen"
GOFLAGS=-mod=mod GOCACHE=${GOCACHE:-/tmp/gocache} go build -trimpath -o /tmp/report-fixtures-gen .
/tmp/report-fixtures-gen ..
# Diff profiles, written by go tool pprof itself: -diff_base keeps the
# pprof::base label (the total comes from the base), -base cancels.
cd ..
go tool pprof -proto -diff_base=leak-heap-03.pb.gz leak-heap-07.pb.gz > diffbase.pb.gz 2>/dev/null
go tool pprof -proto -base=leak-heap-03.pb.gz leak-heap-07.pb.gz > base.pb.gz 2>/dev/null
