package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/evalpress/evalpress/internal/buildcache"
	"github.com/evalpress/evalpress/internal/output"
	"github.com/evalpress/evalpress/internal/par"
	"github.com/evalpress/evalpress/internal/search"
)

// A rebuild in which few evaluations changed patches the previous build's
// search index instead of making it again from every document (see
// search.Patch): the documents of the pages taken are then not read from
// the cache at all, and only the shards the changed documents touch are
// written. It applies when the previous output's index is as the previous
// build left it (the hash of its files' states in the output's manifest is
// the one kept with its search.PatchState), the documents are the same
// (no evaluation added, removed or moved), the output is updated in place,
// the cache is not compacted (which moves the pages' documents) and no
// bulk file is asked for. search.Patch may still decline, having written
// nothing: the documents of the pages taken are then read and the index
// made as in any build.

// searchPart is the cache part that keeps the search index's
// search.PatchState.
const searchPart = "search-index"

// phrasesPart is the cache part that keeps the phrases' trie of the
// state's sample (search.PatchState.EncodePhrases), made with the index
// made whole and taken by the patches after it.
const phrasesPart = "search-phrases"

// maxPatched is the most changed documents a patch takes: beyond, their
// terms touch every shard and making the index again costs little more.
// A page rendered again often has the same document (one that lists an
// edited evaluation among its related ones): those rendered again are
// compared with their previous documents, up to a quarter of the site's
// pages, which reading their documents from the cache bounds.
const maxPatched = 64

// searchSaved is searchPart's content: the state, and the hash of the
// index's files as the output's manifest records them (searchFiles).
type searchSaved struct {
	Files buildcache.Sum
	State search.PatchState
}

