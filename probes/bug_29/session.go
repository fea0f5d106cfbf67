package bug_29

import (
	"sync"
	"time"
)

type Session struct {
	mu      sync.Mutex
	id      string
	user    string
	expired bool
	timer   *time.Timer
	idle    time.Duration
}

func NewSession(id, user string, idle time.Duration) *Session {
	s := &Session{id: id, user: user, idle: idle}
	s.timer = time.AfterFunc(idle, s.expire)
	return s
}

func (s *Session) expire() {
	s.expired = true // RACE
}

// Touch extends the session on every authenticated request.
func (s *Session) Touch() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.expired { // RACE-ALSO
		return false
	}
	s.timer.Reset(s.idle)
	return true
}

func (s *Session) User() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.user, s.Valid()
}

// Valid must be called with s.mu held.
func (s *Session) Valid() bool { return s.user != "" }
