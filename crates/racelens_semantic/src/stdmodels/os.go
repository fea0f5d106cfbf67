// Model of package os for racelens: only what os/signal's model needs (Signal and its
// standard values). Bodies are placeholders.

package os

// A Signal represents an operating system signal.
type Signal interface {
	String() string
	Signal() // to distinguish from other Stringers
}

// The only signal values guaranteed to be present in the os package on all systems.
var (
	Interrupt Signal = sig(2)
	Kill      Signal = sig(9)
)

type sig int

func (s sig) String() string { panic("model") }
func (s sig) Signal()        {}

// Exit causes the current program to exit with the given status code.
func Exit(code int) {}
