// Package bug_d7 is the engine of a small ops CLI that runs a check against
// many hosts in parallel (think "fleet ping" or "cluster preflight") and
// prints a per-host report followed by a summary.
package bug_d7

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"text/tabwriter"
	"time"
)

// CheckFunc checks one host.
type CheckFunc func(ctx context.Context, host string) error

// HostResult is the outcome of the check on one host.
type HostResult struct {
	Host     string
	Duration time.Duration
	Err      error
}

// Report collects the results of a run.
type Report struct {
	Results []HostResult // one per host, in input order
	Slowest HostResult   // the slowest host, reported in the summary line
}

// Runner fans a check out over a fleet of hosts.
type Runner struct {
	Check    CheckFunc
	Parallel int  // maximum number of concurrent checks
	FailFast bool // cancel remaining checks after the first failure
}

// Run checks every host and returns the report together with the joined
// errors of the failed hosts.
func (r *Runner) Run(ctx context.Context, hosts []string) (*Report, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	par := r.Parallel
	if par < 1 {
		par = 1
	}
	sem := make(chan struct{}, par)
	rep := &Report{Results: make([]HostResult, len(hosts))}

	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	fail := func(host string, err error) {
		mu.Lock()
		errs = append(errs, fmt.Errorf("%s: %w", host, err))
		mu.Unlock()
		if r.FailFast {
			cancel()
		}
	}

	for i, h := range hosts {
		wg.Add(1)
		go func(i int, host string) {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				rep.Results[i] = HostResult{Host: host, Err: ctx.Err()}
				fail(host, ctx.Err())
				return
			}

			start := time.Now()
			err := r.Check(ctx, host)
			res := HostResult{Host: host, Duration: time.Since(start), Err: err}
			rep.Results[i] = res
			if res.Duration > rep.Slowest.Duration { // RACE-ALSO
				rep.Slowest = res // RACE
			}
			if err != nil {
				fail(host, err)
			}
		}(i, h)
	}
	wg.Wait()

	mu.Lock()
	defer mu.Unlock()
	if len(errs) == 0 {
		return rep, nil
	}
	return rep, MultiError(errs)
}

// MultiError is the error returned by Run when some hosts failed.
type MultiError []error

func (m MultiError) Error() string {
	msg := fmt.Sprintf("%d hosts failed", len(m))
	for _, err := range m {
		msg += "\n\t" + err.Error()
	}
	return msg
}

// Is reports whether any of the host errors matches target.
func (m MultiError) Is(target error) bool {
	for _, err := range m {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// Print writes the report as a table followed by a summary line.
func (rep *Report) Print(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "HOST\tTIME\tSTATUS")
	failed := 0
	for _, res := range rep.Results {
		status := "ok"
		if res.Err != nil {
			status = res.Err.Error()
			failed++
		}
		fmt.Fprintf(tw, "%s\t%v\t%s\n", res.Host, res.Duration.Round(time.Millisecond), status)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d hosts, %d failed, slowest %s (%v)\n",
		len(rep.Results), failed, rep.Slowest.Host, rep.Slowest.Duration.Round(time.Millisecond))
	return err
}
