package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/evalpress/evalpress/internal/assemble"
	"github.com/evalpress/evalpress/internal/buildcache"
	"github.com/evalpress/evalpress/internal/export"
	"github.com/evalpress/evalpress/internal/linkcheck"
	"github.com/evalpress/evalpress/internal/output"
	"github.com/evalpress/evalpress/internal/par"
	"github.com/evalpress/evalpress/internal/score"
	"github.com/evalpress/evalpress/internal/search"
	"github.com/evalpress/evalpress/internal/site"
	"github.com/evalpress/evalpress/internal/sysfile"
)

// An incremental build renders again only the evaluation pages whose
// inputs changed since the previous build, and takes the others from the
// previous output, and likewise the site-wide pages, a group at a time
// (groups.go). Everything else is as in a full build: every record is
// loaded and checked (so every diagnostic is reported), the search index
// is made again (or, when few documents changed, patched: searchpatch.go),
// and every page written or taken is link-checked (a page taken by the
// link facts the cache kept of it, keepLinks and startLinks, or, when
// nothing it may lead to went away, not again: finishLinks). The cache
// also keeps the state of every file of the output
// (output.Dir.Manifest), and the output is then updated in place: a file
// that comes out with the same bytes is left as it is, and a page taken
// is neither read nor copied.
//
// An evaluation page is taken when its key, a hash of every input it is
// rendered from, is the one the cache recorded, and each of its files in
// the previous output still hashes to what the cache recorded. The key
// (pageKey) covers:
//
//   - the site: the binary (its embedded templates and assets, its module
//     version and revision, and the executable itself when the revision
//     does not pin it), every file at the content's top (site.toml, the
//     icon), the site's templates, the latest year (the navigation links
//     it) and the preview flags; with any template of the site's own,
//     every content file, since such a template may show anything;
//   - the evaluation: its record, narrative and every file in its folder,
//     its documents, its path, department and department's address, and
//     the build's date when it has findings (their overdue state);
//   - what the page shows of other evaluations: the same of each
//     evaluation of its series and of its related list, and the size of
//     its department.
//
// A key errs on the side of rendering again: an input it names that has
// changed always changes it. The test of this file builds a sequence of
// edits both ways and compares the outputs byte for byte.

// cacheSuffix names the cache folder beside the output: "public" keeps its
// cache in ".public.evalpress-cache".
const cacheSuffix = ".evalpress-cache"

// keyVersion changes whenever what a key covers changes, so that a cache
// of an older rule is never trusted.
const keyVersion = "evalpress incremental key 2"

// incremental is one build's use of the cache.
type incremental struct {
	cache *buildcache.Cache
	out   *output.Dir
	full  bool // -full: read nothing of the cache, write it anew
	sums  *contentSums
	// loaded are the hashes of the files the load read, by name in the
	// content folder, until hashRest makes sums of them.
	loaded map[string]buildcache.Sum
	// keys are the evaluation pages' keys, by page path.
	keys map[string]buildcache.Sum
	// patchPrep is what a patch of the search index needs of old.
	patchPrep *patchPrep
	// known is how many pages of the previous build (old.Entries) take
	// was given, each with its key.
	known int
	old   *buildcache.Index
	// read is the cache's index as read beside the load (readIndex),
	// for loadIndex; readDone is closed once it is.
	read     indexRead
	readDone chan struct{}
	// listed receives the content's files as listed beside the load
	// (listEarly), for hashRest.
	listed chan contentList
	// kept says which pages of old have their files as old.Output
	// records them, when readIndex looked (indexRead.kept).
	kept map[*buildcache.Entry]bool
	// reused are the pages taken from the previous output, by page path.
	mu     sync.Mutex
	reused map[string]*buildcache.Entry
	// rendered collects the files of the pages rendered, by page path.
	rendered map[string]*[]buildcache.File
	// seg receives the search documents as the render makes them (see
	// keep), ords their place in it by page path; segErr is its first
	// error. compact says that the documents of the pages taken move into
	// it too.
	seg  *buildcache.SegmentWriter
	ords map[string]int
	// linkSeg receives the link check's facts of the files of the pages
	// rendered (keepLinks), and of the pages taken when the cache is
	// compacted; linkOrds are their places in it, by file name.
	linkSeg  *buildcache.SegmentWriter
	linkOrds map[string]int
	// links is the build's link check: a page kept in place is added to
	// it by its facts (addTaken).
	links *linkcheck.Site
	// linksDone receives the end of startLinks's reading of the facts of
	// the pages taken; heldLinks are the facts it read of the files of
	// the previous build's groups, for takenLinks.
	linksDone chan error
	heldLinks map[string]*linkcheck.Facts
	// skipLinks says that the pages and groups taken are added to the
	// link check by their facts only if something their references may
	// lead to went away (finishLinks), and that the groups' facts stay
	// in their segments. parsedIDs are the hashes of the ids of the files
	// the check read in this build (linkcheck.Facts.IDsSum), by name.
	skipLinks bool
	parsedIDs map[string]buildcache.Sum
	// ownTemplates is set when the site has templates of its own.
	ownTemplates bool
	segErr       error
	compact      bool
	next         *buildcache.Index
	// inPlace is set when the output is updated in place (output.Dir.Track):
	// a page taken is then kept where it is. wants says which files the
	// link check reads.
	inPlace bool
	wants   func(name string) bool
	// committed is set once the output is swapped in: the new segment is
	// then the cache's.
	committed bool
	notices   []string
	// binary is binaryVersion's hash, records the cache of loaded
	// records (loadcache.go).
	binary  buildcache.Sum
	records *recordCache
	// own are each evaluation's own inputs (pageKeys), groupSite the
	// site's part of every group's key and reports the hash of each year
	// report's files (groups.go); model is the model they are of, all
	// the hash of every evaluation's and report's (site.Group.All).
	own       map[*score.Evaluation]buildcache.Sum
	groupSite buildcache.Sum
	reports   map[*site.Year]buildcache.Sum
	model     *site.Model
	allOnce   sync.Once
	all       buildcache.Sum
	allOK     bool
	// groups are the site-wide groups of this build, by name, and
	// groupFiles the names of their files (capturing); guard is the
	// writer a group taken is put into.
	groups     map[string]*groupRecord
	groupFiles map[string]bool
	guard      *guard
	// yearsTaken counts the open data's years taken (dataparts.go), and
	// chunksTaken the chunks taken of the years made again.
	yearsTaken, chunksTaken int
	// rowsTaken counts the chunks of the lists' rows taken
	// (rowparts.go).
	rowsTaken int
	// skipDocs says that the search index is patched (searchpatch.go):
	// the documents of the pages taken are not read. searchState is what
	// the next build's patch needs of this build's index.
	skipDocs    bool
	searchState *search.PatchState
	// phrasesOf is the state a patch was made from, or the state of the
	// index made whole: its phrases' trie is kept for the next patch
	// (phrasesPart). searchParts are the cache parts of both, encoded
	// before the commit (prepareSearch).
	phrasesOf   *search.PatchState
	searchParts map[string][]byte
	// recorded is closed once record has prepared the next index, with
	// recordErr when it could not, and prep is its encoding under way.
	recorded  chan struct{}
	recordErr error
	prep      *buildcache.Prepared
}

