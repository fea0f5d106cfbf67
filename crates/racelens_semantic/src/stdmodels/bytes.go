// Model of package bytes for racelens: Buffer, a value not safe for concurrent use whose
// methods racelens tells apart (those that modify it, those that read it), with the
// signatures of the real API. Bodies are placeholders.

package bytes

import "io"

// A Buffer is a variable-sized buffer of bytes with Read and Write methods.
type Buffer struct {
	buf      []byte
	off      int
	lastRead int8
}

func NewBuffer(buf []byte) *Buffer       { panic("model") }
func NewBufferString(s string) *Buffer   { panic("model") }
func (b *Buffer) Bytes() []byte          { panic("model") }
func (b *Buffer) String() string         { panic("model") }
func (b *Buffer) Len() int               { panic("model") }
func (b *Buffer) Cap() int               { panic("model") }
func (b *Buffer) Truncate(n int)         {}
func (b *Buffer) Reset()                 {}
func (b *Buffer) Grow(n int)             {}
func (b *Buffer) Write(p []byte) (n int, err error)         { panic("model") }
func (b *Buffer) WriteString(s string) (n int, err error)   { panic("model") }
func (b *Buffer) ReadFrom(r io.Reader) (n int64, err error) { panic("model") }
func (b *Buffer) WriteTo(w io.Writer) (n int64, err error)  { panic("model") }
func (b *Buffer) WriteByte(c byte) error                    { panic("model") }
func (b *Buffer) WriteRune(r rune) (n int, err error)       { panic("model") }
func (b *Buffer) Read(p []byte) (n int, err error)          { panic("model") }
func (b *Buffer) Next(n int) []byte                         { panic("model") }
func (b *Buffer) ReadByte() (byte, error)                   { panic("model") }
func (b *Buffer) ReadRune() (r rune, size int, err error)   { panic("model") }
func (b *Buffer) UnreadRune() error                         { panic("model") }
func (b *Buffer) UnreadByte() error                         { panic("model") }
func (b *Buffer) ReadBytes(delim byte) (line []byte, err error)  { panic("model") }
func (b *Buffer) ReadString(delim byte) (line string, err error) { panic("model") }
