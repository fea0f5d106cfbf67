package p

import "sync" /*@sync*/

type S /*@S*/ struct{ n int }

var hook /*@hook*/ = func /*lit:g4*/ () {
	_ = hook /*=hook*/
}

func (s /*@recv:Receiver,in=run*/ *S /*=S*/) run /*@run:Method*/ (items /*@items:Param*/ []int) (err /*@err:Result*/ error) {
	var wg /*@wg:LocalVar,in=run*/ sync /*=sync*/ .WaitGroup /*=imp:sync*/
	total /*@total*/ := 0
	for _, it /*@it:LocalVar,loop,in=run*/ := range items /*=items*/ {
		wg /*=wg*/ .Add(1)
		go func /*lit:g1*/ (it /*@git:Param,in=g1*/ int) {
			defer wg /*=wg*/ .Done()
			var wg /*@innerwg:LocalVar,in=g1*/ int
			_ = wg /*=innerwg*/
			total /*=total*/ += it /*=git*/
			s /*=recv*/ .n += 1
			err /*=err*/ = nil
			func /*lit:g2*/ () {
				total /*=total*/ ++
				_ = it /*=git*/
				x /*@x:LocalVar,in=g2*/ := 1
				_ = x /*=x*/
			}()
		}(it /*=it*/)
		go func /*lit:g3*/ () {
			_ = it /*=it*/
		}()
	}
	go func /*lit:g5*/ (n /*@g5n:Param*/ int) (res /*@g5res:Result,in=g5*/ int) {
		return n /*=g5n*/ + res /*=g5res*/ + len(hook /*=hook*/ .String /*=_*/)
	}(0)
	wg /*=wg*/ .Wait()
	return err /*=err*/
}

//captures g1: wg total recv err
//captures g2: total git
//captures g3: it
//captures g4:
//captures g5:
