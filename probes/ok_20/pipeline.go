package ok_20

import (
	"fmt"
	"sync"
	"sync/atomic"
)

type Event struct {
	Source  string
	Payload []byte
}

// Pipeline fans events out to workers; all counters are accessed atomically.
type Pipeline struct {
	processed uint64
	dropped   uint64
	failed    uint64

	in      chan Event
	handler func(Event) error
	wg      sync.WaitGroup
	bySrc   *Registry // per-source delta counters, scraped concurrently
}

func NewPipeline(workers, queue int, handler func(Event) error) *Pipeline {
	p := &Pipeline{in: make(chan Event, queue), handler: handler, bySrc: NewRegistry()}
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
			atomic.AddUint64(&p.failed, 1)
			continue
		}
		atomic.AddUint64(&p.processed, 1)
		p.bySrc.Counter(ev.Source).Add(1)
	}
}

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
	return fmt.Sprintf("processed=%d failed=%d dropped=%d queued=%d",
		atomic.LoadUint64(&p.processed),
		atomic.LoadUint64(&p.failed),
		atomic.LoadUint64(&p.dropped),
		len(p.in))
}

// ScrapeSources returns per-source counts since the previous scrape.
func (p *Pipeline) ScrapeSources() map[string]float64 { return p.bySrc.GatherAndReset() }

// Close drains the queue and waits for the workers.
func (p *Pipeline) Close() { close(p.in); p.wg.Wait() }
