package bug_28

import (
	"fmt"
	"sync"
	"time"
)

type Metrics struct {
	mu      sync.Mutex
	jobs    int
	totalMS int64
}

func (m *Metrics) Observe(d time.Duration) {
	m.mu.Lock()
	m.jobs++ // RACE-ALSO
	m.totalMS += d.Milliseconds()
	m.mu.Unlock()
}

// Summary formats the current averages.
func (m Metrics) Summary() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.jobs == 0 {
		return "no jobs"
	}
	return fmt.Sprintf("%d jobs, avg %dms", m.jobs, m.totalMS/int64(m.jobs))
}

type Worker struct {
	metrics Metrics
	jobs    chan func()
}

func NewWorker(n int) *Worker {
	w := &Worker{jobs: make(chan func(), 64)}
	for i := 0; i < n; i++ {
		go w.loop()
	}
	return w
}

func (w *Worker) loop() {
	for job := range w.jobs {
		start := time.Now()
		job()
		w.metrics.Observe(time.Since(start))
	}
}

func (w *Worker) Submit(f func()) { w.jobs <- f }

// StatusLine is shown on the admin page.
func (w *Worker) StatusLine() string {
	return "worker: " + w.metrics.Summary() // RACE
}
