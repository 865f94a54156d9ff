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
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/evalpress/evalpress/internal/par"
)

// Stream builds the index of a site as its documents are made, for a
// build: it writes the same files as Index.Write for the same documents,
// but keeps in memory of each document only what those files show (its
// title, facets, score and excerpt head), never its text, and keeps the
// postings in a bounded buffer that spills to temporary files. The text
// goes to a temporary file of its own (in memory when there is no bound),
// which Write reads back to find the phrases (see phrases.go): they are
// chosen from a sample of the documents, which may come last.
//
// The documents' ids are known before the first one arrives (NewStream
// takes the URLs of every document to come), so Add can tokenise a
// document at once, on the goroutine that made it, and a document's text
// is released as soon as its page is rendered. Postings are buffered per
// term with absolute ids; when the buffer passes its bound it is written
// out as a run, sorted by term and id, a section for each of a fixed
// number of partitions (by the terms' hash, as shards are). Write merges
// each partition's runs in (term, id) order into the lists the files
// hold, then writes the shards a partition at a time.
//
// The buffer is split into stripes, each a few partitions with a
// goroutine of its own that merges documents into it, its own share of
// the bound and one temporary file its runs are appended to. A worker
// that adds a document only tokenises it and hands it on: it never waits
// for a merge or a spill (unless the stripes fall a queue behind), and the
// stripes merge and spill side by side. Documents reach the stripes in
// id order (see Add), so each term's entries arrive sorted and neither a
// spill nor the merge has to sort them.
//
// A Stream's temporary files are in a folder of their own, removed by
// Write (whether it succeeds or not) and by Close.
type Stream struct {
	dir   string // parent of the temporary folder; "" for the system's
	bound int    // spill a stripe when it passes bound/stripes bytes; 0 never

	pool sync.Pool // *docTerms

	// urls are the documents' URLs, sorted: a document's id is its
	// place here.
	urls []string

	// mu orders the documents: it guards docs, titleLen, added, merged,
	// next, waiting, started, stopped and closed, and sends to the
	// stripes.
	mu       sync.Mutex
	docs     docTable // by id, the other fields the files show
	titleLen []int
	added    []bool
	// merged says which documents have been sent to the stripes; next is
	// the smallest id that has not, and waiting holds tokenised documents
	// whose id is less than window ahead of it, at id modulo window.
	merged  []bool
	next    int32
	waiting [window]*docTerms
	// ahead counts the documents merged ahead of their turn (Ahead).
	ahead int
	// started says that the stripes' goroutines run; stopped that their
	// queues are closed.
	started, stopped bool
	closed           bool
	// dropping tells the stripes to drop what they are sent: the Stream
	// is closed.
	dropping atomic.Bool
	running  sync.WaitGroup // the stripes' goroutines

	stripes [stripes]stripe

	// texts keeps each document's normalised text for the phrases (see
	// phrases.go), which are chosen once the sample has come: in memory
	// without a bound, else in a temporary file. Guarded by mu.
	texts textStore

	// errMu and tmpMu are taken last, with no other lock taken while
	// they are held.
	errMu     sync.Mutex
	err       error
	tmpMu     sync.Mutex
	tmp       string // the temporary folder, once made
	tmpClosed bool

	clock streamClock

	// state is what a patch of the index written needs (see State).
	state *PatchState
}

// State returns what Patch needs of the index Write wrote, nil before it
// has.
func (s *Stream) State() *PatchState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

// stripes is how many stripes the buffer has: enough for the cores of a
// large machine to merge side by side, few enough that each stripe's
// share of the bound makes runs of a useful size. A partition p is in
// stripe p modulo stripes.
const stripes = 8

// queue is how many batches a stripe's queue holds: the documents that
// can wait in it are held in memory, tokenised.
const queue = 32

// stripe is one part of the buffer, the terms of its partitions, and what
// its goroutine has spilled. Only that goroutine touches it until it ends.
type stripe struct {
	in   chan *batch
	buf  *postings
	f    *os.File // where its runs are, once it spilled
	size int64    // of f
	runs []run
	sc   scratch // for spill
}

