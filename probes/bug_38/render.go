package bug_38

import (
	"bytes"
	"fmt"
	"html/template"
	"sync"
)

// Renderer compiles page templates lazily and caches them.
type Renderer struct {
	mu       sync.RWMutex
	compiled map[string]*template.Template
	sources  map[string]string
}

func NewRenderer(sources map[string]string) *Renderer {
	return &Renderer{
		compiled: make(map[string]*template.Template),
		sources:  sources,
	}
}

func (r *Renderer) lookup(name string) (*template.Template, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()

	if t, ok := r.compiled[name]; ok { // RACE-ALSO
		return t, nil
	}
	src, ok := r.sources[name]
	if !ok {
		return nil, fmt.Errorf("render: unknown template %q", name)
	}
	t, err := template.New(name).Parse(src)
	if err != nil {
		return nil, err
	}
	r.compiled[name] = t // RACE
	return t, nil
}

type Page struct {
	Template string
	Data     interface{}
}

// RenderAll renders all pages concurrently; used by the static site exporter.
func (r *Renderer) RenderAll(pages []Page) ([][]byte, []error) {
	out := make([][]byte, len(pages))
	errs := make([]error, len(pages))
	var wg sync.WaitGroup
	for i := range pages {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			t, err := r.lookup(pages[i].Template)
			if err != nil {
				errs[i] = err
				return
			}
			var buf bytes.Buffer
			errs[i] = t.Execute(&buf, pages[i].Data)
			out[i] = buf.Bytes()
		}(i)
	}
	wg.Wait()
	return out, errs
}
