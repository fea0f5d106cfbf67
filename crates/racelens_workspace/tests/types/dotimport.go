package t

import (
	. "strings"
	. "sync"
)

func dot() {
	var mu Mutex
	_ = mu /*@ sync.Mutex */
	var wg *WaitGroup
	_ = wg /*@ *sync.WaitGroup */
	b := NewReader("x")
	_ = b /*@ *strings.Reader */
	_ = ToUpper("a") /*@ string */
	_ = Builder{} /*@ strings.Builder */
	_ = len("x") /*@ int */
	_ = nosuch /*@ ? */
}
