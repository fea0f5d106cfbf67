// Model of package context for racelens, with the signatures of the real API (Go 1.25).
// Bodies are placeholders.

package context

import (
	"errors"
	"time"
)

// A Context carries a deadline, a cancellation signal, and other values across API
// boundaries.
type Context interface {
	Deadline() (deadline time.Time, ok bool)
	Done() <-chan struct{}
	Err() error
	Value(key any) any
}

// Canceled is the error returned by Context.Err when the context is canceled.
var Canceled error = errors.New("context canceled")

// DeadlineExceeded is the error returned by Context.Err when the context's deadline passes.
var DeadlineExceeded error = deadlineExceededError{}

type deadlineExceededError struct{}

func (deadlineExceededError) Error() string   { return "context deadline exceeded" }
func (deadlineExceededError) Timeout() bool   { return true }
func (deadlineExceededError) Temporary() bool { return true }

type emptyCtx int

func (*emptyCtx) Deadline() (deadline time.Time, ok bool) { return }
func (*emptyCtx) Done() <-chan struct{}                   { return nil }
func (*emptyCtx) Err() error                              { return nil }
func (*emptyCtx) Value(key any) any                       { return nil }

func Background() Context { panic("model") }
func TODO() Context       { panic("model") }

// A CancelFunc tells an operation to abandon its work.
type CancelFunc func()

// A CancelCauseFunc behaves like a CancelFunc but additionally sets the cancellation
// cause (Go 1.20).
type CancelCauseFunc func(cause error)

func WithCancel(parent Context) (ctx Context, cancel CancelFunc)           { panic("model") }
func WithCancelCause(parent Context) (ctx Context, cancel CancelCauseFunc) { panic("model") }
func Cause(c Context) error                                                { panic("model") }
func AfterFunc(ctx Context, f func()) (stop func() bool)                   { panic("model") }
func WithoutCancel(parent Context) Context                                 { panic("model") }
func WithDeadline(parent Context, d time.Time) (Context, CancelFunc)       { panic("model") }
func WithDeadlineCause(parent Context, d time.Time, cause error) (Context, CancelFunc) {
	panic("model")
}
func WithTimeout(parent Context, timeout time.Duration) (Context, CancelFunc) { panic("model") }
func WithTimeoutCause(parent Context, timeout time.Duration, cause error) (Context, CancelFunc) {
	panic("model")
}
func WithValue(parent Context, key, val any) Context { panic("model") }