// startIncremental opens the cache beside out. A cache that cannot be
// used is a notice and a full build, never a failure; nil means no cache
// at all (its folder is someone else's). The content is hashed as it is
// loaded (loaded) and after (hashRest), each file before the build uses
// it: a file that changes while the build runs then leaves a key that
// the next build finds stale, never the reverse.
func startIncremental(opts Options, out *output.Dir) *incremental {
	dir := out.Beside(cacheSuffix)
	c, err := buildcache.Open(dir, opts.Content)
	if err != nil {
		var refused *buildcache.RefusedError
		if errors.As(err, &refused) {
			return &incremental{notices: []string{fmt.Sprintf("未使用增量构建缓存：%s；本次完整生成，不写缓存", refused.Error())}}
		}
		return &incremental{notices: []string{fmt.Sprintf("未使用增量构建缓存 %s：%v；本次完整生成", dir, err)}}
	}
	if opts.Held != nil {
		c.Hold(opts.Held)
	}
	inc := &incremental{cache: c, out: out, full: opts.Full, rendered: map[string]*[]buildcache.File{},
		loaded: map[string]buildcache.Sum{}, binary: binaryVersion(opts.files())}
	// The collector's budget follows the previous build's size until
	// the load has listed the records (Options.Sized): the listing, on
	// one core beside the cache's reading, is most of a rebuild's load,
	// and with the budget of a small site the heap that grows with what
	// the cache gives back was collected twice more, half a second of
	// CPU at 100,000 evaluations.
	pages, hinted := c.SizeHint()
	if hinted && opts.Sized != nil {
		opts.Sized(pages)
	}
	var recalling func()
	if hinted && opts.Rebuilding != nil && !opts.Full {
		recalling = func() { opts.Rebuilding(pages) }
	}
	if !opts.Full {
		inc.readIndex()
	}
	inc.listEarly(opts.Content, opts.Listings)
	prefix := filepath.ToSlash(filepath.Clean(opts.Content))
	inc.records = newRecordCache(c, opts.Content, prefix, inc.binary, opts.Full, time.Now(), opts.Quiet, recalling)
	inc.records.sumOf = func(name string) (buildcache.Sum, bool) {
		inc.mu.Lock()
		defer inc.mu.Unlock()
		s, ok := inc.loaded[name]
		return s, ok
	}
	return inc
}

// hooks returns what the load uses of the cache (loadHooks), nil when
// the build keeps no cache.
func (inc *incremental) hooks() *loadHooks {
	if !inc.usable() {
		return nil
	}
	return &loadHooks{read: inc.reader(), records: inc.records}
}

// recalled returns how many records the load took from the cache of
// loaded records.
func (inc *incremental) recalled() int {
	if !inc.usable() || inc.records == nil {
		return 0
	}
	return int(inc.records.recalled.Load())
}

// recordNotices reports what saving the cache of loaded records, right
// after the load (loadHooks.settle), could not do.
// recordsSaved reports whether the cache of loaded records was saved
// whole.
func (inc *incremental) recordsSaved() bool {
	return inc.usable() && inc.records != nil && inc.records.saved
}

func (inc *incremental) recordNotices() {
	if !inc.usable() || inc.records == nil {
		return
	}
	inc.notices = append(inc.notices, inc.records.notices...)
}

// reader returns the load's Read hook (content.Options.Read) that hashes
// each file the loader reads, nil when the build keeps no cache. The
// hash is of the very bytes the records were made from, and the file is
// read once, not once for the cache and again for the load.
func (inc *incremental) reader() func(string, []byte) {
	if !inc.usable() {
		return nil
	}
	return func(name string, data []byte) {
		s := buildcache.Sum(sha256.Sum256(data))
		inc.mu.Lock()
		inc.loaded[name] = s
		inc.mu.Unlock()
	}
}

// hashRest hashes the content files the load did not read (the records'
// folders, documents, the icon, the site's templates), once the load is
// done and before the render reads them. Content that cannot be listed
// or read is a notice and a full build.
func (inc *incremental) hashRest(ctx context.Context, dir string) {
	if !inc.usable() {
		return
	}
	l := <-inc.listed
	err := l.err
	if err == nil {
		// The hashes of the records given back by the cache are theirs,
		// looked up without a lock (they were set into loaded, under
		// the lock the loading workers share, 200,000 at a time).
		known := func(name string) (buildcache.Sum, bool) {
			if s, ok := inc.loaded[name]; ok {
				return s, true
			}
			if inc.records != nil {
				return inc.records.givenSum(name)
			}
			return buildcache.Sum{}, false
		}
		inc.sums, err = hashNames(ctx, dir, l.names, known)
	}
	if err != nil {
		inc.notices = append(inc.notices, fmt.Sprintf("无法读取内容以比较变化（%v）；本次完整生成", err))
		inc.cache = nil
	}
	inc.loaded = nil
	if inc.records != nil {
		inc.records.given = nil
	}
}

// contentList is the content's files as listContent found them.
type contentList struct {
	names []string
	err   error
}

// listEarly lists the content's files (listContent) on a goroutine of its
// own, beside the load: the walk is most of hashRest, on one core, after
// the load. A file the walk missed, made meanwhile, is missing from the
// keys, which then differ from the next build's: the page is made again
// then, never taken stale.
func (inc *incremental) listEarly(dir string, held *sysfile.Listings) {
	inc.listed = make(chan contentList, 1)
	go func() {
		names, err := listContent(sysfile.DirFSListed(dir, held))
		inc.listed <- contentList{names, err}
	}()
}

// usable reports whether the build keeps a cache.
func (inc *incremental) usable() bool { return inc != nil && inc.cache != nil }

// plan computes every page's key and reads what the cache holds for the
// pages whose key it knows. A cache that cannot be read is a notice and a
// full build.
func (inc *incremental) plan(p *prepared) {
	if !inc.usable() {
		return
	}
	var siteKey buildcache.Sum
	inc.keys, inc.own, siteKey = pageKeys(p, inc.sums, inc.binary)
	inc.groupSite, inc.reports = groupSiteKey(p, inc.sums, siteKey)
	// The keys hold all that the build needs of the content's hashes: at
	// 100,000 evaluations the hashes by name were 28 MB, kept to the end.
	inc.sums = nil
	inc.model = p.model
	inc.ownTemplates = p.override != nil
	inc.groups, inc.groupFiles = map[string]*groupRecord{}, map[string]bool{}
	inc.old = inc.loadIndex()
	// The output keeps the state of every file it writes, for the next
	// build; with the previous build's it is updated in place.
	var prev map[string]output.State
	if inc.old != nil {
		prev = inc.old.Output
	}
	inc.inPlace = inc.out.Track(prev)
}

// indexRead is the cache's index as readIndex read it.
type indexRead struct {
	idx *buildcache.Index
	err error
	// kept are the pages of idx whose files in the output are each
	// still as idx.Output records them (output.Dir.KeptAs).
	kept map[*buildcache.Entry]bool
	// patch is what a patch of the search index needs of idx.
	patch *patchPrep
}

