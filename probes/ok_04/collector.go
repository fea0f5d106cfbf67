package ok_04

import (
	"net/http"
	"strconv"
	"sync"
)

type Event struct {
	Kind   string
	Status int
}

type Collector struct {
	mu     sync.Mutex
	counts map[string]int
}

func NewCollector() *Collector { return &Collector{counts: make(map[string]int)} }

func (c *Collector) Handle(w http.ResponseWriter, r *http.Request) {
	ev := Event{Kind: r.URL.Query().Get("kind")}
	ev.Status, _ = strconv.Atoi(r.URL.Query().Get("status"))
	c.mu.Lock()
	c.recordLocked(ev)
	c.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// recordLocked requires c.mu to be held.
func (c *Collector) recordLocked(ev Event) {
	if ev.Kind == "" {
		ev.Kind = "unknown"
	}
	c.bumpLocked(ev.Kind)
	if ev.Status >= 500 {
		c.bumpLocked(ev.Kind + ".error")
	}
}

// bumpLocked requires c.mu to be held.
func (c *Collector) bumpLocked(key string) {
	c.counts[key]++
}

func (c *Collector) Snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.counts))
	for k, v := range c.counts {
		out[k] = v
	}
	return out
}

func (c *Collector) Register(mux *http.ServeMux) {
	mux.HandleFunc("/event", c.Handle)
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		for k, v := range c.Snapshot() {
			_, _ = w.Write([]byte(k + " " + strconv.Itoa(v) + "\n"))
		}
	})
}
