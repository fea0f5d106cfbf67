// Package ok_35 routes domain events to the handlers subscribed to a topic.
package ok_35

import "sync"

// Event is a domain event published on a topic.
type Event struct {
	Topic   string
	Payload []byte
}

// Handler consumes an event.
type Handler func(ev Event) error

// Registry maps topics to subscribers. It embeds its mutex and every method
// takes it; slices handed to callers are always copies.
type Registry struct {
	sync.Mutex
	handlers map[string][]Handler
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{handlers: make(map[string][]Handler)}
}

// Subscribe adds h to the subscribers of topic.
func (r *Registry) Subscribe(topic string, h Handler) {
	r.Lock()
	defer r.Unlock()
	r.handlers[topic] = append(r.handlers[topic], h)
}

// Handlers returns a copy of the subscribers of topic; callers may append to it.
func (r *Registry) Handlers(topic string) []Handler {
	r.Lock()
	defer r.Unlock()
	hs := r.handlers[topic]
	out := make([]Handler, len(hs), len(hs)+1)
	copy(out, hs)
	return out
}
