// Package ok_33 serves stored blobs over HTTP with a content type derived
// from the file extension.
package ok_33

import (
	"net/http"
	"path"
	"strings"
	"sync"
	"sync/atomic"
)

var (
	mimeOnce  sync.Once
	mimeTable map[string]string // built once by loadMime, read-only afterwards

	served atomic.Int64 // number of blobs served
)

func loadMime() {
	m := map[string]string{
		".json": "application/json",
		".png":  "image/png",
		".txt":  "text/plain; charset=utf-8",
		".html": "text/html; charset=utf-8",
	}
	for _, ext := range []string{".jpg", ".jpeg"} {
		m[ext] = "image/jpeg"
	}
	mimeTable = m
}

func contentType(name string) string {
	mimeOnce.Do(loadMime)
	if ct, ok := mimeTable[strings.ToLower(path.Ext(name))]; ok {
		return ct
	}
	return "application/octet-stream"
}

// BlobStore returns blob contents by name. It must be safe for concurrent use.
type BlobStore interface {
	Get(name string) ([]byte, bool)
}

// Handler serves GET /blobs/{name}.
func Handler(store BlobStore) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/blobs/")
		data, ok := store.Get(name)
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", contentType(name))
		served.Add(1)
		_, _ = w.Write(data)
	})
}

// Served returns the number of blobs served so far.
func Served() int64 { return served.Load() }
