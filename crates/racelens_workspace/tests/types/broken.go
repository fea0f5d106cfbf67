package t

import "does/not/exist"

type T struct{ f exist.Thing }

func broken(t T) {
	_ = t.f/*@ ? */
	_ = exist.Call()/*@ ? */
	_ = t/*@ example.com/t.T */
	x := exist.V
	_ = x/*@ ? */
	_ = )
}
