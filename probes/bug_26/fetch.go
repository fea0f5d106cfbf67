package bug_26

import (
	"context"
	"errors"
	"fmt"
	"log"
)

var ErrMiss = errors.New("cache miss")

type Cache interface {
	Get(key string) ([]byte, error)
}

type Backend interface {
	Read(key string) ([]byte, error)
}

type Client struct {
	cache   Cache
	backend Backend
}

// Fetch returns the value from cache, falling back to the (slow) backend.
// The backend read is abandoned if ctx expires first.
func (c *Client) Fetch(ctx context.Context, key string) ([]byte, error) {
	body, err := c.cache.Get(key)
	if err == nil {
		return body, nil
	}
	if !errors.Is(err, ErrMiss) {
		log.Printf("cache: %v", err)
	}

	done := make(chan struct{})
	var data []byte
	go func() {
		defer close(done)
		data, err = c.backend.Read(key) // RACE-ALSO
	}()

	select {
	case <-done:
		if err != nil {
			return nil, fmt.Errorf("fetch %s: %w", key, err)
		}
		return data, nil
	case <-ctx.Done():
		err = fmt.Errorf("fetch %s: %w", key, ctx.Err()) // RACE
		log.Print(err)
		return nil, err
	}
}
