package output

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
)

// Create opens name for writing in pieces, for a file too large to hold
// in memory whole (the search bulk file of 100,000 evaluations is about a
// gigabyte). The same rules as Write apply: a clean relative name, each
// name once. The file counts in Count when it is closed; a build that
// fails or is killed before Commit discards it with the rest of the new
// output.
func (d *Dir) Create(name string) (io.WriteCloser, error) {
	if err := d.claim(name); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(d.tmp, filepath.FromSlash(name)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	return &created{d: d, f: f, w: bufio.NewWriterSize(f, 1<<20)}, nil
}

// created is a file of Create: buffered, counted when closed.
type created struct {
	d *Dir
	f *os.File
	w *bufio.Writer
	n int64
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
	c.d.files.Add(1)
	c.d.bytes.Add(c.n)
	return nil
}