// readIndex reads the cache's index on a goroutine of its own, while the
// records load: the index depends on nothing the load makes, and its
// decoding, most of a second at 100,000 evaluations, then costs the
// build no time of its own. Nothing is trusted of it until loadIndex
// has checked it against the keys.
//
// The output's files of its pages are then looked at, on all cores, for
// take: at 100,000 evaluations their lstat is most of a second that the
// load, waiting on its listing, leaves spare. Reuse looks at each again
// as it keeps it.
func (inc *incremental) readIndex() {
	inc.readDone = make(chan struct{})
	go func() {
		defer close(inc.readDone)
		idx, err := inc.cache.Load()
		inc.read.idx, inc.read.err = idx, err
		if err != nil || idx.Output == nil {
			return
		}
		entries := slices.Collect(maps.Values(idx.Entries))
		ok := make([]bool, len(entries))
		_ = par.Ranges(context.Background(), len(entries), func(lo, hi int) error {
			for i, e := range entries[lo:hi] {
				ok[lo+i] = !slices.ContainsFunc(e.Files, func(f buildcache.File) bool { return !inc.out.KeptAs(idx.Output, f.Name) })
			}
			return nil
		})
		inc.read.kept = make(map[*buildcache.Entry]bool, len(entries))
		for i, e := range entries {
			inc.read.kept[e] = ok[i]
		}
		inc.read.patch = inc.preparePatch(idx)
	}()
}

// waitIndex waits for readIndex and returns what it read.
func (inc *incremental) waitIndex() (*buildcache.Index, error) {
	if inc.readDone == nil {
		return nil, buildcache.ErrNoIndex
	}
	<-inc.readDone
	return inc.read.idx, inc.read.err
}

// loadIndex reads the cache's index and checks what it holds for the
// pages whose key it knows; nil for a build that takes nothing from it.
// A cache that cannot be read is a notice and a full build.
func (inc *incremental) loadIndex() *buildcache.Index {
	if inc.full {
		return nil
	}
	old, err := inc.waitIndex()
	inc.kept = inc.read.kept
	prep := inc.read.patch
	inc.read = indexRead{} // held by inc.old from here, when taken
	if errors.Is(err, buildcache.ErrNoIndex) {
		return nil
	}
	if err != nil {
		inc.notices = append(inc.notices, fmt.Sprintf("增量构建缓存 %s 无法使用（%v），本次完整生成并重建缓存", inc.cache.Dir(), err))
		return nil
	}
	// Check reads the segments the entries name: one entry of each pair
	// of segments stands for all, rather than a map of every page.
	want := map[string]*buildcache.Entry{}
	pairs := map[[2]string]bool{}
	for page, key := range inc.keys {
		if e := old.Entries[page]; e != nil && e.Key == key && !pairs[[2]string{e.Seg, e.LinkSeg}] {
			pairs[[2]string{e.Seg, e.LinkSeg}] = true
			want[page] = e
		}
	}
	// The groups' keys are known only as they are rendered: the link
	// facts of every group are checked.
	for name, e := range old.Groups {
		want["\x00group "+name] = e
	}
	// The documents are read as the pages are taken (addTaken), one at
	// a time: at 100,000 evaluations they are a gigabyte.
	if err := inc.cache.Check(old, want); err != nil {
		inc.notices = append(inc.notices, fmt.Sprintf("增量构建缓存 %s 无法使用（%v），本次完整生成并重建缓存", inc.cache.Dir(), err))
		return nil
	}
	inc.patchPrep = prep
	return old
}

// reuser is a writer that can also take a file unchanged from the
// previous output.
type reuser interface {
	Reuse(name string, data []byte) error
	ReuseUnread(name string) error
	ReuseCheckedAll(names []string) error
}

// take puts into w the pages of evals whose key the cache knows and whose
// files in the previous output are still what it recorded, and returns
// the evaluations left to render. A page with a file missing or changed
// (someone edited the output) is rendered again.
func (inc *incremental) take(ctx context.Context, w *guard, evals []*score.Evaluation) ([]*score.Evaluation, error) {
	if !inc.usable() {
		return evals, nil
	}
	inc.reused = make(map[string]*buildcache.Entry, len(evals))
	// The pages go in runs of takeRun: a run's files found intact are
	// kept with one call (guard.reuseCheckedAll), which takes each lock
	// on the way once. One call a file, the workers of a rebuild of
	// 100,000 evaluations waited for one another's locks more than they
	// kept files.
	runs := (len(evals) + takeRun - 1) / takeRun
	// What the build needs of the pages taken is gathered by each run
	// too: the pages left to render, in order, the count of each
	// segment's pages taken, the link segments, and how many of the
	// previous build's pages this one has. Gathered after the runs, they
	// were three passes over 100,000 pages on one core.
	type ranRun struct {
		rest  []*score.Evaluation
		live  map[string]int
		links map[string]bool
		known int
	}
	ran := make([]ranRun, runs)
	err := par.Each(ctx, runs, func(_ context.Context, i int) error {
		run := evals[i*takeRun : min((i+1)*takeRun, len(evals))]
		if inc.old == nil {
			ran[i].rest = run
			return nil
		}
		var names, pages []string
		var taken []*buildcache.Entry
		r := ranRun{live: map[string]int{}, links: map[string]bool{}}
		for _, e := range run {
			page := e.Path()
			entry := inc.old.Entries[page]
			key, ok := inc.keys[page]
			if entry != nil && ok {
				r.known++
			}
			if entry == nil || entry.Key != key {
				r.rest = append(r.rest, e)
				continue
			}
			if inc.checkedWhole(entry) {
				for _, f := range entry.Files {
					names = append(names, f.Name)
				}
			} else if ok, err := inc.takeFiles(w, entry); err != nil {
				return err
			} else if !ok {
				r.rest = append(r.rest, e)
				continue
			}
			pages, taken = append(pages, page), append(taken, entry)
			r.live[entry.Seg]++
			r.links[entry.LinkSeg] = true
		}
		if err := w.reuseCheckedAll(names); err != nil {
			return err
		}
		inc.mu.Lock()
		for j, entry := range taken {
			inc.reused[pages[j]] = entry
		}
		inc.mu.Unlock()
		ran[i] = r
		return nil
	})
	inc.kept = nil
	if err != nil {
		return nil, err
	}
	rest := make([]*score.Evaluation, 0, len(evals)-len(inc.reused))
	// Documents of the pages taken stay in their segments unless those
	// are mostly dead or many: then they move into the new one, so that
	// the cache stays within about twice what it needs.
	live := map[string]int{}
	// The facts of the groups taken stay in their segments too
	// (skipLinks): a segment that holds little else is kept for them
	// until the cache is compacted.
	linkSegs := map[string]bool{}
	inc.known = 0
	for _, r := range ran {
		rest = append(rest, r.rest...)
		for s, n := range r.live {
			live[s] += n
		}
		for s := range r.links {
			linkSegs[s] = true
		}
		inc.known += r.known
	}
	for _, e := range rest {
		inc.rendered[e.Path()] = new([]buildcache.File)
	}
	inc.compact = len(live) >= 8
	for s, n := range live {
		if n*2 < inc.old.Segments[s].Count {
			inc.compact = true
		}
	}
	if inc.old != nil {
		for _, e := range inc.old.Groups {
			linkSegs[e.LinkSeg] = true
		}
		delete(linkSegs, "")
		inc.compact = inc.compact || len(linkSegs) >= 8
	}
	inc.ords = map[string]int{}
	inc.seg, inc.segErr = inc.cache.NewSegment()
	if inc.segErr == nil {
		inc.linkOrds = map[string]int{}
		inc.linkSeg, inc.segErr = inc.cache.NewLinkSegment()
	}
	return rest, nil
}

