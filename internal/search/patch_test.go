package search

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"sync"
	"testing"
)

// streamIndex writes docs through a Stream and returns the files and the
// state a patch needs.
func streamIndex(t *testing.T, docs []Doc) (map[string][]byte, *PatchState) {
	t.Helper()
	s := NewStream(urlsOf(docs), t.TempDir(), 0)
	for _, d := range docs {
		s.Add(d)
	}
	var fs memFS
	if err := s.Write(context.Background(), &fs); err != nil {
		t.Fatal(err)
	}
	return fs.files, s.State()
}

// TestShardRoundTrip: every shard read back (readShard, readLight,
// readBlocks) and encoded again by shardFiles is byte for byte the shard
// written, with its light bigrams' positions and contexts and its heavy
// bigrams' blocks taken as they are or made again from their positions
// and contexts.
func TestShardRoundTrip(t *testing.T) {
	cutSizes(t, func() { inlineDocs, heavyPos, blockBytes, contextDocs = 64, 512, 2048, 100 })
	docs := synthDocs(t, 300)
	files, st := streamIndex(t, docs)
	var light, heavy, heavyCtx int
	for s := range st.Shards {
		name := func(dir string) string { return fmt.Sprintf("search/%s/%d.bin", dir, s) }
		in, err := readShard(files[name("t")], files[name("l")], files[name("p")])
		if err != nil {
			t.Fatalf("shard %d: %v", s, err)
		}
		// The blocks taken as they are.
		out := encodeAll(t, in.terms, in.phrases, &contexts{})
		sameShard(t, s, files, out, true)
		// The blocks made again.
		ctxs := &contexts{light: map[uint64][]byte{}, heavy: map[uint64]int32{}}
		terms := slices.Clone(in.terms)
		var enc contextEncoder
		for i := range terms {
			tm := &terms[i]
			if tm.sec != nil {
				pos, units, err := readLight(tm)
				if err != nil {
					t.Fatalf("shard %d: %v", s, err)
				}
				light++
				ctxs.light[tm.key] = enc.encode([][]uint16{units})
				tm.pos, tm.sec = pos, nil
			}
			if tm.kept == nil {
				continue
			}
			var data [][]byte
			for _, bl := range tm.kept {
				data = append(data, files[fmt.Sprintf("search/p/%d-%d.bin", s, bl.from-1)])
			}
			pos, units, err := readBlocks(tm, data)
			if err != nil {
				t.Fatalf("shard %d: %v", s, err)
			}
			heavy++
			if tm.keptCtx {
				heavyCtx++
				ctxs.heavy[tm.key] = int32(len(ctxs.mem))
				ctxs.mem = append(ctxs.mem, units)
			}
			tm.pos, tm.kept = pos, nil
		}
		sameShard(t, s, files, encodeAll(t, terms, in.phrases, ctxs), false)
	}
	if light == 0 || heavy == 0 || heavyCtx == 0 {
		t.Errorf("%d light bigrams, %d heavy, %d with contexts: want some of each", light, heavy, heavyCtx)
	}
}

