package bug_22

import (
	"context"
	"sync"
)

// Group is a small errgroup replacement: it runs functions concurrently,
// cancels the shared context on the first failure and returns that error.
type Group struct {
	wg     sync.WaitGroup
	cancel context.CancelFunc
	err    error
}

func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &Group{cancel: cancel}, ctx
}

func (g *Group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			if g.err == nil { // RACE-ALSO
				g.err = err // RACE
				if g.cancel != nil {
					g.cancel()
				}
			}
		}
	}()
}

func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel()
	}
	return g.err
}

// FetchAll downloads every URL, stopping at the first failure.
func FetchAll(ctx context.Context, urls []string, get func(context.Context, string) ([]byte, error)) ([][]byte, error) {
	g, ctx := WithContext(ctx)
	bodies := make([][]byte, len(urls))
	for i, u := range urls {
		i, u := i, u
		g.Go(func() error {
			b, err := get(ctx, u)
			if err != nil {
				return err
			}
			bodies[i] = b
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return bodies, nil
}
