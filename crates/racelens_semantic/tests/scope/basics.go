package p

import "fmt" /*@fmt:Import*/

var g /*@g:PackageVar,in=-*/ = 1

const c /*@c:PackageConst*/ = iota /*=builtin*/

// A recursive type: the type name is in scope in its own declaration.
type T /*@T:PackageType*/ struct {
	next /*=_*/ *T /*=T*/
	n    int /*=builtin*/
}

func f /*@f:PackageFunc*/ (x /*@fx:Param,in=f*/ int) (r /*@fr:Result,in=f*/ int) {
	g /*=g*/ = x /*=fx*/
	{
		// `x := x`: the new x's scope begins after the statement.
		x /*@x1:LocalVar,in=f*/ := x /*=fx*/ + 1
		// Redeclaration: g is new in this block, x is reused.
		g /*@g1:LocalVar*/, x /*=x1*/ := 2, x /*=x1*/
		_, _ = g /*=g1*/, x /*=x1*/
	}
	// Parameters share the function's block: this reuses the result r.
	r /*=fr*/, y /*@y:LocalVar*/ := x /*=fx*/, 1
	var v /*@v:LocalVar*/ = y /*=y*/
	var y2 /*@y2*/, v2 /*@v2*/ = v /*=v*/, len /*=builtin*/ (T /*=T*/ {}.next /*=_*/ .n /*=_*/ .String /*=_*/ ())
	const k /*@k:LocalConst*/ = c /*=c*/
	type L /*@L:LocalType*/ struct{ next *L /*=L*/ }
	var l /*@l:LocalVar*/ L /*=L*/
	_ = l /*=l*/ .next /*=_*/
	fmt /*=fmt*/ .Println /*=imp:fmt*/ (k /*=k*/, y2 /*=y2*/, v2 /*=v2*/, undefined /*=_*/)
	var _ = g /*=g*/
	return
}

func (t /*@trecv:Receiver,in=String*/ T /*=T*/) String /*@String:Method*/ () string {
	return fmt /*=fmt*/ .Sprint /*=imp:fmt*/ (t /*=trecv*/ .n /*=_*/)
}

func shadow /*@shadow*/ (x /*@sx:Param*/ int) int {
	if x /*=sx*/ > 0 {
		x /*@sx2:LocalVar*/ := x /*=sx*/ * 2
		return x /*=sx2*/
	}
	// Universe names can be shadowed.
	len /*@len1:LocalVar*/ := 3
	return x /*=sx*/ + len /*=len1*/ + shadow /*=shadow*/ (0)
}

func labels /*@labels*/ () {
outer /*@outer:Label,in=labels*/ :
	for i /*@i:LocalVar,loop*/ := 0; i /*=i*/ < 3; i /*=i*/ ++ {
		for {
			break outer /*=outer*/
		}
		continue outer /*=outer*/
	}
	// A goto may jump forward to a label declared later.
	goto end /*=end*/
	func /*lit:inner*/ () {
		// A function literal has its own label namespace.
	outer /*@outer2:Label,in=inner*/ :
		for {
			break outer /*=outer2*/
		}
	}()
end /*@end:Label*/ :
}

func init /*@init1:PackageFunc*/ () {}

func init /*@init2:PackageFunc*/ () {
	var init /*@linit*/ = 1
	_ = init /*=linit*/
}

func _() {
	_ = init /*=_*/
}
