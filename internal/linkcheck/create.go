package linkcheck

import (
	"bytes"
	"io"
)

// Create takes a file of the site in pieces, as the site's renderer
// writes a large file (the open data): a page, style sheet or SVG is
// gathered and added whole when it is closed; of any other file only its
// name is kept, as Write keeps, and its bytes are dropped as they come.
func (s *Site) Create(name string) (io.WriteCloser, error) {
	return &created{s: s, name: name, keep: s.wants(name)}, nil
}

// Wants reports whether the check reads the contents of a file so named;
// of the others it notes only that they exist.
func (s *Site) Wants(name string) bool { return s.wants(name) }

// created is a file of Create.
type created struct {
	s    *Site
	name string
	keep bool
	buf  bytes.Buffer
}

func (c *created) Write(p []byte) (int, error) {
	if c.keep {
		return c.buf.Write(p)
	}
	return len(p), nil
}

func (c *created) Close() error {
	var data []byte
	if c.keep {
		data = c.buf.Bytes()
	}
	c.s.Add(c.name, data)
	return nil
}
