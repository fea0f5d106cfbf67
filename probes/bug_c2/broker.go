// Package bug_c2 provides an in-process publish/subscribe broker.
//
// Subscribers receive messages on a buffered channel. Publishing never blocks:
// when a subscriber's buffer is full the message is dropped for that
// subscriber and counted in Stats.
package bug_c2

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
	id    uint64
	topic string
	ch    chan Message
	done  chan struct{}
	once  sync.Once
	b     *Broker
}

// C returns the channel on which messages are delivered.
func (s *Subscription) C() <-chan Message { return s.ch }

// Unsubscribe removes the subscription from its broker. It is safe to call
// more than once.
func (s *Subscription) Unsubscribe() {
	s.once.Do(func() {
		s.b.remove(s)
		close(s.done)
	})
}

// Broker routes messages to the subscribers of a topic.
// A Broker is safe for concurrent use by multiple goroutines.
type Broker struct {
	dropped   uint64 // atomic
	delivered uint64 // atomic

	mu     sync.RWMutex
	topics map[string][]*Subscription
	nextID uint64
}

// NewBroker returns an empty broker.
func NewBroker() *Broker {
	return &Broker{topics: make(map[string][]*Subscription)}
}

// Subscribe registers a new subscriber for topic with a delivery buffer of
// size buf.
func (b *Broker) Subscribe(topic string, buf int) *Subscription {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.nextID++
	s := &Subscription{
		id:    b.nextID,
		topic: topic,
		ch:    make(chan Message, buf),
		done:  make(chan struct{}),
		b:     b,
	}
	b.topics[topic] = append(b.topics[topic], s)
	return s
}

// subscribers returns the current subscribers of topic.
func (b *Broker) subscribers(topic string) []*Subscription {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.topics[topic]
}

// Publish delivers m to every current subscriber of m.Topic and returns the
// number of subscribers that accepted it. Delivery happens outside the
// broker lock so slow subscribers cannot stall Subscribe or Unsubscribe.
func (b *Broker) Publish(m Message) int {
	n := 0
	for _, s := range b.subscribers(m.Topic) { // RACE
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
	atomic.AddUint64(&b.delivered, uint64(n))
	return n
}

func (b *Broker) remove(s *Subscription) {
	b.mu.Lock()
	defer b.mu.Unlock()
	subs := b.topics[s.topic]
	for i, x := range subs {
		if x != s {
			continue
		}
		if len(subs) == 1 {
			delete(b.topics, s.topic)
			return
		}
		b.topics[s.topic] = append(subs[:i], subs[i+1:]...) // RACE-ALSO
		return
	}
}

// Stats reports delivered and dropped message counts.
func (b *Broker) Stats() (delivered, dropped uint64) {
	return atomic.LoadUint64(&b.delivered), atomic.LoadUint64(&b.dropped)
}

// NumSubscribers returns the number of subscribers of topic.
func (b *Broker) NumSubscribers(topic string) int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.topics[topic])
}
