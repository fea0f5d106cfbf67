package bug_03

import (
	"net/url"
	"strings"
	"sync"
)

type Fetcher interface {
	Links(page string) ([]string, error)
}

type Crawler struct {
	fetcher  Fetcher
	host     string
	maxDepth int
	visited  map[string]bool
	wg       sync.WaitGroup
}

func NewCrawler(f Fetcher, host string, depth int) *Crawler {
	return &Crawler{fetcher: f, host: host, maxDepth: depth, visited: make(map[string]bool)}
}

func (c *Crawler) Run(start string) []string {
	c.wg.Add(1)
	go c.crawl(start, 0)
	c.wg.Wait()
	out := make([]string, 0, len(c.visited))
	for u := range c.visited {
		out = append(out, u)
	}
	return out
}

func (c *Crawler) crawl(page string, depth int) {
	defer c.wg.Done()
	if depth > c.maxDepth || c.seen(page) {
		return
	}
	c.markVisited(page)
	links, err := c.fetcher.Links(page)
	if err != nil {
		return
	}
	for _, l := range links {
		if !c.sameHost(l) {
			continue
		}
		c.wg.Add(1)
		go c.crawl(l, depth+1)
	}
}

func (c *Crawler) seen(page string) bool {
	return c.visited[normalize(page)] // RACE-ALSO
}

func (c *Crawler) markVisited(page string) {
	c.visited[normalize(page)] = true // RACE
}

func (c *Crawler) sameHost(link string) bool {
	u, err := url.Parse(link)
	return err == nil && strings.EqualFold(u.Host, c.host)
}

func normalize(s string) string {
	return strings.TrimSuffix(strings.SplitN(s, "#", 2)[0], "/")
}
