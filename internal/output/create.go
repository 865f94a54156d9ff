package output

import (
	"bufio"
	"crypto/sha256"
	"encoding"
	"errors"
	"hash"
	"io"
	"os"
	"path/filepath"

	"github.com/evalpress/evalpress/internal/sysfile"
)

// Create opens name for writing in pieces, for a file too large to hold
// in memory whole (the search bulk file of 100,000 evaluations is about a
// gigabyte). The same rules as Write apply: a clean relative name, each
// name once; in an output updated in place, a file that comes out as the
// previous build left it is kept and the new copy dropped. The file counts
// in Count when it is closed; a build that fails or is killed before
// Commit discards it with the rest of the new output.
func (d *Dir) Create(name string) (io.WriteCloser, error) {
	if err := d.claim(name); err != nil {
		return nil, err
	}
	full := filepath.Join(d.tmp, filepath.FromSlash(name))
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	c := &created{d: d, name: name, full: full, f: f}
	var w io.Writer = f
	if d.states != nil {
		c.h = sha256.New()
		w = io.MultiWriter(f, c.h)
	}
	c.w = bufio.NewWriterSize(w, 1<<20)
	if c.h != nil {
		return digested{c}, nil
	}
	return c, nil
}

// digested is a file of Create that the output hashes: Digest is its
// digest once it has closed (a site.Digester), for the writers above it.
type digested struct{ *created }

func (c digested) Digest() [sha256.Size]byte { return c.sum }

// StartAs makes the file, before a byte is written to it, begin with the
// first n bytes of src, whose SHA-256 state after them (as
// encoding.BinaryMarshaler gives it) is state: they are copied in the
// kernel where the system can (sysfile.CopyRange) and not hashed again.
// It returns errors.ErrUnsupported, having done nothing, when the file
// has bytes already or state is not a SHA-256 state; the caller then
// writes the bytes itself. The bytes must be those state was taken
// after, or Digest is wrong: the caller reads them from a file it knows
// (output.Dir.Kept), at the place its own cache recorded the state.
func (c digested) StartAs(src *os.File, n int64, state []byte) error {
	if c.n != 0 || c.w.Buffered() != 0 {
		return errors.ErrUnsupported
	}
	h := sha256.New()
	if err := h.(encoding.BinaryUnmarshaler).UnmarshalBinary(state); err != nil {
		return errors.ErrUnsupported
	}
	if err := sysfile.CopyRange(c.f, src, 0, n); err != nil {
		return err
	}
	c.h = h
	c.w.Reset(io.MultiWriter(c.f, h))
	c.n = n
	return nil
}

// HashState returns the SHA-256 state of every byte written so far, as
// encoding.BinaryMarshaler gives it, for a later StartAs.
func (c digested) HashState() ([]byte, error) {
	if err := c.w.Flush(); err != nil {
		return nil, err
	}
	return c.h.(encoding.BinaryMarshaler).MarshalBinary()
}

// created is a file of Create: buffered, counted when closed.
type created struct {
	d          *Dir
	name, full string
	f          *os.File
	w          *bufio.Writer
	h          hash.Hash // when the output keeps a Manifest
	sum        [sha256.Size]byte
	n          int64
}

func (c *created) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func (c *created) Close() error {
	err := c.w.Flush()
	if cerr := c.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if c.h == nil {
		c.d.files.Add(1)
		c.d.bytes.Add(c.n)
		return nil
	}
	c.h.Sum(c.sum[:0])
	sum := c.sum
	if c.d.prev != nil {
		if c.d.unchanged(c.name, c.n, sum) {
			c.d.keep(c.name, c.d.prev[c.name])
			return os.Remove(c.full)
		}
		c.d.staged(c.name, c.n, sum)
		return nil
	}
	if err := c.d.noted(c.name, c.full, c.n, sum); err != nil {
		return err
	}
	c.d.files.Add(1)
	c.d.bytes.Add(c.n)
	return nil
}
