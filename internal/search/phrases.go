package search

import (
	"cmp"
	"context"
	"hash/fnv"
	"os"
	"runtime"
	"slices"
	"sync"

	"github.com/evalpress/evalpress/internal/par"
)

// Phrase terms answer the words of three to eight characters that many
// evaluations share (满意度, 资金使用, 规范、有效使用: the template
// phrases and standard names of the forms) with a document list of their
// own. Such a word is found by the positions of its bigrams otherwise, and
// a common bigram's positions are hundreds of KB: far more than a reader
// should download for one word. The phrases are chosen from a sample of
// the documents (see sampleOf): every n-gram of phraseMin to phraseMax
// characters without a space that occurs in at least phraseShare of the
// sample's documents. The choice only decides what a query costs; each
// phrase's list is exact, made from every document's text.
//
// Templated texts share many phrases, and most of them the very same
// list: every part of a template sentence occurs where the sentence does.
// A phrase whose list (documents, tf and title flags) is that of another
// is stored as an alias of it, which costs a few bytes, and only the first
// phrase (in rune order) of each list holds it. At 10,000 generated
// evaluations 45,567 phrases share 7,211 lists, 19 MB against the 29 MB
// of the unigrams' and bigrams' lists.
const (
	phraseMin = 3
	phraseMax = 8
	// phraseShare is the share of the sample's documents a phrase must
	// occur in, in hundredths.
	phraseShare = 3
)

// sampleDocs is the size of the sample (see above); a variable so that
// a test can make a small site's sample smaller than the site.
var sampleDocs = 512

// sampleOf returns which documents (by id; urls in id order) are in the
// sample: the sampleDocs whose URL hash is smallest, so that the sample
// does not depend on the order the documents come in, and is spread over
// the site rather than its first years.
func sampleOf(urls []string) []int32 {
	type hu struct {
		h  uint64
		id int32
	}
	list := make([]hu, len(urls))
	for i, u := range urls {
		f := fnv.New64a()
		f.Write([]byte(u))
		list[i] = hu{f.Sum64(), int32(i)}
	}
	slices.SortFunc(list, func(a, b hu) int { return cmp.Or(cmp.Compare(a.h, b.h), cmp.Compare(a.id, b.id)) })
	ids := make([]int32, 0, min(len(list), sampleDocs))
	for _, x := range list[:min(len(list), sampleDocs)] {
		ids = append(ids, x.id)
	}
	slices.Sort(ids)
	return ids
}

// trie holds the frequent n-grams of the sample, of one to phraseMax
// characters, each node an n-gram whose prefixes are its ancestors.
type trie struct {
	child childTable
	// uni is the node of each one-character n-gram of the Basic
	// Multilingual Plane, 0 for none: the first step of every walk.
	uni    []int32
	parent []int32
	last   []rune // the node's last character
	depth  []uint8
	phrase []int32 // index into phrases, -1 below phraseMin characters
	// phrases are the nodes of phraseMin characters or more, in rune
	// order of their n-grams.
	phrases []int32
	// fail are the automaton's links (see links).
	fail []int32
	// only is, per node, its one child, 0 when it has none and -1 when it
	// has several: most nodes of a trie of phrases have one child or
	// none, and step then needs no look-up in child (half the pass's
	// time went to them).
	only []int32
}

// runes returns node n's n-gram.
func (t *trie) runes(n int32) []rune {
	out := make([]rune, t.depth[n])
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = t.last[n]
		n = t.parent[n]
	}
	return out
}

