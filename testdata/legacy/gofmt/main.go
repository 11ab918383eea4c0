// Prints how Go formats the times and durations pprof's Profile.String()
// shows, for values around each formatting boundary:
// ns <TAB> time.Unix(0, ns) <TAB> %.4v of Duration(ns) <TAB> Duration(ns).String()
package main

import (
	"fmt"
	"time"
)

func main() {
	values := []int64{
		0, 1, 999, 1000, 1001, 1500, 999999, 1000000, 1234567, 999999999,
		1000000000, 1000000001, 1500000000, 59999999999, 60000000000, 61500000000,
		3599999999999, 3600000000000, 3723000000000, 90061000000000, 1e18,
		-1, -1500, -1500000000, -3723000000000,
		1764195925415187787, 1700000000000000000, 1700000000123000000, 1600000000000000001,
	}
	for _, v := range values {
		fmt.Printf("%d\t%v\t%.4v\t%s\n", v, time.Unix(0, v), time.Duration(v), time.Duration(v).String())
	}
}
