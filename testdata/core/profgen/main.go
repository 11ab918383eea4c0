// profgen writes real Go runtime profiles for pprof-plus's golden tests.
// Workloads are fixed so reruns give profiles of the same shape; CPU and
// scheduling-dependent profiles still vary in detail, which is why the
// outputs are committed and goldens are generated from the committed files.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

var sink [][]byte

//go:noinline
func allocSmall(n int) {
	for i := 0; i < n; i++ {
		sink = append(sink, make([]byte, 512))
	}
}

//go:noinline
func allocLarge(n int) {
	for i := 0; i < n; i++ {
		sink = append(sink, make([]byte, 64<<10))
	}
}

//go:noinline
func allocTemp(n int) int {
	t := 0
	for i := 0; i < n; i++ {
		b := make([]byte, 4096)
		t += len(b)
	}
	return t
}

type cache struct{ entries map[int][]byte }

//go:noinline
func (c *cache) fill(n int) {
	for i := 0; i < n; i++ {
		c.entries[len(c.entries)] = make([]byte, 2048)
	}
}

func write(dir, name string, f func(*os.File) error) {
	out, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		panic(err)
	}
	if err := f(out); err != nil {
		panic(err)
	}
	out.Close()
}

func lookup(dir, name, profile string, debug int) {
	runtime.GC()
	write(dir, name, func(f *os.File) error { return pprof.Lookup(profile).WriteTo(f, debug) })
}

//go:noinline
func spinHash(n int) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < n; i++ {
		h ^= uint64(i)
		h *= 1099511628211
	}
	return h
}

//go:noinline
func spinSqrt(n int) float64 {
	x := 0.0
	for i := 1; i < n; i++ {
		x += float64(i) / float64(i+1)
	}
	return x
}

var cpuSink uint64

func cpuWork(d time.Duration) {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		pprof.Do(context.Background(), pprof.Labels("handler", "hash", "tenant", "a"), func(context.Context) {
			cpuSink += spinHash(2000000)
		})
		pprof.Do(context.Background(), pprof.Labels("handler", "sqrt"), func(context.Context) {
			cpuSink += uint64(spinSqrt(1000000))
		})
		pprof.Do(context.Background(), pprof.Labels("handler", "hash", "tenant", "b"), func(context.Context) {
			cpuSink += spinHash(500000)
		})
	}
}

//go:noinline
func blocker(wg *sync.WaitGroup, ch chan int) {
	defer wg.Done()
	<-ch
}

//go:noinline
func contend(wg *sync.WaitGroup, mu *sync.Mutex, n int) {
	defer wg.Done()
	for i := 0; i < n; i++ {
		mu.Lock()
		time.Sleep(50 * time.Microsecond)
		mu.Unlock()
	}
}

//go:noinline
func parked(ch chan struct{}) { <-ch }

func main() {
	dir := os.Args[1]
	runtime.MemProfileRate = 4096
	runtime.SetBlockProfileRate(1)
	runtime.SetMutexProfileFraction(1)

	// Heap snapshot series of a growing program.
	c := &cache{entries: map[int][]byte{}}
	for i := 1; i <= 5; i++ {
		c.fill(400)
		allocSmall(200)
		allocTemp(1000)
		lookup(dir, fmt.Sprintf("series/heap.%d.pb.gz", i), "heap", 0)
	}
	allocLarge(20)
	lookup(dir, "heap.pb.gz", "heap", 0)
	lookup(dir, "heap.debug1.txt", "heap", 1)
	lookup(dir, "allocs.pb.gz", "allocs", 0)

	// Goroutines parked in known places.
	stop := make(chan struct{})
	for i := 0; i < 10; i++ {
		go parked(stop)
	}
	var wg sync.WaitGroup
	ch := make(chan int)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go blocker(&wg, ch)
	}
	time.Sleep(20 * time.Millisecond)
	lookup(dir, "goroutine.pb.gz", "goroutine", 0)
	for i := 0; i < 4; i++ {
		ch <- i
	}
	wg.Wait()
	close(stop)

	var mu sync.Mutex
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go contend(&wg, &mu, 50)
	}
	wg.Wait()
	lookup(dir, "block.pb.gz", "block", 0)
	lookup(dir, "mutex.pb.gz", "mutex", 0)
	lookup(dir, "threadcreate.pb.gz", "threadcreate", 0)

	write(dir, "cpu.pb.gz", func(f *os.File) error {
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		cpuWork(1500 * time.Millisecond)
		pprof.StopCPUProfile()
		return nil
	})
	runtime.KeepAlive(c)
}
