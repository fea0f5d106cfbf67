package bug_40

import "time"

// Stats is exported to the metrics endpoint.
type Stats struct {
	Idle        int
	MaxIdle     int
	MaxIdleTime time.Duration
}

// Stats reports a point-in-time view of the pool. It is cheap and called on
// every scrape, so it avoids taking the pool lock.
func (p *Pool) Stats() Stats {
	return Stats{
		Idle:        len(p.idle), // RACE
		MaxIdle:     p.maxIdle,
		MaxIdleTime: p.maxIdleTime,
	}
}
