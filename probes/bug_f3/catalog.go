// Package bug_f3 loads a product catalog in the background. Readers check
// an atomic flag to learn whether the catalog is available and fall back to
// an empty result until it is.
package bug_f3

import (
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Product is one catalog entry.
type Product struct {
	SKU   string
	Name  string
	Cents int
}

// Catalog is safe for concurrent use.
type Catalog struct {
	src string

	products map[string]Product
	loadedAt time.Time
	ready    atomic.Bool
}

// New returns a catalog that parses src ("sku;name;cents" lines) in the
// background.
func New(src string) *Catalog {
	c := &Catalog{src: src}
	go c.load()
	return c
}

// load parses the source and publishes the result.
func (c *Catalog) load() {
	m := make(map[string]Product)
	for _, line := range strings.Split(c.src, "\n") {
		f := strings.Split(strings.TrimSpace(line), ";")
		if len(f) != 3 {
			continue
		}
		cents, err := strconv.Atoi(f[2])
		if err != nil {
			continue
		}
		m[f[0]] = Product{SKU: f[0], Name: f[1], Cents: cents}
	}
	c.products = m
	c.ready.Store(true)
	c.loadedAt = time.Now() // RACE-ALSO
}

// Ready reports whether the catalog has been loaded.
func (c *Catalog) Ready() bool { return c.ready.Load() }

// Lookup returns the product with the given SKU.
func (c *Catalog) Lookup(sku string) (Product, bool) {
	if !c.ready.Load() {
		return Product{}, false
	}
	p, ok := c.products[sku]
	return p, ok
}

// Age reports how long ago the catalog was loaded, or -1 if it has not been
// loaded yet.
func (c *Catalog) Age() time.Duration {
	if !c.ready.Load() {
		return -1
	}
	return time.Since(c.loadedAt) // RACE
}
