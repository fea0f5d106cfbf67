// Package bug_c1 implements a bounded pool of reusable connections.
//
// The pool keeps at most MaxIdle idle connections and at most MaxOpen open
// connections in total. Callers that ask for a connection while the pool is
// at capacity are queued and served in FIFO order as connections are returned.
package bug_c1

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrClosed is returned by Get after the pool has been closed.
var ErrClosed = errors.New("pool: closed")

// Conn is a pooled connection.
type Conn struct {
	id      int
	created time.Time
	closed  bool
}

// ID returns the pool-assigned identifier of the connection.
func (c *Conn) ID() int { return c.id }

func (c *Conn) close() { c.closed = true }

// Config configures a Pool.
type Config struct {
	MaxOpen int // 0 means unlimited
	MaxIdle int
	Dial    func(ctx context.Context) (*Conn, error)
}

// Stats is a point-in-time snapshot of pool usage.
type Stats struct {
	Open      int
	Idle      int
	WaitCount int
}

// Pool is a pool of connections.
// A Pool is safe for concurrent use by multiple goroutines.
type Pool struct {
	cfg Config

	mu        sync.Mutex
	idle      []*Conn
	waiters   []chan *Conn
	numOpen   int
	nextID    int
	waitCount int
	closed    bool
}

// New returns a pool using cfg.
func New(cfg Config) *Pool {
	if cfg.Dial == nil {
		cfg.Dial = func(context.Context) (*Conn, error) {
			return &Conn{created: time.Now()}, nil
		}
	}
	return &Pool{cfg: cfg}
}

// Get returns an idle connection, dials a new one, or waits for one to be
// returned if the pool is at MaxOpen.
func (p *Pool) Get(ctx context.Context) (*Conn, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, ErrClosed
	}
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	if p.cfg.MaxOpen > 0 && p.numOpen >= p.cfg.MaxOpen {
		ch := make(chan *Conn, 1)
		p.waiters = append(p.waiters, ch)
		p.waitCount++
		p.mu.Unlock()
		return p.wait(ctx, ch)
	}
	p.numOpen++ // RACE-ALSO
	p.nextID++
	id := p.nextID
	p.mu.Unlock()

	c, err := p.cfg.Dial(ctx)
	if err != nil {
		p.mu.Lock()
		p.numOpen--
		p.mu.Unlock()
		return nil, err
	}
	c.id = id
	return c, nil
}

func (p *Pool) wait(ctx context.Context, ch chan *Conn) (*Conn, error) {
	select {
	case c, ok := <-ch:
		if !ok {
			return nil, ErrClosed
		}
		return c, nil
	case <-ctx.Done():
		p.mu.Lock()
		for i, w := range p.waiters {
			if w == ch {
				p.waiters = append(p.waiters[:i], p.waiters[i+1:]...)
				break
			}
		}
		p.mu.Unlock()
		// A connection may have been handed to us before we dequeued.
		select {
		case c, ok := <-ch:
			if ok {
				p.Put(c)
			}
		default:
		}
		return nil, ctx.Err()
	}
}

// Put returns c to the pool. If a caller is waiting, c is handed to it
// directly; otherwise c is kept idle or closed if the idle list is full.
func (p *Pool) Put(c *Conn) {
	p.mu.Lock()
	if len(p.waiters) > 0 && !p.closed {
		ch := p.waiters[0]
		p.waiters = p.waiters[1:]
		ch <- c // buffered; never blocks
		p.mu.Unlock()
		return
	}
	if p.closed || len(p.idle) >= p.cfg.MaxIdle {
		p.mu.Unlock()
		c.close()
		p.numOpen-- // RACE
		return
	}
	p.idle = append(p.idle, c)
	p.mu.Unlock()
}

// Stats returns current usage statistics.
func (p *Pool) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return Stats{Open: p.numOpen, Idle: len(p.idle), WaitCount: p.waitCount}
}

// String implements fmt.Stringer for debugging.
func (p *Pool) String() string {
	s := p.Stats()
	return fmt.Sprintf("pool(open=%d idle=%d waits=%d)", s.Open, s.Idle, s.WaitCount)
}

// Close closes all idle connections and fails pending waiters. Connections
// currently checked out are closed when they are Put back.
func (p *Pool) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	p.closed = true
	for _, c := range p.idle {
		c.close()
		p.numOpen--
	}
	p.idle = nil
	for _, ch := range p.waiters {
		close(ch)
	}
	p.waiters = nil
	return nil
}
