package t

import (
	"net/http"
	"sync"
	"sync/atomic"
)

type Point struct {
	X, Y int
	name string
}

type Server struct {
	mu    sync.RWMutex
	wg    sync.WaitGroup
	count atomic.Int64
	conns map[string]*Point
	ch    chan<- int
	*Point
}

func (s *Server) Lock()            { s.mu/*@ sync.RWMutex */.Lock() }
func (p Point) Len() int           { return p.X/*@ int */ + p.Y }
func (s *Server) Get(k string) (*Point, bool) {
	p, ok := s.conns/*@ map[string]*example.com/t.Point */[k]
	_ = p/*@ *example.com/t.Point */
	_ = ok/*@ bool */
	return p, ok
}

const (
	a = iota
	b
	c float64 = 1 << iota
)

var (
	arr  [4]int
	arr2 = [...]string{"a", 5: "b"}
	sl   = []*Point{{X: 1}, {Y: 2}}
	m    = map[Point]string{{1, 2, ""}: "x"}
	f    = func(x int) string { return "" }
)

func uses(s *Server, w http.ResponseWriter) {
	_ = a/*@ untyped_int */
	_ = c/*@ float64 */
	_ = arr/*@ [4]int */
	_ = arr2/*@ [6]string */
	_ = sl/*@ []*example.com/t.Point */
	_ = sl[0]/*@ *example.com/t.Point */
	_ = m/*@ map[example.com/t.Point]string */
	_ = f(3)/*@ string */
	_ = s.X/*@ int */
	_ = s.Len/*@ func() int */
	_ = s.Len()/*@ int */
	_ = (*Server).Lock/*@ func(*example.com/t.Server) */
	_ = Point.Len/*@ func(example.com/t.Point) int */
	_ = s.count.Load()/*@ int64 */
	_ = s.ch/*@ chan<- int */
	x := 1
	_ = x/*@ int */
	y := 1.5
	_ = y/*@ float64 */
	z := 'a'
	_ = z/*@ int32 */
	str := "abc"
	_ = str[1]/*@ uint8 */
	_ = str[1:]/*@ string */
	_ = arr[1:]/*@ []int */
	_ = len(str)/*@ int */
	_ = make([]int, 3)/*@ []int */
	_ = new(Point)/*@ *example.com/t.Point */
	_ = append(sl, nil)/*@ []*example.com/t.Point */
	_ = cap(sl) == 3/*@ untyped_bool */
	_ = complex(1.0, 2)/*@ untyped_complex */
	_ = real(complex64(1))/*@ float32 */
	_ = recover()/*@ interface{} */
	w.Header()/*@ net/http.Header */.Set("a", "b")
	_ = w.Header().Get("a")/*@ string */
	var h http.Handler
	_ = h/*@ net/http.Handler */
	_ = http.HandlerFunc(nil)/*@ net/http.HandlerFunc */
	_ = Point{}/*@ example.com/t.Point */
	_ = &Point{}/*@ *example.com/t.Point */
	_ = uint8(3)/*@ uint8 */
	var i interface{} = s
	srv, ok := i.(*Server)
	_ = srv/*@ *example.com/t.Server */
	_ = ok/*@ bool */
	switch v := i.(type) {
	case *Point:
		_ = v/*@ *example.com/t.Point */
	case int, string:
		_ = v/*@ interface{} */
	}
}

var elided = []*Point{{X: 1}/*@ *example.com/t.Point */, &Point{}/*@ *example.com/t.Point */}

func elidedInFunc() []*Point {
	return []*Point{{X: 1}/*@ *example.com/t.Point */}
}

type CipherSuite struct{ ID uint16 }

func CipherSuites() []*CipherSuite {
	return []*CipherSuite{
		{ID: 1}/*@ *example.com/t.CipherSuite */,
	}
}

func CipherSuites2() []*CipherSuite {
	return []*CipherSuite{
		{1}/*@ *example.com/t.CipherSuite */,
	}
}
