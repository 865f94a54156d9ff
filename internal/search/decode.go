package search

import (
	"errors"
	"fmt"
)

// The decoder of the shard files Write writes (its comment gives the
// format), beside the encoder it undoes: a patch (see Patch) reads a
// previous index's shards back into the terms shardFiles writes them from.

var errDamaged = errors.New("search index file damaged")

// reader reads uvarints from b, remembering the first error.
type reader struct {
	b   []byte
	i   int
	err error
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	x, s := uint64(0), uint(0)
	for r.i < len(r.b) {
		c := r.b[r.i]
		r.i++
		if c < 0x80 {
			return x | uint64(c)<<s
		}
		x |= uint64(c&0x7f) << s
		s += 7
		if s > 63 {
			break
		}
	}
	r.err = errDamaged
	return 0
}

// skip moves past n uvarints without decoding them.
func (r *reader) skip(n int) {
	for ; n > 0 && r.err == nil; r.i++ {
		if r.i >= len(r.b) {
			r.err = errDamaged
			return
		}
		if r.b[r.i] < 0x80 {
			n--
		}
	}
}

func (r *reader) bytes(n uint64) []byte {
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.b)-r.i) {
		r.err = errDamaged
		return nil
	}
	out := r.b[r.i : r.i+int(n)]
	r.i += int(n)
	return out
}

func (r *reader) runes() []rune {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)-r.i) {
		r.err = errDamaged
		return nil
	}
	out := make([]rune, n)
	for j := range out {
		out[j] = rune(r.uvarint())
	}
	return out
}

// shardIn is one shard read back: its unigrams and bigrams in key order,
// each with its list and, a light bigram, its positions and contexts as
// they are (see term.sec); a heavy bigram's blocks as kept blocks (see
// term.kept), their data not read; the phrases in rune order.
type shardIn struct {
	terms   []term
	phrases []term
}

// readShard reads the files of a shard: t/, and l/ and p/ (nil when the
// shard has none).
func readShard(t, l, p []byte) (*shardIn, error) {
	r := &reader{b: t}
	n := r.uvarint()
	ll, pl := r.uvarint(), r.uvarint()
	if r.err != nil || ll != uint64(len(l)) || pl != uint64(len(p)) || n > uint64(len(t)) {
		return nil, errDamaged
	}
	in := &shardIn{}
	// Where each term's list is: inline (in t/ after the directory) or in
	// l/, in the directory's order.
	type place struct {
		n    uint64
		long bool
	}
	var places []place
	var lights []int // terms with their positions in p/, with their lengths
	var lightLen []uint64
	nblocks := int32(0)
	for range n {
		k := r.uvarint()
		if k > uint64(len(t)) {
			return nil, errDamaged
		}
		rs := make([]rune, k)
		for j := range rs {
			rs[j] = rune(r.uvarint())
		}
		df := r.uvarint()
		lst := r.uvarint()
		places = append(places, place{lst >> 1, lst&1 == 1})
		if r.err != nil || k == 0 {
			return nil, errDamaged
		}
		if k >= phraseMin {
			ph := term{runes: rs, df: int32(df)}
			if a := r.runes(); len(a) > 0 {
				ph.alias = a
			}
			in.phrases = append(in.phrases, ph)
			continue
		}
		tm := term{df: int32(df)}
		if k == 1 {
			tm.key = unigramKey(rs[0])
		} else {
			tm.key = bigramKey(rs[0], rs[1])
			nb := r.uvarint()
			if nb == 0 {
				lights = append(lights, len(in.terms))
				lightLen = append(lightLen, r.uvarint())
			} else {
				tm.keptCtx = nb&1 == 1
				first := int32(0)
				for range nb >> 1 {
					first += int32(r.uvarint())
					size := r.uvarint()
					nblocks++
					tm.kept = append(tm.kept, block{first: first, size: int(size), from: nblocks})
				}
			}
		}
		in.terms = append(in.terms, tm)
	}
	if r.err != nil {
		return nil, r.err
	}
	// The lists, in the directory's order: terms, then phrases.
	lr := &reader{b: l}
	for j, pl := range places {
		var d []byte
		if pl.long {
			d = lr.bytes(pl.n)
		} else {
			d = r.bytes(pl.n)
		}
		if j < len(in.terms) {
			in.terms[j].docs = d
		} else {
			in.phrases[j-len(in.terms)].docs = d
		}
	}
	if r.err != nil || lr.err != nil || r.i != len(t) || lr.i != len(l) {
		return nil, errDamaged
	}
	pr := &reader{b: p}
	for j, i := range lights {
		in.terms[i].sec = pr.bytes(lightLen[j])
	}
	if pr.err != nil || pr.i != len(p) {
		return nil, errDamaged
	}
	return in, nil
}

