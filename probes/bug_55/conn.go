// Package bug_55 implements a line-framed duplex connection used by the
// agent to talk to the control plane.
package bug_55

import (
	"bufio"
	"errors"
	"io"
	"sync"
)

// ErrClosed is returned by Send once the peer has hung up.
var ErrClosed = errors.New("connection closed")

// Conn reads newline-terminated messages in a background goroutine and lets
// any number of goroutines send messages.
type Conn struct {
	rw       io.ReadWriteCloser
	writeMu  sync.Mutex // serialises writes to rw
	closed   bool
	incoming chan []byte
}

// NewConn starts the read loop for rw.
func NewConn(rw io.ReadWriteCloser) *Conn {
	c := &Conn{rw: rw, incoming: make(chan []byte, 16)}
	go c.readLoop()
	return c
}

func (c *Conn) readLoop() {
	defer func() {
		c.closed = true // RACE
		close(c.incoming)
	}()
	r := bufio.NewReader(c.rw)
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 && err == nil {
			c.incoming <- line[:len(line)-1]
		}
		if err != nil {
			return
		}
	}
}

// Incoming yields received messages; it is closed when the peer hangs up.
func (c *Conn) Incoming() <-chan []byte { return c.incoming }

// Send writes one message. It fails fast once the read side has seen EOF so
// that callers do not block on a dead peer.
func (c *Conn) Send(msg []byte) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if c.closed { // RACE-ALSO
		return ErrClosed
	}
	frame := make([]byte, 0, len(msg)+1)
	frame = append(append(frame, msg...), '\n')
	_, err := c.rw.Write(frame)
	return err
}

// Close tears down the underlying stream; the read loop then exits.
func (c *Conn) Close() error {
	return c.rw.Close()
}
