// Package bug_f1 ships log records to an uploader goroutine in batches. A
// batch is handed over through a channel and then belongs to the uploader,
// which releases the records as soon as they have been written.
package bug_f1

import (
	"io"
	"strings"
	"sync"
)

// Record is one log line.
type Record struct {
	Source string
	Line   string
}

// Batch is a group of records transferred to the uploader.
type Batch struct {
	Seq     int
	Records []Record
}

// Shipper batches records and uploads them from a background goroutine.
// Add, Flush and Close must be called from a single producer goroutine.
type Shipper struct {
	size    int
	seq     int
	cur     *Batch
	out     chan *Batch
	wg      sync.WaitGroup
	w       io.Writer
	written int

	// Shipped counts the records handed to the uploader; producer-only.
	Shipped int
}

// NewShipper returns a Shipper writing batches of size records to w.
func NewShipper(w io.Writer, size int) *Shipper {
	if size <= 0 {
		size = 1
	}
	s := &Shipper{size: size, w: w, out: make(chan *Batch, 4)}
	s.cur = s.fresh()
	s.wg.Add(1)
	go s.upload()
	return s
}

func (s *Shipper) fresh() *Batch {
	s.seq++
	return &Batch{Seq: s.seq, Records: make([]Record, 0, s.size)}
}

// Add appends one record, flushing the current batch when it is full.
func (s *Shipper) Add(r Record) {
	s.cur.Records = append(s.cur.Records, r)
	if len(s.cur.Records) >= s.size {
		s.Flush()
	}
}

// Flush hands the current batch to the uploader.
func (s *Shipper) Flush() {
	if len(s.cur.Records) == 0 {
		return
	}
	full := s.cur
	s.cur = s.fresh()
	s.out <- full
	s.Shipped += len(full.Records) // RACE
}

// upload writes every received batch and drops its records afterwards so
// that large batches do not stay reachable while waiting for the next one.
func (s *Shipper) upload() {
	defer s.wg.Done()
	var sb strings.Builder
	for b := range s.out {
		sb.Reset()
		for _, r := range b.Records {
			sb.WriteString(r.Source)
			sb.WriteByte(' ')
			sb.WriteString(r.Line)
			sb.WriteByte('\n')
		}
		b.Records = nil // RACE-ALSO
		n, _ := io.WriteString(s.w, sb.String())
		s.written += n
	}
}

// Close flushes the pending batch, stops the uploader and returns the
// number of bytes written.
func (s *Shipper) Close() int {
	s.Flush()
	close(s.out)
	s.wg.Wait()
	return s.written
}
