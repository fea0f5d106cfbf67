// Package ok_c1 implements a bounded pool of reusable connections.
//
// Callers that ask for a connection while the pool is at capacity are queued
// and handed a connection directly, over a channel, when one is returned.
package ok_c1

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrClosed is returned by Get after the pool has been closed.
var ErrClosed = errors.New("pool: closed")

// Conn is a pooled connection. A Conn is owned by exactly one goroutine at a
// time: the pool while idle, the caller between Get and Put.
type Conn struct {
	id       int
	created  time.Time
	lastUsed time.Time
	uses     int
	closed   bool
}

// ID returns the pool-assigned identifier of the connection.
func (c *Conn) ID() int { return c.id }

// Touch records a use of the connection by its current owner.
func (c *Conn) Touch() {
	c.uses++
	c.lastUsed = time.Now()
}

// Config configures a Pool.
type Config struct {
	MaxOpen int // 0 means unlimited
	MaxIdle int
}

// Pool is a pool of connections.
// A Pool is safe for concurrent use by multiple goroutines.
type Pool struct {
	cfg Config

	mu      sync.Mutex // guards the fields below
	idle    []*Conn
	waiters []chan *Conn
	numOpen int
	nextID  int
	closed  bool
}

// New returns a pool using cfg.
func New(cfg Config) *Pool { return &Pool{cfg: cfg} }

// canOpenLocked reports whether another connection may be opened.
// p.mu must be held.
func (p *Pool) canOpenLocked() bool {
	return p.cfg.MaxOpen <= 0 || p.numOpen < p.cfg.MaxOpen
}

// releaseLocked accounts for a connection that is being closed.
// p.mu must be held.
func (p *Pool) releaseLocked(c *Conn) {
	c.closed = true
	p.numOpen--
}

// Get returns an idle connection, opens a new one, or waits for one to be
// returned by another caller.
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
		c.Touch()
		return c, nil
	}
	if !p.canOpenLocked() {
		ch := make(chan *Conn, 1)
		p.waiters = append(p.waiters, ch)
		p.mu.Unlock()
		select {
		case c, ok := <-ch:
			if !ok {
				return nil, ErrClosed
			}
			c.Touch()
			return c, nil
		case <-ctx.Done():
			p.mu.Lock()
			p.removeWaiterLocked(ch)
			p.mu.Unlock()
			// Put sends while holding p.mu, so anything handed to us is
			// already buffered in ch.
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
	p.numOpen++
	p.nextID++
	c := &Conn{id: p.nextID, created: time.Now()}
	p.mu.Unlock()
	c.Touch()
	return c, nil
}

func (p *Pool) removeWaiterLocked(ch chan *Conn) {
	for i, w := range p.waiters {
		if w == ch {
			p.waiters = append(p.waiters[:i], p.waiters[i+1:]...)
			return
		}
	}
}

// Put returns c to the pool. The caller must not use c afterwards.
func (p *Pool) Put(c *Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.waiters) > 0 && !p.closed {
		ch := p.waiters[0]
		p.waiters = p.waiters[1:]
		ch <- c // buffered, never blocks; ownership moves to the waiter
		return
	}
	if p.closed || len(p.idle) >= p.cfg.MaxIdle {
		p.releaseLocked(c)
		return
	}
	p.idle = append(p.idle, c)
}

// Open returns the number of open connections.
func (p *Pool) Open() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.numOpen
}

// String implements fmt.Stringer for debugging.
func (p *Pool) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return fmt.Sprintf("pool(open=%d idle=%d waiters=%d)", p.numOpen, len(p.idle), len(p.waiters))
}

// Close closes idle connections and fails pending waiters.
func (p *Pool) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	p.closed = true
	for _, c := range p.idle {
		p.releaseLocked(c)
	}
	p.idle = nil
	for _, ch := range p.waiters {
		close(ch)
	}
	p.waiters = nil
	return nil
}
