package bug_24

import (
	"time"
)

type Batch struct {
	Items []string
	Seq   int
}

// Batcher groups incoming items into batches and hands them to a sink
// goroutine that writes them out.
type Batcher struct {
	in   chan string
	out  chan *Batch
	max  int
	wait time.Duration
}

func NewBatcher(max int, wait time.Duration, sink func(*Batch)) *Batcher {
	b := &Batcher{in: make(chan string, 128), out: make(chan *Batch, 4), max: max, wait: wait}
	go b.loop()
	go func() {
		for batch := range b.out {
			sink(batch)
		}
	}()
	return b
}

func (b *Batcher) Add(item string) { b.in <- item }

func (b *Batcher) Close() { close(b.in) }

func (b *Batcher) loop() {
	cur := &Batch{Items: make([]string, 0, b.max)}
	timer := time.NewTimer(b.wait)
	flush := func() {
		if len(cur.Items) == 0 {
			return
		}
		b.out <- cur
		cur.Items = cur.Items[:0] // RACE
	}
	for {
		select {
		case it, ok := <-b.in:
			if !ok {
				flush()
				close(b.out)
				return
			}
			cur.Items = append(cur.Items, it)
			if len(cur.Items) >= b.max {
				flush()
			}
		case <-timer.C:
			flush()
			timer.Reset(b.wait)
		}
	}
}

// WriteLines is a typical sink.
func WriteLines(write func(string)) func(*Batch) {
	return func(batch *Batch) {
		for _, it := range batch.Items { // RACE-ALSO
			write(it)
		}
	}
}
