package ok_22

import (
	"bufio"
	"net"
	"os"
	"sort"
	"strings"
	"sync"
)

type rangeEntry struct {
	start   uint32
	country string
}

// GeoDB maps IPv4 addresses to country codes. The table is loaded lazily on
// first use; all access goes through table(), which is guarded by once.
type GeoDB struct {
	path string

	once    sync.Once
	ranges  []rangeEntry
	loadErr error
}

func NewGeoDB(path string) *GeoDB { return &GeoDB{path: path} }

func (g *GeoDB) load() {
	f, err := os.Open(g.path)
	if err != nil {
		g.loadErr = err
		return
	}
	defer f.Close()
	var rs []rangeEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 2 {
			continue
		}
		ip := net.ParseIP(fields[0]).To4()
		if ip == nil {
			continue
		}
		rs = append(rs, rangeEntry{start: ipToUint(ip), country: fields[1]})
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].start < rs[j].start })
	g.ranges, g.loadErr = rs, sc.Err()
}

func (g *GeoDB) table() ([]rangeEntry, error) {
	g.once.Do(g.load)
	return g.ranges, g.loadErr
}

func ipToUint(ip net.IP) uint32 {
	return uint32(ip[0])<<24 | uint32(ip[1])<<16 | uint32(ip[2])<<8 | uint32(ip[3])
}

// Country returns the country code for addr, or "" if unknown.
func (g *GeoDB) Country(addr string) (string, error) {
	rs, err := g.table()
	if err != nil {
		return "", err
	}
	ip := net.ParseIP(addr).To4()
	if ip == nil {
		return "", nil
	}
	v := ipToUint(ip)
	i := sort.Search(len(rs), func(i int) bool { return rs[i].start > v })
	if i == 0 {
		return "", nil
	}
	return rs[i-1].country, nil
}

// Annotate resolves countries for a batch of addresses concurrently.
func (g *GeoDB) Annotate(addrs []string) []string {
	out := make([]string, len(addrs))
	var wg sync.WaitGroup
	for i := range addrs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			out[i], _ = g.Country(addrs[i])
		}(i)
	}
	wg.Wait()
	return out
}
