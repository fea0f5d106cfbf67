// Package bug_b2 provides an in-memory HTTP session store with sliding
// expiration and a background reaper.
package bug_b2

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// Session is the server-side state associated with a session cookie.
type Session struct {
	id        string
	userID    string
	createdAt time.Time
	expiresAt time.Time
}

// Store keeps sessions in memory. The sessions map and every Session's
// mutable fields are guarded by mu.
type Store struct {
	mu       sync.Mutex
	sessions map[string]*Session
	ttl      time.Duration
	now      func() time.Time
	stop     chan struct{}
	stopped  chan struct{}
}

// NewStore returns a store whose sessions expire after ttl of inactivity.
// Expired sessions are removed by a reaper running every sweep interval.
func NewStore(ttl, sweep time.Duration) *Store {
	s := &Store{
		sessions: make(map[string]*Session),
		ttl:      ttl,
		now:      time.Now,
		stop:     make(chan struct{}),
		stopped:  make(chan struct{}),
	}
	go s.reap(sweep)
	return s
}

// Create starts a new session for userID and returns its id.
func (s *Store) Create(userID string) (string, error) {
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", err
	}
	id := hex.EncodeToString(raw[:])
	now := s.now()

	s.mu.Lock()
	s.sessions[id] = &Session{id: id, userID: userID, createdAt: now, expiresAt: now.Add(s.ttl)}
	s.mu.Unlock()
	return id, nil
}

// Lookup returns the user bound to session id, if the session is live.
func (s *Store) Lookup(id string) (string, bool) {
	s.mu.Lock()
	sess, ok := s.sessions[id]
	s.mu.Unlock()
	if !ok {
		return "", false
	}
	if !s.now().Before(sess.expiresAt) { // RACE
		return "", false
	}
	return sess.userID, true
}

// Refresh extends the lifetime of session id by the store TTL. It is called
// on every authenticated request.
func (s *Store) Refresh(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[id]
	if !ok {
		return false
	}
	sess.expiresAt = s.now().Add(s.ttl) // RACE-ALSO
	return true
}

// Destroy removes session id (logout).
func (s *Store) Destroy(id string) {
	s.mu.Lock()
	delete(s.sessions, id)
	s.mu.Unlock()
}
