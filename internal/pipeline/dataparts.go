package pipeline

import (
	"crypto/sha256"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/evalpress/evalpress/internal/buildcache"
	"github.com/evalpress/evalpress/internal/export"
	"github.com/evalpress/evalpress/internal/score"
	"github.com/evalpress/evalpress/internal/site"
)

// The open data is one group that reads every evaluation (site.Group.All),
// made again after any edit. At 100,000 evaluations its rows were most of
// a rebuild's render (10 s of CPU of 14 for the site-wide pages). So the
// group's writer takes each year whose evaluations are unchanged from the
// previous output (site.DataCache): the year's CSV file and zip are kept
// in place, and its parts of the files of all years are copied from the
// previous output's files, where the cache noted them (buildcache.Part),
// instead of being made row by row. A year's key covers the site's part
// of every group's key (the binary, site.toml, the templates), the year,
// the date its zip's entries carry, and each of its public evaluations'
// own inputs, in order.
//
// The years taken before the first one made are not even read: each year
// made notes the SHA-256 state of each file of all years after its part
// (buildcache.Part.States), and a part taken is an export.Section of the
// previous file, so that a file of all years starts as a copy of the
// previous one's front, made in the kernel, its hash taken up from there
// (export.Builder.Take).
//
// A year is taken only from an output updated in place (output.Dir.Track),
// whose files are known to be as the previous build wrote them: its two
// files and the files of all years it is read from are each checked
// (output.Dir.Kept) before a byte of it is used.

// dataYearVersion changes whenever what a year's key covers changes.
const dataYearVersion = "evalpress data year key 1"

// yearKey returns the key of a year of the open data; ok is false when
// one of evals has no own inputs.
func (inc *incremental) yearKey(year int, evals []*score.Evaluation, modified time.Time) (buildcache.Sum, bool) {
	h := sha256.New()
	field(h, dataYearVersion)
	h.Write(inc.groupSite[:])
	field(h, strconv.Itoa(year))
	field(h, modified.Format(time.RFC3339Nano))
	var key buildcache.Sum
	if !inc.evaluationsKey(h, evals) {
		return key, false
	}
	h.Sum(key[:0])
	return key, true
}

// TakeYear is site.DataCache's: see above.
func (gw *groupWriter) TakeYear(y site.DataYear, evals []*score.Evaluation, modified time.Time) (sums [2][32]byte, parts [5]io.Reader, ok bool, err error) {
	inc := gw.inc
	if !inc.inPlace || inc.old == nil {
		return sums, parts, false, nil
	}
	key, ok := inc.yearKey(y.Year, evals, modified)
	if !ok {
		return sums, parts, false, nil
	}
	part := gw.oldPart(y.Year)
	if part == nil || part.Key != key {
		return sums, parts, false, nil
	}
	// Every file used must be the previous build's, as it left it.
	own := []string{y.CSV, y.Zip}
	var files [2]buildcache.File
	for i, name := range own {
		if files[i], ok = gw.keptFile(name); !ok || inc.wants != nil && inc.wants(name) {
			return sums, parts, false, nil
		}
	}
	for i, name := range export.AllYears {
		f, ok := gw.keptFile(site.DataDir + name)
		if !ok || part.Off[i] < 0 || part.Len[i] < 0 || part.Off[i]+part.Len[i] > f.Size {
			return sums, parts, false, nil
		}
	}
	for i, name := range export.AllYears {
		f, err := gw.previous(site.DataDir + name)
		if err != nil {
			return sums, parts, false, nil
		}
		parts[i] = &section{exact: exact{r: io.NewSectionReader(f, part.Off[i], part.Len[i]), left: part.Len[i]},
			f: f, off: part.Off[i], n: part.Len[i], state: part.States[i]}
	}
	for i, name := range own {
		f := files[i]
		gw.note(name)
		if err := inc.guard.reuse(name, nil); err != nil {
			return sums, parts, false, err
		}
		gw.add(name, f.Size, f.Sum)
		sums[i] = f.Sum
	}
	gw.inc.mu.Lock()
	gw.inc.yearsTaken++
	gw.inc.mu.Unlock()
	return sums, parts, true, nil
}

// MadeYear is site.DataCache's: see above. The chunks of a year made are
// noted with their keys, for the next build's YearChunks; a year taken
// whole keeps those the previous build noted, the same evaluations made
// them.
func (gw *groupWriter) MadeYear(y site.DataYear, evals []*score.Evaluation, modified time.Time, parts export.Parts) {
	key, ok := gw.inc.yearKey(y.Year, evals, modified)
	if !ok {
		return
	}
	p := buildcache.Part{Year: y.Year, Key: key, Off: parts.Off, Len: parts.Len, ZipOff: parts.ZipOff, States: parts.States}
	if parts.Chunks != nil {
		for j, c := range parts.Chunks {
			ck, ok := gw.inc.chunkKey(y.Year, j, evals[j*export.ChunkSize:min(len(evals), (j+1)*export.ChunkSize)])
			if !ok {
				p.Chunks = nil
				break
			}
			p.Chunks = append(p.Chunks, buildcache.DataChunk{Key: ck, Plain: c.Plain, Packed: c.Packed})
		}
	} else if old := gw.oldPart(y.Year); old != nil && old.Key == key {
		p.Chunks, p.ZipOff = old.Chunks, old.ZipOff
	}
	gw.inc.mu.Lock()
	gw.rec.parts = append(gw.rec.parts, p)
	gw.inc.mu.Unlock()
}

