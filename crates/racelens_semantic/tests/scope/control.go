package p

func control(ch /*@ch:Param*/ chan int, xs /*@xs*/ []string, m /*@m*/ map[string]int, i /*@pi:Param*/ interface{}) {
	if v /*@v1:LocalVar*/ := len(xs /*=xs*/); v /*=v1*/ > 0 {
		v /*@v2:LocalVar*/ := "s"
		_ = v /*=v2*/
	} else if w /*@w1*/ := v /*=v1*/; w /*=w1*/ > 1 {
		_ = v /*=v1*/
	} else {
		_ = w /*=w1*/
	}
	switch s /*@s1*/ := 3; s /*=s1*/ {
	case 1:
		s /*@s2*/ := 4
		_ = s /*=s2*/
	case 2:
		_ = s /*=s1*/
	}
	switch t /*@t:TypeSwitchVar*/ := i /*=pi*/ .(type) {
	case int /*=builtin*/:
		_ = t /*=t.case*/ + 1
	case string, error /*=builtin*/:
		_ = t /*=t.case*/
	default:
		{
			t /*@t2*/ := 0
			_ = t /*=t2*/
		}
	}
	switch i /*=pi*/ .(type) {
	}
	select {
	case r /*@r1*/, ok /*@ok1*/ := <-ch /*=ch*/:
		_, _ = r /*=r1*/, ok /*=ok1*/
	case r /*@r2*/ := <-ch:
		_ = r /*=r2*/
	case ch /*=ch*/ <- 1:
	default:
	}
	for k /*@k:LocalVar,loop*/, v /*@vv:LocalVar,loop*/ := range m /*=m*/ {
		_, _ = k /*=k*/, v /*=vv*/
		k /*@k3*/ := 1
		_ = k /*=k3*/
	}
	// `=` in a range clause assigns: no new variables.
	var k2 /*@k2:LocalVar,notloop*/ string
	for k2 /*=k2*/ = range m {
	}
	for i /*@ci:LocalVar,loop*/, j /*@cj:LocalVar,loop*/ := 0, 10; i /*=ci*/ < j /*=cj*/; i /*=ci*/, j /*=cj*/ = i+1, j-1 {
	}
	for range xs {
	}
	// The range expression is evaluated outside the loop variables' scope.
	for xs /*@xs2:LocalVar,loop*/ := range xs /*=xs*/ {
		_ = xs /*=xs2*/
	}
	_ = i /*=pi*/
}
