// Package bug_d5 implements an in-memory login session store with idle
// expiry, as used by web front ends that keep sessions in process.
package bug_d5

import (
	"sync"
	"time"
)

// Clock abstracts the wall clock so that expiry can be tested.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// session is the server-side state of one login.
type session struct {
	user     string
	lastSeen time.Time
}

// Store keeps sessions until they have been idle for longer than the
// configured timeout.
type Store struct {
	clock Clock
	idle  time.Duration

	mu       sync.Mutex
	sessions map[string]*session
}

// NewStore returns a store that expires sessions idle for longer than idle.
// A nil clock means the system clock.
func NewStore(idle time.Duration, clock Clock) *Store {
	if clock == nil {
		clock = systemClock{}
	}
	return &Store{clock: clock, idle: idle, sessions: make(map[string]*session)}
}

// Create registers a new session id for user.
func (s *Store) Create(id, user string) {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[id] = &session{user: user, lastSeen: now}
}

// lookupLocked returns the live session for id. s.mu must be held.
func (s *Store) lookupLocked(id string, now time.Time) (*session, bool) {
	sess, ok := s.sessions[id]
	if !ok || now.Sub(sess.lastSeen) >= s.idle {
		return nil, false
	}
	return sess, true
}

// Lookup returns the user of a live session without refreshing it.
func (s *Store) Lookup(id string) (string, bool) {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if sess, ok := s.lookupLocked(id, now); ok {
		return sess.user, true
	}
	return "", false
}

// Touch returns the user of a live session and marks it as active.
func (s *Store) Touch(id string) (string, bool) {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.lookupLocked(id, now)
	if !ok {
		return "", false
	}
	sess.lastSeen = now
	return sess.user, true
}

// Sweep deletes expired sessions and reports how many were removed.
func (s *Store) Sweep() int {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, sess := range s.sessions {
		if now.Sub(sess.lastSeen) >= s.idle {
			delete(s.sessions, id)
			n++
		}
	}
	return n
}