// takeRun is how many pages take keeps with one call.
const takeRun = 256

// checkedWhole reports whether every file of entry is kept as checked
// (see takeFiles): the output is updated in place, the files were found
// intact beside the load, and the link check has the facts of each.
func (inc *incremental) checkedWhole(entry *buildcache.Entry) bool {
	if !inc.inPlace || entry.LinkSeg == "" || !inc.kept[entry] {
		return false
	}
	for _, f := range entry.Files {
		if f.Links <= 0 {
			return false
		}
	}
	return true
}

// takeFiles puts entry's files of the previous output into w when each
// is still what the cache recorded, and reports whether it did. A page
// with a file missing or changed (someone edited the output) is
// rendered again.
func (inc *incremental) takeFiles(w *guard, entry *buildcache.Entry) (bool, error) {
	data := make([][]byte, len(entry.Files))
	checked := false
	if inc.inPlace {
		// The output keeps the page's files where they are: they
		// are read only for the link check, when it reads them.
		if ok, looked := inc.kept[entry]; looked {
			checked = true
			if !ok {
				return false, nil
			}
		} else {
			for _, f := range entry.Files {
				if !inc.out.Kept(f.Name) {
					return false, nil
				}
			}
		}
		for i, f := range entry.Files {
			if entry.LinkSeg != "" && f.Links > 0 {
				continue // checked by its facts (addTaken)
			}
			if inc.wants != nil && inc.wants(f.Name) {
				b, err := inc.out.ReadPrevious(f.Name)
				if err != nil {
					return false, nil
				}
				data[i] = b
			}
		}
	} else {
		for i, f := range entry.Files {
			b, err := inc.out.ReadPrevious(f.Name)
			if err != nil || int64(len(b)) != f.Size || sha256.Sum256(b) != f.Sum {
				return false, nil
			}
			data[i] = b
		}
	}
	for i, f := range entry.Files {
		var err error
		switch {
		case inc.inPlace && entry.LinkSeg != "" && f.Links > 0 && checked:
			err = w.reuseCheckedAll([]string{f.Name})
		case inc.inPlace && entry.LinkSeg != "" && f.Links > 0:
			err = w.reuseUnread(f.Name)
		default:
			err = w.reuse(f.Name, data[i])
		}
		if err != nil {
			return false, err
		}
	}
	return true, nil
}

// keep writes the search document of a page rendered, or of a page taken
// when the cache is compacted, to the new segment as it comes, so that the
// build need not hold the documents until the cache is written. It is
// safe for concurrent use.
func (inc *incremental) keep(d search.Doc) {
	if !inc.usable() || inc.seg == nil {
		return
	}
	inc.mu.Lock()
	defer inc.mu.Unlock()
	taken := inc.reused[d.URL] != nil
	if inc.segErr != nil || taken && !inc.compact || !taken && inc.rendered[d.URL] == nil {
		return
	}
	ord, err := inc.seg.Add(d)
	if err != nil {
		inc.segErr = err
		return
	}
	inc.ords[d.URL] = ord
}

// captured is given the link check's facts of every file it reads as it
// reads it: it notes the hash of the file's ids (finishLinks, and the
// next build's), and keeps the facts of a file of an evaluation page
// being rendered or of a site-wide group (capturing).
func (inc *incremental) captured(name string, f *linkcheck.Facts) {
	sum := buildcache.Sum(f.IDsSum())
	keep := inc.capturing(name)
	inc.mu.Lock()
	defer inc.mu.Unlock()
	if inc.parsedIDs == nil {
		inc.parsedIDs = map[string]buildcache.Sum{}
	}
	inc.parsedIDs[name] = sum
	if keep {
		inc.addLinks(name, f)
	}
}

// capturing reports whether the link check's facts of the file name are
// to be kept: it belongs to an evaluation page being rendered, or to a
// site-wide group (groups.go).
func (inc *incremental) capturing(name string) bool {
	if inc.rendered[pageOf(name)] != nil {
		return true
	}
	inc.mu.Lock()
	defer inc.mu.Unlock()
	return inc.groupFiles[name]
}

// keepHeld writes the facts of a file of a group of the previous build to
// the new link segment, as keepLinks does, unless the render has captured
// the file's facts already: the group was rendered again. If the render
// captures them later, keepLinks puts those in its place. Writing them
// while the segment's writer still numbers the same strings as the
// pages' is a third of the cost of writing them at the end. It is safe
// for concurrent use.
func (inc *incremental) keepHeld(name string, f *linkcheck.Facts) {
	inc.mu.Lock()
	defer inc.mu.Unlock()
	if _, captured := inc.linkOrds[name]; !captured {
		inc.addLinks(name, f)
	}
}

// keepLinks writes the link check's facts of a file of a page rendered to
// the new link segment as they come. It is safe for concurrent use.
func (inc *incremental) keepLinks(name string, f *linkcheck.Facts) {
	inc.mu.Lock()
	defer inc.mu.Unlock()
	inc.addLinks(name, f)
}

// addLinks is keepLinks with inc.mu held.
func (inc *incremental) addLinks(name string, f *linkcheck.Facts) {
	if inc.linkSeg == nil || inc.segErr != nil {
		return
	}
	ord, err := inc.linkSeg.AddLinks(name, f)
	if err != nil {
		inc.segErr = err
		return
	}
	inc.linkOrds[name] = ord
}

// taken returns how many pages were taken from the previous output.
func (inc *incremental) taken() int {
	if inc == nil {
		return 0
	}
	return len(inc.reused)
}

// addTaken gives the search documents and the published files of the
// pages taken to the render's assembler and to published, as if they had
// been rendered. A cache that changed since plan checked it fails the
// build: its pages are already taken.
func (inc *incremental) addTaken(asm *assemble.Assembler, published map[string]bool) error {
	if inc == nil || len(inc.reused) == 0 && len(inc.takenGroups()) == 0 {
		return inc.changedCache(inc.takenLinks())
	}
	for _, e := range inc.reused {
		for _, name := range e.Published {
			published[name] = true
		}
	}
	// The segments decode in order on this goroutine; the index
	// tokenises each document on the workers.
	docs := make(chan search.Doc, par.Workers())
	var wg sync.WaitGroup
	for range par.Workers() {
		wg.Go(func() {
			for d := range docs {
				asm.AddDoc(d)
			}
		})
	}
	var err error
	switch {
	case !inc.skipDocs:
		err = inc.cache.EachDoc(inc.old, inc.reused, func(_ string, d search.Doc) { docs <- d })
	case inc.compact:
		// The index is patched: the documents only move to the new
		// segment.
		err = inc.cache.EachDoc(inc.old, inc.reused, func(_ string, d search.Doc) { inc.keep(d) })
	}
	close(docs)
	wg.Wait()
	if lerr := inc.takenLinks(); err == nil {
		err = lerr
	}
	return inc.changedCache(err)
}

