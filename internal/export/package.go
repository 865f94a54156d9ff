package export

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"hash"
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

// YearCSV is the name of a year's file of evaluations in the data folder:
// 2023.csv.
func YearCSV(year int) string { return strconv.Itoa(year) + ".csv" }

// Create opens a file of the data folder, name relative to it, for
// writing in pieces; the file is complete when it is closed.
type Create func(name string) (io.WriteCloser, error)

// Builder writes the data package year by year, streamed: the files of
// all years (evaluations.json and the four CSV files) stay open from
// NewBuilder to Close, and each year added writes its part of them, its
// file of evaluations and its zip. Each row is made once and written to
// every file that holds it, so that nothing of the package is held in
// memory: at 100,000 evaluations its files are 400 MB.
type Builder struct {
	base     string
	create   Create
	jsonHead []byte
	// json, evals, inds, finds and funds are the files of all years, each
	// written from its head (the byte order mark and header of a CSV
	// file), counting the bytes written (for the spans of Add).
	json, evals, inds, finds, funds *counted
	// open are the files of all years, to close.
	open []io.WriteCloser
	// records is the number of evaluations added so far.
	records int
	// failed is set when a file could not be opened or written: Close
	// then only closes.
	failed bool
}

// jsonOpen and jsonClose wrap the records of evaluations.json.
const (
	jsonOpen  = `"evaluations":[`
	jsonClose = "]}\n"
)

// NewBuilder opens the files of all years through create and writes their
// heads. Close must be called, after an error too.
func NewBuilder(site content.Site, create Create) (*Builder, error) {
	head, err := jsonHead(site)
	if err != nil {
		return nil, err
	}
	b := &Builder{base: site.BaseURL, create: create, jsonHead: head}
	for _, f := range []struct {
		name string
		w    **counted
		head string
	}{
		{JSONFile, &b.json, string(head)},
		{EvaluationsCSV, &b.evals, evaluations.head},
		{IndicatorsCSV, &b.inds, indicators.head},
		{FindingsCSV, &b.finds, findings.head},
		{FundsCSV, &b.funds, funds.head},
	} {
		w, err := create(f.name)
		if err != nil {
			b.failed = true
			return b, err
		}
		b.open = append(b.open, w)
		*f.w = &counted{w: w}
		if _, err := io.WriteString(*f.w, f.head); err != nil {
			b.failed = true
			return b, fmt.Errorf("%s: %w", f.name, err)
		}
	}
	return b, nil
}

// Add adds a year's evaluations, in the order of the files, and writes the
// year's file of evaluations (2023.csv) and its zip, whose entries carry
// the date modified (a date the content gives, never the build's clock, so
// that two builds give the same bytes). The zip's entries are the year's
// parts of the files of all years, each whole with its head, in a folder
// named for the year so that the zips of several years unpack side by
// side; sorted by name.
//
// Add returns where the year's parts lie in the files of all years, for
// a later build to take them (Take).
func (b *Builder) Add(year int, evals []*score.Evaluation, modified time.Time) (parts Parts, err error) {
	defer func() {
		if err != nil {
			b.failed = true
		}
	}()
	// The parts start after the comma that joins the year's records to
	// the earlier years' in evaluations.json, which a Take writes anew.
	b.comma(len(evals))
	starts := b.offsets()
	defer func() {
		if err == nil {
			parts = b.spans(starts)
		}
	}()
	yc, err := b.create(YearCSV(year))
	if err != nil {
		return Parts{}, err
	}
	defer closeInto(yc, &err)
	yz, err := b.create(YearZip(year))
	if err != nil {
		return Parts{}, err
	}
	defer closeInto(yz, &err)
	zw := newZip(yz)
	dir := strconv.Itoa(year) + "/"
	// entry writes one entry of the zip from its head, its body written by
	// rows also to the files to, and its tail.
	entry := func(name, head, tail string, rows func(io.Writer) error, to ...io.Writer) error {
		h := &zip.FileHeader{Name: dir + name, Method: zip.Deflate, Modified: modified}
		h.SetMode(0o644)
		e, err := zw.CreateHeader(h)
		if err != nil {
			return fmt.Errorf("%s: %w", h.Name, err)
		}
		if _, err := io.WriteString(e, head); err != nil {
			return fmt.Errorf("%s: %w", h.Name, err)
		}
		if err := rows(io.MultiWriter(append([]io.Writer{e}, to...)...)); err != nil {
			return fmt.Errorf("%s: %w", h.Name, err)
		}
		if _, err := io.WriteString(e, tail); err != nil {
			return fmt.Errorf("%s: %w", h.Name, err)
		}
		return nil
	}
	if _, err := io.WriteString(yc, evaluations.head); err != nil {
		return Parts{}, err
	}
	if err := entry(EvaluationsCSV, evaluations.head, "", func(w io.Writer) error {
		r := evaluations.writer(w)
		for _, e := range evals {
			if err := r.write(evalRow{b.base, e}); err != nil {
				return err
			}
		}
		return r.flush()
	}, b.evals, yc); err != nil {
		return Parts{}, err
	}
	if err := entry(JSONFile, string(b.jsonHead), jsonClose, func(w io.Writer) error {
		return appendRecords(w, b.base, evals)
	}, b.json); err != nil {
		return Parts{}, err
	}
	rows := func(f func(io.Writer, []*score.Evaluation) error) func(io.Writer) error {
		return func(w io.Writer) error { return f(w, evals) }
	}
	if err := entry(FindingsCSV, findings.head, "", rows(findingRows), b.finds); err != nil {
		return Parts{}, err
	}
	if err := entry(FundsCSV, funds.head, "", rows(fundRows), b.funds); err != nil {
		return Parts{}, err
	}
	if err := entry(IndicatorsCSV, indicators.head, "", rows(indicatorRows), b.inds); err != nil {
		return Parts{}, err
	}
	b.records += len(evals)
	return Parts{}, zw.Close()
}

