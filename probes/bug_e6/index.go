// Package bug_e6 maintains an inverted index over a growing set of
// documents. The index is rebuilt lazily, on the first lookup after a
// change, so that bulk loading stays cheap.
package bug_e6

import (
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
)

// Doc is a document to be indexed.
type Doc struct {
	ID   int
	Text string
}

// Index maps terms to the IDs of the documents containing them.
type Index struct {
	mu       sync.Mutex
	docs     []Doc
	postings map[string][]int

	// fresh reports whether postings reflects docs. It is checked without
	// the lock on the lookup fast path.
	fresh atomic.Bool
}

// Add adds a document. The postings are rebuilt on the next lookup.
func (ix *Index) Add(d Doc) {
	ix.mu.Lock()
	ix.docs = append(ix.docs, d)
	ix.fresh.Store(false)
	ix.mu.Unlock()
}

// Lookup returns the sorted IDs of the documents that contain term.
func (ix *Index) Lookup(term string) []int {
	if !ix.fresh.Load() {
		ix.mu.Lock()
		if !ix.fresh.Load() {
			ix.rebuildLocked()
		}
		ix.mu.Unlock()
	}
	ids := ix.postings[normalize(term)] // RACE-ALSO
	out := make([]int, len(ids))
	copy(out, ids)
	return out
}

// Len returns the number of documents added so far.
func (ix *Index) Len() int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return len(ix.docs)
}

// rebuildLocked recomputes the postings from docs. ix.mu must be held.
func (ix *Index) rebuildLocked() {
	p := make(map[string][]int)
	for _, d := range ix.docs {
		seen := make(map[string]bool)
		for _, t := range tokenize(d.Text) {
			if seen[t] {
				continue
			}
			seen[t] = true
			p[t] = append(p[t], d.ID)
		}
	}
	for _, ids := range p {
		sort.Ints(ids)
	}
	ix.postings = p // RACE
	ix.fresh.Store(true)
}

// tokenize splits text into normalized terms.
func tokenize(text string) []string {
	fields := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for i, f := range fields {
		fields[i] = normalize(f)
	}
	return fields
}

// normalize maps a term to its indexed form.
func normalize(term string) string {
	return strings.ToLower(strings.TrimSpace(term))
}
