package search

import (
	"context"
	"encoding/binary"
	"slices"

	"github.com/evalpress/evalpress/internal/par"
)

// Contexts let a query of three characters or more be confirmed without
// the positions of its common bigrams. Take 项目完成及时率, which no
// evaluation contains, over texts where 项目, 完成 and 及时 occur
// everywhere: its rare bigrams (目完, 成及) leave a few candidates, but
// a cover of its characters by bigrams needs 项目 for its first
// character, and 项目's positions are half a megabyte. A light bigram
// (one whose positions are small, see heavyPos) therefore also keeps, for
// each occurrence, the contextChars characters before it and after it:
// 目完 preceded by 项 and followed by 成及时 is 项目完成及时, six characters
// confirmed by the positions of one rare bigram. search.js covers a word
// with such pieces where they are cheaper than a common bigram's
// positions. With three characters each side, a light bigram anywhere in
// the middle of a word of up to eight characters confirms all of it.
//
// What is rare depends on the site: a pair that one evaluation in six
// holds once (金项 of 资金项目单位) has about 5 KB of positions at 10,000
// evaluations and 50 KB at 100,000. A bigram
// with at most heavyPos bytes of positions per contextDocs documents
// therefore keeps contexts however large the site: in p/<shard>.bin with
// its positions when it is light, else in each of its position blocks
// (see contextBigram). Why not make such a pair light: p/<shard>.bin is
// read whole, and it would grow with the site.
//
// A bigram's contexts are, after its positions in p/<shard>.bin or in a
// block (see Write): uvarint count of distinct characters, the characters in
// increasing order (the first as it is, each other as its distance from
// the one before), then per occurrence, in the order of the positions,
// the characters before it, nearest first, and those after it, each as
// uvarint index+1 in the table, 0 where there is none: past the start or
// end of the text, or a space between fields, and any character beyond
// it (a word has no space).
const contextChars = 3

// lightBigram says whether a bigram with pos bytes of positions keeps them,
// with contexts, in its shard's p/ file rather than in blocks.
func lightBigram(pos int) bool { return pos > 0 && pos <= heavyPos }

// contextDocs is the number of documents per heavyPos bytes of positions
// that a bigram may have and keep contexts (see above). A variable so
// that a test can make a small site behave as a large one.
var contextDocs = 10000

// contextBigram says whether a bigram with pos bytes of positions, in an
// index of docs documents, keeps contexts: light bigrams always, heavy
// ones when they are rare for the site.
func contextBigram(pos, docs int) bool {
	return pos > 0 && pos <= max(heavyPos, heavyPos*docs/contextDocs)
}

// contextTerm is a bigram that keeps contexts, how many times it occurs,
// and whether it is heavy (its contexts go to its blocks).
type contextTerm struct {
	key   uint64
	occ   int
	heavy bool
}

// contextOf returns the contextTerm of a bigram's document list and
// positions.
func contextOf(key uint64, docs, pos []byte) contextTerm {
	n := 0
	for q := 0; q < len(docs); {
		_, k := uvarint(docs[q:])
		q += k
		info, k := uvarint(docs[q:])
		q += k
		n += int(info >> 1)
	}
	return contextTerm{key, n, !lightBigram(len(pos))}
}

// contextPass gathers the contexts of the bigrams that keep them (in
// increasing order of their keys) during a pass over the n texts: see
// phraseTerms, which calls visit.
type contextPass struct {
	keys []uint64
	// size is, per light bigram, the units of contexts a worker is likely
	// to gather: its share of the bigram's occurrences and a tenth more.
	// Sized so, the contexts are not copied as they grow, nor held in
	// slices twice their size.
	size   []int
	heavy  []bool
	index  map[uint64]int32
	filter []uint64
	// parts holds, per worker and bigram, the contexts of each
	// occurrence (see appendContext), in id order and then position
	// order: of a heavy bigram, those not yet in store.
	parts [][][]uint16
	// A heavy bigram's contexts are tens of MB at 100,000 evaluations,
	// all of them held until their shards are written: a worker moves
	// them to store whenever it holds more than storeUnits of them
	// (held), and stored[w][i] lists where worker w put bigram i's, in
	// order.
	held   []int
	store  *listStore
	stored [][][]storedSpan
	bufs   [][]byte // per worker, what it moves to the store, reused
}

// storedSpan is where a piece of contexts is in a contextPass's store.
type storedSpan struct {
	off int64
	n   int // bytes: two per unit
}

// storeUnits is how many units of heavy bigrams' contexts a worker holds
// before it moves them to the store. A variable so that a test can make
// it small.
var storeUnits = 1 << 20

// filterShift makes a hash of a key an index into contextPass.filter's
// bits.
const filterShift = 64 - 20

