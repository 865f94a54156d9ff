package content

import (
	"sync"

	"github.com/evalpress/evalpress/internal/diag"
)

// Positions tells where each key of a TOML document is written: "score",
// "indicators[1].items[0].max", and the text of each float written there.
// The document is scanned (scan) the first time either is asked for, not
// when it is loaded: a record whose numbers are all integers and that has
// no problem is never scanned. Positions is safe for concurrent use.
type Positions struct {
	once sync.Once
	src  []byte
	file string
	m    map[string]diag.Pos
	// floats is the text of each float value, by key (see scan).
	floats map[string]string
}

func newPositions(src []byte, file string) *Positions {
	return &Positions{src: src, file: file}
}

// KeyPositions returns Positions that hold m, for tests that make records
// by hand.
func KeyPositions(m map[string]diag.Pos) *Positions {
	p := &Positions{m: m}
	p.once.Do(func() {})
	return p
}

// At returns where key is written, if it is. A nil Positions has none.
func (p *Positions) At(key string) (diag.Pos, bool) {
	if p == nil {
		return diag.Pos{}, false
	}
	p.scan()
	pos, ok := p.m[key]
	return pos, ok
}

// Float returns the text of the float written as key's value ("26.50"),
// if the document has one there.
func (p *Positions) Float(key string) (string, bool) {
	if p == nil {
		return "", false
	}
	p.scan()
	s, ok := p.floats[key]
	return s, ok
}

func (p *Positions) scan() {
	p.once.Do(func() {
		p.m, p.floats = scan(p.src, p.file)
		p.src = nil
	})
}
