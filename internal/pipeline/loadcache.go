package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/evalpress/evalpress/internal/buildcache"
	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/par"
	"github.com/evalpress/evalpress/internal/score"
	"github.com/evalpress/evalpress/internal/sysfile"
)

// The cache of loaded records lets a build take each record whose files
// have not changed since the previous build as that build loaded,
// checked and scored it, without reading or decoding its .toml and .md
// again. It lives in the build cache's folder (parts "records-00" …),
// beside the pages' index, but it describes the content, not the output:
// it is written after every successful build and used by the next one,
// whatever became of the output.
//
// A record is given back when:
//
//   - the cache was made by the same binary (binaryVersion), for the same
//     content folder under the same name, with the same site.toml (its
//     grade bands and time zone decide the checks);
//   - the listing finds the same files for it (record, narrative, folder);
//   - its .toml, its .md and each of its [[documents]] is the same file as
//     then: same size, modification time, inode, device and change time
//     (where the system has the last three: see identify);
//   - the build's date is the same, when the record's checks depend on it
//     (findings and corrections).
//
// Its problems (warnings, notes) are reported again as they were, so that
// every run reports what a full load reports. A record with an error is
// never kept: the build stops there anyway, and it is read again.
//
// A file changed within the timestamp granularity of the load (racyGrain)
// is not kept, so that an edit in the same tick as the read is never
// mistaken for the file read. What remains unseen is an edit that keeps
// the size and sets the modification time back on a system without
// change times (Windows): -full reads everything.

// recordsVersion changes whenever what the cache keeps of a record, or
// how, changes (recordcodec.go). Each part starts with it, and the key
// every entry is made under includes it.
const recordsVersion = "evalpress loaded records 3"

// recordParts is the number of parts the records are spread over: an
// edit rewrites one part, and the parts decode on all cores.
const recordParts = 64

// racyGrain is the coarsest timestamp granularity of the file systems
// the cache trusts (FAT's two seconds): a file whose modification or
// change time is not before the load's start rounded down to it is not
// kept. Tests lower it.
var racyGrain = 2 * time.Second

// fileID is what identifies a file between two builds.
type fileID struct {
	Name         string // in the content folder
	Size         int64
	MTime, CTime int64 // Unix nanoseconds; CTime 0 where unknown
	Ino, Dev     uint64
}

// loadEntry is one record as a build loaded it.
type loadEntry struct {
	Files content.RecordFiles
	// IDs are the record's file, its narrative (when it has one) and its
	// documents; Sums the content hashes of the first one or two as the
	// load read them, for the pages' keys.
	IDs  []fileID
	Sums []buildcache.Sum
	// Today is the build's date when the record's checks depend on it,
	// zero otherwise.
	Today content.Date
	// Eval is kept without its record's indicator tree, which is kept
	// packed in Indicators (content.Record.PackedIndicators), and given
	// back frozen (content.Record.SetFrozenIndicators). Indicators share
	// the buffer of the part they were decoded from, as the frozen tree
	// does.
	Eval       *score.Evaluation
	Indicators []byte `cache:"shared"`
	Narrative  content.NarrativeRef
	Problems   []problem
	// same is set, as the entry is decoded, when each of its files is
	// still the one IDs name (not kept: the cache keeps exported fields
	// only).
	same bool
	// part is the part the entry was decoded from, where save puts it
	// back (partOf, a hash of its name, for an entry loaded anew).
	part int
	// given is set when get gives the entry back: once only, and save
	// keeps the entries given. A flag of the entry's own rather than a
	// map under a lock: the loading workers asked for 100,000 at once.
	given atomic.Bool
}

// problem is a diag.Diagnostic as the cache keeps it (diag.Severity
// encodes itself as text only).
type problem struct {
	File             string
	Line, Col        int
	Severity         int
	Field, Msg, Hint string
}

