// Model of package sync/atomic for racelens: every function and the typed values with
// their methods, with the signatures of the real API (Go 1.25). Bodies are placeholders.

package atomic

import "unsafe"

func SwapInt32(addr *int32, new int32) (old int32)                              { panic("model") }
func SwapInt64(addr *int64, new int64) (old int64)                              { panic("model") }
func SwapUint32(addr *uint32, new uint32) (old uint32)                          { panic("model") }
func SwapUint64(addr *uint64, new uint64) (old uint64)                          { panic("model") }
func SwapUintptr(addr *uintptr, new uintptr) (old uintptr)                      { panic("model") }
func SwapPointer(addr *unsafe.Pointer, new unsafe.Pointer) (old unsafe.Pointer) { panic("model") }

func CompareAndSwapInt32(addr *int32, old, new int32) (swapped bool)       { panic("model") }
func CompareAndSwapInt64(addr *int64, old, new int64) (swapped bool)       { panic("model") }
func CompareAndSwapUint32(addr *uint32, old, new uint32) (swapped bool)    { panic("model") }
func CompareAndSwapUint64(addr *uint64, old, new uint64) (swapped bool)    { panic("model") }
func CompareAndSwapUintptr(addr *uintptr, old, new uintptr) (swapped bool) { panic("model") }
func CompareAndSwapPointer(addr *unsafe.Pointer, old, new unsafe.Pointer) (swapped bool) {
	panic("model")
}

func AddInt32(addr *int32, delta int32) (new int32)         { panic("model") }
func AddUint32(addr *uint32, delta uint32) (new uint32)     { panic("model") }
func AddInt64(addr *int64, delta int64) (new int64)         { panic("model") }
func AddUint64(addr *uint64, delta uint64) (new uint64)     { panic("model") }
func AddUintptr(addr *uintptr, delta uintptr) (new uintptr) { panic("model") }

// The And and Or functions exist since Go 1.23.
func AndInt32(addr *int32, mask int32) (old int32)         { panic("model") }
func AndUint32(addr *uint32, mask uint32) (old uint32)     { panic("model") }
func AndInt64(addr *int64, mask int64) (old int64)         { panic("model") }
func AndUint64(addr *uint64, mask uint64) (old uint64)     { panic("model") }
func AndUintptr(addr *uintptr, mask uintptr) (old uintptr) { panic("model") }
func OrInt32(addr *int32, mask int32) (old int32)          { panic("model") }
func OrUint32(addr *uint32, mask uint32) (old uint32)      { panic("model") }
func OrInt64(addr *int64, mask int64) (old int64)          { panic("model") }
func OrUint64(addr *uint64, mask uint64) (old uint64)      { panic("model") }
func OrUintptr(addr *uintptr, mask uintptr) (old uintptr)  { panic("model") }

func LoadInt32(addr *int32) (val int32)                     { panic("model") }
func LoadInt64(addr *int64) (val int64)                     { panic("model") }
func LoadUint32(addr *uint32) (val uint32)                  { panic("model") }
func LoadUint64(addr *uint64) (val uint64)                  { panic("model") }
func LoadUintptr(addr *uintptr) (val uintptr)               { panic("model") }
func LoadPointer(addr *unsafe.Pointer) (val unsafe.Pointer) { panic("model") }

func StoreInt32(addr *int32, val int32)                     {}
func StoreInt64(addr *int64, val int64)                     {}
func StoreUint32(addr *uint32, val uint32)                  {}
func StoreUint64(addr *uint64, val uint64)                  {}
func StoreUintptr(addr *uintptr, val uintptr)               {}
func StorePointer(addr *unsafe.Pointer, val unsafe.Pointer) {}

// noCopy marks types that must not be copied after first use (checked by go vet).
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}

// align64 asks the compiler for 64-bit alignment.
type align64 struct{}

// A Bool is an atomic boolean value.
type Bool struct {
	_ noCopy
	v uint32
}

func (x *Bool) Load() bool                                  { panic("model") }
func (x *Bool) Store(val bool)                              {}
func (x *Bool) Swap(new bool) (old bool)                    { panic("model") }
func (x *Bool) CompareAndSwap(old, new bool) (swapped bool) { panic("model") }

