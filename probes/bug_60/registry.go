// Package bug_60 routes domain events to the handlers subscribed to a topic.
package bug_60

import "sync"

// Event is a domain event published on a topic.
type Event struct {
	Topic   string
	Payload []byte
}

// Handler consumes an event.
type Handler func(ev Event) error

// Registry maps topics to their subscribers.
type Registry struct {
	mu       sync.RWMutex
	handlers map[string][]Handler
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{handlers: make(map[string][]Handler)}
}

// Subscribe adds h to the subscribers of topic.
func (r *Registry) Subscribe(topic string, h Handler) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handlers[topic] = append(r.handlers[topic], h) // RACE-ALSO
}

// Handlers returns the subscribers of topic.
func (r *Registry) Handlers(topic string) []Handler {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.handlers[topic]
}

// Topics returns the number of topics with at least one subscriber.
func (r *Registry) Topics() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.handlers)
}
