package export

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/score"
)

// Schema is the JSON Schema (draft 2020-12) of evaluations.json, published
// beside it as evaluations.schema.json. It is written by hand, strict
// (required fields, types, allowed codes, no unknown field), and the tests
// validate the output of the fixtures against it.
//
//go:embed evaluations.schema.json
var Schema []byte

// Names of the files of the data package, relative to the data folder.
const (
	JSONFile       = "evaluations.json"
	SchemaFile     = "evaluations.schema.json"
	EvaluationsCSV = "evaluations.csv"
	IndicatorsCSV  = "indicators.csv"
	FindingsCSV    = "findings.csv"
	FundsCSV       = "funds.csv"
	SumsFile       = "SHA256SUMS"
)

// YearZip is the name of a year's zip in the data folder: 2023.zip.
func YearZip(year int) string { return strconv.Itoa(year) + ".zip" }

// File is one file of the data package: its name relative to the data
// folder and its bytes.
type File struct {
	Name string
	Data []byte
}

// Builder builds the data package year by year: the files of all years
// (evaluations.json and the four CSV files) and, as each year is added,
// that year's zip. Each row is made once: the files of all years are the
// years' parts written one after the other into one buffer per file,
// which starts with the file's head and is handed out as it is, and a
// year's zip is written from the same bytes.
type Builder struct {
	base     string
	jsonHead []byte
	json     bytes.Buffer
	// evals, inds, finds and funds hold the CSV files of evaluations,
	// indicators, findings and funds, each from its byte order mark and
	// header.
	evals, inds, finds, funds bytes.Buffer
	// n is the number of evaluations expected in all, records the number
	// added so far.
	n, records int
}

// jsonOpen and jsonClose wrap the records of evaluations.json.
const (
	jsonOpen  = `"evaluations":[`
	jsonClose = "]}\n"
)

// NewBuilder returns a builder for a site with about n evaluations, a
// hint to size its buffers once.
func NewBuilder(site content.Site, n int) (*Builder, error) {
	head, err := json.Marshal(Data{Version: Version, Title: site.Title, Organization: site.Organization, URL: site.BaseURL})
	if err != nil {
		return nil, err
	}
	b := &Builder{base: site.BaseURL, n: n, jsonHead: append(bytes.TrimSuffix(head, []byte(`"evaluations":null}`)), jsonOpen...)}
	b.json.Grow(len(b.jsonHead) + n*jsonPerRecord)
	b.json.Write(b.jsonHead)
	b.evals.Grow(len(evaluations.head) + n*csvPerRecord)
	b.evals.WriteString(evaluations.head)
	b.inds.WriteString(indicators.head)
	b.finds.WriteString(findings.head)
	b.funds.WriteString(funds.head)
	return b, nil
}

// csvPerRecord is about the size of one row of evaluations.csv, to size
// its buffer once.
const csvPerRecord = 400

// Add adds a year's evaluations, in the order of the files. It returns
// the year's file of evaluations (data/2023.csv) and its zip, whose
// entries carry the date modified (a date the content gives, never the
// build's clock, so that two builds give the same bytes).
func (b *Builder) Add(year int, evals []*score.Evaluation, modified time.Time) (yearCSV, yearZip []byte, err error) {
	je, ee, ie, fe, ue := b.json.Len(), b.evals.Len(), b.inds.Len(), b.finds.Len(), b.funds.Len()
	if len(evals) > 0 && b.records > 0 {
		b.json.WriteByte(',')
		je++
	}
	if err := appendRecords(&b.json, b.base, evals); err != nil {
		return nil, nil, err
	}
	w := evaluations.writer(&b.evals)
	for _, e := range evals {
		if err := w.write(evalRow{b.base, e}); err != nil {
			return nil, nil, err
		}
	}
	if err := w.flush(); err != nil {
		return nil, nil, err
	}
	if err := indicatorRows(&b.inds, evals); err != nil {
		return nil, nil, err
	}
	if err := findingRows(&b.finds, evals); err != nil {
		return nil, nil, err
	}
	if err := fundRows(&b.funds, evals); err != nil {
		return nil, nil, err
	}
	if b.records == 0 && len(evals) > 0 {
		// The rows of indicators, findings and funds per evaluation vary
		// from site to site: the first year tells, and the buffers grow
		// once to the whole site's size instead of doubling (and copying)
		// their way there.
		for _, x := range []*bytes.Buffer{&b.inds, &b.finds, &b.funds} {
			x.Grow(x.Len() * (b.n - len(evals)) / len(evals) * 11 / 10)
		}
	}
	b.records += len(evals)
	part := func(buf *bytes.Buffer, from int) []byte { return buf.Bytes()[from:] }
	yearCSV = join([]byte(evaluations.head), part(&b.evals, ee))
	// Entries in a folder named for the year, so that the zips of several
	// years unpack side by side; sorted by name.
	dir := strconv.Itoa(year) + "/"
	yearZip, err = Zip(modified, []ZipEntry{
		{dir + EvaluationsCSV, [][]byte{yearCSV}},
		{dir + JSONFile, [][]byte{b.jsonHead, part(&b.json, je), []byte(jsonClose)}},
		{dir + FindingsCSV, [][]byte{[]byte(findings.head), part(&b.finds, fe)}},
		{dir + FundsCSV, [][]byte{[]byte(funds.head), part(&b.funds, ue)}},
		{dir + IndicatorsCSV, [][]byte{[]byte(indicators.head), part(&b.inds, ie)}},
	})
	return yearCSV, yearZip, err
}

