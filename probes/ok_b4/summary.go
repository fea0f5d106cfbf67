package ok_b4

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Summary holds running statistics for one key.
type Summary struct {
	Key   string
	Count int
	Sum   float64
	Min   float64
	Max   float64
}

func (s *Summary) add(v float64) {
	if s.Count == 0 {
		s.Min, s.Max = v, v
	}
	s.Count++
	s.Sum += v
	s.Min = math.Min(s.Min, v)
	s.Max = math.Max(s.Max, v)
}

// Mean returns the arithmetic mean, or NaN for an empty summary.
func (s Summary) Mean() float64 {
	if s.Count == 0 {
		return math.NaN()
	}
	return s.Sum / float64(s.Count)
}

// Report is the result of Aggregate.
type Report struct {
	Keys  []Summary // sorted by key
	Trace string
}

func (r *Report) sort() {
	sort.Slice(r.Keys, func(i, j int) bool { return r.Keys[i].Key < r.Keys[j].Key })
}

// String renders the report as an aligned table.
func (r Report) String() string {
	var b strings.Builder
	for _, s := range r.Keys {
		fmt.Fprintf(&b, "%-16s n=%-6d mean=%-10.3f min=%-10.3f max=%.3f\n",
			s.Key, s.Count, s.Mean(), s.Min, s.Max)
	}
	return b.String()
}
