package bug_15

import (
	"bytes"
	"fmt"
	"io"
	"time"
)

// AuditLog batches audit lines in memory and flushes them periodically.
type AuditLog struct {
	buf  bytes.Buffer
	out  io.Writer
	stop chan struct{}
}

func NewAuditLog(out io.Writer, every time.Duration) *AuditLog {
	l := &AuditLog{out: out, stop: make(chan struct{})}
	go l.flushLoop(every)
	return l
}

func (l *AuditLog) Record(user, action, object string) {
	l.write(fmt.Sprintf("%s user=%s action=%s object=%s\n",
		time.Now().UTC().Format(time.RFC3339), user, action, object))
}

func (l *AuditLog) write(line string) {
	l.buf.WriteString(line) // RACE
}

func (l *AuditLog) flushLoop(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			l.flush()
		case <-l.stop:
			l.flush()
			return
		}
	}
}

func (l *AuditLog) flush() {
	if l.buf.Len() == 0 {
		return
	}
	_, _ = l.out.Write(l.buf.Bytes())
	l.buf.Reset() // RACE-ALSO
}

func (l *AuditLog) Close() { close(l.stop) }
