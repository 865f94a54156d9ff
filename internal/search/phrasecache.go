package search

import (
	"encoding/binary"
	"errors"
)

// The phrases' trie of a state's sample is the same for every patch of
// an index: a patch keeps the sample, and the trie depends on nothing
// else. Making it is a fixed 0.4 s of CPU whatever the site's size, a
// fifth of a rebuild's at 10,000 evaluations, so a build keeps it
// (EncodePhrases), whether a patch or the index made whole made it, and
// the next patch takes it back (Warm's cached bytes) when it is of the
// very same sample. The encoding is the trie's arrays as they are,
// little-endian, after the sample's hash: a trie of another sample, or
// bytes cut short, are not used, and the trie is made again.

// phrasesMagic starts an encoded trie; it changes whenever the trie's
// layout does.
const phrasesMagic = "evalpress phrases 1\n"

// EncodePhrases returns the phrases' trie of st's sample, encoded for
// Warm, when this process made it (a trie taken from such bytes is not
// encoded again); ok is false when there is none to keep.
func (st *PatchState) EncodePhrases() (b []byte, ok bool) {
	p := st.phrases
	if p == nil || p.trie == nil || p.cached {
		return nil, false
	}
	t := p.trie
	sum := stringsSum(st.Sample)
	b = append([]byte(phrasesMagic), sum[:]...)
	b = binary.AppendUvarint(b, uint64(t.child.shift))
	b = binary.AppendUvarint(b, uint64(t.child.n))
	b = binary.AppendUvarint(b, uint64(len(t.child.slots)))
	for _, s := range t.child.slots {
		b = binary.LittleEndian.AppendUint64(b, s.key)
		b = binary.LittleEndian.AppendUint32(b, uint32(s.val))
	}
	for _, a := range [][]int32{t.uni, t.parent, t.phrase, t.phrases, t.fail, t.only, p.listed} {
		b = appendInt32s(b, a)
	}
	b = appendInt32s(b, t.last)
	b = binary.AppendUvarint(b, uint64(len(t.depth)))
	b = append(b, t.depth...)
	return b, true
}

func appendInt32s(b []byte, a []int32) []byte {
	b = binary.AppendUvarint(b, uint64(len(a)))
	for _, v := range a {
		b = binary.LittleEndian.AppendUint32(b, uint32(v))
	}
	return b
}

// errPhrases says that encoded phrases cannot be used.
var errPhrases = errors.New("search: encoded phrases do not fit")

// decodePhrases returns the trie and the phrases with their own list
// that b encodes, when b is a whole encoding of the trie of st's sample.
func (st *PatchState) decodePhrases(b []byte) (*trie, []int32, error) {
	sum := stringsSum(st.Sample)
	if len(b) < len(phrasesMagic)+len(sum) || string(b[:len(phrasesMagic)]) != phrasesMagic ||
		string(b[len(phrasesMagic):len(phrasesMagic)+len(sum)]) != string(sum[:]) {
		return nil, nil, errPhrases
	}
	d := phraseDecoder{b: b[len(phrasesMagic)+len(sum):]}
	t := &trie{}
	t.child.shift = uint(d.uvarint())
	t.child.n = int(d.uvarint())
	if n := d.count(12); n > 0 {
		t.child.slots = make([]childSlot, n)
		for i := range t.child.slots {
			t.child.slots[i] = childSlot{key: binary.LittleEndian.Uint64(d.b), val: int32(binary.LittleEndian.Uint32(d.b[8:]))}
			d.b = d.b[12:]
		}
	}
	var listed []int32
	for _, a := range []*[]int32{&t.uni, &t.parent, &t.phrase, &t.phrases, &t.fail, &t.only, &listed} {
		*a = d.int32s()
	}
	t.last = d.int32s()
	if n := d.count(1); n > 0 {
		t.depth = append([]uint8(nil), d.b[:n]...)
		d.b = d.b[n:]
	}
	nodes := len(t.parent)
	if d.bad || len(d.b) != 0 || nodes == 0 || len(t.last) != nodes || len(t.depth) != nodes || len(t.phrase) != nodes ||
		len(t.fail) != nodes || len(t.only) != nodes || len(t.uni) != 0x10000 || len(t.child.slots)&(len(t.child.slots)-1) != 0 ||
		len(t.child.slots) == 0 || t.child.shift >= 64 || !t.valid(listed) {
		return nil, nil, errPhrases
	}
	return t, listed, nil
}

// valid reports whether every node number t and listed hold is a node
// or phrase of t: a cache damaged in a way its checksum missed must not
// send a patch out of bounds.
func (t *trie) valid(listed []int32) bool {
	nodes, np := int32(len(t.parent)), int32(len(t.phrases))
	in := func(a []int32, lo, hi int32) bool {
		for _, v := range a {
			if v < lo || v >= hi {
				return false
			}
		}
		return true
	}
	for _, s := range t.child.slots {
		if s.val < 0 || s.val >= nodes {
			return false
		}
	}
	return in(t.uni, 0, nodes) && in(t.parent[1:], 0, nodes) && in(t.phrase, -1, np) && in(t.phrases, 0, nodes) &&
		in(t.fail, 0, nodes) && in(t.only, -1, nodes) && (listed == nil || len(listed) == int(np) && in(listed, -1, np))
}

// phraseDecoder reads an encoded trie; bad is set by the first read past
// its end.
type phraseDecoder struct {
	b   []byte
	bad bool
}

func (d *phraseDecoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.bad = true
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a length of items of size bytes each, 0 when they would
// not fit in what is left.
func (d *phraseDecoder) count(size int) int {
	n := d.uvarint()
	if d.bad || n > uint64(len(d.b)/size) {
		d.bad = true
		return 0
	}
	return int(n)
}

func (d *phraseDecoder) int32s() []int32 {
	n := d.count(4)
	if n == 0 {
		return nil
	}
	a := make([]int32, n)
	for i := range a {
		a[i] = int32(binary.LittleEndian.Uint32(d.b[4*i:]))
	}
	d.b = d.b[4*n:]
	return a
}
