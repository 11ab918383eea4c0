// Writes CPU, heap and allocs profiles whose stacks go through inlined
// calls, for the symbolizer's oracle test: the runtime names every frame
// (inlined ones included) and the test requires the same from the binary.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"time"
)

var sink []interface{}

type point struct{ X, Y int }

func (p point) norm() int { return p.X*p.X + p.Y*p.Y } // inlined

func makeBuf(n int) []byte { return make([]byte, n) } // inlined allocation

func keep(v interface{}) { sink = append(sink, v) }

func allocSmall(i int) {
	keep(makeBuf(64 + i%512))
	keep(&point{i, i + 1})
}

func allocJSON(i int) {
	b, _ := json.Marshal(map[string]int{"a": i, "b": i * 2})
	keep(b)
	keep(strings.Repeat("x", 100+i%50))
}

func hashLoop(deadline time.Time) int {
	h := sha256.New()
	buf := makeBuf(4096)
	n := 0
	for time.Now().Before(deadline) {
		h.Write(buf)
		n += point{n, 3}.norm() % 7
	}
	return n
}

func sortLoop(deadline time.Time) int {
	n := 0
	for time.Now().Before(deadline) {
		s := make([]int, 2000)
		for i := range s {
			s[i] = (i * 7919) % 2003
		}
		sort.Ints(s)
		var b bytes.Buffer
		fmt.Fprintf(&b, "%d", s[0])
		n += b.Len()
	}
	return n
}

func main() {
	out := os.Args[1]
	runtime.MemProfileRate = 512
	f, _ := os.Create(filepath.Join(out, "cpu.pb.gz"))
	pprof.StartCPUProfile(f)
	deadline := time.Now().Add(1200 * time.Millisecond)
	done := make(chan int)
	go func() { done <- sortLoop(deadline) }()
	n := hashLoop(deadline)
	n += <-done
	for i := 0; i < 20000; i++ {
		allocSmall(i)
		if i%4 == 0 {
			allocJSON(i)
		}
	}
	pprof.StopCPUProfile()
	f.Close()
	runtime.GC()
	for _, name := range []string{"heap", "allocs"} {
		g, _ := os.Create(filepath.Join(out, name+".pb.gz"))
		pprof.Lookup(name).WriteTo(g, 0)
		g.Close()
	}
	fmt.Println(n > 0, len(sink))
}
