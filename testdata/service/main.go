// leakservice is a small HTTP service with net/http/pprof and a known leak,
// used by pprof-plus's collector tests and benchmark.
//
// The leak: every -tick, main.handleOrder allocates a record and
// (*sessionCache).remember keeps it forever in a global map, so the live
// heap allocated at main.handleOrder grows without bound. Steady churn (encodeReport) allocates and frees, so a profile also
// holds allocations that do not leak. Each tick also parks one goroutine in
// main.waitForReply forever (a goroutine leak).
//
// Toggles (HTTP, loopback only):
//   GET /toggle?leak=on|off     start/stop both leaks
//   GET /spawn?n=N              park N extra goroutines at once (trigger tests)
//   GET /healthz
//
// The service prints "listening on HOST:PORT" on stdout once it serves.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type record struct {
	id      int
	payload []byte
}

type sessionCache struct {
	mu      sync.Mutex
	entries map[int]*record
}

// remember is the leak: entries are never evicted.
func (c *sessionCache) remember(r *record) {
	c.mu.Lock()
	c.entries[r.id] = r
	c.mu.Unlock()
}

var (
	cache     = &sessionCache{entries: map[int]*record{}}
	leaking   atomic.Bool
	nextID    int64
	parked    = make(chan struct{}) // never closed
	churnSink atomic.Value
)

//go:noinline
func handleOrder(size int) {
	id := int(atomic.AddInt64(&nextID, 1))
	r := &record{id: id, payload: make([]byte, size)}
	for i := range r.payload {
		r.payload[i] = byte(i)
	}
	cache.remember(r)
}

//go:noinline
func waitForReply() {
	<-parked
}

// encodeReport allocates temporary data that is freed again: no leak.
//
//go:noinline
func encodeReport(n int) {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(strconv.Itoa(i))
		b.WriteByte(',')
	}
	churnSink.Store(b.String())
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback)")
	leak := flag.Bool("leak", true, "start with the leak on")
	tick := flag.Duration("tick", 100*time.Millisecond, "leak/churn interval")
	size := flag.Int("size", 16<<10, "bytes leaked per tick")
	rate := flag.Int("memprofilerate", 4096, "runtime.MemProfileRate")
	flag.Parse()
	runtime.MemProfileRate = *rate
	leaking.Store(*leak)

	http.HandleFunc("/toggle", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("leak") {
		case "on":
			leaking.Store(true)
		case "off":
			leaking.Store(false)
		default:
			http.Error(w, "want leak=on|off", http.StatusBadRequest)
			return
		}
		fmt.Fprintf(w, "leak=%v\n", leaking.Load())
	})
	http.HandleFunc("/spawn", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.URL.Query().Get("n"))
		if err != nil || n < 0 || n > 100000 {
			http.Error(w, "want n=0..100000", http.StatusBadRequest)
			return
		}
		for i := 0; i < n; i++ {
			go waitForReply()
		}
		fmt.Fprintf(w, "goroutines=%d\n", runtime.NumGoroutine())
	})
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	go func() {
		t := time.NewTicker(*tick)
		for range t.C {
			encodeReport(2000)
			if leaking.Load() {
				handleOrder(*size)
				go waitForReply()
			}
		}
	}()
	fmt.Fprintf(os.Stdout, "listening on %s\n", ln.Addr())
	log.Fatal(http.Serve(ln, nil))
}
