package bug_b8

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
)

// compressLoop gzips rotated files in the order they were rotated and
// records the compressed name in place of the original.
func (r *Rotator) compressLoop() {
	defer close(r.done)
	for idx := range r.pending {
		r.mu.Lock()
		src := r.archived[idx]
		r.mu.Unlock()

		dst, err := gzipFile(r.dir, src)
		if err != nil {
			continue
		}
		r.mu.Lock()
		r.archived[idx] = dst // RACE
		r.mu.Unlock()
	}
}

// gzipFile compresses dir/src into dir/src.gz and removes src. Rotated
// files are bounded by maxBytes, so they are compressed in memory.
func gzipFile(dir, src string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dir, src))
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer // writes to a bytes.Buffer cannot fail
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	dst := src + ".gz"
	if err := os.WriteFile(filepath.Join(dir, dst), buf.Bytes(), 0o644); err != nil {
		return "", err
	}
	return dst, os.Remove(filepath.Join(dir, src))
}
