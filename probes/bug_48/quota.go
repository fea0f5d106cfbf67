package bug_48

import (
	"context"
	"net/http"
	"sync"
)

// QuotaEnforcer rejects requests from tenants that exceeded their quota.
type QuotaEnforcer struct {
	mu     sync.Mutex
	usage  map[string]int
	limits map[string]int
}

func NewQuotaEnforcer(w *Watcher, defaults map[string]int) *QuotaEnforcer {
	q := &QuotaEnforcer{usage: make(map[string]int), limits: make(map[string]int)}
	for t, n := range defaults {
		q.limits[t] = n
	}
	w.OnChange(func(l Limits) {
		for tenant, max := range l.PerTenant {
			q.limits[tenant] = max // RACE
		}
	})
	return q
}

// Admit charges one unit to tenant and reports whether it is within quota.
func (q *QuotaEnforcer) Admit(tenant string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.usage[tenant] >= q.limits[tenant] { // RACE-ALSO
		return false
	}
	q.usage[tenant]++
	return true
}

// Middleware enforces quotas on incoming requests.
func (q *QuotaEnforcer) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !q.Admit(r.Header.Get("X-Tenant")) {
			http.Error(w, "quota exceeded", http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Serve wires the watcher and the enforcer in front of app.
func Serve(ctx context.Context, addr string, w *Watcher, app http.Handler) error {
	q := NewQuotaEnforcer(w, map[string]int{"default": 100})
	w.Start(ctx)
	return http.ListenAndServe(addr, q.Middleware(app))
}
