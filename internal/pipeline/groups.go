package pipeline

import (
	"crypto/sha256"
	"encoding"
	"errors"
	"hash"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/evalpress/evalpress/internal/buildcache"
	"github.com/evalpress/evalpress/internal/export"
	"github.com/evalpress/evalpress/internal/score"
	"github.com/evalpress/evalpress/internal/site"
)

// The site-wide pages (the years' and departments' pages, the congress
// tables, the print booklets, the ledger, the home page, the open data,
// the feeds) are taken from the previous output as the evaluation pages
// are, a group at a time (site.Group: a page, or the files made
// together), when the group's key is the one the cache recorded and its
// files are still what it recorded. A group's key (groupKey) covers:
//
//   - the site, as an evaluation page's key does (pageKeys), and beyond
//     it every content file outside the records' folders but the year
//     reports', the build's date (the ledger's and congress tables'
//     "as of"), and the site's years and departments with their sizes
//     (the navigation, the filters and counts that every list shows);
//   - each evaluation the group reads (site.Group.Shows), in order: its
//     path and its own inputs (those of its page's key), and the files
//     of each year report it reads (site.Group.Reports), and what it
//     shows beyond them (site.Group.Shown: a ledger page's counts); with
//     site.Group.All, every evaluation and report of the site.
//
// At 100,000 evaluations the site-wide pages were most of a rebuild's
// render; after one edited record, only those that show it are made.

// groupVersion changes whenever what a group's key covers changes.
const groupVersion = "evalpress group key 2"

// groupRecord is what a build knows of one group: its key, and either
// the entry it took or the files it rendered.
type groupRecord struct {
	key   buildcache.Sum
	taken *buildcache.Entry
	files []buildcache.File
	pages int
	done  bool
	twice bool // a second group of the name: neither is recorded
	// parts are the open data's years as this build wrote them
	// (dataparts.go).
	parts []buildcache.Part
	// rows are the chunks of the lists' rows it rendered (rowparts.go).
	rows []buildcache.Rows
}

// groupSiteKey returns the part of every group's key that is the site's
// (see the comment at the top of this file), siteKey being that of the
// evaluation pages, and the hash of each year report's files.
func groupSiteKey(p *prepared, sums *contentSums, siteKey buildcache.Sum) (buildcache.Sum, map[*site.Year]buildcache.Sum) {
	m := p.model
	h := sha256.New()
	reports := map[*site.Year]buildcache.Sum{}
	ofReports := map[string]bool{}
	for _, y := range m.Years {
		if y.Report == nil {
			continue
		}
		h.Reset()
		for _, name := range []string{y.Report.File, y.Report.NarrativeFile} {
			if name != "" {
				ofReports[p.rel(name)] = true
				sums.file(h, p.rel(name))
			} else {
				field(h, "\x00none")
			}
		}
		var s buildcache.Sum
		h.Sum(s[:0])
		reports[y] = s
	}
	h.Reset()
	field(h, groupVersion)
	h.Write(siteKey[:])
	for _, name := range sums.names {
		if !inRecords(name) && !ofReports[name] {
			sums.file(h, name)
		}
	}
	if len(m.Evaluations) > 0 {
		field(h, m.Evaluations[0].Today.String())
	}
	for _, y := range m.Years {
		field(h, strconv.Itoa(y.Year)+"\x00"+strconv.Itoa(len(y.Evaluations)))
	}
	field(h, "\x00departments")
	for _, d := range m.Departments {
		field(h, d.Name+"\x00"+d.Slug+"\x00"+strconv.Itoa(len(d.Evaluations)))
	}
	var s buildcache.Sum
	h.Sum(s[:0])
	return s, reports
}

// inRecords reports whether a content file lies in a year's folder of
// records ("2023/evaluations/…"): such a file is an input of its
// evaluation's (pageKeys), not of the site's.
func inRecords(name string) bool {
	_, rest, ok := strings.Cut(name, "/")
	return ok && strings.HasPrefix(rest, "evaluations/")
}

