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
const Version = 2

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
//	search/t/<shard>.bin   document lists of the unigrams and bigrams whose
//	                       termHash, and the phrases whose phraseHash,
//	                       modulo the shard count is <shard>
//	search/p/<shard>.bin   positions of the bigrams of t/<shard>.bin
//	search/d/<chunk>.json  metadata of documents chunk×8 … chunk×8+7 and the
//	                       head of their excerpt texts (an array of docMeta)
//
// A t/ shard is: uvarint term count, then per term (unigrams and bigrams
// in key order, then phrases in rune order) uvarint rune count n, its n
// runes, uvarint document frequency, uvarint byte length of its document
// list, uvarint byte length of its positions in p/<shard>.bin (bigrams
// only, 0 for the others) and, for a phrase (n ≥ 3), the phrase whose
// list it shares as uvarint rune count and runes (count 0: the list is
// its own; an alias's list is empty); then the document lists, in the
// same order. See the term type for the lists and positions, and
// phrases.go for the phrases. Every value is an unsigned LEB128 varint.
// Unigrams and bigrams go to the shard of termHash, phrases to that of
// phraseHash.
func (ix *Index) Write(w Writer) error {
	ctx := context.Background()
	phrases, err := ix.phrases(ctx)
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
		t, p := shardFiles(ix.terms, list, phrases, phraseShards[s])
		return writeShard(w, s, t, p)
	})
}

// phrases returns the phrase terms of the index's documents.
func (ix *Index) phrases(ctx context.Context) ([]term, error) {
	urls := make([]string, len(ix.docs))
	for i := range ix.docs {
		urls[i] = ix.docs[i].URL
	}
	set, err := phraseTerms(ctx, len(ix.docs), sampleOf(urls), func(id int, buf []rune) ([]rune, int, error) {
		dt := docTerms{runes: buf}
		tl := dt.text(&ix.docs[id])
		return dt.runes, tl, nil
	}, 1, &listStore{})
	if err != nil {
		return nil, err
	}
	return set.group(0)
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

// writeShard writes shard s's two files.
func writeShard(w Writer, s int, t, p []byte) error {
	if err := w.Write(fmt.Sprintf("search/t/%d.bin", s), t); err != nil {
		return err
	}
	return w.Write(fmt.Sprintf("search/p/%d.bin", s), p)
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

func (ix *Index) shard(list []int32) (t, p []byte) { return shardFiles(ix.terms, list, nil, nil) }

// shardFiles returns the t/ and p/ files of a shard that holds the terms
// list (indexes into terms, in key order) and the phrases plist (indexes
// into phrases, in rune order).
func shardFiles(terms []term, list []int32, phrases []term, plist []int32) (t, p []byte) {
	size, psize := 8, 0
	for _, i := range list {
		size += len(terms[i].docs) + 16
		psize += len(terms[i].pos)
	}
	for _, i := range plist {
		ph := &phrases[i]
		size += len(ph.docs) + 16 + 4*(len(ph.runes)+len(ph.alias))
	}
	t = make([]byte, 0, size)
	// The positions too are sized up front: grown by appending they were
	// copied and zeroed some five times over, a shard being megabytes.
	p = make([]byte, 0, psize)
	t = appendUvarint(t, uint64(len(list)+len(plist)))
	for _, i := range list {
		tm := &terms[i]
		a, b := keyRunes(tm.key)
		if b < 0 {
			t = appendUvarint(t, 1)
			t = appendUvarint(t, uint64(a))
		} else {
			t = appendUvarint(t, 2)
			t = appendUvarint(t, uint64(a))
			t = appendUvarint(t, uint64(b))
		}
		t = appendUvarint(t, uint64(tm.df))
		t = appendUvarint(t, uint64(len(tm.docs)))
		t = appendUvarint(t, uint64(len(tm.pos)))
	}
	for _, i := range plist {
		ph := &phrases[i]
		t = appendRuneList(t, ph.runes)
		t = appendUvarint(t, uint64(ph.df))
		t = appendUvarint(t, uint64(len(ph.docs)))
		t = appendUvarint(t, 0)
		if ph.alias == nil {
			t = appendUvarint(t, 0)
		} else {
			t = appendRuneList(t, ph.alias)
		}
	}
	for _, i := range list {
		t = append(t, terms[i].docs...)
		p = append(p, terms[i].pos...)
	}
	for _, i := range plist {
		t = append(t, phrases[i].docs...)
	}
	return t, p
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
	m := Meta{Version: Version, Docs: len(ix.docs), Head: headRunes, Chunk: chunkDocs,
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
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(list); err != nil {
		panic(err) // strings only: cannot fail
	}
	return buf.Bytes()
}
