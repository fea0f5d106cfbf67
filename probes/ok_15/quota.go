package ok_15

import (
	"net/http"
	"sync"
	"sync/atomic"
)

// Quota counts requests per tenant with lazily created counters.
type Quota struct {
	counters sync.Map // tenant -> *atomic.Int64
	limit    int64
}

func (q *Quota) counter(tenant string) *atomic.Int64 {
	if v, ok := q.counters.Load(tenant); ok {
		return v.(*atomic.Int64)
	}
	v, _ := q.counters.LoadOrStore(tenant, new(atomic.Int64))
	return v.(*atomic.Int64)
}

func (q *Quota) Allow(tenant string) bool {
	return q.counter(tenant).Add(1) <= q.limit
}

func (q *Quota) Used(tenant string) int64 {
	if v, ok := q.counters.Load(tenant); ok {
		return v.(*atomic.Int64).Load()
	}
	return 0
}

func (q *Quota) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !q.Allow(r.Header.Get("X-Tenant")) {
			http.Error(w, "quota exceeded", http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}