// newTrie returns the n-grams that occur in at least minDocs of texts,
// grown a character at a time from those one shorter (an n-gram is never
// more frequent than its prefix).
func newTrie(texts [][]rune, minDocs int) *trie {
	t := &trie{parent: []int32{-1}, last: []rune{0}, depth: []uint8{0}}
	count := newChildTable(1 << 16) // parent<<21 | rune → node, this level
	var df, seen []int32
	cur := make([][]int32, len(texts)) // per text position, its node of the level before
	for i, r := range texts {
		cur[i] = make([]int32, len(r)) // root: 0
	}
	var kept [][2]uint64 // parent<<21 | rune, node
	for d := 1; d <= phraseMax; d++ {
		clear(count.slots)
		count.n = 0
		df, seen = df[:0], seen[:0]
		first := int32(len(t.parent))
		for i, r := range texts {
			for p := range r {
				n := cur[i][p]
				if n < 0 || p+d > len(r) || r[p+d-1] == ' ' {
					cur[i][p] = -1
					continue
				}
				k := uint64(n)<<21 | uint64(r[p+d-1])
				c, added := count.add(k, int32(len(t.parent)))
				if added {
					t.parent = append(t.parent, n)
					t.last = append(t.last, r[p+d-1])
					t.depth = append(t.depth, uint8(d))
					df = append(df, 0)
					seen = append(seen, -1)
				}
				if seen[c-first] != int32(i) {
					seen[c-first] = int32(i)
					df[c-first]++
				}
				cur[i][p] = c
			}
		}
		// Drop the rare n-grams of this level, renumbering the others.
		renum := make([]int32, len(df))
		next := first
		for j, n := range df {
			renum[j] = -1
			if int(n) >= minDocs {
				renum[j] = next
				c := first + int32(j)
				t.parent[next], t.last[next], t.depth[next] = t.parent[c], t.last[c], t.depth[c]
				next++
			}
		}
		t.parent, t.last, t.depth = t.parent[:next], t.last[:next], t.depth[:next]
		for _, sl := range count.slots {
			if sl.key == 0 {
				continue
			}
			if n := renum[sl.val-first]; n >= 0 {
				kept = append(kept, [2]uint64{sl.key - 1, uint64(n)})
			}
		}
		// Keys name parents of the level before, which kept their
		// numbers; the level's own nodes are renumbered in place.
		for _, c := range cur {
			for p, n := range c {
				if n >= first {
					c[p] = renum[n-first]
				}
			}
		}
		if next == first {
			break
		}
	}
	t.child = newChildTable(len(kept))
	t.uni = make([]int32, 0x10000)
	t.only = make([]int32, len(t.parent))
	for _, kv := range kept {
		t.child.put(kv[0], int32(kv[1]))
		if r := kv[0] & (1<<21 - 1); kv[0]>>21 == 0 && r < 0x10000 {
			t.uni[r] = int32(kv[1])
		}
		if p := kv[0] >> 21; t.only[p] == 0 {
			t.only[p] = int32(kv[1])
		} else {
			t.only[p] = -1
		}
	}
	t.phrase = make([]int32, len(t.parent))
	for n := range t.phrase {
		t.phrase[n] = -1
		if t.depth[n] >= phraseMin {
			t.phrases = append(t.phrases, int32(n))
		}
	}
	rs := make(map[int32][]rune, len(t.phrases))
	for _, n := range t.phrases {
		rs[n] = t.runes(n)
	}
	slices.SortFunc(t.phrases, func(a, b int32) int { return slices.Compare(rs[a], rs[b]) })
	for i, n := range t.phrases {
		t.phrase[n] = int32(i)
	}
	t.links()
	return t
}

// childTable maps parent<<21 | rune to a child node: an open-addressing
// table, several times faster than a map for the scan of every text.
type childTable struct {
	slots []childSlot
	shift uint
	n     int
}

// childSlot holds a key and its node side by side: a lookup reads one
// cache line.
type childSlot struct {
	key uint64 // key + 1, 0 for empty
	val int32
}

func newChildTable(n int) childTable {
	size, shift := 16, uint(64-4)
	for size < 2*n {
		size, shift = size*2, shift-1
	}
	return childTable{slots: make([]childSlot, size), shift: shift}
}

