package site

import (
	"bytes"
	"fmt"
	"html/template"
	"sync"

	"github.com/evalpress/evalpress/internal/chart"
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
type fragments struct {
	mu    sync.Mutex
	cache map[fragmentKey]template.HTML
	// trends are the series' trend charts, by series key.
	trends map[string]*chart.Chart
}

// trend returns the trend chart of a series, made once per build.
func (r *Renderer) trend(key string, series []*score.Evaluation) (*chart.Chart, error) {
	r.frags.mu.Lock()
	c, ok := r.frags.trends[key]
	r.frags.mu.Unlock()
	if ok {
		return c, nil
	}
	err := labelled("series", func() (err error) {
		c, err = chart.Trend(series, r.model.Bands)
		return err
	})
	if err != nil {
		return nil, err
	}
	r.frags.mu.Lock()
	if r.frags.trends == nil {
		r.frags.trends = map[string]*chart.Chart{}
	}
	r.frags.trends[key] = c
	r.frags.mu.Unlock()
	return c, nil
}

type fragmentKey struct {
	name string
	key  any
}

// fragment returns the template name executed with data, from the cache
// under key if it was made before. key must determine all that the
// template reads of data.
func (r *Renderer) fragment(name string, key, data any) (template.HTML, error) {
	k := fragmentKey{name, key}
	r.frags.mu.Lock()
	html, ok := r.frags.cache[k]
	r.frags.mu.Unlock()
	if ok {
		return html, nil
	}
	html, err := r.execute(name, data)
	if err != nil {
		return "", err
	}
	r.frags.mu.Lock()
	if r.frags.cache == nil {
		r.frags.cache = map[fragmentKey]template.HTML{}
	}
	r.frags.cache[k] = html
	r.frags.mu.Unlock()
	return html, nil
}

// execute renders the template name of the shared templates with data.
func (r *Renderer) execute(name string, data any) (template.HTML, error) {
	buf := r.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer r.bufs.Put(buf)
	if err := r.templates[fragmentSet].ExecuteTemplate(buf, name, data); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return template.HTML(buf.String()), nil
}

// scoreTable is an evaluation's indicator table. The print booklets show
// the tables of the evaluations they gather again: those are kept.
func (r *Renderer) scoreTable(e *score.Evaluation) (template.HTML, error) {
	if r.kept != nil && r.kept.wanted[e] {
		return r.fragment("score-table", e, e)
	}
	return r.execute("score-table", e)
}

// masthead is the page's banner, navigation and search box: the same for
// every page with the same Root and Section (the template may read only
// those and Site).
func (r *Renderer) masthead(p *Page) (template.HTML, error) {
	return r.fragment("masthead", [2]string{p.Root, p.Section}, p)
}

// evalItem is an evaluation's entry in a list of links under root: "2023年
// 项目名 优" (the template may read only the evaluation and root).
func (r *Renderer) evalItem(root string, e *score.Evaluation) (template.HTML, error) {
	return r.fragment("eval-item", evalItemKey{root, e}, evalItemData{root, e})
}

type evalItemKey struct {
	root string
	e    *score.Evaluation
}

// evalItemData is what the eval-item template gets.
type evalItemData struct {
	Root string
	*score.Evaluation
}