// partitions is how many sections a run has and how many groups Write
// writes the shards in. A partition's terms are those whose termHash
// modulo partitions is its number, so with at least as many shards as
// partitions a shard's terms are all in one partition. More partitions
// mean smaller pieces in memory when writing, and more sections to seek.
const partitions = 64

// A term's entries in the buffer (see postings) are, per document,
// uvarint id, uvarint tf<<1 | in title and, for a bigram, its tf
// positions as they are written (uvarint first, then uvarint gaps), in
// the order the documents came. A document that did not wait its turn
// (see Add) may come after one with a larger id: then the term's entries
// need sorting.

// run is one spilled buffer of a stripe: off[p] is where partition p's
// section starts in the stripe's file, off[p+1] where it ends (partitions
// of other stripes have empty sections). A section is, per term in key
// order, uvarint key, uvarint document count, uvarint largest id, uvarint
// byte length and the entries (as in the buffer), in id order.
type run struct {
	off [partitions + 1]int64
}

// StreamTimes is what a Stream's work cost while the documents were
// added, for a build's timings. The times are CPU time (on Linux; wall
// time elsewhere), of the workers that added the documents and of the
// stripes' goroutines, so that the time a goroutine waited for a core
// does not count; Wait is the time the workers waited to hand on a
// document (for each other, or for stripes a queue behind), summed over
// the workers.
type StreamTimes struct {
	Tokenize time.Duration // normalising and tokenising the documents
	Merge    time.Duration // adding their terms to the buffer
	Spill    time.Duration // writing the buffer to temporary files
	Wait     time.Duration // waiting to hand a document on
}

type streamClock struct {
	tokenize, merge, spill, wait atomic.Int64
}

// Times returns what adding the documents has cost so far.
func (s *Stream) Times() StreamTimes {
	return StreamTimes{Tokenize: time.Duration(s.clock.tokenize.Load()), Merge: time.Duration(s.clock.merge.Load()),
		Spill: time.Duration(s.clock.spill.Load()), Wait: time.Duration(s.clock.wait.Load())}
}

// Ahead returns how many documents came so far ahead of the next one in
// the order of their URLs that they were merged out of turn: each leaves
// the lists of its terms to be sorted when they are written (at 100,000
// evaluations, 11.7 s of CPU for a few hundred such documents). Adding the
// documents in the order of their URLs, a core's few apart, keeps it 0.
func (s *Stream) Ahead() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ahead
}

// NewStream returns a Stream for the documents at urls (each a Doc.URL),
// numbered in the order of their URLs as Builder numbers them. It spills
// its buffer when it passes bound bytes (0: never) into a temporary
// folder in dir ("" for the system's).
func NewStream(urls []string, dir string, bound int) *Stream {
	sorted := slices.Sorted(slices.Values(urls))
	s := &Stream{urls: sorted, docs: newDocTable(len(sorted)),
		titleLen: make([]int, len(sorted)), added: make([]bool, len(sorted)), merged: make([]bool, len(sorted)),
		dir: dir, bound: bound}
	for i := range s.stripes {
		s.stripes[i].buf = newPostings()
	}
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			s.err = fmt.Errorf("search index: two documents at %s", sorted[i])
		}
	}
	s.pool.New = func() any { return new(docTerms) }
	return s
}

// batch is documents that the stripes merge together, in id order.
type batch struct {
	ids   []int32
	terms []*docTerms
	// left is how many stripes have yet to merge it; the last puts its
	// terms back in the pool.
	left atomic.Int32
}

