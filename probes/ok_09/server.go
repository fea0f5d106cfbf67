package ok_09

import (
	"log"
	"net"
	"time"
)

type Handler func(net.Conn)

type Server struct {
	ln       net.Listener
	handlers map[string]Handler
	idle     time.Duration
	done     chan struct{}
}

// NewServer fully initializes the server before the accept loop starts.
func NewServer(ln net.Listener, idle time.Duration) *Server {
	s := &Server{
		ln:       ln,
		handlers: map[string]Handler{"echo": echo},
		idle:     idle,
		done:     make(chan struct{}),
	}
	go s.acceptLoop()
	return s
}

func (s *Server) acceptLoop() {
	defer close(s.done)
	for {
		c, err := s.ln.Accept()
		if err != nil {
			log.Printf("accept: %v", err)
			return
		}
		_ = c.SetDeadline(time.Now().Add(s.idle))
		h := s.handlers["echo"]
		go h(c)
	}
}

func (s *Server) Close() error {
	err := s.ln.Close()
	<-s.done
	return err
}

func echo(c net.Conn) {
	defer c.Close()
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		if err != nil {
			return
		}
		if _, err := c.Write(buf[:n]); err != nil {
			return
		}
	}
}
