// Model of package testing for racelens: T, B, F, M, PB and TB with the methods tests
// call, with the signatures of the real API (Go 1.25). Methods shared by T, B and F are
// declared on the embedded common type, as in the real package. Bodies are placeholders.

package testing

import (
	"context"
	"sync"
	"time"
)

// common holds the elements common between T, B and F and captures common methods such
// as Errorf.
type common struct {
	mu       sync.RWMutex
	failed   bool
	skipped  bool
	cleanups []func()
}

func (c *common) Name() string                      { panic("model") }
func (c *common) Fail()                             {}
func (c *common) Failed() bool                      { panic("model") }
func (c *common) FailNow()                          {}
func (c *common) Log(args ...any)                   {}
func (c *common) Logf(format string, args ...any)   {}
func (c *common) Error(args ...any)                 {}
func (c *common) Errorf(format string, args ...any) {}
func (c *common) Fatal(args ...any)                 {}
func (c *common) Fatalf(format string, args ...any) {}
func (c *common) Skip(args ...any)                  {}
func (c *common) Skipf(format string, args ...any)  {}
func (c *common) SkipNow()                          {}
func (c *common) Skipped() bool                     { panic("model") }
func (c *common) Helper()                           {}
func (c *common) Cleanup(f func())                  {}
func (c *common) TempDir() string                   { panic("model") }
func (c *common) Setenv(key, value string)          {}
func (c *common) Chdir(dir string)                  {}
func (c *common) Context() context.Context          { panic("model") }

// TB is the interface common to T, B, and F.
type TB interface {
	Cleanup(func())
	Error(args ...any)
	Errorf(format string, args ...any)
	Fail()
	FailNow()
	Failed() bool
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	Helper()
	Log(args ...any)
	Logf(format string, args ...any)
	Name() string
	Setenv(key, value string)
	Chdir(dir string)
	Skip(args ...any)
	SkipNow()
	Skipf(format string, args ...any)
	Skipped() bool
	TempDir() string
	Context() context.Context

	private()
}

// T is a type passed to Test functions to manage test state and support formatted test
// logs.
type T struct {
	common
	isEnvSet bool
}

func (c *common) private() {}

func (t *T) Parallel()                               {}
func (t *T) Setenv(key, value string)                {}
func (t *T) Run(name string, f func(t *T)) bool      { panic("model") }
func (t *T) Deadline() (deadline time.Time, ok bool) { panic("model") }

// B is a type passed to Benchmark functions to manage benchmark timing and to specify
// the number of iterations to run.
type B struct {
	common
	N int
}

func (b *B) StartTimer()                         {}
func (b *B) StopTimer()                          {}
func (b *B) ResetTimer()                         {}
func (b *B) SetBytes(n int64)                    {}
func (b *B) ReportAllocs()                       {}
func (b *B) ReportMetric(n float64, unit string) {}
func (b *B) Elapsed() time.Duration              { panic("model") }
func (b *B) Loop() bool                          { panic("model") }
func (b *B) Run(name string, f func(b *B)) bool  { panic("model") }
func (b *B) RunParallel(body func(*PB))          {}
func (b *B) SetParallelism(p int)                {}

// A PB is used by RunParallel for running parallel benchmarks.
type PB struct {
	globalN *uint64
}

func (pb *PB) Next() bool { panic("model") }

// F is a type passed to fuzz tests.
type F struct {
	common
}

func (f *F) Helper()         {}
func (f *F) Fail()           {}
func (f *F) Skipped() bool   { panic("model") }
func (f *F) Add(args ...any) {}
func (f *F) Fuzz(ff any)     {}

// M is a type passed to a TestMain function to run the actual tests.
type M struct {
	numRun int
}

func (m *M) Run() (code int) { panic("model") }

func Short() bool   { panic("model") }
func Verbose() bool { panic("model") }
func Testing() bool { panic("model") }