func (c *childTable) put(k uint64, v int32) {
	mask := len(c.slots) - 1
	h := int(((k + 1) * 0x9E3779B97F4A7C15) >> c.shift)
	for c.slots[h].key != 0 {
		h = (h + 1) & mask
	}
	c.slots[h] = childSlot{k + 1, v}
	c.n++
}

// get returns the child of parent for r, 0 (the root, never a child)
// for none.
func (c *childTable) get(parent int32, r rune) int32 {
	k := uint64(parent)<<21 | uint64(r) + 1
	mask := len(c.slots) - 1
	for h := int((k * 0x9E3779B97F4A7C15) >> c.shift); ; h = (h + 1) & mask {
		switch sl := &c.slots[h]; sl.key {
		case k:
			return sl.val
		case 0:
			return 0
		}
	}
}

// add returns the value of k, adding it with value v if it is new.
func (c *childTable) add(k uint64, v int32) (int32, bool) {
	mask := len(c.slots) - 1
	for h := int(((k + 1) * 0x9E3779B97F4A7C15) >> c.shift); ; h = (h + 1) & mask {
		switch sl := &c.slots[h]; sl.key {
		case k + 1:
			return sl.val, false
		case 0:
			*sl = childSlot{k + 1, v}
			c.n++
			if 2*c.n > len(c.slots) {
				c.grow()
			}
			return v, true
		}
	}
}

func (c *childTable) grow() {
	old := c.slots
	*c = childTable{slots: make([]childSlot, 2*len(old)), shift: c.shift - 1}
	for _, sl := range old {
		if sl.key != 0 {
			c.put(sl.key-1, sl.val)
		}
	}
}

// step returns the state after n-gram node s reads r: the longest suffix
// of s's n-gram followed by r that is a node, 0 for none (the automaton of
// Aho and Corasick, over the trie).
func (t *trie) step(s int32, r rune) int32 {
	for {
		var x int32
		switch o := t.only[s]; {
		case s == 0 && r < rune(len(t.uni)):
			x = t.uni[r]
		case o > 0:
			if t.last[o] == r {
				x = o
			}
		case o < 0:
			x = t.child.get(s, r)
		}
		if x != 0 || s == 0 {
			return x
		}
		s = t.fail[s]
	}
}

// links sets fail, the node of each node's longest proper suffix.
func (t *trie) links() {
	t.fail = make([]int32, len(t.parent))
	// Nodes are numbered by depth: a node's suffixes come before it.
	for n := int32(1); n < int32(len(t.parent)); n++ {
		if p := t.parent[n]; p != 0 {
			t.fail[n] = t.step(t.fail[p], t.last[n])
		}
	}
}

// scanNode is what a scan reads of a node, side by side: one cache line
// rather than one in each of five arrays. A scan steps through 20 to 30
// million characters at 10,000 evaluations, from node to node of a trie
// too large for the core's cache, and the lines it waited for were most
// of its time (a packed scan took a fifth less).
type scanNode struct {
	only int32 // see trie.only
	// onlyRune is the last character of only's node, when only > 0.
	onlyRune rune
	fail     int32
	// mark is the node's phrase if the scan reports it, else -1; out the
	// nearest node along its fail links with a mark, 0 for none.
	mark, out int32
	depth     int32
}

// outputs returns the nodes a scan reads, with what it reports: a node's
// phrase if keep holds for it.
func (t *trie) outputs(keep func(ph int32) bool) []scanNode {
	nodes := make([]scanNode, len(t.parent))
	for n := range nodes {
		o := t.only[n]
		nd := &nodes[n]
		*nd = scanNode{only: o, fail: t.fail[n], mark: -1, depth: int32(t.depth[n])}
		if o > 0 {
			nd.onlyRune = t.last[o]
		}
		if ph := t.phrase[n]; ph >= 0 && keep(ph) {
			nd.mark = ph
		}
	}
	for n := 1; n < len(nodes); n++ {
		if f := nodes[n].fail; nodes[f].mark >= 0 {
			nodes[n].out = f
		} else {
			nodes[n].out = nodes[f].out
		}
	}
	return nodes
}

