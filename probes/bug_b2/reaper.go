package bug_b2

import "time"

// reap periodically evicts expired sessions until Close is called.
func (s *Store) reap(every time.Duration) {
	defer close(s.stopped)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.sweep()
		}
	}
}

// sweep removes every session whose expiry has passed and returns how many
// were removed.
func (s *Store) sweep() int {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, sess := range s.sessions {
		if !now.Before(sess.expiresAt) {
			delete(s.sessions, id)
			n++
		}
	}
	return n
}

// Len reports the number of sessions currently held.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// Close stops the reaper.
func (s *Store) Close() {
	close(s.stop)
	<-s.stopped
}
