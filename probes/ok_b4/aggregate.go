// Package ok_b4 aggregates a stream of measurements per key. Events are
// sharded by key over a fixed number of partition workers so that each key
// is summarised by exactly one goroutine.
package ok_b4

import (
	"fmt"
	"hash/fnv"
	"strings"
	"sync"
)

// Event is one measurement on the stream.
type Event struct {
	Key   string
	Value float64
}

// Options tune Aggregate.
type Options struct {
	Partitions int
	Trace      bool // record every event in Report.Trace
}

// Aggregate consumes in until it is closed and returns per-key statistics.
func Aggregate(in <-chan Event, opt Options) Report {
	n := opt.Partitions
	if n < 1 {
		n = 1
	}
	var (
		wg     sync.WaitGroup
		shards = make([]chan Event, n)
		tables = make([]map[string]*Summary, n)
		traces = make([]strings.Builder, n)
	)
	for i := 0; i < n; i++ {
		i := i
		shards[i] = make(chan Event, 64)
		tables[i] = make(map[string]*Summary)
		wg.Add(1)
		go func() {
			defer wg.Done()
			table, trace := tables[i], &traces[i]
			for ev := range shards[i] {
				s, ok := table[ev.Key]
				if !ok {
					s = &Summary{Key: ev.Key}
					table[ev.Key] = s
				}
				s.add(ev.Value)
				if opt.Trace {
					fmt.Fprintf(trace, "p%d %s=%g\n", i, ev.Key, ev.Value)
				}
			}
		}()
	}

	for ev := range in {
		shards[partition(ev.Key, n)] <- ev
	}
	for _, ch := range shards {
		close(ch)
	}
	wg.Wait()

	var rep Report
	var all strings.Builder
	for i := range tables {
		for _, s := range tables[i] {
			rep.Keys = append(rep.Keys, *s)
		}
		all.WriteString(traces[i].String())
	}
	rep.Trace = all.String()
	rep.sort()
	return rep
}

func partition(key string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % uint32(n))
}
