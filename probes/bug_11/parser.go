package bug_11

import (
	"fmt"
	"strconv"
	"strings"
)

// Parser parses "key=value" lines. In strict mode unknown keys are errors.
type Parser struct {
	Known  map[string]bool
	Strict bool
}

func NewParser(known ...string) *Parser {
	p := &Parser{Known: make(map[string]bool)}
	for _, k := range known {
		p.Known[k] = true
	}
	return p
}

func (p *Parser) Parse(input string) (map[string]int, error) {
	out := make(map[string]int)
	for n, line := range strings.Split(strings.TrimSpace(input), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: missing '='", n+1)
		}
		if !p.Known[k] && p.Strict { // RACE-ALSO
			return nil, fmt.Errorf("line %d: unknown key %q", n+1, k)
		}
		i, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		out[k] = i
	}
	return out, nil
}