// evaluationsKey hashes the own inputs of each of evals, in order (they
// cover its path: pageKeys); ok is false when one of them has no own
// inputs (it is not of the model): the group is then rendered.
func (inc *incremental) evaluationsKey(h hash.Hash, evals []*score.Evaluation) (ok bool) {
	field(h, strconv.Itoa(len(evals)))
	// Gathered and written at once: a hash written in pieces of a few
	// bytes, for every evaluation of every group, was a second of CPU at
	// 100,000. Reading each evaluation's path as well, scattered over
	// the heap, was half a second more.
	b := make([]byte, 0, len(evals)*len(buildcache.Sum{}))
	for _, e := range evals {
		s, ok := inc.own[e]
		if !ok {
			return false
		}
		b = append(b, s[:]...)
	}
	h.Write(b)
	return true
}

// reportsKey hashes the files of each year's report, in order.
func (inc *incremental) reportsKey(h hash.Hash, years []*site.Year) {
	field(h, strconv.Itoa(len(years)))
	for _, y := range years {
		field(h, strconv.Itoa(y.Year))
		if s, ok := inc.reports[y]; ok {
			h.Write(s[:])
		} else {
			field(h, "\x00no report")
		}
	}
}

// groupKey returns g's key; ok is false when g cannot be keyed.
func (inc *incremental) groupKey(g site.Group) (key buildcache.Sum, ok bool) {
	h := sha256.New()
	h.Write(inc.groupSite[:])
	field(h, g.Name)
	field(h, g.Shown)
	inc.reportsKey(h, g.Reports)
	if g.All {
		inc.allOnce.Do(func() {
			a := sha256.New()
			inc.allOK = inc.evaluationsKey(a, inc.model.Evaluations)
			inc.reportsKey(a, inc.model.Years)
			a.Sum(inc.all[:0])
		})
		if !inc.allOK {
			return key, false
		}
		field(h, "\x00all")
		h.Write(inc.all[:])
	} else if !inc.evaluationsKey(h, g.Shows) {
		return key, false
	}
	h.Sum(key[:0])
	return key, true
}

// Take takes g's files from the previous output when its key is the one
// the cache recorded and the files are still what it recorded (see
// site.Groups).
func (inc *incremental) Take(g site.Group) (pages int, ok bool, err error) {
	key, ok := inc.groupKey(g)
	if !ok {
		return 0, false, nil
	}
	inc.mu.Lock()
	if rec := inc.groups[g.Name]; rec != nil {
		// Two groups of one name: neither is recorded.
		rec.twice = true
		inc.mu.Unlock()
		return 0, false, nil
	}
	rec := &groupRecord{key: key}
	inc.groups[g.Name] = rec
	var entry *buildcache.Entry
	if inc.old != nil {
		entry = inc.old.Groups[g.Name]
	}
	if entry == nil || entry.Key != key {
		inc.mu.Unlock()
		return 0, false, nil
	}
	// The link check captures the facts of the files it reads again.
	for _, f := range entry.Files {
		inc.groupFiles[f.Name] = true
	}
	inc.mu.Unlock()
	if ok, err := inc.takeFiles(inc.guard, entry); err != nil || !ok {
		return 0, false, err
	}
	inc.mu.Lock()
	rec.taken = entry
	inc.mu.Unlock()
	return entry.Pages, true, nil
}

// Render returns the writer g is rendered to, which notes its files for
// the cache (see site.Groups).
func (inc *incremental) Render(g site.Group, w site.Writer) (site.Writer, func(pages int)) {
	inc.mu.Lock()
	rec := inc.groups[g.Name]
	if rec == nil || rec.twice {
		// Not keyed: rendered, not recorded.
		inc.mu.Unlock()
		return w, func(int) {}
	}
	inc.mu.Unlock()
	gw := &groupWriter{w: w, inc: inc, rec: rec, name: g.Name}
	return gw, func(pages int) {
		gw.closePrevious()
		inc.mu.Lock()
		rec.pages, rec.done = pages, true
		inc.mu.Unlock()
	}
}

// groupWriter passes a group's files on to w and notes each for the
// cache.
type groupWriter struct {
	w    site.Writer
	inc  *incremental
	rec  *groupRecord
	name string
	// open are the previous output's files the open data's years are
	// read from (dataparts.go).
	open map[string]*os.File
	// rowSrc are the previous output's files its lists' rows are taken
	// from, by name (rowparts.go).
	rowSrc map[string]*rowSource
}

// note marks name as a group's, before the link check reads it, so that
// its facts are kept (capturing).
func (gw *groupWriter) note(name string) {
	gw.inc.mu.Lock()
	gw.inc.groupFiles[name] = true
	gw.inc.mu.Unlock()
}

