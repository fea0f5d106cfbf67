package bug_19

import (
	"fmt"
	"sync"
)

type Codec interface {
	Encode(v interface{}) ([]byte, error)
}

type Registry struct {
	mu     sync.RWMutex
	codecs map[string]Codec
}

func newRegistry() *Registry {
	r := &Registry{codecs: make(map[string]Codec)}
	r.codecs["raw"] = rawCodec{}
	return r
}

var defaultRegistry *Registry

// Default returns the process-wide codec registry.
func Default() *Registry {
	if defaultRegistry == nil { // RACE-ALSO
		defaultRegistry = newRegistry() // RACE
	}
	return defaultRegistry
}

func (r *Registry) Lookup(name string) (Codec, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	c, ok := r.codecs[name]
	if !ok {
		return nil, fmt.Errorf("codec %q not registered", name)
	}
	return c, nil
}

type rawCodec struct{}

func (rawCodec) Encode(v interface{}) ([]byte, error) { return []byte(fmt.Sprint(v)), nil }

// EncodeAll is called by the exporter with one goroutine per sink.
func EncodeAll(sinks []string, v interface{}) [][]byte {
	out := make([][]byte, len(sinks))
	done := make(chan struct{})
	for i, s := range sinks {
		go func(i int, sink string) {
			defer func() { done <- struct{}{} }()
			c, err := Default().Lookup(sink)
			if err != nil {
				return
			}
			out[i], _ = c.Encode(v)
		}(i, s)
	}
	for range sinks {
		<-done
	}
	return out
}
