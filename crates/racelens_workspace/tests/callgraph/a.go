package a

import (
	"net/http"

	"example.com/m/b"
)

type Server struct {
	handler func()
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {}

func (s *Server) run() {}

func worker(n int) {}

func local() int { return 1 }

func run(fn func()) {
	fn() /*@ unknown */
}

func Start(s *Server, f func()) {
	local()     /*@ static:a.local */
	b.Helper(1) /*@ static:b.Helper */
	go worker(2) /*@ static:a.worker */
	var o b.Outer
	o.Hello() /*@ method:b.Base.Hello */
	o.Bye()   /*@ method:b.Base.Bye */
	o.Run()   /*@ method:b.Outer.Run */
	p := &o
	p.Hello() /*@ method:b.Base.Hello */
	var d b.Dog
	d.Speak()      /*@ method:b.Dog.Speak */
	b.Dog.Speak(d) /*@ method:b.Dog.Speak */
	(*b.Cat).Speak(&b.Cat{}) /*@ method:b.Cat.Speak */
	b.Announce(d) /*@ static:b.Announce */
	func() {}() /*@ literal:a.lit:40 */
	g := func() {}
	g() /*@ literal:a.lit:41 */
	h := func() {}
	h = func() {}
	h()         /*@ unknown */
	f()         /*@ unknown */
	s.handler() /*@ unknown */
	m := (*b.Cat).Speak
	m(&b.Cat{}) /*@ method:b.Cat.Speak */
	http.HandleFunc("/", s.serve) /*@ arg1:a.Server.serve */
	run(s.run)                    /*@ static:a.run arg0:a.Server.run */
	go run(g)                     /*@ static:a.run arg0:a.lit:41 */
	go run(func() {})             /*@ static:a.run arg0:a.lit:53 */
	go s.run()                    /*@ method:a.Server.run */
	var sp b.Speaker = &b.Cat{}
	sp.Speak() /*@ interface:b.Cat.Speak interface:b.Dog.Speak */
	_ = len("x") /*@ */
	_ = int64(3) /*@ */
	_ = []byte("x") /*@ */
	_ = http.StatusText(200) /*@ */
	var l Loud
	l.Speak() /*@ interface:b.Cat.Speak interface:b.Dog.Speak */
	var ll LouderStill
	ll.Speak() /*@ interface:b.Cat.Speak interface:b.Dog.Speak */
	sp2 := d.Speak
	sp2() /*@ method:b.Dog.Speak */
	w := worker
	go w(1) /*@ static:a.worker */
	fs := []func(){g}
	fs[0]() /*@ unknown */
	var late func()
	late = g
	late() /*@ unknown */
	s.handler = f
}

// Loud gets Speak from its embedded interface, LouderStill through Loud.
type Loud struct {
	b.Speaker
}

type LouderStill struct {
	*Loud
}
