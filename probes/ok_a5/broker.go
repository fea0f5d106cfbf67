// Package ok_a5 is an in-process pub/sub broker. A single dispatcher
// goroutine owns the subscription table; all mutations are sent to it as
// messages.
package ok_a5

import (
	"sync"
	"sync/atomic"
)

// Message is a published event.
type Message struct {
	Topic   string
	Payload []byte
}

type subscribeReq struct {
	topic string
	ch    chan Message
	reply chan int
}

type unsubscribeReq struct {
	topic string
	id    int
}

// Broker routes messages to topic subscribers.
type Broker struct {
	bufSize int

	subCh   chan subscribeReq
	unsubCh chan unsubscribeReq
	pubCh   chan Message
	quit    chan struct{}
	done    chan struct{}
	once    sync.Once

	published atomic.Uint64
	dropped   atomic.Uint64
}

// NewBroker starts a broker whose subscriber channels have bufSize slots.
func NewBroker(bufSize int) *Broker {
	b := &Broker{
		bufSize: bufSize,
		subCh:   make(chan subscribeReq),
		unsubCh: make(chan unsubscribeReq),
		pubCh:   make(chan Message, 64),
		quit:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	go b.dispatch()
	return b
}

func (b *Broker) dispatch() {
	defer close(b.done)
	subs := make(map[string]map[int]chan Message)
	nextID := 0
	for {
		select {
		case req := <-b.subCh:
			if subs[req.topic] == nil {
				subs[req.topic] = make(map[int]chan Message)
			}
			nextID++
			subs[req.topic][nextID] = req.ch
			req.reply <- nextID
		case req := <-b.unsubCh:
			if ch, ok := subs[req.topic][req.id]; ok {
				delete(subs[req.topic], req.id)
				close(ch)
			}
		case m := <-b.pubCh:
			for _, ch := range subs[m.Topic] {
				select {
				case ch <- m:
				default:
					b.dropped.Add(1)
				}
			}
		case <-b.quit:
			for _, byID := range subs {
				for _, ch := range byID {
					close(ch)
				}
			}
			return
		}
	}
}

// Subscribe registers interest in topic. The returned channel is closed on
// Unsubscribe or Close.
func (b *Broker) Subscribe(topic string) (<-chan Message, int) {
	ch := make(chan Message, b.bufSize)
	reply := make(chan int, 1)
	select {
	case b.subCh <- subscribeReq{topic: topic, ch: ch, reply: reply}:
		return ch, <-reply
	case <-b.quit:
		close(ch)
		return ch, 0
	}
}

// Unsubscribe removes a subscription created by Subscribe.
func (b *Broker) Unsubscribe(topic string, id int) {
	select {
	case b.unsubCh <- unsubscribeReq{topic: topic, id: id}:
	case <-b.quit:
	}
}

// Publish delivers m to current subscribers of m.Topic. Slow subscribers
// whose buffers are full miss the message.
func (b *Broker) Publish(m Message) {
	select {
	case b.pubCh <- m:
		b.published.Add(1)
	case <-b.quit:
	}
}

// Counters reports how many messages were published and dropped.
func (b *Broker) Counters() (published, dropped uint64) {
	return b.published.Load(), b.dropped.Load()
}

// Close stops the dispatcher and closes all subscriber channels.
func (b *Broker) Close() {
	b.once.Do(func() { close(b.quit) })
	<-b.done
}
