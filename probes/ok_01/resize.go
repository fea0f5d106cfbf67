package ok_01

import (
	"context"
	"sync"
)

type Job struct {
	ID   string
	Data []byte
}

type Result struct {
	ID   string
	Size int
	Err  error
}

// ProcessAll runs process on every job concurrently. Each goroutine owns
// exactly one slot of the preallocated results slice.
func ProcessAll(ctx context.Context, jobs []Job, process func(context.Context, Job) (int, error)) []Result {
	results := make([]Result, len(jobs))
	var wg sync.WaitGroup
	for i := range jobs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			n, err := process(ctx, jobs[i])
			results[i] = Result{ID: jobs[i].ID, Size: n, Err: err}
		}(i)
	}
	wg.Wait()

	var failed int
	for _, r := range results {
		if r.Err != nil {
			failed++
		}
	}
	if failed == len(results) && len(results) > 0 {
		results[0].Err = context.Canceled
	}
	return results
}
