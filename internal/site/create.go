package site

import (
	"bytes"
	"crypto/sha256"
	"io"
)

// Creator is a Writer that also takes a file in pieces, for a file too
// large to hold in memory whole: the open data of 100,000 evaluations is
// 400 MB. The output folder is one; the writers that wrap another pass
// Create on when theirs has it.
type Creator interface {
	Writer
	// Create opens name for writing; the file is complete when it is
	// closed without error.
	Create(name string) (io.WriteCloser, error)
}

// A Digester is a file of Create that hashes what it writes with SHA-256
// (the output's files, when the output keeps their digests): once it has
// closed without error, Digest is the digest of every byte written. A
// writer that wraps such a file and passes every byte on takes its
// digest instead of hashing the same bytes again: at 100,000 evaluations
// the open data's 400 MB were hashed three times in each rebuild.
type Digester interface {
	io.WriteCloser
	Digest() [sha256.Size]byte
}

// Create opens name on w for writing in pieces: through w's Create when w
// is a Creator, else into a buffer that is handed to w.Write on Close (a
// preview keeps its files in memory anyway).
func Create(w Writer, name string) (io.WriteCloser, error) {
	if c, ok := w.(Creator); ok {
		return c.Create(name)
	}
	return &buffered{w: w, name: name}, nil
}

// buffered is a file of Create for a Writer that takes files whole.
type buffered struct {
	w    Writer
	name string
	buf  bytes.Buffer
}

func (b *buffered) Write(p []byte) (int, error) { return b.buf.Write(p) }

func (b *buffered) Close() error { return b.w.Write(b.name, b.buf.Bytes()) }
