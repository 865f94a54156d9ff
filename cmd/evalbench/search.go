package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/chromedp/chromedp"
)

// searchQueries are measured after the builds: common two-character words,
// a single character, Latin, and phrases of 3 to 8 characters from the
// generated texts: template phrases, standard indicator names, a
// department's full name, a phrase with punctuation, and words that no
// evaluation holds made of common pairs of characters (项目 is in nearly
// every evaluation, 项目完成及时率 in none). Every one is held to the
// budget (phraseBudget).
var searchQueries = []string{"补贴", "资金", "贴", "ppp", "满意度", "生活补贴", "资金使用", "绩效目标",
	"预算执行率", "确保资金安全", "项目完成及时率", "规范、有效使用", "潜江市农业农村局", "不断增强群众的获",
	"资金完成率", "目标执行及时", "资金项目单位"}

// phraseBudget is the most a cold query of up to 8 characters may cost, in
// gzip bytes with the client: 100 KB, and 150 KB for a site of 50,000
// evaluations or more (issue 16).
func phraseBudget(docs int) int {
	if docs >= 50000 {
		return 150 << 10
	}
	return 100 << 10
}

// searchFigure is what one cold query costs a reader, from
// tools/searchtest/measure.mjs, and its warm time in Chromium.
type searchFigure struct {
	query        string
	total        int
	files        int
	indexGzip    int // bytes of index files read, gzipped
	clientGzip   int // bytes of search.js, gzipped
	pageExcerpts int // results whose excerpt comes from the evaluation page
	budget       int // phraseBudget of the site's size; 0 when not known
	warmNode     float64
	warmBrowser  float64 // ms; -1 when no browser was found
}

// measureSearch runs the node measurement on a built site; a site without
// a search index gives no figures.
func measureSearch(ctx context.Context, public string) ([]searchFigure, error) {
	if _, err := os.Stat(filepath.Join(public, "search", "meta.json")); err != nil {
		return nil, nil
	}
	args := append([]string{"tools/searchtest/measure.mjs", public}, searchQueries...)
	out, err := exec.CommandContext(ctx, "node", args...).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("node tools/searchtest/measure.mjs: %v\n%s", err, out)
	}
	figs, err := parseSearchFigures(string(out))
	if err != nil {
		return nil, err
	}
	// The budget depends on the number of evaluations in the index.
	data, err := os.ReadFile(filepath.Join(public, "search", "meta.json"))
	if err != nil {
		return nil, err
	}
	var meta struct {
		Docs int `json:"docs"`
	}
	if err := json.Unmarshal(data, &meta); err != nil {
		return nil, fmt.Errorf("search/meta.json: %w", err)
	}
	for i := range figs {
		figs[i].budget = phraseBudget(meta.Docs)
	}
	return figs, nil
}

// withinBudget reports whether a cold query of up to 8 characters costs at
// most its budget; longer queries, and figures without a budget, have none.
func (f searchFigure) withinBudget() bool {
	return f.budget == 0 || len([]rune(f.query)) > 8 || f.indexGzip+f.clientGzip <= f.budget
}

// parseSearchFigures reads the lines of measure.mjs.
func parseSearchFigures(out string) ([]searchFigure, error) {
	var figs []searchFigure
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || f[0] != "search" {
			continue
		}
		sf := searchFigure{query: f[1], warmBrowser: -1}
		for _, kv := range f[2:] {
			k, v, _ := strings.Cut(kv, "=")
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, fmt.Errorf("measure.mjs: %q in %q", kv, line)
			}
			switch k {
			case "total":
				sf.total = int(n)
			case "files":
				sf.files = int(n)
			case "index_gzip":
				sf.indexGzip = int(n)
			case "client_gzip":
				sf.clientGzip = int(n)
			case "page_excerpts":
				sf.pageExcerpts = int(n)
			case "warm_ms":
				sf.warmNode = n
			}
		}
		figs = append(figs, sf)
	}
	if len(figs) == 0 {
		return nil, fmt.Errorf("measure.mjs printed no figures:\n%s", out)
	}
	return figs, nil
}

// browserWarm measures, in headless Chromium, how long each query takes
// once its index files are cached: the site is served on loopback, the
// search page imports the shipped search.js, runs the query once cold and
// then five times warm; the best warm time counts. It leaves the figures at
// -1 when no Chromium is installed.
func browserWarm(ctx context.Context, public string, figs []searchFigure) error {
	if len(figs) == 0 {
		return nil
	}
	bctx, base, stop, err := startChromium(ctx, public)
	if err != nil || bctx == nil {
		return err
	}
	defer stop()
	if err := chromedp.Do(bctx, chromedp.Navigate(base+"search/")); err != nil {
		return err
	}
	for i := range figs {
		q, err := json.Marshal(figs[i].query)
		if err != nil {
			return err
		}
		ms, err := chromedp.Run(bctx, chromedp.Evaluate[float64](`(async () => {
			const m = await import(new URL("../assets/js/search.js", location.href).href);
			await m.search(`+string(q)+`, { limit: 10 });
			let best = Infinity;
			for (let i = 0; i < 5; i++) {
				const t = performance.now();
				await m.search(`+string(q)+`, { limit: 10 });
				best = Math.min(best, performance.now() - t);
			}
			return best;
		})()`, chromedp.EvalAwaitPromise))
		if err != nil {
			return fmt.Errorf("chromium, query %s: %w", figs[i].query, err)
		}
		figs[i].warmBrowser = ms
	}
	return nil
}

// verdict is the figure's target for the report: "≤ 100 KB PASS", or "-"
// when it has none.
func (f searchFigure) verdict() string {
	if f.budget == 0 || len([]rune(f.query)) > 8 {
		return "-"
	}
	v := "PASS"
	if !f.withinBudget() {
		v = "FAIL"
	}
	return fmt.Sprintf("≤ %d KB %s", f.budget>>10, v)
}

// searchTable is the table of the cold queries' figures, as make bench
// and make bench-large print it.
func searchTable(figs []searchFigure) [][]string {
	rows := [][]string{{"  query", "matches", "files", "index gzip", "+ client", "total", "target", "page excerpts", "warm node", "warm Chromium"}}
	for _, f := range figs {
		browser := "n/a"
		if f.warmBrowser >= 0 {
			browser = fmt.Sprintf("%.1f ms", f.warmBrowser)
		}
		rows = append(rows, []string{"  " + f.query, strconv.Itoa(f.total), strconv.Itoa(f.files),
			kb(f.indexGzip), kb(f.clientGzip), kb(f.indexGzip + f.clientGzip), f.verdict(), strconv.Itoa(f.pageExcerpts),
			fmt.Sprintf("%.1f ms", f.warmNode), browser})
	}
	return rows
}
