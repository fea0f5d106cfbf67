package bug_12

import (
	"image"
	"sync"
)

type Resizer interface {
	Resize(img image.Image, w, h int) image.Image
}

type Thumb struct {
	Name string
	Img  image.Image
}

// MakeThumbs produces thumbnails for every source image in parallel.
func MakeThumbs(r Resizer, srcs map[string]image.Image, w, h int) []Thumb {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out []Thumb
	)
	for name, img := range srcs {
		go func(name string, img image.Image) {
			wg.Add(1) // RACE
			defer wg.Done()
			t := r.Resize(img, w, h)
			mu.Lock()
			out = append(out, Thumb{Name: name, Img: t})
			mu.Unlock()
		}(name, img)
	}
	wg.Wait() // RACE-ALSO
	return out
}
