// Scenarios for `pprof-plus goroutines`: each runs a small service that
// leaks goroutines one way (or, for "steady", does not) and writes a series
// of goroutine snapshots in all three forms runtime/pprof offers:
//
//	goroutine_NN.pb.gz       debug=0, profile.proto with pprof labels
//	goroutine_NN.debug1.txt  debug=1, counted stacks with # labels lines
//	goroutine_NN.debug2.txt  debug=2, the full dump (same text as a panic)
//
// "panic" crashes with GOTRACEBACK=all instead (the traceback goes to stderr).
// Standard library only; build with go1.19 -trimpath.
package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

var (
	scenario  = flag.String("scenario", "steady", "scenario to run")
	out       = flag.String("out", ".", "output directory")
	snapshots = flag.Int("snapshots", 5, "snapshots to write")
	perStep   = flag.Int("per-step", 4, "goroutines leaked per step")
	hold      = flag.Bool("hold", false, "after the snapshots, block until killed (for a SIGQUIT traceback)")
)

func main() {
	flag.Parse()
	if *scenario == "panic" {
		runPanic()
		return
	}
	steady := startWorkerPool(4)
	defer steady()
	step := scenarios[*scenario]
	if step == nil {
		fmt.Fprintln(os.Stderr, "unknown scenario", *scenario)
		os.Exit(2)
	}
	ctx := pprof.WithLabels(context.Background(), pprof.Labels("scenario", *scenario))
	for i := 0; i < *snapshots; i++ {
		pprof.Do(ctx, pprof.Labels("step", fmt.Sprint(i)), func(ctx context.Context) {
			for k := 0; k < *perStep; k++ {
				step(ctx, i)
			}
		})
		time.Sleep(150 * time.Millisecond) // let the goroutines park
		runtime.GC()                       // stamps waitsince on parked goroutines
		writeSnapshot(i)
	}
	if *hold {
		fmt.Fprintln(os.Stdout, "ready")
		select {}
	}
}

func writeSnapshot(i int) {
	for _, f := range []struct {
		name  string
		debug int
	}{{"goroutine_%02d.pb.gz", 0}, {"goroutine_%02d.debug1.txt", 1}, {"goroutine_%02d.debug2.txt", 2}} {
		path := filepath.Join(*out, fmt.Sprintf(f.name, i))
		w, err := os.Create(path)
		if err != nil {
			panic(err)
		}
		if err := pprof.Lookup("goroutine").WriteTo(w, f.debug); err != nil {
			panic(err)
		}
		w.Close()
	}
}

var scenarios = map[string]func(ctx context.Context, step int){
	"chan-no-peer": leakChannels,
	"http-body":    leakHTTPBodies,
	"sleep-ticker": leakLoops,
	"context":      leakContexts,
	"sql-pool":     leakSQLWaits,
	"waitgroup":    leakWaitGroups,
	"steady":       steadyRequests,
}

// ---- steady background: a fixed worker pool fed by a producer ----

func startWorkerPool(n int) func() {
	jobs := make(chan int)
	done := make(chan struct{})
	for i := 0; i < n; i++ {
		go poolWorker(jobs)
	}
	go func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for i := 0; ; i++ {
			select {
			case <-done:
				close(jobs)
				return
			case <-t.C:
				jobs <- i
			}
		}
	}()
	return func() { close(done) }
}

func poolWorker(jobs <-chan int) {
	for j := range jobs {
		_ = j * j
	}
}

// ---- chan-no-peer: a sender abandoned by a timed-out receiver, a receiver nobody sends to ----

func slowCompute() int {
	time.Sleep(20 * time.Millisecond)
	return 42
}

func fetchWithTimeout() (int, bool) {
	ch := make(chan int) // unbuffered: the sender blocks forever once we stop listening
	go func() { ch <- slowCompute() }()
	select {
	case v := <-ch:
		return v, true
	case <-time.After(time.Millisecond):
		return 0, false
	}
}

func waitForReply(replies <-chan string) {
	<-replies
}

func leakChannels(ctx context.Context, step int) {
	fetchWithTimeout()
	go waitForReply(make(chan string))
}

// ---- http-body: response bodies never closed keep persistConn loops alive ----

var (
	httpOnce   sync.Once
	httpServer *httptest.Server
)

func leakHTTPBodies(ctx context.Context, step int) {
	httpOnce.Do(func() {
		httpServer = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "hello, this body is never read to the end\n")
		}))
	})
	resp, err := http.Get(httpServer.URL)
	if err != nil {
		panic(err)
	}
	_ = resp // Body not closed: the connection cannot be reused and its loops stay
}

// ---- sleep-ticker: polling loops nobody stops ----