// changedCache says what an error reading the cache after plan checked it
// means: the cache changed during the build.
func (inc *incremental) changedCache(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("增量构建缓存 %s 在构建中被改动（%w）；请重新构建", inc.cache.Dir(), err)
}

// startLinks adds the pages kept in place to the link check by their
// facts, and moves the facts into the new link segment when the cache is
// compacted, on a goroutine of its own while the render runs: at 100,000
// evaluations decoding and judging the facts is two seconds of CPU that
// the render does not wait for. takenLinks waits for it.
//
// The facts of the groups kept in place move to the new segment always,
// so that no older segment is kept for a few pages' facts: those of every
// group of the previous build move in the same pass as the pages'
// (keepHeld), and the render's capture of a group rendered again takes
// their place. Which groups are kept is known only once the render is
// done, so the facts are also held (a few thousand files), and
// takenLinks adds those of the groups kept to the check.
//
// The facts are added on that goroutine as they are decoded: a page's
// references come resolved (linkcheck.Facts), and judging them is a few
// lookups each, less than handing them to other goroutines would cost.
// The check is safe for concurrent use; a reference to a page the render
// has not written yet waits for it as any other does.
//
// In an output updated in place, when the cache is not compacted, the
// site has no templates of its own and no evaluation page was removed,
// none of this is done (skipLinks):
// the pages and groups taken passed the previous build's check, and
// their references are judged again only if something they may lead to
// went away (finishLinks). At 100,000 evaluations, reading and judging
// the facts of every page taken, and moving the groups' facts, were the
// largest cost of a rebuild's render after one edited record.
func (inc *incremental) startLinks() {
	if !inc.usable() || inc.old == nil || !inc.inPlace && !inc.compact {
		return
	}
	if inc.inPlace && !inc.compact && !inc.ownTemplates && !inc.pageRemoved() {
		inc.skipLinks = true
		return
	}
	want, groupFiles := inc.reused, map[string]bool{}
	if inc.inPlace && len(inc.old.Groups) > 0 {
		want = maps.Clone(inc.reused)
		for name, e := range inc.old.Groups {
			want["\x00group "+name] = e
			for _, f := range e.Files {
				groupFiles[f.Name] = true
			}
		}
	}
	held := map[string]*linkcheck.Facts{}
	done := make(chan error, 1)
	inc.linksDone, inc.heldLinks = done, held
	go func() {
		done <- inc.cache.EachLinks(inc.old, want, func(name string, f *linkcheck.Facts) {
			if groupFiles[name] {
				inc.keepHeld(name, f)
				held[name] = f.Clone()
				return
			}
			if inc.compact {
				inc.keepLinks(name, f)
			}
			if inc.inPlace {
				inc.links.AddFacts(name, f)
			}
		})
	}()
}

// pageRemoved reports whether an evaluation page of the previous build
// is not in this one: its files go away, and finishLinks would read the
// facts after the render that startLinks reads beside it.
func (inc *incremental) pageRemoved() bool {
	if inc.known == len(inc.old.Entries) {
		// Each of the previous build's pages is one take was given.
		return false
	}
	for page := range inc.old.Entries {
		if _, ok := inc.keys[page]; !ok {
			return true
		}
	}
	return false
}

// finishLinks completes the link check of a build that did not add the
// pages and groups taken by their facts (skipLinks), once every file of
// the site is written. A build whose check found no problem saves its
// cache and none other does, so each of their references passed in the
// build that saved it. Such a reference fails now only if what it leads
// to went away since: a file of the previous output that is not in this
// site (a page removed), a file that is now also a folder, or an id that
// a file made again lost (its ids' hash differs from the one the cache
// recorded, or the cache recorded none). If nothing did, a reference of
// a page made again that leads into a page taken with a fragment passes
// when the page's previous version, still in the output until the
// commit, made it too, and is else judged by the ids of the page taken,
// read from the output; otherwise the pages and groups taken are added
// by their facts, as startLinks would have.
func (inc *incremental) finishLinks() error {
	if !inc.usable() || !inc.skipLinks {
		return nil
	}
	if inc.wentAway() == "" {
		// Each page is read and parsed on its own: the check is safe for
		// concurrent use, and what PassedBefore takes away of one page's
		// references is its own.
		pages := inc.links.Awaiting()
		_ = par.Each(context.Background(), len(pages), func(_ context.Context, i int) error {
			// The page as the previous build left it, when it did.
			if st, ok := inc.old.Output[pages[i]]; ok {
				if b, err := inc.out.ReadPrevious(pages[i]); err == nil && sha256.Sum256(b) == st.Sum {
					inc.links.PassedBefore(pages[i], b)
				}
			}
			return nil
		})
		names := inc.links.Awaited()
		data := make([][]byte, len(names))
		read := par.Each(context.Background(), len(names), func(_ context.Context, i int) error {
			var err error
			data[i], err = inc.out.ReadPrevious(names[i])
			return err
		}) == nil
		if read {
			for i, name := range names {
				inc.links.AddIDs(name, data[i])
			}
			return nil
		}
	}
	want := maps.Clone(inc.reused)
	for name, e := range inc.takenGroups() {
		want["\x00group "+name] = e
	}
	return inc.changedCache(inc.cache.EachLinks(inc.old, want, func(name string, f *linkcheck.Facts) {
		inc.links.AddFacts(name, f)
	}))
}

// wentAway returns a file of the previous output that this build's site
// lacks, or that lost an id or may have (see finishLinks), or "" when
// there is none.
func (inc *incremental) wentAway() string {
	if inc.links.Clash() {
		return "\x00a file that is also a folder"
	}
	// Every file of the site but the bulk file goes to the output and
	// the link check both (tee): a file of the previous output the check
	// lacks is one the output no longer has, and those the output knows
	// without a look at each of the previous build's files.
	for _, name := range inc.out.Gone() {
		// The search tool's bulk file is written beside the check
		// (writeBulk): no page's reference to it passes in any build.
		// A file that no reference led to (the search index's files,
		// which a patch removes as the texts change) breaks no page.
		if name != export.BulkPath && !inc.links.Has(name) && !inc.old.Unlinked[name] {
			return name
		}
	}
	taken := map[string]bool{}
	for _, e := range inc.takenGroups() {
		for _, f := range e.Files {
			taken[f.Name] = true
		}
	}
	var ofGroups map[string]buildcache.File
	for name, sum := range inc.parsedIDs {
		if _, ok := inc.old.Output[name]; !ok || taken[name] {
			continue
		}
		if e := inc.reused[pageOf(name)]; e != nil && slices.ContainsFunc(e.Files, func(f buildcache.File) bool { return f.Name == name }) {
			continue // taken as it was, and read for want of facts
		}
		old, ok := inc.old.IDs[name]
		if e := inc.old.Entries[pageOf(name)]; e != nil {
			if i := slices.IndexFunc(e.Files, func(f buildcache.File) bool { return f.Name == name }); i >= 0 && e.Files[i].Links != 0 {
				old, ok = e.Files[i].IDs, true
			}
		}
		if !ok {
			if ofGroups == nil {
				ofGroups = map[string]buildcache.File{}
				for _, e := range inc.old.Groups {
					for _, f := range e.Files {
						ofGroups[f.Name] = f
					}
				}
			}
			if f, found := ofGroups[name]; found && f.Links != 0 {
				old, ok = f.IDs, true
			}
		}
		if !ok || old != sum {
			return name
		}
	}
	return ""
}

