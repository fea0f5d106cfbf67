// Package ok_f7 provides a word index over a fixed set of documents. The
// inverted index is built in the background and published with an atomic
// flag after it is complete; until then queries fall back to a linear scan.
// Word frequencies are computed lazily with double-checked locking.
package ok_f7

import (
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Index answers word queries over a document set. The docs slice is set by
// New and never modified afterwards.
type Index struct {
	docs []string

	// byWord is written once by build, before ready is set, and only read
	// by goroutines that have observed ready == true.
	byWord map[string][]int
	ready  atomic.Bool
	built  chan struct{}

	// freq is computed on first use by Frequencies.
	freqMu   sync.Mutex
	freqDone atomic.Bool
	freq     map[string]int
}

// New returns an Index over docs and starts building it in the background.
func New(docs []string) *Index {
	ix := &Index{docs: docs, built: make(chan struct{})}
	go ix.build()
	return ix
}

// build computes the inverted index and publishes it.
func (ix *Index) build() {
	m := make(map[string][]int)
	for i, d := range ix.docs {
		seen := make(map[string]bool)
		for _, w := range strings.Fields(strings.ToLower(d)) {
			if !seen[w] {
				seen[w] = true
				m[w] = append(m[w], i)
			}
		}
	}
	ix.byWord = m
	ix.ready.Store(true)
	close(ix.built)
}

// Ready reports whether the inverted index is available.
func (ix *Index) Ready() bool { return ix.ready.Load() }

// WaitBuilt blocks until the inverted index is available.
func (ix *Index) WaitBuilt() { <-ix.built }

// Lookup returns the indices of the documents that contain word.
func (ix *Index) Lookup(word string) []int {
	word = strings.ToLower(word)
	if ix.ready.Load() {
		return append([]int(nil), ix.byWord[word]...)
	}
	var out []int
	for i, d := range ix.docs {
		for _, w := range strings.Fields(strings.ToLower(d)) {
			if w == word {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

// Frequencies returns how often every word occurs in the documents. The
// map is computed once and must not be modified by the caller.
func (ix *Index) Frequencies() map[string]int {
	if ix.freqDone.Load() {
		return ix.freq
	}
	ix.freqMu.Lock()
	defer ix.freqMu.Unlock()
	if !ix.freqDone.Load() {
		f := make(map[string]int)
		for _, d := range ix.docs {
			for _, w := range strings.Fields(strings.ToLower(d)) {
				f[w]++
			}
		}
		ix.freq = f
		ix.freqDone.Store(true)
	}
	return ix.freq
}

// Top returns the n most frequent words, most frequent first.
func (ix *Index) Top(n int) []string {
	f := ix.Frequencies()
	words := make([]string, 0, len(f))
	for w := range f {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		if f[words[i]] != f[words[j]] {
			return f[words[i]] > f[words[j]]
		}
		return words[i] < words[j]
	})
	if n < len(words) {
		words = words[:n]
	}
	return words
}
