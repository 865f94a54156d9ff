package buildcache

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/search"
)

// segmentOf writes a segment of n documents to a new cache and returns
// the cache and an index that holds it.
func segmentOf(t *testing.T, n int) (*Cache, *Index, string) {
	t.Helper()
	c, err := Open(filepath.Join(t.TempDir(), "cache"), "")
	if err != nil {
		t.Fatal(err)
	}
	w, err := c.NewSegment()
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := w.Add(docNo(i)); err != nil {
			t.Fatal(err)
		}
	}
	s, err := w.Close()
	if err != nil {
		t.Fatal(err)
	}
	return c, &Index{Segments: map[string]Segment{w.Name(): s}}, w.Name()
}

func docNo(i int) search.Doc {
	return search.Doc{URL: fmt.Sprintf("2023/e%d/", i), Title: fmt.Sprintf("评价%d", i), Text: strings.Repeat("项目资金", i%7),
		Indicators: []string{"产出", fmt.Sprint(i)}}
}

// docsOf returns the titles DocsOf gives for the documents ords of seg.
func docsOf(c *Cache, idx *Index, seg string, ords ...int) (map[string]string, error) {
	want := map[string]*Entry{}
	for _, o := range ords {
		want[fmt.Sprint(o)] = &Entry{Seg: seg, Ord: o}
	}
	got := map[string]string{}
	err := c.DocsOf(idx, want, func(page string, d search.Doc) {
		if o, _ := strconv.Atoi(page); d.URL != docNo(o).URL {
			got[page] = "the document of " + d.URL
			return
		}
		got[page] = d.Title
	})
	return got, err
}

func TestDocsOfReadsTheWantedChunks(t *testing.T) {
	c, idx, seg := segmentOf(t, 200)
	if n := len(idx.Segments[seg].Chunks); n != 5 {
		t.Fatalf("200 documents in %d chunks, want 5 (the first alone, then 64 each)", n)
	}
	ords := []int{0, 1, 63, 64, 65, 130, 131, 199}
	got, err := docsOf(c, idx, seg, ords...)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range ords {
		if want := docNo(o).Title; got[fmt.Sprint(o)] != want {
			t.Errorf("document %d: got %q, want %q", o, got[fmt.Sprint(o)], want)
		}
	}
	if len(got) != len(ords) {
		t.Errorf("got %d documents, want %d", len(got), len(ords))
	}
	// The whole read checks the chunks too.
	if err := c.Check(idx, map[string]*Entry{"x": {Seg: seg}}); err != nil {
		t.Errorf("Check: %v", err)
	}
	n := 0
	if err := c.EachDoc(idx, map[string]*Entry{"x": {Seg: seg, Ord: 7}}, func(string, search.Doc) { n++ }); err != nil || n != 1 {
		t.Errorf("EachDoc: %d documents, %v", n, err)
	}
}

func TestDocsOfDetectsDamage(t *testing.T) {
	for _, tc := range []struct {
		name string
		ord  int // the document read
		at   func(s Segment) int64
	}{
		{"in the wanted document's chunk", 100, func(s Segment) int64 { return s.Chunks[2].End - 5 }},
		{"in the first chunk", 100, func(s Segment) int64 { return 3 }},
		{"the first document's", 0, func(s Segment) int64 { return s.Chunks[0].End - 2 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, idx, seg := segmentOf(t, 150)
			path := filepath.Join(c.Dir(), seg)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			b[tc.at(idx.Segments[seg])] ^= 0x20
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err = docsOf(c, idx, seg, tc.ord)
			if err == nil || !strings.Contains(err.Error(), "已损坏") {
				t.Fatalf("DocsOf of a damaged segment: %v, want an error that says it is damaged", err)
			}
			if _, err := os.Stat(path); err == nil {
				t.Error("the damaged segment is still there: the next build's Check would pass it")
			}
		})
	}
	t.Run("a byte appended", func(t *testing.T) {
		c, idx, seg := segmentOf(t, 10)
		f, err := os.OpenFile(filepath.Join(c.Dir(), seg), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte{0})
		f.Close()
		if _, err := docsOf(c, idx, seg, 3); err == nil {
			t.Error("DocsOf of a segment grown by a byte: no error")
		}
		if err := c.Check(idx, map[string]*Entry{"x": {Seg: seg}}); err == nil {
			t.Error("Check of a segment grown by a byte: no error")
		}
	})
}

// A segment of a build before chunks is read whole, as it was.
func TestDocsOfWholeSegment(t *testing.T) {
	c, idx, seg := segmentOf(t, 100)
	b, err := os.ReadFile(filepath.Join(c.Dir(), seg))
	if err != nil {
		t.Fatal(err)
	}
	idx.Segments[seg] = Segment{Sum: sha256.Sum256(b), Count: 100}
	got, err := docsOf(c, idx, seg, 5, 99)
	if err != nil {
		t.Fatal(err)
	}
	if got["5"] != docNo(5).Title || got["99"] != docNo(99).Title {
		t.Errorf("got %v", got)
	}
	b[len(b)-3] ^= 1
	os.WriteFile(filepath.Join(c.Dir(), seg), b, 0o644)
	if _, err := docsOf(c, idx, seg, 5); err == nil {
		t.Error("DocsOf of a damaged segment without chunks: no error")
	}
}
