package p

import "image" /*@image*/

type P /*@P*/ struct{ X, Y int }
type M /*@M*/ map[string]P
type Arr /*@Arr*/ [3]int
type PP /*@PP*/ = *P

func lits(X /*@lx*/ int, k /*@lk*/ string) {
	_ = P /*=P*/ {X /*=_*/: X /*=lx*/, Y /*=_*/: 2}
	_ = map[string]int{k /*=lk*/: 1}
	_ = M /*=M*/ {k /*=lk*/: {X /*=_*/: 1}}
	_ = []P{{X /*=_*/: X /*=lx*/}}
	_ = []PP{{X /*=_*/: 1}}
	_ = map[P]int{{X /*=_*/: 1}: 2}
	const two /*@two*/ = 2
	_ = [3]int{two /*=two*/: 5}
	_ = Arr /*=Arr*/ {two /*=two*/: 1}
	_ = struct{ X int }{X /*=_*/: 1}
	// The type is in another package: the key may be a field or an expression.
	_ = image /*=image*/ .Point /*=imp:image*/ {X /*=key:lx*/: 1}
	_ = Later2 /*=Later2*/ {k /*=lk*/: 1}
}

type Later2 /*@Later2*/ map[string]int