// waitLinks waits for startLinks, if it still runs: a build that fails
// leaves nothing running.
func (inc *incremental) waitLinks() {
	if inc != nil && inc.linksDone != nil {
		<-inc.linksDone
		inc.linksDone = nil
	}
}

// takenLinks waits for startLinks, then adds the facts of the files of
// the groups kept in place, in name order.
func (inc *incremental) takenLinks() error {
	if inc == nil || inc.linksDone == nil {
		return nil
	}
	err := <-inc.linksDone
	inc.linksDone = nil
	if err != nil {
		return err
	}
	var names []string
	for _, e := range inc.takenGroups() {
		for _, f := range e.Files {
			if inc.heldLinks[f.Name] != nil {
				names = append(names, f.Name)
			}
		}
	}
	slices.Sort(names)
	for _, name := range names {
		inc.links.AddFacts(name, inc.heldLinks[name])
	}
	inc.heldLinks = nil
	return nil
}

// pageRecorder passes files on to w and notes the content hash of each file
// of an evaluation page being rendered, for the cache.
type pageRecorder struct {
	w   interface{ Write(string, []byte) error }
	inc *incremental
}

func (r pageRecorder) Write(name string, data []byte) error {
	files := r.inc.rendered[pageOf(name)]
	if files == nil {
		return r.w.Write(name, data)
	}
	return r.record(files, name, data, sha256.Sum256(data))
}

// WriteSummed is Write for data with its SHA-256 (see writeSummed).
func (r pageRecorder) WriteSummed(name string, data []byte, sum buildcache.Sum) error {
	if files := r.inc.rendered[pageOf(name)]; files != nil {
		return r.record(files, name, data, sum)
	}
	return writeSummed(r.w, name, data, sum)
}

// record passes a file of a page being rendered on, and notes it in files.
func (r pageRecorder) record(files *[]buildcache.File, name string, data []byte, sum buildcache.Sum) error {
	if err := writeSummed(r.w, name, data, sum); err != nil {
		return err
	}
	r.inc.mu.Lock()
	*files = append(*files, buildcache.File{Name: name, Size: int64(len(data)), Sum: sum})
	r.inc.mu.Unlock()
	return nil
}

// Create is Write for a file written in pieces: a file of an evaluation
// page is gathered and noted whole, any other passes on.
func (r pageRecorder) Create(name string) (io.WriteCloser, error) {
	if r.inc.rendered[pageOf(name)] != nil {
		return site.Create(writerOnly{r}, name)
	}
	return site.Create(r.w, name)
}

func (r pageRecorder) Reuse(name string, data []byte) error { return r.w.(reuser).Reuse(name, data) }

func (r pageRecorder) ReuseUnread(name string) error { return r.w.(reuser).ReuseUnread(name) }

func (r pageRecorder) ReuseCheckedAll(names []string) error {
	return r.w.(reuser).ReuseCheckedAll(names)
}

// pageOf returns the evaluation page path a file would belong to: its
// first two segments ("2023/roads/" of "2023/roads/photo.png").
func pageOf(name string) string {
	i := strings.IndexByte(name, '/')
	if i < 0 {
		return ""
	}
	j := strings.IndexByte(name[i+1:], '/')
	if j < 0 {
		return ""
	}
	return name[:i+1+j+1]
}

// record closes the segment the search documents went to (see keep) and
// prepares the index that describes the new output; it is saved only once
// the output is in place (commit). A cache that cannot be written is a
// notice, not a failed build: the next build is then a full one.
//
// It is called once every file of the site is written, and works on
// goroutines of its own (waitRecord waits for them) beside the end of
// the link check (finishLinks), which reads what they read and changes
// none of it: the index's map of every page, the segments' sync to the
// disk and the search index's look at every file of the manifest
// (prepareSearch) were a serial tail of the build, after every page was
// written and before the output could be put in place.
func (inc *incremental) record(p *prepared, published map[string]bool) {
	if !inc.usable() {
		return
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		if inc.recordErr = inc.prepareIndex(p, published); inc.recordErr == nil {
			// The index is encoded from here on (commit saves it).
			inc.prep = inc.cache.Prepare(inc.next)
		}
	})
	wg.Go(inc.prepareSearch)
	done := make(chan struct{})
	inc.recorded = done
	go func() {
		wg.Wait()
		close(done)
	}()
}

// waitRecord waits for record, and makes a cache it could not prepare a
// notice.
func (inc *incremental) waitRecord() {
	if inc == nil || inc.recorded == nil {
		return
	}
	<-inc.recorded
	inc.recorded = nil
	if err := inc.recordErr; err != nil {
		inc.recordErr = nil
		inc.notices = append(inc.notices, fmt.Sprintf("网站照常生成，但增量构建缓存未能写入（%v）；下次构建将完整生成", err))
		if inc.seg != nil {
			inc.seg.Discard()
		}
		if inc.linkSeg != nil {
			inc.linkSeg.Discard()
		}
		inc.seg, inc.linkSeg, inc.next, inc.prep = nil, nil, nil, nil
	}
}

