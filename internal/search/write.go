package search

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/bits"
	"slices"
	"strconv"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/par"
)

// Version is the format of the index files; search.js refuses others.
const Version = 4

// shardBytes is the target size of a shard of document lists before
// compression. A query for a common term downloads its own list plus, on
// average, this much of other terms' lists, so smaller is cheaper per query
// but makes more files, and files are what a build pays for: creating one
// costs system calls and a directory entry, bytes are nearly free. At 32 KB
// a 10,000-evaluation site has 1,024 shards (2,048 files with positions)
// and a cold query for 资金 stays far inside the 100 KB budget.
const shardBytes = 32 << 10

// maxShards bounds the number of shard files (and the same number of
// position files).
const maxShards = 4096

// headRunes is how much of a document's excerpt text comes with its
// metadata in d/<chunk>.json. Common terms mostly occur in it; for a match
// further on, search.js in a browser reads the text from the evaluation's
// own page, so that the index needs no file per document.
const headRunes = 120

// chunkDocs is the number of documents per metadata file: fewer files for
// the build, but a result page of 10 reads up to 10 chunks, so their size
// counts in the cold query (about 2 KB gzip each at 8).
const chunkDocs = 8

// Facets are the facet names, in the order of facets.bin's columns.
var Facets = []string{"year", "department", "grade", "kind"}

// gradeOrder and kindOrder order the values of those facets; values not
// listed follow in string order.
var (
	gradeOrder = []string{"优", "良", "中", "差"}
	kindOrder  = []string{"project", "department", "policy", "fiscal"}
)

// Write writes the index under search/, calling w.Write from several
// goroutines at once:
//
//	search/meta.json       format version, counts, shard count, facet values
//	search/facets.bin      one column of facet codes per facet (Facets order),
//	                       each code 1 byte, or 2 (little-endian) when the
//	                       facet has more than 255 values
//	search/titles.bin      per document, the rune length of its normalised
//	                       title (capped at 255), to tell title matches of
//	                       longer words
//	search/scores.bin      per document, its score in hundredths as uint16
//	                       little-endian, 65535 when it has none
//	search/t/<shard>.bin   directory of the unigrams and bigrams whose
//	                       termHash, and the phrases whose phraseHash,
//	                       modulo the shard count is <shard>, and their
//	                       short document lists
//	search/l/<shard>.bin   their long document lists (see inlineDocs)
//	search/p/<shard>.bin   positions and contexts of their light bigrams
//	                       (see heavyPos and context.go)
//	search/p/<shard>-<j>.bin  block j of the positions of their heavy
//	                       bigrams, numbered through the shard
//	search/d/<chunk>.json  metadata of documents chunk×8 … chunk×8+7 and the
//	                       head of their excerpt texts (an array of docMeta)
//
// A t/ shard is: uvarint term count, uvarint byte lengths of l/<shard>.bin
// and p/<shard>.bin (0 when there is none: search.js weighs what a file
// costs before reading it), then per term (unigrams and bigrams in key
// order, then phrases in rune order) uvarint rune count n, its n runes,
// uvarint document frequency and uvarint byte length of its document
// list << 1 | 1 when the list is in l/<shard>.bin, 0 when it follows the
// directory; then, for a bigram, uvarint k and, with k = 0 (a light
// bigram), uvarint byte length of its positions and contexts in
// p/<shard>.bin or, with k > 0, k >> 1 blocks, which hold contexts when
// k is odd: per block uvarint first document (the first block's as it
// is, each other's as its distance from the one before) and uvarint byte
// length; for a phrase (n ≥ 3), the phrase whose list it shares as
// uvarint rune count and runes (count 0: the list is its own; an alias's
// list is empty). The short document lists follow, in the directory's
// order; the long ones are in l/, in the same order; the light bigrams'
// positions in p/, in key order, and the heavy bigrams' blocks are
// numbered in key order. See the term type for the lists.
//
// Positions, in p/ and in each block, are a section: per document of
// the term (in p/) or of the block's range, uvarint(id − previous id − 1)
// (the first id counting from −1), uvarint tf and its tf positions
// (uvarint first, then the gaps), so that a block is read without the
// document list. In p/ a light bigram's section is followed by its
// contexts (see context.go); a block with contexts is uvarint document
// count, the section, and the contexts of its positions. Every value is an unsigned LEB128 varint.
// Unigrams and bigrams go to the shard of termHash, phrases to that of
// phraseHash.
func (ix *Index) Write(w Writer) error {
	ctx := context.Background()
	var keep []contextTerm
	for i := range ix.terms {
		if tm := &ix.terms[i]; contextBigram(len(tm.pos), len(ix.docs)) {
			keep = append(keep, contextOf(tm.key, tm.docs, tm.pos))
		}
	}
	pass := newContextPass(len(ix.docs), keep, &listStore{})
	phrases, err := ix.phrases(ctx, pass.visit)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	ctxs, err := pass.contexts(ctx)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	total := 0
	for i := range ix.terms {
		total += listBytes(&ix.terms[i])
	}
	shards := shardsFor(total)
	// Terms by shard, in key order within a shard.
	byShard := make([][]int32, shards)
	for i := range ix.terms {
		s := termHash(ix.terms[i].key) & uint32(shards-1)
		byShard[s] = append(byShard[s], int32(i))
	}
	phraseShards := phrasesByShard(phrases, shards)
	return ix.write(ctx, w, shards, shards, func(s int) error {
		list := byShard[s]
		slices.SortFunc(list, func(a, b int32) int { return cmp.Compare(ix.terms[a].key, ix.terms[b].key) })
		out, err := shardFiles(ix.terms, list, phrases, phraseShards[s], ctxs)
		if err != nil {
			return err
		}
		return writeShard(w, s, out)
	})
}

