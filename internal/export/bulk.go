package export

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"os"
	"regexp"
	"slices"
	"sync"

	"github.com/evalpress/evalpress/internal/search"
)

// BulkPath is where a build asked for it (evalpress build -search-bulk)
// writes the search bulk file: beside the static index it complements.
const BulkPath = "search/bulk.ndjson"

// Bulk collects the search documents of a build into a bulk file for
// OpenSearch or Elasticsearch (newline-delimited JSON, the _bulk API's
// format: an "index" action line, then the document), so that a
// province's or the nation's search engine can load every bureau's
// published evaluations and link back to their pages. See docs/scale.md.
//
// Each document carries the same text the static index searches. Its _id
// is the page's absolute address when the site has a base URL, so that
// the files of many bureaus load into one index without collisions, and
// the page's path otherwise. The action names no index: the loader
// chooses it (POST /evaluations/_bulk).
//
// Documents arrive from the render's workers in any order and may be
// large (the narrative's whole text): Add writes each to a temporary file
// at once, keeping only its address and place, and WriteTo copies them
// out in address order, so the file is byte-identical from build to build
// and memory does not grow with the texts.
type Bulk struct {
	base string

	mu      sync.Mutex
	spill   *os.File
	size    int64
	entries []bulkEntry
	err     error
}

type bulkEntry struct {
	url       string
	off, size int64
}

// bulkDoc is one document of the bulk file. Score is the total as
// published, as a JSON number ("93.5" stays 93.5); absent without one.
type bulkDoc struct {
	URL        string      `json:"url"`
	Title      string      `json:"title"`
	Department string      `json:"department"`
	Evaluator  string      `json:"evaluator,omitempty"`
	Year       string      `json:"year"`
	Kind       string      `json:"kind"`
	Grade      string      `json:"grade,omitempty"`
	Score      json.Number `json:"score,omitempty"`
	Indicators []string    `json:"indicators,omitempty"`
	Details    []string    `json:"details,omitempty"`
	Text       string      `json:"text"`
}

// NewBulk returns an empty Bulk for a site whose base URL is base ("" when
// the site has none); its temporary file is in dir ("" for the system's).
// Close removes it.
func NewBulk(base, dir string) (*Bulk, error) {
	f, err := os.CreateTemp(dir, "evalpress-bulk-*.tmp")
	if err != nil {
		return nil, err
	}
	return &Bulk{base: base, spill: f}, nil
}

// decimalScore is what a published total looks like: a JSON number as
// written. Anything else is left out rather than written as a string.
var decimalScore = regexp.MustCompile(`^(0|[1-9][0-9]*)(\.[0-9]+)?$`)

// Add adds one document; it is safe for concurrent use. An error is kept
// for WriteTo.
func (b *Bulk) Add(d search.Doc) {
	id := d.URL
	if b.base != "" {
		id = b.base + d.URL
	}
	doc := bulkDoc{URL: id, Title: d.Title, Department: d.Department, Evaluator: d.Evaluator, Year: d.Year,
		Kind: d.Kind, Grade: d.Grade, Indicators: d.Indicators, Details: d.Details, Text: d.Text}
	if decimalScore.MatchString(d.Score) {
		doc.Score = json.Number(d.Score)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	action := map[string]map[string]string{"index": {"_id": id}}
	if err := enc.Encode(action); err != nil {
		b.fail(err)
		return
	}
	if err := enc.Encode(doc); err != nil {
		b.fail(err)
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return
	}
	if _, err := b.spill.Write(buf.Bytes()); err != nil {
		b.err = err
		return
	}
	b.entries = append(b.entries, bulkEntry{url: d.URL, off: b.size, size: int64(buf.Len())})
	b.size += int64(buf.Len())
}

func (b *Bulk) fail(err error) {
	b.mu.Lock()
	if b.err == nil {
		b.err = err
	}
	b.mu.Unlock()
}

// WriteTo writes the bulk file to w, its documents in the order of their
// addresses.
func (b *Bulk) WriteTo(w io.Writer) (int64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return 0, b.err
	}
	entries := slices.Clone(b.entries)
	slices.SortFunc(entries, func(x, y bulkEntry) int { return cmp.Compare(x.url, y.url) })
	for i := 1; i < len(entries); i++ {
		if entries[i].url == entries[i-1].url {
			return 0, errors.New("search bulk file: two documents at " + entries[i].url)
		}
	}
	var n int64
	for _, e := range entries {
		m, err := io.Copy(w, io.NewSectionReader(b.spill, e.off, e.size))
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Close removes the temporary file.
func (b *Bulk) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	err := b.spill.Close()
	if rerr := os.Remove(b.spill.Name()); err == nil {
		err = rerr
	}
	return err
}