// Add tokenises d and hands its terms to the stripes. It is safe for
// concurrent use. A document whose URL NewStream was not given, or one
// given twice, is an error that Write returns; so is a failure to spill.
//
// Documents are sent to the stripes in id order as far as they can: one a
// little ahead of the next id waits for it (in waiting), and the Add that
// brings the next id sends it and those that waited for it, as a batch.
// Sorting postings that came out of order cost the build a tenth of its
// CPU time when the render's workers added documents as they finished.
func (s *Stream) Add(d Doc) {
	i, ok := slices.BinarySearch(s.urls, d.URL)
	id := int32(i)
	if !ok {
		s.fail(fmt.Errorf("search index: document %s was not expected", d.URL))
		return
	}
	// Tokenising does not block: the thread's CPU time is the work's.
	runtime.LockOSThread()
	t := threadCPU()
	dt := s.pool.Get().(*docTerms)
	tl := dt.text(&d)
	dt.tokenize(dt.runes, tl)
	dt.group()
	dt.utf8 = dt.utf8[:0]
	for _, r := range dt.runes {
		dt.utf8 = utf8.AppendRune(dt.utf8, r)
	}
	s.clock.tokenize.Add(int64(threadCPU() - t))
	runtime.UnlockOSThread()

	start := time.Now()
	s.send(id, &d, tl, dt)
	s.clock.wait.Add(int64(time.Since(start)))
}

// send records d, whose id is id and terms dt, and sends the stripes the
// documents that may now be merged.
func (s *Stream) send(id int32, d *Doc, tl int, dt *docTerms) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.stopped || s.failed() {
		s.pool.Put(dt)
		return
	}
	if s.added[id] {
		s.fail(fmt.Errorf("search index: two documents at %s", d.URL))
		s.pool.Put(dt)
		return
	}
	if err := s.keepText(id, dt.utf8); err != nil {
		s.fail(fmt.Errorf("search index: %w", err))
		s.pool.Put(dt)
		return
	}
	s.added[id] = true
	s.docs.put(id, d)
	s.titleLen[id] = tl
	if id > s.next && id < s.next+window {
		s.waiting[id%window] = dt
		return
	}
	// A document further ahead does not wait (the documents between may
	// be long in coming): its terms go in out of order, and are sorted.
	if id != s.next {
		s.ahead++
	}
	b := &batch{ids: []int32{id}, terms: []*docTerms{dt}}
	s.merged[id] = true
	for int(s.next) < len(s.merged) {
		if s.merged[s.next] {
			s.next++
			continue
		}
		slot := s.next % window
		if dt := s.waiting[slot]; dt != nil {
			s.waiting[slot] = nil
			b.ids = append(b.ids, s.next)
			b.terms = append(b.terms, dt)
			s.merged[s.next] = true
			continue
		}
		break
	}
	if !s.started {
		s.started = true
		for i := range s.stripes {
			s.stripes[i].in = make(chan *batch, queue)
			s.running.Add(1)
			go s.stripe(i)
		}
	}
	// Sent under mu, the batches are in every queue in the same order.
	b.left.Store(stripes)
	for i := range s.stripes {
		s.stripes[i].in <- b
	}
}

// window is how many documents ahead of the next id may wait for it.
const window = 64

// stop closes the stripes' queues, once. s.mu is held.
func (s *Stream) stop() {
	if s.started && !s.stopped {
		s.stopped = true
		for i := range s.stripes {
			close(s.stripes[i].in)
		}
	}
}

// stripe is the goroutine of stripe i: it merges the batches it is sent,
// and spills when the stripe passes its share of the bound.
func (s *Stream) stripe(i int) {
	defer s.running.Done()
	st := &s.stripes[i]
	limit := 0
	if s.bound > 0 {
		limit = max(1, s.bound/stripes)
	}
	for b := range st.in {
		// Merging does not block: the thread's CPU time is the work's,
		// measured over the batches that are already queued.
		runtime.LockOSThread()
		start, spilt := threadCPU(), time.Duration(0)
		for b != nil {
			if !s.dropping.Load() && !s.failed() {
				for j, id := range b.ids {
					st.merge(id, b.terms[j], i)
				}
				if limit > 0 && st.buf.held() > limit || st.buf.full() {
					t := threadCPU()
					if err := s.spill(st, i); err != nil {
						s.fail(fmt.Errorf("search index: %w", err))
					}
					spilt += threadCPU() - t
				}
			}
			if b.left.Add(-1) == 0 {
				for _, dt := range b.terms {
					s.pool.Put(dt)
				}
			}
			b = nil
			select {
			case b = <-st.in:
			default:
			}
		}
		s.clock.merge.Add(int64(threadCPU() - start - spilt))
		s.clock.spill.Add(int64(spilt))
		runtime.UnlockOSThread()
	}
}

