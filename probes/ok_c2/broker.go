// Package ok_c2 provides an in-process publish/subscribe broker.
//
// The subscriber table is copy-on-write: Publish loads an immutable snapshot
// without taking any lock, while Subscribe and Unsubscribe build a new table
// under a mutex and publish it atomically.
package ok_c2

import (
	"sync"
	"sync/atomic"
)

// Message is a published message.
type Message struct {
	Topic   string
	Payload []byte
}

// Subscription is a single subscriber to a topic.
type Subscription struct {
	topic string
	ch    chan Message
	done  chan struct{}
	once  sync.Once
	b     *Broker
}

// C returns the channel on which messages are delivered.
func (s *Subscription) C() <-chan Message { return s.ch }

// Unsubscribe removes the subscription. It is safe to call more than once.
func (s *Subscription) Unsubscribe() {
	s.once.Do(func() {
		s.b.update(func(t table) { t.remove(s) })
		close(s.done)
	})
}

// table maps topics to subscribers. A published table is never modified.
type table map[string][]*Subscription

func (t table) clone() table {
	n := make(table, len(t)+1)
	for k, v := range t {
		n[k] = v // slices are replaced, never written in place
	}
	return n
}

func (t table) remove(s *Subscription) {
	old := t[s.topic]
	subs := make([]*Subscription, 0, len(old))
	for _, x := range old {
		if x != s {
			subs = append(subs, x)
		}
	}
	if len(subs) == 0 {
		delete(t, s.topic)
		return
	}
	t[s.topic] = subs
}

// Broker routes messages to the subscribers of a topic.
// A Broker is safe for concurrent use by multiple goroutines.
type Broker struct {
	dropped uint64 // atomic

	mu   sync.Mutex // serialises writers of subs
	subs atomic.Pointer[table]
}

// NewBroker returns an empty broker.
func NewBroker() *Broker {
	b := &Broker{}
	t := make(table)
	b.subs.Store(&t)
	return b
}

// update applies fn to a private copy of the current table and publishes it.
func (b *Broker) update(fn func(t table)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	next := (*b.subs.Load()).clone()
	fn(next)
	b.subs.Store(&next)
}

// Subscribe registers a subscriber for topic with a buffer of size buf.
func (b *Broker) Subscribe(topic string, buf int) *Subscription {
	s := &Subscription{
		topic: topic,
		ch:    make(chan Message, buf),
		done:  make(chan struct{}),
		b:     b,
	}
	b.update(func(t table) {
		old := t[topic]
		subs := make([]*Subscription, len(old), len(old)+1)
		copy(subs, old)
		t[topic] = append(subs, s)
	})
	return s
}

// Publish delivers m to every current subscriber of m.Topic without blocking
// and returns the number of subscribers that accepted it.
func (b *Broker) Publish(m Message) int {
	t := *b.subs.Load()
	n := 0
	for _, s := range t[m.Topic] {
		select {
		case <-s.done:
			continue
		default:
		}
		select {
		case s.ch <- m:
			n++
		default:
			atomic.AddUint64(&b.dropped, 1)
		}
	}
	return n
}

// Topics returns the topics that currently have subscribers. The returned
// slice is freshly allocated and owned by the caller.
func (b *Broker) Topics() []string {
	t := *b.subs.Load()
	out := make([]string, 0, len(t))
	for k := range t {
		out = append(out, k)
	}
	return out
}

// Dropped returns the number of messages dropped because a subscriber's
// buffer was full.
func (b *Broker) Dropped() uint64 { return atomic.LoadUint64(&b.dropped) }
