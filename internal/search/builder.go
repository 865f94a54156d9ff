package search

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/evalpress/evalpress/internal/par"
)

// Doc is one evaluation as the search index sees it. Every field is plain
// text as published; Score is the total as shown ("93.5"), "" if none.
type Doc struct {
	URL        string // relative to the site root: "2023/disability-subsidies/"
	Title      string
	Department string
	Evaluator  string
	Year       string
	Grade      string
	Kind       string // content kind key: project, department, policy, fiscal
	Score      string
	Indicators []string // names of the indicators of every level
	// Details are the form's other searchable texts, in the record's
	// order: the goal and outcome, each finding's problem, measure and
	// result, the result use's decision (in Chinese) and note.
	Details []string
	Text    string // the narrative's plain text
	// Head is the start of the text search results are excerpted from,
	// whitespace collapsed: the narrative's prose without its headings,
	// or for a record without a narrative its goal and outcome; never the
	// lists (indicator names, the evaluator), which read as a run of
	// words. More says that the prose goes on past Head. See DocOf.
	Head string
	More bool
}

// Builder collects documents and builds the index. Add may be called from
// several goroutines at once; the index does not depend on the order of the
// calls, because documents are numbered in the order of their URLs.
type Builder struct {
	mu   sync.Mutex
	docs []Doc
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder { return &Builder{} }

// Add adds one document. It is safe for concurrent use.
func (b *Builder) Add(d Doc) {
	b.mu.Lock()
	b.docs = append(b.docs, d)
	b.mu.Unlock()
}

// Index builds the index of the documents added so far. Documents are
// numbered (their id, used by Index.Search) in the order of their URLs.
func (b *Builder) Index() *Index {
	b.mu.Lock()
	docs := slices.Clone(b.docs)
	b.mu.Unlock()
	slices.SortStableFunc(docs, func(x, y Doc) int {
		return cmp.Or(cmp.Compare(x.URL, y.URL), cmp.Compare(x.Title, y.Title), cmp.Compare(x.Text, y.Text))
	})
	return build(docs)
}

// Write builds the index and writes its files (see Index.Write).
func (b *Builder) Write(w Writer) error { return b.Index().Write(w) }

// Writer receives each file of the index; the site's output directory is
// one. Names are slash-separated and relative to the site root.
type Writer interface {
	Write(name string, data []byte) error
}

// maxPos bounds the positions indexed in one document: a position takes 22
// bits of the packed occurrence (see occurrences).
const maxPos = 1 << 22

// Term keys pack the runes of a term: a bigram (a, b) is a<<21 | b, a
// unigram a is a<<21 | noRune. Runes need 21 bits, so a key fits 42.
const noRune = 0x1FFFFF

func bigramKey(a, b rune) uint64 { return uint64(a)<<21 | uint64(b) }
func unigramKey(a rune) uint64   { return uint64(a)<<21 | noRune }

// keyRunes returns the runes of a term key; b is -1 for a unigram.
func keyRunes(k uint64) (a, b rune) {
	a, b = rune(k>>21), rune(k&noRune)
	if b == noRune {
		b = -1
	}
	return a, b
}

// termHash spreads terms over shards. assets/js/search.js computes the same
// function with Math.imul; change both together.
func termHash(k uint64) uint32 {
	a, b := uint32(k>>21), uint32(k&noRune)
	h := a*0x9E3779B1 ^ b
	h ^= h >> 15
	return mixHash(h)
}

// mixHash is the final mixing of termHash and phraseHash (as in
// MurmurHash3's), so that nearby keys land on distant shards.
func mixHash(h uint32) uint32 {
	h *= 0x85EBCA77
	h ^= h >> 13
	h *= 0xC2B2AE3D
	h ^= h >> 16
	return h
}

// Index is a built search index.
type Index struct {
	docs     []Doc
	titleLen []int // runes of the normalised title, which starts each text

	// building holds the terms while building, terms after.
	building map[uint64]*term
	terms    []term

	textsOnce sync.Once
	texts     []string
}

// term is the postings of one term, encoded as they are written: docs holds
// per document varint(id gap − 1) and varint(tf<<1 | in title); pos holds,
// for bigrams, per document its tf positions as varint(first) and
// varint(gap). Building the bytes directly keeps 10,000 evaluations within
// about 80 MB instead of the 300 MB that []uint32 positions would take.
type term struct {
	key uint64
	// runes is a phrase's n-gram (see phrases.go), nil for a unigram or
	// bigram; alias is the phrase whose list it shares, nil when docs is
	// its own.
	runes, alias []rune
	df           int32
	last         int32
	docs         []byte
	pos          []byte
	posDocs      int32 // documents whose positions are in pos (bigrams only)
	// kept, for a heavy bigram taken unchanged from a previous index
	// (see Patch), are its blocks there, written as they are; keptCtx
	// says that they hold contexts. pos is then nil.
	kept    []block
	keptCtx bool
	// sec, for a light bigram taken unchanged from a previous index, is
	// its positions and contexts in p/ there, written as they are; pos
	// is then nil.
	sec []byte
}

// Len returns the number of documents.
func (ix *Index) Len() int { return len(ix.docs) }

// Doc returns the document with the given id.
func (ix *Index) Doc(id int) Doc { return ix.docs[id] }

// docText returns the normalised text of d: its fields, each normalised,
// joined by spaces (so that no term spans two fields, since terms never
// contain a space), and the length in runes of the title, which comes
// first. Each section after the title (the department, the evaluator, the
// indicators, the details, the narrative) starts at a multiple of
// sectionAlign runes, with spaces before it: a section's positions then
// do not move when an earlier one changes length within its padding.
// A rebuild after a record's title was edited patches the index's lists
// of the title's own terms, not those of every term the record has (the
// narrative's some 1,000 bigrams: 936 of 4,096 shards at 100,000
// evaluations, against 11).
func docText(d *Doc) (string, int) {
	title := Normalize(d.Title)
	var b strings.Builder
	b.WriteString(title)
	n := utf8.RuneCountInString(title)
	for _, list := range sections(d) {
		pad := alignedStart(n) - n
		b.WriteString(strings.Repeat(" ", pad))
		n += pad
		for i, f := range list {
			if i > 0 {
				b.WriteByte(' ')
				n++
			}
			f = Normalize(f)
			b.WriteString(f)
			n += utf8.RuneCountInString(f)
		}
	}
	return b.String(), utf8.RuneCountInString(title)
}

// sections returns the sections of d's text after the title, in order,
// each a list of fields joined by single spaces (see docText).
func sections(d *Doc) [5][]string {
	return [5][]string{{d.Department}, {d.Evaluator}, d.Indicators, d.Details, {d.Text}}
}

// sectionAlign is the multiple of runes at which each section of a
// document's text after the title starts (see docText).
const sectionAlign = 128

// alignedStart returns where the section after n runes of text starts:
// at the next multiple of sectionAlign, at least one space after them.
func alignedStart(n int) int {
	return (n/sectionAlign + 1) * sectionAlign
}

// text fills dt.text with the runes of docText(d) and returns the
// length in runes of the title.
func (dt *docTerms) text(d *Doc) int {
	text := appendNormalized(dt.runes[:0], d.Title)
	title := len(text)
	for _, list := range sections(d) {
		for range alignedStart(len(text)) - len(text) {
			text = append(text, ' ')
		}
		for i, f := range list {
			if i > 0 {
				text = append(text, ' ')
			}
			text = appendNormalized(text, f)
		}
	}
	dt.runes = text
	return title
}

// docTerms groups one document's terms: for each its key, tf (negative
// when its first occurrence is in the title) and, for bigrams, its
// positions, pos[off[i]:off[i]+|tf|].
//
// Why a hand-made hash table: grouping the 4,600 tokens of a typical
// evaluation by sorting packed (term, position) values would be most of
// the indexing time; an open-addressing table reused from one document to
// the next, with no allocation per token, is about 5× faster
// (BenchmarkIndex2000).
type docTerms struct {
	runes []rune // the text, see text
	utf8  []byte // the text in UTF-8, for a Stream's phrases

	keys []uint64
	tf   []int32
	off  []int32
	pos  []uint32

	// byStripe holds the indexes of keys by stripe (see Stream), those of
	// stripe i at byStripe[stripeOff[i]:stripeOff[i+1]].
	byStripe  []int32
	stripeOff [stripes + 1]int32

	slots  []int32 // 1 + index into keys, 0 for empty
	shift  uint
	occKey []int32 // per bigram occurrence, its index in keys
	occPos []uint32
}

func (dt *docTerms) slot(k uint64) int32 {
	mask := len(dt.slots) - 1
	h := int((k * 0x9E3779B97F4A7C15) >> dt.shift)
	for {
		s := dt.slots[h]
		if s == 0 {
			dt.keys = append(dt.keys, k)
			dt.tf = append(dt.tf, 0)
			dt.slots[h] = int32(len(dt.keys))
			if 2*len(dt.keys) > len(dt.slots) {
				dt.grow()
			}
			return int32(len(dt.keys) - 1)
		}
		if dt.keys[s-1] == k {
			return s - 1
		}
		h = (h + 1) & mask
	}
}

func (dt *docTerms) grow() {
	dt.slots = make([]int32, 2*len(dt.slots))
	dt.shift--
	mask := len(dt.slots) - 1
	for i, k := range dt.keys {
		h := int((k * 0x9E3779B97F4A7C15) >> dt.shift)
		for dt.slots[h] != 0 {
			h = (h + 1) & mask
		}
		dt.slots[h] = int32(i + 1)
	}
}

// tokenize fills dt with the terms of text, whose first titleLen runes are
// the title.
func (dt *docTerms) tokenize(text []rune, titleLen int) {
	// The table starts at 4,096 slots, twice the distinct terms of a
	// typical evaluation, small enough to stay in the CPU cache (a table
	// of 32,768 slots does not, and its lookups are three times slower),
	// and doubles when half full.
	if len(dt.slots) != 4096 {
		dt.slots = make([]int32, 4096)
	} else {
		clear(dt.slots)
	}
	dt.shift = 64 - 12
	dt.keys, dt.tf, dt.off, dt.pos = dt.keys[:0], dt.tf[:0], dt.off[:0], dt.pos[:0]
	dt.occKey, dt.occPos = dt.occKey[:0], dt.occPos[:0]

	uni := uniPool.Get().(*uniTable)
	var prev rune = ' '
	for p, r := range text[:min(len(text), maxPos)] {
		if r == ' ' {
			prev = r
			continue
		}
		title := p < titleLen
		var i int32
		if r < rune(len(uni)) {
			if i = uni[r] - 1; i < 0 {
				i = dt.slot(unigramKey(r))
				uni[r] = i + 1
			}
		} else {
			i = dt.slot(unigramKey(r))
		}
		if dt.tf[i] == 0 && title {
			dt.tf[i] = -1
		} else if dt.tf[i] < 0 {
			dt.tf[i]--
		} else {
			dt.tf[i]++
		}
		if prev != ' ' {
			i := dt.slot(bigramKey(prev, r))
			// A bigram is in the title when it starts there: the title
			// is followed by a space, so it then also ends there.
			if dt.tf[i] == 0 && p-1 < titleLen {
				dt.tf[i] = -1
			} else if dt.tf[i] < 0 {
				dt.tf[i]--
			} else {
				dt.tf[i]++
			}
			dt.occKey = append(dt.occKey, i)
			dt.occPos = append(dt.occPos, uint32(p-1))
		}
		prev = r
	}
	// Counting sort of the bigram positions by term; they stay in
	// increasing order within a term.
	n := int32(0)
	for i, k := range dt.keys {
		dt.off = append(dt.off, n)
		if k&noRune != noRune {
			n += abs32(dt.tf[i])
		} else if a, _ := keyRunes(k); a < rune(len(uni)) {
			uni[a] = 0 // the table is clean for the next document
		}
	}
	uniPool.Put(uni)
	dt.pos = append(dt.pos[:0], make([]uint32, n)...)
	fill := append([]int32(nil), dt.off...)
	for j, i := range dt.occKey {
		dt.pos[fill[i]] = dt.occPos[j]
		fill[i]++
	}
}

// uniTable maps the runes of the Basic Multilingual Plane to 1 + the
// index of their unigram in a docTerms, 0 for none. Why: half the lookups
// of tokenising are unigrams, from a few thousand characters; indexed by
// the rune they skip the hash table's probe. It is 256 KiB, so a few are
// pooled for the goroutines that tokenise rather than one kept with each
// docTerms, and each is left clean after use.
type uniTable [0x10000]int32

var uniPool = sync.Pool{New: func() any { return new(uniTable) }}

func abs32(x int32) int32 {
	if x < 0 {
		return -x
	}
	return x
}

// ring is how many tokenised documents may wait for the merge: enough to
// keep the tokenisers busy while the merge catches up, few enough that
// their grouped terms (tens of KB each) stay small. A variable so that a
// test can make it small, and workers overtaking each other likely.
var ring = 64

// build tokenises the documents on all cores while one goroutine merges
// them, in id order, into the postings: the two run side by side, so the
// index takes about as long as the slower of them, not their sum.
func build(docs []Doc) *Index {
	ix := &Index{docs: docs, titleLen: make([]int, len(docs)), building: map[uint64]*term{}}
	ring := ring
	groups := make([]docTerms, ring)
	// Document i uses slot i%ring, which it may write once document
	// i−ring is merged: merged counts the documents merged so far. A
	// count, not a token per slot, because two workers may wait for the
	// same slot (documents i and i+ring), and a token could go to the
	// later one. A slot's done channel holds a token while the slot holds
	// a document to merge.
	var mu sync.Mutex
	mergedMore := sync.NewCond(&mu)
	merged := 0
	done := make([]chan struct{}, ring)
	for s := range ring {
		done[s] = make(chan struct{}, 1)
	}
	// The pool hands out documents in id order, so the smallest unmerged
	// document is always taken, and its slot is free: the merge never
	// waits for a worker that waits for the merge.
	tokenise := func(_ context.Context, i int) error {
		mu.Lock()
		for merged <= i-ring {
			mergedMore.Wait()
		}
		mu.Unlock()
		s := i % ring
		tl := groups[s].text(&docs[i])
		ix.titleLen[i] = tl
		groups[s].tokenize(groups[s].runes, tl)
		done[s] <- struct{}{}
		return nil
	}
	merge := func(context.Context) error {
		for i := range docs {
			s := i % ring
			<-done[s]
			ix.merge(int32(i), &groups[s])
			mu.Lock()
			merged = i + 1
			mu.Unlock()
			mergedMore.Broadcast()
		}
		return nil
	}
	tokeniseAll := func(ctx context.Context) error { return par.Each(ctx, len(docs), tokenise) }
	// Neither returns an error, so neither stops the other.
	_ = par.Do(context.Background(), tokeniseAll, merge)
	ix.terms = make([]term, 0, len(ix.building))
	for _, t := range ix.building {
		ix.terms = append(ix.terms, *t)
	}
	slices.SortFunc(ix.terms, func(a, b term) int { return cmp.Compare(a.key, b.key) })
	ix.building = nil
	return ix
}

// merge appends one document's terms to the postings.
func (ix *Index) merge(id int32, dt *docTerms) {
	terms := ix.building
	for n, k := range dt.keys {
		t := terms[k]
		if t == nil {
			t = &term{key: k, last: -1}
			terms[k] = t
		}
		tf, title := dt.tf[n], uint64(0)
		if tf < 0 {
			tf, title = -tf, 1
		}
		t.docs = appendUvarint(t.docs, uint64(id-t.last-1))
		t.docs = appendUvarint(t.docs, uint64(tf)<<1|title)
		t.df++
		t.last = id
		if k&noRune != noRune {
			t.pos = appendPositions(t.pos, dt.pos[dt.off[n]:dt.off[n]+tf])
			t.posDocs++
		}
	}
}

// appendPositions appends a document's positions of one term, ascending:
// the first as it is, each other as its distance from the one before.
func appendPositions(b []byte, pos []uint32) []byte {
	prev := uint32(0)
	for i, q := range pos {
		if i == 0 {
			b = appendUvarint(b, uint64(q))
		} else {
			b = appendUvarint(b, uint64(q-prev))
		}
		prev = q
	}
	return b
}

func appendUvarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}
