// Model of package golang.org/x/sync/errgroup for racelens, with the signatures of the real
// API (x/sync v0.10). Bodies are placeholders.

package errgroup

import (
	"context"
	"sync"
)

type token struct{}

// A Group is a collection of goroutines working on subtasks that are part of the same
// overall task.
type Group struct {
	cancel func(error)

	wg sync.WaitGroup

	sem chan token

	errOnce sync.Once
	err     error
}

// WithContext returns a new Group and an associated Context derived from ctx.
func WithContext(ctx context.Context) (*Group, context.Context) { panic("model") }

// Wait blocks until all function calls from the Go method have returned, then returns
// the first non-nil error (if any) from them.
func (g *Group) Wait() error { panic("model") }

// Go calls the given function in a new goroutine.
func (g *Group) Go(f func() error) {}

// TryGo calls the given function in a new goroutine only if the number of active
// goroutines in the group is currently below the configured limit.
func (g *Group) TryGo(f func() error) bool { panic("model") }

// SetLimit limits the number of active goroutines in this group to at most n.
func (g *Group) SetLimit(n int) {}
