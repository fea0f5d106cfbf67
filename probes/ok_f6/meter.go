// Package ok_f6 measures request latencies. The Meter guards its state with
// a channel of capacity one used as a lock, and hands out copies of its
// statistics that callers may use without any synchronisation.
package ok_f6

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Stats is a summary of the observations made so far.
type Stats struct {
	Count  int
	Errors int
	Total  time.Duration
	Max    time.Duration
	Recent []time.Duration // most recent observations, oldest first
}

// Mean returns the mean latency.
func (s Stats) Mean() time.Duration {
	if s.Count == 0 {
		return 0
	}
	return s.Total / time.Duration(s.Count)
}

// Meter records latencies. It is safe for concurrent use.
type Meter struct {
	sem    chan struct{} // capacity 1; holding the token means holding the lock
	window int

	stats Stats
	ring  []time.Duration
	next  int
}

// NewMeter returns a Meter that remembers the last window observations.
func NewMeter(window int) *Meter {
	if window <= 0 {
		window = 1
	}
	return &Meter{sem: make(chan struct{}, 1), window: window, ring: make([]time.Duration, 0, window)}
}

func (m *Meter) lock()   { m.sem <- struct{}{} }
func (m *Meter) unlock() { <-m.sem }

// Observe records one request that took d; failed marks an error.
func (m *Meter) Observe(d time.Duration, failed bool) {
	m.lock()
	defer m.unlock()
	m.stats.Count++
	m.stats.Total += d
	if d > m.stats.Max {
		m.stats.Max = d
	}
	if failed {
		m.stats.Errors++
	}
	if len(m.ring) < m.window {
		m.ring = append(m.ring, d)
	} else {
		m.ring[m.next] = d
	}
	m.next = (m.next + 1) % m.window
}

// Time runs f and records how long it took.
func (m *Meter) Time(f func() error) error {
	start := time.Now()
	err := f()
	m.Observe(time.Since(start), err != nil)
	return err
}

// Snapshot returns a copy of the current statistics. The Recent slice is a
// fresh copy and never aliases the meter's ring buffer.
func (m *Meter) Snapshot() Stats {
	m.lock()
	s := m.snapshotLocked()
	m.unlock()
	return s
}

// Reset clears all statistics and returns the ones collected before.
func (m *Meter) Reset() Stats {
	m.lock()
	defer m.unlock()
	old := m.snapshotLocked()
	m.stats = Stats{}
	m.ring = m.ring[:0]
	m.next = 0
	return old
}

// snapshotLocked copies the statistics. The caller must hold the lock.
func (m *Meter) snapshotLocked() Stats {
	s := m.stats
	recent := make([]time.Duration, 0, len(m.ring))
	if len(m.ring) == m.window {
		recent = append(recent, m.ring[m.next:]...)
		recent = append(recent, m.ring[:m.next]...)
	} else {
		recent = append(recent, m.ring...)
	}
	s.Recent = recent
	return s
}

// Report formats a snapshot for humans. The snapshot is processed without
// holding the meter's lock.
func (m *Meter) Report() string {
	s := m.Snapshot()
	sort.Slice(s.Recent, func(i, j int) bool { return s.Recent[i] < s.Recent[j] })
	var b strings.Builder
	fmt.Fprintf(&b, "count=%d errors=%d mean=%v max=%v", s.Count, s.Errors, s.Mean(), s.Max)
	if n := len(s.Recent); n > 0 {
		fmt.Fprintf(&b, " p50(recent)=%v", s.Recent[n/2])
	}
	return b.String()
}
