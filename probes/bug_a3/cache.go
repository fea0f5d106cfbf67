// Package bug_a3 implements a TTL-aware in-memory session cache with
// idle tracking so that a janitor can report inactive sessions.
package bug_a3

import (
	"sort"
	"sync"
	"time"
)

// Session is the cached value.
type Session struct {
	UserID string
	Roles  []string
}

type entry struct {
	sess     *Session
	created  time.Time
	lastSeen time.Time
}

// Cache stores sessions keyed by token. Reads take the read lock so that
// lookups on hot paths do not contend with each other.
type Cache struct {
	mu      sync.RWMutex
	ttl     time.Duration
	entries map[string]*entry
	now     func() time.Time
}

// New returns a cache whose entries expire after ttl.
func New(ttl time.Duration) *Cache {
	return &Cache{ttl: ttl, entries: make(map[string]*entry), now: time.Now}
}

// Put stores sess under token, replacing any previous value.
func (c *Cache) Put(token string, sess *Session) {
	now := c.now()
	c.mu.Lock()
	c.entries[token] = &entry{sess: sess, created: now, lastSeen: now}
	c.mu.Unlock()
}

// Get looks up a session and records the access time for idle tracking.
func (c *Cache) Get(token string) (*Session, bool) {
	now := c.now()
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.entries[token]
	if !ok || now.Sub(e.created) > c.ttl {
		return nil, false
	}
	e.lastSeen = now // RACE
	return e.sess, true
}

// IdleTokens returns the tokens that have not been accessed for at least
// idle, oldest first.
func (c *Cache) IdleTokens(idle time.Duration) []string {
	now := c.now()
	type kv struct {
		tok  string
		seen time.Time
	}
	var found []kv
	c.mu.RLock()
	for tok, e := range c.entries {
		if seen := e.lastSeen; now.Sub(seen) >= idle { // RACE-ALSO
			found = append(found, kv{tok, seen})
		}
	}
	c.mu.RUnlock()
	sort.Slice(found, func(i, j int) bool { return found[i].seen.Before(found[j].seen) })
	out := make([]string, len(found))
	for i, f := range found {
		out[i] = f.tok
	}
	return out
}

// Sweep drops expired sessions and returns how many were removed.
func (c *Cache) Sweep() int {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for tok, e := range c.entries {
		if now.Sub(e.created) > c.ttl {
			delete(c.entries, tok)
			n++
		}
	}
	return n
}
