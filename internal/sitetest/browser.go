package sitetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/evalpress/evalpress/internal/linkcheck"
)

// ContentSecurityPolicy is the policy that ServeDir sends with every
// response: the one the pages are made for.
const ContentSecurityPolicy = linkcheck.ContentSecurityPolicy

// pageTimeout bounds the load of one page, so that a hung page fails its test
// instead of the whole run.
const pageTimeout = 20 * time.Second

// ServeDir serves the built site in root over HTTP on 127.0.0.1 under
// basePath (such as "/jxgk/"), for as long as the test runs, and returns the
// site's URL (such as "http://127.0.0.1:40123/jxgk/").
//
// Serving under a base path proves the site works when copied under a path
// of a portal: a reference by absolute path leaves the base path and gets a
// 404. Every response carries ContentSecurityPolicy, so inline scripts and
// styles fail as they would on a portal that sets it. A missing file gets the
// site's 404.html with status 404, as a portal's server would send it.
func ServeDir(t testing.TB, root, basePath string) string {
	t.Helper()
	if _, err := os.Stat(root); err != nil {
		t.Fatalf("serve site: %v", err)
	}
	basePath = "/" + strings.Trim(basePath, "/") + "/"
	if basePath == "//" {
		basePath = "/"
	}
	files := http.FileServer(http.Dir(root))
	notFound := func(w http.ResponseWriter) {
		page, err := os.ReadFile(filepath.Join(root, "404.html"))
		if err != nil {
			http.Error(w, "404 page not found", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		w.Write(page)
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		// Without nosniff a script served with a wrong type would still run.
		h.Set("X-Content-Type-Options", "nosniff")
		if r.URL.Path+"/" == basePath {
			http.Redirect(w, r, basePath, http.StatusMovedPermanently)
			return
		}
		rest, ok := strings.CutPrefix(r.URL.Path, basePath)
		if r.URL.Path == "/favicon.ico" && (!ok || !exists(root, "favicon.ico")) {
			// Chromium asks the origin's root for an icon when a page
			// names none. On a portal the portal answers; the site is not
			// to blame, so do not report a 404 against it.
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if !ok {
			notFound(w)
			return
		}
		name := path.Clean("/" + rest)
		info, err := os.Stat(filepath.Join(root, filepath.FromSlash(name)))
		if err == nil && info.IsDir() {
			_, err = os.Stat(filepath.Join(root, filepath.FromSlash(name), "index.html"))
		}
		if err != nil {
			notFound(w) // also for a folder without index.html: no listings
			return
		}
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/" + rest
		r2.URL.RawPath = ""
		files.ServeHTTP(w, r2)
	})
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return srv.URL + basePath
}

func exists(root, name string) bool {
	_, err := os.Stat(filepath.Join(root, filepath.FromSlash(name)))
	return err == nil
}

// browserRequired reports whether a missing browser fails the test instead
// of skipping it: on CI a skipped browser test would pass without testing.
func browserRequired() bool {
	return os.Getenv("CI") == "true" || os.Getenv("EVALPRESS_REQUIRE_BROWSER") == "1"
}

// findChromium returns the path of a Chromium or Chrome binary:
// $EVALPRESS_CHROMIUM if set, else the first of the usual names on $PATH.
func findChromium() (string, error) {
	if p := os.Getenv("EVALPRESS_CHROMIUM"); p != "" {
		return exec.LookPath(p)
	}
	for _, name := range []string{"chromium", "/usr/bin/chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no chromium binary found (looked for chromium, chromium-browser, google-chrome and $EVALPRESS_CHROMIUM)")
}

// NewBrowser starts a headless Chromium for the test and returns its
// context; the browser stops when the test ends. Give the context to
// LoadPage and Axe, which each open their own tab.
//
// Without a Chromium binary the test is skipped, or fails when CI=true or
// EVALPRESS_REQUIRE_BROWSER=1. Install one with `apt-get install chromium`,
// or point EVALPRESS_CHROMIUM at one.
func NewBrowser(t testing.TB) context.Context {
	t.Helper()
	exe, err := findChromium()
	if err != nil {
		if browserRequired() {
			t.Fatalf("browser test: %v; install it (apt-get install chromium) — it is required because CI=true or EVALPRESS_REQUIRE_BROWSER=1", err)
		}
		t.Skipf("browser test skipped: %v; install it (apt-get install chromium) or set EVALPRESS_CHROMIUM", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox, // tests run as root in CI containers, where the sandbox cannot start
		chromedp.DisableGPU,
		// The machine has no network but the loopback: keep Chromium from
		// calling home, which fails slowly and fills the log.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first call starts the browser; it must not carry a timeout, which
	// would stop the browser when it expires.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	return ctx
}

// PageIssue is something that went wrong while a page loaded in the browser.
type PageIssue struct {
	// Kind is "exception" (an uncaught error), "console" (console.error),
	// "csp" (a Content Security Policy violation), "request" (a failed or
	// 4xx/5xx request) or "log" (another error the browser logged).
	Kind string
	Text string
	URL  string // the script or resource concerned, when known
	Line int    // 1-based line in URL, when known
}

func (i PageIssue) String() string {
	s := i.Kind + ": " + i.Text
	switch {
	case i.URL != "" && i.Line > 0:
		s += fmt.Sprintf(" (%s:%d)", i.URL, i.Line)
	case i.URL != "" && !strings.Contains(i.Text, i.URL):
		s += " (" + i.URL + ")"
	}
	return s
}

// LoadPage opens url in a new tab of the browser ctx (from NewBrowser),
// waits until it has loaded and its requests have settled, and returns what
// went wrong: uncaught exceptions, console.error calls, Content Security
// Policy violations, other errors the browser logged, and requests that
// failed or got a 4xx or 5xx status. The error is for a page that could not
// be loaded at all.
func LoadPage(ctx context.Context, url string) ([]PageIssue, error) {
	issues, _, err := checkPage(ctx, url, false, false)
	return issues, err
}

// checkPage loads url in a new tab and returns what went wrong while it
// loaded, and, if withAxe, its accessibility violations. Doing both in one
// tab saves a load of the page. With notFound, the page is expected to come
// with status 404 (it is the site's 404.html, loaded at a missing URL).
func checkPage(ctx context.Context, url string, withAxe, notFound bool) ([]PageIssue, []Violation, error) {
	tab, closeTab := chromedp.NewContext(ctx)
	defer closeTab()
	if err := chromedp.Do(tab); err != nil {
		return nil, nil, fmt.Errorf("open tab: %w", err)
	}
	var c issueCollector
	if err := chromedp.Listen(tab, c.event); err != nil {
		return nil, nil, err
	}
	if err := navigate(tab, url, notFound); err != nil {
		return nil, nil, err
	}
	if err := c.settle(tab); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", url, err)
	}
	issues := c.result()
	if !withAxe {
		return issues, nil, nil
	}
	vs, err := runAxe(tab, url)
	return issues, vs, err
}

// navigate loads url in the tab and waits for its load event. The page must
// come with status 200, or 404 if notFound.
func navigate(tab context.Context, url string, notFound bool) error {
	ctx, cancel := context.WithTimeout(tab, pageTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		return fmt.Errorf("load %s: %w", url, err)
	}
	want := int64(http.StatusOK)
	if notFound {
		want = http.StatusNotFound
	}
	if resp != nil && resp.Status != want {
		return fmt.Errorf("load %s: HTTP %d %s, want %d", url, resp.Status, resp.StatusText, want)
	}
	return nil
}

// issueCollector gathers the issues of one tab from the protocol events.
// Its event method runs on the tab's reader goroutine, so it only records.
type issueCollector struct {
	mu       sync.Mutex
	issues   []PageIssue
	urls     map[network.RequestID]string
	inflight map[network.RequestID]bool
}

func (c *issueCollector) add(i PageIssue) {
	c.issues = append(c.issues, i)
}

func (c *issueCollector) event(ev any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.urls == nil {
		c.urls = map[network.RequestID]string{}
		c.inflight = map[network.RequestID]bool{}
	}
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			// The description holds the message and the stack; the
			// first line is enough to find the fault.
			desc, _, _ := strings.Cut(d.Exception.Description, "\n")
			text = strings.TrimSuffix(text, " ") + " " + desc
		}
		c.add(PageIssue{Kind: "exception", Text: text, URL: d.URL, Line: int(d.LineNumber) + 1})
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		var parts []string
		for _, a := range ev.Args {
			parts = append(parts, remoteText(a))
		}
		i := PageIssue{Kind: "console", Text: "console." + string(ev.Type) + ": " + strings.Join(parts, " ")}
		if st := ev.StackTrace; st != nil && len(st.CallFrames) > 0 {
			i.URL, i.Line = st.CallFrames[0].URL, int(st.CallFrames[0].LineNumber)+1
		}
		c.add(i)
	case *cdplog.EventEntryAdded:
		e := ev.Entry
		// Failed requests are reported from the network events, with
		// their status; the log's copy would say the same twice.
		if e.Level != cdplog.EntryLevelError || e.Source == cdplog.EntrySourceNetwork {
			return
		}
		kind := "log"
		if strings.Contains(e.Text, "Content Security Policy") {
			kind = "csp"
		}
		line := 0
		if e.LineNumber > 0 {
			line = int(e.LineNumber) + 1
		}
		c.add(PageIssue{Kind: kind, Text: e.Text, URL: e.URL, Line: line})
	case *network.EventRequestWillBeSent:
		c.urls[ev.RequestID] = ev.Request.URL
		c.inflight[ev.RequestID] = true
	case *network.EventLoadingFinished:
		delete(c.inflight, ev.RequestID)
	case *network.EventResponseReceived:
		// The document's own status is checked by navigate.
		if r := ev.Response; r != nil && r.Status >= 400 && ev.Type != network.ResourceTypeDocument {
			c.add(PageIssue{Kind: "request", Text: fmt.Sprintf("HTTP %d %s", r.Status, r.StatusText), URL: r.URL})
		}
	case *network.EventLoadingFailed:
		delete(c.inflight, ev.RequestID)
		if ev.Canceled {
			return
		}
		text := ev.ErrorText
		if ev.BlockedReason != "" {
			text += " (blocked: " + string(ev.BlockedReason) + ")"
			if ev.BlockedReason == network.BlockedReasonCsp {
				c.add(PageIssue{Kind: "csp", Text: "request blocked by the Content Security Policy", URL: c.urls[ev.RequestID]})
				return
			}
		}
		c.add(PageIssue{Kind: "request", Text: text, URL: c.urls[ev.RequestID]})
	}
}

// settle waits until the tab has no request in flight, then two animation
// frames more, so that errors of scripts that run after the load event (and
// of the requests they make) are seen.
func (c *issueCollector) settle(tab context.Context) error {
	ctx, cancel := context.WithTimeout(tab, pageTimeout)
	defer cancel()
	for {
		c.mu.Lock()
		n := len(c.inflight)
		c.mu.Unlock()
		if n == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("requests still in flight after %v", pageTimeout)
		case <-time.After(10 * time.Millisecond):
		}
	}
	// Runtime.evaluate is not subject to the page's script-src, so this
	// runs under the strict policy too.
	return chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](
		`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 20))))`,
		chromedp.EvalAwaitPromise))
}

// result returns the issues in the order they happened, each once: the
// browser logs some faults (such as a style sheet refused for its type)
// more than once.
func (c *issueCollector) result() []PageIssue {
	c.mu.Lock()
	defer c.mu.Unlock()
	type key struct{ kind, text, url string }
	seen := map[key]bool{}
	var out []PageIssue
	for _, i := range c.issues {
		k := key{i.Kind, i.Text, i.URL}
		if !seen[k] {
			seen[k] = true
			out = append(out, i)
		}
	}
	return out
}

// remoteText renders an argument of a console call as the console shows it.
func remoteText(o *runtime.RemoteObject) string {
	if len(o.Value) > 0 {
		var s string
		if json.Unmarshal(o.Value, &s) == nil {
			return s
		}
		return string(o.Value)
	}
	if o.UnserializableValue != "" {
		return string(o.UnserializableValue)
	}
	if o.Description != "" {
		return o.Description
	}
	return string(o.Type)
}
