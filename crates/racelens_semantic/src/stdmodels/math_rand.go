// Model of package math/rand for racelens: Rand, a value not safe for concurrent use (the
// top-level functions are safe), with the signatures of the real API. Bodies are
// placeholders.

package rand

// A Source represents a source of uniformly-distributed pseudo-random int64 values.
type Source interface {
	Int63() int64
	Seed(seed int64)
}

// A Rand is a source of random numbers.
type Rand struct {
	src Source
}

func NewSource(seed int64) Source                 { panic("model") }
func New(src Source) *Rand                        { panic("model") }
func (r *Rand) ExpFloat64() float64               { panic("model") }
func (r *Rand) NormFloat64() float64              { panic("model") }
func (r *Rand) Seed(seed int64)                   {}
func (r *Rand) Int63() int64                      { panic("model") }
func (r *Rand) Uint32() uint32                    { panic("model") }
func (r *Rand) Uint64() uint64                    { panic("model") }
func (r *Rand) Int31() int32                      { panic("model") }
func (r *Rand) Int() int                          { panic("model") }
func (r *Rand) Int63n(n int64) int64              { panic("model") }
func (r *Rand) Int31n(n int32) int32              { panic("model") }
func (r *Rand) Intn(n int) int                    { panic("model") }
func (r *Rand) Float64() float64                  { panic("model") }
func (r *Rand) Float32() float32                  { panic("model") }
func (r *Rand) Perm(n int) []int                  { panic("model") }
func (r *Rand) Shuffle(n int, swap func(i, j int)) {}
func (r *Rand) Read(p []byte) (n int, err error)  { panic("model") }

func Seed(seed int64)                    {}
func Int63() int64                       { panic("model") }
func Int() int                           { panic("model") }
func Int63n(n int64) int64               { panic("model") }
func Int31n(n int32) int32               { panic("model") }
func Intn(n int) int                     { panic("model") }
func Float64() float64                   { panic("model") }
func Perm(n int) []int                   { panic("model") }
func Shuffle(n int, swap func(i, j int)) {}
