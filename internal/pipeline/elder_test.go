package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/evalpress/evalpress/internal/site"
	"github.com/evalpress/evalpress/internal/sitetest"
	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

// elderPages are the pages the 适老化 mode is tried on: one of each kind a
// reader meets (issue 14 names home, year, evaluation, congress and search).
var elderPages = []string{"", "2023/", "2023/disability-subsidies/", "congress/2023/", "search/?q=补贴", "about/", "departments/"}

// elderState is what a reader of a page sees of the 适老化 mode.
type elderState struct {
	// Attr is <html>'s data-elder, "" when no script set it.
	Attr string
	// Pressed is the switch button's aria-pressed, "" when there is no
	// button (no JavaScript).
	Pressed string
	// Body and Small are the computed font sizes, in px, of the page's
	// main text and of its smallest common text (the footer).
	Body, Small float64
	// Scroll and Inner are the page's scroll width and the window's.
	Scroll, Inner int
	// OnShown and OffShown are true when the "适老化模式" and the
	// "退出适老化模式" links are visible (the switch without JavaScript).
	OnShown, OffShown bool
}

func readElder(tab context.Context) (elderState, error) {
	return chromedp.Run(tab, chromedp.Evaluate[elderState](`(() => {
		const px = sel => { const e = document.querySelector(sel); return e ? parseFloat(getComputedStyle(e).fontSize) : 0; };
		const b = document.querySelector('.elder-switch button');
		const on = document.querySelector('.elder-switch .elder-on');
		const off = document.querySelector('.elder-switch .elder-off');
		return {
			Attr: document.documentElement.getAttribute('data-elder') || '',
			Pressed: b ? (b.getAttribute('aria-pressed') || '') : '',
			Body: px('main p'),
			Small: px('.colophon p'),
			Scroll: document.documentElement.scrollWidth,
			Inner: window.innerWidth,
			OnShown: !!on && on.getClientRects().length > 0,
			OffShown: !!off && off.getClientRects().length > 0,
		};
	})()`))
}

// click clicks the element sel of tab, failing at once when the page has
// none (chromedp's Click would wait for it until the test's deadline).
func click(t *testing.T, tab context.Context, sel, what string) {
	t.Helper()
	found, err := chromedp.Run(tab, chromedp.Evaluate[bool](`document.querySelector(`+strconv.Quote(sel)+`) !== null`))
	if err != nil {
		t.Fatal(err)
	}
	if !found {
		t.Fatalf("%s: the page has no %s", what, sel)
	}
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatalf("%s: click %s: %v", what, sel, err)
	}
}

// chartText returns the largest font size, in px, of the text drawn in
// the charts of the page in tab, waiting for them to be drawn; 1 when the
// site has no ECharts (a go test without make), so that a comparison
// passes.
func chartText(t *testing.T, tab context.Context, drawn bool) float64 {
	t.Helper()
	if !drawn {
		t.Log("ECharts is not embedded (run make first): the charts' text is not checked")
		return 1
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		px, err := chromedp.Run(tab, chromedp.Evaluate[float64](`Math.max(0, ...Array.from(
			document.querySelectorAll('.chart[data-chart-drawn] svg text'), e => parseFloat(getComputedStyle(e).fontSize) || 0))`))
		if err != nil {
			t.Fatal(err)
		}
		if px > 0 || time.Now().After(deadline) {
			return px
		}
	}
}

// axeClean runs axe in tab and reports its violations against what.
func axeClean(t *testing.T, tab context.Context, what string) {
	t.Helper()
	vs, err := sitetest.AxeIn(tab, what)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	for _, v := range vs {
		t.Errorf("%s: %s", what, v)
	}
}

