package bug_61

import "fmt"

// Recorder is a Logger that keeps every line in memory. The CLI uses it in
// --dry-run mode to print a summary once the run has finished.
type Recorder struct {
	lines []string
}

// Infof records an informational line.
func (r *Recorder) Infof(format string, args ...any) {
	r.lines = append(r.lines, "INFO  "+fmt.Sprintf(format, args...)) // RACE
}

// Errorf records an error line.
func (r *Recorder) Errorf(format string, args ...any) {
	r.lines = append(r.lines, "ERROR "+fmt.Sprintf(format, args...)) // RACE-ALSO
}

// Lines returns everything recorded so far.
func (r *Recorder) Lines() []string {
	return r.lines
}

var _ Logger = (*Recorder)(nil)
