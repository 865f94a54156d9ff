package sitetest

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/tools/txtar"
)

// WriteFiles writes the files of a txtar archive into dir, making the
// folders they need.
func WriteFiles(t testing.TB, dir, files string) {
	t.Helper()
	for _, f := range txtar.Parse([]byte(files)).Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Files formats a map of file names to contents as the txtar archive that
// Build and WriteFiles take, in the order of the names. A content that does
// not end in a newline gets one, as txtar adds it.
func Files(m map[string]string) string {
	a := &txtar.Archive{}
	for _, name := range slices.Sorted(maps.Keys(m)) {
		a.Files = append(a.Files, txtar.File{Name: name, Data: []byte(m[name])})
	}
	return string(txtar.Format(a))
}
