// Package bug_62 provides HTTP middleware that counts requests per path and a
// handler that exposes the counters to the ops dashboard.
package bug_62

import (
	"fmt"
	"net/http"
	"sort"
	"sync"
)

var (
	hitsMu sync.Mutex     // guards the contents of hits
	hits   map[string]int // created on first use
)

// hitTable returns the per-path counter table, creating it on first use.
func hitTable() map[string]int {
	m := hits // RACE-ALSO
	if m == nil {
		m = make(map[string]int)
		hits = m // RACE
	}
	return m
}

// Count wraps next and counts every request by URL path.
func Count(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t := hitTable()
		hitsMu.Lock()
		t[r.URL.Path]++
		hitsMu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// Stats writes the counters as "path count" lines, busiest first.
func Stats(w http.ResponseWriter, r *http.Request) {
	t := hitTable()
	type row struct {
		path string
		n    int
	}
	hitsMu.Lock()
	rows := make([]row, 0, len(t))
	for p, n := range t {
		rows = append(rows, row{p, n})
	}
	hitsMu.Unlock()
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].n != rows[j].n {
			return rows[i].n > rows[j].n
		}
		return rows[i].path < rows[j].path
	})
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	for _, rw := range rows {
		fmt.Fprintf(w, "%s %d\n", rw.path, rw.n)
	}
}