// stepIn is step over nodes (see outputs).
func (t *trie) stepIn(nodes []scanNode, s int32, r rune) int32 {
	for {
		nd := &nodes[s]
		var x int32
		switch {
		case s == 0 && r < rune(len(t.uni)):
			x = t.uni[r]
		case nd.only > 0:
			if nd.onlyRune == r {
				x = nd.only
			}
		case nd.only < 0:
			x = t.child.get(s, r)
		}
		if x != 0 || s == 0 {
			return x
		}
		s = nd.fail
	}
}

// scan calls hit(phrase, tf<<1 | in title) for each phrase of t in text
// that nodes report (see outputs), whose first titleLen runes are the
// title, in no particular order, and counts the states in at (see
// states). cnt and first are scratch of len(t.phrases), zero on entry
// and on return.
func (t *trie) scan(text []rune, titleLen int, nodes []scanNode, at []int64, cnt []int32, first []int32, touched []int32, hit func(ph int32, info uint64)) []int32 {
	touched = touched[:0]
	s := int32(0)
	for q, r := range text[:min(len(text), maxPos)] {
		s = t.stepIn(nodes, s, r)
		at[s]++
		n := s
		if nodes[n].mark < 0 {
			n = nodes[n].out
		}
		for n != 0 {
			nd := &nodes[n]
			ph := nd.mark
			if cnt[ph] == 0 {
				touched = append(touched, ph)
				first[ph] = int32(q + 1 - int(nd.depth))
			}
			cnt[ph]++
			n = nd.out
		}
	}
	for _, ph := range touched {
		title := uint64(0)
		if int(first[ph]) < titleLen {
			title = 1
		}
		hit(ph, uint64(cnt[ph])<<1|title)
		cnt[ph] = 0
	}
	return touched
}

// states adds to at[s], for each position of text, 1 for the state s the
// automaton is in after reading it: see occurrences.
func (t *trie) states(text []rune, at []int64) {
	s := int32(0)
	for _, r := range text[:min(len(text), maxPos)] {
		s = t.step(s, r)
		at[s]++
	}
}

// occurrences turns at, the counts of states, into each phrase's
// occurrences. A phrase ends at a position when it is the state there or
// a node along the state's fail links, so its occurrences are the counts
// of the states under it in the tree of fail links: summed from the
// deepest nodes up, one addition per node rather than one per phrase at
// every position.
func (t *trie) occurrences(at []int64) []int64 {
	for n := len(at) - 1; n > 0; n-- {
		at[t.fail[n]] += at[n]
	}
	occ := make([]int64, len(t.phrases))
	for i, n := range t.phrases {
		occ[i] = at[n]
	}
	return occ
}

// textSource gives the normalised text of document id (see docTerms.text)
// in buf, and its title's length in runes. It is called from several
// goroutines, each with its own buf.
type textSource func(id int, buf []rune) ([]rune, int, error)

