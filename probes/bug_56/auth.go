package bug_56

import (
	"net/http"
	"time"
)

const cookieName = "admin_session"

// Validate reports whether id names a live session and returns its user.
func (s *Store) Validate(id string, now time.Time) (string, bool) {
	sess, ok := s.sessions[id] // RACE-ALSO
	if !ok || now.After(sess.Expires) {
		return "", false
	}
	return sess.User, true
}

// RequireLogin rejects requests that do not carry a valid session cookie.
func (s *Store) RequireLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(cookieName)
		if err != nil {
			http.Error(w, "login required", http.StatusUnauthorized)
			return
		}
		user, ok := s.Validate(c.Value, time.Now())
		if !ok {
			http.Error(w, "session expired", http.StatusUnauthorized)
			return
		}
		r.Header.Set("X-Admin-User", user)
		next.ServeHTTP(w, r)
	})
}
