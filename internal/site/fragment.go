package site

import (
	"bytes"
	"fmt"
	"html/template"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/evalpress/evalpress/internal/narrative"
	"github.com/evalpress/evalpress/internal/score"
)

// Fragments are parts of pages that come out the same on many pages: the
// masthead of every page at one depth and section, an evaluation's entry
// in the related lists of its department's other pages. Each is rendered
// once per build by html/template, from a template of its own that starts
// in HTML text, and placed as template.HTML where a page's template asks
// for it, also in HTML text: the contextual escaping is html/template's,
// done once instead of on every page. On 10,000 evaluation pages the
// masthead alone took a tenth of the template time.

// memo holds values made once per build, by key, up to a bound that it
// shares with the other memos of its pool. It is safe for concurrent use;
// two goroutines that ask for a new key at once may both make its value,
// which is the same, and one is kept. Each kind of fragment has a memo of
// its own, keyed by a type of its own: a map keyed by an interface hashed
// and compared each key through its dynamic type, and the boxing of an
// indicator row into one allocated on every ask.
type memo[K comparable, V any] struct {
	pool   *memoPool
	m      map[K]V
	sizeOf func(K, V) int
}

// memoPool is the lock and the bound that memos share. size is what the
// entries kept weigh by their memos' sizeOf; when a new one would take it
// over limit (0: no bound), every memo of the pool forgets all its
// entries and starts again. Entries of related lists and ledger rows are
// made for every evaluation and finding: kept for the whole build, they
// grew with the site (20 MB at 10,000 evaluations), while a page needs
// those of its neighbours.
type memoPool struct {
	mu          sync.Mutex
	size, limit int
	forget      []func()
}

// newMemo returns a memo of the pool p, whose entries weigh sizeOf (nil:
// nothing).
func newMemo[K comparable, V any](p *memoPool, sizeOf func(K, V) int) *memo[K, V] {
	c := &memo[K, V]{pool: p, sizeOf: sizeOf}
	p.forget = append(p.forget, func() { c.m = nil })
	return c
}

// get returns the value of k, made by value the first time.
func (c *memo[K, V]) get(k K, value func() (V, error)) (V, error) {
	p := c.pool
	p.mu.Lock()
	v, ok := c.m[k]
	p.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := value()
	if err != nil {
		return v, err
	}
	n := 0
	if c.sizeOf != nil {
		n = c.sizeOf(k, v)
	}
	p.mu.Lock()
	if p.limit > 0 && p.size+n > p.limit {
		for _, f := range p.forget {
			f()
		}
		p.size = 0
	}
	if c.m == nil {
		c.m = map[K]V{}
	}
	c.m[k] = v
	p.size += n
	p.mu.Unlock()
	return v, nil
}

// fragmentCache bounds the fragments a renderer keeps, in bytes of HTML
// and of the keys and bookkeeping around each (a variable for the
// tests). It is a fixed bound, whatever the size of the site: large
// enough that the distinct indicator rows, related-list entries and
// ledger rows of 10,000 evaluations are not forgotten and made again
// before they recur.
var fragmentCache = 32 << 20

// fragmentOverhead is what a kept fragment costs besides its HTML and
// what its key holds: the key itself and its slot in the map.
const fragmentOverhead = 96

// rowSize is the size of a score.Row, without the text it points to.
var rowSize = int(reflect.TypeFor[score.Row]().Size())

// fragmentSize is what a kept fragment weighs in the cache: its HTML and
// its slot.
func fragmentSize[K any](_ K, h template.HTML) int { return len(h) + fragmentOverhead }

// rowFragmentSize is what an indicator row's fragment weighs: its HTML,
// its slot, and the row its key holds, with the text of the row that the
// key keeps alive (a deviation analysis may be long).
func rowFragmentSize(row score.Row, h template.HTML) int {
	return fragmentSize(row, h) + rowSize + len(row.Name) + len(row.Target) + len(row.Actual) + len(row.GradeShown) +
		len(row.GradeComputed) + len(row.Note) + len(row.Reason) + len(row.Deviation)
}

// fragments are the renderer's memos of fragments, one for each
// template, under one bound (fragmentCache). Each key must determine all
// that its template reads of the data it is given.
type fragments struct {
	pool         memoPool
	mastheads    *memo[mastheadKey, template.HTML]
	evalItems    *memo[evalItemData, template.HTML]
	scoreRows    *memo[score.Row, template.HTML]
	scoreTables  *memo[*score.Evaluation, template.HTML]
	ledgerStarts *memo[ledgerRowData, template.HTML]
	ledgerRests  *memo[*LedgerEntry, template.HTML]
	heads        *memo[headKey, template.HTML]
	colophons    *memo[string, template.HTML]
	seriesRows   *memo[seriesRowData, template.HTML]
	tocs         *memo[string, template.HTML]
	crumbLinks   *memo[crumbData, template.HTML]
}

