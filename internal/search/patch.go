package search

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/evalpress/evalpress/internal/par"
)

// A rebuild in which a few documents changed patches the previous index
// rather than making it again: making it reads every document's text
// (some 60 seconds at 100,000 evaluations), while a few documents touch
// the lists of their own terms only. Patch reads back the shards that hold
// a term whose entry for a changed document differs (its list, tf,
// positions or contexts), puts the documents' new entries in place of
// the old, and writes those shards again with the very encoder Write
// uses; every other file of the index is taken as it is. The files are
// then byte for byte those Write would write for the new documents.
// Within a shard written again, what the encoder would make the same is
// taken as it is too: the light bigrams' positions and contexts that do
// not change, l/ when no long list does, and the blocks of a heavy bigram
// that hold no changed document when its blocks' boundaries cannot move
// (see patchBlocks).
//
// What the files' layout depends on for all the documents must not
// change, or Patch declines (ErrNoPatch) before writing anything, and the
// index is made again: the documents and their order (their URLs); the
// phrases, chosen from a sample (a changed document may not be in it
// unless its text is the same) and grouped by their occurrences in all the
// texts (PatchState keeps those, and the groups must come out the same);
// the shard count, from the lists' total size (kept too); and whether a
// heavy bigram keeps contexts, which a patch can only know for the
// documents it reads.

// ErrNoPatch says that the index cannot be patched: it must be made again.
var ErrNoPatch = errors.New("search index: cannot patch")

// PatchState is what Patch needs of an index besides its files, which the
// build that wrote it keeps: the hash of its documents' URLs (in id
// order), their count, the shard count and the sum of the terms'
// listBytes that decided it, the sample's texts and every phrase's
// occurrences in all the texts.
type PatchState struct {
	URLs   [sha256.Size]byte
	Docs   int
	Shards int
	Total  int
	Sample []string
	Occ    []int64

	// phrases is the phrases' trie of the sample, made once (Warm).
	phrases *samplePhrases
}

// samplePhrases is the phrases' trie of a state's sample and the phrases
// that keep their own list, made once.
type samplePhrases struct {
	once   sync.Once
	trie   *trie
	listed []int32
	// source, when not nil, gives the trie's encoding by a previous
	// build (Warm), and cached is set when the trie was taken from it
	// (see phrasecache.go).
	source func() []byte
	cached bool
}

// Warm starts making the phrases' trie of the sample on a goroutine of
// its own. A patch needs it first, and it depends on nothing but the
// state: a build calls Warm as soon as it knows it will patch, and the
// patch then finds the trie made (a third of a patch's CPU at 10,000
// documents, spent on one core before the shards' work could start).
// Warm must be called before the state is shared with other goroutines.
//
// cached, when not nil, returns what EncodePhrases returned for a state
// of the same sample (nil for nothing): the trie is then taken from it
// rather than made, if it fits.
func (st *PatchState) Warm(cached func() []byte) {
	if st.phrases == nil {
		st.phrases = &samplePhrases{}
	}
	st.phrases.source = cached
	go st.trie()
}

// trie returns the phrases' trie of the sample and the phrases that keep
// their own list, made on the first call.
func (st *PatchState) trie() (*trie, []int32) {
	if st.phrases == nil {
		st.phrases = &samplePhrases{}
	}
	p := st.phrases
	p.once.Do(func() {
		if p.source != nil {
			if t, listed, err := st.decodePhrases(p.source()); err == nil {
				p.trie, p.listed, p.cached = t, listed, true
				return
			}
		}
		p.trie, p.listed = st.makeTrie()
	})
	return p.trie, p.listed
}

// makeTrie makes the phrases' trie of the sample.
func (st *PatchState) makeTrie() (*trie, []int32) {
	texts := make([][]rune, len(st.Sample))
	for i, s := range st.Sample {
		texts[i] = []rune(s)
	}
	return phraseTrie(texts)
}

// stringsSum hashes list in order, each string with its length: the URLs
// of an index's documents in id order, or a state's sample.
func stringsSum(list []string) [sha256.Size]byte {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	for _, u := range list {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(u)))])
		h.Write([]byte(u))
	}
	var s [sha256.Size]byte
	h.Sum(s[:0])
	return s
}

func newPatchState(urls []string, total, shards int, ps *phraseSet) *PatchState {
	st := &PatchState{URLs: stringsSum(urls), Docs: len(urls), Shards: shards, Total: total, Occ: ps.occ}
	for _, r := range ps.sample {
		st.Sample = append(st.Sample, string(r))
	}
	// The trie a patch of this index needs is the one just made: it is
	// the state's, to be encoded for the next build, which then need not
	// make it (the first rebuild after a full build made it, 0.24 s of
	// CPU at 100,000 evaluations).
	if ps.trie != nil {
		p := &samplePhrases{}
		p.once.Do(func() { p.trie, p.listed = ps.trie, ps.listed })
		st.phrases = p
	}
	return st
}

// Change is a document of a patch: as the index has it, and as it is now
// (the same URL).
type Change struct {
	Old, New Doc
}

