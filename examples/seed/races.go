package seed

import "sync"

type Item struct{ ID int }

type Result struct{ ID int }

func process(item Item) Result { return Result{ID: item.ID * 2} }

// CollectRacy is race #1: append from many goroutines.
func CollectRacy(items []Item) []Result {
	var results []Result
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Add(1)
		go func(item Item) {
			defer wg.Done()
			results = append(results, process(item)) // RACE!
		}(item)
	}
	wg.Wait()
	return results
}

// CollectLocked is the fix: the append happens under a mutex.
func CollectLocked(items []Item) []Result {
	var mu sync.Mutex
	var results []Result
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Add(1)
		go func(item Item) {
			defer wg.Done()
			result := process(item)
			mu.Lock()
			results = append(results, result)
			mu.Unlock()
		}(item)
	}
	wg.Wait()
	return results
}

// CollectIndexed writes each goroutine's own element of a preallocated slice: no race.
func CollectIndexed(items []Item) []Result {
	results := make([]Result, len(items))
	var wg sync.WaitGroup
	for i, item := range items {
		wg.Add(1)
		go func(i int, item Item) {
			defer wg.Done()
			results[i] = process(item)
		}(i, item)
	}
	wg.Wait()
	return results
}

// MapRacy is race #2: a plain map written and read by two goroutines.
func MapRacy() {
	cache := map[string]int{}
	go func() { cache["a"] = 1 }() // RACE
	go func() { _ = cache["a"] }()
}

// MapSync is the fix with sync.Map.
func MapSync() (any, bool) {
	var cache sync.Map
	cache.Store("a", 1)
	return cache.Load("a")
}

// LoopCaptureRacy is race #3 before Go 1.22: every goroutine shares `item`.
func LoopCaptureRacy(items []Item) {
	for _, item := range items {
		go func() {
			process(item) // BUG: always the last item (this module is on Go 1.21)
		}()
	}
}

// LoopCaptureFixed passes the variable as an argument.
func LoopCaptureFixed(items []Item) {
	for _, item := range items {
		go func(item Item) {
			process(item)
		}(item)
	}
}

// AddInsideGoroutine calls wg.Add inside the goroutine: Wait may return before it runs.
func AddInsideGoroutine(items []Item) {
	var wg sync.WaitGroup
	for _, item := range items {
		go func(item Item) {
			wg.Add(1) // BUG: Add must happen before the go statement
			defer wg.Done()
			process(item)
		}(item)
	}
	wg.Wait()
}
