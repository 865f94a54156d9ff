package buildcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/evalpress/evalpress/internal/search"
)

// DocsOf is EachDoc for a few entries (a patch of the search index reads
// the documents of the pages that changed as the previous build had them).
// Of a segment with chunks it reads the first chunk and those that hold
// the entries, each checked against its hash: at 100,000 evaluations the
// segments are a gigabyte, which reading whole took seconds. Of one
// without, the other documents are skipped, not decoded into a Doc, and
// the segment is checked whole all the same.
func (c *Cache) DocsOf(idx *Index, want map[string]*Entry, fn func(page string, d search.Doc)) error {
	bySeg := pagesByOrd(want)
	for _, seg := range segmentsOf(want) {
		s := idx.Segments[seg]
		var err error
		if s.Chunks != nil {
			err = c.chunkDocs(seg, s, bySeg[seg], fn)
		} else {
			err = c.wholeDocs(seg, s, bySeg[seg], fn)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// skipped is a document not wanted: gob skips the fields it lacks
// without making them.
type skipped struct{ URL string }

// wholeDocs gives the documents ords of segment name, which has no
// chunks, reading it whole.
func (c *Cache) wholeDocs(name string, s Segment, ords map[int]string, fn func(page string, d search.Doc)) error {
	return c.readSegment(name, s, eachGob(s.Count, func(i int, dec *gob.Decoder) error {
		p, ok := ords[i]
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
}

// chunkDocs gives the documents ords of segment name, reading its first
// chunk, which has the types' definitions, and the chunks of ords.
func (c *Cache) chunkDocs(name string, s Segment, ords map[int]string, fn func(page string, d search.Doc)) error {
	f, err := c.openSegment(name)
	if err != nil {
		return err
	}
	defer f.Close()
	if chunksSum(s.Chunks) != s.Sum || chunkOf(s.Count-1) != len(s.Chunks)-1 {
		return c.damaged(name)
	}
	if st, err := f.Stat(); err != nil || st.Size() != s.Chunks[len(s.Chunks)-1].End {
		return c.damaged(name)
	}
	read := func(k int) ([]byte, error) {
		start := int64(0)
		if k > 0 {
			start = s.Chunks[k-1].End
		}
		b := make([]byte, s.Chunks[k].End-start)
		if _, err := f.ReadAt(b, start); err != nil {
			return nil, err
		}
		if sha256.Sum256(b) != s.Chunks[k].Sum {
			return nil, c.damaged(name)
		}
		return b, nil
	}
	head, err := read(0)
	if err != nil {
		return err
	}
	byChunk := map[int][]int{}
	for _, i := range slices.Sorted(maps.Keys(ords)) {
		byChunk[chunkOf(i)] = append(byChunk[chunkOf(i)], i)
	}
	for _, k := range slices.Sorted(maps.Keys(byChunk)) {
		// A chunk's documents are decoded after the first chunk's, which
		// carries the types' definitions.
		var b []byte
		first := 0
		if k > 0 {
			if b, err = read(k); err != nil {
				return err
			}
			first = 1 + (k-1)*chunkDocs
		}
		dec := gob.NewDecoder(io.MultiReader(bytes.NewReader(head), bytes.NewReader(b)))
		fail := func(err error) error { return fmt.Errorf("缓存文档文件 %s 无法读取：%w", name, err) }
		if k > 0 {
			var s skipped
			if err := dec.Decode(&s); err != nil {
				return fail(err)
			}
		}
		i := first
		for _, want := range byChunk[k] {
			for ; i < want; i++ {
				var s skipped
				if err := dec.Decode(&s); err != nil {
					return fail(err)
				}
			}
			var d search.Doc
			if err := dec.Decode(&d); err != nil {
				return fail(err)
			}
			fn(ords[want], d)
			i++
		}
	}
	return nil
}
