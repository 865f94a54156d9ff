package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var sampleFiles = []file{
	{Name: "evalpress", Mode: 0o755, Body: []byte("\x7fELF")},
	{Name: "content/2023/report.toml", Mode: 0o644, Body: []byte("year = 2023\n")},
	{Name: "content/site.toml", Mode: 0o644, Body: []byte("title = \"x\"\n")},
	{Name: "使用说明.md", Mode: 0o644, Body: []byte("# 使用说明\n")},
}

func TestEntriesListFoldersBeforeTheirFiles(t *testing.T) {
	list, err := entries("top", sampleFiles)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range list {
		got = append(got, e.Name)
		if e.Mode.IsDir() != strings.HasSuffix(e.Name, "/") {
			t.Errorf("%s: mode %v", e.Name, e.Mode)
		}
	}
	want := []string{"top/", "top/content/", "top/content/2023/", "top/content/2023/report.toml", "top/content/site.toml", "top/evalpress", "top/使用说明.md"}
	if !slices.Equal(got, want) {
		t.Errorf("entries = %q, want %q", got, want)
	}
	if _, err := entries("top", append(slices.Clone(sampleFiles), sampleFiles[0])); err == nil {
		t.Error("two files of one name were accepted")
	}
}

// The archives depend on the files alone: not on the order they come in,
// the machine's time or user.
func TestArchivesAreReproducible(t *testing.T) {
	mtime := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	reversed := slices.Clone(sampleFiles)
	slices.Reverse(reversed)
	for _, write := range []struct {
		name string
		fn   func(io.Writer, []entry, time.Time) error
	}{{"tar.gz", writeTarGz}, {"zip", writeZip}} {
		var outs [2][]byte
		for i, files := range [][]file{sampleFiles, reversed} {
			list, err := entries("top", files)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := write.fn(&b, list, mtime); err != nil {
				t.Fatal(err)
			}
			outs[i] = b.Bytes()
		}
		if !bytes.Equal(outs[0], outs[1]) {
			t.Errorf("%s: the order of the files changed the archive", write.name)
		}
	}
}

func TestTarHeadersAreFixed(t *testing.T) {
	mtime := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	list, err := entries("top", sampleFiles)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := writeTarGz(&b, list, mtime); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	if zr.Name != "" || !zr.ModTime.IsZero() {
		t.Errorf("gzip header has name %q, time %v; want neither", zr.Name, zr.ModTime)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		want := int64(0o644)
		if h.Typeflag == tar.TypeDir || strings.HasSuffix(h.Name, "/evalpress") {
			want = 0o755
		}
		if h.Mode != want || h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" || !h.ModTime.Equal(mtime) {
			t.Errorf("%s: mode %o uid %d gid %d user %q group %q time %v; want mode %o, root, no names, %v",
				h.Name, h.Mode, h.Uid, h.Gid, h.Uname, h.Gname, h.ModTime, want, mtime)
		}
	}
}

func TestZipHeadersAreFixed(t *testing.T) {
	mtime := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	list, err := entries("top", sampleFiles)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := writeZip(&b, list, mtime); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		wantMode, wantMethod := fs.FileMode(0o644), zip.Deflate
		switch {
		case strings.HasSuffix(f.Name, "/"):
			wantMode, wantMethod = fs.ModeDir|0o755, zip.Store
		case strings.HasSuffix(f.Name, "/evalpress"):
			wantMode = 0o755
		}
		if f.Mode() != wantMode || f.Method != wantMethod || !f.Modified.Equal(mtime) {
			t.Errorf("%s: mode %v method %d time %v; want %v, %d, %v", f.Name, f.Mode(), f.Method, f.Modified, wantMode, wantMethod, mtime)
		}
	}
}

func TestWriteFileReplacesOnlyWhatItNames(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(other, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.zip"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A failed write leaves the old file and no temporary file.
	if _, err := writeFile(dir, "a.zip", func(w io.Writer) error {
		io.WriteString(w, "partial")
		return errors.New("disk full")
	}); err == nil {
		t.Fatal("a failed write reported success")
	}
	assertDir(t, dir, map[string]string{"a.zip": "old", "notes.txt": "mine"})

	a, err := writeFile(dir, "a.zip", func(w io.Writer) error {
		_, err := io.WriteString(w, "new")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "a.zip" || a.Size != 3 {
		t.Errorf("writeFile = %+v, want a.zip of 3 bytes", a)
	}
	assertDir(t, dir, map[string]string{"a.zip": "new", "notes.txt": "mine"})
}

func assertDir(t *testing.T, dir string, want map[string]string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got[e.Name()] = string(b)
	}
	if len(got) != len(want) {
		t.Errorf("%s holds %q, want %q", dir, got, want)
	}
	for name, body := range want {
		if got[name] != body {
			t.Errorf("%s: %q, want %q", name, got[name], body)
		}
	}
}

func TestSumsAreWhatSha256sumReads(t *testing.T) {
	dir := t.TempDir()
	err := writeSums(dir, []archive{
		{Name: "b.zip", SHA256: bytes.Repeat([]byte{0xab}, 32)},
		{Name: "a.tar.gz", SHA256: bytes.Repeat([]byte{0x01}, 32)},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, sumsName))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Repeat("01", 32) + "  a.tar.gz\n" + strings.Repeat("ab", 32) + "  b.zip\n"
	if string(got) != want {
		t.Errorf("%s =\n%s\nwant\n%s", sumsName, got, want)
	}
}
