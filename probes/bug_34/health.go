package bug_34

import (
	"context"
	"log"
	"net/http"
	"sync"
	"time"
)

// Checker probes a set of backend endpoints and records which are healthy.
type Checker struct {
	client  *http.Client
	timeout time.Duration
	logger  *log.Logger

	mu     sync.Mutex
	status map[string]bool
}

func NewChecker(logger *log.Logger) *Checker {
	return &Checker{
		client:  &http.Client{},
		timeout: 2 * time.Second,
		logger:  logger,
		status:  make(map[string]bool),
	}
}

func (c *Checker) probe(url string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/healthz", nil)
	if err != nil {
		return false
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func (c *Checker) record(url string, healthy bool) {
	c.mu.Lock()
	c.status[url] = healthy
	c.mu.Unlock()
}

// CheckAll probes every endpoint concurrently and returns a snapshot of the
// health table.
func (c *Checker) CheckAll(endpoints []string) map[string]bool {
	var wg sync.WaitGroup
	scheduled := 0
	for _, ep := range endpoints { // RACE-ALSO
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.record(ep, c.probe(ep)) // RACE
		}()
		scheduled++
	}
	c.logger.Printf("health: scheduled %d probes", scheduled)
	wg.Wait()

	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]bool, len(c.status))
	for k, v := range c.status {
		out[k] = v
	}
	return out
}