func pollForever() {
	for {
		time.Sleep(50 * time.Millisecond)
	}
}

func refreshOnTick() {
	t := time.NewTicker(40 * time.Millisecond)
	for range t.C {
	}
}

func leakLoops(ctx context.Context, step int) {
	go pollForever()
	go refreshOnTick()
}

// ---- context: children of a custom parent never cancelled ----

// requestScope is a Context of our own: its Done channel is not a cancelCtx's,
// so WithCancel children need a propagateCancel goroutine to watch it.
type requestScope struct {
	context.Context
	done chan struct{}
}

func (s requestScope) Done() <-chan struct{} { return s.done }

var scope = requestScope{Context: context.Background(), done: make(chan struct{})}

func watchDeadline(ctx context.Context) {
	<-ctx.Done()
}

func leakContexts(ctx context.Context, step int) {
	child, cancel := context.WithCancel(scope)
	_ = cancel // never called
	_ = child
	timed, cancel2 := context.WithTimeout(context.Background(), time.Hour)
	_ = cancel2 // never called: the watcher lives for an hour
	go watchDeadline(timed)
}

// ---- sql-pool: a Rows never closed holds the only connection; queries queue ----

type fakeDriver struct{}
type fakeConn struct{}
type fakeStmt struct{}
type fakeRows struct{ n int }

func (fakeDriver) Open(string) (driver.Conn, error)         { return fakeConn{}, nil }
func (fakeConn) Prepare(string) (driver.Stmt, error)        { return fakeStmt{}, nil }
func (fakeConn) Close() error                               { return nil }
func (fakeConn) Begin() (driver.Tx, error)                  { return nil, fmt.Errorf("no transactions") }
func (fakeStmt) Close() error                               { return nil }
func (fakeStmt) NumInput() int                              { return -1 }
func (fakeStmt) Exec([]driver.Value) (driver.Result, error) { return driver.RowsAffected(0), nil }
func (fakeStmt) Query([]driver.Value) (driver.Rows, error)  { return &fakeRows{}, nil }
func (*fakeRows) Columns() []string                         { return []string{"id"} }
func (*fakeRows) Close() error                              { return nil }
func (r *fakeRows) Next(dest []driver.Value) error {
	if r.n > 2 {
		return io.EOF
	}
	r.n++
	dest[0] = int64(r.n)
	return nil
}

var (
	dbOnce sync.Once
	db     *sql.DB
)

func lookupUser(ctx context.Context) {
	rows, err := db.QueryContext(ctx, "SELECT id FROM users")
	if err != nil {
		return
	}
	rows.Close()
}

func leakSQLWaits(ctx context.Context, step int) {
	dbOnce.Do(func() {
		sql.Register("fake", fakeDriver{})
		var err error
		db, err = sql.Open("fake", "")
		if err != nil {
			panic(err)
		}
		db.SetMaxOpenConns(1)
		rows, err := db.Query("SELECT id FROM sessions") // never closed: holds the connection
		if err != nil {
			panic(err)
		}
		_ = rows
	})
	go lookupUser(context.Background())
}

// ---- waitgroup: Add(2) with only one Done ----

func fanOut(results chan<- int) {
	var wg sync.WaitGroup
	wg.Add(2) // one worker too many counted
	go func() {
		defer wg.Done()
		results <- 1
	}()
	wg.Wait()
}

func leakWaitGroups(ctx context.Context, step int) {
	go fanOut(make(chan int, 1))
}

// ---- steady: requests that finish, a client that closes bodies and is reused ----

var (
	steadyOnce   sync.Once
	steadyServer *httptest.Server
	steadyClient = &http.Client{}
)

func steadyRequests(ctx context.Context, step int) {
	steadyOnce.Do(func() {
		steadyServer = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "ok\n")
		}))
	})
	resp, err := steadyClient.Get(steadyServer.URL)
	if err != nil {
		panic(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	v, _ := fetchBuffered()
	_ = v
}

// The fixed version of fetchWithTimeout: a buffered channel lets the sender finish.
func fetchBuffered() (int, bool) {
	ch := make(chan int, 1)
	go func() { ch <- 7 }()
	select {
	case v := <-ch:
		return v, true
	case <-time.After(time.Second):
		return 0, false
	}
}

// ---- panic: a crash with other goroutines parked ----

func runPanic() {
	for i := 0; i < 3; i++ {
		go waitForReply(make(chan string))
	}
	var mu sync.Mutex
	mu.Lock()
	go func() { mu.Lock() }()
	time.Sleep(50 * time.Millisecond)
	handle(map[string]int{})
}

func handle(m map[string]int) {
	var p *struct{ n int }
	if len(m) == 0 {
		fmt.Println(p.n) // nil dereference: panics
	}
}
