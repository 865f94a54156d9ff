package content

import (
	"encoding/binary"
	"strconv"
	"unsafe"

	"github.com/evalpress/evalpress/internal/decimal"
)

// A large site holds every record from the load to the last page that
// reads it, and a record's indicator tree is most of it: some thirty
// Indicators of seven pointers each, to strings of their own. The
// collector follows every one of those pointers at every collection of
// the render, and at 100,000 evaluations (three million pointers, to
// objects all over the heap) that was a fifth of the build's CPU.
// FreezeIndicators packs the tree into one block of bytes, which holds no
// pointer and which the collector never looks into; IndicatorTree
// unpacks it for the few pages that read it.

// FreezeIndicators packs r's indicator tree into a block of bytes and
// lets go of the tree: from then on r.Indicators is nil, and a reader
// asks IndicatorTree. A build does it once a record is checked and
// scored, when nothing is left that changes the tree; a record without
// indicators, or frozen already, is left as it is.
func (r *Record) FreezeIndicators() {
	if len(r.Indicators) == 0 || r.frozen != nil {
		return
	}
	b := binary.AppendUvarint(nil, uint64(countIndicators(r.Indicators)))
	b = appendIndicators(b, r.Indicators, "indicators")
	r.frozen = b[:len(b):len(b)]
	r.Indicators = nil
}

// IndicatorTree returns r's indicator tree: r.Indicators, or, once
// frozen, a tree unpacked anew at each call, whose texts share the
// frozen bytes. The caller must not change it.
func (r *Record) IndicatorTree() []*Indicator {
	if r.frozen == nil {
		return r.Indicators
	}
	n, i := binary.Uvarint(r.frozen)
	u := unpacker{b: r.frozen, i: i, slab: make([]Indicator, n)}
	return u.level("indicators")
}

// HasIndicators reports whether r has an indicator table, frozen or not.
func (r *Record) HasIndicators() bool { return len(r.Indicators) > 0 || len(r.frozen) > 0 }

// PackedIndicators returns r's indicator tree packed as
// FreezeIndicators packs it, nil when r has none (Indicators nil): a
// build's cache of loaded records keeps the tree so, since the packed
// block decodes in a fraction of the time of the tree's structs (at
// 100,000 records the trees were most of the cache's decoding).
func (r *Record) PackedIndicators() []byte {
	if r.frozen != nil {
		return r.frozen
	}
	if r.Indicators == nil {
		return nil
	}
	b := binary.AppendUvarint(nil, uint64(countIndicators(r.Indicators)))
	return appendIndicators(b, r.Indicators, "indicators")
}

// SetFrozenIndicators gives r the indicator tree b holds, as
// PackedIndicators returned it, frozen as FreezeIndicators leaves it, and
// reports whether b was a whole packed tree; when it was not, r has no
// indicators. A build's cache of loaded records gives each record its
// block so: unpacking every tree at load only for the render to pack it
// again cost a second of CPU at 100,000 records, and two million
// indicators for the collector to scan in between. Only a record that is
// then rendered with records released (site.Renderer.ReleaseRecords)
// may be so; ThawIndicators gives any other its tree back.
func (r *Record) SetFrozenIndicators(b []byte) bool {
	r.frozen, r.Indicators = nil, nil
	if b == nil {
		return true
	}
	n, i, ok := packedCount(b)
	if !ok {
		return false
	}
	u := unpacker{b: b, i: i}
	if left := u.skipLevel(n); u.bad || u.i != len(b) || left != 0 {
		return false
	}
	r.frozen = b[:len(b):len(b)]
	return true
}

// packedCount reads the number of indicators a packed tree starts with,
// and where its first level starts; ok is false when b cannot hold them.
func packedCount(b []byte) (n uint64, i int, ok bool) {
	n, i = binary.Uvarint(b)
	return n, i, i > 0 && n <= uint64(len(b))
}

// ThawIndicators gives a frozen record its indicator tree back, as
// r.Indicators.
func (r *Record) ThawIndicators() {
	if r.frozen != nil {
		r.Indicators, r.frozen = r.IndicatorTree(), nil
	}
}

