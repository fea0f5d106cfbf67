package t

import "sync"

type Box[T any] struct {
	mu sync.Mutex
	v  T
}

func (b *Box[T]) Get() T {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.v /*@ T */
}

func first[T any](xs []T) T {
	x := xs[0]
	_ = x /*@ T */
	return xs /*@ []T */[0]
}

func use() {
	b := &Box[int]{}
	_ = b.Get() /*@ int */
	_ = first([]string{"a"}) /*@ string */
}

type Locker interface{ Lock(); Unlock(); Name() string }

func lockAll[L Locker](ls []L) {
	for _, l := range ls {
		_ = l /*@ L */
		_ = l.Name() /*@ string */
	}
}
