// Package ok_a2 builds an inverted index over a document set using one
// goroutine per shard of documents.
package ok_a2

import (
	"runtime"
	"sort"
	"strings"
	"sync"
)

// Doc is an input document.
type Doc struct {
	ID   int
	Body string
}

// Index maps a lower-cased term to the sorted IDs of documents containing it.
type Index map[string][]int

// Build tokenizes docs in parallel and merges the per-shard indexes.
func Build(docs []Doc, workers int) Index {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers > len(docs) {
		workers = len(docs)
	}
	if workers == 0 {
		return Index{}
	}

	partial := make([]Index, workers)
	chunk := (len(docs) + workers - 1) / workers

	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo := w * chunk
		hi := lo + chunk
		if hi > len(docs) {
			hi = len(docs)
		}
		if lo >= hi {
			continue
		}
		w, shard := w, docs[lo:hi]
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make(Index)
			for _, d := range shard {
				seen := make(map[string]bool)
				for _, tok := range tokenize(d.Body) {
					if seen[tok] {
						continue
					}
					seen[tok] = true
					local[tok] = append(local[tok], d.ID)
				}
			}
			partial[w] = local
		}()
	}
	wg.Wait()

	merged := make(Index)
	for _, p := range partial {
		for term, ids := range p {
			merged[term] = append(merged[term], ids...)
		}
	}
	for _, ids := range merged {
		sort.Ints(ids)
	}
	return merged
}

func tokenize(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
}

// Lookup returns the documents containing every term in query.
func (ix Index) Lookup(query string) []int {
	terms := tokenize(query)
	if len(terms) == 0 {
		return nil
	}
	result := append([]int(nil), ix[terms[0]]...)
	for _, t := range terms[1:] {
		result = intersect(result, ix[t])
	}
	return result
}

func intersect(a, b []int) []int {
	out := a[:0]
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}