// chunkKey returns the key of chunk j of a year of the open data, made of
// the evaluations evals; ok is false when one of them has no own inputs.
// What a chunk is made of does not depend on the zip's date: only the
// site's part of the keys, the year, the chunk's place (the first has no
// comma before it) and its evaluations.
func (inc *incremental) chunkKey(year, j int, evals []*score.Evaluation) (buildcache.Sum, bool) {
	h := sha256.New()
	field(h, dataChunkVersion)
	h.Write(inc.groupSite[:])
	field(h, strconv.Itoa(year))
	field(h, strconv.Itoa(j))
	var key buildcache.Sum
	if !inc.evaluationsKey(h, evals) {
		return key, false
	}
	h.Sum(key[:0])
	return key, true
}

// dataChunkVersion changes whenever what a chunk's key covers changes.
const dataChunkVersion = "evalpress data chunk key 1"

// keptFile returns the previous build's file name of the group, ok when
// the output still holds it as that build left it (output.Dir.Kept).
func (gw *groupWriter) keptFile(name string) (f buildcache.File, ok bool) {
	old := gw.inc.old.Groups[gw.name]
	if old == nil {
		return f, false
	}
	for _, f := range old.Files {
		if f.Name == name {
			return f, gw.inc.out.Kept(name)
		}
	}
	return f, false
}

// oldPart returns the previous build's part of year, nil when it has
// none.
func (gw *groupWriter) oldPart(year int) *buildcache.Part {
	if gw.inc.old == nil {
		return nil
	}
	old := gw.inc.old.Groups[gw.name]
	if old == nil {
		return nil
	}
	for i := range old.Parts {
		if p := &old.Parts[i]; p.Year == year {
			return p
		}
	}
	return nil
}

// YearChunks is site.DataCache's: the chunks of a year that changed are
// made again, the others taken from the previous output's files of all
// years and its zip of the year, where the previous build noted them.
// The files read must each be as the previous build left them
// (output.Dir.Kept), as for a year taken whole; a chunk whose bytes lie
// beyond a file's end is made.
func (gw *groupWriter) YearChunks(y site.DataYear, evals []*score.Evaluation) export.Reuse {
	inc := gw.inc
	if !inc.inPlace || inc.old == nil {
		return nil
	}
	part := gw.oldPart(y.Year)
	if part == nil || len(part.Chunks) == 0 {
		return nil
	}
	r := &chunkReuse{gw: gw, year: y.Year, part: part}
	names := append([]string{y.Zip}, export.AllYears[:]...)
	for k, name := range names {
		if k > 0 {
			name = site.DataDir + name
		}
		kept, ok := gw.keptFile(name)
		if !ok {
			return nil
		}
		f, err := gw.previous(name)
		if err != nil {
			return nil
		}
		r.files[k], r.sizes[k] = f, kept.Size
	}
	// Where each chunk starts in each file.
	plain, packed := part.Off, part.ZipOff
	for _, c := range part.Chunks {
		r.plainAt = append(r.plainAt, plain)
		r.packedAt = append(r.packedAt, packed)
		for i := range plain {
			plain[i] += c.Plain[i]
			packed[i] += c.Packed[i]
		}
	}
	return r
}

// chunkReuse is export.Reuse over the previous output's files of the
// open data: files are the year's zip and the files of all years, in the
// order of export.AllYears.
type chunkReuse struct {
	gw                *groupWriter
	year              int
	part              *buildcache.Part
	files             [6]*os.File
	sizes             [6]int64
	plainAt, packedAt [][5]int64
}

func (r *chunkReuse) Chunk(j int, evals []*score.Evaluation) (plain, packed [5]io.Reader, ok bool) {
	if j >= len(r.part.Chunks) {
		return plain, packed, false
	}
	c := r.part.Chunks[j]
	key, ok := r.gw.inc.chunkKey(r.year, j, evals)
	if !ok || key != c.Key {
		return plain, packed, false
	}
	for i := range plain {
		off, n := r.plainAt[j][i], c.Plain[i]
		zoff, zn := r.packedAt[j][i], c.Packed[i]
		if off < 0 || n < 0 || off+n > r.sizes[i+1] || zoff < 0 || zn < 0 || zoff+zn > r.sizes[0] {
			return plain, packed, false
		}
		plain[i] = &exact{r: io.NewSectionReader(r.files[i+1], off, n), left: n}
		packed[i] = &exact{r: io.NewSectionReader(r.files[0], zoff, zn), left: zn}
	}
	r.gw.inc.mu.Lock()
	r.gw.inc.chunksTaken++
	r.gw.inc.mu.Unlock()
	return plain, packed, true
}

// previous opens a file of the previous output to read parts of it, once
// for the group; done closes it.
func (gw *groupWriter) previous(name string) (*os.File, error) {
	if f := gw.open[name]; f != nil {
		return f, nil
	}
	f, err := gw.inc.out.OpenPrevious(name)
	if err != nil {
		return nil, err
	}
	if gw.open == nil {
		gw.open = map[string]*os.File{}
	}
	gw.open[name] = f
	return f, nil
}

// closePrevious closes the files of the previous output previous opened.
func (gw *groupWriter) closePrevious() {
	for name, f := range gw.open {
		f.Close()
		delete(gw.open, name)
	}
}

// section is a year's part of a file of all years of the previous
// output, taken whole: an export.Section, which the builder need not
// read when its file begins as the previous one did.
type section struct {
	exact
	f      *os.File
	off, n int64
	state  []byte
}

func (s *section) Section() (*os.File, int64, int64, []byte) { return s.f, s.off, s.n, s.state }

// exact reads a part of a file that must be there whole: one cut short
// (the file changed since it was checked) is an error, never a part
// silently shorter.
type exact struct {
	r    io.Reader
	left int64
}

func (e *exact) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	e.left -= int64(n)
	if err == io.EOF && e.left > 0 {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}