// phraseTerms returns the phrase terms of n documents whose sample is
// sample, in rune order: a term per phrase, with a list of its own or an
// alias of another's. Their lists are kept in store, by group of the
// shards they go to (see phraseSet); groups is a power of two.
//
// One pass over the texts counts every phrase's occurrences (see
// occurrences) and makes the lists of the phrases that hold one for the
// sample (see owners). A
// phrase's list is another's only if it is so in the sample, so the groups
// of phrases that share a list in all the texts split those of the sample:
// a group that holds a list made in the pass keeps it, the others' phrases
// are left out of the index (a word that is no phrase term is still found,
// by positions). Why not two passes, one to count and one to make the
// lists: each pass costs more than a second at 10,000 evaluations.
//
// The pass goes by blocks of phraseBlock documents, and a worker writes
// each block's lists to store as soon as it has scanned it: held whole
// until the last shard was written, the lists were 200 MB of a
// 100,000-evaluation build's peak.
//
// visit, if not nil, is called with each text during the pass, by worker
// w of passWorkers(n), each worker taking a range of ids in increasing
// order (its blocks, one after the other), the ranges in the order of the
// workers: the contexts (see context.go) are gathered in the same pass.
func phraseTerms(ctx context.Context, n int, sample []int32, text textSource, visit func(w int, text []rune) error, groups int, store *listStore) (*phraseSet, error) {
	set := &phraseSet{groups: groups, byGroup: make([][]int32, groups), store: store}
	if n == 0 {
		return set, nil
	}
	texts := make([][]rune, len(sample))
	for i, id := range sample {
		r, _, err := text(int(id), nil)
		if err != nil {
			return nil, err
		}
		texts[i] = r
	}
	set.sample = texts
	t, listed := phraseTrie(texts)
	set.trie, set.listed = t, listed
	np := len(t.phrases)
	if np == 0 {
		if visit == nil {
			return set, nil
		}
		return set, eachText(ctx, n, text, visit)
	}
	nodes := t.outputs(func(ph int32) bool { return listed[ph] == ph })
	// The phrases whose lists the pass makes, by group.
	scanned := make([][]int32, groups)
	for i := range np {
		if listed[i] == int32(i) {
			g := phraseHash(t.runes(t.phrases[i])) & uint32(groups-1)
			scanned[g] = append(scanned[g], int32(i))
		}
	}
	set.blocks = make([]listBlock, (n+phraseBlock-1)/phraseBlock)
	workers := min(runtime.GOMAXPROCS(0), len(set.blocks))
	// Per worker, every phrase's occurrences and documents in the
	// blocks it scanned, summed below.
	ats, dfs := make([][]int64, workers), make([][]int32, workers)
	nb := len(set.blocks)
	err := par.Each(ctx, workers, func(ctx context.Context, w int) error {
		// A phrase's list in the block being scanned; its first gap is
		// from the block's start, which group rewrites.
		type part struct {
			docs []byte
			last int32 // id of the last document, -1 for none
			df   int32
		}
		ps := make([]part, np)
		for i := range ps {
			ps[i].last = -1
		}
		at, df := make([]int64, len(t.parent)), make([]int32, np)
		cnt, first := make([]int32, np), make([]int32, np)
		var buf []rune
		var tch []int32
		var block []byte
		// Each worker a run of blocks, so that visit sees the texts as
		// it promises.
		for b := w * nb / workers; b < (w+1)*nb/workers; b++ {
			lo, hi := b*phraseBlock, min(n, (b+1)*phraseBlock)
			for id := lo; id < hi; id++ {
				if id%64 == 0 && ctx.Err() != nil {
					return ctx.Err()
				}
				r, tl, err := text(id, buf)
				if err != nil {
					return err
				}
				buf = r
				if visit != nil {
					if err := visit(w, r); err != nil {
						return err
					}
				}
				tch = t.scan(r, tl, nodes, at, cnt, first, tch, func(ph int32, info uint64) {
					x := &ps[ph]
					gap := uint64(int32(id) - x.last - 1)
					if x.last < 0 {
						gap = uint64(id - lo)
					}
					x.docs = appendUvarint(x.docs, gap)
					x.docs = appendUvarint(x.docs, info)
					x.last = int32(id)
					x.df++
				})
			}
			// The block's lists, by group, each list as uvarint phrase,
			// last id less lo, byte length, then the list.
			block = block[:0]
			off := make([]int64, groups+1)
			for g, list := range scanned {
				off[g] = int64(len(block))
				for _, ph := range list {
					x := &ps[ph]
					if x.last < 0 {
						continue
					}
					block = appendUvarint(block, uint64(ph))
					block = appendUvarint(block, uint64(int(x.last)-lo))
					block = appendUvarint(block, uint64(len(x.docs)))
					block = append(block, x.docs...)
					df[ph] += x.df
					x.docs, x.last, x.df = x.docs[:0], -1, 0
				}
			}
			off[groups] = int64(len(block))
			base, err := store.append(block)
			if err != nil {
				return err
			}
			for g := range off {
				off[g] += base
			}
			set.blocks[b] = listBlock{lo: int32(lo), off: off}
		}
		ats[w], dfs[w] = at, df
		return nil
	})
	if err != nil {
		return nil, err
	}
	at := ats[0]
	for _, a := range ats[1:] {
		for i := range a {
			at[i] += a[i]
		}
	}
	df := dfs[0]
	for _, d := range dfs[1:] {
		for i := range d {
			df[i] += d[i]
		}
	}
	set.occ = t.occurrences(at)
	holder := t.holders(listed, set.occ)
	for i, n := range t.phrases {
		h := holder[i]
		if h < 0 {
			continue
		}
		tm := term{runes: t.runes(n), df: df[h]}
		from := int32(i)
		if h != int32(i) {
			tm.alias, from = t.runes(t.phrases[h]), -1
		}
		g := phraseHash(tm.runes) & uint32(groups-1)
		set.byGroup[g] = append(set.byGroup[g], int32(len(set.terms)))
		set.terms = append(set.terms, tm)
		set.from = append(set.from, from)
	}
	return set, nil
}

