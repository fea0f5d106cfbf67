package bug_b3

import (
	"errors"
	"net/http"
)

// ErrOpen is returned by Transport when the breaker rejects a request.
var ErrOpen = errors.New("circuit breaker is open")

// Transport is an http.RoundTripper guarded by a Breaker. The breaker is
// bound at construction time so that alternative policies (for example a
// per-host breaker set) can be plugged in through the same hooks.
type Transport struct {
	next      http.RoundTripper
	allow     func() bool
	onSuccess func()
	onFailure func()
}

// NewTransport wraps next with breaker b. A nil next means
// http.DefaultTransport.
func NewTransport(next http.RoundTripper, b *Breaker) *Transport {
	if next == nil {
		next = http.DefaultTransport
	}
	return &Transport{
		next:      next,
		allow:     b.Allow,
		onSuccess: b.Success,
		onFailure: b.Failure,
	}
}

// RoundTrip implements http.RoundTripper. Transport errors and 5xx
// responses count as failures.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !t.allow() {
		return nil, ErrOpen
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.StatusCode >= 500 {
		t.onFailure()
	} else {
		t.onSuccess()
	}
	return resp, err
}