// searchFiles returns the names of the search index's files in the
// output's manifest m, in order, and a hash of their states.
func searchFiles(m map[string]output.State) ([]string, buildcache.Sum) {
	var names []string
	for name := range m {
		if indexFile(name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	for _, name := range names {
		st := m[name]
		field(h, name)
		h.Write(n[:binary.PutVarint(n[:], st.Size)])
		h.Write(st.Sum[:])
	}
	var s buildcache.Sum
	h.Sum(s[:0])
	return names, s
}

// indexFile says whether name is a file search.Index.Write writes (the
// search page and the bulk file are not).
func indexFile(name string) bool {
	rest, ok := strings.CutPrefix(name, "search/")
	if !ok {
		return false
	}
	switch rest {
	case "meta.json", "facets.bin", "titles.bin", "scores.bin":
		return true
	}
	for _, dir := range []string{"t/", "l/", "p/", "d/"} {
		if strings.HasPrefix(rest, dir) {
			return true
		}
	}
	return false
}

// searchPatch is a build's patch of the search index.
type searchPatch struct {
	inc   *incremental
	state *search.PatchState
	names []string
	urls  []string
	// changed are the pages rendered again, with their entries in the
	// previous build's cache; docs their documents as rendered now.
	changed map[string]*buildcache.Entry
	mu      sync.Mutex
	docs    map[string]search.Doc
	// The patch starts as soon as the last of the changed pages' documents
	// comes (start), beside the rest of the render: in a rebuild after one
	// edit the evaluation pages are done long before the site-wide lists,
	// and the patch took a second and more after them. done receives its
	// end; ctx and g are the build's.
	ctx     context.Context
	g       *guard
	started bool
	done    chan patchDone
}

// patchDone is what a patch started beside the render ended with.
type patchDone struct {
	notice string
	err    error
}

// patchPrep is what planPatch needs that depends only on the previous
// build: the state its index was made with, its files, whether each is
// still as that build left it, and whether its documents are this
// build's. It is made beside the load (readIndex) and beside take
// (startFits): at 100,000 evaluations it was a third of a second on one
// core between take and the render.
type patchPrep struct {
	saved searchSaved
	names []string
	// intact is set when the saved state's hash of the files is the
	// manifest's and each file is still as the manifest records it
	// (output.Dir.KeptAs): the patch keeps them as found then, as take
	// keeps the pages' files.
	intact bool
	// fits receives whether the state's documents are at the urls of this
	// build (search.PatchState.Fits), once startFits is called.
	fits chan bool
}

// preparePatch makes the patchPrep of the index idx, whose manifest the
// output is looked at with; nil when the cache keeps no state.
func (inc *incremental) preparePatch(idx *buildcache.Index) *patchPrep {
	b, err := inc.cache.ReadPart(searchPart)
	if err != nil {
		return nil
	}
	pp := &patchPrep{fits: make(chan bool, 1)}
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&pp.saved); err != nil {
		return nil
	}
	var sum buildcache.Sum
	pp.names, sum = searchFiles(idx.Output)
	if sum != pp.saved.Files {
		return pp
	}
	// Tens of thousands of files at 100,000 evaluations, looked at on
	// all cores.
	err = par.Ranges(context.Background(), len(pp.names), func(lo, hi int) error {
		for _, name := range pp.names[lo:hi] {
			if !inc.out.KeptAs(idx.Output, name) {
				return errIndexChanged // the first stops the look
			}
		}
		return nil
	})
	pp.intact = err == nil
	return pp
}

// errIndexChanged stops preparePatch's look at the index's files at the
// first one not as the manifest records it.
var errIndexChanged = errors.New("search index file changed")

// startFits starts comparing the documents of the saved index with this
// build's, at urls, when a patch may follow.
func (inc *incremental) startFits(urls []string) {
	pp := inc.patchPrep
	if pp == nil || !inc.inPlace {
		return
	}
	if !pp.intact {
		pp.fits <- false
		return
	}
	go func() { pp.fits <- pp.saved.State.Fits(urls) }()
}

// planPatch returns the patch of the search index of a build whose
// documents are those of the pages at urls, once the pages taken are
// known; nil when the build makes the index whole.
func (inc *incremental) planPatch(ctx context.Context, g *guard, sink *docSink, urls []string) *searchPatch {
	if !inc.usable() || inc.old == nil || inc.old.Output == nil || !inc.inPlace || sink == nil || sink.bulk != nil {
		return nil
	}
	changed := map[string]*buildcache.Entry{}
	for _, u := range urls {
		if inc.reused[u] != nil {
			continue
		}
		e := inc.old.Entries[u]
		if e == nil || e.Seg == "" || len(changed) >= max(maxPatched, len(urls)/4) {
			return nil
		}
		changed[u] = e
	}
	pp := inc.patchPrep
	if pp == nil || !pp.intact || !<-pp.fits {
		return nil
	}
	saved, names := pp.saved, pp.names
	inc.skipDocs = true
	saved.State.Warm(func() []byte {
		b, _ := inc.cache.ReadPart(phrasesPart)
		return b
	})
	return &searchPatch{inc: inc, state: &saved.State, names: names, urls: urls, changed: changed, docs: map[string]search.Doc{},
		ctx: ctx, g: g, done: make(chan patchDone, 1)}
}

// add keeps the document of a page rendered again, and starts the patch
// once every changed page's has come; it is safe for concurrent use.
func (sp *searchPatch) add(d search.Doc) {
	if sp == nil || sp.changed[d.URL] == nil {
		return
	}
	sp.mu.Lock()
	sp.docs[d.URL] = d
	sp.mu.Unlock()
	sp.startIfReady()
}

// startIfReady starts the patch beside the render when every changed
// page's document has come, once.
func (sp *searchPatch) startIfReady() {
	if sp == nil {
		return
	}
	sp.mu.Lock()
	ready := !sp.started && len(sp.docs) == len(sp.changed)
	sp.started = sp.started || ready
	sp.mu.Unlock()
	if ready {
		go func() {
			notice, err := sp.write(sp.ctx, sp.g)
			sp.done <- patchDone{notice, err}
		}()
	}
}

// wait waits for the patch if it started, and says whether it did; a
// build that fails leaves nothing running.
func (sp *searchPatch) wait() (patchDone, bool) {
	if sp == nil {
		return patchDone{}, false
	}
	sp.mu.Lock()
	started := sp.started
	sp.started = true // never starts after this
	sp.mu.Unlock()
	if !started {
		return patchDone{}, false
	}
	d := <-sp.done
	sp.done <- d // for a later wait
	return d, true
}

// patchPrev is the previous output as search.Patch reads it.
type patchPrev struct {
	out *output.Dir
	g   *guard
}

func (p patchPrev) Read(name string) ([]byte, error) { return p.out.ReadPrevious(name) }

// Keep takes a file in place; the link check notes its name. Every file
// of the index was looked at by planPatch: it is kept as found then
// (output.Dir.ReuseChecked), without a second look at each of the tens
// of thousands a patch keeps.
func (p patchPrev) Keep(name string) error { return p.g.reuseCheckedAll([]string{name}) }

// write patches the index into g and returns a notice of what it did; an
// error wrapping search.ErrNoPatch when it declined, having written
// nothing.
func (sp *searchPatch) write(ctx context.Context, g *guard) (string, error) {
	inc := sp.inc
	old := map[string]search.Doc{}
	if err := inc.cache.DocsOf(inc.old, sp.changed, func(page string, d search.Doc) { old[page] = d }); err != nil {
		return "", fmt.Errorf("%w: %v", search.ErrNoPatch, err)
	}
	var changes []search.Change
	for _, page := range slices.Sorted(func(yield func(string) bool) {
		for p := range sp.changed {
			if !yield(p) {
				return
			}
		}
	}) {
		o, ok1 := old[page]
		n, ok2 := sp.docs[page]
		if !ok1 || !ok2 {
			return "", fmt.Errorf("%w: no document for %s", search.ErrNoPatch, page)
		}
		if !sameDoc(&o, &n) {
			changes = append(changes, search.Change{Old: o, New: n})
		}
	}
	if len(changes) > maxPatched {
		return "", fmt.Errorf("%w: %d documents changed", search.ErrNoPatch, len(changes))
	}
	// The shards a patch holds beyond its budget wait beside the output,
	// with the build's other temporary files; without a folder, in memory.
	scratch, err := inc.out.Scratch()
	if err != nil {
		scratch = ""
	}
	st, stats, err := search.Patch(ctx, sp.state, sp.urls, sp.names, changes, patchPrev{inc.out, g}, g, scratch)
	if err != nil {
		return "", err
	}
	inc.searchState, inc.phrasesOf = st, sp.state
	if len(changes) == 0 {
		// No page made again, or only pages whose text, title and
		// facets are as they were (a damaged cache read again).
		return fmt.Sprintf("检索索引：没有需要改动的检索内容，索引的 %d 个文件沿用上次的输出", stats.Kept), nil
	}
	return fmt.Sprintf("检索索引：%d 项评价有变化，只改写了索引的 %d 个分片（共 %d 个），其余 %d 个文件沿用上次的输出",
		len(changes), stats.Shards, st.Shards, stats.Kept), nil
}

// sameDoc says whether two documents are the same.
func sameDoc(a, b *search.Doc) bool {
	return a.URL == b.URL && a.Title == b.Title && a.Department == b.Department && a.Evaluator == b.Evaluator &&
		a.Year == b.Year && a.Grade == b.Grade && a.Kind == b.Kind && a.Score == b.Score &&
		slices.Equal(a.Indicators, b.Indicators) && slices.Equal(a.Details, b.Details) && a.Text == b.Text &&
		a.Head == b.Head && a.More == b.More
}

// feedTaken gives the index the documents of the pages taken, when a
// patch declined after the render (addTaken left them out).
func (inc *incremental) feedTaken(sink *docSink) error {
	docs := make(chan search.Doc, par.Workers())
	var wg sync.WaitGroup
	for range par.Workers() {
		wg.Go(func() {
			for d := range docs {
				sink.index.Add(d)
			}
		})
	}
	err := inc.cache.EachDoc(inc.old, inc.reused, func(_ string, d search.Doc) { docs <- d })
	close(docs)
	wg.Wait()
	if err != nil {
		return fmt.Errorf("增量构建缓存 %s 在构建中被改动（%w）；请重新构建", inc.cache.Dir(), err)
	}
	return nil
}

// writeIndex writes the search index of a build: patched when sp is not
// nil and the patch applies, else made from every document. It returns
// a notice when it patched.
func (p *prepared) writeIndex(ctx context.Context, g *guard, sink *docSink, sp *searchPatch) (string, error) {
	if sp != nil {
		d, ok := sp.wait()
		if !ok {
			d.notice, d.err = sp.write(ctx, g)
		}
		notice, err := d.notice, d.err
		if err == nil {
			return notice, nil
		}
		if !errors.Is(err, search.ErrNoPatch) {
			return "", err
		}
		if err := p.inc.feedTaken(sink); err != nil {
			return "", err
		}
	}
	if err := sink.index.Write(ctx, g); err != nil {
		return "", err
	}
	if p.inc.usable() {
		// The index made whole made its phrases' trie: kept for the
		// next build's patch too.
		p.inc.searchState = sink.index.State()
		p.inc.phrasesOf = p.inc.searchState
	}
	return "", nil
}

// prepareSearch encodes what saveSearch keeps of the search index, with
// the hash of its files' states in the output's manifest: their sizes
// and hashes, which are known once every file is written (the commit
// changes only their identities), and a look at every file of the site
// to find them.
func (inc *incremental) prepareSearch() {
	if inc.searchState == nil {
		return
	}
	_, sum := searchFiles(inc.out.Manifest())
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(searchSaved{Files: sum, State: *inc.searchState}); err != nil {
		return
	}
	inc.searchParts = map[string][]byte{searchPart: buf.Bytes()}
	// The trie goes with it, once made: the next patch keeps the sample.
	if inc.phrasesOf != nil {
		if b, ok := inc.phrasesOf.EncodePhrases(); ok {
			inc.searchParts[phrasesPart] = b
		}
	}
}

// saveSearch keeps the search index's state in the cache, once the
// output is in place.
func (inc *incremental) saveSearch() {
	b, ok := inc.searchParts[searchPart]
	if !ok {
		return
	}
	// A part not written leaves the previous one, whose hash of the
	// files no longer matches: the next build makes the index whole.
	_ = inc.cache.WritePart(searchPart, b)
	if b, ok := inc.searchParts[phrasesPart]; ok {
		_ = inc.cache.WritePart(phrasesPart, b)
	}
}
