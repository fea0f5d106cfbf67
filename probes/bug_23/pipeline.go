package bug_23

import (
	"log"
	"strings"
	"sync"
	"time"
)

type Line struct {
	N    int
	Text string
}

type Parsed struct {
	N      int
	Fields []string
}

// ParseLog parses lines with a pool of workers and logs progress while
// it runs. Comment and blank lines are skipped.
func ParseLog(lines []Line, workers int) []Parsed {
	in := make(chan Line)
	out := make(chan Parsed)
	var wg sync.WaitGroup
	skipped := 0

	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for l := range in {
				t := strings.TrimSpace(l.Text)
				if t == "" || strings.HasPrefix(t, "#") {
					skipped++ // RACE
					continue
				}
				out <- Parsed{N: l.N, Fields: strings.Fields(t)}
			}
		}()
	}
	go func() {
		for _, l := range lines {
			in <- l
		}
		close(in)
		wg.Wait()
		close(out)
	}()

	var res []Parsed
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case p, ok := <-out:
			if !ok {
				return res
			}
			res = append(res, p)
		case <-tick.C:
			log.Printf("parse: %d parsed, %d skipped of %d", len(res), skipped, len(lines)) // RACE-ALSO
		}
	}
}