// Previous is the output that holds the index to patch. Its methods are
// called from several goroutines at once.
type Previous interface {
	// Read returns a file of the index (a name as Write writes it).
	Read(name string) ([]byte, error)
	// Keep takes a file of the index into the new output as it is.
	Keep(name string) error
}

// PatchStats tells what a patch did.
type PatchStats struct {
	Shards int // shards written again
	Kept   int // files taken as they are
}

// docEntry is a document's entry in a term's list: tf<<1 | in title, and
// for a bigram its positions and their contexts.
type docEntry struct {
	info uint64
	pos  []byte
	ctx  []uint16
}

// side is a document's text and its entries by term.
type side struct {
	text    []rune
	title   int
	entries map[uint64]*docEntry
}

func sideOf(d *Doc) side {
	var dt docTerms
	tl := dt.text(d)
	dt.tokenize(dt.runes, tl)
	m := make(map[uint64]*docEntry, len(dt.keys))
	for n, k := range dt.keys {
		tf, title := dt.tf[n], uint64(0)
		if tf < 0 {
			tf, title = -tf, 1
		}
		e := &docEntry{info: uint64(tf)<<1 | title}
		if k&noRune != noRune {
			ps := dt.pos[dt.off[n] : dt.off[n]+tf]
			e.pos = appendPositions(nil, ps)
			for _, p := range ps {
				e.ctx = appendContext(e.ctx, dt.runes, int(p))
			}
		}
		m[k] = e
	}
	return side{text: dt.runes, title: tl, entries: m}
}

func sameEntry(a, b *docEntry) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.info == b.info && string(a.pos) == string(b.pos) && slices.Equal(a.ctx, b.ctx)
}

// repl is a changed document's new entry in a list, nil when it no
// longer has the term.
type repl struct {
	id int32
	e  *docEntry
}

