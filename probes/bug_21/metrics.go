package bug_21

import (
	"net/http"
	"strconv"
	"sync"
)

type Event struct {
	Kind   string
	Status int
}

// Collector aggregates events emitted by request handlers.
type Collector struct {
	mu     sync.Mutex
	counts map[string]int
}

func NewCollector() *Collector { return &Collector{counts: make(map[string]int)} }

func (c *Collector) Handle(w http.ResponseWriter, r *http.Request) {
	ev := Event{Kind: r.URL.Query().Get("kind")}
	ev.Status, _ = strconv.Atoi(r.URL.Query().Get("status"))
	c.record(ev)
	w.WriteHeader(http.StatusNoContent)
}

func (c *Collector) record(ev Event) {
	if ev.Kind == "" {
		ev.Kind = "unknown"
	}
	c.bump(ev.Kind)
	if ev.Status >= 500 {
		c.bump(ev.Kind + ".error")
	}
}

func (c *Collector) bump(key string) {
	c.counts[key]++ // RACE
}

// Snapshot is served on /metrics.
func (c *Collector) Snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.counts))
	for k, v := range c.counts { // RACE-ALSO
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
