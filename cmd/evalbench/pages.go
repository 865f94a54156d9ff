package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// The largest page a reader opens is a year's congress table: every
// evaluation of the year in one table (some 15,000 rows, 17 MB of HTML, at
// 100,000 evaluations). pageOpen measures how long it takes to open in
// headless Chromium, on a desktop's window and on a phone's, from the
// request to the load event (the table whole and its scripts run).

// pageWidths are the windows the page is opened in: a laptop's and a
// phone's, the widths the project's screenshots are taken at.
var pageWidths = []int64{1366, 390}

// pageOpens is how many times the page is opened at each width.
const pageOpens = 3

// pageFigure is the opening of the largest congress table.
type pageFigure struct {
	path  string // relative to the site root, "" when not measured
	rows  int
	bytes int64
	// loads are the load times at each of pageWidths, in the order run.
	loads [][]time.Duration
	// sorts are the times of two sorts by the score, ascending then
	// descending, at the first of pageWidths, from the click to the
	// next frame; none when the table has no score column to sort.
	sorts []time.Duration
}

// largestCongress returns the path (relative, slash-separated) of the
// largest year's congress table of public, its size and its rows.
func largestCongress(public string) (string, int64, int, error) {
	tables, err := filepath.Glob(filepath.Join(public, "congress", "*", "index.html"))
	if err != nil || len(tables) == 0 {
		return "", 0, 0, err
	}
	var best string
	var size int64
	for _, t := range tables {
		if st, err := os.Stat(t); err == nil && st.Size() > size {
			best, size = t, st.Size()
		}
	}
	b, err := os.ReadFile(best)
	if err != nil {
		return "", 0, 0, err
	}
	rows := 0
	if i := bytes.Index(b, []byte("<tbody")); i >= 0 {
		body := b[i:]
		if j := bytes.Index(body, []byte("</tbody>")); j >= 0 {
			rows = bytes.Count(body[:j], []byte("<tr"))
		}
	}
	rel, err := filepath.Rel(public, filepath.Dir(best))
	return filepath.ToSlash(rel) + "/", size, rows, err
}

// pageOpen opens the largest congress table of public pageOpens times
// at each of pageWidths, each time in a new tab; a zero figure when the
// site has no congress table or no Chromium is installed.
func pageOpen(ctx context.Context, public string) (pageFigure, error) {
	var f pageFigure
	path, size, rows, err := largestCongress(public)
	if err != nil || path == "" {
		return f, err
	}
	bctx, base, stop, err := startChromium(ctx, public)
	if err != nil || bctx == nil {
		return f, err
	}
	defer stop()
	if err := chromedp.Do(bctx); err != nil {
		return f, err
	}
	f.path, f.bytes, f.rows = path, size, rows
	for _, w := range pageWidths {
		var loads []time.Duration
		for range pageOpens {
			d, err := openOnce(bctx, base+path, w)
			if err != nil {
				return f, fmt.Errorf("chromium, %s at %d px: %w", path, w, err)
			}
			loads = append(loads, d)
		}
		f.loads = append(f.loads, loads)
	}
	if f.sorts, err = sortTwice(bctx, base+path, pageWidths[0]); err != nil {
		return f, fmt.Errorf("chromium, sorting %s: %w", path, err)
	}
	return f, nil
}

// sortByScore clicks the sort button of the column headed 综合得分 and
// returns the milliseconds from the click to the next frame, or -1 when
// the table has no such button.
const sortByScore = `(() => {
	const th = Array.from(document.querySelectorAll("table[data-sortable] thead th")).find(th => th.textContent.includes("综合得分"));
	const button = th && th.querySelector("button");
	if (!button) return Promise.resolve(-1);
	const t = performance.now();
	button.click();
	return new Promise(r => requestAnimationFrame(() => setTimeout(() => r(performance.now() - t), 0)));
})()`

// sortTwice opens url in a new tab of a window w px wide and sorts its
// table by the score twice, as a deputy looking for the lowest and then
// the highest scores would.
func sortTwice(bctx context.Context, url string, w int64) ([]time.Duration, error) {
	tab, cancel, err := openTab(bctx, url, w, 10*time.Minute)
	defer cancel()
	if err != nil {
		return nil, err
	}
	var sorts []time.Duration
	for range 2 {
		ms, err := chromedp.Run(tab, chromedp.Evaluate[float64](sortByScore, chromedp.EvalAwaitPromise))
		if err != nil || ms < 0 {
			return nil, err
		}
		sorts = append(sorts, time.Duration(ms*float64(time.Millisecond)))
	}
	return sorts, nil
}

// openOnce opens url in a new tab of a window w px wide and returns the
// time from the request to the end of the load event.
func openOnce(bctx context.Context, url string, w int64) (time.Duration, error) {
	tab, cancel, err := openTab(bctx, url, w, 5*time.Minute)
	defer cancel()
	if err != nil {
		return 0, err
	}
	// The navigation returns as the load event fires; its end is set
	// once the event's handlers have run.
	ms, err := chromedp.Run(tab, chromedp.Evaluate[float64](`new Promise(r => (function end() {
		const n = performance.getEntriesByType("navigation")[0];
		if (n && n.loadEventEnd > 0) r(n.loadEventEnd); else setTimeout(end, 10);
	})())`, chromedp.EvalAwaitPromise))
	return time.Duration(ms * float64(time.Millisecond)), err
}

// openTab opens url in a new tab of the browser bctx, in a window w px
// wide, and returns the tab, with at most limit for what is done in it,
// and what closes it.
func openTab(bctx context.Context, url string, w int64, limit time.Duration) (context.Context, context.CancelFunc, error) {
	tab, closeTab := chromedp.NewContext(bctx)
	tab, cancelTime := context.WithTimeout(tab, limit)
	cancel := func() {
		cancelTime()
		closeTab()
	}
	return tab, cancel, chromedp.Do(tab, chromedp.EmulateViewport(w, 900), chromedp.Navigate(url))
}

// write adds the figure to a report.
func (f pageFigure) write(b *strings.Builder) {
	if f.path == "" {
		return
	}
	fmt.Fprintf(b, "\nthe largest page, %s (%d rows, %s), opened in Chromium, request to load event (median; all):\n", f.path, f.rows, mib(f.bytes))
	for i, loads := range f.loads {
		all := make([]string, len(loads))
		for j, d := range loads {
			all[j] = seconds(d)
		}
		sorted := slices.Sorted(slices.Values(loads))
		fmt.Fprintf(b, "  %d px: %s (%s)\n", pageWidths[i], seconds(sorted[len(sorted)/2]), strings.Join(all, ", "))
	}
	if len(f.sorts) == 2 {
		fmt.Fprintf(b, "  sorted by 综合得分 at %d px, click to next frame: %s ascending, then %s descending\n", pageWidths[0], seconds(f.sorts[0]), seconds(f.sorts[1]))
	}
}
