// Package ok_a3 manages a pool of idle upstream connections keyed by
// address, with a background reaper that closes connections that have
// been idle for too long.
package ok_a3

import (
	"io"
	"sync"
	"time"
)

type idleConn struct {
	c        io.Closer
	returned time.Time
}

// Pool keeps idle connections for reuse.
type Pool struct {
	mu       sync.Mutex
	idle     map[string][]idleConn
	count    int
	maxIdle  time.Duration
	stop     chan struct{}
	wg       sync.WaitGroup
	closed   bool
	reclaims int
}

// NewPool starts a pool whose reaper runs every interval.
func NewPool(maxIdle, interval time.Duration) *Pool {
	p := &Pool{
		idle:    make(map[string][]idleConn),
		maxIdle: maxIdle,
		stop:    make(chan struct{}),
	}
	p.wg.Add(1)
	go p.reaper(interval)
	return p
}

// Put returns a connection to the pool. It is closed immediately if the
// pool has been shut down.
func (p *Pool) Put(addr string, c io.Closer) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		c.Close()
		return
	}
	p.idle[addr] = append(p.idle[addr], idleConn{c: c, returned: time.Now()})
	p.count++
	p.mu.Unlock()
}

// Get takes the most recently returned connection for addr, if any.
func (p *Pool) Get(addr string) (io.Closer, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	conns := p.idle[addr]
	if len(conns) == 0 {
		return nil, false
	}
	ic := conns[len(conns)-1]
	p.removeLocked(addr, len(conns)-1)
	return ic.c, true
}

// removeLocked drops the i-th idle connection for addr. p.mu must be held.
func (p *Pool) removeLocked(addr string, i int) {
	conns := p.idle[addr]
	conns = append(conns[:i], conns[i+1:]...)
	if len(conns) == 0 {
		delete(p.idle, addr)
	} else {
		p.idle[addr] = conns
	}
	p.count--
}

func (p *Pool) reaper(interval time.Duration) {
	defer p.wg.Done()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case now := <-t.C:
			var stale []io.Closer
			p.mu.Lock()
			for addr, conns := range p.idle {
				for i := len(conns) - 1; i >= 0; i-- {
					if now.Sub(conns[i].returned) > p.maxIdle {
						stale = append(stale, conns[i].c)
						p.removeLocked(addr, i)
						conns = p.idle[addr]
					}
				}
			}
			p.reclaims += len(stale)
			p.mu.Unlock()
			for _, c := range stale {
				c.Close()
			}
		}
	}
}

// Stats returns the number of idle connections and how many the reaper
// has closed.
func (p *Pool) Stats() (idle, reclaimed int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.count, p.reclaims
}

// Idle returns a copy of the idle connection counts per address.
func (p *Pool) Idle() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]int, len(p.idle))
	for addr, conns := range p.idle {
		out[addr] = len(conns)
	}
	return out
}

// Close stops the reaper and closes every idle connection.
func (p *Pool) Close() {
	close(p.stop)
	p.wg.Wait()
	p.mu.Lock()
	p.closed = true
	all := p.idle
	p.idle = make(map[string][]idleConn)
	p.count = 0
	p.mu.Unlock()
	for _, conns := range all {
		for _, ic := range conns {
			ic.c.Close()
		}
	}
}
