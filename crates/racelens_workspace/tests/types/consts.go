package t

import (
	"text/tabwriter"
	"unsafe"
	"unicode/utf8"
)

type printer struct{ output []byte }

func (p *printer) consts(n int) {
	p.output = append(p.output, tabwriter.Escape/*@ uint8 */)
	_ = string(utf8.RuneError/*@ untyped_rune */)
	_ = make([]byte, utf8.UTFMax/*@ int */)
	_ = make([]byte, n+2*utf8.UTFMax)/*@ []uint8 */
	_ = n + (2 * utf8.UTFMax/*@ int */)
	var u uint16 = 1 << 3
	_ = u
	_ = uint8(utf8.RuneSelf/*@ uint8 */)
}

const greeting = "hello"

var greetingBytes = []byte(greeting/*@ string */)

type padded struct {
	a  uint8
	b  int64
	c  [3]uint16
	s  string
	z  struct{}
}

var sized [unsafe.Sizeof(padded{})]byte
var aligned [unsafe.Alignof(uint32(0))]byte
var sizedEven [unsafe.Sizeof(struct {
	a uint8
	b int64
}{})]byte

func sizes() {
	_ = sized/*@ ? */
	_ = aligned/*@ [4]uint8 */
	_ = sizedEven/*@ [16]uint8 */
}

func lowbit(x uint64, n uint, m map[uint8]bool) uint64 {
	delete(m, utf8.UTFMax/*@ uint8 */)
	return x & (utf8.MaxRune/*@ uint64 */ >> (64 - n))
}
