// Package bug_b7 runs periodic health probes against a set of endpoints
// and pages an on-call sink when one fails.
package bug_b7

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// ProbeFunc checks one endpoint.
type ProbeFunc func(ctx context.Context, url string) error

// AlertFunc delivers an alert; it may be slow (it typically calls a
// paging service).
type AlertFunc func(target string, err error) error

// Target is a monitored endpoint and the outcome of its latest probe.
type Target struct {
	Name      string
	URL       string
	lastErr   error
	alertedAt time.Time
}

// Checker probes all targets in parallel.
type Checker struct {
	probe   ProbeFunc
	alert   AlertFunc
	targets []*Target

	probes sync.WaitGroup // probe goroutines of the current round
	alerts sync.WaitGroup // alert deliveries, possibly spanning rounds
}

// NewChecker returns a checker for the given targets.
func NewChecker(probe ProbeFunc, alert AlertFunc, targets ...*Target) *Checker {
	return &Checker{probe: probe, alert: alert, targets: targets}
}

// RunOnce probes every target and returns a one-line-per-target report.
// Alerts are delivered asynchronously so that a slow pager does not delay
// the round.
func (c *Checker) RunOnce(ctx context.Context) string {
	for _, t := range c.targets {
		t := t
		c.probes.Add(1)
		go func() {
			defer c.probes.Done()
			pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			t.lastErr = c.probe(pctx, t.URL)
			if t.lastErr != nil {
				c.alerts.Add(1)
				go c.notify(t, t.lastErr)
			}
		}()
	}
	c.probes.Wait()

	var b strings.Builder
	for _, t := range c.targets {
		status := "up"
		if t.lastErr != nil {
			status = "down: " + t.lastErr.Error()
		}
		fmt.Fprintf(&b, "%-12s %s", t.Name, status)
		if at := t.alertedAt; !at.IsZero() { // RACE-ALSO
			fmt.Fprintf(&b, " (paged %s)", at.Format(time.RFC3339))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// notify delivers one alert and records when it was accepted.
func (c *Checker) notify(t *Target, err error) {
	defer c.alerts.Done()
	if c.alert(t.Name, err) == nil {
		t.alertedAt = time.Now() // RACE
	}
}

// Close waits for outstanding alerts to be delivered.
func (c *Checker) Close() {
	c.alerts.Wait()
}
