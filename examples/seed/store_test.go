package seed

import (
	"runtime"
	"sync"
	"testing"
)

func TestConcurrentAccess(t *testing.T) {
	store := &ConfigStore{config: map[string]string{}}
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(2)
		go func(val int) {
			defer wg.Done()
			store.Set("key", string(rune('a'+val%26)))
		}(i)
		go func() {
			defer wg.Done()
			runtime.Gosched() // Encourage interleaving
			store.Get("key")
		}()
	}
	wg.Wait()
}

func TestParallelShared(t *testing.T) {
	count := 0
	for _, name := range []string{"a", "b"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			count++ // RACE: sibling parallel subtests write the parent's variable
		})
	}
}
