package bug_32

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
}

// NewServer starts accepting immediately so health checks pass quickly.
func NewServer(ln net.Listener, idle time.Duration) *Server {
	s := &Server{ln: ln}
	go s.acceptLoop()
	s.handlers = map[string]Handler{ // RACE
		"echo": echo,
	}
	s.idle = idle
	return s
}

func (s *Server) acceptLoop() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			log.Printf("accept: %v", err)
			return
		}
		h := s.handlers["echo"] // RACE-ALSO
		go h(c)
	}
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
