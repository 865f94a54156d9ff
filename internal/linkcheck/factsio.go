package linkcheck

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unsafe"
)

// The facts of many files are written one after another as a stream of
// unsigned varints and strings, each string written once: the pages of a
// site repeat the same references, targets and ids
// ("../../assets/css/site.css"), and a later mention of a string is its
// number. A rebuild of 100,000 evaluations reads the facts of every page
// it takes: decoded by encoding/gob, with its strings made anew for each
// page, they took longer than checking the pages' links.
//
// After a magic line, each file's facts are a varint n, the length of
// what follows plus one, and that: its name, a byte of flags (hasIDs 1,
// hasBase 2), BaseLine, the number of ids and each id, of problems and
// each's line, reference and reason, of links and each's line, value,
// target and fragment. n = 0 instead forgets every string numbered so
// far: the writer holds its numbers for no more than factsTable strings,
// for it writes as the build renders, and a site of 100,000 evaluations
// has some 750,000 strings (35 MB) to number. A file's facts are read
// whole and decoded from memory: read a byte at a time through
// bufio.Reader, the varints were most of the reading.
//
// A string is written as a varint k: 0 for a string that follows (its
// length, its bytes) and takes the next number, 1 for one that follows
// but is never mentioned again (a file's name), k ≥ 2 for the string
// numbered k-2.

// factsMagic starts a stream of facts; it names the format.
const factsMagic = "evalpress link facts 1\n"

const (
	strNew = iota
	strOnce
	strNumbered
)

// factsTable is how many strings a FactsWriter numbers before it forgets
// them all and starts again.
const factsTable = 1 << 17

// limits on what a reader accepts, so that a damaged stream fails
// before it allocates much (the cache checks its hash at the end).
const maxFactsLen = 1 << 26

// FactsWriter writes the facts of files to a stream that FactsReader
// reads.
type FactsWriter struct {
	w    io.Writer
	strs map[string]uint64
	buf  []byte
	err  error
}

// NewFactsWriter starts a stream of facts on w.
func NewFactsWriter(w io.Writer) *FactsWriter {
	fw := &FactsWriter{w: w, strs: map[string]uint64{}}
	_, fw.err = io.WriteString(w, factsMagic)
	return fw
}

// Write appends the facts f of the file name.
func (fw *FactsWriter) Write(name string, f *Facts) error {
	if fw.err != nil {
		return fw.err
	}
	var head [1 + 2*binary.MaxVarintLen64]byte
	h := head[:0]
	if len(fw.strs) >= factsTable {
		clear(fw.strs)
		h = binary.AppendUvarint(h, 0)
	}
	b := fw.buf[:0]
	b = binary.AppendUvarint(b, strOnce)
	b = binary.AppendUvarint(b, uint64(len(name)))
	b = append(b, name...)
	var flags byte
	if f.HasIDs {
		flags |= 1
	}
	if f.HasBase {
		flags |= 2
	}
	b = append(b, flags)
	b = binary.AppendUvarint(b, uint64(f.BaseLine))
	b = binary.AppendUvarint(b, uint64(len(f.IDs)))
	for _, id := range f.IDs {
		b = fw.str(b, id)
	}
	b = binary.AppendUvarint(b, uint64(len(f.Problems)))
	for _, p := range f.Problems {
		b = binary.AppendUvarint(b, uint64(p.Line))
		b = fw.str(b, p.Ref)
		b = fw.str(b, p.Reason)
	}
	b = binary.AppendUvarint(b, uint64(len(f.Links)))
	for _, l := range f.Links {
		b = binary.AppendUvarint(b, uint64(l.Line))
		b = fw.str(b, l.Value)
		b = fw.str(b, l.Target)
		b = fw.str(b, l.Frag)
	}
	fw.buf = b
	h = binary.AppendUvarint(h, uint64(len(b))+1)
	if _, fw.err = fw.w.Write(h); fw.err == nil {
		_, fw.err = fw.w.Write(b)
	}
	return fw.err
}

