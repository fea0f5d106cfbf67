package ok_02

import (
	"bytes"
	"context"
	"fmt"
	"time"
)

type Record struct {
	Key    string
	Value  []byte
	Source string
}

type Store interface {
	Get(ctx context.Context, key string) (Record, error)
}

// QuorumRead asks the primary and every replica and collects the answers
// through a channel; only this goroutine touches answers.
func QuorumRead(ctx context.Context, primary Store, replicas []Store, key string) ([]Record, string) {
	ctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()

	type reply struct {
		rec Record
		err error
		log string
	}
	replies := make(chan reply, len(replicas)+1)
	ask := func(name string, s Store) {
		var buf bytes.Buffer // per-goroutine buffer
		start := time.Now()
		rec, err := s.Get(ctx, key)
		rec.Source = name
		fmt.Fprintf(&buf, "%s: %v in %s\n", name, err, time.Since(start))
		replies <- reply{rec, err, buf.String()}
	}

	go ask("primary", primary)
	for i, r := range replicas {
		go ask(fmt.Sprintf("replica-%d", i), r)
	}

	var answers []Record
	var trace bytes.Buffer
	for i := 0; i < len(replicas)+1; i++ {
		rp := <-replies
		trace.WriteString(rp.log)
		if rp.err == nil {
			answers = append(answers, rp.rec)
		}
	}
	return answers, trace.String()
}
