package linkcheck

import (
	"hash/maphash"
	"unsafe"
)

// strTable numbers strings: each is kept once, however many files use it.
//
// Nothing in it is a pointer the collector follows but its slabs: a
// site of 100,000 evaluations numbers some half a million references,
// paths and ids, kept to the end of the build, and a map of strings and
// a slice of them were two pointers each for every collection of the
// render to follow. The strings' bytes are in the slabs, each found by
// its place (at); index is an open-addressing table of their numbers by
// hash.
type strTable struct {
	at    []strAt
	index []uint32 // number+1 of the string in each slot, 0 for an empty one
	seed  maphash.Seed
	slabs [][]byte
	// fill is the slab being filled, when filling.
	fill    int
	filling bool
}

// strAt is where a string's bytes are: in slabs[slab], from off, n bytes.
type strAt struct{ slab, off, n uint32 }

// slabSize is the size of a strTable's slabs.
const slabSize = 64 << 10

// str returns the string numbered n. Its bytes are never written again.
func (t *strTable) str(n uint32) string {
	a := t.at[n]
	if a.n == 0 {
		return ""
	}
	return unsafe.String(&t.slabs[a.slab][a.off], a.n)
}

// slot returns the slot of s in index: the one that holds s, or the empty
// one where it would go.
func (t *strTable) slot(s string) int {
	mask := len(t.index) - 1
	i := int(maphash.String(t.seed, s)) & mask
	for {
		v := t.index[i]
		if v == 0 || t.str(v-1) == s {
			return i
		}
		i = (i + 1) & mask
	}
}

// lookup returns the number of s, if it has one.
func (t *strTable) lookup(s string) (uint32, bool) {
	if len(t.index) == 0 {
		return 0, false
	}
	v := t.index[t.slot(s)]
	return v - 1, v != 0
}

// id returns the number of s, copying s the first time (it may alias a
// file's data).
func (t *strTable) id(s string) uint32 {
	if 4*(len(t.at)+1) > 3*len(t.index) {
		t.grow()
	}
	i := t.slot(s)
	if v := t.index[i]; v != 0 {
		return v - 1
	}
	n := uint32(len(t.at))
	t.at = append(t.at, t.place(s))
	t.index[i] = n + 1
	return n
}

// grow doubles index (or makes it) and puts every number in it again.
func (t *strTable) grow() {
	if t.index == nil {
		t.seed = maphash.MakeSeed()
	}
	t.index = make([]uint32, max(1024, 2*len(t.index)))
	mask := len(t.index) - 1
	for n := range t.at {
		i := int(maphash.String(t.seed, t.str(uint32(n)))) & mask
		for t.index[i] != 0 {
			i = (i + 1) & mask
		}
		t.index[i] = uint32(n) + 1
	}
}

// place copies s into the slabs and says where it went: into the slab
// being filled, or, when it is long, into a slab of its own.
func (t *strTable) place(s string) strAt {
	if len(s) == 0 {
		return strAt{}
	}
	if len(s) > slabSize/16 {
		t.slabs = append(t.slabs, []byte(s))
		return strAt{slab: uint32(len(t.slabs) - 1), n: uint32(len(s))}
	}
	if !t.filling || cap(t.slabs[t.fill])-len(t.slabs[t.fill]) < len(s) {
		t.slabs = append(t.slabs, make([]byte, 0, slabSize))
		t.fill, t.filling = len(t.slabs)-1, true
	}
	b := t.slabs[t.fill]
	t.slabs[t.fill] = append(b, s...)
	return strAt{slab: uint32(t.fill), off: uint32(len(b)), n: uint32(len(s))}
}

// keep returns a copy of s in the slabs, not numbered: for the names of
// the files, which the site keeps as they are.
func (t *strTable) keep(s string) string {
	a := t.place(s)
	if a.n == 0 {
		return ""
	}
	return unsafe.String(&t.slabs[a.slab][a.off], a.n)
}