// recordCache is one build's use of the cache of loaded records.
type recordCache struct {
	cache   *buildcache.Cache
	content string // the content folder, where files are looked up
	prefix  string
	binary  buildcache.Sum
	recall  bool  // false with -full: remember only
	cutoff  int64 // Unix ns: files changed at or after are not kept
	// quiet reports the files known not to have changed since the
	// previous build (Options.Quiet); nil when none is known.
	quiet func(name string) bool
	// sumOf reaches the hashes of the files the load read
	// (incremental.loaded).
	sumOf func(name string) (buildcache.Sum, bool)
	// given are the entries as read (old), kept by save for givenSum
	// until the content is hashed.
	given map[string]*loadEntry

	// early are the parts as decodeAll read them, under earlyKey;
	// earlyDone is closed once it has.
	early     [recordParts]partRead
	earlyKey  buildcache.Sum
	earlyDone chan struct{}
	// recalling is newRecordCache's, called at most once.
	recalling func()

	once sync.Once
	key  buildcache.Sum
	old  map[string]*loadEntry
	// oldCount is the number of entries each part held (-1: unreadable),
	// to know which parts must be written again.
	oldCount [recordParts]int

	// saved is set once save has written every part it had to.
	saved bool

	// dir is the content folder held open while files are looked at
	// (stat), until save.
	dir *sysfile.Folder

	mu       sync.Mutex
	fresh    map[string]*loadEntry // loaded by this build
	notices  []string
	recalled atomic.Int64 // entries given back
}

// recalling, when not nil, is called once, as soon as a part of the
// cache turns out to hold records made under the key of this build
// (the same binary and site.toml): the build is then a rebuild that
// gets its records back.
func newRecordCache(c *buildcache.Cache, contentDir, prefix string, binary buildcache.Sum, full bool, start time.Time, quiet func(string) bool, recalling func()) *recordCache {
	cut := start.UnixNano()
	if g := racyGrain.Nanoseconds(); g > 1 {
		cut -= cut % g
	}
	if recalling == nil {
		recalling = func() {}
	}
	rc := &recordCache{cache: c, content: contentDir, prefix: prefix, binary: binary, recall: !full, cutoff: cut,
		quiet: quiet, fresh: map[string]*loadEntry{}, dir: sysfile.HoldFolder(contentDir), recalling: sync.OnceFunc(recalling)}
	// A build that stops before save (cancelled) lets go of the folder
	// with the cache.
	runtime.AddCleanup(rc, (*sysfile.Folder).Release, rc.dir)
	if rc.recall {
		rc.earlyDone = make(chan struct{})
		go rc.decodeAll()
	}
	return rc
}

// partRead is one part as decodeAll read it: its entries made under the
// key it was read with, how many it held in all (-1 when it could not be
// read), and why it could not.
type partRead struct {
	entries []*loadEntry
	count   int
	err     error
}

// partOf is the part a record's entry is kept in.
func partOf(record string) int {
	h := fnv.New32a()
	h.Write([]byte(record))
	return int(h.Sum32() % recordParts)
}

func partName(i int) string { return fmt.Sprintf("records-%02d", i) }

// siteKey is the key every entry is made under: the binary, the content
// folder and its name in messages, and site.toml as the load read it.
func (rc *recordCache) siteKey() buildcache.Sum {
	s, ok := rc.sumOf("site.toml")
	return rc.keyOf(s, ok)
}

// keyOf is siteKey for site.toml's hash s (ok false: no site.toml).
func (rc *recordCache) keyOf(s buildcache.Sum, ok bool) buildcache.Sum {
	h := sha256.New()
	field(h, recordsVersion)
	h.Write(rc.binary[:])
	abs, err := filepath.Abs(rc.content)
	if err != nil {
		abs = rc.content
	}
	field(h, abs)
	field(h, rc.prefix)
	if ok {
		h.Write(s[:])
	} else {
		field(h, "\x00no site.toml")
	}
	var k buildcache.Sum
	h.Sum(k[:0])
	return k
}

// decodeAll decodes every part, on all cores, as soon as the build
// starts: the records' cache depends on nothing the load makes but
// site.toml's hash, and its decoding and the identity checks of its
// files, seconds of CPU at 100,000 evaluations, then run beside the
// listing of the content, which keeps one core busy. The key is guessed
// from site.toml as read here; read uses what was decoded only when the
// load read the same site.toml.
//
// Each entry's files are looked at as it is decoded (same): a file
// changed after the build started is either seen changed, or changed
// after the load would have read it, as with a record read.
func (rc *recordCache) decodeAll() {
	defer close(rc.earlyDone)
	b, err := fs.ReadFile(sysfile.DirFS(rc.content), "site.toml")
	rc.earlyKey = rc.keyOf(sha256.Sum256(b), err == nil)
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(recordParts, par.Workers()) {
		wg.Go(func() {
			for i := range next {
				entries, n, err := rc.readPart(i, rc.earlyKey)
				if len(entries) > 0 {
					rc.recalling()
				}
				for _, e := range entries {
					e.same = rc.unchanged(e)
					e.part = i
				}
				rc.early[i] = partRead{entries, n, err}
			}
		})
	}
	for i := range recordParts {
		next <- i
	}
	close(next)
	wg.Wait()
}

