package sysfile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestCopyRange: the bytes asked for are appended to what dst has, src's
// own offset stays where it was, and a src too short is an error, never
// a shorter copy.
func TestCopyRange(t *testing.T) {
	dir := t.TempDir()
	data := bytes.Repeat([]byte("0123456789评价"), 100_000) // 1.6 MB
	if err := os.WriteFile(filepath.Join(dir, "src"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := os.Open(filepath.Join(dir, "src"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := src.Seek(7, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	dst, err := os.Create(filepath.Join(dir, "dst"))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if _, err := dst.WriteString("head:"); err != nil {
		t.Fatal(err)
	}
	const off, n = 3, 1_000_003
	if err := CopyRange(dst, src, off, n); err != nil {
		t.Fatal(err)
	}
	if _, err := dst.WriteString(":tail"); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "dst"))
	if err != nil {
		t.Fatal(err)
	}
	want := append(append([]byte("head:"), data[off:off+n]...), ":tail"...)
	if !bytes.Equal(got, want) {
		t.Errorf("dst has %d bytes, not the %d asked for between its head and tail", len(got), len(want))
	}
	if at, _ := src.Seek(0, io.SeekCurrent); at != 7 {
		t.Errorf("src's offset moved to %d, want it left at 7", at)
	}
	if err := CopyRange(dst, src, int64(len(data))-10, 11); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("a copy past src's end = %v, want io.ErrUnexpectedEOF", err)
	}
}
