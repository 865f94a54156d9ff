package pipeline_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/chromedp"

	"github.com/evalpress/evalpress/internal/pipeline"
	"github.com/evalpress/evalpress/internal/sitetest"
	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

// congress10 is a year of ten evaluations, all sent to the people's
// congress, the first with a three-level indicator table and a narrative,
// and a site.toml whose [booklet] gives the cover's 文号 and date.
const congress10 = "../../testdata/congress10"

// congress10Day builds congress10 on a fixed day, after its records were
// published.
func congress10Day(o *pipeline.Options) { o.Now = time.Date(2024, 9, 1, 12, 0, 0, 0, time.UTC) }

// TestCongressTableFitsTheScreen opens the congress table of a ten-row year
// at 1366 px and at 390 px. At 1366 px the table takes the page's width
// (it was squeezed into a 924 px column), a project's name wraps at most
// once and 类型 never. At 390 px the score and the grade of every row are
// within the window, nothing scrolls sideways, and the rows, drawn as
// cards, are still a table with its headers for a screen reader, which
// axe-core checks at that width too.
func TestCongressTableFitsTheScreen(t *testing.T) {
	out := wholesite.BuildDir(t, congress10, congress10Day).Out()
	base := sitetest.ServeDir(t, out, "/jxgk/")
	ctx := sitetest.NewBrowser(t)

	type desk struct {
		Table, Window int
		NameLines     []int
		KindLines     []int
	}
	var d desk
	open(t, ctx, base+"congress/2023/", 1366, 900, func(tab context.Context) (err error) {
		d, err = chromedp.Run(tab, chromedp.Evaluate[desk](`(() => {
			const lines = el => { const r = document.createRange(); r.selectNodeContents(el);
				return new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))).size; };
			const t = document.querySelector('.congress-table');
			return {
				Table: Math.round(t.getBoundingClientRect().width),
				Window: window.innerWidth,
				NameLines: Array.from(t.querySelectorAll('tbody th a')).map(lines),
				KindLines: Array.from(t.querySelectorAll('tbody td.kind, tbody td:nth-of-type(2)')).map(lines),
			};
		})()`))
		return err
	})
	if d.Table < 1200 {
		t.Errorf("at %d px the congress table is %d px wide, want the page's width (at least 1200 px)", d.Window, d.Table)
	}
	if len(d.NameLines) != 10 {
		t.Fatalf("found %d project names in the table, want 10", len(d.NameLines))
	}
	for i, n := range d.NameLines {
		if n > 2 {
			t.Errorf("at 1366 px the name of row %d takes %d lines, want at most 2", i+1, n)
		}
	}
	for i, n := range d.KindLines {
		if n != 1 {
			t.Errorf("at 1366 px the 类型 of row %d breaks over %d lines", i+1, n)
		}
	}

	type cell struct {
		Name        string
		Left, Right float64
		Width       float64
	}
	type phone struct {
		Window, Scroll int
		Cells          []cell
	}
	var p phone
	var roles map[string]int
	var violations []sitetest.Violation
	open(t, ctx, base+"congress/2023/", 390, 800, func(tab context.Context) (err error) {
		p, err = chromedp.Run(tab, chromedp.Evaluate[phone](`({
			Window: window.innerWidth,
			Scroll: document.documentElement.scrollWidth,
			Cells: Array.from(document.querySelectorAll('.congress-table tbody tr')).flatMap(tr => {
				const heads = Array.from(tr.closest('table').querySelectorAll('thead th')).map(th => th.textContent.replace(/[↕↑↓\s]/g, ''));
				return Array.from(tr.children).filter((c, i) => ['综合得分', '等级'].includes(heads[i])).map(c => {
					const r = c.getBoundingClientRect();
					return {Name: tr.querySelector('th').textContent.trim() + ' ' + heads[Array.from(tr.children).indexOf(c)], Left: r.left, Right: r.right, Width: r.width};
				});
			}),
		})`))
		if err != nil {
			return err
		}
		if violations, err = sitetest.AxeIn(tab, base+"congress/2023/"); err != nil {
			return err
		}
		tree, err := chromedp.Call(tab, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
		if err != nil {
			return err
		}
		roles = map[string]int{}
		for _, n := range tree.Nodes {
			if n.Role == nil || n.Ignored {
				continue
			}
			var role string
			if json.Unmarshal(n.Role.Value, &role) == nil {
				roles[role]++
			}
		}
		return nil
	})
	if p.Scroll > 390 || p.Window > 390 {
		t.Errorf("at 390 px the congress page is %d px wide (window %d px): it scrolls sideways", p.Scroll, p.Window)
	}
	if len(p.Cells) != 20 {
		t.Fatalf("found %d score and grade cells, want 20 (10 rows)", len(p.Cells))
	}
	for _, c := range p.Cells {
		if c.Width < 1 || c.Left < 0 || c.Right > 390 {
			t.Errorf("at 390 px %s is at %.0f–%.0f px, not within the 390 px window", c.Name, c.Left, c.Right)
		}
	}
	for _, v := range violations {
		t.Errorf("at 390 px axe: %v", v)
	}
	// 10 rows and the 4 summary rows; the header row; 13 column headers;
	// a row header per row and summary row; 12 cells per row and one per
	// summary row.
	for role, want := range map[string]int{"table": 1, "row": 15, "columnheader": 13, "rowheader": 14, "cell": 124} {
		if roles[role] < want {
			t.Errorf("at 390 px the accessibility tree has %d nodes of role %q, want at least %d: the cards must stay a table", roles[role], role, want)
		}
	}
}

// TestLedgerFitsAPhone opens the rectification ledger (整改台账) at 390 px:
// each finding's state and deadline are within the window and the page
// does not scroll sideways (the table scrolled, its state off-screen),
// the rows are still a table for a screen reader, and axe-core finds
// nothing at that width.
func TestLedgerFitsAPhone(t *testing.T) {
	out := wholesite.BuildDir(t, seriesContent, seriesDay).Out()
	base := sitetest.ServeDir(t, out, "/jxgk/")
	ctx := sitetest.NewBrowser(t)
	type phone struct {
		Window, Scroll, Rows int
		Outside              []string
	}
	var p phone
	var violations []sitetest.Violation
	open(t, ctx, base+"rectification/", 390, 800, func(tab context.Context) (err error) {
		p, err = chromedp.Run(tab, chromedp.Evaluate[phone](`(() => {
			const table = document.querySelector('table.ledger');
			const heads = Array.from(table.querySelectorAll('thead th')).map(th => th.textContent.trim());
			const rows = Array.from(table.querySelectorAll('tbody tr'));
			return {
				Window: window.innerWidth,
				Scroll: document.documentElement.scrollWidth,
				Rows: rows.length,
				Outside: rows.flatMap(tr => Array.from(tr.children)
					.filter((c, i) => ['整改期限', '整改状态'].includes(heads[i]))
					.filter(c => { const r = c.getBoundingClientRect(); return r.width < 1 || r.left < 0 || r.right > window.innerWidth; })
					.map(c => tr.querySelector('th').textContent.trim() + ' ' + heads[Array.from(tr.children).indexOf(c)])),
			};
		})()`))
		if err != nil {
			return err
		}
		violations, err = sitetest.AxeIn(tab, base+"rectification/")
		return err
	})
	if p.Scroll > 390 || p.Window > 390 {
		t.Errorf("at 390 px the ledger is %d px wide (window %d px): it scrolls sideways", p.Scroll, p.Window)
	}
	if p.Rows < 3 {
		t.Fatalf("the ledger lists %d findings, want the fixture's (at least 3)", p.Rows)
	}
	for _, c := range p.Outside {
		t.Errorf("at 390 px %s is outside the window", c)
	}
	for _, v := range violations {
		t.Errorf("at 390 px axe: %v", v)
	}
}

// open loads url in a new tab of width × height CSS px, waits for its
// scripts and fonts, and calls f with the tab.
func open(t *testing.T, ctx context.Context, url string, width, height int64, f func(context.Context) error) {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	tab, cancelTime := context.WithTimeout(tab, 30*time.Second)
	defer cancelTime()
	err := chromedp.Do(tab, chromedp.EmulateViewport(width, height), chromedp.Navigate(url),
		chromedp.Evaluate[chromedp.Void](`document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => r())))`,
			chromedp.EvalAwaitPromise))
	if err == nil {
		err = f(tab)
	}
	if err != nil {
		t.Fatalf("%s at %d px: %v", url, width, err)
	}
}

// TestCongressTablePrintsOnOneSheet prints the congress table of a year of
// ten evaluations with Chromium, as a reader's "Print" does (the page's
// own paper size preferred), and reads the PDF with poppler: one landscape
// A4 sheet, with the summary printed once. It took three portrait sheets,
// the first nearly blank, with the summary at the foot of two of them.
func TestCongressTablePrintsOnOneSheet(t *testing.T) {
	requirePoppler(t)
	out := wholesite.BuildDir(t, congress10, congress10Day).Out()
	base := sitetest.ServeDir(t, out, "/jxgk/")
	pdf := printPDF(t, sitetest.NewBrowser(t), base+"congress/2023/")
	pages := pdfPages(t, pdf)
	if len(pages) != 1 {
		t.Errorf("the congress table of ten rows prints on %d pages, want 1", len(pages))
	}
	for i, pg := range pages {
		if !isA4Landscape(pg) {
			t.Errorf("page %d is %.0f × %.0f pt, want landscape A4 (842 × 595)", i+1, pg.Width, pg.Height)
		}
	}
	text := pdfText(t, pdf, 0)
	for _, once := range []string{"共10项，其中报送人大10项", "平均得分", "等级分布"} {
		if n := strings.Count(text, once); n != 1 {
			t.Errorf("the summary %q prints %d times, want once", once, n)
		}
	}
	for _, title := range []string{"农村公路养护及危桥改造项目", "就业补助资金"} {
		if !strings.Contains(text, title) {
			t.Errorf("the printed table lacks the row %q", title)
		}
	}
}

// TestBookletPrints prints the congress booklet of the ten-row year: the
// cover carries the organisation, the 文号 and the date from site.toml;
// every page is numbered at its foot ("第 2 页，共 13 页") by CSS paged
// media; no page is left nearly blank because what follows was kept whole
// (the three-level indicator table was pushed to the next page, leaving
// the first 80 % blank); and the indicator table's total prints once.
func TestBookletPrints(t *testing.T) {
	requirePoppler(t)
	s := wholesite.BuildDir(t, congress10, congress10Day)
	s.AssertFileContent("congress/2023/print/index.html", `<p class="document-number">示财绩〔2024〕12号</p>`,
		`<time datetime="2024-05-06">2024年5月6日</time>`)
	base := sitetest.ServeDir(t, s.Out(), "/jxgk/")
	pdf := printPDF(t, sitetest.NewBrowser(t), base+"congress/2023/print/")
	pages := pdfPages(t, pdf)
	if len(pages) < 11 {
		t.Fatalf("the booklet of ten abstracts prints on %d pages, want at least 11 (a cover, an abstract a page)", len(pages))
	}
	cover := pdfText(t, pdf, 1)
	for _, want := range []string{"示财绩〔2024〕12号", "示例市财政局", "2023年预算绩效评价报告摘要汇编", "2024年5月6日", "目录"} {
		if !strings.Contains(cover, want) {
			t.Errorf("the cover lacks %q; it reads:\n%s", want, cover)
		}
	}
	if n := strings.Count(pdfText(t, pdf, 0), "综合绩效"); n != 1 {
		t.Errorf("the indicator table's total row prints %d times, want once", n)
	}
	for i, pg := range pages {
		num := fmt.Sprintf("第%d页，共%d页", i+1, len(pages))
		if !strings.Contains(pdfText(t, pdf, i+1), num) {
			t.Errorf("page %d does not show its number %q", i+1, num)
		} else if pg.Number < pg.Height-20*mm {
			t.Errorf("page %d shows its number at %.0f pt from the top, not at its foot (page %.0f pt high)", i+1, pg.Number, pg.Height)
		}
		// A page is nearly blank when its content ends in its upper half
		// and the next page goes on with the same abstract: what follows
		// could have begun on it.
		if i+1 < len(pages) && !strings.HasPrefix(pages[i+1].First, "附件") && pg.Bottom < pg.Height/2 {
			t.Errorf("page %d is nearly blank: its text ends %.0f pt from the top of %.0f pt, and page %d goes on with %q",
				i+1, pg.Bottom, pg.Height, i+2, pages[i+1].First)
		}
	}
}

// TestScoreTablePrintsBetweenRows prints an evaluation's page whose
// three-level indicator table is taller than what is left of the first
// sheet: the table goes on from the first sheet (it was pushed whole to
// the second, leaving the first nearly blank), and its total prints once,
// at its end.
func TestScoreTablePrintsBetweenRows(t *testing.T) {
	requirePoppler(t)
	out := wholesite.BuildDir(t, congress10, congress10Day).Out()
	base := sitetest.ServeDir(t, out, "/jxgk/")
	pdf := printPDF(t, sitetest.NewBrowser(t), base+"2023/rural-roads/")
	pages := pdfPages(t, pdf)
	if len(pages) < 2 {
		t.Fatalf("the page prints on %d page, want the table to go on to a second", len(pages))
	}
	if first := pages[0]; first.Bottom < first.Height/2 {
		t.Errorf("the first sheet is nearly blank: its text ends %.0f pt from the top of %.0f pt", first.Bottom, first.Height)
	}
	if !strings.Contains(pdfText(t, pdf, 1), "立项依据充分性") {
		t.Errorf("the indicator table does not begin on the first sheet")
	}
	if n := strings.Count(pdfText(t, pdf, 0), "综合绩效"); n != 1 {
		t.Errorf("the indicator table's total row prints %d times, want once", n)
	}
}

// TestBookletFieldsChecked: bad values of [booklet] in site.toml are each
// reported in Chinese, at their line, in one run.
func TestBookletFieldsChecked(t *testing.T) {
	t.Parallel()
	s := wholesite.BuildFails(t, siteToml+`
[booklet]
document_number = 12
date = "2024年5月6日"
number = "潜财绩〔2024〕12号"
`+goodRecord)
	s.AssertDiag("site.toml:6", "booklet.document_number（文号） 应为文本")
	s.AssertDiag("site.toml:7", "booklet.date")
	s.AssertDiag("site.toml:7", "date = 2024-05-06")
	s.AssertDiag("site.toml:8", "不认识的字段 number")

	s = wholesite.BuildFails(t, siteToml+`
[booklet]
document_number = "  "
`+goodRecord)
	s.AssertDiag("site.toml:6", "booklet.document_number（文号）是空的")

	s = wholesite.BuildFails(t, siteToml+`
[booklet]
document_number = "`+strings.Repeat("潜江市财政局关于报送评价报告的函", 3)+`"
`+goodRecord)
	s.AssertDiag("site.toml:6", "不像是文号")

	// Without [booklet] the cover is dated by the newest publication date
	// of its abstracts and shows no 文号; without either, no date.
	s = wholesite.Build(t, siteToml+`
-- content/2023/evaluations/a.toml --
title = "甲项目"
department = "测试市交通运输局"
year = 2023
score = 91
published = 2024-04-30
-- content/2023/evaluations/b.toml --
title = "乙项目"
department = "测试市交通运输局"
year = 2023
score = 81
published = 2024-03-01
`, congress10Day)
	s.AssertFileContent("congress/2023/print/index.html", "! document-number", `<time datetime="2024-04-30">2024年4月30日</time>`)
	s = wholesite.BuildDir(t, defaultContent)
	s.AssertFileContent("congress/2023/print/index.html", "! document-number", `<p class="cover-signature"><span>潜江市财政局</span></p>`)
}

// mm is a millimetre in PDF points.
const mm = 72 / 25.4

// requirePoppler skips the test when poppler's pdfinfo and pdftotext are
// missing, or fails it where browser tests are required (CI=true or
// EVALPRESS_REQUIRE_BROWSER=1; .ci/run installs poppler-utils).
func requirePoppler(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdfinfo", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" || os.Getenv("EVALPRESS_REQUIRE_BROWSER") == "1" {
				t.Fatalf("print test: %v; install poppler-utils (apt-get install poppler-utils) — it is required because CI=true or EVALPRESS_REQUIRE_BROWSER=1", err)
			}
			t.Skipf("print test skipped: %v; install poppler-utils (apt-get install poppler-utils)", err)
		}
	}
}

