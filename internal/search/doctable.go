package search

import (
	"encoding/binary"
	"unsafe"
)

// docTable keeps, by id, the fields of each document that the index's
// files show besides its URL (Title, Department, Year, Grade, Kind,
// Score, Head and More), packed into slabs of bytes. Kept as Doc values
// from Add to Write, the documents of 100,000 evaluations were 23 MB of
// Doc and some 900,000 strings, which every collection of the build
// followed, for one reading at its end.
type docTable struct {
	slabs [][]byte
	// at is where each document's fields start: its slab's number in
	// the high 32 bits, the offset in it in the low; ok says which
	// documents were put.
	at []uint64
	ok []bool
}

// docSlab is the size of a slab: large enough that few are made, small
// enough that the last one's unused end is little.
const docSlab = 1 << 20

func newDocTable(n int) docTable {
	return docTable{at: make([]uint64, n), ok: make([]bool, n)}
}

// docFields are the fields the table keeps, in its order.
func docFields(d *Doc) [7]*string {
	return [7]*string{&d.Title, &d.Department, &d.Year, &d.Grade, &d.Kind, &d.Score, &d.Head}
}

// put keeps the fields of d as document id's; a document put again
// replaces what was kept of it.
func (t *docTable) put(id int32, d *Doc) {
	n := 1
	for _, f := range docFields(d) {
		n += binary.MaxVarintLen64 + len(*f)
	}
	if len(t.slabs) == 0 || cap(t.slabs[len(t.slabs)-1])-len(t.slabs[len(t.slabs)-1]) < n {
		t.slabs = append(t.slabs, make([]byte, 0, max(docSlab, n)))
	}
	last := len(t.slabs) - 1
	b := t.slabs[last]
	t.at[id], t.ok[id] = uint64(last)<<32|uint64(len(b)), true
	for _, f := range docFields(d) {
		b = binary.AppendUvarint(b, uint64(len(*f)))
		b = append(b, *f...)
	}
	if d.More {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	t.slabs[last] = b
}

// doc returns document id's fields, with url as its URL; its strings
// share the table's bytes, which are never written again.
func (t *docTable) doc(id int, url string) Doc {
	d := Doc{URL: url}
	if !t.ok[id] {
		return d
	}
	b := t.slabs[t.at[id]>>32][uint32(t.at[id]):]
	for _, f := range docFields(&d) {
		n, w := binary.Uvarint(b)
		b = b[w:]
		if n > 0 {
			*f = unsafe.String(&b[0], int(n))
		}
		b = b[n:]
	}
	d.More = b[0] == 1
	return d
}
