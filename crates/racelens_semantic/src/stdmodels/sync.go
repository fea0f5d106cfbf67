// Model of package sync for racelens: the declarations concurrency analysis depends on,
// with the signatures of the real API (Go 1.25). Bodies are placeholders.

package sync

// noCopy marks types that must not be copied after first use (checked by go vet).
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}

// A Locker represents an object that can be locked and unlocked.
type Locker interface {
	Lock()
	Unlock()
}

// A Mutex is a mutual exclusion lock.
type Mutex struct {
	state int32
	sema  uint32
}

func (m *Mutex) Lock()         {}
func (m *Mutex) TryLock() bool { panic("model") }
func (m *Mutex) Unlock()       {}

// A RWMutex is a reader/writer mutual exclusion lock.
type RWMutex struct {
	w           Mutex
	writerSem   uint32
	readerSem   uint32
	readerCount int32
	readerWait  int32
}

func (rw *RWMutex) RLock()          {}
func (rw *RWMutex) TryRLock() bool  { panic("model") }
func (rw *RWMutex) RUnlock()        {}
func (rw *RWMutex) Lock()           {}
func (rw *RWMutex) TryLock() bool   { panic("model") }
func (rw *RWMutex) Unlock()         {}
func (rw *RWMutex) RLocker() Locker { return (*rlocker)(rw) }

type rlocker RWMutex

func (r *rlocker) Lock()   { (*RWMutex)(r).RLock() }
func (r *rlocker) Unlock() { (*RWMutex)(r).RUnlock() }

// A WaitGroup waits for a collection of goroutines to finish.
type WaitGroup struct {
	noCopy noCopy
	state  uint64
	sema   uint32
}

func (wg *WaitGroup) Add(delta int) {}
func (wg *WaitGroup) Done()         {}
func (wg *WaitGroup) Wait()         {}

// Go calls f in a new goroutine and adds that task to the WaitGroup (Go 1.25).
func (wg *WaitGroup) Go(f func()) {}

// Once is an object that will perform exactly one action.
type Once struct {
	done uint32
	m    Mutex
}

func (o *Once) Do(f func()) {}

// OnceFunc returns a function that invokes f only once (Go 1.21).
func OnceFunc(f func()) func() { panic("model") }

// OnceValue returns a function that invokes f only once and returns its value (Go 1.21).
func OnceValue[T any](f func() T) func() T { panic("model") }

// OnceValues returns a function that invokes f only once and returns its values (Go 1.21).
func OnceValues[T1, T2 any](f func() (T1, T2)) func() (T1, T2) { panic("model") }

// Map is like a Go map[any]any but is safe for concurrent use by multiple goroutines.
type Map struct {
	mu    Mutex
	dirty map[any]any
}

func (m *Map) Load(key any) (value any, ok bool)                    { panic("model") }
func (m *Map) Store(key, value any)                                 {}
func (m *Map) LoadOrStore(key, value any) (actual any, loaded bool) { panic("model") }
func (m *Map) LoadAndDelete(key any) (value any, loaded bool)       { panic("model") }
func (m *Map) Delete(key any)                                       {}
func (m *Map) Swap(key, value any) (previous any, loaded bool)      { panic("model") }
func (m *Map) CompareAndSwap(key, old, new any) (swapped bool)      { panic("model") }
func (m *Map) CompareAndDelete(key, old any) (deleted bool)         { panic("model") }
func (m *Map) Range(f func(key, value any) bool)                    {}
func (m *Map) Clear()                                               {}

// A Pool is a set of temporary objects that may be individually saved and retrieved.
type Pool struct {
	noCopy noCopy

	// New optionally specifies a function to generate a value when Get would otherwise
	// return nil.
	New func() any
}

func (p *Pool) Put(x any) {}
func (p *Pool) Get() any  { panic("model") }

// Cond implements a condition variable.
type Cond struct {
	noCopy noCopy

	// L is held while observing or changing the condition.
	L Locker
}

func NewCond(l Locker) *Cond { return &Cond{L: l} }
func (c *Cond) Wait()        {}
func (c *Cond) Signal()      {}
func (c *Cond) Broadcast()   {}