// group orders the indexes of dt's keys by stripe, for merge.
func (dt *docTerms) group() {
	var count [stripes + 1]int32
	for _, k := range dt.keys {
		count[partition(k)%stripes+1]++
	}
	for i := 1; i <= stripes; i++ {
		count[i] += count[i-1]
	}
	dt.stripeOff = count
	dt.byStripe = slices.Grow(dt.byStripe[:0], len(dt.keys))[:len(dt.keys)]
	for n, k := range dt.keys {
		i := partition(k) % stripes
		dt.byStripe[count[i]] = int32(n)
		count[i]++
	}
}

// merge appends the terms of document id in stripe i to st's buffer.
func (st *stripe) merge(id int32, dt *docTerms, i int) {
	buf := st.buf
	for _, n := range dt.byStripe[dt.stripeOff[i]:dt.stripeOff[i+1]] {
		k := dt.keys[n]
		tf, title := dt.tf[n], uint64(0)
		if tf < 0 {
			tf, title = -tf, 1
		}
		bigram := k&noRune != noRune
		var pos []uint32
		if bigram {
			pos = dt.pos[dt.off[n] : dt.off[n]+tf]
		}
		buf.add(buf.term(k), id, uint64(tf)<<1|title, pos, bigram)
	}
}

// fail records the Stream's first error.
func (s *Stream) fail(err error) {
	s.errMu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.errMu.Unlock()
}

// failed says whether the Stream has an error.
func (s *Stream) failed() bool { return s.error() != nil }

func (s *Stream) error() error {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	return s.err
}

// partition returns the partition of a term key.
func partition(k uint64) int { return int(termHash(k) & (partitions - 1)) }

// tempDir returns the Stream's temporary folder, made the first time.
func (s *Stream) tempDir() (string, error) {
	s.tmpMu.Lock()
	defer s.tmpMu.Unlock()
	if s.tmpClosed {
		return "", errors.New("closed")
	}
	if s.tmp == "" {
		dir, err := os.MkdirTemp(s.dir, "evalpress-search-*.tmp")
		if err != nil {
			return "", err
		}
		s.tmp = dir
	}
	return s.tmp, nil
}

