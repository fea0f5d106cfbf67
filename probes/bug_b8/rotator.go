// Package bug_b8 implements a size-based log rotator. Rotated files are
// gzip-compressed by a background goroutine.
package bug_b8

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// Rotator is an io.WriteCloser writing to dir/name. When a write would push
// the file past maxBytes the file is renamed to name.N and a fresh file is
// opened. All fields below mu are guarded by it.
type Rotator struct {
	dir      string
	name     string
	maxBytes int64
	pending  chan int // indexes into archived awaiting compression
	done     chan struct{}

	mu       sync.Mutex
	f        *os.File
	size     int64
	seq      int
	archived []string // rotated file names, oldest first
}

// Open creates or appends to dir/name.
func Open(dir, name string, maxBytes int64) (*Rotator, error) {
	r := &Rotator{dir: dir, name: name, maxBytes: maxBytes, pending: make(chan int, 256), done: make(chan struct{})}
	if err := r.open(); err != nil {
		return nil, err
	}
	go r.compressLoop()
	return r, nil
}

// open must be called with r.mu held (or before r is shared).
func (r *Rotator) open() (err error) {
	r.f, err = os.OpenFile(filepath.Join(r.dir, r.name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err == nil {
		r.size, err = r.f.Seek(0, io.SeekEnd)
	}
	return err
}

// Write implements io.Writer.
func (r *Rotator) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.size > 0 && r.size+int64(len(p)) > r.maxBytes {
		if err := r.rotate(); err != nil {
			return 0, err
		}
	}
	n, err := r.f.Write(p)
	r.size += int64(n)
	return n, err
}

// rotate must be called with r.mu held.
func (r *Rotator) rotate() error {
	if err := r.f.Close(); err != nil {
		return err
	}
	r.seq++
	old := fmt.Sprintf("%s.%d", r.name, r.seq)
	if err := os.Rename(filepath.Join(r.dir, r.name), filepath.Join(r.dir, old)); err != nil {
		return err
	}
	r.archived = append(r.archived, old)
	r.pending <- len(r.archived) - 1
	return r.open()
}

// Archives returns the rotated file names, oldest first.
func (r *Rotator) Archives() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.archived
}

// ArchiveBytes reports the total on-disk size of all rotated files.
func (r *Rotator) ArchiveBytes() int64 {
	var total int64
	for _, name := range r.Archives() { // RACE-ALSO
		if fi, err := os.Stat(filepath.Join(r.dir, name)); err == nil {
			total += fi.Size()
		}
	}
	return total
}

// Close flushes pending compressions and closes the current file.
func (r *Rotator) Close() error {
	close(r.pending)
	<-r.done
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.f.Close()
}
