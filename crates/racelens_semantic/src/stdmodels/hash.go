// Model of package hash for racelens: the Hash interfaces, whose implementations are not
// safe for concurrent use, with the signatures of the real API.

package hash

import "io"

// Hash is the common interface implemented by all hash functions.
type Hash interface {
	io.Writer
	Sum(b []byte) []byte
	Reset()
	Size() int
	BlockSize() int
}

// Hash32 is the common interface implemented by all 32-bit hash functions.
type Hash32 interface {
	Hash
	Sum32() uint32
}

// Hash64 is the common interface implemented by all 64-bit hash functions.
type Hash64 interface {
	Hash
	Sum64() uint64
}
