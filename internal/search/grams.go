package search

import (
	"cmp"
	"context"
	"fmt"
	"math/bits"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/evalpress/evalpress/internal/par"
)

// Phrases of 3 to 8 characters are answered from exact document lists of
// every n-gram of that length (a "gram") that occurs in the texts, kept as
// a trie: a gram's documents are a subset of its prefix's (生活补 ⊆ 生活),
// and a gram is stored relative to its prefix, document block by document
// block. In formulaic text most grams keep nearly every document of their
// prefix, so most cost a byte or two. See doc.go for why and write.go for
// the format.

const (
	gramMin = 3
	gramMax = 8
	// blockDocs documents share one block: a gram's documents in a block
	// are a 32-bit mask, which search.js handles with its 32-bit integer
	// operations.
	blockDocs = 32
	// gramParts partitions the grams while building, by gramHash, so that
	// the merge looks grams up in small tables that stay in the CPU cache.
	gramParts = 256
)

// gkey packs a gram of up to 8 runes of the Basic Multilingual Plane, 16
// bits each, the first rune in the top bits of a: comparing keys (a, then
// b) orders grams as strings, a prefix before its extensions. Rune 0 and
// runes beyond the BMP cannot be packed: no gram holds them, and search.js
// answers a word that holds one from the bigram positions.
type gkey struct{ a, b uint64 }

func packable(r rune) bool { return r > 0 && r <= 0xFFFF && r != ' ' }

func (k gkey) at(i int) rune {
	if i < 4 {
		return rune(k.a >> (48 - 16*i) & 0xFFFF)
	}
	return rune(k.b >> (48 - 16*(i-4)) & 0xFFFF)
}

func (k gkey) with(i int, r rune) gkey {
	if i < 4 {
		k.a |= uint64(r) << (48 - 16*i)
	} else {
		k.b |= uint64(r) << (48 - 16*(i-4))
	}
	return k
}

// length returns the number of runes of k.
// Every rune of a key is non-zero, so the lowest set bit tells the last
// rune: rune i holds bits 48−16i to 63−16i.
func (k gkey) length() int {
	switch {
	case k.b != 0:
		return 4 + (79-bits.TrailingZeros64(k.b))/16
	case k.a != 0:
		return (79 - bits.TrailingZeros64(k.a)) / 16
	}
	return 0
}

func cmpKey(x, y gkey) int { return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b)) }

// fullHash spreads grams over shards by all their runes: a gram family
// (the grams that extend one gram) lives in the shard of its root's
// fullHash. search.js computes the same function; change both together.
func (k gkey) fullHash() uint32 {
	h := termHash(bigramKey(k.at(0), k.at(1)))
	for i := 2; i < gramMax; i++ {
		c := k.at(i)
		if c == 0 {
			break
		}
		h ^= uint32(c) * 0x27D4EB2F
		h ^= h >> 16
		h *= 0x85EBCA77
		h ^= h >> 13
	}
	return h
}

// hash is the fullHash of the first three runes, the shard of the family
// of all grams that start with them, unless it is split (see gramShards).
func (k gkey) hash() uint32 { return gkey{a: k.a &^ 0xFFFF}.fullHash() }

// blockNode is one node of a block's trie of windows: the documents of
// the block holding it (bit i for document block×32+i), those holding it
// in their title, and the documents of its prefix in the block.
type blockNode struct {
	key                gkey
	mask, tmask, pmask uint32
}

// blockGram is what the merge logs of one gram of one block, worked out by
// the block's worker so that the one merging goroutine does little more
// than look the gram up: the key's hash, the mask's document count, the
// record's v and the title record's x (see gramPart).
type blockGram struct {
	key   gkey
	hash  uint64
	v     uint64
	n     int32
	tx    uint32
	title bool
}

func (g *blockNode) prepare() blockGram {
	b := blockGram{key: g.key, hash: hashKey(g.key), n: int32(bits.OnesCount32(g.mask)), title: g.tmask != 0}
	switch {
	case g.mask == g.pmask:
		b.v = 0
	case bits.OnesCount32(g.mask)*2 <= bits.OnesCount32(g.pmask):
		b.v = uint64(pext(g.mask, g.pmask))<<2 | 1
	default:
		b.v = uint64(pext(g.pmask&^g.mask, g.pmask))<<2 | 2
	}
	b.tx = pext(g.tmask, g.mask)
	return b
}