// spill appends stripe i's buffer to its file as a run and empties it.
func (s *Stream) spill(st *stripe, i int) error {
	if st.f == nil {
		dir, err := s.tempDir()
		if err != nil {
			return err
		}
		f, err := os.CreateTemp(dir, fmt.Sprintf("stripe-%d-*", i))
		if err != nil {
			return err
		}
		st.f = f // closed and removed with the folder
	}
	var r run
	keys := st.buf.sortedKeys()
	bw := bufio.NewWriterSize(io.NewOffsetWriter(st.f, st.size), 1<<16)
	off := st.size
	var hdr []byte
	k := 0
	for p := range partitions {
		r.off[p] = off
		for ; k < len(keys) && partition(keys[k]) == p; k++ {
			t := st.buf.find(keys[k])
			hdr = appendUvarint(hdr[:0], keys[k])
			hdr = appendUvarint(hdr, uint64(t.n))
			hdr = appendUvarint(hdr, uint64(t.max))
			hdr = appendUvarint(hdr, uint64(t.size))
			bw.Write(hdr)
			if t.unsorted {
				st.sc.gather = st.buf.appendTo(st.sc.gather[:0], t)
				bw.Write(st.sc.order(keys[k], st.sc.gather))
			} else {
				st.buf.each(t, func(b []byte) { bw.Write(b) })
			}
			off += int64(len(hdr)) + int64(t.size)
		}
	}
	r.off[partitions] = off
	if err := bw.Flush(); err != nil {
		return err
	}
	st.runs = append(st.runs, r)
	st.size = off
	// The next buffer holds about as many terms and as many bytes: it
	// reuses the table and the blocks.
	st.buf.reset()
	return nil
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
	gather    []byte // a term's entries, from the buffer's chunks
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

// order returns a term's entries (see postings) in increasing id order, in
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
	s.closed = true
	s.dropping.Store(true)
	clear(s.waiting[:])
	s.stop()
	s.mu.Unlock()
	s.running.Wait()
	var err error
	for i := range s.stripes {
		st := &s.stripes[i]
		st.buf = nil
		if st.f != nil {
			if cerr := st.f.Close(); err == nil && cerr != nil && !errors.Is(cerr, os.ErrClosed) {
				err = cerr
			}
		}
		st.runs = nil
	}
	if f := s.texts.f; f != nil {
		if cerr := f.Close(); err == nil && cerr != nil && !errors.Is(cerr, os.ErrClosed) {
			err = cerr
		}
	}
	s.texts = textStore{}
	s.tmpMu.Lock()
	defer s.tmpMu.Unlock()
	s.tmpClosed = true
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
	// The stripes merge what they were sent, and end.
	s.stop()
	s.running.Wait()
	if err := s.error(); err != nil {
		return err
	}
	for id, ok := range s.added {
		if !ok {
			return fmt.Errorf("search index: no document for %s", s.urls[id])
		}
	}
	if i := slices.Index(s.merged, false); i >= 0 {
		return fmt.Errorf("search index: document %s was added but not indexed", s.urls[i])
	}
	if err := s.spillRest(); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	parts, total, err := s.merge(ctx)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	urls := s.urls
	text, err := s.textSource()
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	var keep []contextTerm
	for p := range parts {
		keep = append(keep, parts[p].keep...)
	}
	slices.SortFunc(keep, func(a, b contextTerm) int { return cmp.Compare(a.key, b.key) })
	ctxStore, err := s.listStore("contexts-*")
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	defer ctxStore.close()
	pass := newContextPass(len(s.urls), keep, ctxStore)
	shards := shardsFor(total)
	groups := min(shards, partitions)
	store, err := s.listStore("phrases-*")
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	phrases, err := phraseTerms(ctx, len(s.urls), sampleOf(urls), text, pass.visit, groups, store)
	if err != nil {
		store.close()
		return fmt.Errorf("search index: %w", err)
	}
	defer phrases.close()
	ctxs, err := pass.contexts(ctx)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	defer phrases.close()
	s.state = newPatchState(urls, total, shards, phrases)
	// The documents are unpacked for the files, now that the render's
	// memory is gone.
	docs := make([]Doc, len(s.urls))
	for i, u := range s.urls {
		docs[i] = s.docs.doc(i, u)
	}
	ix := &Index{docs: docs, titleLen: s.titleLen}
	return ix.write(ctx, w, shards, groups, func(g int) error {
		var terms []term
		for p := g; p < partitions; p += groups {
			list, err := parts[p].load()
			if err != nil {
				return err
			}
			terms = append(terms, list...)
		}
		// The group's terms are written below: the merge's memory
		// goes when they are.
		defer func() {
			for p := g; p < partitions; p += groups {
				parts[p] = merged{}
			}
		}()
		if groups < partitions {
			slices.SortFunc(terms, func(a, b term) int { return cmp.Compare(a.key, b.key) })
		}
		byShard := make([][]int32, shards/groups)
		for i := range terms {
			sh := int(termHash(terms[i].key) & uint32(shards-1))
			byShard[sh/groups] = append(byShard[sh/groups], int32(i))
		}
		ph, err := phrases.group(g)
		if err != nil {
			return err
		}
		phraseShards := phrasesByShard(ph, shards)
		for j, list := range byShard {
			out, err := shardFiles(terms, list, ph, phraseShards[j*groups+g], ctxs)
			if err != nil {
				return err
			}
			if err := writeShard(w, j*groups+g, out); err != nil {
				return err
			}
		}
		return nil
	})
}

// spillRest spills the buffer of each stripe that spilled before, to
// merge runs only, and lets go of the buffer: the merge keeps what it can
// in its place. The stripes are no longer written to.
func (s *Stream) spillRest() error {
	for i := range s.stripes {
		if st := &s.stripes[i]; len(st.runs) > 0 {
			if len(st.buf.terms) > 0 {
				if err := s.spill(st, i); err != nil {
					return err
				}
			}
			st.buf.release()
		}
	}
	return nil
}