func (inc *incremental) prepareIndex(p *prepared, published map[string]bool) error {
	if inc.segErr != nil {
		return inc.segErr
	}
	seg := inc.seg
	next := &buildcache.Index{Entries: make(map[string]*buildcache.Entry, len(p.model.Evaluations)), Segments: map[string]buildcache.Segment{}}
	// Pages taken one after another mostly share their segments: each
	// pair is noted once in a run of them.
	var lastSeg, lastLinkSeg string
	for _, e := range p.model.Evaluations {
		page := e.Path()
		if old := inc.reused[page]; old != nil {
			if !inc.compact {
				// The entry stays as it was, in its segments: the new
				// index shares it with the old, which nothing changes
				// now.
				if old.Seg != lastSeg || old.LinkSeg != lastLinkSeg {
					lastSeg, lastLinkSeg = old.Seg, old.LinkSeg
					next.Segments[old.Seg] = inc.old.Segments[old.Seg]
					if old.LinkSeg != "" {
						next.Segments[old.LinkSeg] = inc.old.Segments[old.LinkSeg]
					}
				}
				next.Entries[page] = old
				continue
			}
			entry := *old
			entry.Files = slices.Clone(old.Files)
			ord, ok := inc.ords[page]
			if !ok {
				return fmt.Errorf("no search document for %s", page)
			}
			entry.Ord, entry.Seg = ord, seg.Name()
			inc.linksOf(&entry)
			next.Entries[page] = &entry
			continue
		}
		files := inc.rendered[page]
		ord, ok := inc.ords[page]
		if files == nil || !ok {
			continue
		}
		entry := &buildcache.Entry{Key: inc.keys[page], Seg: seg.Name()}
		entry.Files = slices.Clone(*files)
		slices.SortFunc(entry.Files, func(a, b buildcache.File) int { return strings.Compare(a.Name, b.Name) })
		// A page whose own file is not among its files (a path of
		// another shape) is left out: it is rendered every time.
		if !slices.ContainsFunc(entry.Files, func(f buildcache.File) bool { return f.Name == page+"index.html" }) {
			continue
		}
		folder := folderOf(e)
		for name := range published {
			if strings.HasPrefix(name, folder) {
				entry.Published = append(entry.Published, name)
			}
		}
		slices.Sort(entry.Published)
		entry.Ord = ord
		inc.linksOf(entry)
		next.Entries[page] = entry
	}
	next.Groups = inc.groupEntries()
	for _, e := range next.Groups {
		if e.LinkSeg != "" && e.LinkSeg != inc.linkSeg.Name() {
			next.Segments[e.LinkSeg] = inc.old.Segments[e.LinkSeg]
		}
	}
	// The ids of the files read whose facts no entry points to (a page
	// taken keeps its entry's).
	for name, sum := range inc.parsedIDs {
		if _, ok := inc.linkOrds[name]; !ok && inc.reused[pageOf(name)] == nil {
			if next.IDs == nil {
				next.IDs = map[string]buildcache.Sum{}
			}
			next.IDs[name] = sum
		}
	}
	s, err := seg.Close()
	if err != nil {
		return err
	}
	if s.Count > 0 {
		next.Segments[seg.Name()] = s
	} else {
		seg.Discard()
		inc.seg = nil
	}
	ls, err := inc.linkSeg.Close()
	if err != nil {
		return err
	}
	if ls.Count > 0 {
		next.Segments[inc.linkSeg.Name()] = ls
	} else {
		inc.linkSeg.Discard()
		inc.linkSeg = nil
	}
	inc.next = next
	return nil
}

// linksOf points the files of entry at their link facts in the new link
// segment; a file without them (the link check does not read it) has none.
//
// A file's facts read in this build come with the hash of its ids;
// facts moved keep the hash the entry had.
func (inc *incremental) linksOf(entry *buildcache.Entry) {
	entry.LinkSeg = ""
	for i, f := range entry.Files {
		ids := f.IDs
		entry.Files[i].Links, entry.Files[i].IDs = 0, buildcache.Sum{}
		if ord, ok := inc.linkOrds[f.Name]; ok {
			if s, ok := inc.parsedIDs[f.Name]; ok {
				ids = s
			}
			entry.Files[i].Links, entry.Files[i].IDs = ord+1, ids
			entry.LinkSeg = inc.linkSeg.Name()
		}
	}
}

// unlinked returns the files of the output out that no reference of the
// site leads to (buildcache.Index.Unlinked), for the next build's
// wentAway. The link check knows the references of the files it read
// (linkcheck.Site.Linked); those of the pages and groups kept without a
// look (skipLinks) are the previous build's, and lead only to files of
// the previous site, since its check passed: such a file is unlinked
// now if it was then and no file read leads to it, and a file new in
// this site is unlinked if no file read leads to it.
//
// The files are judged on all cores: this is on the build's last stretch,
// where the other cores have nothing else to do.
func (inc *incremental) unlinked(out map[string]output.State) map[string]bool {
	names := slices.AppendSeq(make([]string, 0, len(out)), maps.Keys(out))
	linked := inc.links.LinkedAll(names)
	gone := make([]bool, len(names)) // no reference leads to names[i]
	_ = par.Ranges(context.Background(), len(names), func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			if linked[i] {
				continue
			}
			if !inc.skipLinks || inc.old == nil {
				gone[i] = true
			} else if _, had := inc.old.Output[names[i]]; !had || inc.old.Unlinked[names[i]] {
				gone[i] = true
			}
		}
		return nil
	})
	m := map[string]bool{}
	for i, name := range names {
		if gone[i] {
			m[name] = true
		}
	}
	return m
}

// folderOf is the record's folder of files in the content, with a
// trailing slash, whether or not it exists.
func folderOf(e *score.Evaluation) string {
	return strconv.Itoa(e.Year) + "/evaluations/" + e.Slug + "/"
}

// commit makes the cache follow the output: the old index goes before the
// swap (from then on it would describe an output that is gone), the new
// one is written after it, under the output's lock. A build killed in
// between leaves no index, and the next build is a full one.
//
// An index that could not be removed is left as it is: it is stale, not
// wrong, since a page is taken only when its key and its file's hash both
// match, and the swap goes on without a new index.
func (inc *incremental) commit(out *output.Dir) {
	inc.waitRecord()
	if !inc.usable() || inc.next == nil {
		return
	}
	if err := inc.cache.Invalidate(); err != nil {
		inc.notices = append(inc.notices, fmt.Sprintf("增量构建缓存未能更新（%v）；下次构建将完整生成", err))
		inc.abandon()
		return
	}
	// The pages' entries are encoded beside the end of the link check
	// and the swap (record); the output's files are known once it is in
	// place.
	prep := inc.prep
	out.AfterCommit(func() {
		inc.committed = true
		manifest := out.Manifest()
		if err := prep.Save(manifest, inc.unlinked(manifest)); err != nil {
			inc.notices = append(inc.notices, fmt.Sprintf("网站已生成，但增量构建缓存未能写入（%v）；下次构建将完整生成", err))
		} else {
			inc.saveSearch()
		}
	})
}

// abandon removes what a failed build wrote to the cache; the previous
// index and its segments stay as they were.
func (inc *incremental) abandon() {
	if inc != nil && inc.readDone != nil {
		<-inc.readDone // a build that stops early leaves no reader behind
	}
	inc.waitRecord()
	if inc != nil && !inc.committed {
		if inc.seg != nil {
			inc.seg.Discard()
		}
		if inc.linkSeg != nil {
			inc.linkSeg.Discard()
		}
		inc.seg, inc.linkSeg, inc.next = nil, nil, nil
	}
}

// contentSums are the content hashes of every regular file of the content
// folder, by slash path relative to it, and the paths in order.
type contentSums struct {
	names []string
	sums  map[string]buildcache.Sum
}

// hashContent hashes every regular file of the content folder (links,
// FIFOs and devices are left out: the load refuses them), taking the
// hash of a file in known from there instead of reading it again.
// Version-control folders are skipped: nothing in them is content.
func hashContent(ctx context.Context, dir string, known map[string]buildcache.Sum) (*contentSums, error) {
	names, err := listContent(sysfile.DirFS(dir))
	if err != nil {
		return nil, err
	}
	return hashNames(ctx, dir, names, func(name string) (buildcache.Sum, bool) {
		s, ok := known[name]
		return s, ok
	})
}

