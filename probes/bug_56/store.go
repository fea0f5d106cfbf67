// Package bug_56 keeps the authenticated web sessions of the admin console.
package bug_56

import (
	"sync"
	"time"
)

// Session describes one logged-in user.
type Session struct {
	ID      string
	User    string
	Expires time.Time
}

// Store holds active sessions. It embeds its mutex; every method that
// touches sessions is expected to take it.
type Store struct {
	sync.Mutex
	sessions map[string]Session
	ttl      time.Duration
}

// NewStore returns an empty store whose sessions live for ttl.
func NewStore(ttl time.Duration) *Store {
	return &Store{sessions: make(map[string]Session), ttl: ttl}
}

// Create registers a new session for user.
func (s *Store) Create(id, user string) Session {
	sess := Session{ID: id, User: user, Expires: time.Now().Add(s.ttl)}
	s.Lock()
	s.sessions[id] = sess // RACE
	s.Unlock()
	return sess
}

// Delete logs a session out.
func (s *Store) Delete(id string) {
	s.Lock()
	delete(s.sessions, id)
	s.Unlock()
}

// Sweep removes expired sessions and returns how many were dropped.
func (s *Store) Sweep(now time.Time) int {
	s.Lock()
	defer s.Unlock()
	n := 0
	for id, sess := range s.sessions {
		if now.After(sess.Expires) {
			delete(s.sessions, id)
			n++
		}
	}
	return n
}

// Len returns the number of live sessions.
func (s *Store) Len() int {
	s.Lock()
	defer s.Unlock()
	return len(s.sessions)
}
