package bug_42

import (
	"log"
	"sync"
	"time"
)

type Entry struct {
	Time    time.Time
	Level   string
	Message string
}

// Batcher groups log entries and ships them to a sink either when a batch
// fills up or when the flush interval elapses.
type Batcher struct {
	maxBatch int
	sink     func([]Entry) error
	logger   *log.Logger

	// onTick is invoked by the background loop on every interval; tests
	// replace it to observe flushes.
	onTick func()

	mu      sync.Mutex
	pending []Entry
}

func NewBatcher(sink func([]Entry) error, maxBatch int, interval time.Duration, logger *log.Logger) *Batcher {
	b := &Batcher{maxBatch: maxBatch, sink: sink, logger: logger}
	b.onTick = b.flushLocked
	go b.loop(interval)
	return b
}

func (b *Batcher) loop(interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for range t.C {
		b.onTick()
	}
}

// Add queues an entry, flushing synchronously when the batch is full.
func (b *Batcher) Add(e Entry) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pending = append(b.pending, e) // RACE-ALSO
	if len(b.pending) >= b.maxBatch {
		b.flushLocked()
	}
}

// flushLocked ships the pending entries. b.mu must be held.
func (b *Batcher) flushLocked() {
	var batch []Entry
	batch, b.pending = b.pending, nil // RACE
	if len(batch) == 0 {
		return
	}
	if err := b.sink(batch); err != nil {
		b.logger.Printf("batcher: dropped %d entries: %v", len(batch), err)
	}
}
