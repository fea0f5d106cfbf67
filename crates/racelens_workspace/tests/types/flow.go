package t

import (
	"context"
	"os"
	"strings"
	"time"
)

type List[T any] struct {
	items []T
	next  *List[T]
}

func (l *List[T]) Push(v T)   { l.items = append(l.items, v) }
func (l *List[T]) First() T   { return l.items/*@ []T */[0] }
func Map[T, U any](xs []T, f func(T) U) []U { return nil }
func Keys[K comparable, V any](m map[K]V) []K { return nil }
func Ptr[T any](v T) *T        { return &v }

func flow(ctx context.Context, ch chan int, ro <-chan string) {
	for i, v := range []string{"a"} {
		_ = i/*@ int */
		_ = v/*@ string */
	}
	for k, v := range map[string]bool{} {
		_ = k/*@ string */
		_ = v/*@ bool */
	}
	for i, r := range "héllo" {
		_ = i/*@ int */
		_ = r/*@ int32 */
	}
	for x := range ch {
		_ = x/*@ int */
	}
	v := <-ro
	_ = v/*@ string */
	s, ok := <-ch
	_ = s/*@ int */
	_ = ok/*@ bool */
	var l List[int]
	_ = l/*@ example.com/t.List[int] */
	_ = l.items/*@ []int */
	_ = l.next/*@ *example.com/t.List[int] */
	_ = l.First()/*@ int */
	_ = Map([]int{1}, func(i int) string { return "" })/*@ []string */
	_ = Keys(map[string]int{})/*@ []string */
	_ = Ptr(3)/*@ *int */
	_ = Ptr[int64]/*@ func(int64) *int64 */
	_ = ctx.Done()/*@ <-chan struct{} */
	_ = ctx.Err()/*@ error */
	_ = time.Now().Add(time.Second)/*@ time.Time */
	_ = time.AfterFunc(time.Second, func() {})/*@ *time.Timer */
	f, err := os.Open("x")
	_ = f/*@ *os.File */
	_ = err/*@ error */
	_ = strings.Split("a", ",")/*@ []string */
	_ = strings.NewReplacer("a", "b").Replace("x")/*@ string */
	var b strings.Builder
	_ = b.String()/*@ string */
	_ = unknownFunc()/*@ ? */
	_ = undefined.Field/*@ ? */
	fn := func(yield func(int, string) bool) {}
	for k, v := range fn {
		_ = k/*@ int */
		_ = v/*@ string */
	}
	for i := range 10 {
		_ = i/*@ int */
	}
	_ = min(1, 2.0)/*@ untyped_float */
	_ = max(int8(1), 2)/*@ int8 */
}
