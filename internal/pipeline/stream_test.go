package pipeline

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/linkcheck"
	"github.com/evalpress/evalpress/internal/synth"
)

// pieces is an output that takes files whole (Write) or in pieces
// (Create) and notes, of each file, which way it came, its size and the
// largest piece it was written in: a file written in pieces no larger
// than a buffer was never held whole by the build.
type pieces struct {
	mu    sync.Mutex
	files map[string]*piecesFile
}

type piecesFile struct {
	created     bool
	size, piece int
	closed      bool
}

func (p *pieces) file(name string) *piecesFile {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.files == nil {
		p.files = map[string]*piecesFile{}
	}
	f := &piecesFile{}
	p.files[name] = f
	return f
}

func (p *pieces) Write(name string, data []byte) error {
	f := p.file(name)
	f.size, f.piece, f.closed = len(data), len(data), true
	return nil
}

func (p *pieces) Create(name string) (io.WriteCloser, error) {
	f := p.file(name)
	f.created = true
	return f, nil
}

func (f *piecesFile) Write(b []byte) (int, error) {
	f.size += len(b)
	f.piece = max(f.piece, len(b))
	return len(b), nil
}

func (f *piecesFile) Close() error { f.closed = true; return nil }

// maxPiece bounds the pieces a streamed file is written in: the CSV and
// zip writers' buffers, one record of evaluations.json, the schema.
const maxPiece = 64 << 10

// TestOpenDataIsStreamed checks that a build writes the open data in
// pieces to an output that takes files in pieces, through the guard and
// the link check as in Run: at 100,000 evaluations the data folder is
// 400 MB, which a build that made each file whole held in memory at once.
func TestOpenDataIsStreamed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "content")
	if err := synth.Generate(dir, 80, 1); err != nil {
		t.Fatal(err)
	}
	var l diag.List
	p, _, err := prepare(Options{Content: dir, Now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}, true, nil, &l)
	if err != nil {
		t.Fatalf("%v\n%v", err, l.Items())
	}
	out := &pieces{}
	var stats Stats
	if err := p.build(context.Background(), tee{out, linkcheck.NewSite("")}, &stats, &l); err != nil {
		t.Fatalf("%v\n%v", err, l.Items())
	}
	largest := 0
	for name, f := range out.files {
		rest, ok := strings.CutPrefix(name, "data/")
		if !ok || rest == "index.html" || rest == "SHA256SUMS" {
			continue
		}
		if !f.created || !f.closed {
			t.Errorf("%s: written whole (%d bytes), not streamed", name, f.size)
			continue
		}
		if f.piece > maxPiece {
			t.Errorf("%s: a piece of %d bytes, more than %d", name, f.piece, maxPiece)
		}
		largest = max(largest, f.size)
	}
	if largest <= 2*maxPiece {
		t.Fatalf("the largest data file is %d bytes: too small to tell a streamed file", largest)
	}
}
