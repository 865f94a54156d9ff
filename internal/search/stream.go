package search

import (
	"bufio"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/evalpress/evalpress/internal/par"
)

// Stream builds the index of a site as its documents are made, for a
// build: it writes the same files as Index.Write for the same documents,
// but keeps of each document only what those files show (its title,
// facets, score and excerpt head), never its text, and keeps the postings
// in a bounded buffer that spills to temporary files.
//
// The documents' ids are known before the first one arrives (NewStream
// takes the URLs of every document to come), so Add can tokenise a
// document at once, on the goroutine that made it, and a document's text
// is released as soon as its page is rendered. Postings are buffered per
// term with absolute ids, in any order; when the buffer passes its bound
// it is written out as a run, sorted by term and id, a section for each
// of a fixed number of partitions (by the terms' hash, as shards are).
// Write merges each partition's runs in (term, id) order into the lists
// the files hold, then writes the shards a partition at a time.
//
// A Stream's temporary files are in a folder of their own, removed by
// Write (whether it succeeds or not) and by Close.
type Stream struct {
	ids      map[string]int32
	docs     []Doc // by id, with only the fields the files show
	titleLen []int
	added    []bool
	// merged says which documents are in the postings; next is the
	// smallest id that is not, and waiting holds tokenised documents
	// whose id is less than window ahead of it, at id modulo window.
	merged  []bool
	next    int32
	waiting [window]*docTerms
	dir     string // parent of the temporary folder; "" for the system's
	bound   int    // spill when the buffer passes this many bytes; 0 never

	pool sync.Pool // *docTerms
	sc   scratch   // for spill

	mu       sync.Mutex
	terms    map[uint64]*pending
	buffered int
	tmp      string // the temporary folder, once made
	runs     []run
	err      error
	closed   bool
}

// partitions is how many sections a run has and how many groups Write
// writes the shards in. A partition's terms are those whose termHash
// modulo partitions is its number, so with at least as many shards as
// partitions a shard's terms are all in one partition. More partitions
// mean smaller pieces in memory when writing, and more sections to seek.
const partitions = 64

// pendingSize is what the buffer counts for a term besides its entries:
// its map slot and its pending struct.
const pendingSize = 80

// pending is one term's postings in the buffer: per document, uvarint
// id, uvarint tf<<1 | in title and, for a bigram, its tf positions as
// they are written (uvarint first, then uvarint gaps), in the order the
// documents came.
type pending struct {
	b []byte
	n int32
	// max is the largest id in b; unsorted says that a document came
	// after one with a larger id. Documents mostly come in id order, and
	// then need no sorting.
	max      int32
	unsorted bool
}

// run is one spilled buffer: off[p] is where partition p's section starts
// in f, off[p+1] where it ends. A section is, per term in key order,
// uvarint key, uvarint document count, uvarint largest id, uvarint byte
// length and the entries (as in pending), in id order.
type run struct {
	f   *os.File
	off [partitions + 1]int64
}

// NewStream returns a Stream for the documents at urls (each a Doc.URL),
// numbered in the order of their URLs as Builder numbers them. It spills
// its buffer when it passes bound bytes (0: never) into a temporary
// folder in dir ("" for the system's).
func NewStream(urls []string, dir string, bound int) *Stream {
	sorted := slices.Sorted(slices.Values(urls))
	s := &Stream{ids: make(map[string]int32, len(sorted)), docs: make([]Doc, len(sorted)),
		titleLen: make([]int, len(sorted)), added: make([]bool, len(sorted)), merged: make([]bool, len(sorted)),
		dir: dir, bound: bound, terms: map[uint64]*pending{}}
	for i, u := range sorted {
		if _, dup := s.ids[u]; dup {
			s.err = fmt.Errorf("search index: two documents at %s", u)
		}
		s.ids[u] = int32(i)
		s.docs[i].URL = u
	}
	s.pool.New = func() any { return new(docTerms) }
	return s
}

