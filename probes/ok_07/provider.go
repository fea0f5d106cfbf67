package ok_07

import (
	"net/http"
	"sync"
	"time"
)

type APIClient struct {
	http    *http.Client
	baseURL string
}

// Provider lazily creates the API client exactly once.
type Provider struct {
	once    sync.Once
	baseURL string
	client  *APIClient
}

func NewProvider(base string) *Provider { return &Provider{baseURL: base} }

func (p *Provider) Client() *APIClient {
	p.once.Do(func() {
		p.client = &APIClient{http: &http.Client{Timeout: 5 * time.Second}, baseURL: p.baseURL}
	})
	return p.client
}

var (
	defaultOnce     sync.Once
	defaultProvider *Provider
)

func Default() *Provider {
	defaultOnce.Do(func() { defaultProvider = NewProvider("http://localhost:8080") })
	return defaultProvider
}

func PingMany(n int) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := Default().Client()
			resp, err := c.http.Get(c.baseURL + "/healthz")
			if err == nil {
				err = resp.Body.Close()
			}
			errs[i] = err
		}(i)
	}
	wg.Wait()
	return errs
}
