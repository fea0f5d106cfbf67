package bug_35

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

type Profile struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Verified bool   `json:"verified"`
}

type Backend interface {
	Fetch(ctx context.Context, id string) ([]byte, error)
}

type CacheWarmer interface {
	Warm(ctx context.Context, id string) (bool, error)
}

type ProfileService struct {
	primary Backend
	cache   CacheWarmer
}

func NewProfileService(b Backend, c CacheWarmer) *ProfileService {
	return &ProfileService{primary: b, cache: c}
}

var errEmpty = errors.New("profile: empty payload")

func decodeProfile(raw []byte) (*Profile, error) {
	if len(raw) == 0 {
		return nil, errEmpty
	}
	var p Profile
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("profile: decode: %w", err)
	}
	return &p, nil
}

// LoadProfile fetches a profile from the primary store and, in parallel with
// decoding, warms the edge cache for it.
func (s *ProfileService) LoadProfile(ctx context.Context, id string) (*Profile, error) {
	raw, err := s.primary.Fetch(ctx, id)
	if err != nil {
		return nil, err
	}

	done := make(chan struct{})
	go func() {
		defer close(done)
		_, err = s.cache.Warm(ctx, id) // RACE
	}()

	p, err := decodeProfile(raw) // RACE-ALSO
	<-done
	if err != nil {
		return nil, err
	}
	return p, nil
}