// blockTable collects the windows (the up to 8 runes from each position)
// of a block's documents.
type blockTable struct {
	keys   []gkey
	masks  []uint32
	tmasks []uint32
	slots  []int32
	shift  uint
	runes  []rune
	out    []blockNode
	win    []blockNode
	part   []int16 // partition of each gram of out, −1 for bigrams
	stack  [gramMax + 1]int32
	parts  [gramParts + 1]int32
	sorted []blockGram
}

func (t *blockTable) reset() {
	const bits = 17
	if len(t.slots) != 1<<bits {
		t.slots = make([]int32, 1<<bits)
	} else {
		clear(t.slots)
	}
	t.shift = 64 - bits
	t.keys, t.masks, t.tmasks = t.keys[:0], t.masks[:0], t.tmasks[:0]
}

func (t *blockTable) add(k gkey, bit uint32, title bool) {
	var tb uint32
	if title {
		tb = bit
	}
	h := int(((k.a ^ bits.RotateLeft64(k.b, 29)) * 0x9E3779B97F4A7C15) >> t.shift)
	mask := len(t.slots) - 1
	for {
		s := t.slots[h]
		if s == 0 {
			t.keys = append(t.keys, k)
			t.masks = append(t.masks, bit)
			t.tmasks = append(t.tmasks, tb)
			t.slots[h] = int32(len(t.keys))
			if 2*len(t.keys) > len(t.slots) {
				t.grow()
			}
			return
		}
		if t.keys[s-1] == k {
			t.masks[s-1] |= bit
			t.tmasks[s-1] |= tb
			return
		}
		h = (h + 1) & mask
	}
}

func (t *blockTable) grow() {
	t.slots = make([]int32, 2*len(t.slots))
	t.shift--
	mask := len(t.slots) - 1
	for i, k := range t.keys {
		h := int(((k.a ^ bits.RotateLeft64(k.b, 29)) * 0x9E3779B97F4A7C15) >> t.shift)
		for t.slots[h] != 0 {
			h = (h + 1) & mask
		}
		t.slots[h] = int32(i + 1)
	}
}

// window adds the windows of one document's normalised text.
func (t *blockTable) window(text string, titleLen int, bit uint32) {
	r := t.runes[:0]
	for _, c := range text {
		if len(r) >= maxPos {
			break
		}
		r = append(r, c)
	}
	t.runes = r
	for p := range r {
		if !packable(r[p]) || p+1 >= len(r) || !packable(r[p+1]) {
			continue
		}
		k := gkey{}.with(0, r[p]).with(1, r[p+1])
		for n := 2; n < gramMax && p+n < len(r) && packable(r[p+n]); n++ {
			k = k.with(n, r[p+n])
		}
		// A window starting in the title ends there: the title is
		// followed by a space.
		t.add(k, bit, p < titleLen)
	}
}