// unchanged reports whether each of e's files is still the one its IDs
// name: known quiet (Options.Quiet), or looked at.
func (rc *recordCache) unchanged(e *loadEntry) bool {
	for _, id := range e.IDs {
		if rc.quiet != nil && rc.quiet(id.Name) {
			continue
		}
		if now, err := rc.stat(id.Name); err != nil || now != id {
			return false
		}
	}
	return true
}

// read takes what decodeAll decoded the first time a record is asked
// for: site.toml has been read by then. A part that cannot be read is a
// notice; its records are loaded as if it were not there.
func (rc *recordCache) read() {
	rc.key = rc.siteKey()
	rc.old = map[string]*loadEntry{}
	if !rc.recall {
		for i := range rc.oldCount {
			rc.oldCount[i] = -1 // written anew
		}
		return
	}
	<-rc.earlyDone
	for i, pr := range rc.early {
		rc.oldCount[i] = pr.count
		if pr.err != nil {
			rc.notices = append(rc.notices, fmt.Sprintf("已加载记录的缓存文件 %s 无法使用（%v），其中的记录重新读取", partName(i), pr.err))
		}
		if rc.key != rc.earlyKey {
			continue // site.toml changed as the build started: its records are read again
		}
		for _, e := range pr.entries {
			rc.old[e.Files.Record] = e
		}
	}
	rc.early = [recordParts]partRead{}
}

// readPart returns the entries of part i made under key, and how many
// entries it held in all (-1 when it could not be read).
func (rc *recordCache) readPart(i int, key buildcache.Sum) ([]*loadEntry, int, error) {
	b, err := rc.cache.ReadPart(partName(i))
	if errors.Is(err, buildcache.ErrNoPart) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, -1, err
	}
	return decodePart(b, key)
}

// encodePart encodes the part of entries made under key: recordsVersion,
// the key, how many entries follow, and the entries. Their records'
// indicator trees must be nil (they go packed, in Indicators).
func encodePart(key buildcache.Sum, entries []*loadEntry, sizes *partSizes) ([]byte, error) {
	// A part is megabytes: grown by appends from nothing, its buffer was
	// copied at each doubling into memory new to the process, 8 of the 11
	// s of CPU the cache's saving took in a build of 100,000 evaluations.
	// Sized at the mean of the entries encoded so far for the same use
	// (sizes), and a sixteenth more, it is allocated about once.
	n, size := sizes.entries.Load(), sizes.bytes.Load()
	est := len(recordsVersion) + 1 + len(key) + binary.MaxVarintLen64
	if n > 0 {
		est += int(size/n+size/n/16) * len(entries)
	}
	b := make([]byte, 0, est)
	b = append(append(b, recordsVersion+"\n"...), key[:]...)
	b = binary.AppendUvarint(b, uint64(len(entries)))
	var err error
	start := len(b)
	for _, e := range entries {
		if b, err = encodeEntry(b, e); err != nil {
			return nil, err
		}
	}
	sizes.entries.Add(int64(len(entries)))
	sizes.bytes.Add(int64(len(b) - start))
	return b, nil
}

// partSizes counts the entries and bytes encodePart encoded for one use,
// for the size of its next buffer: the parts saved (savedSizes), and the
// copies settle makes, whose entries hold less and whose buffers the
// records keep (settledSizes).
type partSizes struct{ entries, bytes atomic.Int64 }

var savedSizes, settledSizes partSizes

