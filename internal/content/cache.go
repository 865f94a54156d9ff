package content

import "errors"

// NarrativeRef is what a record keeps of its narrative besides the
// text: its name in the content folder, whether LoadWith dropped the
// text, and the hash of the text that was checked (see ReadNarrative).
// A build's cache of loaded records keeps it with the record, whose
// other fields it can encode as they are, so that a record given back
// (Options.Recall) reads and checks its narrative as a loaded one does.
type NarrativeRef struct {
	Name    string
	Dropped bool
	Sum     uint64
}

// NarrativeRef returns what r keeps of its narrative.
func (r *Record) NarrativeRef() NarrativeRef {
	return NarrativeRef{Name: r.narrativeName, Dropped: r.narrativeDropped, Sum: r.narrativeSum}
}

// SetNarrativeRef gives a record decoded from a cache what it kept of its
// narrative (NarrativeRef).
func (r *Record) SetNarrativeRef(n NarrativeRef) {
	r.narrativeName, r.narrativeDropped, r.narrativeSum = n.Name, n.Dropped, n.Sum
}

// errPositionsCached refuses to encode key positions: they hold the
// file's source, and a record is cached after its checks have dropped
// them (Record.Pos is nil).
var errPositionsCached = errors.New("content: key positions are not cached")

// GobEncode lets encoding/gob encode a Record, whose Pos it must know how
// to encode; a cached record has none (nil is never encoded), and a
// Positions that holds any is refused.
func (p *Positions) GobEncode() ([]byte, error) {
	if p != nil && (p.src != nil || p.m != nil) {
		return nil, errPositionsCached
	}
	return []byte{}, nil
}

// GobDecode is GobEncode's counterpart: the positions stay empty.
func (p *Positions) GobDecode([]byte) error { return nil }
