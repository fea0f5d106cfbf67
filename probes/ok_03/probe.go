package ok_03

import (
	"net"
	"sync"
	"time"
)

type HostReport struct {
	Host    string
	DNS     []string
	DNSErr  error
	TCP     time.Duration
	TCPErr  error
	checked int
}

// Probe resolves and dials a host in parallel. The two goroutines write
// disjoint fields of the report and are joined before it is read.
func Probe(host, port string) *HostReport {
	rep := &HostReport{Host: host}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		rep.DNS, rep.DNSErr = net.LookupHost(host)
	}()
	go func() {
		defer wg.Done()
		start := time.Now()
		c, err := net.DialTimeout("tcp", net.JoinHostPort(host, port), 2*time.Second)
		rep.TCP, rep.TCPErr = time.Since(start), err
		if err == nil {
			c.Close()
		}
	}()
	wg.Wait()
	rep.checked = 2
	if rep.DNSErr != nil && rep.TCPErr == nil {
		rep.DNSErr = nil // reachable anyway
	}
	return rep
}

// Elapsed uses a captured variable written by one goroutine and read
// only after receiving on done.
func Elapsed(f func()) time.Duration {
	var d time.Duration
	done := make(chan struct{})
	go func() {
		start := time.Now()
		f()
		d = time.Since(start)
		close(done)
	}()
	<-done
	return d
}
