package site

import (
	"bytes"
	"fmt"
	"html/template"
	"reflect"
	"sync"

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

// memo holds values made once per build, by key, up to a bound. It is
// safe for concurrent use; two goroutines that ask for a new key at once
// may both make its value, which is the same, and one is kept.
type memo[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]V
	// size is what the entries kept weigh by sizeOf; when a new one would
	// take it over limit (0: no bound), the memo forgets them all and
	// starts again. Entries of related lists and ledger rows are made for
	// every evaluation and finding: kept for the whole build, they grew
	// with the site (20 MB at 10,000 evaluations), while a page needs
	// those of its neighbours.
	size, limit int
	sizeOf      func(K, V) int
}

// get returns the value of k, made by value the first time.
func (c *memo[K, V]) get(k K, value func() (V, error)) (V, error) {
	c.mu.Lock()
	v, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := value()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	n := 0
	if c.sizeOf != nil {
		n = c.sizeOf(k, v)
	}
	if c.m == nil || c.limit > 0 && c.size+n > c.limit {
		c.m, c.size = map[K]V{}, 0
	}
	c.m[k] = v
	c.size += n
	c.mu.Unlock()
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

// fragmentSize is what a kept fragment weighs in the cache: its HTML, its
// slot, and for an indicator row the row its key holds, with the text of
// the row that the key keeps alive (a deviation analysis may be long).
func fragmentSize(k fragmentKey, h template.HTML) int {
	n := len(h) + fragmentOverhead
	if row, ok := k.key.(score.Row); ok {
		n += rowSize + len(row.Name) + len(row.Target) + len(row.Actual) + len(row.GradeShown) +
			len(row.GradeComputed) + len(row.Note) + len(row.Reason) + len(row.Deviation)
	}
	return n
}

type fragmentKey struct {
	name string
	key  any
}

// fragment returns the template name executed with data, from the cache
// under key if it was made before. key must determine all that the
// template reads of data.
func (r *Renderer) fragment(name string, key, data any) (template.HTML, error) {
	return r.frags.get(fragmentKey{name, key}, func() (template.HTML, error) { return r.execute(name, data) })
}

// execute renders the template name of the shared templates with data.
func (r *Renderer) execute(name string, data any) (template.HTML, error) {
	buf := r.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer r.putBuf(buf)
	if err := r.templates[fragmentSet].ExecuteTemplate(buf, name, data); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return template.HTML(buf.String()), nil
}

// scoreTable is an evaluation's indicator table. The print booklets show
// the tables of the evaluations they gather again: those are cached.
func (r *Renderer) scoreTable(e *score.Evaluation) (template.HTML, error) {
	if r.reprinted[e] {
		return r.fragment("score-table", e, e)
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
	return r.fragment("score-row", row, row)
}

// masthead is the page's banner, navigation and search box: with the
// default templates the same for every page with the same Root and
// Section (it reads only those and Site), so it is made once for each.
func (r *Renderer) masthead(p *Page) (template.HTML, error) {
	if !r.memoMasthead {
		return r.execute("masthead", p)
	}
	return r.fragment("masthead", [2]string{p.Root, p.Section}, p)
}

// evalItem is an evaluation's entry in a list of links under root: "2023年
// 项目名 优" (the template may read only the evaluation and root).
func (r *Renderer) evalItem(root string, e *score.Evaluation) (template.HTML, error) {
	d := evalItemData{root, e}
	return r.fragment("eval-item", d, d)
}

// evalItemData is what the eval-item template gets, and its key.
type evalItemData struct {
	Root string
	*score.Evaluation
}