// Patch writes to w the index of the documents at urls, the previous
// index (whose state is st, and files names, read and kept through prev)
// with changes: documents whose entries may differ. It returns the new
// index's state, or an error wrapping ErrNoPatch, having written nothing,
// when the index must be made again. The shards made wait in a temporary
// file in folder scratch beyond patchHold bytes ("": all in memory).
func Patch(ctx context.Context, st *PatchState, urls []string, names []string, changes []Change, prev Previous, w Writer, scratch string) (*PatchState, PatchStats, error) {
	var stats PatchStats
	sorted := slices.Sorted(slices.Values(urls))
	if st == nil || len(sorted) != st.Docs || stringsSum(sorted) != st.URLs {
		return nil, stats, fmt.Errorf("%w: the documents differ", ErrNoPatch)
	}
	shards := st.Shards
	inSample := map[int32]bool{}
	for _, id := range sampleOf(sorted) {
		inSample[id] = true
	}
	type changed struct {
		id       int32
		old, new side
		doc      *Doc
	}
	var chs []changed
	for i := range changes {
		c := &changes[i]
		id, ok := slices.BinarySearch(sorted, c.New.URL)
		if !ok || c.Old.URL != c.New.URL {
			return nil, stats, fmt.Errorf("%w: %s is not a document of the index", ErrNoPatch, c.New.URL)
		}
		chs = append(chs, changed{id: int32(id), old: sideOf(&c.Old), new: sideOf(&c.New), doc: &c.New})
		if inSample[int32(id)] && !slices.Equal(chs[len(chs)-1].old.text, chs[len(chs)-1].new.text) {
			return nil, stats, fmt.Errorf("%w: %s is in the phrases' sample", ErrNoPatch, c.New.URL)
		}
	}
	slices.SortFunc(chs, func(a, b changed) int { return cmp.Compare(a.id, b.id) })
	for i := 1; i < len(chs); i++ {
		if chs[i].id == chs[i-1].id {
			return nil, stats, fmt.Errorf("%w: two changes of %s", ErrNoPatch, sorted[chs[i].id])
		}
	}

	// The unigrams' and bigrams' entries that differ, by term, in id
	// order.
	repls := map[uint64][]repl{}
	for _, c := range chs {
		for k, e := range c.old.entries {
			if ne := c.new.entries[k]; !sameEntry(e, ne) {
				repls[k] = append(repls[k], repl{c.id, ne})
			}
		}
		for k, e := range c.new.entries {
			if c.old.entries[k] == nil {
				repls[k] = append(repls[k], repl{c.id, e})
			}
		}
	}
	byShard := map[int][]uint64{}
	for k := range repls {
		s := int(termHash(k) & uint32(shards-1))
		byShard[s] = append(byShard[s], k)
	}

	// The phrases: the same trie, from the same sample, and the same
	// groups with the changed documents' occurrences.
	t, listed := st.trie()
	np := len(t.phrases)
	if np != len(st.Occ) {
		return nil, stats, fmt.Errorf("%w: the phrases differ", ErrNoPatch)
	}
	occ := slices.Clone(st.Occ)
	// affected phrase terms by runes: the phrase that holds their list;
	// prepls the changed entries of each holder; dfDelta its df's change.
	affected := map[string]int32{}
	prepls := map[int32][]repl{}
	dfDelta := map[int32]int32{}
	pe := &phraseEdits{affected: affected, prepls: prepls, dfDelta: dfDelta, gone: map[string]bool{}, added: map[int][]term{}}
	if np > 0 {
		nodes := t.outputs(func(ph int32) bool { return listed[ph] == ph })
		at := make([]int64, len(t.parent))
		cnt, first := make([]int32, np), make([]int32, np)
		var tch []int32
		for _, c := range chs {
			var hits [2]map[int32]uint64
			for j, sd := range []*side{&c.old, &c.new} {
				hits[j] = map[int32]uint64{}
				tch = t.scan(sd.text, sd.title, nodes, at, cnt, first, tch, func(ph int32, info uint64) { hits[j][ph] = info })
				o := t.occurrences(at)
				clear(at)
				for i := range occ {
					if j == 0 {
						occ[i] -= o[i]
					} else {
						occ[i] += o[i]
					}
				}
			}
			for ph, info := range hits[0] {
				if ni, ok := hits[1][ph]; !ok || ni != info {
					var e *docEntry
					if ok {
						e = &docEntry{info: ni}
					} else {
						dfDelta[ph]--
					}
					prepls[ph] = append(prepls[ph], repl{c.id, e})
				}
			}
			for ph, info := range hits[1] {
				if _, ok := hits[0][ph]; !ok {
					dfDelta[ph]++
					prepls[ph] = append(prepls[ph], repl{c.id, &docEntry{info: info}})
				}
			}
		}
		for ph := range prepls {
			slices.SortFunc(prepls[ph], func(a, b repl) int { return cmp.Compare(a.id, b.id) })
		}
		// A phrase whose group changes joins a list (an alias of it) or
		// leaves it (out of the index): a list made in the pass is one
		// of a listed phrase, always its own.
		oldHold, newHold := t.holders(listed, st.Occ), t.holders(listed, occ)
		touch := func(rs []rune) {
			s := int(phraseHash(rs) & uint32(shards-1))
			if _, ok := byShard[s]; !ok {
				byShard[s] = nil
			}
		}
		for i, n := range t.phrases {
			oh, h := oldHold[i], newHold[i]
			switch {
			case oh == h && h >= 0 && prepls[h] != nil:
				rs := t.runes(n)
				affected[string(rs)] = h
				touch(rs)
			case oh == h:
			case oh >= 0 && h >= 0:
				return nil, stats, fmt.Errorf("%w: phrase %q changes its list", ErrNoPatch, string(t.runes(n)))
			case h < 0:
				rs := t.runes(n)
				pe.gone[string(rs)] = true
				touch(rs)
			default:
				rs := t.runes(n)
				df, err := phraseDF(prev, shards, t.runes(t.phrases[h]))
				if err != nil {
					return nil, stats, err
				}
				s := int(phraseHash(rs) & uint32(shards-1))
				pe.added[s] = append(pe.added[s], term{runes: rs, alias: t.runes(t.phrases[h]), df: df + dfDelta[h]})
				touch(rs)
			}
		}
	}

	// Each shard concerned, read back, patched and encoded again.
	list := slices.Sorted(func(yield func(int) bool) {
		for s := range byShard {
			if !yield(s) {
				return
			}
		}
	})
	outs := make([]patchedShard, len(list))
	held := &heldShards{dir: scratch}
	defer held.close()
	deltas := make([]int, len(list))
	var phraseSeen sync.Map
	err := par.Each(ctx, len(list), func(_ context.Context, j int) error {
		s := list[j]
		keys := byShard[s]
		slices.Sort(keys)
		out, delta, found, err := patchShard(s, st.Docs, keys, repls, pe, prev)
		if err != nil {
			return err
		}
		for _, f := range found {
			phraseSeen.Store(f, true)
		}
		held.hold(&out)
		outs[j], deltas[j] = out, delta
		return nil
	})
	if err != nil {
		return nil, stats, err
	}
	for _, m := range []map[string]int32{affected, boolKeys(pe.gone)} {
		for rs := range m {
			if _, ok := phraseSeen.Load(rs); !ok {
				return nil, stats, fmt.Errorf("%w: phrase %q not in its shard", ErrNoPatch, rs)
			}
		}
	}
	total := st.Total
	for _, d := range deltas {
		total += d
	}
	if shardsFor(total) != shards {
		return nil, stats, fmt.Errorf("%w: the shard count changes", ErrNoPatch)
	}

	// The files of the documents' metadata.
	top, err := patchTop(st, shards, chs2docs(chs, func(c changed) (int32, *Doc, int) { return c.id, c.doc, c.new.title }), prev)
	if err != nil {
		return nil, stats, err
	}

	// Nothing can fail the patch from here on but a write.
	rewritten := map[string]bool{}
	for name, data := range top {
		rewritten[name] = true
		if err := w.Write(name, data); err != nil {
			return nil, stats, err
		}
	}
	// The shards and the files kept, on several goroutines: each is a
	// system call or two, a thousand shards and tens of thousands of
	// files kept at 100,000 evaluations.
	shardOf := map[int]bool{}
	for _, s := range list {
		shardOf[s] = true
	}
	err = par.Each(ctx, len(list), func(_ context.Context, j int) error {
		if err := held.load(&outs[j]); err != nil {
			return err
		}
		err := writePatched(w, prev, list[j], outs[j])
		outs[j] = patchedShard{} // its memory free as the others are written
		return err
	})
	if err != nil {
		return nil, stats, err
	}
	var keep []string
	for _, name := range names {
		if !rewritten[name] && !shardOf[shardOfName(name)] {
			keep = append(keep, name)
		}
	}
	if err := par.All(ctx, keep, func(_ context.Context, name string) error { return prev.Keep(name) }); err != nil {
		return nil, stats, err
	}
	stats.Kept = len(keep)
	stats.Shards = len(list)
	next := *st
	next.Total, next.Occ = total, occ
	next.phrases = nil // its own, should anything patch it again
	return &next, stats, nil
}

