package search

import (
	"context"
	"slices"
	"strings"

	"github.com/evalpress/evalpress/internal/par"
)

// Words returns the words of a query: its normalised text split at spaces,
// without repeats, in order of first appearance.
func Words(q string) []string {
	var out []string
	for _, w := range strings.Split(Normalize(q), " ") {
		if w != "" && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// Search returns, in increasing order, the ids of the documents that
// contain every word of q as a substring of their normalised text and whose
// facets equal every value in filters (keys from Facets; an empty value is
// no filter). An empty query matches every document.
//
// It is the reference for search.js: it scans every text instead of using
// the postings, so it is slow, and the texts it normalises on first use
// stay in memory. Use it in tests.
func (ix *Index) Search(q string, filters map[string]string) []int {
	ix.textsOnce.Do(ix.normaliseAll)
	words := Words(q)
	var out []int
	for i := range ix.docs {
		if ix.accepts(i, words, filters) {
			out = append(out, i)
		}
	}
	return out
}

func (ix *Index) accepts(i int, words []string, filters map[string]string) bool {
	for f, v := range filters {
		if v != "" && ix.facetValue(&ix.docs[i], f) != v {
			return false
		}
	}
	for _, w := range words {
		if !strings.Contains(ix.texts[i], w) {
			return false
		}
	}
	return true
}

func (ix *Index) normaliseAll() {
	ix.texts = make([]string, len(ix.docs))
	_ = par.Each(context.Background(), len(ix.docs), func(_ context.Context, i int) error {
		ix.texts[i], _ = docText(&ix.docs[i])
		return nil
	})
}

// Tokens returns the terms of s as the index makes them: for each position
// of Normalize(s), the character, then the pair it starts with the next
// character, leaving out anything with a space.
func Tokens(s string) []string {
	var out []string
	r := []rune(Normalize(s))
	for i, c := range r {
		if c == ' ' {
			continue
		}
		out = append(out, string(c))
		if i+1 < len(r) && r[i+1] != ' ' {
			out = append(out, string(r[i:i+2]))
		}
	}
	return out
}
