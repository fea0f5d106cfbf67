package bug_b4

import "sync/atomic"

const sendBuffer = 8

// Client is one connected peer. Each client has a reader and a writer
// goroutine; the writer is the only goroutine that writes to conn.
type Client struct {
	hub  *Hub
	conn Conn
	send chan []byte
}

// Serve registers conn with the hub and starts its pumps.
func (h *Hub) Serve(conn Conn) {
	c := &Client{hub: h, conn: conn, send: make(chan []byte, sendBuffer)}
	select {
	case h.register <- c:
	case <-h.done:
		conn.Close()
		return
	}
	go c.writePump()
	go c.readPump()
}

// readPump forwards inbound messages to the hub until the connection fails.
func (c *Client) readPump() {
	defer func() {
		select {
		case c.hub.unregister <- c:
		case <-c.hub.done:
		}
		c.conn.Close()
	}()
	for {
		msg, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		c.hub.Broadcast(msg)
	}
}

// writePump delivers queued messages. A failed write is counted and the
// message discarded; the read side notices the broken connection and
// unregisters the client.
func (c *Client) writePump() {
	for msg := range c.send {
		if err := c.conn.WriteMessage(msg); err != nil {
			atomic.AddInt64(&c.hub.dropped, 1) // RACE-ALSO
		}
	}
}