func encodeAll(t *testing.T, terms, phrases []term, ctxs *contexts) shardOut {
	t.Helper()
	idx := make([]int32, len(terms))
	for i := range idx {
		idx[i] = int32(i)
	}
	pidx := make([]int32, len(phrases))
	for i := range pidx {
		pidx[i] = int32(i)
	}
	out, err := shardFiles(terms, idx, phrases, pidx, ctxs)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameShard(t *testing.T, s int, files map[string][]byte, out shardOut, kept bool) {
	t.Helper()
	for dir, b := range map[string][]byte{"t": out.t, "l": out.l, "p": out.p} {
		if want := files[fmt.Sprintf("search/%s/%d.bin", dir, s)]; string(want) != string(b) {
			t.Fatalf("shard %d: %s/ differs when read back and written again", s, dir)
		}
	}
	for j, b := range out.blocks {
		name := fmt.Sprintf("search/p/%d-%d.bin", s, j)
		if kept {
			if out.from[j] != int32(j+1) {
				t.Fatalf("%s: taken from block %d", name, out.from[j]-1)
			}
			continue
		}
		if string(files[name]) != string(b) {
			t.Fatalf("%s differs when read back and written again", name)
		}
	}
	if _, ok := files[fmt.Sprintf("search/p/%d-%d.bin", s, len(out.blocks))]; ok {
		t.Fatalf("shard %d: more blocks written than read back", s)
	}
}

// memPrev is a previous output in memory: what is kept goes to next.
type memPrev struct {
	files map[string][]byte
	next  *memFS
}

func (m *memPrev) Read(name string) ([]byte, error) {
	b, ok := m.files[name]
	if !ok {
		return nil, fmt.Errorf("no %s", name)
	}
	return b, nil
}

func (m *memPrev) Keep(name string) error { return m.next.Write(name, m.files[name]) }

// TestPatch: an index patched for changed documents (titles, narratives,
// scores, facets, a document's terms gone and new ones) has the very
// files, and state, of an index made from the new documents; a change
// that the patch cannot make is declined before anything is written. The
// shards made are held in memory and, beyond a small budget, in a
// temporary file, which the patch removes whether it applies or not.
func TestPatch(t *testing.T) {
	cutSizes(t, func() { inlineDocs, heavyPos, blockBytes, contextDocs = 64, 512, 2048, 100 })
	hold := patchHold
	patchHold = 8 << 10
	t.Cleanup(func() { patchHold = hold })
	scratch := t.TempDir()
	// More documents than the sample holds.
	docs := synthDocs(t, 1000)
	files, st := streamIndex(t, docs)
	urls := urlsOf(docs)
	sorted := slices.Sorted(slices.Values(urls))
	sample := map[string]bool{}
	for _, id := range sampleOf(sorted) {
		sample[sorted[id]] = true
	}
	var outside []int // documents not in the sample
	for i, d := range docs {
		if !sample[d.URL] {
			outside = append(outside, i)
		}
	}
	edits := []struct {
		name string
		edit func(d *Doc)
	}{
		{"title", func(d *Doc) { d.Title = "甲乙丙" + d.Title + "丁" }},
		{"narrative", func(d *Doc) { d.Text = "壬癸，" + d.Text + "戊己庚辛。" }},
		{"score", func(d *Doc) { d.Score, d.Grade = "61.5", "差" }},
		{"department", func(d *Doc) { d.Department = "潜江市新设机构" }},
		{"emptied", func(d *Doc) { d.Text, d.Details, d.Indicators = "", nil, nil }},
		// Phrases join or leave the lists they shared: 项目的 is no
		// longer always 项目的…
		{"title, a phrase's group", func(d *Doc) { d.Title = "关于" + d.Title + "的重新评价" }},
		{"narrative, a phrase's group", func(d *Doc) {
			r := []rune(d.Text)
			d.Text = string(r[:len(r)/2]) + "壬癸" + string(r[len(r)/2:])
		}},
	}
	patch := func(t *testing.T, cur []Doc, files map[string][]byte, st *PatchState, changed []int, edit func(*Doc)) ([]Doc, map[string][]byte, *PatchState, error) {
		t.Helper()
		next := slices.Clone(cur)
		var changes []Change
		for _, i := range changed {
			d := next[i]
			d.Details, d.Indicators = slices.Clone(d.Details), slices.Clone(d.Indicators)
			edit(&d)
			changes = append(changes, Change{Old: cur[i], New: d})
			next[i] = d
		}
		out := &memFS{}
		prev := &memPrev{files: files, next: out}
		names := slices.Sorted(maps.Keys(files))
		ns, stats, err := Patch(context.Background(), st, urls, names, changes, prev, out, scratch)
		if left, _ := os.ReadDir(scratch); len(left) > 0 {
			t.Fatalf("a patch left %d files in its temporary folder", len(left))
		}
		if err != nil {
			if len(out.files) > 0 {
				t.Fatalf("a declined patch wrote %d files", len(out.files))
			}
			return nil, nil, nil, err
		}
		if stats.Kept == 0 {
			t.Errorf("no file of the index taken as it is")
		}
		return next, out.files, ns, nil
	}
	// Each patch after the first takes the phrases' trie from the first's
	// encoding, as a build's cache gives it back (EncodePhrases, Warm).
	var phrases []byte
	cur := docs
	for n, e := range edits {
		for _, k := range []int{1, 4} {
			count := k
			if e.name == "emptied" && k > 1 {
				// Enough emptied documents that some heavy bigram's
				// positions come down to keeping contexts.
				count = 6
			}
			changed := []int{outside[(n*7+k)%len(outside)]}
			for j := 1; j < count; j++ {
				changed = append(changed, outside[(n*7+k+j*31)%len(outside)])
			}
			if e.name == "emptied" && k > 1 {
				// Several heavy bigrams come down to keeping contexts:
				// declined (the other documents' are not known) while
				// the shards are made, some of them held in the file.
				if _, _, _, err := patch(t, cur, files, st, changed, e.edit); !errors.Is(err, ErrNoPatch) {
					t.Fatalf("%s of %d: %v, want ErrNoPatch", e.name, count, err)
				}
				break
			}
			next, got, ns, err := patch(t, cur, files, st, changed, e.edit)
			if err != nil {
				t.Fatalf("%s of %d: %v", e.name, k, err)
			}
			want, wst := streamIndex(t, next)
			sameFiles(t, fmt.Sprintf("%s of %d documents patched", e.name, k), want, got)
			if ns.Total != wst.Total || !slices.Equal(ns.Occ, wst.Occ) || ns.Shards != wst.Shards {
				t.Fatalf("%s of %d: the patched state differs from the index made again", e.name, k)
			}
			if b, ok := st.EncodePhrases(); ok {
				phrases = b
			} else if phrases == nil || !st.phrases.cached {
				t.Fatalf("%s of %d: the phrases' trie neither made nor taken from the cache", e.name, k)
			}
			ns.Warm(func() []byte { return phrases })
			cur, files, st = next, got, ns
		}
	}
	// A document of the sample: the phrases may change.
	var in int
	for i, d := range cur {
		if sample[d.URL] {
			in = i
			break
		}
	}
	if _, _, _, err := patch(t, cur, files, st, []int{in}, edits[1].edit); !errors.Is(err, ErrNoPatch) {
		t.Errorf("a document of the sample edited: %v, want ErrNoPatch", err)
	}
	// Its score only: the texts, and so the phrases, are the same.
	if _, _, _, err := patch(t, cur, files, st, []int{in}, edits[2].edit); err != nil {
		t.Errorf("the score of a document of the sample edited: %v", err)
	}
	// Other documents than the index's.
	if _, _, err := Patch(context.Background(), st, urls[1:], nil, nil, &memPrev{files: files, next: &memFS{}}, &memFS{}, ""); !errors.Is(err, ErrNoPatch) {
		t.Errorf("a document removed: %v, want ErrNoPatch", err)
	}
}

// keepLog is a memPrev that notes the files kept.
type keepLog struct {
	*memPrev
	mu   sync.Mutex
	kept map[string]bool
}

func (k *keepLog) Keep(name string) error {
	k.mu.Lock()
	k.kept[name] = true
	k.mu.Unlock()
	return k.memPrev.Keep(name)
}

// TestPatchKeepsBlocks: the start of a narrative edited, every position
// of its narrative shifts, and each heavy bigram of the document writes
// again only the block that holds the document, keeping the others as
// they are, and a shard whose long lists are the same keeps its l/; the
// index is still byte for byte the one made again.
func TestPatchKeepsBlocks(t *testing.T) {
	cutSizes(t, func() { inlineDocs, heavyPos, blockBytes, contextDocs = 64, 512, 2048, 100 })
	docs := synthDocs(t, 1000)
	files, st := streamIndex(t, docs)
	urls := urlsOf(docs)
	sorted := slices.Sorted(slices.Values(urls))
	sample := map[int32]bool{}
	for _, id := range sampleOf(sorted) {
		sample[id] = true
	}
	var i int
	for i = range docs {
		if id, _ := slices.BinarySearch(sorted, docs[i].URL); !sample[int32(id)] {
			break
		}
	}
	id, _ := slices.BinarySearch(sorted, docs[i].URL)
	next := slices.Clone(docs)
	next[i].Text = "甲乙丙" + docs[i].Text
	out := &memFS{}
	prev := &keepLog{memPrev: &memPrev{files: files, next: out}, kept: map[string]bool{}}
	if _, _, err := Patch(context.Background(), st, urls, slices.Sorted(maps.Keys(files)), []Change{{Old: docs[i], New: next[i]}}, prev, out, ""); err != nil {
		t.Fatal(err)
	}
	want, _ := streamIndex(t, next)
	sameFiles(t, "a narrative edited", want, out.files)

	// The heavy bigrams of the document, in the index before: their
	// blocks of other documents kept, and the document's written again.
	var partly int
	for s := range st.Shards {
		name := func(dir string) string { return fmt.Sprintf("search/%s/%d.bin", dir, s) }
		in, err := readShard(files[name("t")], files[name("l")], files[name("p")])
		if err != nil {
			t.Fatal(err)
		}
		for _, tm := range in.terms {
			if len(tm.kept) < 2 || !hasDoc(tm.docs, int32(id)) {
				continue
			}
			var kept, written int
			for b, bl := range tm.kept {
				block := fmt.Sprintf("search/p/%d-%d.bin", s, bl.from-1)
				holds := bl.first <= int32(id) && (b+1 == len(tm.kept) || int32(id) < tm.kept[b+1].first)
				switch {
				case prev.kept[block] && !holds:
					kept++
				case !prev.kept[block] && holds && string(files[block]) != string(out.files[block]):
					written++
				}
			}
			if kept == len(tm.kept)-1 && written == 1 {
				partly++
			}
		}
	}
	if partly == 0 {
		t.Error("no heavy bigram of the edited document kept its other blocks")
	}
	// Positions only changed, the long lists of a shard written again
	// are as they were: l/ is kept.
	var lists int
	for s := range st.Shards {
		if !prev.kept[fmt.Sprintf("search/t/%d.bin", s)] && prev.kept[fmt.Sprintf("search/l/%d.bin", s)] {
			lists++
		}
	}
	if lists == 0 {
		t.Error("no shard written again kept its long lists")
	}
}

// hasDoc says whether a term's list holds document id.
func hasDoc(docs []byte, id int32) bool {
	last := int32(-1)
	for q := 0; q < len(docs); {
		gap, n := uvarint(docs[q:])
		q += n
		_, n = uvarint(docs[q:])
		q += n
		last += 1 + int32(gap)
		if last == id {
			return true
		}
	}
	return false
}

// TestPhrasesCache: the state of an index made whole holds the phrases'
// trie that a patch would make; encoded (EncodePhrases), it comes back
// the same for a state of the same sample, and is refused (made again)
// for another sample, and when cut or damaged anywhere.
func TestPhrasesCache(t *testing.T) {
	_, st := streamIndex(t, synthDocs(t, 300))
	if st.phrases == nil || st.phrases.trie == nil {
		t.Fatal("the index made whole does not keep its phrases' trie")
	}
	tr, listed := st.trie()
	if len(tr.phrases) == 0 {
		t.Fatal("the sample has no phrases: the test shows nothing")
	}
	if made, madeListed := st.makeTrie(); !reflect.DeepEqual(made, tr) || !slices.Equal(madeListed, listed) {
		t.Fatal("the trie the index kept differs from the one a patch makes")
	}
	b, ok := st.EncodePhrases()
	if !ok {
		t.Fatal("a trie made is not encoded")
	}
	same := *st
	same.phrases = nil
	got, gotListed, err := same.decodePhrases(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, tr) || !slices.Equal(gotListed, listed) {
		t.Error("the trie decoded differs from the one encoded")
	}
	same.Warm(func() []byte { return b })
	if gt, _ := same.trie(); !reflect.DeepEqual(gt, tr) || !same.phrases.cached {
		t.Error("Warm did not take the trie from its encoding")
	}
	if _, ok := same.EncodePhrases(); ok {
		t.Error("a trie taken from an encoding is encoded again")
	}
	other := *st
	other.phrases = nil
	other.Sample = append(slices.Clone(st.Sample[1:]), st.Sample[0])
	if _, _, err := other.decodePhrases(b); err == nil {
		t.Error("the trie of another sample is taken")
	}
	for _, n := range []int{0, 10, len(phrasesMagic) + 32, len(b) / 3, len(b) - 1} {
		if _, _, err := same.decodePhrases(b[:n]); err == nil {
			t.Errorf("an encoding cut at %d of %d bytes is taken", n, len(b))
		}
	}
	// A node number out of range (a parent, then a child's) is refused,
	// however the bytes were damaged.
	bad := *tr
	bad.parent = slices.Clone(tr.parent)
	bad.parent[len(bad.parent)-1] = int32(len(bad.parent))
	if bad.valid(listed) {
		t.Error("a parent beyond the last node passes")
	}
	bad = *tr
	bad.child.slots = slices.Clone(tr.child.slots)
	for i := range bad.child.slots {
		if bad.child.slots[i].key != 0 {
			bad.child.slots[i].val = -3
			break
		}
	}
	if bad.valid(listed) {
		t.Error("a child before the first node passes")
	}
	// Warm with nothing cached makes the trie.
	fresh := *st
	fresh.phrases = nil
	fresh.Warm(func() []byte { return nil })
	if ft, _ := fresh.trie(); !reflect.DeepEqual(ft, tr) || fresh.phrases.cached {
		t.Error("Warm with nothing cached did not make the trie")
	}
}

// TestSectionEditKeepsOthers: a document's title, department, indicators
// or details edited, the entries (tf, positions, contexts) of every term
// outside the edited section are as they were, so a patch writes again
// only the shards of the section's own terms; the narrative, where an
// edit shifts what follows it, changes the entries after it.
func TestSectionEditKeepsOthers(t *testing.T) {
	terms := func(fields ...string) map[uint64]bool {
		m := map[uint64]bool{}
		for _, f := range fields {
			for _, tok := range Tokens(f) {
				if r := []rune(tok); len(r) == 1 {
					m[unigramKey(r[0])] = true
				} else {
					m[bigramKey(r[0], r[1])] = true
				}
			}
		}
		return m
	}
	edits := []struct {
		name string
		edit func(d *Doc) []string // the edited fields, before and after
	}{
		{"title", func(d *Doc) []string { old := d.Title; d.Title += "（修订）"; return []string{old, d.Title} }},
		{"department", func(d *Doc) []string {
			old := d.Department
			d.Department = "潜江市新设机构"
			return []string{old, d.Department}
		}},
		{"evaluator", func(d *Doc) []string {
			old := d.Evaluator
			d.Evaluator += "有限公司"
			return []string{old, d.Evaluator}
		}},
		// An item of a list: the items after it in the list move too.
		{"indicator", func(d *Doc) []string {
			old := slices.Clone(d.Indicators)
			d.Indicators[0] = "资金到位及时率" + old[0]
			return append(old, d.Indicators...)
		}},
		{"detail", func(d *Doc) []string {
			old := slices.Clone(d.Details)
			d.Details[0] += "已整改到位。"
			return append(old, d.Details...)
		}},
	}
	for _, d := range synthDocs(t, 20) {
		if len(d.Indicators) == 0 || len(d.Details) == 0 {
			continue
		}
		before := sideOf(&d)
		for _, e := range edits {
			next := d
			next.Indicators, next.Details = slices.Clone(d.Indicators), slices.Clone(d.Details)
			own := terms(e.edit(&next)...)
			after := sideOf(&next)
			for k, be := range before.entries {
				if !own[k] && !sameEntry(be, after.entries[k]) {
					t.Fatalf("%s: %s edited, the entry of term %#x changed", d.URL, e.name, k)
				}
			}
		}
		// The narrative's start edited: its terms' positions move.
		next := d
		next.Text = "壬癸，" + d.Text
		after := sideOf(&next)
		moved := 0
		for k, be := range before.entries {
			if !sameEntry(be, after.entries[k]) {
				moved++
			}
		}
		if moved < len(before.entries)/2 {
			t.Errorf("%s: the narrative's start edited moved %d of %d entries, want most", d.URL, moved, len(before.entries))
		}
	}
}