// phraseTrie returns the trie of the phrases of the sample's texts and,
// per phrase, the phrase that holds its list in the sample (see owners):
// the phrases whose lists phraseTerms makes are those that hold their own.
func phraseTrie(texts [][]rune) (*trie, []int32) {
	t := newTrie(texts, max(2, (len(texts)*phraseShare+99)/100))
	if len(t.phrases) == 0 {
		return t, nil
	}
	at := make([]int64, len(t.parent))
	for _, r := range texts {
		t.states(r, at)
	}
	return t, t.owners(t.occurrences(at))
}

// holders returns, per phrase, the phrase whose list its term shares, -1
// for a phrase left out of the index: each group of phrases that share a
// list in all the texts, whose occurrences are occ, keeps the one list
// made for it (a phrase of listed that holds its own), if any.
func (t *trie) holders(listed []int32, occ []int64) []int32 {
	np := len(t.phrases)
	group := t.owners(occ)
	holder := make([]int32, np) // by group root: the phrase with the list, or -1
	for i := range holder {
		holder[i] = -1
	}
	for i := range np {
		if listed[i] == int32(i) {
			holder[group[i]] = int32(i)
		}
	}
	out := make([]int32, np)
	for i := range out {
		out[i] = holder[group[i]]
	}
	return out
}

// phraseBlock is how many documents the pass of phraseTerms scans before
// it writes their lists out: a worker holds one block's lists. Smaller
// blocks hold less and balance the workers better; each costs a few
// bytes of each list's header in the store, and a read per group.
const phraseBlock = 512

// phraseSet is the phrase terms of an index (see phraseTerms): each term's
// runes, alias and document frequency, and the document lists in store,
// a block of documents after another and, within a block, a section per
// group of shards (the phrases whose phraseHash modulo groups is the
// group's number), so that the shards of a group are written from its
// lists alone.
type phraseSet struct {
	terms []term // in rune order, without their lists
	// from is, per term, its phrase in the sections when it holds a
	// list, -1 for an alias.
	from    []int32
	groups  int
	byGroup [][]int32 // indexes into terms, by group
	store   *listStore
	blocks  []listBlock
	// sample is the sample's texts, occ every phrase's occurrences in
	// all the texts (t.phrases' order): what a patch needs (PatchState).
	sample [][]rune
	occ    []int64
	// trie and listed are phraseTrie's of the sample, which a patch of
	// the index would make again: the build keeps them for the next
	// (PatchState.EncodePhrases). Nothing changes a trie once made.
	trie   *trie
	listed []int32
}

