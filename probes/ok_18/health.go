package ok_18

import (
	"context"
	"net/http"
	"sync"
	"time"
)

type Result struct {
	Endpoint string
	Healthy  bool
	Latency  time.Duration
}

// Checker probes backends concurrently.
type Checker struct {
	client  *http.Client
	timeout time.Duration
}

func NewChecker() *Checker {
	return &Checker{client: &http.Client{}, timeout: 2 * time.Second}
}

func (c *Checker) probe(url string) (bool, time.Duration) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/healthz", nil)
	if err != nil {
		return false, 0
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return false, time.Since(start)
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK, time.Since(start)
}

// CheckAll probes every endpoint; each goroutine owns exactly one slot of the
// preallocated result slice, and results are read only after Wait.
func (c *Checker) CheckAll(endpoints []string) []Result {
	results := make([]Result, len(endpoints))
	var wg sync.WaitGroup
	for i, ep := range endpoints {
		i, ep := i, ep
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, lat := c.probe(ep)
			results[i] = Result{Endpoint: ep, Healthy: ok, Latency: lat}
		}()
	}
	wg.Wait()

	healthy := make([]Result, 0, len(results))
	for _, r := range results {
		if r.Healthy {
			healthy = append(healthy, r)
		}
	}
	return append(healthy, unhealthy(results)...)
}

func unhealthy(rs []Result) []Result {
	var out []Result
	for _, r := range rs {
		if !r.Healthy {
			out = append(out, r)
		}
	}
	return out
}