// decodePart returns the entries of the part b if it was made under key,
// and how many entries it held in all (-1 when unknown): the entries'
// strings and Indicators share b, which must not change afterwards.
func decodePart(b []byte, key buildcache.Sum) ([]*loadEntry, int, error) {
	rest, ok := bytes.CutPrefix(b, []byte(recordsVersion+"\n"))
	if !ok {
		// Another version's part: as another binary's, not an error,
		// and unknown, so that it is written anew.
		return nil, -1, nil
	}
	d := decoder{b: rest, slabs: make([]slab, entryTypes)}
	var head buildcache.Sum
	if len(rest) < len(head) {
		return nil, -1, errRecordsShort
	}
	d.at = copy(head[:], rest)
	n := d.count(1)
	if d.err != nil {
		return nil, -1, d.err
	}
	if head != key {
		return nil, n, nil // another binary, site.toml or folder: not an error
	}
	// The entries are one allocation, and what they hold is allocated
	// at its final size, its strings sharing b: a rebuild decodes
	// every part, and each object less is less for the collector.
	slab := make([]loadEntry, n)
	entries := make([]*loadEntry, n)
	for i := range slab {
		e := &slab[i]
		entryCodec.dec(&d, unsafe.Pointer(e))
		if d.err != nil {
			return nil, -1, d.err
		}
		if e.Eval == nil || e.Eval.Record == nil || len(e.IDs) == 0 || len(e.Sums) == 0 ||
			!e.Eval.Record.SetFrozenIndicators(e.Indicators) {
			return nil, -1, errors.New("缓存条目不完整")
		}
		entries[i] = e
	}
	if d.at != len(d.b) {
		return nil, -1, errors.New("已加载记录的缓存末尾有多余内容")
	}
	return entries, n, nil
}

// stat returns the identity of the content file name.
func (rc *recordCache) stat(name string) (fileID, error) {
	if st, held, err := rc.dir.Lstat(name); held {
		if err != nil {
			return fileID{}, err
		}
		return fileID{Name: name, Size: st.Size, MTime: st.MTime, CTime: st.CTime, Ino: st.Ino, Dev: st.Dev}, nil
	}
	st, err := os.Lstat(filepath.Join(rc.content, filepath.FromSlash(name)))
	if err != nil {
		return fileID{}, err
	}
	if !st.Mode().IsRegular() {
		return fileID{}, fmt.Errorf("%s is not a regular file", name)
	}
	id := fileID{Name: name, Size: st.Size(), MTime: st.ModTime().UnixNano()}
	identify(&id, st)
	return id, nil
}

// datesMatter reports whether e's checks depend on the build's date.
func datesMatter(r *content.Record) bool {
	return len(r.Findings) > 0 || len(r.Corrections) > 0
}

// get gives back the record of f as a previous build loaded it, its
// problems reported into l, or nil when the cache has none that is
// still true (see the comment at the top of this file).
func (rc *recordCache) get(f content.RecordFiles, bands score.Bands, today content.Date, l *diag.List) *score.Evaluation {
	rc.once.Do(rc.read)
	e := rc.old[f.Record]
	if e == nil || e.Files != f {
		return nil
	}
	r := e.Eval.Record
	if datesMatter(r) && e.Today != today {
		return nil
	}
	if !e.same {
		return nil
	}
	if !e.given.CompareAndSwap(false, true) {
		return nil // asked twice: never give one record to two jobs
	}
	rc.recalled.Add(1)
	ev := e.Eval
	ev.SetBands(bands)
	ev.Today = today
	r.SetNarrativeRef(e.Narrative)
	for _, p := range e.Problems {
		l.Add(diag.Diagnostic{Pos: diag.Pos{File: p.File, Line: p.Line, Col: p.Col}, Severity: diag.Severity(p.Severity),
			Field: p.Field, Message: p.Msg, Hint: p.Hint})
	}
	return ev
}

// givenSum returns the hash of the content file name when it is the
// record or the narrative of an entry given back: the content's hashing
// (hashNames) then need not read it. It is safe for concurrent use once
// save has run.
func (rc *recordCache) givenSum(name string) (buildcache.Sum, bool) {
	record, i := name, 0
	if n, ok := strings.CutSuffix(name, ".md"); ok {
		record, i = n+".toml", 1
	}
	e := rc.given[record]
	if e == nil || !e.given.Load() || i >= len(e.Sums) || i == 1 && e.Files.Narrative != name {
		return buildcache.Sum{}, false
	}
	return e.Sums[i], true
}