// merged is one partition's terms, merged and encoded, in key order: in
// memory (terms) or, when the Stream spilled, encoded as, per term,
// uvarint key, df, document list length and positions length, then the
// list and the positions, in memory (data) or in a temporary file.
type merged struct {
	terms []term
	data  []byte
	file  string
	keep  []contextTerm // the bigrams that keep contexts (see contextBigram)
}

func (m *merged) load() ([]term, error) {
	if m.file == "" && m.data == nil {
		return m.terms, nil
	}
	data := m.data
	if m.file != "" {
		var err error
		if data, err = os.ReadFile(m.file); err != nil {
			return nil, err
		}
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

// merge merges each partition's postings, from its stripe's buffer or
// from the stripe's runs, and returns them with the sum of their
// listBytes. The stripes are no longer written to.
func (s *Stream) merge(ctx context.Context) ([]merged, int, error) {
	parts := make([]merged, partitions)
	var total atomic.Int64
	// keep is how many bytes of merged partitions may yet stay in
	// memory rather than go to temporary files: the bound, which the
	// stripes' buffers no longer take. Writing them out and reading them
	// back was most of the merge's time on a busy disk.
	var keep atomic.Int64
	keep.Store(int64(s.bound))
	// keys[i] are the keys of stripe i when it did not spill; partition
	// p's are keys[p%stripes][lo[p]:hi[p]].
	var keys [stripes][]uint64
	var lo, hi [partitions]int
	for i := range s.stripes {
		if st := &s.stripes[i]; len(st.runs) == 0 {
			keys[i] = st.buf.sortedKeys()
		}
		k := 0
		for p := i; p < partitions; p += stripes {
			lo[p] = k
			for k < len(keys[i]) && partition(keys[i][k]) == p {
				k++
			}
			hi[p] = k
		}
	}
	err := par.Each(ctx, partitions, func(_ context.Context, p int) error {
		st := &s.stripes[p%stripes]
		if len(st.runs) == 0 {
			ks := keys[p%stripes][lo[p]:hi[p]]
			list := make([]term, 0, len(ks))
			sum := 0
			var sc scratch
			for _, k := range ks {
				t := st.buf.find(k)
				sc.gather = st.buf.appendTo(sc.gather[:0], t)
				docs, pos := sc.encode(k, sc.gather, !t.unsorted)
				list = append(list, termOf(k, t.n, docs, pos))
				sum += listBytes(&list[len(list)-1])
				if contextBigram(len(pos), len(s.urls)) {
					parts[p].keep = append(parts[p].keep, contextOf(k, docs, pos))
				}
			}
			parts[p].terms = list
			total.Add(int64(sum))
			return nil
		}
		sum, data, name, ctx, err := s.mergeRuns(st, p, &keep)
		parts[p].data, parts[p].file, parts[p].keep = data, name, ctx
		total.Add(int64(sum))
		return err
	})
	for i := range s.stripes {
		s.stripes[i].buf.release()
	}
	return parts, int(total.Load()), err
}

// mergeRuns merges partition p's sections of the runs (see merged) and
// returns the sum of its terms' listBytes and the merged postings: in
// memory if they fit in what keep has left (which they then take), else
// in a temporary file.
func (s *Stream) mergeRuns(st *stripe, p int, keep *atomic.Int64) (int, []byte, string, []contextTerm, error) {
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
	cursors := make([]*cursor, len(st.runs))
	for i, r := range st.runs {
		sec := io.NewSectionReader(st.f, r.off[p], r.off[p+1]-r.off[p])
		cursors[i] = &cursor{r: bufio.NewReaderSize(sec, 1<<15)}
		if err := next(cursors[i]); err != nil {
			return 0, nil, "", nil, err
		}
	}
	// The merged postings come to about the size of the sections: sized
	// for them, out is not copied as it grows.
	size := int64(0)
	for _, r := range st.runs {
		size += r.off[p+1] - r.off[p]
	}
	out := make([]byte, 0, size)
	sum := 0
	var entries, hdr []byte
	var sc scratch
	var ctx []contextTerm
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
					return 0, nil, "", nil, err
				}
			}
		}
		docs, pos := sc.encode(key, entries, sorted)
		sum += len(docs) + 8 // listBytes
		if contextBigram(len(pos), len(s.urls)) {
			ctx = append(ctx, contextOf(key, docs, pos))
		}
		hdr = appendUvarint(hdr[:0], key)
		hdr = appendUvarint(hdr, df)
		hdr = appendUvarint(hdr, uint64(len(docs)))
		hdr = appendUvarint(hdr, uint64(len(pos)))
		out = append(out, hdr...)
		out = append(out, docs...)
		out = append(out, pos...)
	}
	if keep.Add(-int64(cap(out))) >= 0 {
		return sum, out, "", ctx, nil
	}
	keep.Add(int64(cap(out)))
	dir, err := s.tempDir()
	if err != nil {
		return 0, nil, "", nil, err
	}
	f, err := os.CreateTemp(dir, fmt.Sprintf("part-%d-*", p))
	if err != nil {
		return 0, nil, "", nil, err
	}
	if _, err := f.Write(out); err != nil {
		f.Close()
		return 0, nil, "", nil, err
	}
	return sum, nil, f.Name(), ctx, f.Close()
}