// A Pointer is an atomic pointer of type *T.
type Pointer[T any] struct {
	_ [0]*T
	_ noCopy
	v unsafe.Pointer
}

func (x *Pointer[T]) Load() *T                                  { panic("model") }
func (x *Pointer[T]) Store(val *T)                              {}
func (x *Pointer[T]) Swap(new *T) (old *T)                      { panic("model") }
func (x *Pointer[T]) CompareAndSwap(old, new *T) (swapped bool) { panic("model") }

// An Int32 is an atomic int32.
type Int32 struct {
	_ noCopy
	v int32
}

func (x *Int32) Load() int32                                  { panic("model") }
func (x *Int32) Store(val int32)                              {}
func (x *Int32) Swap(new int32) (old int32)                   { panic("model") }
func (x *Int32) CompareAndSwap(old, new int32) (swapped bool) { panic("model") }
func (x *Int32) Add(delta int32) (new int32)                  { panic("model") }
func (x *Int32) And(mask int32) (old int32)                   { panic("model") }
func (x *Int32) Or(mask int32) (old int32)                    { panic("model") }

// An Int64 is an atomic int64.
type Int64 struct {
	_ noCopy
	_ align64
	v int64
}

func (x *Int64) Load() int64                                  { panic("model") }
func (x *Int64) Store(val int64)                              {}
func (x *Int64) Swap(new int64) (old int64)                   { panic("model") }
func (x *Int64) CompareAndSwap(old, new int64) (swapped bool) { panic("model") }
func (x *Int64) Add(delta int64) (new int64)                  { panic("model") }
func (x *Int64) And(mask int64) (old int64)                   { panic("model") }
func (x *Int64) Or(mask int64) (old int64)                    { panic("model") }

// A Uint32 is an atomic uint32.
type Uint32 struct {
	_ noCopy
	v uint32
}

func (x *Uint32) Load() uint32                                  { panic("model") }
func (x *Uint32) Store(val uint32)                              {}
func (x *Uint32) Swap(new uint32) (old uint32)                  { panic("model") }
func (x *Uint32) CompareAndSwap(old, new uint32) (swapped bool) { panic("model") }
func (x *Uint32) Add(delta uint32) (new uint32)                 { panic("model") }
func (x *Uint32) And(mask uint32) (old uint32)                  { panic("model") }
func (x *Uint32) Or(mask uint32) (old uint32)                   { panic("model") }

// A Uint64 is an atomic uint64.
type Uint64 struct {
	_ noCopy
	_ align64
	v uint64
}

func (x *Uint64) Load() uint64                                  { panic("model") }
func (x *Uint64) Store(val uint64)                              {}
func (x *Uint64) Swap(new uint64) (old uint64)                  { panic("model") }
func (x *Uint64) CompareAndSwap(old, new uint64) (swapped bool) { panic("model") }
func (x *Uint64) Add(delta uint64) (new uint64)                 { panic("model") }
func (x *Uint64) And(mask uint64) (old uint64)                  { panic("model") }
func (x *Uint64) Or(mask uint64) (old uint64)                   { panic("model") }

// A Uintptr is an atomic uintptr.
type Uintptr struct {
	_ noCopy
	v uintptr
}

func (x *Uintptr) Load() uintptr                                  { panic("model") }
func (x *Uintptr) Store(val uintptr)                              {}
func (x *Uintptr) Swap(new uintptr) (old uintptr)                 { panic("model") }
func (x *Uintptr) CompareAndSwap(old, new uintptr) (swapped bool) { panic("model") }
func (x *Uintptr) Add(delta uintptr) (new uintptr)                { panic("model") }
func (x *Uintptr) And(mask uintptr) (old uintptr)                 { panic("model") }
func (x *Uintptr) Or(mask uintptr) (old uintptr)                  { panic("model") }

// A Value provides an atomic load and store of a consistently typed value.
type Value struct {
	v any
}

func (v *Value) Load() (val any)                            { panic("model") }
func (v *Value) Store(val any)                              {}
func (v *Value) Swap(new any) (old any)                     { panic("model") }
func (v *Value) CompareAndSwap(old, new any) (swapped bool) { panic("model") }
