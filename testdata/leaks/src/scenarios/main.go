// Scenario programs for the leak finder's corpus: each scenario calls its
// workload functions once per tick from main.main and writes a heap and a
// goroutine profile (after runtime.GC) every few ticks. Leaks and noise are
// named functions so labels.json can name them; see ../../generate.sh.
package main

import (
	"container/list"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"time"
)

var sink []byte

// ---------------------------------------------------------------- leaks

var sessions = map[int64][]byte{}
var sessionSeq int64

// registerSession keeps every session forever: an unbounded map.
func registerSession(n, size int) {
	for i := 0; i < n; i++ {
		sessionSeq++
		sessions[sessionSeq] = make([]byte, size)
	}
}

var blockForever = make(chan []byte)

// holdBuffer runs in its own goroutine and blocks forever on a send nobody receives.
func holdBuffer(size int) {
	buf := make([]byte, size)
	buf[0] = 1
	blockForever <- buf
}

func spawnWaiters(n, size int) {
	for i := 0; i < n; i++ {
		go holdBuffer(size)
	}
}

// scheduleRetry arms an hour-long timer per call; the closure keeps its payload alive.
func scheduleRetry(n, size int) {
	for i := 0; i < n; i++ {
		payload := make([]byte, size)
		time.AfterFunc(time.Hour, func() { sink = payload })
	}
}

var headers [][]byte

// keepHeader keeps a 16-byte prefix of a large buffer, pinning all of it.
func keepHeader(n, size int) {
	for i := 0; i < n; i++ {
		buf := make([]byte, size)
		buf[0] = byte(i)
		headers = append(headers, buf[:16])
	}
}

var callbacks = map[int]func() int{}
var callbackSeq int

// registerCallback stores closures in a map and never removes them.
func registerCallback(n, size int) {
	for i := 0; i < n; i++ {
		state := make([]int64, size/8)
		callbackSeq++
		callbacks[callbackSeq] = func() int { return len(state) }
	}
}

var rootCtx, rootCancel = context.WithCancel(context.Background())
var ctxKeep []context.Context

type payloadKey struct{}

// newRequestContext derives a cancellable child of a long-lived parent per
// request and never cancels it: the parent's children map keeps every child,
// and with it the request's payload.
func newRequestContext(n, size int) {
	for i := 0; i < n; i++ {
		ctx, _ := context.WithCancel(context.WithValue(rootCtx, payloadKey{}, make([]byte, size))) //nolint:govet // the leak under test
		if i%64 == 0 {
			ctxKeep = append(ctxKeep[:0], ctx)
		}
	}
}

var clients []string

// rememberClient appends a formatted entry per request to a global slice.
func rememberClient(n int) {
	for i := 0; i < n; i++ {
		clients = append(clients, fmt.Sprintf("client-%08d-%s", len(clients), strings.Repeat("x", 200)))
	}
}

var orders = map[int][]byte{}

// trackOrder leaks only once the feature is switched on, part-way through the run.
func trackOrder(on bool, n, size int) {
	if !on {
		return
	}
	for i := 0; i < n; i++ {
		orders[len(orders)] = make([]byte, size)
	}
}

// ---------------------------------------------------------------- noise

type lru struct {
	cap   int
	ll    *list.List
	items map[int]*list.Element
}

type lruEntry struct {
	key int
	val []byte
}

var cache = &lru{cap: 0, ll: list.New(), items: map[int]*list.Element{}}
var lruSeq int

// lruPut inserts into a bounded LRU: old entries are evicted.
func lruPut(n, size, capacity int) {
	cache.cap = capacity
	for i := 0; i < n; i++ {
		lruSeq++
		e := cache.ll.PushFront(&lruEntry{key: lruSeq, val: make([]byte, size)})
		cache.items[lruSeq] = e
		for cache.ll.Len() > cache.cap {
			old := cache.ll.Back()
			cache.ll.Remove(old)
			delete(cache.items, old.Value.(*lruEntry).key)
		}
	}
}

var index = map[int][]byte{}

// warmIndex fills a table up to a fixed number of keys, then only replaces values.
func warmIndex(tick, perTick, keys, size int) {
	for i := 0; i < perTick; i++ {
		k := (tick*perTick + i) % keys
		index[k] = make([]byte, size)
	}
}

var catalog = map[int][]byte{}

// loadCatalog loads a large catalogue during warm-up and then refreshes entries in place.
func loadCatalog(tick, perTick, keys, size int) {
	warm := tick*perTick < keys
	for i := 0; i < perTick; i++ {
		k := (tick*perTick + i) % keys
		if warm || i%4 == 0 {
			catalog[k] = make([]byte, size)
		}
	}
}

