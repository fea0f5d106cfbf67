package ok_23

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
}

// Store keeps login sessions in memory; each session expires after ttl.
type Store struct {
	ttl time.Duration

	mu       sync.Mutex
	sessions map[string]*Session
	timers   map[string]*time.Timer
	expired  int
}

func NewStore(ttl time.Duration) *Store {
	return &Store{
		ttl:      ttl,
		sessions: make(map[string]*Session),
		timers:   make(map[string]*time.Timer),
	}
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// removeLocked drops a session and its timer. s.mu must be held.
func (s *Store) removeLocked(id string) {
	if t, ok := s.timers[id]; ok {
		t.Stop()
		delete(s.timers, id)
	}
	delete(s.sessions, id)
}

// Create starts a new session for user and schedules its expiry.
func (s *Store) Create(user string) string {
	sess := &Session{ID: newID(), User: user, Created: time.Now()}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[sess.ID] = sess
	s.timers[sess.ID] = time.AfterFunc(s.ttl, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, ok := s.sessions[sess.ID]; ok {
			s.expired++
			s.removeLocked(sess.ID)
		}
	})
	return sess.ID
}

// Get returns a copy of the live session.
func (s *Store) Get(id string) (Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[id]
	if !ok {
		return Session{}, ErrNoSession
	}
	return *sess, nil
}

// Logout removes a session immediately.
func (s *Store) Logout(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.removeLocked(id)
}

// Expired reports how many sessions timed out.
func (s *Store) Expired() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.expired
}
