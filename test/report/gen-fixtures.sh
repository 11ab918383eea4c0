#!/bin/sh
# Regenerates the real Go profiles under test/report/fixtures/ (go1.19).
# The profiles differ on every run (timings, addresses), so run
# gen-report-golden.sh afterwards. leak-heap-0[37].pb.gz are copies of
# /work/shared/corpus/leaks/p1-linear-vs-warmup/heap_0[37].pb.gz.
set -e
cd "$(dirname "$0")/fixtures/gen"
GOFLAGS=-mod=mod GOCACHE=${GOCACHE:-/tmp/gocache} go build -trimpath -o /tmp/report-fixtures-gen .
/tmp/report-fixtures-gen ..
(cd ../genrich && GOFLAGS=-mod=mod GOCACHE=${GOCACHE:-/tmp/gocache} go build -trimpath -o /tmp/report-fixtures-genrich . && /tmp/report-fixtures-genrich ../cpu-rich.pb.gz)
# Diff profiles, written by go tool pprof itself: -diff_base keeps the
# pprof::base label (the total comes from the base), -base cancels.
cd ..
go tool pprof -proto -diff_base=leak-heap-03.pb.gz leak-heap-07.pb.gz > diffbase.pb.gz 2>/dev/null
go tool pprof -proto -base=leak-heap-03.pb.gz leak-heap-07.pb.gz > base.pb.gz 2>/dev/null
# google/pprof's legacy test profiles (profile/testdata, Apache-2.0, copied
# in fixtures/legacy/), as go tool pprof reads them, saved as proto: C++ and
# Java names, address-only frames, many sample types.
for f in cppbench.cpu java.cpu java.heap cppbench.heap cppbench.contention gobench.heap go.crc32.cpu cppbench.thread java.contention gobench.cpu; do
  go tool pprof -proto "legacy/$f" > "$f.pb.gz" 2>/dev/null
done
# A profile with a comment, a CPU diff against itself (everything cancels), one with no samples,
# and a heap profile with a duration (written by our encoder, read by pprof).
go tool pprof -proto -add_comment="built for report tests" heap.pb.gz > commented.pb.gz 2>/dev/null
go tool pprof -proto -diff_base=cpu.pb.gz cpu.pb.gz > cpudiff.pb.gz 2>/dev/null
go tool pprof -proto -focus=nomatchatall heap.pb.gz > empty.pb.gz 2>/dev/null
cd ../../..
npx tsx test/report/heap-duration.ts
# google/pprof's driver_test.go profiles, rebuilt from their definitions by
# testdata/core/pproftest/generate.ts (names already demangled), then read
# through go tool pprof -proto (which applies drop_frames).
cd test/report/fixtures/pprof-driver
for n in cpu cpusmall heap heap_alloc heap_request heap_sizetags heap_tags contention longNameFuncs; do
  go tool pprof -proto "../../../../testdata/core/pproftest/$n.pb.gz" > "$n.pb.gz" 2>/dev/null
done