// listBlock is where a block's lists are in the store: group g's section
// from off[g] to off[g+1]. lo is the block's first document.
type listBlock struct {
	lo  int32
	off []int64
}

// group returns the phrase terms of group g, in rune order, with their
// lists: each list joined from its pieces in the blocks, in block order.
func (ps *phraseSet) group(g int) ([]term, error) {
	terms := make([]term, len(ps.byGroup[g]))
	if len(terms) == 0 {
		return terms, nil
	}
	// The group's section of each block, and the phrase of its next
	// list, -1 at its end.
	type cursor struct {
		b  []byte
		lo int32
		ph int64
	}
	size := int64(0)
	for _, bl := range ps.blocks {
		size += bl.off[g+1] - bl.off[g]
	}
	// A list's first gap from the start of its block is never shorter
	// than its gap from the list's last document before it, and each
	// piece has a header of three values: the lists fit in size.
	data, err := ps.store.read(ps.blocks, g, size)
	if err != nil {
		return nil, err
	}
	lists := make([]byte, 0, size)
	cs := make([]cursor, len(ps.blocks))
	for i, bl := range ps.blocks {
		n := bl.off[g+1] - bl.off[g]
		cs[i] = cursor{b: data[:n], lo: bl.lo, ph: -1}
		data = data[n:]
		if len(cs[i].b) > 0 {
			ph, k := uvarint(cs[i].b)
			cs[i].b, cs[i].ph = cs[i].b[k:], int64(ph)
		}
	}
	for j, i := range ps.byGroup[g] {
		terms[j] = ps.terms[i]
		ph := int64(ps.from[i])
		if ph < 0 {
			continue
		}
		start := len(lists)
		last := int32(-1)
		for c := range cs {
			cur := &cs[c]
			if cur.ph != ph {
				continue
			}
			end, k := uvarint(cur.b)
			length, m := uvarint(cur.b[k:])
			piece := cur.b[k+m : k+m+int(length)]
			gap, q := uvarint(piece)
			id := cur.lo + int32(gap)
			lists = appendUvarint(lists, uint64(id-last-1))
			lists = append(lists, piece[q:]...)
			last = cur.lo + int32(end)
			cur.b, cur.ph = cur.b[k+m+int(length):], -1
			if len(cur.b) > 0 {
				next, k := uvarint(cur.b)
				cur.b, cur.ph = cur.b[k:], int64(next)
			}
		}
		terms[j].docs = lists[start:len(lists):len(lists)]
	}
	return terms, nil
}

// passWorkers is how many workers a pass over n texts has.
func passWorkers(n int) int { return max(1, min(runtime.GOMAXPROCS(0), n)) }

// passSpan returns the range of ids worker w of a pass over n texts
// takes.
func passSpan(n, workers, w int) (int, int) { return w * n / workers, (w + 1) * n / workers }

