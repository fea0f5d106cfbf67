package bug_20

import "time"

func (t *Tracker) reapLoop() {
	tick := time.NewTicker(t.timeout / 2)
	defer tick.Stop()
	for now := range tick.C {
		t.reap(now)
	}
}

// reap expires requests that have been pending for too long.
func (t *Tracker) reap(now time.Time) {
	var late []string
	for id, started := range t.pending {
		if now.Sub(started) > t.timeout {
			late = append(late, id)
			delete(t.pending, id) // RACE
		}
	}
	for _, id := range late {
		t.onLate(id)
	}
}
