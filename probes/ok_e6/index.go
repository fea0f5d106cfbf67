// Package ok_e6 maintains an inverted index over a growing set of
// documents. The index is rebuilt lazily, on the first lookup after a
// change, and published as an immutable snapshot.
package ok_e6

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

// snapshot is a built index. It is never modified after being published.
type snapshot struct {
	postings map[string][]int
	docs     int
}

// Index maps terms to the IDs of the documents containing them.
type Index struct {
	mu   sync.Mutex
	docs []Doc

	// snap is the current snapshot, or nil if docs changed since it was
	// built. Lookups load it without taking mu.
	snap atomic.Pointer[snapshot]
}

// Add adds a document. The index is rebuilt on the next lookup.
func (ix *Index) Add(d Doc) {
	ix.mu.Lock()
	ix.docs = append(ix.docs, d)
	ix.snap.Store(nil)
	ix.mu.Unlock()
}

// current returns an up-to-date snapshot, building it if necessary.
func (ix *Index) current() *snapshot {
	if s := ix.snap.Load(); s != nil {
		return s
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if s := ix.snap.Load(); s != nil {
		return s
	}
	s := build(ix.docs)
	ix.snap.Store(s)
	return s
}

// Lookup returns the sorted IDs of the documents that contain term.
func (ix *Index) Lookup(term string) []int {
	s := ix.current()
	ids := s.postings[normalize(term)]
	out := make([]int, len(ids))
	copy(out, ids)
	return out
}

// Indexed returns the number of documents covered by the current snapshot.
func (ix *Index) Indexed() int {
	return ix.current().docs
}

// build computes a snapshot of docs.
func build(docs []Doc) *snapshot {
	p := make(map[string][]int)
	for _, d := range docs {
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
	return &snapshot{postings: p, docs: len(docs)}
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
