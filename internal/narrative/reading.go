package narrative

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/yuin/goldmark/text"
)

// Reading is a narrative's text as a reader sees it on the page: Markdown
// escapes and character references resolved, emphasis, code and link markup
// gone, line breaks and runs of white space made one space, as a browser
// shows them. It is what the personal-data check scans besides the source,
// since 138\-1234\-5678, 138**1234**5678 and &#49;38… hide a number from a
// scan of the source but not from the reader.
//
// It differs from Doc.Text in one way: the cells of a table row are set
// apart by " | " rather than a space, because a reader sees cells apart,
// and three cells 138, 1234 and 5678 are not a phone number.
type Reading struct {
	// Text holds one line per paragraph, heading, list item, table row or
	// code line, like Doc.Text.
	Text string
	src  []byte
	// starts holds, for each line of Text, the byte offset in src of the
	// first text on that line.
	starts []int
}

// Read returns the reading text of src. It parses src as Render does but
// renders no HTML, which is the larger part of Render's time. An error means
// a bug in this package or goldmark, as for Render.
func (r *Renderer) Read(src []byte) (rd Reading, err error) {
	if !utf8.Valid(src) {
		src = bytes.ToValidUTF8(src, []byte("\uFFFD"))
	}
	defer func() {
		if p := recover(); p != nil {
			rd, err = Reading{}, fmt.Errorf("narrative: goldmark panicked (a bug; please report it with this file): %v", p)
		}
	}()
	root := r.md.Parser().Parse(text.NewReader(src))
	w := walker{source: src, reading: true, lineStart: -1, text: make([]byte, 0, len(src))}
	w.ids.init()
	w.blocks(root)
	for i, c := range w.text {
		// A browser shows a tab like a space; the scan only joins groups
		// of digits at spaces.
		if c == '\t' || c == '\r' || c == '\f' || c == '\v' {
			w.text[i] = ' '
		}
	}
	return Reading{Text: w.plainText(), src: src, starts: w.starts}, nil
}

// Line returns the line of the source, from 1, where the line of Text that
// holds the byte at offset begins.
func (rd Reading) Line(offset int) int {
	k := bytes.Count([]byte(rd.Text[:min(max(offset, 0), len(rd.Text))]), []byte{'\n'})
	if k >= len(rd.starts) {
		return 0
	}
	return bytes.Count(rd.src[:min(rd.starts[k], len(rd.src))], []byte{'\n'}) + 1
}
