// Writes a debug=2 goroutine dump of a process holding many parked
// goroutines (default 100k) over a few dozen distinct stacks of varying
// depth, for the goroutine parser benchmark. The dump is tens of MB, so it
// is generated on demand (bench/goroutines-bench.mjs), never committed; the
// same goroutines are also written as a proto goroutine profile for the peer.
package main

import (
	"flag"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

var (
	n   = flag.Int("n", 100000, "goroutines to park")
	out = flag.String("out", "dump", "output prefix: writes PREFIX.debug2.txt and PREFIX.pb.gz")
)

type request struct{ id, depth int }

//go:noinline
func descend(r request, park func()) {
	if r.depth > 0 {
		descend(request{r.id, r.depth - 1}, park)
		return
	}
	park()
}

func main() {
	flag.Parse()
	never := make(chan struct{}) // nobody sends
	full := make(chan struct{})  // nobody receives
	var mu sync.Mutex
	mu.Lock()
	var wg sync.WaitGroup
	wg.Add(1)
	parks := []func(){
		func() { <-never },
		func() { full <- struct{}{} },
		func() {
			select {
			case <-never:
			case full <- struct{}{}:
			}
		},
		func() { mu.Lock() },
		func() { wg.Wait() },
		func() { time.Sleep(time.Hour) },
	}
	var started sync.WaitGroup
	for i := 0; i < *n; i++ {
		started.Add(1)
		r := request{id: i, depth: i % 7}
		park := parks[(i/7)%len(parks)]
		go func() {
			started.Done()
			descend(r, park)
		}()
	}
	started.Wait()
	time.Sleep(500 * time.Millisecond)
	runtime.GC()
	write(*out+".debug2.txt", 2)
	write(*out+".pb.gz", 0)
}

func write(path string, debug int) {
	f, err := os.Create(path)
	if err != nil {
		panic(err)
	}
	if err := pprof.Lookup("goroutine").WriteTo(f, debug); err != nil {
		panic(err)
	}
	f.Close()
}
