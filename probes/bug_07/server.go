package bug_07

import (
	"encoding/json"
	"net/http"
	"sort"
)

type hitCounter struct {
	hits map[string]int
}

func (h *hitCounter) track(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h.hits[r.URL.Path]++ // RACE
		next(w, r)
	}
}

func (h *hitCounter) stats(w http.ResponseWriter, r *http.Request) {
	type row struct {
		Path string `json:"path"`
		Hits int    `json:"hits"`
	}
	rows := make([]row, 0, len(h.hits))
	for p, n := range h.hits { // RACE-ALSO
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
		_, _ = w.Write([]byte("hello\n"))
	}))
	mux.HandleFunc("/api/items", h.track(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("[]\n"))
	}))
	mux.HandleFunc("/debug/hits", h.stats)
	return mux
}

func ListenAndServe(addr string) error {
	return http.ListenAndServe(addr, NewMux())
}