// Files returns the files of all years added, sorted by name:
// evaluations.csv, evaluations.json, evaluations.schema.json,
// findings.csv, funds.csv and indicators.csv. The builder is done then.
func (b *Builder) Files() []File {
	b.json.WriteString(jsonClose)
	return []File{
		{EvaluationsCSV, b.evals.Bytes()},
		{JSONFile, b.json.Bytes()},
		{SchemaFile, Schema},
		{FindingsCSV, b.finds.Bytes()},
		{FundsCSV, b.funds.Bytes()},
		{IndicatorsCSV, b.inds.Bytes()},
	}
}

// join returns the parts as one new slice.
func join(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// ZipEntry is one file of a zip, given as parts that are written one
// after the other.
type ZipEntry struct {
	Name  string
	Parts [][]byte
}

// zipLevel is the compression of the zips. A fixed level keeps the bytes
// the same from build to build; the fastest one, since the zips of a large
// site hold tens of megabytes of text and the fastest level costs a
// fraction of the others' time for files a few per cent larger.
const zipLevel = flate.BestSpeed

// compressors keeps flate writers between entries and zips: each holds
// buffers of hundreds of kilobytes.
var compressors = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, zipLevel) // a valid level: no error
	return w
}}

// pooled returns a compressor to the pool when the zip closes it.
type pooled struct{ *flate.Writer }

func (p pooled) Close() error {
	err := p.Writer.Close()
	compressors.Put(p.Writer)
	return err
}

// Zip returns a zip of the entries, in the order given, each deflated at
// a fixed level and dated modified: the same entries give the same bytes.
func Zip(modified time.Time, entries []ZipEntry) ([]byte, error) {
	n := 0
	for _, e := range entries {
		for _, p := range e.Parts {
			n += len(p)
		}
	}
	var buf bytes.Buffer
	buf.Grow(n/3 + 1024)
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		f := compressors.Get().(*flate.Writer)
		f.Reset(w)
		return pooled{f}, nil
	})
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.Name, Method: zip.Deflate, Modified: modified}
		h.SetMode(0o644)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name, err)
		}
		for _, p := range e.Parts {
			if _, err := w.Write(p); err != nil {
				return nil, fmt.Errorf("%s: %w", e.Name, err)
			}
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Sums collects the SHA-256 digests of the files of the data folder for
// SHA256SUMS. It is not safe for concurrent use.
type Sums struct {
	names []string
	sums  map[string][sha256.Size]byte
}

// Add records the digest of a file; name is relative to the data folder.
// A file added twice keeps its last digest.
func (s *Sums) Add(name string, data []byte) {
	if s.sums == nil {
		s.sums = map[string][sha256.Size]byte{}
	}
	if _, ok := s.sums[name]; !ok {
		s.names = append(s.names, name)
	}
	s.sums[name] = sha256.Sum256(data)
}

// File returns SHA256SUMS: a line per file, sorted by name, in the form
// `sha256sum -c SHA256SUMS` reads (the digest in hex, two spaces, the
// name), with LF line ends, as sha256sum writes them.
func (s *Sums) File() []byte {
	names := slices.Clone(s.names)
	slices.Sort(names)
	var b bytes.Buffer
	b.Grow(len(names) * (sha256.Size*2 + 32))
	for _, name := range names {
		sum := s.sums[name]
		b.WriteString(hex.EncodeToString(sum[:]))
		b.WriteString("  ")
		b.WriteString(name)
		b.WriteByte('\n')
	}
	return b.Bytes()
}
