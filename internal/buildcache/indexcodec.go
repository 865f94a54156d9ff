package buildcache

import (
	"context"
	"encoding/binary"
	"errors"
	"maps"
	"slices"
	"unsafe"

	"github.com/evalpress/evalpress/internal/output"
	"github.com/evalpress/evalpress/internal/par"
)

// The index is written in a format of its own, not gob: every build
// reads it whole, and at 100,000 evaluations gob's reflection took most
// of a second to decode its 40 MB, about five times what this takes.
// Integers are varints, hashes their 32 bytes, strings their length and
// bytes, a list or map its length and its items; the file's hash is
// checked before any of it is decoded (Load). A field added to Index or
// what it holds is added to encodeIndex and decodeIndex both: the test
// of this file fills every field and compares.

// encodeIndex appends idx to b.
func encodeIndex(b []byte, idx *Index) []byte {
	return encodeOutput(encodeHead(b, idx), idx.Output, idx.Unlinked)
}

// encodeHead appends all of idx but its Output to b. The entries' count
// comes first: Cache.SizeHint reads it without decoding the rest.
func encodeHead(b []byte, idx *Index) []byte {
	b = binary.AppendUvarint(b, uint64(len(idx.Entries)))
	pages := make([]string, 0, len(idx.Entries))
	entries := make([]*Entry, 0, len(idx.Entries))
	for page, e := range idx.Entries {
		pages, entries = append(pages, page), append(entries, e)
	}
	b = appendEach(b, len(pages), func(b []byte, i int) []byte {
		return appendEntry(appendString(b, pages[i]), entries[i])
	})
	b = binary.AppendUvarint(b, uint64(len(idx.Segments)))
	for name, s := range idx.Segments {
		b = appendString(b, name)
		b = append(b, s.Sum[:]...)
		b = binary.AppendVarint(b, int64(s.Count))
		b = appendBool(b, s.Chunks != nil)
		b = binary.AppendUvarint(b, uint64(len(s.Chunks)))
		for _, c := range s.Chunks {
			b = binary.AppendVarint(b, c.End)
			b = append(b, c.Sum[:]...)
		}
		b = binary.AppendVarint(b, s.Size)
		b = appendIdentity(b, s.ID)
	}
	b = binary.AppendUvarint(b, uint64(len(idx.Groups)))
	for name, e := range idx.Groups {
		b = appendString(b, name)
		b = appendEntry(b, e)
	}
	b = binary.AppendUvarint(b, uint64(len(idx.IDs)))
	for name, s := range idx.IDs {
		b = appendString(b, name)
		b = append(b, s[:]...)
	}
	return b
}

// encodeOutput appends an index's Output and Unlinked to b, after its
// head: each file of Output is followed by whether it is unlinked.
func encodeOutput(b []byte, out map[string]output.State, unlinked map[string]bool) []byte {
	b = appendBool(b, out != nil)
	b = binary.AppendUvarint(b, uint64(len(out)))
	names := slices.AppendSeq(make([]string, 0, len(out)), maps.Keys(out))
	return appendEach(b, len(names), func(b []byte, i int) []byte {
		name := names[i]
		s := out[name]
		b = appendString(b, name)
		b = binary.AppendVarint(b, s.Size)
		b = append(b, s.Sum[:]...)
		b = appendIdentity(b, s.ID)
		return appendBool(b, unlinked[name])
	})
}

// appendEach appends item(i) for each i in [0, n) to b, in that order.
// Many items are encoded in ranges on all cores, each into a buffer of
// its own, then copied after b: the index is written after the render,
// when the build has nothing else to do, and its 100,000 entries and
// 140,000 files took half a second of one core at 100,000 evaluations.
func appendEach(b []byte, n int, item func(b []byte, i int) []byte) []byte {
	if n < minParallel {
		for i := range n {
			b = item(b, i)
		}
		return b
	}
	size := par.RangeSize(n)
	parts := make([][]byte, (n+size-1)/size)
	_ = par.Ranges(context.Background(), n, func(lo, hi int) error {
		var part []byte
		for i := lo; i < hi; i++ {
			part = item(part, i)
		}
		parts[lo/size] = part
		return nil
	})
	// The parts are copied into place on all cores too: b's room is
	// memory new to the process, each page of it a fault when first
	// written.
	at, total := make([]int, len(parts)), len(b)
	for i, part := range parts {
		at[i] = total
		total += len(part)
	}
	b = slices.Grow(b, total-len(b))[:total]
	_ = par.Each(context.Background(), len(parts), func(_ context.Context, i int) error {
		copy(b[at[i]:], parts[i])
		return nil
	})
	return b
}

