package ok_24

import (
	"context"
	"encoding/json"
)

type Profile struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type Backend interface {
	Fetch(ctx context.Context, id string) ([]byte, error)
}

type CacheWarmer interface {
	Warm(ctx context.Context, id string) (bool, error)
}

// LoadProfile decodes the profile while warming the cache in parallel. The
// warm-up goroutine uses its own error variable and reports it over a channel.
func LoadProfile(ctx context.Context, b Backend, c CacheWarmer, id string) (*Profile, error) {
	raw, err := b.Fetch(ctx, id)
	if err != nil {
		return nil, err
	}

	warmErr := make(chan error, 1)
	go func() {
		_, err := c.Warm(ctx, id)
		warmErr <- err
	}()

	var p Profile
	err = json.Unmarshal(raw, &p)
	if werr := <-warmErr; werr != nil && err == nil {
		// Cache warm-up failures are not fatal; report them alongside the
		// profile so callers can log them.
		return &p, &WarmError{ID: id, Err: werr}
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// WarmError reports a failed (non-fatal) cache warm-up.
type WarmError struct {
	ID  string
	Err error
}

func (e *WarmError) Error() string { return "profile " + e.ID + ": cache warm-up: " + e.Err.Error() }
func (e *WarmError) Unwrap() error { return e.Err }