// textStore holds the documents' normalised texts, UTF-8, by id: in mem,
// or in the temporary file f at off[id], n[id] bytes long.
type textStore struct {
	mem  [][]byte
	f    *os.File
	w    *bufio.Writer
	size int64
	off  []int64
	n    []int32
}

// keepText keeps document id's text. s.mu is held.
func (s *Stream) keepText(id int32, text []byte) error {
	ts := &s.texts
	if s.bound == 0 {
		if ts.mem == nil {
			ts.mem = make([][]byte, len(s.urls))
		}
		ts.mem[id] = slices.Clone(text)
		return nil
	}
	if ts.f == nil {
		dir, err := s.tempDir()
		if err != nil {
			return err
		}
		f, err := os.CreateTemp(dir, "texts-*")
		if err != nil {
			return err
		}
		ts.f, ts.w = f, bufio.NewWriterSize(f, 1<<16) // closed and removed with the folder
		ts.off, ts.n = make([]int64, len(s.urls)), make([]int32, len(s.urls))
	}
	if _, err := ts.w.Write(text); err != nil {
		return err
	}
	ts.off[id], ts.n[id] = ts.size, int32(len(text))
	ts.size += int64(len(text))
	return nil
}

// textSource returns the documents' texts, for the phrases and the
// contexts. s.mu is held, and every document added.
func (s *Stream) textSource() (textSource, error) {
	ts := &s.texts
	if ts.w != nil {
		if err := ts.w.Flush(); err != nil {
			return nil, err
		}
	}
	var bufs sync.Pool
	text := func(id int, buf []rune) ([]rune, int, error) {
		var b []byte
		if ts.mem != nil {
			b = ts.mem[id]
		} else if ts.f != nil {
			p, _ := bufs.Get().(*[]byte)
			if p == nil {
				p = new([]byte)
			}
			defer bufs.Put(p)
			b = slices.Grow((*p)[:0], int(ts.n[id]))[:ts.n[id]]
			*p = b
			if _, err := ts.f.ReadAt(b, ts.off[id]); err != nil {
				return nil, 0, err
			}
		}
		buf = buf[:0]
		for len(b) > 0 {
			r, n := utf8.DecodeRune(b)
			buf = append(buf, r)
			b = b[n:]
		}
		return buf, s.titleLen[id], nil
	}
	return text, nil
}

// listStore returns where the phrases' lists, or the contexts, are kept
// while the pass makes them (see phraseSet and contextPass): a temporary
// file named after pattern when the texts are in one.
func (s *Stream) listStore(pattern string) (*listStore, error) {
	store := &listStore{}
	if s.texts.w == nil {
		return store, nil
	}
	dir, err := s.tempDir()
	if err != nil {
		return nil, err
	}
	if store.f, err = os.CreateTemp(dir, pattern); err != nil {
		return nil, err
	}
	return store, nil
}
