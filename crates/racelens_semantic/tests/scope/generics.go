package p

type Number /*@Number*/ interface {
	~int /*=builtin*/ | ~float64
}

type List /*@List:PackageType*/ [T /*@LT:TypeParam,in=-*/ any /*=builtin*/] struct {
	items []T /*=LT*/
	next  *List /*=List*/ [T /*=LT*/]
}

func (l /*@lrecv:Receiver*/ *List /*=List*/ [E /*@E:TypeParam,in=Push*/]) Push /*@Push:Method*/ (v /*@pv*/ E /*=E*/) {
	l /*=lrecv*/ .items = append /*=builtin*/ (l.items, v /*=pv*/)
}

func (l /*@lrecv2:Receiver*/ List /*=List*/ [_]) Len /*@Len:Method*/ () int { return len(l /*=lrecv2*/ .items) }

func Map /*@Map:PackageFunc*/ [K /*@K:TypeParam,in=Map*/ comparable /*=builtin*/, V /*@V*/ Number /*=Number*/](m map[K /*=K*/]V /*=V*/) []V /*=V*/ {
	var out []V /*=V*/
	for k /*@mk*/ := range m {
		var _ K /*=K*/ = k /*=mk*/
	}
	return out
}

// A constraint may refer to the type parameters it constrains.
type Pair /*@Pair*/ [A /*@A*/ any, B /*@B*/ interface{ ~[]A /*=A*/ }] struct {
	a A /*=A*/
	b B /*=B*/
}

func Use() {
	_ = Map /*=Map*/ [string, int](nil)
	var _ Pair /*=Pair*/ [int, []int]
	var l List /*=List*/ [int]
	l.Push /*=_*/ (1)
	_ = T /*=_*/
}
