// Writes heap, allocs, goroutine, threadcreate, block and mutex profiles,
// each in debug=1 text and in proto (debug=0), back to back with the
// garbage collector off, so each pair describes the same data.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sync"
	"time"
)

var keep [][]byte

//go:noinline
func allocSmall(n int) {
	for i := 0; i < n; i++ {
		keep = append(keep, make([]byte, 64))
	}
}

// newBuffer is small enough to be inlined into its callers, so its
// allocations are attributed to an inlined frame.
func newBuffer(n int) []byte { return make([]byte, n) }

//go:noinline
func allocLarge(n int) {
	for i := 0; i < n; i++ {
		keep = append(keep, newBuffer(256<<10))
	}
}

//go:noinline
func allocTransient(n int) int {
	total := 0
	for i := 0; i < n; i++ {
		b := make([]byte, 4096)
		total += len(b)
	}
	return total
}

//go:noinline
func waitForever(ch chan int) { <-ch }

//go:noinline
func selectForever(a, b chan int) {
	select {
	case <-a:
	case <-b:
	}
}

//go:noinline
func blockOnChannel(ch chan int, wg *sync.WaitGroup) {
	defer wg.Done()
	<-ch
}

//go:noinline
func contendMutex(mu *sync.Mutex, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; i < 200; i++ {
		mu.Lock()
		time.Sleep(10 * time.Microsecond)
		mu.Unlock()
	}
}

func write(dir, name string, debugLevel int, ext string) {
	f, err := os.Create(filepath.Join(dir, name+ext))
	if err != nil {
		panic(err)
	}
	if err := pprof.Lookup(name).WriteTo(f, debugLevel); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
}

func main() {
	runtime.MemProfileRate = 4096
	runtime.SetBlockProfileRate(1)
	runtime.SetMutexProfileFraction(1)
	dir := os.Args[1]

	allocSmall(20000)
	allocLarge(8)
	_ = allocTransient(3000)

	// Goroutines parked in known places, some with pprof labels.
	never := make(chan int)
	for i := 0; i < 3; i++ {
		go waitForever(never)
	}
	for i := 0; i < 2; i++ {
		pprof.Do(context.Background(), pprof.Labels("worker", fmt.Sprint("w", i)), func(context.Context) {
			go selectForever(never, never)
		})
	}

	// Block events: goroutines that waited on a channel, then were released.
	var wg sync.WaitGroup
	release := make(chan int)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go blockOnChannel(release, &wg)
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()

	// Mutex contention.
	var mu sync.Mutex
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go contendMutex(&mu, &wg)
	}
	wg.Wait()
	time.Sleep(20 * time.Millisecond)

	runtime.GC()
	runtime.GC()
	debug.SetGCPercent(-1)
	// Stop recording new block events while the profiles are written. The
	// mutex fraction stays: both forms print it and scale by it.
	runtime.SetBlockProfileRate(0)
	for _, name := range []string{"heap", "allocs", "goroutine", "threadcreate", "block", "mutex"} {
		write(dir, name, 1, ".debug1.txt")
		write(dir, name, 0, ".pb.gz")
	}
	runtime.KeepAlive(keep)
}