// grams turns the block's windows into its grams of 3 to 8 runes, each
// with its prefix's mask, sorted by partition and then key.
func (t *blockTable) grams() (sorted []blockGram, parts []int32) {
	win := t.win[:0]
	for i, k := range t.keys {
		win = append(win, blockNode{key: k, mask: t.masks[i], tmask: t.tmasks[i]})
	}
	t.win = win
	slices.SortFunc(win, func(x, y blockNode) int {
		if x.key.a != y.key.a {
			return cmp.Compare(x.key.a, y.key.a)
		}
		return cmp.Compare(x.key.b, y.key.b)
	})
	// Walk the sorted windows as a trie: stack[d] is the output index of
	// the node of depth d+1 on the current path; a node's masks are the
	// union of its windows'. Nodes of depth 2 (bigrams) are kept only as
	// the prefixes of depth 3.
	out := t.out[:0]
	depth := 0
	var prev gkey
	for _, w := range win {
		k, m, tm := w.key, w.mask, w.tmask
		n := k.length()
		lcp := 0
		for lcp < depth && lcp < n && k.at(lcp) == prev.at(lcp) {
			lcp++
		}
		for d := 1; d < lcp; d++ {
			out[t.stack[d]].mask |= m
			out[t.stack[d]].tmask |= tm
		}
		for d := max(lcp, 1); d < n; d++ {
			// Depth d+1: the prefix of k of d+1 runes.
			var pk gkey
			if d < 4 {
				pk.a = k.a &^ (1<<(48-16*d) - 1)
			} else {
				pk.a = k.a
				pk.b = k.b &^ (1<<(48-16*(d-4)) - 1)
			}
			t.stack[d] = int32(len(out))
			out = append(out, blockNode{key: pk, mask: m, tmask: tm})
		}
		depth, prev = n, k
	}
	t.out = out
	// Prefix masks: a node's parent is the nearest node before it one
	// rune shorter.
	var at [gramMax + 1]int32
	for i := range out {
		n := out[i].key.length()
		at[n] = int32(i)
		if n > 2 {
			out[i].pmask = out[at[n-1]].mask
		}
	}
	// Partition the grams (depth ≥ 3); keys stay sorted within one. In
	// key order the grams of one family (the same first three runes)
	// follow each other, so the family's hash is worked out once.
	clear(t.parts[:])
	part := t.part[:0]
	var fam gkey
	var h uint32
	for i := range out {
		if out[i].key.length() < gramMin {
			part = append(part, -1)
			continue
		}
		if f := keyPrefix(out[i].key, gramMin); f != fam || i == 0 {
			fam, h = f, f.fullHash()%gramParts
		}
		part = append(part, int16(h))
		t.parts[h+1]++
	}
	t.part = part
	for p := 1; p <= gramParts; p++ {
		t.parts[p] += t.parts[p-1]
	}
	if cap(t.sorted) < int(t.parts[gramParts]) {
		t.sorted = make([]blockGram, t.parts[gramParts])
	}
	sorted = t.sorted[:t.parts[gramParts]]
	fill := t.parts
	for i := range out {
		if p := part[i]; p >= 0 {
			sorted[fill[p]] = out[i].prepare()
			fill[p]++
		}
	}
	return sorted, t.parts[:]
}

// gramPart is one partition of the grams while building: their keys in an
// open-addressing table (a map cost three times as much time and memory),
// and their records in two logs, in block order:
//
//   - log: per block where a gram occurs, uvarint(id), uvarint(block gap −
//     1), then uvarint v: v = 0 when the gram is in the same documents of
//     the block as its prefix, x<<2|1 where x packs the bits of its mask at
//     the prefix's documents (pext), or y<<2|2 where y so packs the
//     prefix's documents it is NOT in, whichever holds fewer bits;
//   - tlog: per block where a gram is in some document's title,
//     uvarint(id), uvarint(block), uvarint(pext(title mask, mask)).
//
// finish groups the logs by gram.
type gramPart struct {
	keys      []gkey
	df        []int32
	last      []int32 // the last block logged, −1 before the first
	slots     []int32
	shift     uint
	log, tlog []byte
	// spilled are the bytes of log and tlog already appended to the
	// partition's files in the spill directory (see spill).
	spilled, tspilled int64
}

// spillBytes is how much of a partition's log is kept in memory before it
// is appended to the partition's file: the logs are about 4 bytes a gram
// and block (110 MB at 10,000 evaluations, ten times that at 100,000), so
// that the index holds only the grams' keys and at most 256 × 64 KB of
// logs while the pages render. A variable so that a test can change it.
var spillBytes = 64 << 10

// spill appends the logs of partition p to their files in dir.
func (g *gramPart) spill(dir string, p int) error {
	for _, f := range []struct {
		name string
		data *[]byte
		n    *int64
	}{{"log", &g.log, &g.spilled}, {"tlog", &g.tlog, &g.tspilled}} {
		if len(*f.data) == 0 {
			continue
		}
		fh, err := os.OpenFile(filepath.Join(dir, fmt.Sprintf("%s-%d", f.name, p)), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return err
		}
		_, err = fh.Write(*f.data)
		if cerr := fh.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		*f.n += int64(len(*f.data))
		*f.data = (*f.data)[:0]
	}
	return nil
}

