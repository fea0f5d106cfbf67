package bug_d6

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"testing"
)

// roundTrip sends one command line and returns the reply line.
func roundTrip(t *testing.T, c net.Conn, r *bufio.Reader, cmd string) string {
	t.Helper()
	if _, err := fmt.Fprintf(c, "%s\r\n", cmd); err != nil {
		t.Fatalf("write %q: %v", cmd, err)
	}
	line, err := r.ReadString('\n')
	if err != nil {
		t.Fatalf("read reply to %q: %v", cmd, err)
	}
	return line[:len(line)-2]
}

func TestServerCommands(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := New()

	var serveErr error
	go func() {
		serveErr = srv.Serve(ln) // RACE
	}()

	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)

	steps := []struct{ cmd, want string }{
		{"GET missing", "NOT_FOUND"},
		{"SET color blue", "STORED"},
		{"GET color", "VALUE blue"},
		{"set color red", "STORED"},
		{"GET color", "VALUE red"},
		{"DEL color", "DELETED"},
		{"DEL color", "NOT_FOUND"},
		{"FLUSH", "ERROR unknown command FLUSH"},
	}
	for _, st := range steps {
		if got := roundTrip(t, c, r, st.cmd); got != st.want {
			t.Errorf("%s: got %q, want %q", st.cmd, got, st.want)
		}
	}

	if err := srv.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if serveErr != nil && !errors.Is(serveErr, ErrServerClosed) { // RACE-ALSO
		t.Errorf("Serve returned %v, want ErrServerClosed", serveErr)
	}
	if _, err := r.ReadString('\n'); err == nil {
		t.Error("connection still open after Close")
	}
}