// Add tokenises d and adds its terms. It is safe for concurrent use. A
// document whose URL NewStream was not given, or one given twice, is an
// error that Write returns; so is a failure to spill.
func (s *Stream) Add(d Doc) {
	id, ok := s.ids[d.URL]
	if !ok {
		s.fail(fmt.Errorf("search index: document %s was not expected", d.URL))
		return
	}
	text, tl := docText(&d)
	dt := s.pool.Get().(*docTerms)
	dt.tokenize(text, tl)

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.err != nil {
		s.pool.Put(dt)
		return
	}
	if s.added[id] {
		s.err = fmt.Errorf("search index: two documents at %s", d.URL)
		s.pool.Put(dt)
		return
	}
	s.added[id] = true
	s.docs[id] = Doc{URL: d.URL, Title: d.Title, Department: d.Department, Year: d.Year, Grade: d.Grade,
		Kind: d.Kind, Score: d.Score, Head: d.Head, More: d.More}
	s.titleLen[id] = tl
	// A document a little ahead of the next id waits for it, so that the
	// buffer mostly receives documents in id order and its entries need
	// no sorting: sorting them cost the build a tenth of its CPU time
	// when the render's workers added documents as they finished.
	if id > s.next && id < s.next+window {
		s.waiting[id%window] = dt
		return
	}
	s.mergeDoc(id, dt)
	s.pool.Put(dt)
	for int(s.next) < len(s.merged) {
		if s.merged[s.next] {
			s.next++
			continue
		}
		slot := s.next % window
		if dt := s.waiting[slot]; dt != nil {
			s.waiting[slot] = nil
			s.mergeDoc(s.next, dt)
			s.pool.Put(dt)
			continue
		}
		break
	}
}

// window is how many documents ahead of the next id may wait for it.
const window = 64

// mergeDoc appends one document's terms to the buffer, and spills it when
// it passes the bound. s.mu is held.
func (s *Stream) mergeDoc(id int32, dt *docTerms) {
	s.merged[id] = true
	for n, k := range dt.keys {
		p := s.terms[k]
		if p == nil {
			p = &pending{}
			s.terms[k] = p
			s.buffered += pendingSize
		}
		was := cap(p.b)
		if p.n > 0 && id < p.max {
			p.unsorted = true
		}
		p.max = max(p.max, id)
		tf, title := dt.tf[n], uint64(0)
		if tf < 0 {
			tf, title = -tf, 1
		}
		p.b = appendUvarint(p.b, uint64(id))
		p.b = appendUvarint(p.b, uint64(tf)<<1|title)
		if k&noRune != noRune {
			p.b = appendPositions(p.b, dt.pos[dt.off[n]:dt.off[n]+tf])
		}
		p.n++
		s.buffered += cap(p.b) - was
	}
	if s.bound > 0 && s.buffered > s.bound && s.err == nil {
		if err := s.spill(); err != nil {
			s.err = fmt.Errorf("search index: %w", err)
		}
	}
}

func (s *Stream) fail(err error) {
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
}

// partition returns the partition of a term key.
func partition(k uint64) int { return int(termHash(k) & (partitions - 1)) }

