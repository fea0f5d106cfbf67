// Package bug_d6 implements a tiny line-oriented key/value server speaking a
// memcached-like text protocol, the kind of side-channel admin server many
// daemons embed.
package bug_d6

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
)

// ErrServerClosed is returned by Serve after Close has been called.
var ErrServerClosed = errors.New("kvserver: server closed")

// Server serves GET/SET/DEL commands from an in-memory map.
type Server struct {
	mu     sync.Mutex
	data   map[string]string
	ln     net.Listener
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

// New returns an empty server.
func New() *Server {
	return &Server{data: make(map[string]string), conns: make(map[net.Conn]struct{})}
}

// Serve accepts connections on ln until Close is called.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ln.Close()
		return ErrServerClosed
	}
	s.ln = ln
	s.mu.Unlock()

	for {
		c, err := ln.Accept()
		if err != nil {
			s.mu.Lock()
			closed := s.closed
			s.mu.Unlock()
			if closed {
				return ErrServerClosed
			}
			return err
		}
		s.mu.Lock()
		s.conns[c] = struct{}{}
		s.mu.Unlock()
		s.wg.Add(1)
		go s.handle(c)
	}
}

// handle runs the command loop of one client connection.
func (s *Server) handle(c net.Conn) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		c.Close()
	}()
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		reply, quit := s.exec(strings.Fields(sc.Text()))
		if _, err := fmt.Fprintf(c, "%s\r\n", reply); err != nil || quit {
			return
		}
	}
}

// exec executes one command and returns the reply line.
func (s *Server) exec(args []string) (reply string, quit bool) {
	if len(args) == 0 {
		return "ERROR empty command", false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch cmd := strings.ToUpper(args[0]); {
	case cmd == "GET" && len(args) == 2:
		if v, ok := s.data[args[1]]; ok {
			return "VALUE " + v, false
		}
		return "NOT_FOUND", false
	case cmd == "SET" && len(args) == 3:
		s.data[args[1]] = args[2]
		return "STORED", false
	case cmd == "DEL" && len(args) == 2:
		if _, ok := s.data[args[1]]; !ok {
			return "NOT_FOUND", false
		}
		delete(s.data, args[1])
		return "DELETED", false
	case cmd == "QUIT":
		return "BYE", true
	}
	return "ERROR unknown command " + args[0], false
}

// Close stops the listener, closes every client connection and waits for
// the connection handlers to return.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	var err error
	if s.ln != nil {
		err = s.ln.Close()
	}
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return err
}