// minParallel is how many items appendEach encodes on one core.
const minParallel = 4096

func appendEntry(b []byte, e *Entry) []byte {
	b = append(b, e.Key[:]...)
	b = binary.AppendUvarint(b, uint64(len(e.Files)))
	for _, f := range e.Files {
		b = appendString(b, f.Name)
		b = binary.AppendVarint(b, f.Size)
		b = append(b, f.Sum[:]...)
		b = binary.AppendVarint(b, int64(f.Links))
		if f.Links != 0 {
			b = append(b, f.IDs[:]...)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(e.Published)))
	for _, p := range e.Published {
		b = appendString(b, p)
	}
	b = appendString(b, e.Seg)
	b = binary.AppendVarint(b, int64(e.Ord))
	b = appendString(b, e.LinkSeg)
	b = binary.AppendVarint(b, int64(e.Pages))
	b = binary.AppendUvarint(b, uint64(len(e.Parts)))
	for _, p := range e.Parts {
		b = binary.AppendVarint(b, int64(p.Year))
		b = append(b, p.Key[:]...)
		for i := range p.Off {
			b = binary.AppendVarint(b, p.Off[i])
			b = binary.AppendVarint(b, p.Len[i])
			b = binary.AppendVarint(b, p.ZipOff[i])
			b = appendBool(b, p.States[i] != nil)
			b = appendString(b, string(p.States[i]))
		}
		b = binary.AppendUvarint(b, uint64(len(p.Chunks)))
		for _, c := range p.Chunks {
			b = append(b, c.Key[:]...)
			for i := range c.Plain {
				b = binary.AppendVarint(b, c.Plain[i])
				b = binary.AppendVarint(b, c.Packed[i])
			}
		}
	}
	b = binary.AppendUvarint(b, uint64(len(e.Rows)))
	for _, rs := range e.Rows {
		b = appendString(b, rs.File)
		b = binary.AppendVarint(b, rs.Off)
		b = binary.AppendUvarint(b, uint64(len(rs.Chunks)))
		for _, c := range rs.Chunks {
			b = append(b, c.Key[:]...)
			b = binary.AppendVarint(b, c.Len)
		}
	}
	return b
}

