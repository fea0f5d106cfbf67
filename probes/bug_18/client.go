package bug_18

import (
	"net/http"
	"sync"
	"time"
)

type APIClient struct {
	http    *http.Client
	baseURL string
}

func newAPIClient(base string) *APIClient {
	return &APIClient{
		http:    &http.Client{Timeout: 5 * time.Second},
		baseURL: base,
	}
}

// Provider lazily creates the API client the first time it is needed.
type Provider struct {
	mu      sync.Mutex
	baseURL string
	client  *APIClient
}

func NewProvider(base string) *Provider { return &Provider{baseURL: base} }

func (p *Provider) Client() *APIClient {
	if p.client == nil { // RACE
		p.mu.Lock()
		if p.client == nil {
			p.client = newAPIClient(p.baseURL) // RACE-ALSO
		}
		p.mu.Unlock()
	}
	return p.client
}

func (p *Provider) Ping() error {
	c := p.Client()
	resp, err := c.http.Get(c.baseURL + "/healthz")
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func PingMany(p *Provider, n int) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = p.Ping()
		}(i)
	}
	wg.Wait()
	return errs
}