// newFragments returns empty memos of fragments within limit bytes.
func newFragments(limit int) *fragments {
	f := &fragments{pool: memoPool{limit: limit}}
	f.mastheads = newMemo(&f.pool, fragmentSize[mastheadKey])
	f.evalItems = newMemo(&f.pool, fragmentSize[evalItemData])
	f.scoreRows = newMemo(&f.pool, rowFragmentSize)
	f.scoreTables = newMemo(&f.pool, fragmentSize[*score.Evaluation])
	f.ledgerStarts = newMemo(&f.pool, fragmentSize[ledgerRowData])
	f.ledgerRests = newMemo(&f.pool, fragmentSize[*LedgerEntry])
	f.heads = newMemo(&f.pool, fragmentSize[headKey])
	f.colophons = newMemo(&f.pool, fragmentSize[string])
	f.seriesRows = newMemo(&f.pool, fragmentSize[seriesRowData])
	f.crumbLinks = newMemo(&f.pool, fragmentSize[crumbData])
	f.tocs = newMemo(&f.pool, func(k string, h template.HTML) int { return fragmentSize(k, h) + len(k) })
	return f
}

// fragment returns the template name executed with data, from the memo
// c under key if it was made before. key must determine all that the
// template reads of data.
func fragment[K comparable](r *Renderer, c *memo[K, template.HTML], name string, key K, data any) (template.HTML, error) {
	return c.get(key, func() (template.HTML, error) { return r.execute(name, data) })
}

// fragmentIn is fragment for a template of the page template page
// (evaluation.html) rather than of the shared ones.
func fragmentIn[K comparable](r *Renderer, c *memo[K, template.HTML], page, name string, key K, data any) (template.HTML, error) {
	return c.get(key, func() (template.HTML, error) { return r.executeIn(page, name, data) })
}

// execute renders the template name of the shared templates with data.
func (r *Renderer) execute(name string, data any) (template.HTML, error) {
	return r.executeIn(fragmentSet, name, data)
}

// executeIn renders the template name of the template set set (a page
// template's, or fragmentSet) with data.
func (r *Renderer) executeIn(set, name string, data any) (template.HTML, error) {
	buf := r.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer r.putBuf(buf)
	if err := r.templates[set].ExecuteTemplate(buf, name, data); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return template.HTML(buf.String()), nil
}

// scoreTable is an evaluation's indicator table. The print booklets show
// the tables of the evaluations they gather again: those are cached.
func (r *Renderer) scoreTable(e *score.Evaluation) (template.HTML, error) {
	if r.reprinted[e] {
		return fragment(r, r.frags.scoreTables, "score-table", e, e)
	}
	return r.execute("score-table", e)
}

// scoreRow is one row of an indicator table. Rows repeat across a site's
// evaluations (the same indicator, full marks and score under the
// framework's names), and the row's template is most of the work of an
// evaluation's page, so each distinct row is rendered once. The key is
// the whole row: the template is given nothing else, so even a site's
// own template cannot show what the key leaves out.
func (r *Renderer) scoreRow(row score.Row) (template.HTML, error) {
	return fragment(r, r.frags.scoreRows, "score-row", row, row)
}

// scoreRows is the rows of an evaluation's indicator table, each its
// scoreRow, placed by one call: a template's range over the rows costs,
// for each row, a call of scoreRow and one of the escaper on its result,
// both by reflection, and the copy of the row into each.
func (r *Renderer) scoreRows(e *score.Evaluation) (template.HTML, error) {
	rows := e.Rows()
	parts := make([]template.HTML, len(rows))
	n := 0
	for i, row := range rows {
		h, err := r.scoreRow(row)
		if err != nil {
			return "", err
		}
		parts[i] = h
		n += len(h)
	}
	var b strings.Builder
	b.Grow(n)
	for _, h := range parts {
		b.WriteString(string(h))
	}
	return template.HTML(b.String()), nil
}

// masthead is the page's banner, navigation and search box: with the
// default templates the same for every page with the same Root, Section
// and navHere (all it reads of the page besides Site, the last two
// through NavCurrent), so it is made once for each.
func (r *Renderer) masthead(p *Page) (template.HTML, error) {
	if !r.memoMasthead {
		return r.execute("masthead", p)
	}
	return fragment(r, r.frags.mastheads, "masthead", mastheadKey{p.Root, p.Section, p.navHere()}, p)
}

