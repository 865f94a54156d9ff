package search

import (
	"context"
	"runtime"
	"slices"

	"github.com/evalpress/evalpress/internal/par"
)

// Contexts let a query of three characters or more be confirmed without
// the positions of its common bigrams. Take 项目完成及时率, which no
// evaluation contains, over texts where 项目, 完成 and 及时 occur
// everywhere: its rare bigrams (目完, 成及) leave a few candidates, but
// a cover of its characters by bigrams needs 项目 for its first
// character, and 项目's positions are half a megabyte. A light bigram
// (one whose positions are small, see heavyPos) therefore also keeps, for
// each occurrence, the contextChars characters before it and after it:
// 目完 preceded by 项 and followed by 成及时 is 项目完成及时, six characters
// confirmed by the positions of one rare bigram. search.js covers a word
// with such pieces where they are cheaper than a common bigram's
// positions. With three characters each side, a light bigram anywhere in
// the middle of a word of up to eight characters confirms all of it.
//
// A light bigram's contexts are, after its positions in p/<shard>.bin
// (see Write): uvarint count of distinct characters, the characters in
// increasing order (the first as it is, each other as its distance from
// the one before), then per occurrence, in the order of the positions,
// the characters before it, nearest first, and those after it, each as
// uvarint index+1 in the table, 0 where there is none: past the start or
// end of the text, or a space between fields, and any character beyond
// it (a word has no space).
const contextChars = 3

// lightBigram says whether a bigram with pos bytes of positions keeps them,
// with contexts, in its shard's p/ file rather than in blocks.
func lightBigram(pos int) bool { return pos > 0 && pos <= heavyPos }

// contexts returns the contexts (encoded as above) of the bigrams keys, in
// increasing order, from one pass over the n documents' texts.
func contexts(ctx context.Context, n int, keys []uint64, text textSource) ([][]byte, error) {
	if n == 0 || len(keys) == 0 {
		return make([][]byte, len(keys)), nil
	}
	// filter is a bit per hash of a key, to skip the map for most
	// bigrams of a text: the common ones, which are not light.
	const filterBits = 1 << 20
	filter := make([]uint64, filterBits/64)
	hash := func(k uint64) uint64 { return (k * 0x9E3779B97F4A7C15) >> (64 - 20) }
	index := make(map[uint64]int32, len(keys))
	for i, k := range keys {
		index[k] = int32(i)
		h := hash(k)
		filter[h/64] |= 1 << (h % 64)
	}
	workers := min(runtime.GOMAXPROCS(0), n)
	span := func(w int) (int, int) { return w * n / workers, (w + 1) * n / workers }
	// Per worker and bigram, the contexts of each occurrence (see
	// appendContext), in id order and then position order.
	parts := make([][][]rune, workers)
	err := par.Each(ctx, workers, func(ctx context.Context, w int) error {
		got := make([][]rune, len(keys))
		var buf []rune
		lo, hi := span(w)
		for id := lo; id < hi; id++ {
			if id%64 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			r, _, err := text(id, buf)
			if err != nil {
				return err
			}
			buf = r
			// The bigrams tokenize indexes: both runes within maxPos.
			end := min(len(r), maxPos)
			for p := 0; p+1 < end; p++ {
				a, b := r[p], r[p+1]
				if a == ' ' || b == ' ' {
					continue
				}
				k := bigramKey(a, b)
				if h := hash(k); filter[h/64]&(1<<(h%64)) == 0 {
					continue
				}
				i, ok := index[k]
				if !ok {
					continue
				}
				got[i] = appendContext(got[i], r, p)
			}
		}
		parts[w] = got
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(keys))
	var all []rune
	for i := range keys {
		all = all[:0]
		for w := range workers {
			all = append(all, parts[w][i]...)
			parts[w][i] = nil
		}
		out[i] = encodeContexts(all)
	}
	return out, nil
}

// appendContext appends the contextChars characters before the bigram at
// p in text, nearest first, and the contextChars after it, a space for
// none (see above).
func appendContext(ctx, text []rune, p int) []rune {
	c := rune(0)
	for i := 1; i <= contextChars; i++ {
		if c != ' ' {
			c = ' '
			if p-i >= 0 {
				c = text[p-i]
			}
		}
		ctx = append(ctx, c)
	}
	c = 0
	for i := 2; i < 2+contextChars; i++ {
		if c != ' ' {
			c = ' '
			if p+i < len(text) {
				c = text[p+i]
			}
		}
		ctx = append(ctx, c)
	}
	return ctx
}

// encodeContexts encodes the contexts ctx (see appendContext) as a light
// bigram's.
func encodeContexts(ctx []rune) []byte {
	table := make([]rune, 0, 16)
	for _, r := range ctx {
		if r != ' ' {
			table = append(table, r)
		}
	}
	slices.Sort(table)
	table = slices.Compact(table)
	out := make([]byte, 0, 4*len(table)+len(ctx)+4)
	out = appendUvarint(out, uint64(len(table)))
	prev := rune(0)
	for _, r := range table {
		out = appendUvarint(out, uint64(r-prev))
		prev = r
	}
	for _, r := range ctx {
		if r == ' ' {
			out = append(out, 0)
			continue
		}
		i, _ := slices.BinarySearch(table, r)
		out = appendUvarint(out, uint64(i+1))
	}
	return out
}
