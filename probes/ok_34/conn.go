// Package ok_34 implements a line-framed duplex connection used by the agent
// to talk to the control plane.
package ok_34

import (
	"bufio"
	"errors"
	"io"
	"sync"
)

// ErrClosed is the terminal error after Close.
var ErrClosed = errors.New("connection closed")

// Conn reads newline-terminated messages in a background goroutine and lets
// any number of goroutines send. Shutdown is signalled by closing done;
// err is written exactly once, before done is closed, and only read after.
type Conn struct {
	rw        io.ReadWriteCloser
	name      string
	writeMu   sync.Mutex
	incoming  chan []byte
	done      chan struct{}
	closeOnce sync.Once
	err       error
}

// NewConn fully initialises the connection before starting its read loop.
func NewConn(name string, rw io.ReadWriteCloser) *Conn {
	c := &Conn{
		rw:       rw,
		name:     name,
		incoming: make(chan []byte, 16),
		done:     make(chan struct{}),
	}
	go c.readLoop()
	return c
}

func (c *Conn) readLoop() {
	defer close(c.incoming)
	r := bufio.NewReader(c.rw)
	for {
		line, err := r.ReadBytes('\n') // fresh slice each call
		if err != nil {
			c.shutdown(err)
			return
		}
		select {
		case c.incoming <- line[:len(line)-1]:
		case <-c.done:
			return
		}
	}
}

func (c *Conn) shutdown(err error) {
	c.closeOnce.Do(func() {
		c.err = err
		close(c.done)
		_ = c.rw.Close()
	})
}

// Incoming yields received messages until the connection shuts down.
func (c *Conn) Incoming() <-chan []byte { return c.incoming }

// Done is closed when the connection has shut down.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Err blocks until the connection has shut down and returns the cause.
func (c *Conn) Err() error {
	<-c.done
	return c.err
}

// Send writes one message, failing fast once the connection is down.
func (c *Conn) Send(msg []byte) error {
	select {
	case <-c.done:
		return c.Err()
	default:
	}
	frame := make([]byte, 0, len(msg)+1)
	frame = append(append(frame, msg...), '\n')
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if _, err := c.rw.Write(frame); err != nil {
		c.shutdown(err)
		return err
	}
	return nil
}

// Close shuts the connection down.
func (c *Conn) Close() error {
	c.shutdown(ErrClosed)
	return nil
}
