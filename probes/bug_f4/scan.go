// Package bug_f4 counts words in several documents in parallel and
// summarises the counts.
package bug_f4

import (
	"sort"
	"strings"
	"sync"
)

// Summary describes the result of a scan.
type Summary struct {
	Total   int
	Largest string
	Counts  map[string]int
}

// Scanner counts words, ignoring words shorter than minLen runes. The
// field is set at construction and read-only afterwards.
type Scanner struct {
	minLen int
}

// NewScanner returns a Scanner ignoring words shorter than minLen.
func NewScanner(minLen int) *Scanner { return &Scanner{minLen: minLen} }

// count returns the number of words of at least minLen runes in text.
func (s *Scanner) count(text string) int {
	n := 0
	for _, w := range strings.Fields(text) {
		if len([]rune(w)) >= s.minLen {
			n++
		}
	}
	return n
}

// Scan counts the words of every document concurrently, one goroutine per
// document, and returns the summary. docs maps names to contents.
func (s *Scanner) Scan(docs map[string]string) Summary {
	names := make([]string, 0, len(docs))
	for n := range docs {
		names = append(names, n)
	}
	sort.Strings(names)

	var wg sync.WaitGroup
	defer wg.Wait()
	counts := make([]int, len(names))
	for i := range names {
		wg.Add(1)
		go func(i int, text string) {
			defer wg.Done()
			counts[i] = s.count(text) // RACE-ALSO
		}(i, docs[names[i]])
	}
	return summarize(names, counts)
}

// summarize builds a Summary from parallel name and count slices.
func summarize(names []string, counts []int) Summary {
	sum := Summary{Counts: make(map[string]int, len(names))}
	best := -1
	for i, n := range names {
		c := counts[i] // RACE
		sum.Counts[n] = c
		sum.Total += c
		if c > best {
			best = c
			sum.Largest = n
		}
	}
	return sum
}
