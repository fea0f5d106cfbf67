package bug_04

import (
	"errors"
	"net"
	"sync"
	"time"
)

var ErrPoolClosed = errors.New("pool: closed")

type Pool struct {
	mu     sync.Mutex
	idle   []net.Conn
	closed bool
	dial   func() (net.Conn, error)
}

func New(dial func() (net.Conn, error)) *Pool {
	return &Pool{dial: dial}
}

// Get returns an idle connection or dials a new one.
func (p *Pool) Get() (net.Conn, error) {
	if p.closed { // RACE
		return nil, ErrPoolClosed
	}
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	p.mu.Unlock()
	return p.dial()
}

func (p *Pool) Put(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.Close()
		return
	}
	p.idle = append(p.idle, c)
}

func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true // RACE-ALSO
	for _, c := range p.idle {
		c.Close()
	}
	p.idle = nil
}

// Drain is used on shutdown: requests in flight keep using the pool while
// it is being closed after a grace period.
func Drain(p *Pool, grace time.Duration, inflight int) {
	for i := 0; i < inflight; i++ {
		go func() {
			if c, err := p.Get(); err == nil {
				p.Put(c)
			}
		}()
	}
	time.Sleep(grace)
	p.Close()
}
