package bug_39

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"time"
)

var ErrNoSession = errors.New("session: not found or expired")

type Session struct {
	ID      string
	User    string
	Created time.Time
	expired bool
}

// Store keeps login sessions in memory; each session expires after ttl.
type Store struct {
	mu       sync.RWMutex
	sessions map[string]*Session
	ttl      time.Duration
}

func NewStore(ttl time.Duration) *Store {
	return &Store{sessions: make(map[string]*Session), ttl: ttl}
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Create starts a new session for user and schedules its expiry.
func (s *Store) Create(user string) string {
	sess := &Session{ID: newID(), User: user, Created: time.Now()}

	s.mu.Lock()
	s.sessions[sess.ID] = sess
	s.mu.Unlock()

	time.AfterFunc(s.ttl, func() {
		// Flag it first so handlers already holding the session stop using it.
		sess.expired = true // RACE
		s.mu.Lock()
		delete(s.sessions, sess.ID)
		s.mu.Unlock()
	})
	return sess.ID
}

// Get returns the live session with the given id.
func (s *Store) Get(id string) (*Session, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sess, ok := s.sessions[id]
	if !ok || sess.expired { // RACE-ALSO
		return nil, ErrNoSession
	}
	return sess, nil
}

// Logout removes a session immediately.
func (s *Store) Logout(id string) {
	s.mu.Lock()
	delete(s.sessions, id)
	s.mu.Unlock()
}
