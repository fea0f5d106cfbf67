package bug_37

import (
	"fmt"
	"sync"
	"sync/atomic"
)

type Event struct {
	Source  string
	Payload []byte
}

// Pipeline fans events out to a fixed number of workers. Counters are exported
// on the status page.
type Pipeline struct {
	processed uint64
	dropped   uint64

	in      chan Event
	handler func(Event) error
	wg      sync.WaitGroup
}

func NewPipeline(workers, queue int, handler func(Event) error) *Pipeline {
	p := &Pipeline{in: make(chan Event, queue), handler: handler}
	p.wg.Add(workers)
	for i := 0; i < workers; i++ {
		go p.worker()
	}
	return p
}

func (p *Pipeline) worker() {
	defer p.wg.Done()
	for ev := range p.in {
		if err := p.handler(ev); err != nil {
			atomic.AddUint64(&p.dropped, 1)
			continue
		}
		atomic.AddUint64(&p.processed, 1) // RACE-ALSO
	}
}

// Submit enqueues an event, dropping it when the queue is full.
func (p *Pipeline) Submit(ev Event) bool {
	select {
	case p.in <- ev:
		return true
	default:
		atomic.AddUint64(&p.dropped, 1)
		return false
	}
}

// Report renders the counters for the status page.
func (p *Pipeline) Report() string {
	return fmt.Sprintf("processed=%d dropped=%d queued=%d",
		p.processed, // RACE
		atomic.LoadUint64(&p.dropped),
		len(p.in))
}

// Close drains the queue and waits for workers.
func (p *Pipeline) Close() {
	close(p.in)
	p.wg.Wait()
}
