package export

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	_ "embed"
	"encoding"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
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

// NewBuilder opens the files of all years through create; their heads
// are written with what follows them (see counted). Close must be
// called, after an error too.
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
		*f.w = &counted{w: w, lazy: true}
		(*f.w).hold(f.head)
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
// The evaluations are made in chunks of ChunkSize, and each entry of the
// zip is deflated chunk by chunk, each chunk on its own (see deflated), so
// that a later build can take a chunk whose evaluations have not changed
// from this build's files, deflated bytes and all, through reuse (nil:
// none). At 100,000 evaluations, making the rows of a year again and
// deflating them was most of the open data's part of a rebuild after one
// edit.
//
// Add returns where the year's parts and chunks lie in the files of all
// years and in the zip, for a later build to take them (Take, Reuse).
func (b *Builder) Add(year int, evals []*score.Evaluation, modified time.Time, reuse Reuse) (parts Parts, err error) {
	defer func() {
		if err != nil {
			b.failed = true
		}
	}()
	// The parts start after the comma that joins the year's records to
	// the earlier years' in evaluations.json, which a Take writes anew.
	b.comma(len(evals))
	starts := b.offsets()
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
	if _, err := io.WriteString(yc, evaluations.head); err != nil {
		return Parts{}, err
	}
	all := b.all()
	heads := [5]string{string(b.jsonHead), evaluations.head, indicators.head, findings.head, funds.head}
	tails := [5]string{jsonClose, "", "", "", ""}
	var entries [5]zipEntry
	for i := range entries {
		entries[i].crc = crc32.NewIEEE()
		n, err := entries[i].chunk([]byte(heads[i]), nil)
		if err != nil {
			return Parts{}, err
		}
		entries[i].headLen = n
	}
	var plain bytes.Buffer
	for j := 0; j*ChunkSize < len(evals); j++ {
		chunk := evals[j*ChunkSize : min(len(evals), (j+1)*ChunkSize)]
		var fromPlain, fromPacked [5]io.Reader
		taken := false
		if reuse != nil {
			fromPlain, fromPacked, taken = reuse.Chunk(j, chunk)
		}
		var c Chunk
		for i := range all {
			plain.Reset()
			var packed io.Reader
			if taken {
				_, err = plain.ReadFrom(fromPlain[i])
				packed = fromPacked[i]
			} else {
				err = b.rows(i, &plain, j, chunk)
			}
			if err != nil {
				return Parts{}, fmt.Errorf("%s: %w", AllYears[i], err)
			}
			if _, err := all[i].Write(plain.Bytes()); err != nil {
				return Parts{}, fmt.Errorf("%s: %w", AllYears[i], err)
			}
			if AllYears[i] == EvaluationsCSV { // the year's file of evaluations too
				if _, err := yc.Write(plain.Bytes()); err != nil {
					return Parts{}, err
				}
			}
			if c.Packed[i], err = entries[i].chunk(plain.Bytes(), packed); err != nil {
				return Parts{}, fmt.Errorf("%s: %w", AllYears[i], err)
			}
			c.Plain[i] = int64(plain.Len())
		}
		parts.Chunks = append(parts.Chunks, c)
	}
	for i := range entries {
		if tails[i] != "" {
			if _, err := entries[i].chunk([]byte(tails[i]), nil); err != nil {
				return Parts{}, err
			}
		}
		entries[i].packed.Write(lastBlock)
	}
	zc := &counted{w: yz}
	zw := zip.NewWriter(zc)
	dir := strconv.Itoa(year) + "/"
	for _, i := range byName {
		e := &entries[i]
		h := rawHeader(dir+AllYears[i], modified, e)
		w, err := zw.CreateRaw(h)
		if err != nil {
			return Parts{}, fmt.Errorf("%s: %w", h.Name, err)
		}
		// The header is out once flushed: the data starts there.
		if err := zw.Flush(); err != nil {
			return Parts{}, err
		}
		parts.ZipOff[i] = zc.n + e.headLen
		if _, err := w.Write(e.packed.Bytes()); err != nil {
			return Parts{}, fmt.Errorf("%s: %w", h.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return Parts{}, err
	}
	b.records += len(evals)
	p := b.spans(starts)
	parts.Off, parts.Len = p.Off, p.Len
	parts.States = b.states()
	return parts, nil
}

// ChunkSize is the number of evaluations in a chunk of a year's data
// (Add): a rebuild makes again the chunks that hold an evaluation
// changed, and takes the others.
const ChunkSize = 64

// A Chunk is what Add made of a chunk of a year's evaluations: the length
// of its part of each file of all years (Plain) and of its deflated data
// in each entry of the year's zip (Packed), in the order of AllYears.
type Chunk struct {
	Plain, Packed [5]int64
}

// Reuse lets Add take a chunk of a year from a previous build.
type Reuse interface {
	// Chunk returns readers of what a previous build's Add made of the
	// year's chunk j, evals: its part of each file of all years and its
	// deflated data in each entry of the zip, in the order of AllYears;
	// ok is false when the chunk is to be made. A reader cut short is
	// an error, never a shorter chunk.
	Chunk(j int, evals []*score.Evaluation) (plain, packed [5]io.Reader, ok bool)
}

// rows writes chunk j of a year, evals, of the file of all years i (in
// the order of AllYears): the rows, or the records of evaluations.json
// after the comma that joins them to the chunk before.
func (b *Builder) rows(i int, w io.Writer, j int, evals []*score.Evaluation) error {
	switch i {
	case 0:
		if j > 0 {
			io.WriteString(w, ",") // w is a buffer
		}
		return appendRecords(w, b.base, evals)
	case 1:
		r := evaluations.writer(w)
		for _, e := range evals {
			if err := r.write(evalRow{b.base, e}); err != nil {
				return err
			}
		}
		return r.flush()
	case 2:
		return indicatorRows(w, evals)
	case 3:
		return findingRows(w, evals)
	default:
		return fundRows(w, evals)
	}
}

// zipEntry is an entry of a year's zip as Add makes it: its deflated
// data, the CRC-32 and length of the data before, and the length of its
// deflated head.
type zipEntry struct {
	packed  bytes.Buffer
	crc     hash.Hash32
	size    int64
	headLen int64
}

// chunk appends a chunk of the entry, p, deflated on its own, or its
// deflated bytes as packed reads them (a chunk taken); it returns the
// length of the deflated chunk.
func (e *zipEntry) chunk(p []byte, packed io.Reader) (int64, error) {
	e.crc.Write(p)
	e.size += int64(len(p))
	if packed != nil {
		return e.packed.ReadFrom(packed)
	}
	n := e.packed.Len()
	err := deflated(&e.packed, p)
	return int64(e.packed.Len() - n), err
}

// deflated appends p to dst deflated on its own: a fresh compressor, its
// output ended by a sync flush and not by a last block, so that any such
// chunks one after the other, then lastBlock, are one deflate stream
// whose back references never cross a chunk. A chunk is then the same
// bytes wherever it lies, and a build can take it from the previous one.
func deflated(dst *bytes.Buffer, p []byte) error {
	f := compressors.Get().(*flate.Writer)
	defer compressors.Put(f)
	f.Reset(dst)
	if _, err := f.Write(p); err != nil {
		return err
	}
	return f.Flush()
}

// lastBlock ends a deflate stream: an empty stored block marked last.
var lastBlock = []byte{0x01, 0x00, 0x00, 0xff, 0xff}

// rawHeader is the header of an entry of a year's zip, whose data is
// already deflated: what zip.Writer.CreateHeader would set, with the
// digest and the sizes known.
func rawHeader(name string, modified time.Time, e *zipEntry) *zip.FileHeader {
	h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified,
		CRC32: e.crc.Sum32(), CompressedSize64: uint64(e.packed.Len()), UncompressedSize64: uint64(e.size)}
	h.SetMode(0o644)
	h.CreatorVersion |= 20
	h.ReaderVersion = 20
	// CreateRaw, unlike CreateHeader, leaves the date to the caller: the
	// MS-DOS date and time, and the extended timestamp (UTC seconds).
	if !modified.IsZero() {
		h.ModifiedDate = uint16(modified.Day() + int(modified.Month())<<5 + (modified.Year()-1980)<<9)
		h.ModifiedTime = uint16(modified.Second()/2 + modified.Minute()<<5 + modified.Hour()<<11)
		var x [9]byte
		binary.LittleEndian.PutUint16(x[0:], 0x5455) // extended timestamp
		binary.LittleEndian.PutUint16(x[2:], 5)
		x[4] = 1 // the modification time only
		binary.LittleEndian.PutUint32(x[5:], uint32(modified.Unix()))
		h.Extra = x[:]
	}
	return h
}

// Parts says where a year's parts lie in the files of all years
// (AllYears), in that order: the offset of each and its length.
type Parts struct {
	Off, Len [5]int64
	// Chunks are the year's chunks, in order, and ZipOff where the first
	// one's deflated data lies in each entry of the year's zip (in the
	// order of AllYears); none for a year taken whole.
	Chunks []Chunk
	ZipOff [5]int64
	// States are the SHA-256 state of each file of all years after the
	// year's part (encoding.BinaryMarshaler's), nil where not known: a
	// later build whose files begin with the same bytes takes them as
	// they are, without reading them (Section).
	States [5][]byte
}

// AllYears are the files of all years that each year adds a part to, in
// the order of Parts.
var AllYears = [5]string{JSONFile, EvaluationsCSV, IndicatorsCSV, FindingsCSV, FundsCSV}

// byName are the places in AllYears in the order of the names: the
// order of the entries of a year's zip.
var byName = func() []int {
	order := []int{0, 1, 2, 3, 4}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(AllYears[a], AllYears[b]) })
	return order
}()

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
		b.json.hold(",")
	}
}

