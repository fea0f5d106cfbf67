package bug_51

import (
	"bytes"
	"context"
	"log"
	"net/http"
	"strings"
)

// Shipper forwards log lines to a collector in newline-delimited batches.
type Shipper struct {
	endpoint  string
	batchSize int
	client    *http.Client
	logger    *log.Logger
}

func NewShipper(endpoint string, batchSize int, logger *log.Logger) *Shipper {
	return &Shipper{endpoint: endpoint, batchSize: batchSize, client: http.DefaultClient, logger: logger}
}

// Run reads lines until the channel is closed. Sending happens on a separate
// goroutine so that slow collectors don't block log producers.
func (s *Shipper) Run(ctx context.Context, lines <-chan string) {
	out := make(chan []string, 4)
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		s.sendLoop(ctx, out)
	}()

	// Reuse one backing array for all batches to keep allocations down.
	batch := make([]string, 0, s.batchSize)
	for line := range lines {
		batch = append(batch, line) // RACE
		if len(batch) == s.batchSize {
			out <- batch
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		out <- batch
	}
	close(out)
	<-sent
}

func (s *Shipper) sendLoop(ctx context.Context, in <-chan []string) {
	for b := range in {
		body := strings.Join(b, "\n") // RACE-ALSO
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.endpoint, bytes.NewBufferString(body))
		if err != nil {
			s.logger.Printf("shipper: %v", err)
			continue
		}
		resp, err := s.client.Do(req)
		if err != nil {
			s.logger.Printf("shipper: dropped %d lines: %v", len(b), err)
			continue
		}
		resp.Body.Close()
	}
}
