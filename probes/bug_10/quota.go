package bug_10

import (
	"net/http"
	"sync"
	"sync/atomic"
)

// Quota counts requests per tenant. Counters are created lazily.
type Quota struct {
	counters sync.Map // tenant -> *int64
	limit    int64
}

func (q *Quota) counter(tenant string) *int64 {
	if v, ok := q.counters.Load(tenant); ok { // RACE-ALSO
		return v.(*int64)
	}
	c := new(int64)
	q.counters.Store(tenant, c) // RACE
	return c
}

func (q *Quota) Allow(tenant string) bool {
	n := atomic.AddInt64(q.counter(tenant), 1)
	return n <= q.limit
}

func (q *Quota) Used(tenant string) int64 {
	if v, ok := q.counters.Load(tenant); ok {
		return atomic.LoadInt64(v.(*int64))
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
