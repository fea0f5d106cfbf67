// Package bug_c5 is a small RPC-style client that connects lazily.
//
// NewClient never performs I/O; the underlying transport is established on
// the first call that needs it and shared by all subsequent calls.
package bug_c5

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// ErrClosed is returned by calls made after Close.
var ErrClosed = errors.New("client: closed")

// Options configures a Client.
type Options struct {
	DialTimeout time.Duration
	UserAgent   string
}

type transport struct {
	addr    string
	agent   string
	created time.Time
	calls   uint64 // atomic
	closed  uint32 // atomic
}

func dial(ctx context.Context, addr string, opts Options) (*transport, error) {
	if addr == "" {
		return nil, errors.New("client: empty address")
	}
	if opts.DialTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.DialTimeout)
		defer cancel()
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &transport{addr: addr, agent: opts.UserAgent, created: time.Now()}, nil
}

func (t *transport) roundTrip(ctx context.Context, method string, req []byte) ([]byte, error) {
	if atomic.LoadUint32(&t.closed) != 0 {
		return nil, ErrClosed
	}
	n := atomic.AddUint64(&t.calls, 1)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return []byte(fmt.Sprintf("%s#%d:%d", method, n, len(req))), nil
}

// Client issues calls against a single remote address.
// A Client is safe for concurrent use by multiple goroutines.
type Client struct {
	addr string
	opts Options

	mu     sync.Mutex
	tr     *transport
	closed bool
}

// NewClient returns a client for addr. No connection is made until the first
// call.
func NewClient(addr string, opts Options) *Client {
	return &Client{addr: addr, opts: opts}
}

// transport returns the shared transport, dialing it on first use. The fast
// path avoids the mutex once the transport exists.
func (c *Client) transport(ctx context.Context) (*transport, error) {
	if t := c.tr; t != nil { // RACE
		return t, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, ErrClosed
	}
	if c.tr == nil {
		t, err := dial(ctx, c.addr, c.opts)
		if err != nil {
			return nil, err
		}
		c.tr = t // RACE-ALSO
	}
	return c.tr, nil
}

// Call invokes method with the request body req.
func (c *Client) Call(ctx context.Context, method string, req []byte) ([]byte, error) {
	t, err := c.transport(ctx)
	if err != nil {
		return nil, err
	}
	return t.roundTrip(ctx, method, req)
}

// Calls returns the number of calls issued so far, or 0 if the client has
// not connected yet.
func (c *Client) Calls() uint64 {
	c.mu.Lock()
	t := c.tr
	c.mu.Unlock()
	if t == nil {
		return 0
	}
	return atomic.LoadUint64(&t.calls)
}

// Close releases the transport. Subsequent calls fail with ErrClosed.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	c.closed = true
	if c.tr != nil {
		atomic.StoreUint32(&c.tr.closed, 1)
	}
	return nil
}
