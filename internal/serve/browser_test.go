package serve

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/evalpress/evalpress/internal/pipeline"
	"github.com/evalpress/evalpress/internal/sitetest"
)

// TestOverlay: in a browser, a broken record puts the diagnostics over the
// page (under the production CSP), and the fix reloads the page without it.
func TestOverlay(t *testing.T) {
	checkOverlay(t, testSite)
}

// TestOverlayHostileBase: with a base path full of characters that end an
// HTML attribute, the injected script still loads, connects and shows the
// overlay: it was escaped for its place, not mangled.
func TestOverlayHostileBase(t *testing.T) {
	checkOverlay(t, strings.Replace(testSite, `base_url = "https://example.gov.cn/jxgk/"`, fmt.Sprintf("base_url = %q", hostileBase), 1))
}

func checkOverlay(t *testing.T, site string) {
	browser := sitetest.NewBrowser(t)
	dir := writeSite(t, site)
	base := start(t, pipeline.Options{Content: dir})
	// (sitetest.LoadPage waits for the network to go quiet, which a page
	// with an open event stream never does.) The server sends the
	// production CSP, so the overlay showing styled proves that script and
	// stylesheet run under it.
	tab, cancel := chromedp.NewContext(browser)
	defer cancel()
	if err := chromedp.Do(tab, chromedp.Navigate(base+"2023/roads/")); err != nil {
		t.Fatal(err)
	}
	overlay := func() string {
		t.Helper()
		s, err := chromedp.Run(tab, chromedp.Evaluate[string](`(() => {
			const o = document.getElementById("evalpress-overlay");
			if (!o) return "";
			// The stylesheet applied: the overlay covers the page.
			return getComputedStyle(o).position + " " + o.textContent;
		})()`))
		if err != nil {
			return "error: " + err.Error()
		}
		return s
	}
	waitUntil := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 15 s; overlay %q", what, overlay())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	// Let the page connect to the event stream before breaking the record.
	time.Sleep(300 * time.Millisecond)
	rec := filepath.Join(dir, "2023/evaluations/roads.toml")
	write(t, rec, "title = \"道路养护项目\ndepartment = \"交通局\"\n")
	waitUntil("overlay shown", func() bool {
		s := overlay()
		return strings.HasPrefix(s, "fixed ") && strings.Contains(s, "roads.toml") && strings.Contains(s, "构建失败")
	})
	write(t, rec, "title = \"道路养护新项目\"\ndepartment = \"交通局\"\nyear = 2023\nscore = 91\n")
	waitUntil("overlay gone after the fix", func() bool {
		s, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector("h1") ? document.querySelector("h1").textContent : ""`))
		return err == nil && s == "道路养护新项目" && overlay() == ""
	})
}
