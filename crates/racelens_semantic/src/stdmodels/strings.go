// Model of package strings for racelens: Builder, a value not safe for concurrent use, with
// the signatures of the real API. Bodies are placeholders.

package strings

// A Builder is used to efficiently build a string using Write methods.
type Builder struct {
	addr *Builder
	buf  []byte
}

func (b *Builder) String() string                        { panic("model") }
func (b *Builder) Len() int                              { panic("model") }
func (b *Builder) Cap() int                              { panic("model") }
func (b *Builder) Reset()                                {}
func (b *Builder) Grow(n int)                            {}
func (b *Builder) Write(p []byte) (int, error)           { panic("model") }
func (b *Builder) WriteByte(c byte) error                { panic("model") }
func (b *Builder) WriteRune(r rune) (int, error)         { panic("model") }
func (b *Builder) WriteString(s string) (int, error)     { panic("model") }