// put keeps the record of f that this build loaded, unless it has an
// error or one of its files changed too recently to be told from the
// file read (racyGrain).
func (rc *recordCache) put(f content.RecordFiles, ev *score.Evaluation, probs []diag.Diagnostic) {
	if ev == nil {
		return
	}
	rc.once.Do(rc.read)
	e := &loadEntry{Files: f, Eval: ev, Narrative: ev.Record.NarrativeRef(), Indicators: ev.Record.PackedIndicators()}
	for _, p := range probs {
		if p.Severity == diag.Error {
			return
		}
		e.Problems = append(e.Problems, problem{File: p.File, Line: p.Line, Col: p.Col, Severity: int(p.Severity),
			Field: p.Field, Msg: p.Message, Hint: p.Hint})
	}
	names := []string{f.Record}
	if f.Narrative != "" {
		names = append(names, f.Narrative)
	}
	for _, name := range names {
		s, ok := rc.sumOf(name)
		if !ok {
			return
		}
		e.Sums = append(e.Sums, s)
	}
	for _, d := range ev.Record.Documents {
		names = append(names, d.Name(ev.Record))
	}
	for _, name := range names {
		id, err := rc.stat(name)
		if err != nil || id.MTime >= rc.cutoff || id.CTime >= rc.cutoff {
			return
		}
		e.IDs = append(e.IDs, id)
	}
	if datesMatter(ev.Record) {
		e.Today = ev.Today // the date its checks were made on
	}
	rc.mu.Lock()
	rc.fresh[f.Record] = e
	rc.mu.Unlock()
}

// save writes again each part whose records changed: one was loaded
// anew, or one it held is gone or no longer true. A part that cannot be
// written is a notice; the next build reads its records again. The
// parts are encoded and written on all cores.
//
// It is called once, right after the load (loadHooks.settle), and then
// lets go of the entries: at 30,000 evaluations they are 15 MB of live
// heap that every collection of the render would scan again.
//
// It settles each part's records loaded anew as the part is saved (see
// settle, with bands) and calls swap with each such evaluation and its
// copy, from the saving workers, one part at a time each: the build
// puts the copy in the evaluation's place, and the evaluation is
// garbage before the next parts are decoded.
func (rc *recordCache) save(bands score.Bands, swap func(old, settled *score.Evaluation)) {
	rc.once.Do(rc.read) // a site without records still records its key
	defer func() { rc.given, rc.old, rc.fresh = rc.old, nil, nil }()
	rc.dir.Release() // the load is done: no file is looked at any more
	var byPart [recordParts][]*loadEntry
	var fresh [recordParts]bool
	for _, e := range rc.old {
		if e.given.Load() {
			byPart[e.part] = append(byPart[e.part], e)
		}
	}
	for name, e := range rc.fresh {
		i := partOf(name)
		byPart[i] = append(byPart[i], e)
		fresh[i] = true
	}
	var errs [recordParts]error
	_ = par.Each(context.Background(), recordParts, func(_ context.Context, i int) error {
		if !fresh[i] && len(byPart[i]) == rc.oldCount[i] {
			return nil
		}
		entries := byPart[i]
		slices.SortFunc(entries, func(a, b *loadEntry) int { return strings.Compare(a.Files.Record, b.Files.Record) })
		// The trees go packed (Indicators): nothing else runs while
		// the cache is saved, and the records get them back at once.
		inds := make([][]*content.Indicator, len(entries))
		for j, e := range entries {
			inds[j], e.Eval.Record.Indicators = e.Eval.Record.Indicators, nil
		}
		b, err := encodePart(rc.key, entries, &savedSizes)
		var copies []*score.Evaluation
		if err == nil {
			copies = settle(rc.key, entries, bands)
		}
		for j, e := range entries {
			e.Eval.Record.Indicators = inds[j]
		}
		for j, c := range copies {
			if c != nil {
				old := entries[j].Eval
				entries[j].Eval = c
				swap(old, c)
			}
		}
		if err != nil {
			errs[i] = err
			return nil
		}
		errs[i] = rc.cache.WritePart(partName(i), b)
		return nil
	})
	rc.saved = true
	for _, err := range errs {
		if err != nil { // one notice says it
			rc.notices = append(rc.notices, fmt.Sprintf("已加载记录的缓存未能写入（%v）；下次构建重新读取这些记录", err))
			rc.saved = false
			break
		}
	}
}

