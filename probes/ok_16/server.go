package ok_16

import (
	"encoding/json"
	"math/rand"
	"net/http"
	"sort"
	"sync"
	"time"
)

type hitCounter struct {
	mu   sync.Mutex
	hits map[string]int
}

func (h *hitCounter) track(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.hits[r.URL.Path]++
		h.mu.Unlock()
		next(w, r)
	}
}

func (h *hitCounter) snapshot() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	cp := make(map[string]int, len(h.hits))
	for k, v := range h.hits {
		cp[k] = v
	}
	return cp
}

func (h *hitCounter) stats(w http.ResponseWriter, r *http.Request) {
	type row struct {
		Path string `json:"path"`
		Hits int    `json:"hits"`
	}
	var rows []row
	for p, n := range h.snapshot() {
		rows = append(rows, row{p, n})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Hits > rows[j].Hits })
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(rows)
}

func NewMux() *http.ServeMux {
	h := &hitCounter{hits: make(map[string]int)}
	mux := http.NewServeMux()
	mux.HandleFunc("/", h.track(func(w http.ResponseWriter, r *http.Request) {
		// top-level rand functions are safe for concurrent use
		time.Sleep(time.Duration(rand.Intn(5)) * time.Millisecond)
		_, _ = w.Write([]byte("hello\n"))
	}))
	mux.HandleFunc("/debug/hits", h.stats)
	return mux
}
