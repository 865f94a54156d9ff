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
	old := inc.old.Groups[gw.name]
	if old == nil {
		return sums, parts, false, nil
	}
	key, ok := inc.yearKey(y.Year, evals, modified)
	if !ok {
		return sums, parts, false, nil
	}
	var part *buildcache.Part
	for i := range old.Parts {
		if p := &old.Parts[i]; p.Year == y.Year && p.Key == key {
			part = p
		}
	}
	if part == nil {
		return sums, parts, false, nil
	}
	files := map[string]buildcache.File{}
	for _, f := range old.Files {
		files[f.Name] = f
	}
	// Every file used must be the previous build's, as it left it.
	own := []string{y.CSV, y.Zip}
	for _, name := range own {
		if _, ok := files[name]; !ok || !inc.out.Kept(name) || inc.wants != nil && inc.wants(name) {
			return sums, parts, false, nil
		}
	}
	for i, name := range export.AllYears {
		f, ok := files[site.DataDir+name]
		if !ok || part.Off[i] < 0 || part.Len[i] < 0 || part.Off[i]+part.Len[i] > f.Size || !inc.out.Kept(site.DataDir+name) {
			return sums, parts, false, nil
		}
	}
	for i, name := range export.AllYears {
		f, err := gw.previous(site.DataDir + name)
		if err != nil {
			return sums, parts, false, nil
		}
		parts[i] = &exact{r: io.NewSectionReader(f, part.Off[i], part.Len[i]), left: part.Len[i]}
	}
	for i, name := range own {
		f := files[name]
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

// MadeYear is site.DataCache's: see above.
func (gw *groupWriter) MadeYear(y site.DataYear, evals []*score.Evaluation, modified time.Time, parts export.Parts) {
	key, ok := gw.inc.yearKey(y.Year, evals, modified)
	if !ok {
		return
	}
	gw.inc.mu.Lock()
	gw.rec.parts = append(gw.rec.parts, buildcache.Part{Year: y.Year, Key: key, Off: parts.Off, Len: parts.Len})
	gw.inc.mu.Unlock()
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