// printPDF prints url as Chromium's print dialog does by default (the
// page's @page size and margins, no browser header or footer) and returns
// the PDF's file.
func printPDF(t *testing.T, ctx context.Context, url string) string {
	t.Helper()
	var pdf []byte
	open(t, ctx, url, 1280, 900, func(tab context.Context) (err error) {
		pdf, err = chromedp.Run(tab, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize()))
		return err
	})
	name := filepath.Join(t.TempDir(), "print.pdf")
	if err := os.WriteFile(name, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// pdfPage is what a test reads of a printed page, in points from its top
// left corner: its size, where its text ends above the foot's margin, where
// its page number stands, and its first line of text.
type pdfPage struct {
	Width, Height  float64
	Bottom, Number float64
	First          string
}

var (
	pageRE = regexp.MustCompile(`<page width="([\d.]+)" height="([\d.]+)">`)
	wordRE = regexp.MustCompile(`<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>`)
)

// pdfPages reads each page of the PDF with pdftotext -bbox.
func pdfPages(t *testing.T, pdf string) []pdfPage {
	t.Helper()
	out, err := exec.Command("pdftotext", "-bbox", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	var pages []pdfPage
	for _, chunk := range strings.Split(string(out), "</page>") {
		m := pageRE.FindStringSubmatch(chunk)
		if m == nil {
			continue
		}
		var p pdfPage
		p.Width, _ = strconv.ParseFloat(m[1], 64)
		p.Height, _ = strconv.ParseFloat(m[2], 64)
		for _, w := range wordRE.FindAllStringSubmatch(chunk, -1) {
			top, _ := strconv.ParseFloat(w[1], 64)
			bottom, _ := strconv.ParseFloat(w[2], 64)
			if strings.HasPrefix(w[3], "第") && strings.Contains(w[3], "页") || w[3] == "第" {
				p.Number = top
				continue
			}
			if top > p.Height-12*mm {
				continue // the foot's margin box
			}
			p.Bottom = max(p.Bottom, bottom)
		}
		pages = append(pages, p)
	}
	for i := range pages {
		for _, line := range strings.Split(pdfText(t, pdf, i+1), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				pages[i].First = line
				break
			}
		}
	}
	return pages
}

// pdfText is the text of page n of the PDF (all pages for 0), its spaces
// removed: pdftotext spaces Chinese text as it was laid out.
func pdfText(t *testing.T, pdf string, n int) string {
	t.Helper()
	args := []string{pdf, "-"}
	if n > 0 {
		args = append([]string{"-f", strconv.Itoa(n), "-l", strconv.Itoa(n)}, args...)
	}
	out, err := exec.Command("pdftotext", args...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\u00a0' || r == '\f' {
			return -1
		}
		return r
	}, string(out))
}

// isA4Landscape reports whether a page is A4 on its side, to a point.
func isA4Landscape(p pdfPage) bool {
	return p.Width > p.Height && abs(p.Width-297*mm) < 2 && abs(p.Height-210*mm) < 2
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
