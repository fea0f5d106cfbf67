// Package ok_a6 provides an HTTP-style API client with retry and
// exponential backoff. Per-host backoff state is created lazily.
package ok_a6

import (
	"errors"
	"sync"
	"time"
)

// Options controls retry behaviour. It is copied into the client and
// never modified afterwards.
type Options struct {
	MaxAttempts int
	BaseDelay   time.Duration
	MaxDelay    time.Duration
	Sleep       func(time.Duration)
}

type hostState struct {
	mu       sync.Mutex
	failures int
}

// Client issues calls with retries.
type Client struct {
	opts Options

	initOnce sync.Once
	hostsMu  sync.RWMutex
	hosts    map[string]*hostState
}

// New creates a client. Zero option values are replaced by defaults.
func New(opts Options) *Client {
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 3
	}
	if opts.BaseDelay <= 0 {
		opts.BaseDelay = 50 * time.Millisecond
	}
	if opts.MaxDelay <= 0 {
		opts.MaxDelay = 2 * time.Second
	}
	if opts.Sleep == nil {
		opts.Sleep = time.Sleep
	}
	return &Client{opts: opts}
}

func (c *Client) state(host string) *hostState {
	c.initOnce.Do(func() { c.hosts = make(map[string]*hostState) })

	c.hostsMu.RLock()
	st := c.hosts[host]
	c.hostsMu.RUnlock()
	if st != nil {
		return st
	}

	c.hostsMu.Lock()
	defer c.hostsMu.Unlock()
	if st = c.hosts[host]; st == nil {
		st = &hostState{}
		c.hosts[host] = st
	}
	return st
}

// ErrExhausted is returned when every attempt failed.
var ErrExhausted = errors.New("client: retries exhausted")

// Do calls fn against host until it succeeds or attempts run out. The
// backoff grows with the number of consecutive failures seen for host.
func (c *Client) Do(host string, fn func() error) error {
	st := c.state(host)
	for attempt := 0; attempt < c.opts.MaxAttempts; attempt++ {
		err := fn()
		st.mu.Lock()
		if err == nil {
			st.failures = 0
			st.mu.Unlock()
			return nil
		}
		st.failures++
		n := st.failures
		st.mu.Unlock()
		c.opts.Sleep(c.backoff(n))
	}
	return ErrExhausted
}

func (c *Client) backoff(failures int) time.Duration {
	d := c.opts.BaseDelay
	for i := 1; i < failures && d < c.opts.MaxDelay; i++ {
		d *= 2
	}
	if d > c.opts.MaxDelay {
		d = c.opts.MaxDelay
	}
	return d
}

// Failures returns the current consecutive failure count for host.
func (c *Client) Failures(host string) int {
	st := c.state(host)
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.failures
}
