// Package ok_a1 implements the batching stage of an ingestion pipeline:
// records arrive on a channel, are grouped into batches and handed to a
// downstream consumer.
package ok_a1

import (
	"sort"
	"time"
)

// Record is a single ingested event.
type Record struct {
	Key string
	TS  time.Time
	Val float64
}

// Stats describes what the batcher did over its lifetime.
type Stats struct {
	Records int
	Batches int
	Largest int
}

// Batcher groups incoming records into batches of up to Size records, or
// whatever has accumulated when MaxWait elapses.
type Batcher struct {
	Size    int
	MaxWait time.Duration

	out   chan []Record
	done  chan struct{}
	stats Stats
}

// Start launches the batching goroutine reading from in. The returned
// channel is closed once in is closed and the final batch is emitted.
func (b *Batcher) Start(in <-chan Record) <-chan []Record {
	b.out = make(chan []Record, 4)
	b.done = make(chan struct{})
	go b.run(in)
	return b.out
}

func (b *Batcher) run(in <-chan Record) {
	defer close(b.done)
	defer close(b.out)
	batch := make([]Record, 0, b.Size)
	timer := time.NewTimer(b.MaxWait)
	defer timer.Stop()

	emit := func() {
		if len(batch) == 0 {
			return
		}
		b.stats.Batches++
		if len(batch) > b.stats.Largest {
			b.stats.Largest = len(batch)
		}
		b.out <- batch
		// Ownership of the emitted slice passes to the consumer.
		batch = make([]Record, 0, b.Size)
	}

	for {
		select {
		case r, ok := <-in:
			if !ok {
				emit()
				return
			}
			b.stats.Records++
			batch = append(batch, r)
			if len(batch) >= b.Size {
				emit()
			}
		case <-timer.C:
			emit()
			timer.Reset(b.MaxWait)
		}
	}
}

// Stats waits for the batching goroutine to finish and returns its
// counters.
func (b *Batcher) Stats() Stats {
	<-b.done
	return b.stats
}

// SortBatch orders a batch by timestamp in place. Consumers typically call
// it on each batch received from the output channel.
func SortBatch(batch []Record) {
	sort.Slice(batch, func(i, j int) bool { return batch[i].TS.Before(batch[j].TS) })
}
