package ok_12

import (
	"context"
	"fmt"
	"log"
	"time"
)

type Backend interface {
	Read(key string) ([]byte, error)
}

type Client struct {
	backend Backend
	timeout time.Duration
}

// Fetch abandons the backend read on timeout. The goroutine only
// communicates through the buffered result channel, so it can finish late
// without touching anything the caller still uses.
func (c *Client) Fetch(ctx context.Context, key string) ([]byte, error) {
	type result struct {
		data []byte
		err  error
	}
	res := make(chan result, 1)
	go func() {
		data, err := c.backend.Read(key)
		res <- result{data, err}
	}()

	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	select {
	case r := <-res:
		if r.err != nil {
			return nil, fmt.Errorf("fetch %s: %w", key, r.err)
		}
		return r.data, nil
	case <-ctx.Done():
		err := fmt.Errorf("fetch %s: %w", key, ctx.Err())
		log.Print(err)
		return nil, err
	}
}

// Poller reads a value in the background until done is closed.
type Poller struct {
	latest chan []byte
	done   chan struct{}
}

func StartPoller(c *Client, key string, every time.Duration) *Poller {
	p := &Poller{latest: make(chan []byte, 1), done: make(chan struct{})}
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-p.done:
				return
			case <-t.C:
				v, err := c.Fetch(context.Background(), key)
				if err != nil {
					continue
				}
				select {
				case <-p.latest:
				default:
				}
				p.latest <- v
			}
		}
	}()
	return p
}

func (p *Poller) Stop() { close(p.done) }
