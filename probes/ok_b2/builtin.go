package ok_b2

import (
	"fmt"
	"strconv"
)

// registerBuiltins installs the plugins that ship with the binary. It runs
// once per registry, on first lookup.
func (r *Registry) registerBuiltins() {
	_ = r.Register("noop", func() Plugin { return &noop{} })
	_ = r.Register("sampler", func() Plugin { return &sampler{rate: 1} })
}

type noop struct{}

func (*noop) Name() string                 { return "noop" }
func (*noop) Init(map[string]string) error { return nil }

// sampler keeps one event in every rate events. Each instance is owned by
// the caller of Registry.New.
type sampler struct {
	rate int
	seen int
}

func (s *sampler) Name() string { return "sampler" }

func (s *sampler) Init(cfg map[string]string) error {
	if v, ok := cfg["rate"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return fmt.Errorf("bad rate %q", v)
		}
		s.rate = n
	}
	return nil
}

// Keep reports whether the current event should be kept.
func (s *sampler) Keep() bool {
	s.seen++
	return s.seen%s.rate == 0
}
