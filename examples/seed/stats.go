package seed

import "sync/atomic"

// Stats uses typed atomics: no lock needed, no race.
type Stats struct {
	requestCount atomic.Int64
	errorCount   atomic.Int64
	isHealthy    atomic.Bool
}

// RecordRequest counts a request and its error.
func (s *Stats) RecordRequest(err error) {
	s.requestCount.Add(1)
	if err != nil {
		s.errorCount.Add(1)
	}
}

// GetErrorRate reads both counters atomically.
func (s *Stats) GetErrorRate() float64 {
	total := s.requestCount.Load()
	if total == 0 {
		return 0
	}
	return float64(s.errorCount.Load()) / float64(total)
}

var hits int64

// Hit counts with an atomic add.
func Hit() { atomic.AddInt64(&hits, 1) }

// Hits reads the same variable plainly: mixed atomic and plain access.
func Hits() int64 { return hits } // RACE: plain read of an atomically written variable
