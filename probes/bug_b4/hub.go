// Package bug_b4 implements a broadcast hub for websocket-style connections:
// every message read from any client is fanned out to all clients.
package bug_b4

import "sync/atomic"

// Conn is the subset of a websocket connection used by the hub.
type Conn interface {
	ReadMessage() ([]byte, error)
	WriteMessage(msg []byte) error
	Close() error
}

// Stats is a snapshot of hub state.
type Stats struct {
	Clients int
	Dropped int64
}

// Hub owns the set of clients. All client-set mutations happen on the Run
// goroutine; other goroutines communicate with it over channels.
type Hub struct {
	register   chan *Client
	unregister chan *Client
	broadcast  chan []byte
	stats      chan chan Stats
	done       chan struct{}
	clients    map[*Client]struct{}

	// dropped counts messages that never reached a client, either because
	// the client's send buffer was full or because the write failed.
	dropped int64
}

// NewHub returns a hub; call Run to start it.
func NewHub() *Hub {
	return &Hub{
		register:   make(chan *Client),
		unregister: make(chan *Client),
		broadcast:  make(chan []byte, 64),
		stats:      make(chan chan Stats),
		done:       make(chan struct{}),
		clients:    make(map[*Client]struct{}),
	}
}

// Run processes hub events until Stop is called.
func (h *Hub) Run() {
	for {
		select {
		case c := <-h.register:
			h.clients[c] = struct{}{}
		case c := <-h.unregister:
			if _, ok := h.clients[c]; ok {
				delete(h.clients, c)
				close(c.send)
			}
		case msg := <-h.broadcast:
			for c := range h.clients {
				select {
				case c.send <- msg:
				default:
					h.dropped++ // RACE
				}
			}
		case reply := <-h.stats:
			reply <- Stats{Clients: len(h.clients), Dropped: atomic.LoadInt64(&h.dropped)}
		case <-h.done:
			for c := range h.clients {
				delete(h.clients, c)
				close(c.send)
			}
			return
		}
	}
}

// Broadcast queues msg for delivery to every connected client.
func (h *Hub) Broadcast(msg []byte) {
	select {
	case h.broadcast <- msg:
	case <-h.done:
	}
}

// Stats asks the Run goroutine for a snapshot.
func (h *Hub) Stats() Stats {
	reply := make(chan Stats, 1)
	h.stats <- reply
	return <-reply
}

// Stop shuts the hub down and closes every client's send queue.
func (h *Hub) Stop() { close(h.done) }
