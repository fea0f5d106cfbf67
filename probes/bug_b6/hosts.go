package bug_b6

import (
	"bufio"
	"os"
	"strings"
)

// parseHostsFile reads an /etc/hosts style file. A missing or unreadable
// file yields an empty table.
func parseHostsFile(path string) map[string][]string {
	table := make(map[string][]string)
	f, err := os.Open(path)
	if err != nil {
		return table
	}
	defer f.Close()

	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		addr := fields[0]
		for _, name := range fields[1:] {
			name = strings.ToLower(name)
			table[name] = append(table[name], addr)
		}
	}
	return table
}