// TestElderModeWithScript switches the 适老化 mode on with the masthead's
// button, as a reader would, and checks that the text grows to at least
// 18 px (the national guidance) without a page scrolling sideways, that
// aria-pressed says the state, that the choice is remembered on every
// other page, that each page in the mode passes axe at WCAG 2.1 AA
// (colour contrast included), and that switching off is remembered too.
func TestElderModeWithScript(t *testing.T) {
	out := wholesite.BuildDir(t, defaultContent).Out()
	base := sitetest.ServeDir(t, out, "/jxgk/")
	ctx := sitetest.NewBrowser(t)

	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	if err := chromedp.Do(tab, chromedp.Navigate(base)); err != nil {
		t.Fatal(err)
	}
	before, err := readElder(tab)
	if err != nil {
		t.Fatal(err)
	}
	_, haveCharts := os.Stat(filepath.Join(out, site.ECharts))
	chartsBefore := chartText(t, tab, haveCharts == nil)
	if before.Attr != "off" || before.Pressed != "false" || before.Body >= 18 {
		t.Fatalf("before the switch: %+v, want data-elder off, aria-pressed false, normal text", before)
	}
	click(t, tab, ".elder-switch button", "the 适老化 button in the masthead")
	on, err := readElder(tab)
	if err != nil {
		t.Fatal(err)
	}
	if on.Attr != "on" || on.Pressed != "true" || on.Body < 18 || on.Body <= before.Body || on.Small < 16 {
		t.Fatalf("after the switch: %+v, want data-elder on, aria-pressed true, body text ≥ 18 px, footer ≥ 16 px", on)
	}
	// The charts are drawn again with larger text.
	if chartsAfter := chartText(t, tab, haveCharts == nil); chartsAfter < chartsBefore*1.3 {
		t.Errorf("the charts' largest text is %.0f px in the mode, %.0f px before: want it larger", chartsAfter, chartsBefore)
	}

	// Every page, opened afresh, remembers the mode, fits a phone and
	// passes axe in it.
	for _, page := range elderPages {
		for _, width := range []int64{1366, 390} {
			func() {
				tab, cancel := chromedp.NewContext(ctx)
				defer cancel()
				if err := chromedp.Do(tab, chromedp.EmulateViewport(width, 900), chromedp.Navigate(base+page)); err != nil {
					t.Fatal(err)
				}
				got, err := readElder(tab)
				if err != nil {
					t.Fatal(err)
				}
				if got.Attr != "on" || got.Pressed != "true" || got.Body < 18 {
					t.Errorf("/%s at %d px: %+v: the mode is not remembered", page, width, got)
				}
				if got.Scroll > got.Inner {
					t.Errorf("/%s at %d px in the mode: the page is %d px wide", page, width, got.Scroll)
				}
				if width == 1366 {
					axeClean(t, tab, "/"+page+" in the 适老化 mode")
				}
			}()
		}
	}

	// Off again, and remembered off.
	click(t, tab, ".elder-switch button", "switching the mode off")
	off, err := readElder(tab)
	if err != nil {
		t.Fatal(err)
	}
	if off.Attr != "off" || off.Pressed != "false" || off.Body != before.Body {
		t.Errorf("switched off: %+v, want it as before (%+v)", off, before)
	}
	tab2, cancel2 := chromedp.NewContext(ctx)
	defer cancel2()
	if err := chromedp.Do(tab2, chromedp.Navigate(base+"2023/")); err != nil {
		t.Fatal(err)
	}
	if got, err := readElder(tab2); err != nil || got.Attr != "off" || got.Body >= 18 {
		t.Errorf("after switching off, another page: %+v, %v; want the normal size", got, err)
	}

	// An address ending in #elder (a bookmark) turns the mode on and
	// remembers it, and the fragment is taken off the address.
	if err := chromedp.Do(tab2, chromedp.Navigate(base+"2023/#elder")); err != nil {
		t.Fatal(err)
	}
	got, err := readElder(tab2)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := chromedp.Run(tab2, chromedp.Evaluate[string](`location.href`))
	if got.Attr != "on" || got.Pressed != "true" || got.Body < 18 || strings.Contains(loc, "#") {
		t.Errorf("opened at #elder: %+v at %s; want the mode on and the address without #elder", got, loc)
	}
}

// TestElderModeWithoutScript opens pages with JavaScript disabled: the
// masthead's link to #elder must give the mode on that page (text ≥ 18
// px, an exit link shown, axe clean at AA), and the page without the
// fragment must stay at the normal size.
func TestElderModeWithoutScript(t *testing.T) {
	out := wholesite.BuildDir(t, defaultContent).Out()
	base := sitetest.ServeDir(t, out, "/jxgk/")
	ctx := sitetest.NewBrowser(t)
	for _, page := range elderPages {
		func() {
			tab, cancel := chromedp.NewContext(ctx)
			defer cancel()
			if _, err := chromedp.Call(tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(tab, chromedp.Navigate(base+page)); err != nil {
				t.Fatal(err)
			}
			plain, err := readElder(tab)
			if err != nil {
				t.Fatal(err)
			}
			if plain.Attr != "" || plain.Body >= 18 || !plain.OnShown || plain.OffShown {
				t.Errorf("/%s without JavaScript: %+v, want the normal page", page, plain)
			}
			// Follow the switch, as a reader would.
			click(t, tab, ".elder-switch .elder-on", "/"+page+" without JavaScript")
			got, err := readElder(tab)
			if err != nil {
				t.Fatal(err)
			}
			if got.Attr != "" || got.Body < 18 || got.Small < 16 || got.OnShown || !got.OffShown {
				t.Errorf("/%s#elder without JavaScript: %+v, want body text ≥ 18 px and only the exit link shown", page, got)
			}
			// axe-core is a script and needs scripts on; the page's own
			// scripts, skipped at its load, do not run again, so the page
			// stays as a reader without JavaScript sees it.
			if _, err := chromedp.Call(tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
				t.Fatal(err)
			}
			if st, err := readElder(tab); err != nil || st.Attr != "" || st.Body < 18 {
				t.Fatalf("/%s#elder: the page changed when scripts were enabled for axe: %+v, %v", page, st, err)
			}
			axeClean(t, tab, "/"+page+"#elder without JavaScript")
			click(t, tab, ".elder-switch .elder-off", "/"+page+"#elder without JavaScript")
			if back, err := readElder(tab); err != nil || back.Body != plain.Body {
				t.Errorf("/%s after 退出适老化模式: %+v, %v; want the normal size", page, back, err)
			}
		}()
	}
}