// spill writes the buffer as a run and empties it. s.mu is held: the
// workers wait rather than fill a second buffer while the first is
// written.
func (s *Stream) spill() error {
	if s.tmp == "" {
		dir, err := os.MkdirTemp(s.dir, "evalpress-search-*.tmp")
		if err != nil {
			return err
		}
		s.tmp = dir
	}
	f, err := os.CreateTemp(s.tmp, "run-*")
	if err != nil {
		return err
	}
	r := run{f: f}
	s.runs = append(s.runs, r) // closed and removed with the folder
	keys := sortedKeys(s.terms)
	bw := bufio.NewWriterSize(f, 1<<16)
	var off int64
	var hdr []byte
	k := 0
	for p := range partitions {
		r.off[p] = off
		for ; k < len(keys) && partition(keys[k]) == p; k++ {
			t := s.terms[keys[k]]
			b := t.b
			if t.unsorted {
				b = s.sc.order(keys[k], b)
			}
			hdr = appendUvarint(hdr[:0], keys[k])
			hdr = appendUvarint(hdr, uint64(t.n))
			hdr = appendUvarint(hdr, uint64(t.max))
			hdr = appendUvarint(hdr, uint64(len(b)))
			bw.Write(hdr)
			bw.Write(b)
			off += int64(len(hdr) + len(b))
		}
	}
	r.off[partitions] = off
	s.runs[len(s.runs)-1] = r
	if err := bw.Flush(); err != nil {
		return err
	}
	// The next buffer holds about as many terms: sized for them, it
	// does not grow through every size again.
	s.terms, s.buffered = make(map[uint64]*pending, len(s.terms)), 0
	return nil
}

// sortedKeys returns the keys of terms by partition, then key.
func sortedKeys(terms map[uint64]*pending) []uint64 {
	keys := make([]uint64, 0, len(terms))
	for k := range terms {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b uint64) int { return cmp.Or(cmp.Compare(partition(a), partition(b)), cmp.Compare(a, b)) })
	return keys
}

// span is one document's entry in a term's entries.
type span struct {
	id         uint64
	start, end int
}

// scratch holds the buffers that ordering and encoding a term's entries
// reuse from one term to the next.
type scratch struct {
	spans     []span
	sorted    []byte
	docs, pos []byte
}

// skip returns the index in b after the n varints that start at i.
func skip(b []byte, i int, n uint64) int {
	for n > 0 {
		if b[i] < 0x80 {
			n--
		}
		i++
	}
	return i
}

// order returns a term's entries (see pending) in increasing id order, in
// sc's buffer: valid until the next call.
func (sc *scratch) order(key uint64, b []byte) []byte {
	bigram := key&noRune != noRune
	list := sc.spans[:0]
	for i := 0; i < len(b); {
		start := i
		id, n := binary.Uvarint(b[i:])
		i += n
		info, n := binary.Uvarint(b[i:])
		i += n
		if bigram {
			i = skip(b, i, info>>1)
		}
		list = append(list, span{id, start, i})
	}
	slices.SortFunc(list, func(x, y span) int { return cmp.Compare(x.id, y.id) })
	out := sc.sorted[:0]
	for _, sp := range list {
		out = append(out, b[sp.start:sp.end]...)
	}
	sc.spans, sc.sorted = list, out
	return out
}

// encode turns a term's entries into its document list and positions as
// the files hold them, in sc's buffers: valid until the next call. sorted
// says that the entries are in increasing id order.
func (sc *scratch) encode(key uint64, b []byte, sorted bool) (docs, pos []byte) {
	if !sorted {
		b = sc.order(key, b)
	}
	bigram := key&noRune != noRune
	docs, pos = sc.docs[:0], sc.pos[:0]
	last := uint64(0) // id + 1 of the previous document
	for i := 0; i < len(b); {
		id, n := binary.Uvarint(b[i:])
		i += n
		info, n := binary.Uvarint(b[i:])
		i += n
		docs = appendUvarint(docs, id-last)
		docs = appendUvarint(docs, info)
		last = id + 1
		if bigram {
			start := i
			i = skip(b, i, info>>1)
			pos = append(pos, b[start:i]...)
		}
	}
	sc.docs, sc.pos = docs, pos
	return docs, pos
}

// termOf returns a term that owns a copy of docs and pos, in one
// allocation of their size.
func termOf(key uint64, df int32, docs, pos []byte) term {
	buf := make([]byte, len(docs)+len(pos))
	copy(buf, docs)
	copy(buf[len(docs):], pos)
	t := term{key: key, df: df, docs: buf[:len(docs):len(docs)]}
	if len(pos) > 0 {
		t.pos = buf[len(docs):]
	}
	return t
}

