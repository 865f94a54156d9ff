package search

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
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

// TestShardRoundTrip: every shard read back (readShard, readBlocks) and
// encoded again by shardFiles is byte for byte the shard written, with
// its heavy bigrams' blocks taken as they are or made again from their
// positions and contexts.
func TestShardRoundTrip(t *testing.T) {
	cutSizes(t, func() { inlineDocs, heavyPos, blockBytes, contextDocs = 64, 512, 2048, 100 })
	docs := synthDocs(t, 300)
	files, st := streamIndex(t, docs)
	var heavy, heavyCtx int
	for s := range st.Shards {
		name := func(dir string) string { return fmt.Sprintf("search/%s/%d.bin", dir, s) }
		in, err := readShard(files[name("t")], files[name("l")], files[name("p")])
		if err != nil {
			t.Fatalf("shard %d: %v", s, err)
		}
		// The blocks taken as they are.
		out := encodeAll(t, in.terms, in.phrases, &contexts{light: in.light})
		sameShard(t, s, files, out, true)
		// The blocks made again.
		ctxs := &contexts{light: in.light, heavy: map[uint64]int32{}}
		terms := slices.Clone(in.terms)
		for i := range terms {
			tm := &terms[i]
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
	if heavy == 0 || heavyCtx == 0 {
		t.Errorf("%d heavy bigrams, %d with contexts: want some of each", heavy, heavyCtx)
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
// that the patch cannot make is declined before anything is written.
func TestPatch(t *testing.T) {
	cutSizes(t, func() { inlineDocs, heavyPos, blockBytes, contextDocs = 64, 512, 2048, 100 })
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
		ns, stats, err := Patch(context.Background(), st, urls, names, changes, prev, out)
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
	cur := docs
	for n, e := range edits {
		for _, k := range []int{1, 4} {
			if e.name == "emptied" && k > 1 {
				// Several heavy bigrams come down to keeping contexts:
				// declined (the other documents' are not known).
				break
			}
			changed := []int{outside[(n*7+k)%len(outside)]}
			for j := 1; j < k; j++ {
				changed = append(changed, outside[(n*7+k+j*31)%len(outside)])
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
	if _, _, err := Patch(context.Background(), st, urls[1:], nil, nil, &memPrev{files: files, next: &memFS{}}, &memFS{}); !errors.Is(err, ErrNoPatch) {
		t.Errorf("a document removed: %v, want ErrNoPatch", err)
	}
}