// newContextPass returns the pass of n texts that gathers the contexts of
// terms (in increasing order of their keys), keeping those of heavy
// bigrams in store.
func newContextPass(n int, terms []contextTerm, store *listStore) *contextPass {
	workers := passWorkers(n)
	c := &contextPass{keys: make([]uint64, len(terms)), size: make([]int, len(terms)), heavy: make([]bool, len(terms)),
		index: make(map[uint64]int32, len(terms)), filter: make([]uint64, (1<<(64-filterShift))/64),
		parts: make([][][]uint16, workers), held: make([]int, workers), store: store,
		stored: make([][][]storedSpan, workers), bufs: make([][]byte, workers)}
	for i, lt := range terms {
		k := lt.key
		c.keys[i] = k
		c.heavy[i] = lt.heavy
		c.size[i] = 2*contextChars*lt.occ*11/(10*workers) + 2*contextChars
		if lt.heavy {
			// Moved to the store in pieces: no need to hold its
			// share at once.
			c.size[i] = min(c.size[i], 1024)
		}
		c.index[k] = int32(i)
		h := (k * 0x9E3779B97F4A7C15) >> filterShift
		c.filter[h/64] |= 1 << (h % 64)
	}
	return c
}

// visit gathers the contexts of text, for worker w.
func (c *contextPass) visit(w int, r []rune) error {
	if len(c.keys) == 0 {
		return nil
	}
	got := c.parts[w]
	if got == nil {
		got = make([][]uint16, len(c.keys))
		c.parts[w] = got
	}
	// The bigrams tokenize indexes: both runes within maxPos.
	end := min(len(r), maxPos)
	for p := 0; p+1 < end; p++ {
		a, b := r[p], r[p+1]
		if a == ' ' || b == ' ' {
			continue
		}
		k := bigramKey(a, b)
		// The filter, a bit per hash of a key, skips the map for
		// most bigrams of a text: the common ones, which are not
		// light.
		if h := (k * 0x9E3779B97F4A7C15) >> filterShift; c.filter[h/64]&(1<<(h%64)) == 0 {
			continue
		}
		if i, ok := c.index[k]; ok {
			if got[i] == nil {
				got[i] = make([]uint16, 0, c.size[i])
			}
			n := len(got[i])
			got[i] = appendContext(got[i], r, p)
			if c.heavy[i] {
				c.held[w] += len(got[i]) - n
			}
		}
	}
	if c.held[w] > storeUnits {
		if err := c.keep(w); err != nil {
			return err
		}
	}
	return nil
}

// keep moves worker w's contexts of heavy bigrams to the store.
func (c *contextPass) keep(w int) error {
	got := c.parts[w]
	if c.stored[w] == nil {
		c.stored[w] = make([][]storedSpan, len(c.keys))
	}
	buf := slices.Grow(c.bufs[w][:0], 2*c.held[w])
	for i, units := range got {
		if !c.heavy[i] || len(units) == 0 {
			continue
		}
		for _, u := range units {
			buf = binary.LittleEndian.AppendUint16(buf, u)
		}
	}
	c.bufs[w] = buf
	base, err := c.store.append(buf)
	if err != nil {
		return err
	}
	for i, units := range got {
		if !c.heavy[i] || len(units) == 0 {
			continue
		}
		c.stored[w][i] = append(c.stored[w][i], storedSpan{base, 2 * len(units)})
		base += int64(2 * len(units))
		got[i] = units[:0]
		if cap(units) > 4096 {
			got[i] = nil
		}
	}
	c.held[w] = 0
	return nil
}

// contexts is what a contextPass gathered: the light bigrams' contexts,
// encoded, and the heavy bigrams', by key.
type contexts struct {
	light map[uint64][]byte
	heavy map[uint64]int32 // index in pass
	pass  *contextPass
	// mem holds the heavy bigrams' contexts instead of pass, by index,
	// for a patched index (see Patch).
	mem [][]uint16
}

// units appends to out the contexts of heavy bigram i of the pass, as
// appendContext made them, in id order and then position order.
func (c *contexts) units(i int32, out []uint16) ([]uint16, error) {
	if c.pass == nil {
		return append(out, c.mem[i]...), nil
	}
	p := c.pass
	n, size := len(out), 0
	for w := range p.parts {
		if p.stored[w] != nil {
			for _, sp := range p.stored[w][i] {
				size = max(size, sp.n)
				n += sp.n / 2
			}
		}
		if p.parts[w] != nil {
			n += len(p.parts[w][i])
		}
	}
	out = slices.Grow(out, n-len(out))
	var buf []byte
	for w := range p.parts {
		if p.stored[w] != nil {
			for _, sp := range p.stored[w][i] {
				if buf == nil {
					buf = make([]byte, size)
				}
				b, err := p.store.readAt(sp.off, buf[:sp.n])
				if err != nil {
					return nil, err
				}
				for j := 0; j+1 < len(b); j += 2 {
					out = append(out, binary.LittleEndian.Uint16(b[j:]))
				}
			}
		}
		if p.parts[w] != nil {
			out = append(out, p.parts[w][i]...)
		}
	}
	return out, nil
}

