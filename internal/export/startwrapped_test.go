package export

import (
	"bytes"
	"crypto/sha256"
	"encoding"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// resumable is a file that can start as another's front (Resumable), and
// keeps no digest of its own: a wrapper around it must hash for it.
type resumable struct{ bytes.Buffer }

func (r *resumable) StartAs(src *os.File, n int64, _ []byte) error {
	b := make([]byte, n)
	if _, err := src.ReadAt(b, 0); err != nil {
		return err
	}
	r.Write(b)
	return nil
}

func (r *resumable) HashState() ([]byte, error) { return nil, errors.ErrUnsupported }

// TestStartWrappedResumesTheHash: a wrapper that hashes what passes,
// started as the front of a previous file with the hash state after that
// front, ends with the file's bytes and the digest of the whole, as if
// every byte had passed through it; a state that is not SHA-256's is
// refused before anything is done.
func TestStartWrappedResumesTheHash(t *testing.T) {
	front, rest := []byte("2019年,项目甲,优\n2020年,项目乙,良\n"), []byte("2021年,项目丙,中\n")
	name := filepath.Join(t.TempDir(), "evaluations.csv")
	if err := os.WriteFile(name, append(front, "旧的 2021 年"...), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := os.Open(name)
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

	var w resumable
	if _, err := StartWrapped(&w, sha256.New(), src, int64(len(front)), []byte("not a state")); !errors.Is(err, errors.ErrUnsupported) || w.Len() != 0 {
		t.Fatalf("a bad state: %v, %d bytes written; want ErrUnsupported and nothing", err, w.Len())
	}
	got, err := StartWrapped(&w, sha256.New(), src, int64(len(front)), state)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(rest)
	got.Write(rest)
	whole := append(append([]byte{}, front...), rest...)
	if !bytes.Equal(w.Bytes(), whole) {
		t.Errorf("the file holds %q, want %q", w.Bytes(), whole)
	}
	if want := sha256.Sum256(whole); !bytes.Equal(got.Sum(nil), want[:]) {
		t.Errorf("the digest is %x, want %x (the whole file's)", got.Sum(nil), want)
	}
	// A wrapper without a hash of its own goes on without one.
	if h, err := StartWrapped(&resumable{}, nil, src, int64(len(front)), state); err != nil || h != nil {
		t.Errorf("without a hash: %v, %v; want nil, nil", h, err)
	}
	// A file that cannot start as another's is left to be written whole.
	if _, err := StartWrapped(&bytes.Buffer{}, sha256.New(), src, int64(len(front)), state); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("a writer that is not Resumable: %v, want ErrUnsupported", err)
	}
}