// str appends s to b: its number once it has one.
func (fw *FactsWriter) str(b []byte, s string) []byte {
	if n, ok := fw.strs[s]; ok {
		return binary.AppendUvarint(b, strNumbered+n)
	}
	fw.strs[s] = uint64(len(fw.strs))
	b = binary.AppendUvarint(b, strNew)
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// FactsReader reads the facts a FactsWriter wrote.
type FactsReader struct {
	r    *bufio.Reader
	strs []string
	f    Facts
	rec  []byte // the file's facts being decoded
	slab []byte
	err  error
	// notes are what AddFacts learnt in site of each string of strs,
	// by number: the pages of a site repeat the same references (the
	// assets, the lists) and ids, and a string met again is judged or
	// numbered without a lookup.
	site  *Site
	notes []strNote
}

// strNote is what AddFacts learnt of a string of a FactsReader.
type strNote struct {
	id uint32 // its number in site.strs, +1; 0 when not known
	// passes is set once a reference to it as target passed at once,
	// without fragment.
	passes bool
	// linked is set once the site noted a reference to it as target
	// (Site.Linked).
	linked bool
}

// factsSlab is the size of a FactsReader's slabs.
const factsSlab = 64 << 10

// errFacts is a stream of facts that does not read as one.
var errFacts = errors.New("not a stream of link facts as this version writes them")

// NewFactsReader starts reading a stream of facts from r.
func NewFactsReader(r io.Reader) *FactsReader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReader(r)
	}
	fr := &FactsReader{r: br}
	magic := make([]byte, len(factsMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != factsMagic {
		fr.err = errFacts
	}
	return fr
}

// Next reads the facts of the next file, or returns io.EOF at the end of
// the stream. The facts are the reader's until the next call; their
// strings are the caller's to keep.
func (fr *FactsReader) Next() (name string, f *Facts, err error) {
	if fr.err != nil {
		return "", nil, fr.err
	}
	n, err := binary.ReadUvarint(fr.r)
	if err == nil && n == 0 {
		clear(fr.strs)
		fr.strs = fr.strs[:0]
		clear(fr.notes)
		n, err = binary.ReadUvarint(fr.r)
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
	}
	switch {
	case err == io.EOF:
		fr.err = io.EOF // the end of the stream, between two files
		return "", nil, io.EOF
	case err == nil && (n == 0 || n-1 > maxFactsLen):
		err = fmt.Errorf("%w: a file's facts of %d bytes", errFacts, n)
	}
	if err == nil {
		if cap(fr.rec) < int(n-1) {
			fr.rec = make([]byte, n-1)
		}
		fr.rec = fr.rec[:n-1]
		if _, err = io.ReadFull(fr.r, fr.rec); err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
	}
	if err == nil {
		d := factsDecoder{fr: fr, b: fr.rec}
		name, f = d.file()
		if err = d.err; err == nil && len(d.b) > 0 {
			err = fmt.Errorf("%w: %d bytes left after a file's facts", errFacts, len(d.b))
		}
	}
	if err != nil {
		fr.err = err
		return "", nil, err
	}
	return name, f, nil
}

// factsDecoder decodes one file's facts, b, for fr; err is its first
// error.
type factsDecoder struct {
	fr  *FactsReader
	b   []byte
	err error
}

// file decodes the facts of a file into fr.f.
func (d *factsDecoder) file() (string, *Facts) {
	fr := d.fr
	name := d.str(nil)
	f := &fr.f
	*f = Facts{IDs: f.IDs[:0], Problems: f.Problems[:0], Links: f.Links[:0], from: fr, nums: f.nums[:0]}
	if len(d.b) == 0 {
		d.fail()
		return "", nil
	}
	flags := d.b[0]
	d.b = d.b[1:]
	f.HasIDs, f.HasBase = flags&1 != 0, flags&2 != 0
	f.BaseLine = int(d.uvarint())
	for n := d.count(); n > 0 && d.err == nil; n-- {
		f.IDs = append(f.IDs, d.str(f))
	}
	for n := d.count(); n > 0 && d.err == nil; n-- {
		var p Problem
		p.Line = int(d.uvarint())
		p.Ref = d.str(nil)
		p.Reason = d.str(nil)
		f.Problems = append(f.Problems, p)
	}
	for n := d.count(); n > 0 && d.err == nil; n-- {
		var l Link
		l.Line = int(d.uvarint())
		l.Value = d.str(f)
		l.Target = d.str(f)
		l.Frag = d.str(nil)
		f.Links = append(f.Links, l)
	}
	if len(f.IDs) == 0 {
		f.IDs = nil
	}
	if len(f.Problems) == 0 {
		f.Problems = nil
	}
	if len(f.Links) == 0 {
		f.Links = nil
	}
	return name, f
}

func (d *factsDecoder) fail() {
	if d.err == nil {
		d.err = fmt.Errorf("%w: a file's facts cut short or damaged", errFacts)
	}
	d.b = nil
}

func (d *factsDecoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a count of things that take a byte each at least.
func (d *factsDecoder) count() int {
	v := d.uvarint()
	if v > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return int(v)
}

// str decodes a string; with f, it notes in f.nums the string's number
// in fr.strs, +1 (0 for none).
func (d *factsDecoder) str(f *Facts) string {
	fr := d.fr
	k := d.uvarint()
	if d.err != nil {
		return ""
	}
	if k >= strNumbered {
		if k-strNumbered >= uint64(len(fr.strs)) {
			d.fail()
			return ""
		}
		if f != nil {
			f.nums = append(f.nums, uint32(k-strNumbered)+1)
		}
		return fr.strs[k-strNumbered]
	}
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	var s string
	if n > 0 {
		// The strings' bytes are cut from slabs, never written again:
		// one allocation for many strings.
		if len(fr.slab)+int(n) > cap(fr.slab) {
			fr.slab = make([]byte, 0, max(factsSlab, int(n)))
		}
		start := len(fr.slab)
		fr.slab = append(fr.slab, d.b[:n]...)
		s = unsafe.String(&fr.slab[start], int(n))
		d.b = d.b[n:]
	}
	num := uint32(0)
	if k == strNew {
		fr.strs = append(fr.strs, s)
		num = uint32(len(fr.strs))
	}
	if f != nil {
		f.nums = append(f.nums, num)
	}
	return s
}

// note returns what fr learnt in s of the string str, the one it
// numbers n (+1), nil when it numbers none so or its notes are of
// another site. s.mu must be held.
func (fr *FactsReader) note(s *Site, n uint32, str string) *strNote {
	if n == 0 || int(n) > len(fr.strs) || fr.strs[n-1] != str {
		return nil
	}
	if fr.site != s {
		if fr.site != nil {
			return nil
		}
		fr.site = s
	}
	if int(n) > len(fr.notes) {
		fr.notes = append(fr.notes, make([]strNote, len(fr.strs)-len(fr.notes))...)
	}
	return &fr.notes[n-1]
}
