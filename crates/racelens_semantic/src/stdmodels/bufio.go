// Model of package bufio for racelens: Reader, Writer and Scanner, values not safe for
// concurrent use, with the signatures of the real API. Bodies are placeholders.

package bufio

import "io"

// Reader implements buffering for an io.Reader object.
type Reader struct {
	buf  []byte
	rd   io.Reader
	r, w int
	err  error
}

func NewReaderSize(rd io.Reader, size int) *Reader              { panic("model") }
func NewReader(rd io.Reader) *Reader                            { panic("model") }
func (b *Reader) Size() int                                     { panic("model") }
func (b *Reader) Reset(r io.Reader)                             {}
func (b *Reader) Peek(n int) ([]byte, error)                    { panic("model") }
func (b *Reader) Discard(n int) (discarded int, err error)      { panic("model") }
func (b *Reader) Read(p []byte) (n int, err error)              { panic("model") }
func (b *Reader) ReadByte() (byte, error)                       { panic("model") }
func (b *Reader) UnreadByte() error                             { panic("model") }
func (b *Reader) ReadRune() (r rune, size int, err error)       { panic("model") }
func (b *Reader) UnreadRune() error                             { panic("model") }
func (b *Reader) Buffered() int                                 { panic("model") }
func (b *Reader) ReadSlice(delim byte) (line []byte, err error) { panic("model") }
func (b *Reader) ReadLine() (line []byte, isPrefix bool, err error) {
	panic("model")
}
func (b *Reader) ReadBytes(delim byte) ([]byte, error)     { panic("model") }
func (b *Reader) ReadString(delim byte) (string, error)    { panic("model") }
func (b *Reader) WriteTo(w io.Writer) (n int64, err error) { panic("model") }

// Writer implements buffering for an io.Writer object.
type Writer struct {
	err error
	buf []byte
	n   int
	wr  io.Writer
}

func NewWriterSize(w io.Writer, size int) *Writer            { panic("model") }
func NewWriter(w io.Writer) *Writer                          { panic("model") }
func (b *Writer) Size() int                                  { panic("model") }
func (b *Writer) Reset(w io.Writer)                          {}
func (b *Writer) Flush() error                               { panic("model") }
func (b *Writer) Available() int                             { panic("model") }
func (b *Writer) AvailableBuffer() []byte                    { panic("model") }
func (b *Writer) Buffered() int                              { panic("model") }
func (b *Writer) Write(p []byte) (nn int, err error)         { panic("model") }
func (b *Writer) WriteByte(c byte) error                     { panic("model") }
func (b *Writer) WriteRune(r rune) (size int, err error)     { panic("model") }
func (b *Writer) WriteString(s string) (int, error)          { panic("model") }
func (b *Writer) ReadFrom(r io.Reader) (n int64, err error)  { panic("model") }

// SplitFunc is the signature of the split function used to tokenize the input.
type SplitFunc func(data []byte, atEOF bool) (advance int, token []byte, err error)

// Scanner provides a convenient interface for reading data such as a file of lines.
type Scanner struct {
	r     io.Reader
	split SplitFunc
	token []byte
	buf   []byte
	err   error
}

func NewScanner(r io.Reader) *Scanner            { panic("model") }
func (s *Scanner) Err() error                    { panic("model") }
func (s *Scanner) Bytes() []byte                 { panic("model") }
func (s *Scanner) Text() string                  { panic("model") }
func (s *Scanner) Scan() bool                    { panic("model") }
func (s *Scanner) Buffer(buf []byte, max int)    {}
func (s *Scanner) Split(split SplitFunc)         {}
