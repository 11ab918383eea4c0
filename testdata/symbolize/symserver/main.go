// A Go program serving net/http/pprof, for the remote symbolization test:
// it prints its address, keeps some allocations live, and serves
// /debug/pprof/heap and /debug/pprof/symbol until stdin closes.
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"strings"
)

var keep [][]byte

func grow(n int) []byte { return make([]byte, n) } // inlined

func fill() {
	for i := 0; i < 2000; i++ {
		keep = append(keep, grow(1024+i%64))
		keep = append(keep, []byte(strings.Repeat("y", 200)))
	}
}

func main() {
	runtime.MemProfileRate = 512
	fill()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	fmt.Println(ln.Addr().String())
	go http.Serve(ln, nil)
	io.Copy(io.Discard, os.Stdin)
}