// docChange is a changed document's id, new Doc and title length.
type docChange struct {
	id    int32
	doc   *Doc
	title int
}

func chs2docs[T any](list []T, f func(T) (int32, *Doc, int)) []docChange {
	out := make([]docChange, len(list))
	for i, c := range list {
		out[i].id, out[i].doc, out[i].title = f(c)
	}
	return out
}

// shardOfName returns the shard of a t/, l/ or p/ file's name, -1 for
// any other.
func shardOfName(name string) int {
	rest, ok := strings.CutPrefix(name, "search/")
	if !ok || len(rest) < 2 || rest[1] != '/' || !strings.Contains("tlp", rest[:1]) {
		return -1
	}
	rest, ok = strings.CutSuffix(rest[2:], ".bin")
	if !ok {
		return -1
	}
	if i := strings.IndexByte(rest, '-'); i >= 0 {
		rest = rest[:i]
	}
	s, err := strconv.Atoi(rest)
	if err != nil {
		return -1
	}
	return s
}

// patchShard reads shard s back and returns its files with the entries
// of repls (for its terms keys, in order) and of prepls (for its phrases
// in affected) in place, the change of its terms' listBytes, and the
// affected phrases it holds.
func patchShard(s, docs int, keys []uint64, repls map[uint64][]repl, pe *phraseEdits, prev Previous) (patchedShard, int, []string, error) {
	fail := func(err error) (patchedShard, int, []string, error) {
		return patchedShard{}, 0, nil, fmt.Errorf("%w: shard %d: %v", ErrNoPatch, s, err)
	}
	tb, err := prev.Read(fmt.Sprintf("search/t/%d.bin", s))
	if err != nil {
		return fail(err)
	}
	var lb, pb []byte
	r := &reader{b: tb}
	r.uvarint()
	if ll := r.uvarint(); ll > 0 {
		if lb, err = prev.Read(fmt.Sprintf("search/l/%d.bin", s)); err != nil {
			return fail(err)
		}
	}
	if pl := r.uvarint(); pl > 0 {
		if pb, err = prev.Read(fmt.Sprintf("search/p/%d.bin", s)); err != nil {
			return fail(err)
		}
	}
	in, err := readShard(tb, lb, pb)
	if err != nil {
		return fail(err)
	}
	ctxs := &contexts{light: map[uint64][]byte{}, heavy: map[uint64]int32{}}
	// A table from the pool, as shardFiles takes one.
	enc := contextEncoder{index: uniPool.Get().(*uniTable)}
	defer uniPool.Put(enc.index)
	delta := 0
	terms := in.terms
	for _, k := range keys {
		j, found := slices.BinarySearchFunc(terms, k, func(t term, k uint64) int { return cmp.Compare(t.key, k) })
		bigram := k&noRune != noRune
		var old term
		hadCtx := true
		var units []uint16
		if found {
			old = terms[j]
			if bigram && old.kept != nil {
				kept, ok, err := patchBlocks(s, &old, repls[k], &enc, prev)
				if err != nil {
					return fail(err)
				}
				if ok {
					terms[j].kept = kept
					continue
				}
			}
			delta -= listBytes(&old)
			if bigram && old.kept != nil {
				data := make([][]byte, len(old.kept))
				for b, bl := range old.kept {
					if data[b], err = prev.Read(fmt.Sprintf("search/p/%d-%d.bin", s, bl.from-1)); err != nil {
						return fail(err)
					}
				}
				if old.pos, units, err = readBlocks(&old, data); err != nil {
					return fail(err)
				}
				hadCtx = old.keptCtx
			} else if bigram {
				if old.pos, units, err = readLight(&old); err != nil {
					return fail(err)
				}
			}
		}
		nd, npos, nu, df, others := patchList(old.docs, old.pos, units, bigram, hadCtx, repls[k])
		if df == 0 {
			if found {
				terms = slices.Delete(terms, j, j+1)
				delete(ctxs.light, k)
			}
			continue
		}
		nt := term{key: k, df: df, docs: nd}
		if bigram {
			nt.pos = npos
			delete(ctxs.light, k)
			if contextBigram(len(npos), docs) {
				if !hadCtx && others {
					return fail(errors.New("a heavy bigram comes to keep contexts"))
				}
				if lightBigram(len(npos)) {
					ctxs.light[k] = enc.encode([][]uint16{nu})
				} else {
					ctxs.heavy[k] = int32(len(ctxs.mem))
					ctxs.mem = append(ctxs.mem, nu)
				}
			}
		}
		delta += listBytes(&nt)
		if found {
			terms[j] = nt
		} else {
			terms = slices.Insert(terms, j, nt)
		}
	}
	var found []string
	phrases := in.phrases[:0:0]
	for i := range in.phrases {
		ph := in.phrases[i]
		if pe.gone[string(ph.runes)] {
			found = append(found, string(ph.runes))
			continue
		}
		phrases = append(phrases, ph)
		h, ok := pe.affected[string(ph.runes)]
		if !ok {
			continue
		}
		found = append(found, string(ph.runes))
		if ph.alias != nil {
			phrases[len(phrases)-1].df += pe.dfDelta[h]
			continue
		}
		nd, _, _, df, _ := patchList(ph.docs, nil, nil, false, false, pe.prepls[h])
		phrases[len(phrases)-1].docs, phrases[len(phrases)-1].df = nd, df
	}
	for _, ph := range pe.added[s] {
		j, dup := slices.BinarySearchFunc(phrases, ph.runes, func(t term, rs []rune) int { return slices.Compare(t.runes, rs) })
		if dup {
			return fail(fmt.Errorf("phrase %q already there", string(ph.runes)))
		}
		phrases = slices.Insert(phrases, j, ph)
	}
	in.phrases = phrases
	idx := make([]int32, len(terms))
	for i := range idx {
		idx[i] = int32(i)
	}
	pidx := make([]int32, len(in.phrases))
	for i := range pidx {
		pidx[i] = int32(i)
	}
	out, err := shardFiles(terms, idx, in.phrases, pidx, ctxs)
	if err != nil {
		return fail(err)
	}
	// A file that comes out as it was is kept rather than written (a
	// change of positions only leaves l/ as it was), and is compared
	// here rather than when written: the patch holds every shard until
	// it knows it applies, and the previous files held with the new
	// ones were the largest part of a rebuild's memory.
	ps := patchedShard{shardOut: out}
	if out.l != nil && bytes.Equal(out.l, lb) {
		ps.l, ps.keepL = nil, true
	}
	if out.p != nil && bytes.Equal(out.p, pb) {
		ps.p, ps.keepP = nil, true
	}
	return ps, delta, found, nil
}