// Parts says where a year's parts lie in the files of all years
// (AllYears), in that order: the offset of each and its length.
type Parts struct {
	Off, Len [5]int64
}

// AllYears are the files of all years that each year adds a part to, in
// the order of Parts.
var AllYears = [5]string{JSONFile, EvaluationsCSV, IndicatorsCSV, FindingsCSV, FundsCSV}

// all returns the files of all years in the order of AllYears.
func (b *Builder) all() [5]*counted {
	return [5]*counted{b.json, b.evals, b.inds, b.finds, b.funds}
}

func (b *Builder) offsets() (off [5]int64) {
	for i, c := range b.all() {
		off[i] = c.n
	}
	return off
}

func (b *Builder) spans(starts [5]int64) Parts {
	p := Parts{Off: starts}
	for i, c := range b.all() {
		p.Len[i] = c.n - starts[i]
	}
	return p
}

// comma joins the records of a year of n evaluations to those of the
// years before in evaluations.json.
func (b *Builder) comma(n int) {
	if n > 0 && b.records > 0 {
		io.WriteString(b.json, ",") // an error stays in b.json
	}
}

// Take adds a year of n evaluations whose parts of the files of all years
// a previous build wrote, as Add would write them: parts reads each, in
// the order of AllYears. The year's own files (its CSV file and zip) are
// the caller's to keep. It returns where the parts now lie.
func (b *Builder) Take(n int, parts [5]io.Reader) (_ Parts, err error) {
	defer func() {
		if err != nil {
			b.failed = true
		}
	}()
	b.comma(n)
	starts := b.offsets()
	for i, c := range b.all() {
		if _, err := io.Copy(c, parts[i]); err != nil {
			return Parts{}, fmt.Errorf("%s: %w", AllYears[i], err)
		}
	}
	b.records += n
	return b.spans(starts), nil
}

// counted is a file of all years, counting the bytes written to it; its
// first error stays, and every later write returns it.
type counted struct {
	w   io.Writer
	n   int64
	err error
}

func (c *counted) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}

// Close ends evaluations.json, writes evaluations.schema.json and closes
// the files of all years. After an error of NewBuilder or Add it only
// closes what is open. A second Close does nothing.
func (b *Builder) Close() (err error) {
	if b == nil || b.open == nil {
		return nil
	}
	if !b.failed {
		_, err = io.WriteString(b.json, jsonClose)
	}
	for _, w := range b.open {
		closeInto(w, &err)
	}
	b.open = nil
	if err != nil || b.failed {
		return err
	}
	w, err := b.create(SchemaFile)
	if err != nil {
		return err
	}
	_, err = w.Write(Schema)
	closeInto(w, &err)
	return err
}

// closeInto closes c and keeps its error in *err unless *err is set.
func closeInto(c io.Closer, err *error) {
	if cerr := c.Close(); *err == nil {
		*err = cerr
	}
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

// newZip returns a zip writer to w that deflates at the fixed level.
func newZip(w io.Writer) *zip.Writer {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		f := compressors.Get().(*flate.Writer)
		f.Reset(w)
		return pooled{f}, nil
	})
	return zw
}

// Zip returns a zip of the entries, in the order given, each deflated at
// a fixed level and dated modified: the same entries give the same bytes.
func Zip(modified time.Time, entries []ZipEntry) ([]byte, error) {
	var buf bytes.Buffer
	zw := newZip(&buf)
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
	s.set(name, sha256.Sum256(data))
}

// Set records the digest of a file known without reading it (one a build
// keeps from the previous output).
func (s *Sums) Set(name string, sum [sha256.Size]byte) { s.set(name, sum) }

func (s *Sums) set(name string, sum [sha256.Size]byte) {
	if s.sums == nil {
		s.sums = map[string][sha256.Size]byte{}
	}
	if _, ok := s.sums[name]; !ok {
		s.names = append(s.names, name)
	}
	s.sums[name] = sum
}

// Writer returns w, a file being written in pieces, hashing what passes
// through: when it closes without error its digest is recorded under
// name, as Add records a file given whole.
//
// When w hashes what it writes itself (it has a Digest method, as the
// output's files do: site.Digester), its digest is taken instead.
func (s *Sums) Writer(name string, w io.WriteCloser) io.WriteCloser {
	if d, ok := w.(digester); ok {
		return &summing{s: s, name: name, w: w, d: d}
	}
	return &summing{s: s, name: name, w: w, h: sha256.New()}
}

// digester is site.Digester, which this package cannot name.
type digester interface {
	Digest() [sha256.Size]byte
}

// summing is a file of Sums.Writer.
type summing struct {
	s    *Sums
	name string
	w    io.WriteCloser
	h    hash.Hash // nil when d hashes
	d    digester
}

func (f *summing) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	if f.h != nil {
		f.h.Write(p[:n])
	}
	return n, err
}

func (f *summing) Close() error {
	if err := f.w.Close(); err != nil {
		return err
	}
	var sum [sha256.Size]byte
	if f.d != nil {
		sum = f.d.Digest()
	} else {
		f.h.Sum(sum[:0])
	}
	f.s.set(f.name, sum)
	return nil
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