// listContent returns the regular files of the content folder fsys, as
// hashContent hashes them, in order.
func listContent(fsys fs.FS) ([]string, error) {
	var names []string
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); name != "." && (n == ".git" || n == ".svn" || n == ".hg") {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			names = append(names, name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	return names, nil
}

// hashNames is hashContent of the files names (listContent).
func hashNames(ctx context.Context, dir string, names []string, known func(string) (buildcache.Sum, bool)) (*contentSums, error) {
	fsys := sysfile.DirFS(dir)
	sums := make([]buildcache.Sum, len(names))
	found := make([]bool, len(names))
	_ = par.Ranges(context.Background(), len(names), func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			sums[i], found[i] = known(names[i])
		}
		return nil
	})
	var rest []int
	for i, ok := range found {
		if !ok {
			rest = append(rest, i)
		}
	}
	err := par.Each(ctx, len(rest), func(_ context.Context, j int) error {
		i := rest[j]
		f, err := fsys.Open(names[i])
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
		h.Sum(sums[i][:0])
		return nil
	})
	if err != nil {
		return nil, err
	}
	c := &contentSums{names: names, sums: make(map[string]buildcache.Sum, len(names))}
	for i, n := range names {
		c.sums[n] = sums[i]
	}
	return c, nil
}

// under writes to h the name and hash of every file under prefix.
func (c *contentSums) under(h hash.Hash, prefix string) {
	i := sort.SearchStrings(c.names, prefix)
	for ; i < len(c.names) && strings.HasPrefix(c.names[i], prefix); i++ {
		c.file(h, c.names[i])
	}
}

// file writes to h a file's name and hash, or that it is missing.
func (c *contentSums) file(h hash.Hash, name string) {
	field(h, name)
	if s, ok := c.sums[name]; ok {
		h.Write(s[:])
	} else {
		field(h, "\x00missing")
	}
}

// field writes s to h with its length, so that two fields never run
// into each other.
func field(h hash.Hash, s string) {
	var n [binary.MaxVarintLen64]byte
	h.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
	io.WriteString(h, s)
}

// pathField writes to h the path of e's page (content.Record.Path) as
// what makes it, its year and slug: at 100,000 evaluations making the
// path string of each evaluation of every series and related list took
// most of the keys' second of CPU.
func pathField(h hash.Hash, e *score.Evaluation) {
	var year [binary.MaxVarintLen64]byte
	h.Write(year[:binary.PutVarint(year[:], int64(e.Year))])
	field(h, e.Slug)
}

// pageKeys returns the key of every evaluation page of p's model (see
// the comment at the top of this file), by page path, with each
// evaluation's own inputs and the site's part of the keys, which the
// groups' keys are made of too (groups.go).
func pageKeys(p *prepared, sums *contentSums, binary buildcache.Sum) (keys map[string]buildcache.Sum, own map[*score.Evaluation]buildcache.Sum, siteKey buildcache.Sum) {
	m := p.model
	h := sha256.New()
	field(h, keyVersion)
	h.Write(binary[:])
	for _, name := range sums.names {
		if !strings.Contains(name, "/") {
			sums.file(h, name)
		}
	}
	sums.under(h, "templates/")
	if p.override != nil {
		// A template of the site's own may show anything of the site.
		field(h, "overridden")
		for _, name := range sums.names {
			sums.file(h, name)
		}
	}
	icon := sha256.Sum256(p.icon)
	h.Write(icon[:])
	if y := m.LatestYear(); y != nil {
		field(h, strconv.Itoa(y.Year))
	}
	field(h, fmt.Sprint(p.opts.Drafts, p.opts.Future))
	h.Sum(siteKey[:0])

	// Each evaluation's own inputs, once, then the keys, each pass on all
	// cores: at 100,000 evaluations they are most of a second of hashing.
	evals := m.Evaluations
	owns := make([]buildcache.Sum, len(evals))
	_ = par.Ranges(context.Background(), len(evals), func(lo, hi int) error {
		h := sha256.New()
		for i, e := range evals[lo:hi] {
			h.Reset()
			sums.file(h, p.rel(e.File))
			if e.NarrativeFile != "" {
				sums.file(h, p.rel(e.NarrativeFile))
			} else {
				field(h, "\x00no narrative")
			}
			sums.under(h, folderOf(e))
			for _, d := range e.Documents {
				sums.file(h, d.Name(e.Record))
			}
			pathField(h, e)
			field(h, e.Department)
			if d := m.Department(e.Department); d != nil {
				field(h, d.Slug)
			}
			if len(e.Findings) > 0 {
				field(h, e.Today.String())
			}
			field(h, m.NotPublic[e])
			h.Sum(owns[lo+i][:0])
		}
		return nil
	})
	own = make(map[*score.Evaluation]buildcache.Sum, len(evals))
	for i, e := range evals {
		own[e] = owns[i]
	}
	_ = par.Ranges(context.Background(), len(evals), func(lo, hi int) error {
		h := sha256.New()
		for i, e := range evals[lo:hi] {
			h.Reset()
			h.Write(siteKey[:])
			s := own[e]
			h.Write(s[:])
			if d := m.Department(e.Department); d != nil {
				field(h, d.Name+"\x00"+d.Slug+"\x00"+strconv.Itoa(len(d.Evaluations)))
			}
			for _, list := range [][]*score.Evaluation{m.Series(e), m.Related(e)} {
				field(h, strconv.Itoa(len(list)))
				for _, o := range list {
					s := own[o] // its path too
					h.Write(s[:])
				}
			}
			// owns[i] is done with: it now holds the key.
			h.Sum(owns[lo+i][:0])
		}
		return nil
	})
	keys = make(map[string]buildcache.Sum, len(evals))
	for i, e := range evals {
		keys[e.Path()] = owns[i]
	}
	return keys, own, siteKey
}

// rel returns a name as Load gives it (prefixed with the content
// folder's name) relative to the content folder.
func (p *prepared) rel(name string) string {
	if p.prefix == "." {
		return name
	}
	return strings.TrimPrefix(name, p.prefix+"/")
}

// pinnedBy returns the revision info was built from, and whether its
// version or revision pins the code: a module version (go install
// …@v1.2.0) or a revision of an unmodified tree. A build from a modified
// tree does not: since Go 1.24 it has a version too, the revision's
// pseudo-version with "+dirty", the same for every edit of the code
// until the next commit, and the pages' keys would then miss a change of
// the code that renders them.
func pinnedBy(info *debug.BuildInfo) (rev string, pinned bool) {
	modified := true
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	v := info.Main.Version
	if rev != "" {
		return rev, !modified && !strings.HasSuffix(v, "+dirty")
	}
	return rev, v != "" && v != "(devel)" && !strings.HasSuffix(v, "+dirty")
}

// binaryVersion hashes what the binary renders with: its default
// templates and assets, its module version and revision, and, when the
// revision does not pin the code (a build from a modified tree, a test),
// the executable itself.
func binaryVersion(files fs.FS) buildcache.Sum {
	h := sha256.New()
	_ = fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		field(h, name)
		field(h, string(b))
		return nil
	})
	pinned := false
	if info, ok := debug.ReadBuildInfo(); ok {
		field(h, info.GoVersion+"\x00"+info.Main.Path+"\x00"+info.Main.Version)
		var rev string
		rev, pinned = pinnedBy(info)
		field(h, rev)
	}
	if !pinned {
		if exe, err := os.Executable(); err == nil {
			if f, err := os.Open(exe); err == nil {
				io.Copy(h, f)
				f.Close()
			}
		}
	}
	var s buildcache.Sum
	h.Sum(s[:0])
	return s
}