func appendIdentity(b []byte, id output.Identity) []byte {
	b = binary.AppendUvarint(b, id.Ino)
	b = binary.AppendVarint(b, id.MTime)
	return binary.AppendVarint(b, id.CTime)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

// errIndexShort says that an index ends before what it holds does, or
// holds a count larger than what follows could be.
var errIndexShort = errors.New("缓存索引内容不完整")

// indexReader decodes what encodeIndex wrote. Its strings are cut from
// the payload itself, which is never changed (see Held): no allocation,
// and, when the index is mapped (readChecked), no copy either.
type indexReader struct {
	s   string
	at  int
	err error
}

// decodeIndex decodes what encodeIndex wrote; the index shares payload,
// which must not change afterwards.
func decodeIndex(payload []byte) (*Index, error) {
	r := &indexReader{s: unsafe.String(unsafe.SliceData(payload), len(payload))}
	idx := &Index{}
	n := r.count(1 + 32)
	idx.Entries = make(map[string]*Entry, n)
	for range n {
		page := r.string()
		idx.Entries[page] = r.entry()
	}
	n = r.count(1 + 32)
	idx.Segments = make(map[string]Segment, n)
	for range n {
		name := r.string()
		var s Segment
		r.sum(&s.Sum)
		s.Count = r.int()
		hasChunks := r.bool()
		if m := r.count(1 + 32); hasChunks {
			s.Chunks = make([]Chunk, m)
			for i := range s.Chunks {
				s.Chunks[i].End = r.varint()
				r.sum(&s.Chunks[i].Sum)
			}
		}
		s.Size = r.varint()
		s.ID = r.identity()
		idx.Segments[name] = s
	}
	n = r.count(1 + 32)
	idx.Groups = make(map[string]*Entry, n)
	for range n {
		name := r.string()
		idx.Groups[name] = r.entry()
	}
	if n = r.count(1 + 32); n > 0 {
		idx.IDs = make(map[string]Sum, n)
		for range n {
			name := r.string()
			var s Sum
			r.sum(&s)
			idx.IDs[name] = s
		}
	}
	hasOutput := r.bool()
	if n = r.count(1 + 1 + 32 + 1); hasOutput {
		idx.Output = make(map[string]output.State, n)
		for range n {
			name := r.string()
			var s output.State
			s.Size = r.varint()
			r.sum(&s.Sum)
			s.ID = r.identity()
			idx.Output[name] = s
			if r.bool() {
				if idx.Unlinked == nil {
					idx.Unlinked = map[string]bool{}
				}
				idx.Unlinked[name] = true
			}
		}
	}
	if r.err == nil && r.at != len(r.s) {
		r.err = errors.New("缓存索引末尾有多余内容")
	}
	if r.err != nil {
		return nil, r.err
	}
	return idx, nil
}

func (r *indexReader) entry() *Entry {
	e := &Entry{}
	r.sum(&e.Key)
	if n := r.count(1 + 1 + 32 + 1); n > 0 {
		e.Files = make([]File, n)
		for i := range e.Files {
			f := &e.Files[i]
			f.Name = r.string()
			f.Size = r.varint()
			r.sum(&f.Sum)
			f.Links = r.int()
			if f.Links != 0 {
				r.sum(&f.IDs)
			}
		}
	}
	if n := r.count(1); n > 0 {
		e.Published = make([]string, n)
		for i := range e.Published {
			e.Published[i] = r.string()
		}
	}
	e.Seg = r.string()
	e.Ord = r.int()
	e.LinkSeg = r.string()
	e.Pages = r.int()
	if n := r.count(1 + 32 + 25 + 1); n > 0 {
		e.Parts = make([]Part, n)
		for i := range e.Parts {
			p := &e.Parts[i]
			p.Year = r.int()
			r.sum(&p.Key)
			for j := range p.Off {
				p.Off[j] = r.varint()
				p.Len[j] = r.varint()
				p.ZipOff[j] = r.varint()
				if r.bool() {
					p.States[j] = []byte(r.string())
				} else {
					r.string()
				}
			}
			if n := r.count(32 + 10); n > 0 {
				p.Chunks = make([]DataChunk, n)
				for k := range p.Chunks {
					c := &p.Chunks[k]
					r.sum(&c.Key)
					for j := range c.Plain {
						c.Plain[j] = r.varint()
						c.Packed[j] = r.varint()
					}
				}
			}
		}
	}
	if n := r.count(1 + 1 + 1); n > 0 {
		e.Rows = make([]Rows, n)
		for i := range e.Rows {
			rs := &e.Rows[i]
			rs.File = r.string()
			rs.Off = r.varint()
			if n := r.count(32 + 1); n > 0 {
				rs.Chunks = make([]RowChunk, n)
				for k := range rs.Chunks {
					r.sum(&rs.Chunks[k].Key)
					rs.Chunks[k].Len = r.varint()
				}
			}
		}
	}
	return e
}

func (r *indexReader) identity() output.Identity {
	return output.Identity{Ino: r.uvarint(), MTime: r.varint(), CTime: r.varint()}
}

func (r *indexReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := uvarintString(r.s[r.at:])
	if n <= 0 {
		r.err = errIndexShort
		return 0
	}
	r.at += n
	return v
}

func (r *indexReader) varint() int64 {
	u := r.uvarint()
	// Zig-zag, as binary.AppendVarint writes it.
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

func (r *indexReader) int() int { return int(r.varint()) }

func (r *indexReader) bool() bool {
	if r.err != nil || r.at >= len(r.s) {
		r.err = errIndexShort
		return false
	}
	r.at++
	return r.s[r.at-1] != 0
}

// count reads a length of items of at least min bytes each, refusing
// one that what is left could not hold.
func (r *indexReader) count(min int) int {
	n := r.uvarint()
	if r.err == nil && n > uint64((len(r.s)-r.at)/min) {
		r.err = errIndexShort
	}
	if r.err != nil {
		return 0
	}
	return int(n)
}

func (r *indexReader) string() string {
	n := r.count(1)
	s := r.s[r.at : r.at+n]
	r.at += n
	return s
}

func (r *indexReader) sum(s *Sum) {
	if r.err != nil || len(r.s)-r.at < len(s) {
		r.err = errIndexShort
		return
	}
	copy(s[:], r.s[r.at:])
	r.at += len(s)
}

// uvarintString is binary.Uvarint of a string's bytes.
func uvarintString(s string) (uint64, int) {
	var x uint64
	var shift uint
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		c := s[i]
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				return 0, -1
			}
			return x | uint64(c)<<shift, i + 1
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
	return 0, 0
}