// logs returns the whole logs of partition p: its files, then what is in
// memory.
func (g *gramPart) logs(dir string, p int) (log, tlog []byte, err error) {
	read := func(name string, n int64, mem []byte) ([]byte, error) {
		if n == 0 {
			return mem, nil
		}
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("%s-%d", name, p)))
		if err != nil {
			return nil, err
		}
		if int64(len(b)) != n {
			return nil, fmt.Errorf("search index: %s-%d holds %d bytes, want %d", name, p, len(b), n)
		}
		return append(b, mem...), nil
	}
	if log, err = read("log", g.spilled, g.log); err != nil {
		return nil, nil, err
	}
	tlog, err = read("tlog", g.tspilled, g.tlog)
	return log, tlog, err
}

func hashKey(k gkey) uint64 { return (k.a ^ bits.RotateLeft64(k.b, 29)) * 0x9E3779B97F4A7C15 }

func (p *gramPart) id(k gkey, hash uint64) int32 {
	if p.slots == nil {
		p.slots = make([]int32, 1<<10)
		p.shift = 64 - 10
	}
	mask := len(p.slots) - 1
	for h := int(hash >> p.shift); ; h = (h + 1) & mask {
		s := p.slots[h]
		if s == 0 {
			p.keys = append(p.keys, k)
			p.df = append(p.df, 0)
			p.last = append(p.last, -1)
			p.slots[h] = int32(len(p.keys))
			if 2*len(p.keys) > len(p.slots) {
				p.grow()
			}
			return int32(len(p.keys) - 1)
		}
		if p.keys[s-1] == k {
			return s - 1
		}
	}
}

func (p *gramPart) grow() {
	p.slots = make([]int32, 2*len(p.slots))
	p.shift--
	mask := len(p.slots) - 1
	for i, k := range p.keys {
		h := int(hashKey(k) >> p.shift)
		for p.slots[h] != 0 {
			h = (h + 1) & mask
		}
		p.slots[h] = int32(i + 1)
	}
}

// pext gathers the bits of x at the set bits of mask into the low bits.
func pext(x, mask uint32) uint32 {
	var out uint32
	for i := 0; mask != 0; i++ {
		low := mask & -mask
		if x&low != 0 {
			out |= 1 << i
		}
		mask &^= low
	}
	return out
}

func (p *gramPart) add(block int32, g *blockGram) {
	i := p.id(g.key, g.hash)
	p.df[i] += g.n
	p.log = appendUvarint(p.log, uint64(i))
	p.log = appendUvarint(p.log, uint64(block-p.last[i]-1))
	p.log = appendUvarint(p.log, g.v)
	p.last[i] = block
	if g.title {
		p.tlog = appendUvarint(p.tlog, uint64(i))
		p.tlog = appendUvarint(p.tlog, uint64(block))
		p.tlog = appendUvarint(p.tlog, uint64(g.tx))
	}
}

// gramList is a partition of grams as written: gram i's records are
// docs[doff[i]:doff[i+1]] and title[toff[i]:toff[i+1]], encoded as in
// the g/ shards (see Write).
type gramList struct {
	keys        []gkey
	df          []int32
	docs, title []byte
	doff, toff  []int32
}

func uvarint(b []byte, i int) (uint64, int) {
	var x uint64
	for s := 0; ; s += 7 {
		c := b[i]
		i++
		x |= uint64(c&0x7f) << s
		if c < 0x80 {
			return x, i
		}
	}
}

// putUvarint writes x at b[i:] and returns the index after it.
func putUvarint(b []byte, i int, x uint64) int {
	for x >= 0x80 {
		b[i] = byte(x) | 0x80
		x >>= 7
		i++
	}
	b[i] = byte(x)
	return i + 1
}

func uvarintLen(x uint64) int { return (bits.Len64(x|1) + 6) / 7 }