// patchedShard is a shard's files as a patch makes them; keepL and keepP
// say that its l/ or p/ file is the previous index's (its data then nil).
// A shard held in a file (see heldShards) has its data there, from at,
// and the lengths of its parts (-1 for nil) in spilled.
type patchedShard struct {
	shardOut
	keepL, keepP bool
	at           int64
	spilled      []int
}

// parts returns the files of a shard: t/, l/, p/ and its blocks.
func (ps *patchedShard) parts() []*[]byte {
	parts := []*[]byte{&ps.t, &ps.l, &ps.p}
	for i := range ps.blocks {
		parts = append(parts, &ps.blocks[i])
	}
	return parts
}

// patchHold is how many bytes of shards a patch holds in memory while it
// may still decline. A title edit shifts every position of its document
// and makes a shard of each of its terms again, but their long lists come
// out as they were and are not held; an edit that changes the lists of
// many terms (a narrative's) holds them all, the largest part of a
// rebuild's memory, which the render beside it needs too.
var patchHold = 64 << 20

// heldShards holds the shards a patch has made until it knows that it
// applies: in memory up to patchHold bytes, the others in a temporary
// file, read back one by one to be written. A folder that cannot take
// them leaves them in memory.
type heldShards struct {
	dir   string
	mu    sync.Mutex
	bytes int
	f     *os.File
	end   int64
}

