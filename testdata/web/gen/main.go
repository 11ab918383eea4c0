// Writes the web UI's test inputs: a debug=2 goroutine dump with leaked
// goroutines blocked on channels, a goroutine profile with labels, and a
// heap profile. Run ./generate.sh from testdata/web.
package main

import (
	"context"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"time"
)

var sink [][]byte

//go:noinline
func leakyWorker(ch chan int) {
	buf := make([]byte, 4096)
	sink = append(sink, buf[:1])
	ch <- 1 // nobody receives: blocks forever
}

//go:noinline
func waitForever(ch chan struct{}) {
	<-ch
}

//go:noinline
func pollLoop(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

func main() {
	runtime.MemProfileRate = 512
	for i := 0; i < 40; i++ {
		go leakyWorker(make(chan int))
	}
	never := make(chan struct{})
	for i := 0; i < 5; i++ {
		go waitForever(never)
	}
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		labels := pprof.Labels("handler", "poll", "shard", strconv.Itoa(i))
		go pprof.Do(ctx, labels, func(ctx context.Context) { pollLoop(ctx) })
	}
	time.Sleep(200 * time.Millisecond)
	runtime.GC()
	write := func(name string, prof string, debug int) {
		f, err := os.Create(name)
		if err != nil {
			panic(err)
		}
		if err := pprof.Lookup(prof).WriteTo(f, debug); err != nil {
			panic(err)
		}
		f.Close()
	}
	write("goroutines.txt", "goroutine", 2)
	write("goroutine.pb.gz", "goroutine", 0)
	write("heap.pb.gz", "heap", 0)
}
