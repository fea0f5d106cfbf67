package ok_05

import "time"

type Batch struct {
	Items []string
	Seq   int
}

// Batcher hands each batch to the sink goroutine and starts a fresh one;
// once sent, a batch is owned by the receiver.
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
			batch.Items = nil // receiver owns it now
		}
	}()
	return b
}

func (b *Batcher) Add(item string) { b.in <- item }

func (b *Batcher) Close() { close(b.in) }

func (b *Batcher) loop() {
	seq := 0
	cur := &Batch{Items: make([]string, 0, b.max)}
	timer := time.NewTimer(b.wait)
	flush := func() {
		if len(cur.Items) == 0 {
			return
		}
		cur.Seq = seq
		b.out <- cur
		seq++
		cur = &Batch{Items: make([]string, 0, b.max)}
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