// hold keeps out: as it is, or its data moved to the file.
func (h *heldShards) hold(out *patchedShard) {
	parts := out.parts()
	n := 0
	for _, p := range parts {
		n += len(*p)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.dir == "" || h.bytes+n <= patchHold {
		h.bytes += n
		return
	}
	if h.f == nil {
		f, err := os.CreateTemp(h.dir, "search-patch-*")
		if err != nil {
			h.dir = ""
			h.bytes += n
			return
		}
		h.f = f
	}
	at, lens := h.end, make([]int, len(parts))
	for i, p := range parts {
		lens[i] = len(*p)
		if *p == nil {
			lens[i] = -1
		}
		if _, err := h.f.WriteAt(*p, h.end); err != nil {
			h.dir = ""
			h.bytes += n
			return
		}
		h.end += int64(len(*p))
	}
	for _, p := range parts {
		*p = nil
	}
	out.at, out.spilled = at, lens
}

// load puts back the data of out when it is in the file.
func (h *heldShards) load(out *patchedShard) error {
	if out.spilled == nil {
		return nil
	}
	n := 0
	for _, l := range out.spilled {
		n += max(l, 0)
	}
	buf := make([]byte, n)
	if _, err := h.f.ReadAt(buf, out.at); err != nil {
		return fmt.Errorf("search index: reading back a patched shard: %w", err)
	}
	for i, p := range out.parts() {
		if l := out.spilled[i]; l >= 0 {
			*p, buf = buf[:l:l], buf[l:]
		}
	}
	out.spilled = nil
	return nil
}

// close removes the file.
func (h *heldShards) close() {
	if h.f != nil {
		h.f.Close()
		os.Remove(h.f.Name())
	}
}

// patchBlocks returns the blocks of heavy bigram tm, read back, with the
// entries of rs (in id order) in place: those holding them written
// again, the others kept as they are. It declines (false) unless each
// entry replaces one of the same tf with positions of the same length:
// the positions' total and every document's bytes in its block are then
// the same, and so are the block boundaries splitBlocks cuts, and whether
// the blocks hold contexts. Else the bigram's blocks are all made again:
// a title edit shifts every position of its document, and reading and
// cutting every block of each of its heavy bigrams was most of a patch.
func patchBlocks(s int, tm *term, rs []repl, enc *contextEncoder, prev Previous) ([]block, bool, error) {
	// Each entry replaces one of the same info (tf and title flag).
	last, q, r := int32(-1), 0, 0
	for q < len(tm.docs) && r < len(rs) {
		gap, n := uvarint(tm.docs[q:])
		q += n
		info, n := uvarint(tm.docs[q:])
		q += n
		last += 1 + int32(gap)
		switch {
		case last > rs[r].id:
			return nil, false, nil // a document added
		case last == rs[r].id:
			if e := rs[r].e; e == nil || e.info != info {
				return nil, false, nil
			}
			r++
		}
	}
	if r < len(rs) {
		return nil, false, nil
	}
	kept := slices.Clone(tm.kept)
	for len(rs) > 0 {
		// The block of rs[0] and the entries in it.
		b, _ := slices.BinarySearchFunc(kept, rs[0].id+1, func(bl block, id int32) int { return cmp.Compare(bl.first, id) })
		b--
		if b < 0 {
			return nil, false, errDamaged
		}
		n := 1
		for n < len(rs) && (b+1 == len(kept) || rs[n].id < kept[b+1].first) {
			n++
		}
		data, err := prev.Read(fmt.Sprintf("search/p/%d-%d.bin", s, kept[b].from-1))
		if err != nil {
			return nil, false, err
		}
		data, ok, err := patchBlock(data, kept[b].first, tm.keptCtx, rs[:n], enc)
		if err != nil || !ok {
			return nil, false, err
		}
		kept[b] = block{first: kept[b].first, size: len(data), data: data}
		rs = rs[n:]
	}
	return kept, true, nil
}

// patchBlock returns the data of a heavy bigram's block whose first
// document is first, with contexts when ctx, with the entries of rs in
// place; false when an entry's positions differ in length from the old.
func patchBlock(data []byte, first int32, ctx bool, rs []repl, enc *contextEncoder) ([]byte, bool, error) {
	r := &reader{b: data}
	ndocs := -1
	if ctx {
		ndocs = int(r.uvarint())
	}
	out := make([]byte, 0, len(data)+16)
	out = append(out, data[:r.i]...)
	// The section, and each replaced entry's span of occurrences, for
	// the contexts.
	var spans []ctxSpan
	last, occ := int32(-1), 0
	for d := 0; ndocs < 0 && r.i < len(data) || d < ndocs; d++ {
		head := r.i
		last += 1 + int32(r.uvarint())
		tf := int(r.uvarint())
		start := r.i
		if r.skip(tf); r.err != nil || d == 0 && last != first {
			return nil, false, errDamaged
		}
		if len(rs) > 0 && rs[0].id == last {
			e := rs[0].e
			if len(e.pos) != r.i-start {
				return nil, false, nil
			}
			out = append(out, data[head:start]...)
			out = append(out, e.pos...)
			spans = append(spans, ctxSpan{occ, occ + tf, e.ctx})
			rs = rs[1:]
		} else {
			out = append(out, data[head:r.i]...)
		}
		occ += tf
	}
	if len(rs) > 0 {
		return nil, false, errDamaged
	}
	if !ctx {
		return out, true, nil
	}
	// Mostly the entries' contexts are as they were (a title edit moves
	// the positions, not the characters around them), and so are the
	// encoded contexts: decoding and encoding the block's all was most
	// of a patched block's cost.
	rest := data[r.i:]
	if same, err := sameContexts(rest, occ, spans); err != nil {
		return nil, false, err
	} else if same {
		return append(out, rest...), true, nil
	}
	units, err := readContexts(rest, occ, make([]uint16, 0, occ*2*contextChars+16))
	if err != nil {
		return nil, false, err
	}
	nu := make([]uint16, 0, len(units)+16)
	at, u := 0, 0
	for _, sp := range spans {
		end := skipContexts(units, u, sp.from-at)
		nu = append(nu, units[u:end]...)
		nu = append(nu, sp.ctx...)
		u, at = skipContexts(units, end, sp.to-sp.from), sp.to
	}
	nu = append(nu, units[u:]...)
	return enc.appendEncoded(out, [][]uint16{nu}), true, nil
}

// ctxSpan is a document's occurrences [from, to) in a block, and their
// contexts (as appendContext makes them).
type ctxSpan struct {
	from, to int
	ctx      []uint16
}

// sameContexts says whether the contexts b encodes (see readContexts),
// of occ occurrences, are those of spans (in order) at theirs.
func sameContexts(b []byte, occ int, spans []ctxSpan) (bool, error) {
	r := &reader{b: b}
	table := readTable(r)
	var units []uint16
	at := 0
	for _, sp := range spans {
		r.skip((sp.from - at) * 2 * contextChars)
		units = decodeContexts(r, table, sp.to-sp.from, units[:0])
		if r.err != nil {
			return false, fmt.Errorf("contexts: %w", errDamaged)
		}
		if !slices.Equal(units, sp.ctx) {
			return false, nil
		}
		at = sp.to
	}
	if r.skip((occ - at) * 2 * contextChars); r.err != nil || r.i != len(b) {
		return false, fmt.Errorf("contexts: %w", errDamaged)
	}
	return true, nil
}

// phraseEdits are the changes of a patch to the phrase terms: the lists
// of the holders (by phrase) that change (prepls) and their df's change
// (dfDelta); the terms that share one (affected, by runes: the holder);
// the terms left out of the index (gone) and the aliases added, by shard.
type phraseEdits struct {
	affected map[string]int32
	prepls   map[int32][]repl
	dfDelta  map[int32]int32
	gone     map[string]bool
	added    map[int][]term
}

func boolKeys(m map[string]bool) map[string]int32 {
	out := make(map[string]int32, len(m))
	for k := range m {
		out[k] = 0
	}
	return out
}

// phraseDF returns the document frequency of phrase rs in the previous
// index.
func phraseDF(prev Previous, shards int, rs []rune) (int32, error) {
	s := int(phraseHash(rs) & uint32(shards-1))
	var files [3][]byte
	for i, dir := range []string{"t", "l", "p"} {
		b, err := prev.Read(fmt.Sprintf("search/%s/%d.bin", dir, s))
		if err != nil && i == 0 {
			return 0, fmt.Errorf("%w: %v", ErrNoPatch, err)
		}
		files[i] = b
	}
	in, err := readShard(files[0], files[1], files[2])
	if err != nil {
		return 0, fmt.Errorf("%w: shard %d: %v", ErrNoPatch, s, err)
	}
	for _, ph := range in.phrases {
		if slices.Equal(ph.runes, rs) {
			return ph.df, nil
		}
	}
	return 0, fmt.Errorf("%w: phrase %q not in its shard", ErrNoPatch, string(rs))
}

// patchList returns a term's list, positions and contexts (when ctx: the
// old ones are whole) with the entries of the documents of rs (in id
// order) in place of the old, its document frequency, and whether it
// keeps any document not in rs.
func patchList(docs, pos []byte, units []uint16, bigram, ctx bool, rs []repl) (nd, np []byte, nu []uint16, df int32, others bool) {
	nd = make([]byte, 0, len(docs)+16)
	if bigram {
		np = make([]byte, 0, len(pos)+64)
		if ctx {
			nu = make([]uint16, 0, len(units)+64)
		}
	}
	last := int32(-1)
	emit := func(id int32, info uint64, p []byte, u []uint16) {
		nd = appendUvarint(nd, uint64(id-last-1))
		nd = appendUvarint(nd, info)
		np = append(np, p...)
		if ctx {
			nu = append(nu, u...)
		}
		last = id
		df++
	}
	flush := func(upto int32) {
		for len(rs) > 0 && rs[0].id < upto {
			if e := rs[0].e; e != nil {
				emit(rs[0].id, e.info, e.pos, e.ctx)
			}
			rs = rs[1:]
		}
	}
	prev, q, pp, up := int32(-1), 0, 0, 0
	for q < len(docs) {
		gap, n := uvarint(docs[q:])
		q += n
		info, n := uvarint(docs[q:])
		q += n
		id := prev + 1 + int32(gap)
		prev = id
		var p []byte
		var u []uint16
		if bigram {
			start := pp
			pp = skip(pos, pp, info>>1)
			p = pos[start:pp]
			if ctx {
				ustart := up
				up = skipContexts(units, up, int(info>>1))
				u = units[ustart:up]
			}
		}
		flush(id)
		if len(rs) > 0 && rs[0].id == id {
			if e := rs[0].e; e != nil {
				emit(id, e.info, e.pos, e.ctx)
			}
			rs = rs[1:]
			continue
		}
		emit(id, info, p, u)
		others = true
	}
	flush(math.MaxInt32)
	return nd, np, nu, df, others
}

// writePatched writes a patched shard's files: its l/ and p/ files are
// kept when patchShard found them the same, a block taken from the
// previous index when its number is the same; the others are written.
func writePatched(w Writer, prev Previous, s int, out patchedShard) error {
	if err := w.Write(fmt.Sprintf("search/t/%d.bin", s), out.t); err != nil {
		return err
	}
	for _, f := range []struct {
		dir  string
		data []byte
		keep bool
	}{{"l", out.l, out.keepL}, {"p", out.p, out.keepP}} {
		name := fmt.Sprintf("search/%s/%d.bin", f.dir, s)
		var err error
		switch {
		case f.keep:
			err = prev.Keep(name)
		case f.data == nil:
			continue
		default:
			err = w.Write(name, f.data)
		}
		if err != nil {
			return err
		}
	}
	for j, b := range out.blocks {
		name := fmt.Sprintf("search/p/%d-%d.bin", s, j)
		switch from := out.from[j]; {
		case from == int32(j+1):
			if err := prev.Keep(name); err != nil {
				return err
			}
			continue
		case from > 0:
			var err error
			if b, err = prev.Read(fmt.Sprintf("search/p/%d-%d.bin", s, from-1)); err != nil {
				return err
			}
		}
		if err := w.Write(name, b); err != nil {
			return err
		}
	}
	return nil
}

// patchTop returns the files of the documents' metadata that changes
// touch, made from the previous ones: meta.json and facets.bin (from the
// facets' values of every document), titles.bin, scores.bin and the
// changed documents' chunks.
func patchTop(st *PatchState, shards int, chs []docChange, prev Previous) (map[string][]byte, error) {
	fail := func(err error) (map[string][]byte, error) {
		return nil, fmt.Errorf("%w: %v", ErrNoPatch, err)
	}
	read := func(name string) ([]byte, error) { return prev.Read("search/" + name) }
	mb, err := read("meta.json")
	if err != nil {
		return fail(err)
	}
	var meta Meta
	if err := json.Unmarshal(mb, &meta); err != nil {
		return fail(err)
	}
	n := st.Docs
	if meta.Version != Version || meta.Docs != n || meta.Shards != shards {
		return fail(errors.New("meta.json differs"))
	}
	fb, err := read("facets.bin")
	if err != nil {
		return fail(err)
	}
	docs := make([]Doc, n)
	ix := &Index{docs: docs}
	at := 0
	for _, f := range Facets {
		vals, width := meta.Facets[f], meta.Widths[f]
		if width != 1 && width != 2 || at+n*width > len(fb) {
			return fail(errors.New("facets.bin damaged"))
		}
		for id := range n {
			c := int(fb[at])
			if width == 2 {
				c = int(binary.LittleEndian.Uint16(fb[at:]))
			}
			at += width
			if c >= len(vals) {
				return fail(errors.New("facets.bin damaged"))
			}
			setFacet(&docs[id], f, vals[c])
		}
	}
	if at != len(fb) {
		return fail(errors.New("facets.bin damaged"))
	}
	titles, err := read("titles.bin")
	if err != nil || len(titles) != n {
		return fail(fmt.Errorf("titles.bin: %v", err))
	}
	scores, err := read("scores.bin")
	if err != nil || len(scores) != 2*n {
		return fail(fmt.Errorf("scores.bin: %v", err))
	}
	titles, scores = slices.Clone(titles), slices.Clone(scores)
	chunks := map[int][]docMeta{}
	for _, c := range chs {
		d := c.doc
		for _, f := range Facets {
			setFacet(&docs[c.id], f, ix.facetValue(d, f))
		}
		titles[c.id] = byte(min(c.title, 255))
		binary.LittleEndian.PutUint16(scores[2*c.id:], hundredths(d.Score))
		k := int(c.id) / chunkDocs
		if chunks[k] == nil {
			b, err := read(fmt.Sprintf("d/%d.json", k))
			if err != nil {
				return fail(err)
			}
			var list []docMeta
			if err := json.Unmarshal(b, &list); err != nil {
				return fail(err)
			}
			if len(list) != min(chunkDocs, n-k*chunkDocs) {
				return fail(errors.New("chunk damaged"))
			}
			chunks[k] = list
		}
		chunks[k][int(c.id)-k*chunkDocs] = docMeta{URL: d.URL, Title: d.Title, Department: d.Department, Year: d.Year,
			Grade: d.Grade, Score: d.Score, Kind: d.Kind, Text: d.Head, More: d.More}
	}
	m, facetsBin := ix.facets()
	m.Shards = shards
	mj, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{
		"search/meta.json":  append(mj, '\n'),
		"search/facets.bin": facetsBin,
		"search/titles.bin": titles,
		"search/scores.bin": scores,
	}
	for k, list := range chunks {
		out[fmt.Sprintf("search/d/%d.json", k)] = chunkJSON(list)
	}
	return out, nil
}

// setFacet sets d's value of facet f (see Index.facetValue).
func setFacet(d *Doc, f, v string) {
	switch f {
	case "year":
		d.Year = v
	case "department":
		d.Department = v
	case "grade":
		d.Grade = v
	default:
		d.Kind = v
	}
}

// Fits reports whether urls are the documents of the index st describes.
func (st *PatchState) Fits(urls []string) bool {
	return st != nil && len(urls) == st.Docs && stringsSum(slices.Sorted(slices.Values(urls))) == st.URLs
}

// SetSampleSize sets the number of documents of the phrases' sample and
// returns a function that puts it back, for the tests of other packages:
// a small site is all sample, and a patch of it declines any change of a
// text. Not safe while an index is made.
func SetSampleSize(n int) (restore func()) {
	old := sampleDocs
	sampleDocs = n
	return func() { sampleDocs = old }
}
