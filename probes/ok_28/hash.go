// Package ok_28 computes content digests for a release manifest, hashing
// files in parallel with a bounded number of goroutines.
package ok_28

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sync"
)

// Opener opens a file for reading. It must be safe for concurrent use.
type Opener func(path string) (io.ReadCloser, error)

// Result is the digest of one file.
type Result struct {
	Path   string
	Digest string
	Size   int64
	Err    error
}

// HashAll hashes every path using at most parallel goroutines. Results are
// returned in the order of paths.
func HashAll(paths []string, parallel int, open Opener) []Result {
	if parallel < 1 {
		parallel = 1
	}
	results := make([]Result, len(paths)) // one slot per goroutine
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, p string) {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = hashOne(p, open)
		}(i, p)
	}
	wg.Wait()
	return results
}

func hashOne(path string, open Opener) Result {
	r := Result{Path: path}
	f, err := open(path)
	if err != nil {
		r.Err = err
		return r
	}
	defer f.Close()
	h := sha256.New()
	r.Size, r.Err = io.Copy(h, f)
	r.Digest = hex.EncodeToString(h.Sum(nil))
	return r
}

// Manifest renders results as "digest  size  path" lines and returns the
// total size and the first error.
func Manifest(w io.Writer, results []Result) (int64, error) {
	var total int64
	var firstErr error
	for _, r := range results {
		if r.Err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("%s: %w", r.Path, r.Err)
			}
			continue
		}
		total += r.Size
		fmt.Fprintf(w, "%s  %d  %s\n", r.Digest, r.Size, r.Path)
	}
	return total, firstErr
}
