package bug_27

import (
	"log"
	"sync"
	"time"
)

type Queue interface {
	Poll(timeout time.Duration) (msg []byte, ok bool)
	Ack(msg []byte) error
}

// Consumer polls a queue until Stop is called.
type Consumer struct {
	q        Queue
	handle   func([]byte) error
	stopping bool
	wg       sync.WaitGroup
}

func NewConsumer(q Queue, handle func([]byte) error) *Consumer {
	return &Consumer{q: q, handle: handle}
}

func (c *Consumer) Start(n int) {
	for i := 0; i < n; i++ {
		c.wg.Add(1)
		go c.run(i)
	}
}

func (c *Consumer) run(id int) {
	defer c.wg.Done()
	for !c.stopping { // RACE-ALSO
		msg, ok := c.q.Poll(500 * time.Millisecond)
		if !ok {
			continue
		}
		if err := c.handle(msg); err != nil {
			log.Printf("consumer %d: %v", id, err)
			continue
		}
		_ = c.q.Ack(msg)
	}
}

// Stop asks the workers to finish the message they are on and waits.
func (c *Consumer) Stop() {
	c.stopping = true // RACE
	c.wg.Wait()
}
