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
// A string is written as a varint k: 0 for a string that follows (its
// length, its bytes) and takes the next number, 1 for one that follows
// but is never mentioned again (a file's name), k ≥ 3 for the string
// numbered k-3. A file's facts are: its name, a byte of flags (hasIDs 1,
// hasBase 2), BaseLine, the number of ids and each id, of problems and
// each's line, reference and reason, of links and each's line, value,
// target and fragment. Before a file's name, k = 2 forgets every string
// numbered so far: the writer holds its numbers for no more than
// factsTable strings, for it writes as the build renders, and a site of
// 100,000 evaluations has some 750,000 strings (35 MB) to number.

// factsMagic starts a stream of facts; it names the format.
const factsMagic = "evalpress link facts 1\n"

const (
	strNew = iota
	strOnce
	strForget
	strNumbered
)

// factsTable is how many strings a FactsWriter numbers before it forgets
// them all and starts again.
const factsTable = 1 << 17

// limits on what a reader accepts, so that a damaged stream fails
// before it allocates much (the cache checks its hash at the end).
const (
	maxFactsStr   = 1 << 20
	maxFactsCount = 1 << 20
)

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
	b := fw.buf[:0]
	if len(fw.strs) >= factsTable {
		clear(fw.strs)
		b = binary.AppendUvarint(b, strForget)
	}
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
	_, fw.err = fw.w.Write(b)
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
	slab []byte
	err  error
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
	defer func() {
		if err != nil && fr.err == nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			fr.err = err
		}
	}()
	k, err := binary.ReadUvarint(fr.r)
	if err == io.EOF {
		fr.err = io.EOF // the end of the stream, between two files
		return "", nil, io.EOF
	}
	if err == nil && k == strForget {
		clear(fr.strs)
		fr.strs = fr.strs[:0]
		k, err = binary.ReadUvarint(fr.r)
	}
	if err != nil {
		return "", nil, err
	}
	if name, err = fr.strOf(k); err != nil {
		return "", nil, err
	}
	f = &fr.f
	*f = Facts{IDs: f.IDs[:0], Problems: f.Problems[:0], Links: f.Links[:0]}
	flags, err := fr.r.ReadByte()
	if err != nil {
		return "", nil, err
	}
	f.HasIDs, f.HasBase = flags&1 != 0, flags&2 != 0
	if f.BaseLine, err = fr.int(); err != nil {
		return "", nil, err
	}
	n, err := fr.count()
	if err != nil {
		return "", nil, err
	}
	for range n {
		var id string
		if id, err = fr.str(); err != nil {
			return "", nil, err
		}
		f.IDs = append(f.IDs, id)
	}
	if n, err = fr.count(); err != nil {
		return "", nil, err
	}
	for range n {
		var p Problem
		if p.Line, err = fr.int(); err != nil {
			return "", nil, err
		}
		if p.Ref, err = fr.str(); err != nil {
			return "", nil, err
		}
		if p.Reason, err = fr.str(); err != nil {
			return "", nil, err
		}
		f.Problems = append(f.Problems, p)
	}
	if n, err = fr.count(); err != nil {
		return "", nil, err
	}
	for range n {
		var l Link
		if l.Line, err = fr.int(); err != nil {
			return "", nil, err
		}
		if l.Value, err = fr.str(); err != nil {
			return "", nil, err
		}
		if l.Target, err = fr.str(); err != nil {
			return "", nil, err
		}
		if l.Frag, err = fr.str(); err != nil {
			return "", nil, err
		}
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
	return name, f, nil
}

func (fr *FactsReader) int() (int, error) {
	v, err := binary.ReadUvarint(fr.r)
	return int(v), err
}

func (fr *FactsReader) count() (int, error) {
	v, err := binary.ReadUvarint(fr.r)
	if err == nil && v > maxFactsCount {
		err = fmt.Errorf("%w: a count of %d", errFacts, v)
	}
	return int(v), err
}

func (fr *FactsReader) str() (string, error) {
	k, err := binary.ReadUvarint(fr.r)
	if err != nil {
		return "", err
	}
	return fr.strOf(k)
}

// strOf reads the string that k, its first varint, starts.
func (fr *FactsReader) strOf(k uint64) (string, error) {
	if k == strForget {
		return "", fmt.Errorf("%w: a table forgotten within a file", errFacts)
	}
	if k >= strNumbered {
		if k-strNumbered >= uint64(len(fr.strs)) {
			return "", fmt.Errorf("%w: string %d of %d", errFacts, k-strNumbered, len(fr.strs))
		}
		return fr.strs[k-strNumbered], nil
	}
	n, err := binary.ReadUvarint(fr.r)
	if err != nil {
		return "", err
	}
	if n > maxFactsStr {
		return "", fmt.Errorf("%w: a string of %d bytes", errFacts, n)
	}
	if n == 0 {
		if k == strNew {
			fr.strs = append(fr.strs, "")
		}
		return "", nil
	}
	// The strings' bytes are cut from slabs, never written again: one
	// allocation for many strings.
	if len(fr.slab)+int(n) > cap(fr.slab) {
		fr.slab = make([]byte, 0, max(factsSlab, int(n)))
	}
	start := len(fr.slab)
	fr.slab = fr.slab[:start+int(n)]
	b := fr.slab[start:]
	if _, err := io.ReadFull(fr.r, b); err != nil {
		return "", err
	}
	s := unsafe.String(&b[0], len(b))
	if k == strNew {
		fr.strs = append(fr.strs, s)
	}
	return s, nil
}