var batch [][]byte
var batchBytes int

// appendBatch collects records and flushes the batch when it is full.
func appendBatch(n, size, limit int) {
	for i := 0; i < n; i++ {
		batch = append(batch, make([]byte, size))
		batchBytes += size
		if batchBytes >= limit {
			batch = nil
			batchBytes = 0
		}
	}
}

// renderPage allocates transient buffers that die before the next GC.
func renderPage(n, size int) int {
	total := 0
	for i := 0; i < n; i++ {
		b := make([]byte, size)
		b[size-1] = 1
		total += len(b)
	}
	return total
}

var pool = sync.Pool{New: func() any { return make([]byte, 32<<10) }}

// poolBuffer borrows buffers from a sync.Pool.
func poolBuffer(n int) {
	held := make([][]byte, 0, n)
	for i := 0; i < n; i++ {
		held = append(held, pool.Get().([]byte))
	}
	for _, b := range held {
		pool.Put(b) //nolint:staticcheck
	}
}

// ---------------------------------------------------------------- driver

const KiB = 1 << 10
const MiB = 1 << 20

type scenario struct {
	snapshots, ticksPerSnapshot int
	tick                        func(t, total int)
}

var scenarios = map[string]scenario{
	"map-lru-pool": {12, 3, func(t, total int) {
		registerSession(200, 2*KiB)
		lruPut(400, 4*KiB, 2000)
		renderPage(50, 64*KiB)
		poolBuffer(40)
	}},
	"goroutines-timers": {12, 3, func(t, total int) {
		spawnWaiters(8, 32*KiB)
		scheduleRetry(40, 8*KiB)
		appendBatch(200, 4*KiB, 3*MiB)
		warmIndex(t, 600, 3000, 4*KiB)
	}},
	"subslice-closures": {10, 3, func(t, total int) {
		keepHeader(2, 256*KiB)
		registerCallback(100, 4*KiB)
		warmIndex(t, 800, 4000, 4*KiB)
		renderPage(40, 128*KiB)
	}},
	"contexts": {12, 3, func(t, total int) {
		newRequestContext(600, 512)
		lruPut(300, 8*KiB, 1000)
		poolBuffer(30)
		appendBatch(150, 8*KiB, 4*MiB)
	}},
	"steady-state": {12, 3, func(t, total int) {
		warmIndex(t, 500, 2000, 4*KiB)
		lruPut(300, 4*KiB, 1500)
		appendBatch(250, 4*KiB, 5*MiB)
		renderPage(60, 64*KiB)
		poolBuffer(40)
	}},
	"slow-leak-big-warmup": {20, 2, func(t, total int) {
		rememberClient(800)
		loadCatalog(t, 600, 12000, 2*KiB)
		renderPage(30, 64*KiB)
	}},
	"late-leak": {14, 3, func(t, total int) {
		trackOrder(t >= total/3, 80, 4*KiB)
		appendBatch(300, 4*KiB, 6*MiB)
		lruPut(200, 8*KiB, 800)
	}},
}

func writeProfile(dir, kind string, i int) {
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%s_%02d.pb.gz", kind, i)))
	if err != nil {
		panic(err)
	}
	if err := pprof.Lookup(kind).WriteTo(f, 0); err != nil {
		panic(err)
	}
	f.Close()
}

func main() {
	name := flag.String("scenario", "", "scenario name")
	out := flag.String("out", "", "output directory")
	rate := flag.Int("rate", 512*1024, "runtime.MemProfileRate")
	first := flag.Int("first", 0, "index of the first snapshot file (a restart continues a series)")
	count := flag.Int("snapshots", 0, "snapshots to take (default: the scenario's)")
	flag.Parse()
	runtime.MemProfileRate = *rate
	sc, ok := scenarios[*name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown scenario", *name)
		os.Exit(2)
	}
	n := sc.snapshots
	if *count > 0 {
		n = *count
	}
	total := n * sc.ticksPerSnapshot
	for s := 0; s < n; s++ {
		for k := 0; k < sc.ticksPerSnapshot; k++ {
			sc.tick(s*sc.ticksPerSnapshot+k, total)
			time.Sleep(10 * time.Millisecond)
		}
		runtime.GC()
		writeProfile(*out, "heap", *first+s)
		writeProfile(*out, "goroutine", *first+s)
	}
	rootCancel()
}
