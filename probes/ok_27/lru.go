// Package ok_27 is a strict LRU cache for decoded thumbnails.
package ok_27

import "sync"

type node struct {
	key        string
	val        []byte
	prev, next *node
}

// LRU is safe for concurrent use. Get reorders the recency list, so it takes
// the exclusive lock even though it looks like a read.
type LRU struct {
	mu         sync.Mutex
	capacity   int
	items      map[string]*node
	head, tail *node // head is the most recently used
}

// New returns an empty cache holding at most capacity entries.
func New(capacity int) *LRU {
	return &LRU{capacity: capacity, items: make(map[string]*node, capacity)}
}

// Get returns the value for key and marks it most recently used.
func (c *LRU) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.moveToFront(n)
	return n.val, true
}

// Put inserts or replaces key, evicting the least recently used entry.
func (c *LRU) Put(key string, val []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n, ok := c.items[key]; ok {
		n.val = val
		c.moveToFront(n)
		return
	}
	n := &node{key: key, val: val}
	c.items[key] = n
	c.pushFront(n)
	if len(c.items) > c.capacity {
		c.removeOldest()
	}
}

// Keys returns the keys from most to least recently used.
func (c *LRU) Keys() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := make([]string, 0, len(c.items))
	for n := c.head; n != nil; n = n.next {
		keys = append(keys, n.key)
	}
	return keys
}

// unlink detaches n from the list. Must hold c.mu.
func (c *LRU) unlink(n *node) {
	if n.prev != nil {
		n.prev.next = n.next
	} else {
		c.head = n.next
	}
	if n.next != nil {
		n.next.prev = n.prev
	} else {
		c.tail = n.prev
	}
	n.prev, n.next = nil, nil
}

// pushFront makes n the most recently used entry. Must hold c.mu.
func (c *LRU) pushFront(n *node) {
	n.next = c.head
	if c.head != nil {
		c.head.prev = n
	}
	c.head = n
	if c.tail == nil {
		c.tail = n
	}
}

// moveToFront must be called with c.mu held.
func (c *LRU) moveToFront(n *node) {
	if c.head == n {
		return
	}
	c.unlink(n)
	c.pushFront(n)
}

// removeOldest evicts the tail entry. Must hold c.mu.
func (c *LRU) removeOldest() {
	if c.tail == nil {
		return
	}
	old := c.tail
	c.unlink(old)
	delete(c.items, old.key)
}
