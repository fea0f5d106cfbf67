// Model of package io for racelens: the basic interfaces (hash.Hash embeds Writer, bufio's
// constructors take them) and the helpers that write to a Writer, with the signatures of the
// real API. Bodies are placeholders.

package io

// Reader is the interface that wraps the basic Read method.
type Reader interface {
	Read(p []byte) (n int, err error)
}

// Writer is the interface that wraps the basic Write method.
type Writer interface {
	Write(p []byte) (n int, err error)
}

// Closer is the interface that wraps the basic Close method.
type Closer interface {
	Close() error
}

// ReadWriter is the interface that groups the basic Read and Write methods.
type ReadWriter interface {
	Reader
	Writer
}

// ReadCloser is the interface that groups the basic Read and Close methods.
type ReadCloser interface {
	Reader
	Closer
}

// WriteCloser is the interface that groups the basic Write and Close methods.
type WriteCloser interface {
	Writer
	Closer
}

// StringWriter is the interface that wraps the WriteString method.
type StringWriter interface {
	WriteString(s string) (n int, err error)
}

// EOF is the error returned by Read when no more input is available.
var EOF error

func WriteString(w Writer, s string) (n int, err error)         { panic("model") }
func Copy(dst Writer, src Reader) (written int64, err error)    { panic("model") }
func CopyN(dst Writer, src Reader, n int64) (written int64, err error) {
	panic("model")
}
func ReadAll(r Reader) ([]byte, error) { panic("model") }
