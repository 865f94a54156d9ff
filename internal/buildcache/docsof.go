package buildcache

import (
	"encoding/gob"

	"github.com/evalpress/evalpress/internal/search"
)

// DocsOf is EachDoc for a few entries (a patch of the search index reads
// the documents of the pages that changed as the previous build had them):
// the other documents of their segments are skipped, not decoded into a
// Doc, and a segment is checked whole against its hash all the same.
func (c *Cache) DocsOf(idx *Index, want map[string]*Entry, fn func(page string, d search.Doc)) error {
	bySeg := map[string]map[int]string{}
	for p, e := range want {
		if bySeg[e.Seg] == nil {
			bySeg[e.Seg] = map[int]string{}
		}
		bySeg[e.Seg][e.Ord] = p
	}
	// skipped is a document not wanted: gob skips the fields it lacks
	// without making them.
	type skipped struct{ URL string }
	for _, seg := range segmentsOf(want) {
		s := idx.Segments[seg]
		err := c.readSegment(seg, s, eachGob(s.Count, func(i int, dec *gob.Decoder) error {
			p, ok := bySeg[seg][i]
			if !ok {
				var s skipped
				return dec.Decode(&s)
			}
			var d search.Doc
			if err := dec.Decode(&d); err != nil {
				return err
			}
			fn(p, d)
			return nil
		}))
		if err != nil {
			return err
		}
	}
	return nil
}