// skipLevel reads a level as level does, building nothing, and returns
// how many of the n indicators the whole tree announced are left.
func (u *unpacker) skipLevel(n uint64) uint64 {
	count := u.uvarint()
	if count == 0 {
		return n
	}
	if count-1 > n {
		u.bad = true
		return 0
	}
	n -= count - 1
	for range count - 1 {
		if u.bad {
			return 0
		}
		if u.uvarint()&keyGiven != 0 {
			u.text()
		}
		for range 5 {
			u.text()
		}
		u.varint()
		u.varint()
		n = u.skipLevel(n)
	}
	return n
}

// countIndicators is the number of indicators of inds at every level.
func countIndicators(inds []*Indicator) int {
	n := len(inds)
	for _, in := range inds {
		n += countIndicators(in.Items)
	}
	return n
}

// The packed form of a level is: uvarint length+1 of the level's slice
// (0 for a nil one), then per indicator uvarint flags (keyGiven: its
// Key is not the one the loader gives its place, and follows), its
// texts as uvarint byte length and bytes (Name, Grade, Target, Actual,
// Deviation), Max and Score as varints of millionths, and its Items as a
// level. The whole starts with the number of indicators at every level.

// keyGiven flags an indicator whose Key is written out.
const keyGiven = 1

// keyAt is the Key the loader gives the i-th indicator of the level at
// path ("indicators", "indicators[1].items").
func keyAt(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func appendIndicators(b []byte, inds []*Indicator, path string) []byte {
	if inds == nil {
		return append(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(len(inds))+1)
	for i, in := range inds {
		given := in.Key != keyAt(path, i)
		if given {
			b = append(b, keyGiven)
			b = appendText(b, in.Key)
		} else {
			b = append(b, 0)
		}
		for _, s := range [...]string{in.Name, in.Grade, in.Target, in.Actual, in.Deviation} {
			b = appendText(b, s)
		}
		b = binary.AppendVarint(b, int64(in.Max))
		b = binary.AppendVarint(b, int64(in.Score))
		b = appendIndicators(b, in.Items, in.Key+".items")
	}
	return b
}

func appendText(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// unpacker reads a packed tree into slab, one Indicator after another.
// bad is set when the bytes are not a whole packed tree (a block read
// from a cache): what it read then is not to be used.
type unpacker struct {
	b    []byte
	i    int
	slab []Indicator
	bad  bool
}

func (u *unpacker) uvarint() uint64 {
	v, n := binary.Uvarint(u.b[u.i:])
	if n <= 0 {
		u.bad = true
		return 0
	}
	u.i += n
	return v
}

func (u *unpacker) varint() int64 {
	v, n := binary.Varint(u.b[u.i:])
	if n <= 0 {
		u.bad = true
		return 0
	}
	u.i += n
	return v
}

// text returns the next text, sharing the packed bytes: they are never
// written again.
func (u *unpacker) text() string {
	n := u.uvarint()
	if n == 0 {
		return ""
	}
	if n > uint64(len(u.b)-u.i) {
		u.bad = true
		return ""
	}
	s := unsafe.String(&u.b[u.i], int(n))
	u.i += int(n)
	return s
}

func (u *unpacker) level(path string) []*Indicator {
	n := u.uvarint()
	if n == 0 {
		return nil
	}
	if n-1 > uint64(len(u.slab)) {
		u.bad = true
		return nil
	}
	out := make([]*Indicator, n-1)
	for i := range out {
		if u.bad || len(u.slab) == 0 {
			u.bad = true
			return nil
		}
		in := &u.slab[0]
		u.slab = u.slab[1:]
		if u.uvarint()&keyGiven != 0 {
			in.Key = u.text()
		} else {
			in.Key = keyAt(path, i)
		}
		in.Name, in.Grade, in.Target, in.Actual, in.Deviation = u.text(), u.text(), u.text(), u.text(), u.text()
		in.Max, in.Score = decimal.D(u.varint()), decimal.D(u.varint())
		in.Items = u.level(in.Key + ".items")
		out[i] = in
	}
	return out
}
