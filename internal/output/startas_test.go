package output

import (
	"bytes"
	"crypto/sha256"
	"encoding"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// resumable is what a file of Create offers the open data's builder
// (export.Resumable).
type resumable interface {
	io.WriteCloser
	StartAs(src *os.File, n int64, state []byte) error
	HashState() ([]byte, error)
	Digest() [sha256.Size]byte
}

// TestCreateStartsAs: a file of Create can begin as the front of another
// file, given the SHA-256 state after it, and goes on from there: its
// bytes and its digest are those of the file written whole, and the
// state it tells takes a later file up where it is. A file with bytes
// already, or a state that is not one, is refused before anything is
// written.
func TestCreateStartsAs(t *testing.T) {
	dir := t.TempDir()
	front, rest := bytes.Repeat([]byte("前面"), 50_000), []byte("后面的字节")
	srcName := filepath.Join(dir, "previous")
	if err := os.WriteFile(srcName, append(append([]byte{}, front...), "不用的尾巴"...), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := os.Open(srcName)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	h := sha256.New()
	h.Write(front)
	state, err := h.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(dir, "public")
	d := open(t, out)
	d.Track(nil)
	create := func(name string) resumable {
		t.Helper()
		w, err := d.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		r, ok := w.(resumable)
		if !ok {
			t.Fatalf("a file of Create is a %T, without StartAs", w)
		}
		return r
	}
	f := create("data/all.json")
	if err := f.StartAs(src, int64(len(front)), state); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(rest); err != nil {
		t.Fatal(err)
	}
	mid, err := f.HashState()
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	want := append(append([]byte{}, front...), rest...)
	if f.Digest() != sha256.Sum256(want) {
		t.Errorf("digest %x, want that of the bytes %x", f.Digest(), sha256.Sum256(want))
	}
	h.Write(rest)
	if again, _ := h.(encoding.BinaryMarshaler).MarshalBinary(); !bytes.Equal(mid, again) {
		t.Errorf("HashState after the front and the rest is not the state of those bytes")
	}

	g := create("data/other.json")
	if _, err := g.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := g.StartAs(src, int64(len(front)), state); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("StartAs after a write = %v, want errors.ErrUnsupported", err)
	}
	k := create("data/third.json")
	if err := k.StartAs(src, int64(len(front)), []byte("not a state")); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("StartAs with no state = %v, want errors.ErrUnsupported", err)
	}
	for _, w := range []io.Closer{g, k} {
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(out, "data", "all.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("data/all.json has %d bytes, want the front and the rest, %d", len(got), len(want))
	}
}