// contexts returns the contexts gathered: the light bigrams' encoded.
func (c *contextPass) contexts(ctx context.Context) (*contexts, error) {
	// Encoded on every core: a light bigram's contexts are few, but
	// there are thousands of light bigrams.
	out := make([][]byte, len(c.keys))
	workers := passWorkers(len(c.keys))
	err := par.Each(ctx, workers, func(_ context.Context, w int) error {
		var enc contextEncoder
		streams := make([][]uint16, 0, len(c.parts))
		for i := w; i < len(c.keys); i += workers {
			if c.heavy[i] {
				continue
			}
			streams = streams[:0]
			for _, part := range c.parts {
				if part != nil {
					streams = append(streams, part[i])
				}
			}
			out[i] = enc.encode(streams)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	cs := &contexts{light: make(map[uint64][]byte, len(c.keys)), heavy: map[uint64]int32{}, pass: c}
	for i, k := range c.keys {
		if c.heavy[i] {
			cs.heavy[k] = int32(i)
			continue
		}
		cs.light[k] = out[i]
		// Encoded, the light bigrams' units are no longer needed.
		for _, part := range c.parts {
			if part != nil {
				part[i] = nil
			}
		}
	}
	return cs, nil
}

// skipContexts returns the index in units after the contexts of n
// occurrences that start at i.
func skipContexts(units []uint16, i, n int) int {
	for range n * 2 * contextChars {
		_, i = unit(units, i)
	}
	return i
}

// appendContext appends the contextChars characters before the bigram at
// p in text, nearest first, and the contextChars after it, a space for
// none (see above), each as a unit of UTF-16 but for the escape: a
// character of the Basic Multilingual Plane as itself, any other (and
// U+FFFF) as 0xFFFF followed by its upper and lower 16 bits. Why not
// runes: the contexts of 10,000 evaluations are millions of characters,
// nearly all of that plane, and held until the pass ends.
func appendContext(ctx []uint16, text []rune, p int) []uint16 {
	c := rune(0)
	for i := 1; i <= contextChars; i++ {
		if c != ' ' {
			c = ' '
			if p-i >= 0 {
				c = text[p-i]
			}
		}
		ctx = appendUnit(ctx, c)
	}
	c = 0
	for i := 2; i < 2+contextChars; i++ {
		if c != ' ' {
			c = ' '
			if p+i < len(text) {
				c = text[p+i]
			}
		}
		ctx = appendUnit(ctx, c)
	}
	return ctx
}

// appendUnit appends r to a context's units (see appendContext).
func appendUnit(ctx []uint16, r rune) []uint16 {
	if r < 0xFFFF {
		return append(ctx, uint16(r))
	}
	return append(ctx, 0xFFFF, uint16(r>>16), uint16(r))
}

// unit returns the character at s[i] (see appendContext) and the index
// after it.
func unit(s []uint16, i int) (rune, int) {
	if s[i] != 0xFFFF {
		return rune(s[i]), i + 1
	}
	return rune(s[i+1])<<16 | rune(s[i+2]), i + 3
}

// contextEncoder encodes light bigrams' contexts, one after another.
type contextEncoder struct {
	// index maps each character of the Basic Multilingual Plane to 1 +
	// its index in the current bigram's table, 0 when it has none; it is
	// left clean after each bigram. Other characters are in more.
	index *uniTable
	more  map[rune]int32
	table []rune
}

// encode returns the contexts of a bigram, the concatenation of streams
// (see appendContext), encoded; the result is its own.
func (e *contextEncoder) encode(streams [][]uint16) []byte {
	return e.appendEncoded(nil, streams)
}

// appendEncoded appends the contexts of a bigram, the concatenation of
// streams, encoded, to out.
func (e *contextEncoder) appendEncoded(out []byte, streams [][]uint16) []byte {
	if e.index == nil {
		e.index, e.more = new(uniTable), map[rune]int32{}
	}
	idx := func(r rune) *int32 {
		if r < rune(len(e.index)) {
			return &e.index[r]
		}
		i := e.more[r]
		return &i
	}
	table, units := e.table[:0], 0
	for _, s := range streams {
		units += len(s)
		for i := 0; i < len(s); {
			var r rune
			if r, i = unit(s, i); r == ' ' {
				continue
			}
			if r < rune(len(e.index)) {
				if e.index[r] == 0 {
					e.index[r] = 1
					table = append(table, r)
				}
			} else if _, ok := e.more[r]; !ok {
				e.more[r] = 1
				table = append(table, r)
			}
		}
	}
	slices.Sort(table)
	for i, r := range table {
		if r < rune(len(e.index)) {
			e.index[r] = int32(i + 1)
		} else {
			e.more[r] = int32(i + 1)
		}
	}
	if out == nil {
		out = make([]byte, 0, 3*len(table)+units+4)
	}
	out = appendUvarint(out, uint64(len(table)))
	prev := rune(0)
	for _, r := range table {
		out = appendUvarint(out, uint64(r-prev))
		prev = r
	}
	for _, s := range streams {
		for i := 0; i < len(s); {
			var r rune
			if r, i = unit(s, i); r == ' ' {
				out = append(out, 0)
				continue
			}
			out = appendUvarint(out, uint64(*idx(r)))
		}
	}
	for _, r := range table {
		if r < rune(len(e.index)) {
			e.index[r] = 0
		}
	}
	clear(e.more)
	e.table = table
	return out
}
