// A cgo program for the symbolizer: external linking puts C code before
// runtime.text (so the pclntab's text start is not .text's), and its CPU
// profile holds C frames the Go runtime cannot name (address-only
// locations, checked against addr2line) next to Go frames it does name
// (checked against the runtime).
package main

/*
#cgo CFLAGS: -g -O2
static inline unsigned mix(unsigned h, unsigned v) { h ^= v; h *= 16777619u; return h; }
__attribute__((noinline)) unsigned spin(unsigned n) {
	unsigned h = 2166136261u;
	for (unsigned i = 0; i < n; i++) h = mix(h, i);
	return h;
}
*/
import "C"

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"time"
)

type pair struct{ a, b int }

func (p pair) sum() int { return p.a + p.b } // inlined

func goWork(deadline time.Time) int {
	n := 0
	for time.Now().Before(deadline) {
		s := make([]int, 1000)
		for i := range s {
			s[i] = pair{i * 7919 % 1009, n}.sum()
		}
		sort.Ints(s)
		n += s[0]
	}
	return n
}

func main() {
	f, _ := os.Create(filepath.Join(os.Args[1], "cpu.pb.gz"))
	pprof.StartCPUProfile(f)
	deadline := time.Now().Add(1000 * time.Millisecond)
	done := make(chan int)
	go func() { done <- goWork(deadline) }()
	var h C.uint
	for time.Now().Before(deadline) {
		h ^= C.spin(200000)
	}
	n := <-done
	pprof.StopCPUProfile()
	f.Close()
	fmt.Println(n, h)
}