func (gw *groupWriter) add(name string, size int64, sum buildcache.Sum) {
	gw.inc.mu.Lock()
	gw.rec.files = append(gw.rec.files, buildcache.File{Name: name, Size: size, Sum: sum})
	gw.inc.mu.Unlock()
}

func (gw *groupWriter) Write(name string, data []byte) error {
	gw.note(name)
	sum := sha256.Sum256(data)
	if err := writeSummed(gw.w, name, data, sum); err != nil {
		return err
	}
	gw.add(name, int64(len(data)), sum)
	return nil
}

// Create is Write for a file written in pieces (the open data), hashed
// as it passes.
func (gw *groupWriter) Create(name string) (io.WriteCloser, error) {
	gw.note(name)
	f, err := site.Create(gw.w, name)
	if err != nil {
		return nil, err
	}
	hf := &hashedFile{WriteCloser: f, done: func(size int64, sum buildcache.Sum) { gw.add(name, size, sum) }}
	if d, ok := f.(site.Digester); ok {
		hf.inner = d
	} else {
		hf.h = sha256.New()
	}
	return hf, nil
}

// hashedFile is a file that hashes what passes (or takes the digest of
// the file it writes to, when that one hashes: site.Digester) and calls
// done once it has closed without error. It is a site.Digester itself.
type hashedFile struct {
	io.WriteCloser
	h     hash.Hash
	inner site.Digester
	n     int64
	sum   buildcache.Sum
	done  func(size int64, sum buildcache.Sum)
}

func (f *hashedFile) Write(p []byte) (int, error) {
	n, err := f.WriteCloser.Write(p)
	if f.h != nil {
		f.h.Write(p[:n])
	}
	f.n += int64(n)
	return n, err
}

func (f *hashedFile) Close() error {
	if err := f.WriteCloser.Close(); err != nil {
		return err
	}
	if f.inner != nil {
		f.sum = f.inner.Digest()
	} else {
		f.h.Sum(f.sum[:0])
	}
	f.done(f.n, f.sum)
	return nil
}

func (f *hashedFile) Digest() [sha256.Size]byte { return f.sum }

// StartAs is export.Resumable's, for a file whose own is.
func (f *hashedFile) StartAs(src *os.File, n int64, state []byte) error {
	h, err := export.StartWrapped(f.WriteCloser, f.h, src, n, state)
	if err != nil {
		return err
	}
	f.h = h
	f.n += n
	return nil
}

// HashState is export.Resumable's.
func (f *hashedFile) HashState() ([]byte, error) {
	if f.h != nil {
		return f.h.(encoding.BinaryMarshaler).MarshalBinary()
	}
	if r, ok := f.WriteCloser.(export.Resumable); ok {
		return r.HashState()
	}
	return nil, errors.ErrUnsupported
}

// takenGroups returns the entries of the groups taken, by name.
func (inc *incremental) takenGroups() map[string]*buildcache.Entry {
	out := map[string]*buildcache.Entry{}
	for name, rec := range inc.groups {
		if rec.taken != nil {
			out[name] = rec.taken
		}
	}
	return out
}

// groupEntries returns the entries of the next index for the groups
// taken or rendered, their files pointed at their link facts: those of a
// group rendered in the new link segment, those of a group taken where
// they were, unless startLinks moved them (it does when the pages' facts
// move, or when it reads them).
func (inc *incremental) groupEntries() map[string]*buildcache.Entry {
	out := map[string]*buildcache.Entry{}
	for name, rec := range inc.groups {
		var entry buildcache.Entry
		switch {
		case rec.twice:
			continue
		case rec.taken != nil && inc.skipLinks:
			// Its facts stay where they are.
			entry = *rec.taken
			entry.Files = slices.Clone(rec.taken.Files)
			out[name] = &entry
			continue
		case rec.taken != nil:
			entry = *rec.taken
			entry.Files = slices.Clone(rec.taken.Files)
		case rec.done:
			entry = buildcache.Entry{Key: rec.key, Pages: rec.pages, Files: slices.Clone(rec.files), Parts: slices.Clone(rec.parts), Rows: slices.Clone(rec.rows)}
			slices.SortFunc(entry.Files, func(a, b buildcache.File) int { return strings.Compare(a.Name, b.Name) })
		default:
			continue
		}
		inc.linksOf(&entry)
		out[name] = &entry
	}
	return out
}