// mastheadKey is what a masthead of the default templates shows.
type mastheadKey struct {
	root, section string
	here          bool
}

// headLinks are the links and scripts of a page's head, the same for
// every page with the same Root, Scripts and Modules: the template is
// given those and Site alone.
func (r *Renderer) headLinks(p *Page) (template.HTML, error) {
	d := headData{Root: p.Root, Site: r.model, Scripts: p.Scripts, Modules: p.Modules}
	k := headKey{p.Root, strings.Join(p.Scripts, "\n"), strings.Join(p.Modules, "\n")}
	return fragment(r, r.frags.heads, "head-links", k, d)
}

// headData is what the head-links template gets.
type headData struct {
	Root             string
	Site             *Model
	Scripts, Modules []string
}

// headKey is the key of head-links: Root, and Scripts and Modules each
// joined by line breaks (a script's path has none).
type headKey struct{ root, scripts, modules string }

// colophon is a page's footer but its address, the same for every page
// with the same Root: the template is given Root and Site alone.
func (r *Renderer) colophon(p *Page) (template.HTML, error) {
	return fragment(r, r.frags.colophons, "colophon", p.Root, siteRoot{Root: p.Root, Site: r.model})
}

// siteRoot is what the colophon template gets.
type siteRoot struct {
	Root string
	Site *Model
}

// crumbLink is a step of a page's breadcrumb trail that links, to c.Path
// under root or, without one, to the home page: the same on every page
// of a depth that passes there, so made once for each. The template is
// given what its key holds alone.
func (r *Renderer) crumbLink(root string, c Crumb) (template.HTML, error) {
	d := crumbData{Root: root, Name: c.Name, Path: c.Path}
	return fragment(r, r.frags.crumbLinks, "crumb-link", d, d)
}

// crumbData is what the crumb-link template gets, and its key.
type crumbData struct{ Root, Name, Path string }

// seriesRow is the row of o in the table of the programme's years on the
// page p: the same on every page of the programme but o's own, so made
// once for each. The template is given what its key holds alone.
func (r *Renderer) seriesRow(p *Page, o *score.Evaluation) (template.HTML, error) {
	d := seriesRowData{Root: p.Root, Evaluation: o, Current: o == p.Evaluation, Uses: p.SeriesUses()}
	return fragmentIn(r, r.frags.seriesRows, "evaluation.html", "series-row", d, d)
}

// seriesRowData is what the series-row template gets, and its key.
type seriesRowData struct {
	Root       string
	Evaluation *score.Evaluation
	// Current is true on o's own page; Uses when the table has a column
	// of result uses.
	Current, Uses bool
}

// toc is the table of contents of a narrative with the headings hs: the
// narratives of a site share their headings (the sections of the
// bureau's form), so each list of them is made once. The template is
// given the headings alone.
func (r *Renderer) toc(hs []narrative.Heading) (template.HTML, error) {
	// The key spells every heading out, each part after its length, so
	// that no two lists share one.
	var k []byte
	for _, h := range hs {
		k = strconv.AppendInt(k, int64(h.Level), 10)
		k = append(k, ' ')
		k = strconv.AppendInt(k, int64(len(h.ID)), 10)
		k = append(k, ' ')
		k = append(k, h.ID...)
		k = strconv.AppendInt(k, int64(len(h.Text)), 10)
		k = append(k, ' ')
		k = append(k, h.Text...)
	}
	return fragmentIn(r, r.frags.tocs, "evaluation.html", "toc", string(k), hs)
}

// evalItems are the entries of evals in a list of links under root, each
// on a line of its own (evalItem): one call for the list.
func (r *Renderer) evalItems(root string, evals []*score.Evaluation) (template.HTML, error) {
	parts := make([]template.HTML, len(evals))
	n := 0
	for i, e := range evals {
		h, err := r.evalItem(root, e)
		if err != nil {
			return "", err
		}
		parts[i] = h
		n += 1 + len(h)
	}
	var b strings.Builder
	b.Grow(n)
	for _, h := range parts {
		b.WriteByte('\n')
		b.WriteString(string(h))
	}
	return template.HTML(b.String()), nil
}

// evalItem is an evaluation's entry in a list of links under root: "2023年
// 项目名 优" (the template may read only the evaluation and root).
func (r *Renderer) evalItem(root string, e *score.Evaluation) (template.HTML, error) {
	d := evalItemData{root, e}
	return fragment(r, r.frags.evalItems, "eval-item", d, d)
}

// evalItemData is what the eval-item template gets, and its key.
type evalItemData struct {
	Root string
	*score.Evaluation
}