// phrases returns the phrase terms of the index's documents, calling
// visit as phraseTerms does.
func (ix *Index) phrases(ctx context.Context, visit func(w int, text []rune) error) ([]term, error) {
	urls := make([]string, len(ix.docs))
	for i := range ix.docs {
		urls[i] = ix.docs[i].URL
	}
	set, err := phraseTerms(ctx, len(ix.docs), sampleOf(urls), ix.text, visit, 1, &listStore{})
	if err != nil {
		return nil, err
	}
	return set.group(0)
}

// text is the textSource of the index's documents.
func (ix *Index) text(id int, buf []rune) ([]rune, int, error) {
	dt := docTerms{runes: buf}
	tl := dt.text(&ix.docs[id])
	return dt.runes, tl, nil
}

// phrasesByShard returns the indexes of phrases (in rune order) by shard.
func phrasesByShard(phrases []term, shards int) [][]int32 {
	out := make([][]int32, shards)
	for i := range phrases {
		s := phraseHash(phrases[i].runes) & uint32(shards-1)
		out[s] = append(out[s], int32(i))
	}
	return out
}

// write writes the files of the index: those made from ix.docs and
// ix.titleLen (the only fields it reads), and the shards, through group:
// group(g) writes, for g in [0, groups), the shards s with s mod groups ==
// g, groups being a power of two no larger than shards. Index.Write makes
// a group of each shard; a Stream a group of each of its partitions.
func (ix *Index) write(ctx context.Context, w Writer, shards, groups int, group func(g int) error) error {
	write := func(name string, data []byte) func() error {
		return func() error { return w.Write("search/"+name, data) }
	}
	meta, facetsBin := ix.facets()
	meta.Shards = shards
	mj, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	jobs := []func() error{
		write("meta.json", append(mj, '\n')),
		write("facets.bin", facetsBin),
		write("titles.bin", ix.titlesBin()),
		write("scores.bin", ix.scoresBin()),
	}
	// The first file of each directory (t/ with p/, and d/) is written
	// before the others of that directory are started: a Writer that
	// creates directories on demand then never sees two goroutines race to
	// create the same one. Group 0 writes shard 0 first.
	firsts := []func() error{func() error { return group(0) }}
	for g := 1; g < groups; g++ {
		jobs = append(jobs, func() error { return group(g) })
	}
	for c := 0; c*chunkDocs < len(ix.docs); c++ {
		job := func() error {
			return w.Write(fmt.Sprintf("search/d/%d.json", c), ix.chunk(c))
		}
		if c == 0 {
			firsts = append(firsts, job)
		} else {
			jobs = append(jobs, job)
		}
	}
	run := func(_ context.Context, job func() error) error { return job() }
	if err := par.All(ctx, firsts, run); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if err := par.All(ctx, jobs, run); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// writeShard writes shard s's files: t/ always, the others when they
// hold anything.
func writeShard(w Writer, s int, out shardOut) error {
	if err := writeLists(w, s, out); err != nil {
		return err
	}
	for j, b := range out.blocks {
		if err := w.Write(fmt.Sprintf("search/p/%d-%d.bin", s, j), b); err != nil {
			return err
		}
	}
	return nil
}

// writeLists writes shard s's files but its position blocks: t/ always,
// l/ and p/ when they hold anything.
func writeLists(w Writer, s int, out shardOut) error {
	if err := w.Write(fmt.Sprintf("search/t/%d.bin", s), out.t); err != nil {
		return err
	}
	if out.l != nil {
		if err := w.Write(fmt.Sprintf("search/l/%d.bin", s), out.l); err != nil {
			return err
		}
	}
	if out.p != nil {
		return w.Write(fmt.Sprintf("search/p/%d.bin", s), out.p)
	}
	return nil
}

// shardCount is the power of two nearest above total list bytes divided by
// shardBytes, within [1, maxShards]. search.js masks the hash with it.
//
// The lists of the phrases (see phrases.go) are not counted: they ride
// along, making the shards of a 10,000-evaluation site some 60% larger
// (47 KB on average rather than 28) instead of doubling their number, and
// the position files with them, which only the unigrams' and bigrams'
// lists size. A cold query then reads about 2 to 10 KB more; within its
// budget, and files are what a build pays for.
func (ix *Index) shardCount() int {
	total := 0
	for i := range ix.terms {
		total += listBytes(&ix.terms[i])
	}
	return shardsFor(total)
}

// listBytes is what a term counts for in the shard count.
func listBytes(t *term) int { return len(t.docs) + 8 }

// shardsFor returns the shard count of an index whose terms' listBytes
// sum to total.
func shardsFor(total int) int {
	n := max(1, total/shardBytes)
	s := 1 << bits.Len(uint(n-1))
	return min(s, maxShards)
}

// inlineDocs is the most bytes of a document list that its shard's t/
// file holds; a longer list is in l/<shard>.bin. Why: a word of three or
// more characters that is not a phrase term reads the directory entries
// of all its bigrams (to learn which are absent or rare) but the lists of
// the rare ones only; with the common lists in t/, each of those reads
// cost some 22 KB gzip at 10,000 evaluations, and a word of seven
// characters read seven of them. A variable so that a test can make it
// small.
var inlineDocs = 1024

// heavyPos is the most bytes of positions a light bigram has: its
// positions and their contexts (see context.go) are in its shard's
// p/<shard>.bin, which a query reads whole. A heavier bigram's positions
// are split by document range into blocks of about blockBytes, each a
// file, so that a query reads only the blocks of its candidates. A
// variable so that a test can make it small.
var heavyPos = 8 << 10

// blockBytes is the size a heavy bigram's position blocks are cut to:
// smaller blocks cost a query with few candidates less, and make more
// files. A variable so that a test can make it small.
var blockBytes = 32 << 10

// shardOut is the files of one shard: t/<s>.bin, l/<s>.bin and
// p/<s>.bin (nil when empty, then not written) and the position blocks
// p/<s>-<j>.bin.
type shardOut struct {
	t, l, p []byte
	blocks  [][]byte
	// from is, per block, 1 + its number in the previous index's shard
	// when the block is taken from there (its data then nil), else 0.
	from []int32
}

func (ix *Index) shard(list []int32, ctxs *contexts) (shardOut, error) {
	return shardFiles(ix.terms, list, nil, nil, ctxs)
}

// shardFiles returns the files of a shard that holds the terms list
// (indexes into terms, in key order) and the phrases plist (indexes into
// phrases, in rune order); ctxs holds the bigrams' contexts.
func shardFiles(terms []term, list []int32, phrases []term, plist []int32, ctxs *contexts) (shardOut, error) {
	var out shardOut
	// The encoder of the heavy bigrams' contexts, with a table from
	// the pool when the shard has any: a new one for each shard was a
	// gigabyte of allocations at 100,000 evaluations (4,096 shards),
	// the collector marking the build's largest live heap to free it.
	var enc contextEncoder
	defer func() {
		if enc.index != nil {
			uniPool.Put(enc.index)
		}
	}()
	var units []uint16
	hsize, tsize, lsize, psize := 16, 0, 0, 0
	for _, i := range list {
		tm := &terms[i]
		hsize += 24
		if len(tm.docs) > inlineDocs {
			lsize += len(tm.docs)
		} else {
			tsize += len(tm.docs)
		}
		if tm.sec != nil {
			psize += len(tm.sec)
		} else if lightBigram(len(tm.pos)) {
			psize += len(tm.docs) + len(tm.pos) + len(ctxs.light[tm.key])
		}
	}
	for _, i := range plist {
		ph := &phrases[i]
		hsize += 16 + 4*(len(ph.runes)+len(ph.alias))
		if len(ph.docs) > inlineDocs {
			lsize += len(ph.docs)
		} else {
			tsize += len(ph.docs)
		}
	}
	// The positions are sized up front: grown by appending they were
	// copied and zeroed some five times over, a shard being megabytes.
	if lsize > 0 {
		out.l = make([]byte, 0, lsize)
	}
	if psize > 0 {
		out.p = make([]byte, 0, psize)
	}
	hdr := make([]byte, 0, hsize)
	for _, i := range list {
		tm := &terms[i]
		a, b := keyRunes(tm.key)
		if b < 0 {
			hdr = appendUvarint(hdr, 1)
			hdr = appendUvarint(hdr, uint64(a))
		} else {
			hdr = appendUvarint(hdr, 2)
			hdr = appendUvarint(hdr, uint64(a))
			hdr = appendUvarint(hdr, uint64(b))
		}
		hdr = appendUvarint(hdr, uint64(tm.df))
		hdr = out.appendList(hdr, tm.docs)
		if b < 0 {
			continue
		}
		if tm.sec != nil || lightBigram(len(tm.pos)) {
			start := len(out.p)
			if tm.sec != nil {
				// Taken as it is from a previous index (see Patch).
				out.p = append(out.p, tm.sec...)
			} else {
				out.p = appendSection(out.p, tm.docs, tm.pos)
				out.p = append(out.p, ctxs.light[tm.key]...)
			}
			hdr = appendUvarint(hdr, 0)
			hdr = appendUvarint(hdr, uint64(len(out.p)-start))
			continue
		}
		if tm.kept != nil {
			// Taken as they are from a previous index (see Patch).
			k := uint64(len(tm.kept)) << 1
			if tm.keptCtx {
				k |= 1
			}
			hdr = appendUvarint(hdr, k)
			first := int32(0)
			for _, bl := range tm.kept {
				hdr = appendUvarint(hdr, uint64(bl.first-first))
				hdr = appendUvarint(hdr, uint64(bl.size))
				first = bl.first
				out.blocks = append(out.blocks, bl.data)
				out.from = append(out.from, bl.from)
			}
			continue
		}
		blocks := splitBlocks(tm.docs, tm.pos)
		if i, ok := ctxs.heavy[tm.key]; ok {
			var err error
			if units, err = ctxs.units(i, units[:0]); err != nil {
				return out, err
			}
			if enc.index == nil {
				enc.index = uniPool.Get().(*uniTable)
			}
			at := 0
			for j := range blocks {
				bl := &blocks[j]
				end := skipContexts(units, at, bl.occ)
				data := appendUvarint(make([]byte, 0, len(bl.data)+2*(end-at)+16), uint64(bl.docs))
				data = append(data, bl.data...)
				bl.data = enc.appendEncoded(data, [][]uint16{units[at:end]})
				at = end
			}
			hdr = appendUvarint(hdr, uint64(len(blocks))<<1|1)
		} else {
			hdr = appendUvarint(hdr, uint64(len(blocks))<<1)
		}
		first := int32(0)
		for _, bl := range blocks {
			hdr = appendUvarint(hdr, uint64(bl.first-first))
			hdr = appendUvarint(hdr, uint64(len(bl.data)))
			first = bl.first
			out.blocks = append(out.blocks, bl.data)
			out.from = append(out.from, 0)
		}
	}
	for _, i := range plist {
		ph := &phrases[i]
		hdr = appendRuneList(hdr, ph.runes)
		hdr = appendUvarint(hdr, uint64(ph.df))
		hdr = out.appendList(hdr, ph.docs)
		if ph.alias == nil {
			hdr = appendUvarint(hdr, 0)
		} else {
			hdr = appendRuneList(hdr, ph.alias)
		}
	}
	// t/: the term count, the lengths of l/ and p/, the directory, then the
	// inline lists in the directory's order.
	var pre [3 * binary.MaxVarintLen64]byte
	n := appendUvarint(pre[:0], uint64(len(list)+len(plist)))
	n = appendUvarint(n, uint64(len(out.l)))
	n = appendUvarint(n, uint64(len(out.p)))
	out.t = make([]byte, 0, len(n)+len(hdr)+tsize)
	out.t = append(out.t, n...)
	out.t = append(out.t, hdr...)
	for _, i := range list {
		if d := terms[i].docs; len(d) <= inlineDocs {
			out.t = append(out.t, d...)
		}
	}
	for _, i := range plist {
		if d := phrases[i].docs; len(d) <= inlineDocs {
			out.t = append(out.t, d...)
		}
	}
	return out, nil
}

// appendList appends a term's list length and place to its directory
// entry, uvarint length<<1 | 1 when in l/, and the list to l/ when it is
// too long for t/.
func (out *shardOut) appendList(hdr, docs []byte) []byte {
	if len(docs) > inlineDocs {
		out.l = append(out.l, docs...)
		return appendUvarint(hdr, uint64(len(docs))<<1|1)
	}
	return appendUvarint(hdr, uint64(len(docs))<<1)
}

// eachDoc calls f with each document of a bigram's list (see term), its
// tf and the bytes of its positions.
func eachDoc(docs, pos []byte, f func(id int32, tf uint64, pos []byte)) {
	last, q, pp := int32(-1), 0, 0
	for q < len(docs) {
		gap, n := uvarint(docs[q:])
		q += n
		info, n := uvarint(docs[q:])
		q += n
		id := last + 1 + int32(gap)
		start := pp
		pp = skip(pos, pp, info>>1)
		f(id, info>>1, pos[start:pp])
		last = id
	}
}

// appendSection appends a bigram's positions as a section (see Write):
// per document uvarint(id − previous id − 1), the first id counting from
// −1, uvarint tf and its positions.
func appendSection(b, docs, pos []byte) []byte {
	last := int32(-1)
	eachDoc(docs, pos, func(id int32, tf uint64, p []byte) {
		b = appendUvarint(b, uint64(id-last-1))
		b = appendUvarint(b, tf)
		b = append(b, p...)
		last = id
	})
	return b
}

// block is one block of a heavy bigram's positions: a section of the
// documents from first on, docs of them, with occ positions.
type block struct {
	first     int32
	docs, occ int
	data      []byte
	// A block taken from a previous index (see Patch) has only first,
	// size (its bytes) and from (1 + its number in its shard).
	size int
	from int32
}

// splitBlocks cuts a heavy bigram's positions into sections of about
// blockBytes, at document boundaries.
func splitBlocks(docs, pos []byte) []block {
	total := len(docs) + len(pos) // about the sections' size
	k := max(1, (total+blockBytes/2)/blockBytes)
	var out []block
	var cur []byte
	last, acc := int32(-1), 0
	eachDoc(docs, pos, func(id int32, tf uint64, p []byte) {
		if len(out) == 0 || len(out) < k && acc >= len(out)*total/k {
			if len(out) > 0 {
				out[len(out)-1].data = cur
			}
			out = append(out, block{first: id})
			cur = make([]byte, 0, total/k+64)
			last = -1
		}
		out[len(out)-1].docs++
		out[len(out)-1].occ += int(tf)
		n := len(cur)
		cur = appendUvarint(cur, uint64(id-last-1))
		cur = appendUvarint(cur, tf)
		cur = append(cur, p...)
		acc += len(cur) - n
		last = id
	})
	if len(out) > 0 {
		out[len(out)-1].data = cur
	}
	return out
}

// appendRuneList appends uvarint len(rs), then each rune as a uvarint.
func appendRuneList(b []byte, rs []rune) []byte {
	b = appendUvarint(b, uint64(len(rs)))
	for _, r := range rs {
		b = appendUvarint(b, uint64(r))
	}
	return b
}

// Meta is search/meta.json.
type Meta struct {
	Version int `json:"version"`
	Docs    int `json:"docs"`
	Shards  int `json:"shards"`
	// Head is the number of runes of excerpt text in d/<chunk>.json;
	// Chunk the number of documents per chunk.
	Head  int `json:"head"`
	Chunk int `json:"chunk"`
	// Context is the number of characters on each side of a light
	// bigram's occurrences in its contexts (see context.go).
	Context int `json:"context"`
	// Facets lists each facet's values; facets.bin holds indexes into
	// them. Widths gives each column's code width in bytes.
	Facets map[string][]string `json:"facets"`
	Widths map[string]int      `json:"widths"`
	// KindNames are the Chinese names of the kinds, for the search page.
	KindNames map[string]string `json:"kindNames"`
}

func (ix *Index) facetValue(d *Doc, f string) string {
	switch f {
	case "year":
		return d.Year
	case "department":
		return d.Department
	case "grade":
		return d.Grade
	}
	return d.Kind
}

func (ix *Index) facets() (Meta, []byte) {
	m := Meta{Version: Version, Docs: len(ix.docs), Head: headRunes, Chunk: chunkDocs, Context: contextChars,
		Facets: map[string][]string{}, Widths: map[string]int{}, KindNames: content.Kinds}
	var out []byte
	for _, f := range Facets {
		var vals []string
		for i := range ix.docs {
			vals = append(vals, ix.facetValue(&ix.docs[i], f))
		}
		slices.Sort(vals)
		vals = slices.Compact(vals)
		switch f {
		case "year":
			slices.Reverse(vals)
		case "grade":
			sortBy(vals, gradeOrder)
		case "kind":
			sortBy(vals, kindOrder)
		}
		if vals == nil {
			vals = []string{}
		}
		code := make(map[string]int, len(vals))
		for i, v := range vals {
			code[v] = i
		}
		width := 1
		if len(vals) > 255 {
			width = 2
		}
		m.Facets[f], m.Widths[f] = vals, width
		for i := range ix.docs {
			c := code[ix.facetValue(&ix.docs[i], f)]
			if width == 1 {
				out = append(out, byte(c))
			} else {
				out = binary.LittleEndian.AppendUint16(out, uint16(c))
			}
		}
	}
	return m, out
}

// sortBy puts the values listed in order first, in that order.
func sortBy(vals, order []string) {
	rank := func(v string) int {
		if i := slices.Index(order, v); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(vals, func(a, b string) int { return cmp.Compare(rank(a), rank(b)) })
}

func (ix *Index) titlesBin() []byte {
	out := make([]byte, len(ix.docs))
	for i, n := range ix.titleLen {
		out[i] = byte(min(n, 255))
	}
	return out
}

func (ix *Index) scoresBin() []byte {
	out := make([]byte, 0, 2*len(ix.docs))
	for i := range ix.docs {
		out = binary.LittleEndian.AppendUint16(out, hundredths(ix.docs[i].Score))
	}
	return out
}

// hundredths parses a score such as "93.5" to 9350; 65535 when there is
// none. It is only a sort key: a total above 655.34 (the content allows
// scores up to 1000) sorts as 655.34, above every smaller total, rather
// than as a record without a score.
func hundredths(s string) uint16 {
	f, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil || f < 0:
		return 65535
	case f*100 >= 65534:
		return 65534
	}
	return uint16(f*100 + 0.5)
}

// docMeta is one document of search/d/<chunk>.json.
type docMeta struct {
	URL        string `json:"url"`
	Title      string `json:"title"`
	Department string `json:"department"`
	Year       string `json:"year"`
	Grade      string `json:"grade"`
	Score      string `json:"score"`
	Kind       string `json:"kind"`
	// Text is the head of the excerpt text; More says that it goes on.
	Text string `json:"text"`
	More bool   `json:"more,omitempty"`
}

func (ix *Index) chunk(c int) []byte {
	var list []docMeta
	for id := c * chunkDocs; id < min((c+1)*chunkDocs, len(ix.docs)); id++ {
		doc := &ix.docs[id]
		list = append(list, docMeta{URL: doc.URL, Title: doc.Title, Department: doc.Department, Year: doc.Year,
			Grade: doc.Grade, Score: doc.Score, Kind: doc.Kind, Text: doc.Head, More: doc.More})
	}
	return chunkJSON(list)
}

// chunkJSON is the content of a d/<chunk>.json holding list.
func chunkJSON(list []docMeta) []byte {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(list); err != nil {
		panic(err) // strings only: cannot fail
	}
	return buf.Bytes()
}
