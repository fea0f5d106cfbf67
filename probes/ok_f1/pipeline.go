// Package ok_f1 implements a small log-shipping pipeline in which record
// batches are handed from a single producer to a pool of encoders by
// ownership transfer over channels. Once a batch has been sent, the sender
// never touches it again, so the receiving encoder may mutate it freely.
package ok_f1

import (
	"hash/crc32"
	"strings"
	"sync"
)

// Record is a single log line together with the source that produced it.
type Record struct {
	Source string
	Line   string
}

// Batch is a group of records. A Batch has exactly one owner at a time: the
// Batcher while it is being filled, and the encoder after it was sent.
type Batch struct {
	Seq     int
	Records []Record
}

// Encoded describes the wire form of one batch.
type Encoded struct {
	Seq      int
	Records  int
	Bytes    int
	Checksum uint32
}

// Batcher accumulates records and emits full batches on its output channel.
// A Batcher is not safe for concurrent use; it is meant to be driven by a
// single producer goroutine.
type Batcher struct {
	size int
	seq  int
	cur  *Batch
	out  chan<- *Batch
}

// NewBatcher returns a Batcher that emits batches of up to size records.
func NewBatcher(size int, out chan<- *Batch) *Batcher {
	if size <= 0 {
		size = 1
	}
	b := &Batcher{size: size, out: out}
	b.cur = b.fresh()
	return b
}

// fresh allocates a new, empty batch with the next sequence number.
func (b *Batcher) fresh() *Batch {
	b.seq++
	return &Batch{Seq: b.seq, Records: make([]Record, 0, b.size)}
}

// Add appends r to the current batch and flushes the batch when it is full.
func (b *Batcher) Add(r Record) {
	b.cur.Records = append(b.cur.Records, r)
	if len(b.cur.Records) == b.size {
		b.Flush()
	}
}

// Flush hands the current batch to the consumer, if it is non-empty, and
// starts a new one. The Batcher forgets the old batch before sending it, so
// no reference to the transferred batch survives on the producer side.
func (b *Batcher) Flush() {
	if len(b.cur.Records) == 0 {
		return
	}
	full := b.cur
	b.cur = b.fresh()
	b.out <- full
}

// encode normalises the records of bt in place and computes its wire size
// and checksum. The caller must own bt.
func encode(bt *Batch) Encoded {
	var sb strings.Builder
	for i := range bt.Records {
		r := &bt.Records[i]
		r.Line = strings.TrimSpace(r.Line)
		r.Source = strings.ToLower(r.Source)
		sb.WriteString(r.Source)
		sb.WriteByte('|')
		sb.WriteString(r.Line)
		sb.WriteByte('\n')
	}
	s := sb.String()
	return Encoded{
		Seq:      bt.Seq,
		Records:  len(bt.Records),
		Bytes:    len(s),
		Checksum: crc32.ChecksumIEEE([]byte(s)),
	}
}

// encodeLoop receives batches until in is closed and sends one result per
// batch on out. Each batch is owned by this goroutine after it is received.
func encodeLoop(in <-chan *Batch, out chan<- Encoded, wg *sync.WaitGroup) {
	defer wg.Done()
	for bt := range in {
		out <- encode(bt)
	}
}

// Ship runs records through the pipeline using the given number of encoder
// workers and returns the total encoded size and the per-batch results.
func Ship(records []Record, batchSize, workers int) (int, map[int]Encoded) {
	if workers <= 0 {
		workers = 1
	}
	batches := make(chan *Batch)
	encoded := make(chan Encoded, workers)

	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go encodeLoop(batches, encoded, &wg)
	}

	go func() {
		b := NewBatcher(batchSize, batches)
		for _, r := range records {
			b.Add(r)
		}
		b.Flush()
		close(batches)
	}()

	go func() {
		wg.Wait()
		close(encoded)
	}()

	total := 0
	results := make(map[int]Encoded)
	for e := range encoded {
		results[e.Seq] = e
		total += e.Bytes
	}
	return total, results
}
