package bug_16

import (
	"fmt"
	"strings"
	"sync"
)

type Check struct {
	Name string
	Run  func() (bool, string)
}

// HealthReport runs all checks concurrently and renders a plain-text report.
func HealthReport(service string, checks []Check) string {
	var sb strings.Builder
	var wg sync.WaitGroup

	wg.Add(1)
	go func() {
		defer wg.Done()
		writeHeader(&sb, service, len(checks))
	}()

	for _, c := range checks {
		wg.Add(1)
		go func(c Check) {
			defer wg.Done()
			ok, detail := c.Run()
			writeResult(&sb, c.Name, ok, detail)
		}(c)
	}
	wg.Wait()
	return sb.String()
}

func writeHeader(sb *strings.Builder, service string, n int) {
	sb.WriteString(fmt.Sprintf("== %s: %d checks ==\n", service, n)) // RACE-ALSO
}

func writeResult(sb *strings.Builder, name string, ok bool, detail string) {
	status := "FAIL"
	if ok {
		status = "ok"
	}
	fmt.Fprintf(sb, "%-24s %-4s %s\n", name, status, detail) // RACE
}