// finish groups the records of p, whose logs are log and tlog, by gram.
func (p *gramPart) finish(log, tlog []byte) gramList {
	n := len(p.keys)
	l := gramList{keys: p.keys, df: p.df, doff: make([]int32, n+1), toff: make([]int32, n+1)}
	// Sizes, then offsets, then the bytes: records keep their order.
	for i := 0; i < len(log); {
		var id, gap, v uint64
		id, i = uvarint(log, i)
		gap, i = uvarint(log, i)
		v, i = uvarint(log, i)
		l.doff[id+1] += int32(uvarintLen(gap) + uvarintLen(v))
	}
	last := make([]int32, n) // the last title block of each gram
	for i := range last {
		last[i] = -1
	}
	for i := 0; i < len(tlog); {
		var id, b, x uint64
		id, i = uvarint(tlog, i)
		b, i = uvarint(tlog, i)
		x, i = uvarint(tlog, i)
		l.toff[id+1] += int32(uvarintLen(uint64(int32(b)-last[id]-1)) + uvarintLen(x))
		last[id] = int32(b)
	}
	for i := range n {
		l.doff[i+1] += l.doff[i]
		l.toff[i+1] += l.toff[i]
	}
	l.docs = make([]byte, l.doff[n])
	l.title = make([]byte, l.toff[n])
	fill := slices.Clone(l.doff[:n])
	for i := 0; i < len(log); {
		var id, gap, v uint64
		id, i = uvarint(log, i)
		gap, i = uvarint(log, i)
		v, i = uvarint(log, i)
		f := int(fill[id])
		f = putUvarint(l.docs, f, gap)
		fill[id] = int32(putUvarint(l.docs, f, v))
	}
	for i := range last {
		last[i] = -1
	}
	fill = slices.Clone(l.toff[:n])
	for i := 0; i < len(tlog); {
		var id, b, x uint64
		id, i = uvarint(tlog, i)
		b, i = uvarint(tlog, i)
		x, i = uvarint(tlog, i)
		f := putUvarint(l.title, int(fill[id]), uint64(int32(b)-last[id]-1))
		fill[id] = int32(putUvarint(l.title, f, x))
		last[id] = int32(b)
	}
	return l
}

// buildGrams indexes the grams of the documents, whose normalised text
// text(i) returns. Blocks are windowed on all cores while one goroutine
// merges them in order, as build does with documents.
//
// A partition's log goes to a file in a new directory under os.TempDir
// whenever it holds spillBytes; dir is that directory, "" if none was
// needed. The caller removes it (Index.Write does).
func buildGrams(n int, text func(i int) (string, int)) (parts []gramPart, dir string, err error) {
	parts = make([]gramPart, gramParts)
	blocks := (n + blockDocs - 1) / blockDocs
	// Each slot's tables hold tens of MB: as many slots as workers.
	ring := min(ring, par.Workers())
	tables := make([]blockTable, ring)
	type result struct {
		sorted []blockGram
		parts  []int32
	}
	results := make([]result, ring)
	var mu sync.Mutex
	mergedMore := sync.NewCond(&mu)
	merged := 0
	done := make([]chan struct{}, ring)
	for s := range ring {
		done[s] = make(chan struct{}, 1)
	}
	window := func(_ context.Context, b int) error {
		mu.Lock()
		for merged <= b-ring {
			mergedMore.Wait()
		}
		mu.Unlock()
		s := b % ring
		t := &tables[s]
		t.reset()
		for j := b * blockDocs; j < min(n, (b+1)*blockDocs); j++ {
			txt, tl := text(j)
			t.window(txt, tl, 1<<(j-b*blockDocs))
		}
		results[s].sorted, results[s].parts = t.grams()
		done[s] <- struct{}{}
		return nil
	}
	merge := func(context.Context) error {
		for b := range blocks {
			s := b % ring
			<-done[s]
			r := results[s]
			for p := range gramParts {
				part := &parts[p]
				for i := r.parts[p]; i < r.parts[p+1]; i++ {
					part.add(int32(b), &r.sorted[i])
				}
				if len(part.log)+len(part.tlog) >= spillBytes && err == nil {
					if dir == "" {
						dir, err = os.MkdirTemp("", "evalpress-search-")
					}
					if err == nil {
						err = part.spill(dir, p)
					}
				}
			}
			mu.Lock()
			merged = b + 1
			mu.Unlock()
			mergedMore.Broadcast()
		}
		return nil
	}
	windowAll := func(ctx context.Context) error { return par.Each(ctx, blocks, window) }
	// The merge keeps going after an error, so that no worker waits for
	// it forever; err says what failed.
	_ = par.Do(context.Background(), windowAll, merge)
	if err != nil {
		if dir != "" {
			os.RemoveAll(dir)
		}
		return nil, "", fmt.Errorf("search index: %w", err)
	}
	return parts, dir, nil
}

