package bug_40

import (
	"errors"
	"net"
	"sync"
	"time"
)

var ErrClosed = errors.New("pool: closed")

type idleConn struct {
	conn     net.Conn
	returned time.Time
}

// Pool keeps a bounded set of idle TCP connections to one upstream.
type Pool struct {
	dial        func() (net.Conn, error)
	maxIdle     int
	maxIdleTime time.Duration

	mu     sync.Mutex
	idle   []idleConn
	closed bool
	done   chan struct{}
}

// New creates a pool and starts the idle reaper.
func New(dial func() (net.Conn, error), maxIdle int, maxIdleTime time.Duration) *Pool {
	p := &Pool{
		dial:        dial,
		maxIdle:     maxIdle,
		maxIdleTime: maxIdleTime,
		done:        make(chan struct{}),
	}
	go p.reapLoop()
	return p
}

func (p *Pool) reapLoop() {
	t := time.NewTicker(p.maxIdleTime / 2)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return
		case now := <-t.C:
			p.mu.Lock()
			kept := make([]idleConn, 0, len(p.idle))
			for _, ic := range p.idle {
				if now.Sub(ic.returned) > p.maxIdleTime {
					ic.conn.Close()
					continue
				}
				kept = append(kept, ic)
			}
			p.idle = kept // RACE-ALSO
			p.mu.Unlock()
		}
	}
}

// Get returns an idle connection or dials a new one.
func (p *Pool) Get() (net.Conn, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, ErrClosed
	}
	if n := len(p.idle); n > 0 {
		ic := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return ic.conn, nil
	}
	p.mu.Unlock()
	return p.dial()
}

// Put returns a connection to the pool.
func (p *Pool) Put(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || len(p.idle) >= p.maxIdle {
		c.Close()
		return
	}
	p.idle = append(p.idle, idleConn{conn: c, returned: time.Now()})
}

// Close closes all idle connections and stops the reaper.
func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		p.closed = true
		close(p.done)
	}
}