// Close removes the Stream's temporary files and makes any later Add do
// nothing. Write calls it; call it too when a build stops before Write.
func (s *Stream) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.terms = nil
	clear(s.waiting[:])
	var err error
	for _, r := range s.runs {
		if cerr := r.f.Close(); err == nil && cerr != nil && !errors.Is(cerr, os.ErrClosed) {
			err = cerr
		}
	}
	s.runs = nil
	if s.tmp != "" {
		if rerr := os.RemoveAll(s.tmp); err == nil {
			err = rerr
		}
		s.tmp = ""
	}
	return err
}

// Write merges the postings and writes the index files to w, as
// Index.Write does, then removes the temporary files. Every document
// NewStream was given must have been added. A cancelled ctx stops it.
func (s *Stream) Write(ctx context.Context, w Writer) (err error) {
	defer func() {
		if cerr := s.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("search index: %w", cerr)
		}
	}()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("search index: written twice")
	}
	if s.err != nil {
		return s.err
	}
	for id, ok := range s.added {
		if !ok {
			return fmt.Errorf("search index: no document for %s", s.docs[id].URL)
		}
	}
	if i := slices.Index(s.merged, false); i >= 0 {
		return fmt.Errorf("search index: document %s was added but not indexed", s.docs[i].URL)
	}
	if len(s.runs) > 0 && len(s.terms) > 0 {
		if err := s.spill(); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	parts, total, err := s.merge(ctx)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	shards := shardsFor(total)
	groups := min(shards, partitions)
	ix := &Index{docs: s.docs, titleLen: s.titleLen}
	return ix.write(ctx, w, shards, groups, func(g int) error {
		var terms []term
		for p := g; p < partitions; p += groups {
			list, err := parts[p].load()
			if err != nil {
				return err
			}
			terms = append(terms, list...)
		}
		if groups < partitions {
			slices.SortFunc(terms, func(a, b term) int { return cmp.Compare(a.key, b.key) })
		}
		byShard := make([][]int32, shards/groups)
		for i := range terms {
			sh := int(termHash(terms[i].key) & uint32(shards-1))
			byShard[sh/groups] = append(byShard[sh/groups], int32(i))
		}
		for j, list := range byShard {
			t, p := shardFiles(terms, list)
			if err := writeShard(w, j*groups+g, t, p); err != nil {
				return err
			}
		}
		return nil
	})
}

// merged is one partition's terms, merged and encoded, in key order: in
// memory (terms) or, when the Stream spilled, in a temporary file as, per
// term, uvarint key, df, document list length and positions length, then
// the list and the positions.
type merged struct {
	terms []term
	file  string
}

func (m *merged) load() ([]term, error) {
	if m.file == "" {
		return m.terms, nil
	}
	data, err := os.ReadFile(m.file)
	if err != nil {
		return nil, err
	}
	var out []term
	for i := 0; i < len(data); {
		var v [4]uint64
		for j := range v {
			x, n := binary.Uvarint(data[i:])
			if n <= 0 {
				return nil, errors.New("damaged temporary file " + m.file)
			}
			v[j], i = x, i+n
		}
		t := term{key: v[0], df: int32(v[1])}
		t.docs = data[i : i+int(v[2])]
		i += int(v[2])
		if v[3] > 0 {
			t.pos = data[i : i+int(v[3])]
			i += int(v[3])
		}
		out = append(out, t)
	}
	return out, nil
}

