package bug_31

import (
	"sync"
)

// Target is a scrape target whose labels can be updated by service discovery.
type Target struct {
	mu     sync.Mutex
	url    string
	labels map[string]string
}

func NewTarget(url string, labels map[string]string) *Target {
	return &Target{url: url, labels: labels}
}

func (t *Target) SetLabel(k, v string) {
	t.mu.Lock()
	t.labels[k] = v // RACE-ALSO
	t.mu.Unlock()
}

func (t *Target) Labels() map[string]string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.labels
}

// withInstance adds the synthetic "instance" label before samples are sent.
func withInstance(t *Target) map[string]string {
	ls := t.Labels()
	if _, ok := ls["instance"]; !ok {
		ls["instance"] = t.url // RACE
	}
	return ls
}

func Scrape(targets []*Target, send func(map[string]string)) {
	var wg sync.WaitGroup
	for _, t := range targets {
		wg.Add(1)
		go func(t *Target) {
			defer wg.Done()
			send(withInstance(t))
		}(t)
	}
	wg.Wait()
}

// Discover applies label updates from the discovery loop.
func Discover(updates <-chan map[string]string, t *Target) {
	for u := range updates {
		for k, v := range u {
			t.SetLabel(k, v)
		}
	}
}
