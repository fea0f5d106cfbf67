// Package ok_c4 is a small RPC-style client that connects lazily and retries
// failed calls according to a Backoff policy.
package ok_c4

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// Backoff lists the delays between retry attempts. Backoff is a value type:
// its methods never modify the receiver, and values may be shared freely
// between goroutines.
type Backoff struct {
	delays []time.Duration
}

// Exponential returns a backoff of steps delays starting at base, doubling.
func Exponential(base time.Duration, steps int) Backoff {
	d := make([]time.Duration, steps)
	for i := range d {
		d[i] = base << uint(i)
	}
	return Backoff{delays: d}
}

// Scaled returns a copy of b with every delay multiplied by f.
func (b Backoff) Scaled(f float64) Backoff {
	out := make([]time.Duration, len(b.delays))
	for i, d := range b.delays {
		out[i] = time.Duration(float64(d) * f)
	}
	return Backoff{delays: out}
}

// Attempts returns the number of attempts the policy allows.
func (b Backoff) Attempts() int { return len(b.delays) + 1 }

// Delay returns the delay before retry n (0-based).
func (b Backoff) Delay(n int) time.Duration {
	if n >= len(b.delays) {
		return 0
	}
	return b.delays[n]
}

// Options configures a Client.
type Options struct {
	Backoff Backoff
	Dial    func(ctx context.Context, addr string) (Transport, error)
}

// Transport performs a single call.
type Transport interface {
	RoundTrip(ctx context.Context, method string, req []byte) ([]byte, error)
}

// Client issues calls against one address.
// A Client is safe for concurrent use by multiple goroutines.
type Client struct {
	addr  string
	opts  Options
	calls uint64 // atomic

	once    sync.Once
	tr      Transport // written once inside once.Do
	dialErr error     // written once inside once.Do
}

// NewClient returns a client for addr. No connection is made until the first
// call.
func NewClient(addr string, opts Options) *Client {
	if opts.Dial == nil {
		opts.Dial = func(context.Context, string) (Transport, error) {
			return nil, errors.New("client: no dialer")
		}
	}
	return &Client{addr: addr, opts: opts}
}

// transport dials on first use. All callers observe the same result.
func (c *Client) transport(ctx context.Context) (Transport, error) {
	c.once.Do(func() {
		c.tr, c.dialErr = c.opts.Dial(ctx, c.addr)
	})
	return c.tr, c.dialErr
}

// Call invokes method, retrying transient failures per the client backoff.
func (c *Client) Call(ctx context.Context, method string, req []byte) ([]byte, error) {
	return c.CallWith(ctx, c.opts.Backoff, method, req)
}

// CallWith is like Call but uses the given backoff policy.
func (c *Client) CallWith(ctx context.Context, b Backoff, method string, req []byte) ([]byte, error) {
	tr, err := c.transport(ctx)
	if err != nil {
		return nil, err
	}
	var resp []byte
	for attempt := 0; attempt < b.Attempts(); attempt++ {
		atomic.AddUint64(&c.calls, 1)
		resp, err = tr.RoundTrip(ctx, method, req)
		if err == nil {
			return resp, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(b.Delay(attempt)):
		}
	}
	return nil, err
}

// Calls returns the number of round trips attempted.
func (c *Client) Calls() uint64 { return atomic.LoadUint64(&c.calls) }
