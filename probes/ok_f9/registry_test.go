package ok_f9

import (
	"fmt"
	"sync"
	"testing"
)

// fixtures is shared by all parallel subtests and is never modified.
var fixtures = []Service{
	{Name: "api", Addr: "http://api.internal", Tags: []string{"public", "v2"}, Weight: 3},
	{Name: "auth", Addr: "grpc://auth.internal", Tags: []string{"internal"}, Weight: 5},
	{Name: "cache", Addr: "redis://cache.internal:7000", Tags: []string{"internal", "v2"}, Weight: 1},
	{Name: "web", Addr: "https://www.example.com", Tags: []string{"public"}, Weight: 2},
}

type registryCase struct {
	name    string
	tag     string
	want    []string
	replace bool
}

var registryCases = []registryCase{
	{name: "public", tag: "public", want: []string{"api", "web"}},
	{name: "internal", tag: "internal", want: []string{"auth", "cache"}},
	{name: "v2", tag: "v2", want: []string{"api", "cache"}},
	{name: "v2-churn", tag: "v2", want: []string{"api", "cache"}, replace: true},
}

// newFixture builds a registry private to one subtest.
func newFixture() *Registry {
	r := NewRegistry()
	for _, s := range fixtures {
		r.Register(s)
	}
	return r
}

// runCase returns the body of one parallel subtest.
func runCase(tc registryCase) func(*testing.T) {
	return func(t *testing.T) {
		t.Parallel()
		r := newFixture()
		var wg sync.WaitGroup
		if tc.replace {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 200; i++ {
					s := fixtures[i%len(fixtures)]
					s.Weight = s.Weight + 10*(i%2)
					r.Register(s)
					r.Register(Service{Name: fmt.Sprintf("tmp-%d", i), Addr: "http://tmp"})
					r.Deregister(fmt.Sprintf("tmp-%d", i))
				}
			}()
		}
		for i := 0; i < 50; i++ {
			got := r.WithTag(tc.tag)
			if len(got) != len(tc.want) {
				t.Fatalf("WithTag(%q) returned %d services, want %d", tc.tag, len(got), len(tc.want))
			}
			for _, s := range got {
				if r.Addr(s.Name) == "" || s.Addr == "" {
					t.Fatalf("service %q has no address", s.Name)
				}
			}
		}
		wg.Wait()
		if got := r.Addr("api"); got != "api.internal:80" {
			t.Errorf("Addr(api) = %q", got)
		}
	}
}

func TestRegistryParallel(t *testing.T) {
	for i := range registryCases {
		t.Run(registryCases[i].name, runCase(registryCases[i]))
	}
}

func TestLookupConcurrent(t *testing.T) {
	r := newFixture()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if g%2 == 0 {
					r.Register(Service{Name: "auth", Addr: "grpc://auth-" + fmt.Sprint(i), Tags: []string{"internal"}})
					continue
				}
				if s, ok := r.Lookup("auth"); !ok || len(s.Addr) == 0 || !s.HasTag("internal") {
					t.Errorf("bad lookup: %+v", s)
				}
				_ = r.Version()
			}
		}(g)
	}
	wg.Wait()
}