// settle returns, for each of entries loaded anew (not given back: those
// are decoded already), its evaluation's copy as the cache decodes it
// (encodePart, decodePart), made whole as get makes an entry it gives
// back; nil for the others, and nil altogether when the part does not
// decode. The records' indicator trees must be nil, as for encodePart.
//
// A build holds every record it loaded until its last page, and the
// collector goes over them at each collection: at 100,000 evaluations
// 1.4 million of the live heap's 3.7 million objects, as the TOML
// decoder made them, each string, list and amount on its own, scattered
// among the load's garbage, which left some 400 MB of the heap's spans
// unused. Decoded, a part's records are a few slabs (recordcodec.go) and
// their texts share one block of bytes, which the collector does not
// scan. What the render forgets once a record's pages are made
// (content.Record.ReleasePageData: the indicators, the goal and the
// outcome) stays out of that block, in memory of its own, so that
// forgetting it frees it.
func settle(key buildcache.Sum, entries []*loadEntry, bands score.Bands) []*score.Evaluation {
	var fresh []*loadEntry
	var at []int // in entries
	for j, e := range entries {
		if !e.given.Load() {
			fresh, at = append(fresh, e), append(at, j)
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	type pageData struct {
		inds          []byte
		goal, outcome string
	}
	held := make([]pageData, len(fresh))
	for j, e := range fresh {
		r := e.Eval.Record
		held[j] = pageData{e.Indicators, r.Goal, r.Outcome}
		e.Indicators, r.Goal, r.Outcome = nil, "", ""
	}
	b, err := encodePart(key, fresh, &settledSizes)
	for j, e := range fresh {
		r := e.Eval.Record
		e.Indicators, r.Goal, r.Outcome = held[j].inds, held[j].goal, held[j].outcome
	}
	if err != nil {
		return nil
	}
	copies, _, err := decodePart(b, key)
	if err != nil || len(copies) != len(fresh) {
		return nil
	}
	out := make([]*score.Evaluation, len(entries))
	for j, e := range fresh {
		c := copies[j]
		ev, r := c.Eval, c.Eval.Record
		if c.Files != e.Files || !r.SetFrozenIndicators(held[j].inds) {
			return nil
		}
		r.Goal, r.Outcome = held[j].goal, held[j].outcome
		ev.SetBands(bands)
		r.SetNarrativeRef(c.Narrative)
		r.KeepPath()
		out[at[j]] = ev
	}
	return out
}

// loadHooks are what a build's cache gives the load: the hash of each
// file read (for the pages' keys) and the cache of loaded records.
type loadHooks struct {
	read    func(name string, data []byte)
	records *recordCache
}

// settle saves the cache of loaded records as soon as the load is done
// (recordCache.save), and puts in place of each record loaded anew, in
// records and evalOf, its copy as the cache decodes it (see settle,
// the function), so that the collector has that many fewer objects to
// go over for the rest of the build. A nil h does nothing.
func (h *loadHooks) settle(records []*content.Record, evalOf map[*content.Record]*score.Evaluation, bands score.Bands) {
	if h == nil || h.records == nil {
		return
	}
	at := make(map[*score.Evaluation]int, len(records))
	for i, r := range records {
		at[evalOf[r]] = i
	}
	var mu sync.Mutex
	h.records.save(bands, func(old, settled *score.Evaluation) {
		mu.Lock()
		defer mu.Unlock()
		i, ok := at[old]
		if !ok {
			return
		}
		delete(at, old)
		delete(evalOf, old.Record)
		records[i] = settled.Record
		evalOf[settled.Record] = settled
	})
}

// use sets the hooks of h into opts: evaluations given back by the cache
// go into evalOf under mu, as the ones Inspect makes. A nil h sets none.
func (h *loadHooks) use(opts *content.Options, now time.Time, mu *sync.Mutex, evalOf map[*content.Record]*score.Evaluation, l *diag.List) {
	if h == nil {
		return
	}
	opts.Read = h.read
	rc := h.records
	if rc == nil {
		return
	}
	today := func(s *content.Site) content.Date { return content.DateOf(now.In(s.Location)) }
	if rc.recall {
		opts.Recall = func(s *content.Site, f content.RecordFiles) *content.Record {
			ev := rc.get(f, bandsOf(s), today(s), l)
			if ev == nil {
				return nil
			}
			mu.Lock()
			evalOf[ev.Record] = ev
			mu.Unlock()
			return ev.Record
		}
	}
	opts.Remember = func(f content.RecordFiles, r *content.Record, probs []diag.Diagnostic) {
		mu.Lock()
		ev := evalOf[r]
		mu.Unlock()
		rc.put(f, ev, probs)
	}
}