// eachText calls visit with each text, as phraseTerms does.
func eachText(ctx context.Context, n int, text textSource, visit func(w int, text []rune) error) error {
	workers := passWorkers(n)
	return par.Each(ctx, workers, func(ctx context.Context, w int) error {
		var buf []rune
		lo, hi := passSpan(n, workers, w)
		for id := lo; id < hi; id++ {
			if id%64 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			r, _, err := text(id, buf)
			if err != nil {
				return err
			}
			buf = r
			if err := visit(w, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// close closes the store's file, if it has one.
func (ps *phraseSet) close() error { return ps.store.close() }

// listStore holds the bytes appended to it: in memory, or in the
// temporary file f when it is set.
type listStore struct {
	mu   sync.Mutex
	f    *os.File
	mem  []byte
	size int64
}

// close closes the file, if there is one.
func (ls *listStore) close() error {
	if ls.f == nil {
		return nil
	}
	return ls.f.Close()
}

// append stores b and returns where it starts. It is safe for concurrent
// use.
func (ls *listStore) append(b []byte) (int64, error) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	off := ls.size
	if ls.f != nil {
		if _, err := ls.f.WriteAt(b, off); err != nil {
			return 0, err
		}
	} else {
		ls.mem = append(ls.mem, b...)
	}
	ls.size += int64(len(b))
	return off, nil
}

// read returns group g's sections of blocks, one after another, size
// bytes in all. It is safe for concurrent use once no more is appended.
func (ls *listStore) read(blocks []listBlock, g int, size int64) ([]byte, error) {
	out := make([]byte, 0, size)
	for _, bl := range blocks {
		lo, hi := bl.off[g], bl.off[g+1]
		if ls.f == nil {
			out = append(out, ls.mem[lo:hi]...)
			continue
		}
		n := len(out)
		out = out[:n+int(hi-lo)]
		if _, err := ls.f.ReadAt(out[n:], lo); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// readAt returns the len(buf) bytes stored at off, in buf when they are
// in a file. It is safe for concurrent use once no more is appended.
func (ls *listStore) readAt(off int64, buf []byte) ([]byte, error) {
	if ls.f == nil {
		return ls.mem[off : off+int64(len(buf))], nil
	}
	if _, err := ls.f.ReadAt(buf, off); err != nil {
		return nil, err
	}
	return buf, nil
}

// find returns the node of n-gram rs, 0 for none.
func (t *trie) find(rs []rune) int32 {
	n := int32(0)
	for _, r := range rs {
		if n = t.child.get(n, r); n == 0 {
			return 0
		}
	}
	return n
}

// owners returns, for each phrase, the phrase that holds its list: the
// first, in rune order, of those known to share it. A phrase P and its
// extension by one character Q (P+c or c+P) share their list when they
// have as many occurrences: each occurrence of Q holds one of P, at the
// same offset, so the two sets of occurrences are one, in the same
// documents, as many times, and in the title alike (no phrase holds the
// space that ends the title). Sharing is transitive: the parts of a
// template sentence all come to one list.
func (t *trie) owners(occ []int64) []int32 {
	up := make([]int32, len(t.phrases)) // union-find, each group's root its smallest
	for i := range up {
		up[i] = int32(i)
	}
	var root func(i int32) int32
	root = func(i int32) int32 {
		for up[i] != i {
			up[i] = up[up[i]]
			i = up[i]
		}
		return i
	}
	union := func(a, b int32) {
		a, b = root(a), root(b)
		if a > b {
			a, b = b, a
		}
		up[b] = a
	}
	for i, n := range t.phrases {
		if t.depth[n] <= phraseMin {
			continue
		}
		// Q = P+c, P its parent; Q = c+P, P its suffix.
		if p := t.phrase[t.parent[n]]; occ[p] == occ[i] {
			union(p, int32(i))
		}
		if s := t.find(t.runes(n)[1:]); s > 0 {
			if p := t.phrase[s]; p >= 0 && occ[p] == occ[i] {
				union(p, int32(i))
			}
		}
	}
	owner := make([]int32, len(up))
	for i := range up {
		owner[i] = root(int32(i))
	}
	return owner
}

// uvarint decodes a uvarint at the start of b, returning it and its length.
func uvarint(b []byte) (uint64, int) {
	x, s := uint64(0), uint(0)
	for i, c := range b {
		if c < 0x80 {
			return x | uint64(c)<<s, i + 1
		}
		x |= uint64(c&0x7f) << s
		s += 7
	}
	return x, len(b)
}

// phraseHash spreads phrases over shards. assets/js/search.js computes the
// same function with Math.imul; change both together.
func phraseHash(rs []rune) uint32 {
	h := uint32(len(rs))
	for _, r := range rs {
		h = (h ^ uint32(r)) * 0x9E3779B1
		h ^= h >> 15
	}
	return mixHash(h)
}