// Take adds a year of n evaluations whose parts of the files of all years
// a previous build wrote, as Add would write them: parts reads each, in
// the order of AllYears. The year's own files (its CSV file and zip) are
// the caller's to keep. It returns where the parts now lie.
//
// A part that is a Section of the previous build's file, at the very
// place this build's file has reached, whose bytes before it are this
// build's so far, is not read at all: the file begins as a copy of the
// previous one up to its end (see counted), made once something else is
// written. So are the parts of every year before the first one that
// changed, whichever it is.
func (b *Builder) Take(n int, parts [5]io.Reader) (_ Parts, err error) {
	defer func() {
		if err != nil {
			b.failed = true
		}
	}()
	b.comma(n)
	starts := b.offsets()
	// Each file is copied on a core of its own: they share nothing, and
	// at 100,000 evaluations a rebuild copies some 400 MB of the years
	// unchanged, most of it into evaluations.json, while the rest of the
	// site is done.
	var errs [5]error
	var wg sync.WaitGroup
	for i, c := range b.all() {
		wg.Go(func() {
			if c.front(parts[i]) {
				return
			}
			if _, err := io.Copy(c, parts[i]); err != nil {
				errs[i] = fmt.Errorf("%s: %w", AllYears[i], err)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return Parts{}, err
	}
	b.records += n
	p := b.spans(starts)
	p.States = b.states()
	return p, nil
}

// states returns the SHA-256 state of each file of all years as far as
// it is written, nil for one not known (Parts.States).
func (b *Builder) states() (s [5][]byte) {
	for i, c := range b.all() {
		s[i] = c.state()
	}
	return s
}

// Resumable is a file of all years (of Create) that can begin as a copy
// of the start of another file without hashing those bytes again, given
// the SHA-256 state after them, and that tells its own state as far as it
// is written: the output's files do (output.Dir.Create), through the
// writers that wrap them. A file that cannot returns errors.ErrUnsupported
// from StartAs, having done nothing, and the Builder writes the bytes.
type Resumable interface {
	StartAs(src *os.File, n int64, state []byte) error
	HashState() ([]byte, error)
}

// Section is a part given to Take that lies in a previous build's file of
// all years: n bytes at off in f, after which that file's SHA-256 state
// (encoding.BinaryMarshaler's) was state, nil when not known.
type Section interface {
	Section() (f *os.File, off, n int64, state []byte)
}

// counted is a file of all years, counting the bytes written to it; its
// first error stays, and every later write returns it.
//
// Until something is written that no previous file holds (lazy), what
// the file is so far is noted, not written: the first srcN bytes of src,
// the previous build's file, then held (the head, a comma). Write writes
// that out first (start), the bytes of src copied in the kernel and not
// hashed again where w can (Resumable). At 100,000 evaluations the files
// of all years are 420 MB, rewritten after any edit, and the years before
// the one edited were most of a rebuild's open data.
type counted struct {
	w   io.Writer
	n   int64
	err error

	lazy     bool
	src      *os.File
	srcN     int64
	srcState []byte // after the first srcN bytes of src
	held     []byte
}

func (c *counted) Write(p []byte) (int, error) {
	if c.lazy {
		c.start()
	}
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}

// hold adds s to the file: held while the file is lazy, else written.
func (c *counted) hold(s string) {
	if !c.lazy {
		io.WriteString(c, s) // an error stays in c
		return
	}
	c.held = append(c.held, s...)
	c.n += int64(len(s))
}

// front takes part as the file's next bytes without reading it, when the
// file is lazy and part is a Section of a previous file whose bytes up to
// it are the file's so far (src's first srcN bytes, as taken before, and
// held, compared); it reports whether it did.
func (c *counted) front(part io.Reader) bool {
	s, ok := part.(Section)
	if !c.lazy || !ok {
		return false
	}
	f, off, n, state := s.Section()
	if state == nil || c.src != nil && f != c.src || off != c.srcN+int64(len(c.held)) {
		return false
	}
	if len(c.held) > 0 {
		got := make([]byte, len(c.held))
		if _, err := f.ReadAt(got, c.srcN); err != nil || !bytes.Equal(got, c.held) {
			return false
		}
	}
	c.src, c.srcN, c.srcState, c.held = f, off+n, state, nil
	c.n += n
	return true
}

// start writes out what a lazy file holds: the first srcN bytes of src,
// then held.
func (c *counted) start() {
	c.lazy = false
	if c.src != nil {
		err := errors.ErrUnsupported
		if r, ok := c.w.(Resumable); ok {
			err = r.StartAs(c.src, c.srcN, c.srcState)
		}
		if errors.Is(err, errors.ErrUnsupported) {
			_, err = io.Copy(c.w, io.NewSectionReader(c.src, 0, c.srcN))
		}
		if err != nil {
			c.err = err
			return
		}
	}
	if len(c.held) > 0 {
		_, c.err = c.w.Write(c.held)
	}
	c.src, c.srcState, c.held = nil, nil, nil
}

// state returns the SHA-256 state of the file as far as it is written, nil
// when it is not known.
func (c *counted) state() []byte {
	if c.err != nil {
		return nil
	}
	if c.lazy {
		if len(c.held) == 0 {
			return c.srcState
		}
		return nil
	}
	if r, ok := c.w.(Resumable); ok {
		if s, err := r.HashState(); err == nil {
			return s
		}
	}
	return nil
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
		for _, c := range b.all() {
			if c.lazy {
				c.start()
			}
			if err == nil {
				err = c.err
			}
		}
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

// StartAs is Resumable's, for a file whose w is.
func (f *summing) StartAs(src *os.File, n int64, state []byte) error {
	h, err := StartWrapped(f.w, f.h, src, n, state)
	if err == nil {
		f.h = h
	}
	return err
}

// StartWrapped is StartAs for a writer that passes its bytes on to
// inner, and hashes them with h too when h is not nil: inner starts as
// the first n bytes of src, and the hash to go on with is h's
// replacement, resumed from state (nil when h is). Nothing is done, and
// the error is errors.ErrUnsupported, when inner is not Resumable or
// state is not a SHA-256 state.
func StartWrapped(inner io.Writer, h hash.Hash, src *os.File, n int64, state []byte) (hash.Hash, error) {
	r, ok := inner.(Resumable)
	if !ok {
		return nil, errors.ErrUnsupported
	}
	if h != nil {
		h = sha256.New()
		if h.(encoding.BinaryUnmarshaler).UnmarshalBinary(state) != nil {
			return nil, errors.ErrUnsupported
		}
	}
	if err := r.StartAs(src, n, state); err != nil {
		return nil, err
	}
	return h, nil
}

// HashState is Resumable's.
func (f *summing) HashState() ([]byte, error) {
	if f.h != nil {
		return f.h.(encoding.BinaryMarshaler).MarshalBinary()
	}
	if r, ok := f.w.(Resumable); ok {
		return r.HashState()
	}
	return nil, errors.ErrUnsupported
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