// maxFamily bounds the bytes of a gram family in one shard: a gram whose
// extensions hold more is split, each of its extensions heading a family
// of its own in the shard of its fullHash. A query reads the shard of its
// first three characters and, going down its grams, the shard of each
// split one: in formulaic text the extensions of a common gram
// (绩效目标为, 绩效目标的, …) hold most of their prefix's documents each,
// so a family of all of them would cost a query hundreds of KB.
var maxFamily int32 = 12 << 10

// gramPlan is where the grams of a partition go: for gram i (in key
// order: order[i]), its shard and whether it is split.
type gramPlan struct {
	order []int32
	shard []int32
	split []bool
	same  []bool // the same documents as its prefix: no records written
}

// plan sorts partition part and places its grams into shards of a site of
// shards g/ shards. A family goes to the shard of its root's fullHash, but
// with the low 8 bits of the partition (the root's first three runes), so
// that a shard's grams come from one partition when there are 256 shards
// or more, and from a fixed set of partitions when there are fewer: Write
// then handles one group of partitions at a time.
func (ix *Index) plan(l *gramList, shards, part int) gramPlan {
	n := len(l.keys)
	pl := gramPlan{order: make([]int32, n), shard: make([]int32, n), split: make([]bool, n), same: make([]bool, n)}
	for i := range pl.order {
		pl.order[i] = int32(i)
	}
	slices.SortFunc(pl.order, func(x, y int32) int { return cmpKey(l.keys[x], l.keys[y]) })
	// Entry sizes, then subtree sizes by walking the key order backwards
	// (descendants come after their ancestor).
	size := make([]int32, n)
	var at [gramMax + 1]int32
	for j, i := range pl.order {
		k := l.keys[i]
		ln := k.length()
		at[ln] = int32(j)
		var parentDF int32
		if ln == gramMin {
			parentDF = ix.bigramDF(k.at(0), k.at(1))
		} else {
			parentDF = l.df[pl.order[at[ln-1]]]
		}
		pl.same[j] = l.df[i] == parentDF
		size[j] = 6 + l.toff[i+1] - l.toff[i]
		if !pl.same[j] {
			size[j] += l.doff[i+1] - l.doff[i]
		}
	}
	sub := make([]int32, n) // bytes of the descendants
	parent := make([]int32, n)
	for j, i := range pl.order {
		ln := l.keys[i].length()
		at[ln] = int32(j)
		parent[j] = -1
		if ln > gramMin {
			parent[j] = at[ln-1]
		}
	}
	for j := n - 1; j >= 0; j-- {
		if p := parent[j]; p >= 0 {
			sub[p] += sub[j] + size[j]
		}
	}
	home := make([]uint32, n)
	for j, i := range pl.order {
		pl.split[j] = sub[j] > maxFamily
		if p := parent[j]; p >= 0 && !pl.split[p] {
			home[j] = home[p]
		} else {
			home[j] = l.keys[i].fullHash()
		}
		pl.shard[j] = int32((home[j]&^(gramParts-1) | uint32(part)) & uint32(shards-1))
	}
	return pl
}

// gramShardCount is the number of g/ shards: as shardCount, for the grams'
// bytes.
func (ix *Index) gramShardCount() int {
	total := int64(0)
	for p := range ix.grams {
		g := &ix.grams[p]
		total += g.spilled + int64(len(g.log)) + g.tspilled + int64(len(g.tlog)) + 6*int64(len(g.keys))
	}
	n := max(1, int(total/int64(gramShardBytes)))
	return min(1<<bits.Len(uint(n-1)), maxShards)
}

// gramShardBytes is the target size of a g/ shard: shardBytes, a variable
// so that a test can make many shards of a small index.
var gramShardBytes = shardBytes