// merge merges each partition's postings, from the buffer or from the
// runs, and returns them with the sum of their listBytes.
func (s *Stream) merge(ctx context.Context) ([]merged, int, error) {
	parts := make([]merged, partitions)
	var total atomic.Int64
	var keys []uint64
	if len(s.runs) == 0 {
		keys = sortedKeys(s.terms)
	}
	// start[p] is where partition p's keys begin in keys.
	var start [partitions + 1]int
	for p, k := 0, 0; p < partitions; p++ {
		start[p] = k
		for k < len(keys) && partition(keys[k]) == p {
			k++
		}
		start[p+1] = k
	}
	err := par.Each(ctx, partitions, func(_ context.Context, p int) error {
		if len(s.runs) == 0 {
			list := make([]term, 0, start[p+1]-start[p])
			sum := 0
			var sc scratch
			for _, k := range keys[start[p]:start[p+1]] {
				t := s.terms[k]
				docs, pos := sc.encode(k, t.b, !t.unsorted)
				list = append(list, termOf(k, t.n, docs, pos))
				t.b = nil
				sum += listBytes(&list[len(list)-1])
			}
			parts[p].terms = list
			total.Add(int64(sum))
			return nil
		}
		sum, name, err := s.mergeRuns(p)
		parts[p].file = name
		total.Add(int64(sum))
		return err
	})
	if len(s.runs) == 0 {
		s.terms = map[uint64]*pending{}
	}
	return parts, int(total.Load()), err
}

// mergeRuns merges partition p's sections of the runs into a temporary
// file (see merged) and returns the sum of its terms' listBytes.
func (s *Stream) mergeRuns(p int) (int, string, error) {
	type cursor struct {
		r    *bufio.Reader
		key  uint64
		n    uint64
		max  uint64
		b    []byte
		done bool
	}
	next := func(c *cursor) error {
		k, err := binary.ReadUvarint(c.r)
		if err == io.EOF {
			c.done = true
			return nil
		}
		if err != nil {
			return err
		}
		n, err := binary.ReadUvarint(c.r)
		if err != nil {
			return err
		}
		mx, err := binary.ReadUvarint(c.r)
		if err != nil {
			return err
		}
		l, err := binary.ReadUvarint(c.r)
		if err != nil {
			return err
		}
		c.key, c.n, c.max = k, n, mx
		c.b = slices.Grow(c.b[:0], int(l))[:l]
		_, err = io.ReadFull(c.r, c.b)
		return err
	}
	cursors := make([]*cursor, len(s.runs))
	for i, r := range s.runs {
		sec := io.NewSectionReader(r.f, r.off[p], r.off[p+1]-r.off[p])
		cursors[i] = &cursor{r: bufio.NewReaderSize(sec, 1<<15)}
		if err := next(cursors[i]); err != nil {
			return 0, "", err
		}
	}
	f, err := os.CreateTemp(s.tmp, fmt.Sprintf("part-%d-*", p))
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<16)
	sum := 0
	var entries, hdr []byte
	var sc scratch
	for {
		key, any := uint64(0), false
		for _, c := range cursors {
			if !c.done && (!any || c.key < key) {
				key, any = c.key, true
			}
		}
		if !any {
			break
		}
		// Each run's entries are in id order; all of them are when each
		// run's first id is above the previous run's largest.
		entries = entries[:0]
		df, sorted, prev := uint64(0), true, int64(-1)
		for _, c := range cursors {
			if !c.done && c.key == key {
				if first, _ := binary.Uvarint(c.b); int64(first) <= prev {
					sorted = false
				}
				prev = int64(c.max)
				entries = append(entries, c.b...)
				df += c.n
				if err := next(c); err != nil {
					return 0, "", err
				}
			}
		}
		docs, pos := sc.encode(key, entries, sorted)
		sum += len(docs) + 8 // listBytes
		hdr = appendUvarint(hdr[:0], key)
		hdr = appendUvarint(hdr, df)
		hdr = appendUvarint(hdr, uint64(len(docs)))
		hdr = appendUvarint(hdr, uint64(len(pos)))
		bw.Write(hdr)
		bw.Write(docs)
		bw.Write(pos)
	}
	if err := bw.Flush(); err != nil {
		return 0, "", err
	}
	return sum, f.Name(), f.Close()
}