// sectionPos reads the positions of n documents from the start of a
// section (see Write), appending them to pos as a term holds them, and
// returns them with what follows the section.
func sectionPos(sec []byte, n int, pos []byte) ([]byte, []byte, error) {
	r := &reader{b: sec}
	for range n {
		r.uvarint()
		tf := r.uvarint()
		start := r.i
		for range tf {
			r.uvarint()
		}
		if r.err != nil {
			return nil, nil, r.err
		}
		pos = append(pos, sec[start:r.i]...)
	}
	return pos, sec[r.i:], nil
}

// readLight reads back a light bigram's positions and contexts from its
// section and contexts in p/ (term.sec).
func readLight(tm *term) (pos []byte, units []uint16, err error) {
	pos, rest, err := sectionPos(tm.sec, int(tm.df), nil)
	if err != nil {
		return nil, nil, err
	}
	units, err = readContexts(rest, countPositions(pos), nil)
	return pos, units, err
}

// readBlocks reads back a heavy bigram's positions and, when its blocks
// hold them, its contexts (as contextPass gathers them), from the data of
// its blocks in order.
func readBlocks(tm *term, data [][]byte) (pos []byte, units []uint16, err error) {
	if len(data) != len(tm.kept) {
		return nil, nil, errDamaged
	}
	for _, b := range data {
		if !tm.keptCtx {
			// A section only: its documents until its end.
			r := &reader{b: b}
			for r.i < len(b) && r.err == nil {
				r.uvarint()
				tf := r.uvarint()
				start := r.i
				for range tf {
					r.uvarint()
				}
				pos = append(pos, b[start:r.i]...)
			}
			if r.err != nil {
				return nil, nil, r.err
			}
			continue
		}
		r := &reader{b: b}
		n := r.uvarint()
		if r.err != nil {
			return nil, nil, r.err
		}
		start := len(pos)
		var rest []byte
		if pos, rest, err = sectionPos(b[r.i:], int(n), pos); err != nil {
			return nil, nil, err
		}
		if units, err = readContexts(rest, countPositions(pos[start:]), units); err != nil {
			return nil, nil, err
		}
	}
	return pos, units, nil
}

// countPositions returns how many uvarints b holds.
func countPositions(b []byte) int {
	n := 0
	for _, c := range b {
		if c < 0x80 {
			n++
		}
	}
	return n
}

// readContexts reads the contexts of occ occurrences encoded by a
// contextEncoder, appending them to units as appendContext made them.
func readContexts(b []byte, occ int, units []uint16) ([]uint16, error) {
	r := &reader{b: b}
	table := readTable(r)
	units = decodeContexts(r, table, occ, units)
	if r.err != nil || r.i != len(b) {
		return nil, fmt.Errorf("contexts: %w", errDamaged)
	}
	return units, nil
}

// readTable reads the table of characters that starts encoded contexts.
func readTable(r *reader) []rune {
	nt := r.uvarint()
	if r.err != nil || nt > uint64(len(r.b)) {
		r.err = errDamaged
		return nil
	}
	table := make([]rune, nt)
	prev := rune(0)
	for i := range table {
		prev += rune(r.uvarint())
		table[i] = prev
	}
	return table
}

// decodeContexts reads the contexts of occ occurrences, their characters
// indexes into table, appending them to units.
func decodeContexts(r *reader, table []rune, occ int, units []uint16) []uint16 {
	for range occ * 2 * contextChars {
		x := r.uvarint()
		switch {
		case r.err != nil:
			return units
		case x == 0:
			units = append(units, ' ')
		case x <= uint64(len(table)):
			units = appendUnit(units, table[x-1])
		default:
			r.err = errDamaged
		}
	}
	return units
}