// bigramDF returns the document frequency of the bigram (a, b).
func (ix *Index) bigramDF(a, b rune) int32 {
	k := bigramKey(a, b)
	i, ok := slices.BinarySearchFunc(ix.terms, k, func(t term, k uint64) int { return cmp.Compare(t.key, k) })
	if !ok {
		return -1
	}
	return ix.terms[i].df
}

// gramRef is one gram of a shard: position j of a partition's plan.
type gramRef struct {
	l  *gramList
	pl *gramPlan
	j  int32
}

func (r gramRef) i() int32 { return r.pl.order[r.j] }

// gramGroups is the number of groups of g/ shards that Write makes one at
// a time: each group's grams come from its own partitions.
func gramGroups(shards int) int { return min(shards, gramParts) }

// gramGroup returns the g/ shards of group gr, by shard number, reading the
// logs of the group's partitions and holding only them in memory.
func (ix *Index) gramGroup(gr, shards int) ([]gramFile, error) {
	groups := gramGroups(shards)
	lists := map[int][]gramRef{}
	for p := gr; p < gramParts; p += groups {
		log, tlog, err := ix.grams[p].logs(ix.spillDir, p)
		if err != nil {
			return nil, fmt.Errorf("search index: %w", err)
		}
		l := ix.grams[p].finish(log, tlog)
		pl := ix.plan(&l, shards, p)
		for j, s := range pl.shard {
			lists[int(s)] = append(lists[int(s)], gramRef{&l, &pl, int32(j)})
		}
	}
	// Every shard of the group is written, empty or not.
	var out []gramFile
	for s := gr; s < shards; s += groups {
		list := lists[s]
		slices.SortFunc(list, func(x, y gramRef) int { return cmpKey(x.l.keys[x.i()], y.l.keys[y.i()]) })
		out = append(out, gramFile{s, gramShard(list)})
	}
	return out, nil
}

// gramFile is g/<shard>.bin.
type gramFile struct {
	shard int
	data  []byte
}

// gramShard encodes one g/ shard (see Write) from its grams, in key order.
func gramShard(list []gramRef) []byte {
	size := 8
	for _, r := range list {
		l, i := r.l, r.i()
		size += int(l.doff[i+1]-l.doff[i]+l.toff[i+1]-l.toff[i]) + 24
	}
	out := make([]byte, 0, size)
	out = appendUvarint(out, uint64(len(list)))
	// last[n] is the index of the last gram of n runes, the prefix of
	// the next gram of n+1 runes if the keys agree.
	var last [gramMax + 1]int
	for x, r := range list {
		l, i := r.l, r.i()
		k := l.keys[i]
		n := k.length()
		last[n] = x
		if q := last[n-1]; n > gramMin && q < x && keyPrefix(k, n-1) == list[q].l.keys[list[q].i()] {
			out = appendUvarint(out, uint64(q+1))
			out = appendUvarint(out, uint64(k.at(n-1)))
		} else {
			out = appendUvarint(out, 0)
			out = appendUvarint(out, uint64(n))
			for j := range n {
				out = appendUvarint(out, uint64(k.at(j)))
			}
		}
		out = appendUvarint(out, uint64(l.df[i]))
		docs := 0
		if !r.pl.same[r.j] {
			docs = int(l.doff[i+1] - l.doff[i])
		}
		split := uint64(0)
		if r.pl.split[r.j] {
			split = 1
		}
		out = appendUvarint(out, uint64(docs)<<1|split)
		out = appendUvarint(out, uint64(l.toff[i+1]-l.toff[i]))
	}
	for _, r := range list {
		l, i := r.l, r.i()
		if !r.pl.same[r.j] {
			out = append(out, l.docs[l.doff[i]:l.doff[i+1]]...)
		}
		out = append(out, l.title[l.toff[i]:l.toff[i+1]]...)
	}
	return out
}

// keyPrefix returns the first n runes of k.
func keyPrefix(k gkey, n int) gkey {
	if n <= 4 {
		return gkey{a: k.a &^ (1<<(64-16*n) - 1)}
	}
	return gkey{a: k.a, b: k.b &^ (1<<(64-16*(n-4)) - 1)}
}
