package b

type Base struct{}

func (Base) Hello() {}

func (*Base) Bye() {}

// Outer gets Hello and Bye by embedding.
type Outer struct {
	Base
	n int
}

func (o *Outer) Run() {}

type Speaker interface{ Speak() string }

type Dog struct{}

func (Dog) Speak() string { return "woof" }

type Cat struct{}

func (*Cat) Speak() string { return "meow" }

// Rock has no Speak: never a dispatch target.
type Rock struct{}

func (Rock) Sit() {}

func Helper(x int) int { return x }

func Announce(s Speaker) string {
	return s.Speak() /*@ interface:b.Cat.Speak interface:b.Dog.Speak */
}
