package ok_13

import (
	"context"
	"sync"
)

// Group runs functions concurrently and records the first error.
type Group struct {
	wg      sync.WaitGroup
	errOnce sync.Once
	err     error
	cancel  context.CancelFunc
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
			g.errOnce.Do(func() {
				g.err = err
				if g.cancel != nil {
					g.cancel()
				}
			})
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
