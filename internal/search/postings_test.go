package search

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// refTerm is what a postings buffer should hold for a term, kept the
// plain way.
type refTerm struct {
	b        []byte
	n, max   int32
	unsorted bool
}

// collidingKeys returns n keys that all hash to the same slot of a table
// of 1024 (the size a buffer starts with), so that they probe past each
// other.
func collidingKeys(n int) []uint64 {
	var keys []uint64
	want := -1
	for k := uint64(1); len(keys) < n; k++ {
		h := int((k * 0x9E3779B97F4A7C15) >> (64 - 10))
		if want < 0 {
			want = h
		}
		if h == want {
			keys = append(keys, k)
		}
	}
	return keys
}

// fill adds random entries to p and ref: some keys that collide, many
// more than the table starts with (so that it grows several times), ids
// mostly increasing with some out of order, and positions lists from
// none to longer than a chunk (so that an entry spans chunks).
func fill(t *testing.T, p *postings, ref map[uint64]*refTerm, rng *rand.Rand, docs int) {
	t.Helper()
	keys := collidingKeys(40)
	for i := range 5000 {
		keys = append(keys, bigramKey(rune(0x4e00+i), rune(0x4e00+i%97)), unigramKey(rune(0x4e00+i)))
	}
	for id := range int32(docs) {
		if rng.IntN(10) == 0 {
			id = rng.Int32N(id + 1) // out of order
		}
		for range 200 {
			k := keys[rng.IntN(len(keys))]
			if rng.IntN(4) == 0 {
				k = keys[rng.IntN(40)] // a colliding key: many entries, many chunks
			}
			bigram := k&noRune != noRune
			var pos []uint32
			tf := 1 + rng.IntN(3)
			if bigram {
				if rng.IntN(50) == 0 {
					tf = 300 + rng.IntN(600) // longer than a chunk
				}
				q := uint32(rng.IntN(1000))
				for range tf {
					q += 1 + uint32(rng.IntN(5000))
					pos = append(pos, q)
				}
			}
			info := uint64(tf)<<1 | uint64(rng.IntN(2))
			r := ref[k]
			if r == nil {
				r = &refTerm{}
				ref[k] = r
			}
			if r.n > 0 && id < r.max {
				r.unsorted = true
			}
			r.max = max(r.max, id)
			r.n++
			r.b = appendUvarint(r.b, uint64(id))
			r.b = appendUvarint(r.b, info)
			if bigram {
				r.b = appendPositions(r.b, pos)
			}
			p.add(p.term(k), id, info, pos, bigram)
		}
	}
}

// check compares p with ref, term by term, through each and appendTo,
// and the keys' order.
func check(t *testing.T, p *postings, ref map[uint64]*refTerm) {
	t.Helper()
	if len(p.terms) != len(ref) {
		t.Fatalf("%d terms, want %d", len(p.terms), len(ref))
	}
	keys := p.sortedKeys()
	for i, k := range keys {
		if i > 0 {
			a, b := keys[i-1], k
			if pa, pb := partition(a), partition(b); pa > pb || pa == pb && a >= b {
				t.Fatalf("keys %x, %x out of order", a, b)
			}
		}
		r, tb := ref[k], p.find(k)
		if r == nil || tb == nil {
			t.Fatalf("term %x: in the buffer %v, in the reference %v", k, tb != nil, r != nil)
		}
		if tb.n != r.n || tb.max != r.max || tb.unsorted != r.unsorted || int(tb.size) != len(r.b) {
			t.Fatalf("term %x: n %d max %d unsorted %v size %d, want %d %d %v %d",
				k, tb.n, tb.max, tb.unsorted, tb.size, r.n, r.max, r.unsorted, len(r.b))
		}
		if got := p.appendTo([]byte("x"), tb); !bytes.Equal(got[1:], r.b) || got[0] != 'x' {
			t.Fatalf("term %x: entries differ", k)
		}
		var pieces []byte
		p.each(tb, func(b []byte) { pieces = append(pieces, b...) })
		if !bytes.Equal(pieces, r.b) {
			t.Fatalf("term %x: entries differ piece by piece", k)
		}
	}
	if p.find(unigramKey(0x10ffff)) != nil {
		t.Fatal("found a term never added")
	}
}

// TestPostings: a stripe's buffer gives back each term's entries as they
// were added, through the table's growth, colliding keys, entries that
// span chunks and terms of many chunks over several blocks; and once
// reset it holds the next run's entries only, in the blocks it kept.
func TestPostings(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	p := newPostings()
	for round := range 3 {
		ref := map[uint64]*refTerm{}
		fill(t, p, ref, rng, 300)
		if len(p.slots) <= 1024 || len(p.arena.blocks) < 4 {
			t.Fatalf("round %d: %d slots, %d blocks: want a test of growth", round, len(p.slots), len(p.arena.blocks))
		}
		check(t, p, ref)
		held := p.held()
		if held < p.arena.used || held > len(p.arena.blocks)*blockSize+len(p.terms)*termSize {
			t.Fatalf("round %d: holds %d bytes in %d blocks", round, held, len(p.arena.blocks))
		}
		blocks := len(p.arena.blocks)
		p.reset()
		if p.held() != 0 || p.find(collidingKeys(1)[0]) != nil {
			t.Fatalf("round %d: reset keeps terms", round)
		}
		if round > 0 && len(p.arena.blocks) != blocks {
			t.Fatalf("round %d: reset dropped blocks", round)
		}
	}
}

// TestPostingsFull: an arena that runs short of addresses says so while
// it still has room for a document, and a Stream then spills whatever
// its bound, to write the same files.
func TestPostingsFull(t *testing.T) {
	defer func(n int) { maxBlocks = n }(maxBlocks)
	maxBlocks = 4
	p := newPostings()
	rng := rand.New(rand.NewPCG(3, 4))
	ref := map[uint64]*refTerm{}
	for !p.full() {
		fill(t, p, ref, rng, 1)
	}
	if p.arena.block >= maxBlocks {
		t.Fatalf("full at block %d of %d", p.arena.block, maxBlocks)
	}
	check(t, p, ref)

	docs := synthDocs(t, 200)
	want, order := builderFiles(t, docs), inOrder(len(docs))
	got, runs := streamFiles(t, docs, order, 0)
	if runs < stripes {
		t.Errorf("%d runs, want every stripe to spill without a bound", runs)
	}
	sameFiles(t, "stream", want, got)
}
