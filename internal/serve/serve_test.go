package serve

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/pipeline"
	"github.com/evalpress/evalpress/internal/sitetest"
)

const testSite = `
-- site.toml --
title = "测试站"
organization = "测试局"
base_url = "https://example.gov.cn/jxgk/"
-- 2023/evaluations/roads.toml --
title = "道路养护项目"
department = "交通局"
year = 2023
score = 91
-- 2023/evaluations/roads.md --
## 一、项目概况

原来的说明文字。
-- 2023/evaluations/parks.toml --
title = "公园管理项目"
department = "交通局"
year = 2023
grade = "良"
-- 2023/evaluations/secret.toml --
title = "尚未公开的草稿项目"
department = "园林局"
year = 2023
score = 70
draft = true
`

// writeSite writes the test site into a new content directory.
func writeSite(t *testing.T, archive string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	sitetest.WriteFiles(t, dir, archive)
	return dir
}

// start serves the site in dir and returns its URL; the server stops at
// the end of the test, and the test checks that it stopped cleanly.
func start(t *testing.T, opts pipeline.Options) string {
	t.Helper()
	return startWith(t, Config{Build: opts}, defaultLimits)
}

// startWith is start with more of the configuration, and the given limits.
func startWith(t *testing.T, cfg Config, lim limits) string {
	t.Helper()
	u, _ := launch(t, cfg, lim)
	return u
}

// launch is startWith that also returns stop, which ends the server's
// context and checks that it stopped cleanly within 10 s, and returns how
// long it took. The test's cleanup calls it if the test did not.
func launch(t *testing.T, cfg Config, lim limits) (string, func() time.Duration) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	cfg.Addr, cfg.Debounce = "127.0.0.1:0", 20*time.Millisecond
	cfg.Ready = func(u string, _ io.Writer) { ready <- u }
	go func() { done <- run(ctx, cfg, lim) }()
	var took time.Duration
	stop := sync.OnceFunc(func() {
		start := time.Now()
		cancel()
		select {
		case err := <-done:
			took = time.Since(start)
			if err != nil {
				t.Errorf("server stopped with %v", err)
			}
		case <-time.After(10 * time.Second):
			took = time.Since(start)
			t.Error("server did not stop within 10 s of its context's end")
		}
	})
	t.Cleanup(stop)
	select {
	case u := <-ready:
		return u, func() time.Duration { stop(); return took }
	case err := <-done:
		t.Fatalf("server: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("server not ready within 30 s")
	}
	return "", nil
}

func get(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

// eventually polls url until its body contains want.
func eventually(t *testing.T, url, want string) {
	t.Helper()
	if err := waitFor(context.Background(), url, want, time.Now().Add(15*time.Second)); err != nil {
		_, _, body := get(t, url)
		t.Fatalf("%v; last body:\n%s", err, body)
	}
}

func write(t *testing.T, name, data string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestServeEditBreakFix(t *testing.T) {
	dir := writeSite(t, testSite)
	base := start(t, pipeline.Options{Content: dir})
	if !strings.HasSuffix(base, "/jxgk/") {
		t.Fatalf("site URL %s is not under the base path /jxgk/", base)
	}
	page := base + "2023/roads/"
	code, h, body := get(t, page)
	if code != 200 || !strings.Contains(body, "原来的说明文字") {
		t.Fatalf("GET %s: %d\n%s", page, code, body)
	}
	if got := h.Get("Content-Security-Policy"); got != csp {
		t.Errorf("CSP = %q, want %q", got, csp)
	}
	if got := h.Get("Content-Type"); got != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q", got)
	}
	if !strings.Contains(body, `<script type="module" src="/jxgk/assets/js/livereload.js"></script>`) {
		t.Error("page lacks the live-reload script")
	}
	events := subscribe(t, base)

	// An edited narrative and an edited record show.
	write(t, filepath.Join(dir, "2023/evaluations/roads.md"), "## 一、项目概况\n\n改过的说明文字。\n")
	eventually(t, page, "改过的说明文字")
	events.want(t, "reload")
	eventually(t, base+"congress/2023/print/", "改过的说明文字") // the booklet follows

	rec := filepath.Join(dir, "2023/evaluations/roads.toml")
	good := "title = \"道路养护改造项目\"\ndepartment = \"交通局\"\nyear = 2023\nscore = 95\n"
	write(t, rec, good)
	eventually(t, page, "道路养护改造项目")
	eventually(t, base+"2023/", "道路养护改造项目")
	eventually(t, base+"2023/parks/", "道路养护改造项目") // related evaluations follow
	events.want(t, "reload")
	// So do the open data and the feed.
	eventually(t, base+"data/evaluations.json", "道路养护改造项目")
	eventually(t, base+"data/2023.csv", "道路养护改造项目")
	eventually(t, base+"feed.xml", "道路养护改造项目")

	// A broken record keeps the last good page and tells the pages why.
	write(t, rec, "title = \"道路养护改造项目\ndepartment = \"交通局\"\n")
	data := events.want(t, "error")
	if !strings.Contains(data, "roads.toml") {
		t.Errorf("error event does not name the file: %s", data)
	}
	if _, _, body := get(t, page); !strings.Contains(body, "道路养护改造项目") {
		t.Errorf("the last good page is not served while the record is broken:\n%s", body)
	}
	// Fixed, it is served again.
	write(t, rec, strings.Replace(good, "改造", "修复", 1))
	eventually(t, page, "道路养护修复项目")
	events.want(t, "reload")

	// A new record needs a full build, and gets one.
	write(t, filepath.Join(dir, "2023/evaluations/lights.toml"), "title = \"路灯项目\"\ndepartment = \"交通局\"\nyear = 2023\ngrade = \"优\"\n")
	eventually(t, base+"2023/lights/", "路灯项目")
	// A new year folder is watched as it appears.
	if err := os.MkdirAll(filepath.Join(dir, "2024/evaluations"), 0o755); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	write(t, filepath.Join(dir, "2024/evaluations/bridges.toml"), "title = \"桥梁项目\"\ndepartment = \"交通局\"\nyear = 2024\ngrade = \"优\"\n")
	eventually(t, base+"2024/bridges/", "桥梁项目")
}

// TestServeSaveByRename saves a record and a narrative as editors and
// tools that save safely do: a temporary file written beside the file
// and renamed over it (sed -i names it sedXXXXXX, JetBrains' IDEs
// x.toml___jb_tmp___, many libraries x.toml.tmp). The temporary file is
// gone by the time the preview rebuilds; the save is an edit of the
// record, shown by an incremental update, not a full build of the site.
// A file that stays, or a new record, still gets its full build.
func TestServeSaveByRename(t *testing.T) {
	dir := writeSite(t, testSite)
	var out syncBuffer
	base := startWith(t, Config{Build: pipeline.Options{Content: dir}, Stdout: &out}, defaultLimits)
	evals := filepath.Join(dir, "2023/evaluations")
	save := func(name, tmp, data string) {
		t.Helper()
		write(t, filepath.Join(evals, tmp), data)
		if err := os.Rename(filepath.Join(evals, tmp), filepath.Join(evals, name)); err != nil {
			t.Fatal(err)
		}
	}
	fulls := func() int { return strings.Count(out.String(), "完整构建") }
	if fulls() != 1 {
		t.Fatalf("the first build is not the one full build:\n%s", out.String())
	}
	save("roads.toml", "sedAb12Cd", "title = \"道路养护改名项目\"\ndepartment = \"交通局\"\nyear = 2023\nscore = 91\n")
	eventually(t, base+"2023/roads/", "道路养护改名项目")
	save("roads.toml", "roads.toml___jb_tmp___", "title = \"道路养护再改项目\"\ndepartment = \"交通局\"\nyear = 2023\nscore = 91\n")
	eventually(t, base+"2023/roads/", "道路养护再改项目")
	save("roads.md", "roads.md.tmp", "## 一、项目概况\n\n换过的说明文字。\n")
	eventually(t, base+"2023/roads/", "换过的说明文字")
	if n := fulls(); n != 1 {
		t.Errorf("saves by rename made %d full builds, want none:\n%s", n-1, out.String())
	}
	if n := strings.Count(out.String(), "增量更新"); n != 3 {
		t.Errorf("%d incremental updates, want 3:\n%s", n, out.String())
	}

	// A file that stays is content (here a new record): a full build.
	save("lights.toml", "lights.toml.tmp", "title = \"路灯项目\"\ndepartment = \"交通局\"\nyear = 2023\ngrade = \"优\"\n")
	eventually(t, base+"2023/lights/", "路灯项目")
	if n := fulls(); n != 2 {
		t.Errorf("a new record saved by rename made %d full builds, want 1:\n%s", n-1, out.String())
	}
}

// TestServeSeriesFollows edits one year of a programme evaluated in two
// years and checks that the other year's page shows the new score, and
// that moving a record to another series (a full build) shows too.
func TestServeSeriesFollows(t *testing.T) {
	dir := writeSite(t, testSite+`
-- 2022/evaluations/roads-2022.toml --
title = "道路养护项目"
department = "交通局"
year = 2022
series = "roads"
score = 81.5
-- 2023/evaluations/roads-2023.toml --
title = "道路养护项目"
department = "交通局"
year = 2023
series = "roads"
score = 88
`)
	base := start(t, pipeline.Options{Content: dir})
	eventually(t, base+"2023/roads-2023/", "2022年 81.5 分，良")
	write(t, filepath.Join(dir, "2022/evaluations/roads-2022.toml"),
		"title = \"道路养护项目\"\ndepartment = \"交通局\"\nyear = 2022\nseries = \"roads\"\nscore = 76\n")
	eventually(t, base+"2023/roads-2023/", "2022年 76 分，中")
	write(t, filepath.Join(dir, "2022/evaluations/roads-2022.toml"),
		"title = \"道路养护项目\"\ndepartment = \"交通局\"\nyear = 2022\nseries = \"other\"\nscore = 76\n")
	// Out of the series, it is one of the department's related evaluations.
	eventually(t, base+"2023/roads-2023/", "2022年 道路养护项目</a>")
	if _, _, body := get(t, base+"2023/roads-2023/"); strings.Contains(body, "series-heading") {
		t.Errorf("the 2023 page still shows a series the 2022 record left")
	}
}

func TestServeHTTP(t *testing.T) {
	dir := writeSite(t, testSite)
	base := start(t, pipeline.Options{Content: dir})
	root := strings.TrimSuffix(base, "jxgk/")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(root)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/jxgk/" {
		t.Errorf("GET / = %d to %q, want a redirect to /jxgk/", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, c := range []struct {
		path, status, typ, body string
	}{
		{"", "200", "text/html; charset=utf-8", "测试站"},
		{"2023/roads/index.html", "200", "text/html; charset=utf-8", "道路养护项目"},
		{"assets/css/site.css", "200", "text/css; charset=utf-8", ""},
		{"assets/js/livereload.js", "200", "text/javascript; charset=utf-8", "EventSource"},
		{"__evalpress/overlay.css", "200", "text/css; charset=utf-8", "evalpress-overlay"},
		{"2023/nothing/", "404", "text/html; charset=utf-8", "页面未找到"},
		{"2023/secret/", "404", "text/html; charset=utf-8", ""},
	} {
		code, h, body := get(t, base+c.path)
		if got := http.StatusText(code); code != atoi(c.status) {
			t.Errorf("GET %s: %d %s, want %s", c.path, code, got, c.status)
		}
		if got := h.Get("Content-Type"); got != c.typ {
			t.Errorf("GET %s: Content-Type %q, want %q", c.path, got, c.typ)
		}
		if h.Get("Content-Security-Policy") != csp {
			t.Errorf("GET %s: no CSP", c.path)
		}
		if !strings.Contains(body, c.body) {
			t.Errorf("GET %s: body lacks %q", c.path, c.body)
		}
	}
	resp, err = client.Get(base + "2023/roads")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/jxgk/2023/roads/" {
		t.Errorf("GET a folder without its slash: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func TestServeDrafts(t *testing.T) {
	dir := writeSite(t, testSite+`-- 2023/evaluations/later.toml --
title = "下月公开的项目"
department = "园林局"
year = 2023
score = 80
published = 2999-01-01
`)
	t.Run("hidden", func(t *testing.T) {
		base := start(t, pipeline.Options{Content: dir})
		if code, _, _ := get(t, base+"2023/secret/"); code != 404 {
			t.Errorf("draft served without -drafts: %d", code)
		}
		if code, _, _ := get(t, base+"2023/later/"); code != 404 {
			t.Errorf("future record served without -future: %d", code)
		}
		if _, _, body := get(t, base+"2023/"); strings.Contains(body, "草稿项目") || strings.Contains(body, "下月公开") {
			t.Error("year page lists a record that is not public")
		}
	})
	t.Run("shown", func(t *testing.T) {
		base := start(t, pipeline.Options{Content: dir, Drafts: true, Future: true})
		_, _, body := get(t, base+"2023/secret/")
		if !strings.Contains(body, `<p class="preview-banner" role="note">草稿：未公开</p>`) {
			t.Errorf("draft page lacks its banner:\n%s", body)
		}
		_, _, body = get(t, base+"2023/later/")
		if !strings.Contains(body, "尚未到公开日期（2999-01-01）") {
			t.Errorf("future page lacks its banner:\n%s", body)
		}
		_, _, body = get(t, base+"2023/")
		if !strings.Contains(body, `<span class="preview-mark">草稿：未公开</span>`) {
			t.Errorf("year page does not mark the draft:\n%s", body)
		}
		if _, _, body = get(t, base+"2023/roads/"); strings.Contains(body, "preview-banner") {
			t.Error("a public record's page has the preview banner")
		}
	})
}

// TestBuildHasNoPreview: a built site has neither the live-reload script
// nor its tag, and no preview marks even with drafts in the content.
func TestBuildHasNoPreview(t *testing.T) {
	dir := writeSite(t, testSite)
	out := filepath.Join(t.TempDir(), "public")
	var l diag.List
	if _, err := pipeline.Run(context.Background(), pipeline.Options{Content: dir, Out: out}, &l); err != nil {
		t.Fatal(err)
	}
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if d.Name() == "livereload.js" {
			t.Errorf("built site has %s", p)
		}
		b, err := os.ReadFile(p)
		for _, s := range []string{"livereload", "__evalpress", "preview-banner", "preview-mark"} {
			if strings.Contains(string(b), s) {
				t.Errorf("%s contains %q", p, s)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCheckAddr(t *testing.T) {
	for _, c := range []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:8080", true},
		{"127.0.0.2:0", true},
		{"localhost:8080", true},
		{"[::1]:8080", true},
		{":8080", false},
		{"0.0.0.0:8080", false},
		{"192.168.1.10:8080", false},
		{"[::]:8080", false},
		{"example.com:80", false},
		{"8080", false},
	} {
		err := CheckAddr(c.addr)
		if (err == nil) != c.ok {
			t.Errorf("CheckAddr(%q) = %v, want ok %v", c.addr, err, c.ok)
		}
	}
	err := Run(context.Background(), Config{Build: pipeline.Options{Content: "."}, Addr: "0.0.0.0:0"})
	if !errors.Is(err, ErrNotLoopback) {
		t.Errorf("Run on 0.0.0.0 = %v, want ErrNotLoopback", err)
	}
}

// stream reads a page's event stream.
type stream struct{ events chan [2]string }

func subscribe(t *testing.T, base string) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+eventsName, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream; charset=utf-8" {
		t.Fatalf("events Content-Type %q", ct)
	}
	s := &stream{events: make(chan [2]string, 64)}
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		var name string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				s.events <- [2]string{name, strings.TrimPrefix(line, "data: ")}
			}
		}
	}()
	s.want(t, "hello")
	return s
}

// want waits for an event by name, skipping others, and returns its data.
func (s *stream) want(t *testing.T, name string) string {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case e := <-s.events:
			if e[0] == name {
				return e[1]
			}
		case <-deadline:
			t.Fatalf("no %q event within 15 s", name)
		}
	}
}

// TestServeFilesBesideRecord: the preview serves the images a narrative
// references from its record's folder, also after an edit that adds one.
func TestServeFilesBesideRecord(t *testing.T) {
	const png = "\x89PNG\r\n\x1a\n fake image"
	dir := writeSite(t, testSite)
	if err := os.MkdirAll(filepath.Join(dir, "2023/evaluations/roads"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "2023/evaluations/roads/a.png"), png+"a")
	write(t, filepath.Join(dir, "2023/evaluations/roads/b.png"), png+"b")
	write(t, filepath.Join(dir, "2023/evaluations/roads.md"), "## 一\n\n![甲](roads/a.png)\n")
	base := start(t, pipeline.Options{Content: dir})
	if code, _, body := get(t, base+"2023/roads/a.png"); code != 200 || body != png+"a" {
		t.Fatalf("GET 2023/roads/a.png: %d %q", code, body)
	}
	if code, _, _ := get(t, base+"2023/roads/b.png"); code != 404 {
		t.Errorf("an unreferenced file is served: %d", code)
	}
	events := subscribe(t, base)
	// An edited narrative that references another file: the page and the
	// file show without a full build.
	write(t, filepath.Join(dir, "2023/evaluations/roads.md"), "## 一\n\n![乙](./roads/b.png)\n")
	eventually(t, base+"2023/roads/", `src="b.png"`)
	if code, _, body := get(t, base+"2023/roads/b.png"); code != 200 || body != png+"b" {
		t.Errorf("GET 2023/roads/b.png after the edit: %d %q", code, body)
	}
	events.want(t, "reload")
	// One that references a missing file is an error naming the line.
	write(t, filepath.Join(dir, "2023/evaluations/roads.md"), "## 一\n\n![丙](roads/c.png)\n")
	if data := events.want(t, "error"); !strings.Contains(data, "roads.md:3") || !strings.Contains(data, "不存在") {
		t.Errorf("error event: %s", data)
	}
}

// TestServeFilesBesideRecordChange: a file in a record's folder that
// changes (a document replaced, an image added for a narrative, a file
// removed) updates the record's page and the served files without a full
// build, as an edit of its narrative does; a file the narrative no longer
// shows, or a document no longer listed, is no longer served.
func TestServeFilesBesideRecordChange(t *testing.T) {
	const pdf = "%PDF-1.4 fake document "
	const png = "\x89PNG\r\n\x1a\n fake image"
	dir := writeSite(t, testSite)
	folder := filepath.Join(dir, "2023/evaluations/roads")
	if err := os.MkdirAll(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(folder, "报告.pdf"), pdf+"1")
	write(t, filepath.Join(dir, "2023/evaluations/roads.toml"), "title = \"道路养护项目\"\ndepartment = \"交通局\"\nyear = 2023\nscore = 91\n\n[[documents]]\nfile = \"roads/报告.pdf\"\n")
	var out syncBuffer
	base := startWith(t, Config{Build: pipeline.Options{Content: dir}, Stdout: &out}, defaultLimits)
	doc := base + "2023/roads/%E6%8A%A5%E5%91%8A.pdf"
	if code, _, body := get(t, doc); code != 200 || body != pdf+"1" {
		t.Fatalf("GET the document: %d %q", code, body)
	}
	events := subscribe(t, base)

	// The document replaced: the new one is served.
	write(t, filepath.Join(folder, "报告.pdf"), pdf+"2")
	eventually(t, doc, pdf+"2")
	events.want(t, "reload")

	// An image added, then shown by the narrative; an image referenced
	// before it is there is an error until it comes.
	write(t, filepath.Join(dir, "2023/evaluations/roads.md"), "## 一\n\n![图](roads/photo.png)\n")
	if data := events.want(t, "error"); !strings.Contains(data, "不存在") {
		t.Errorf("error event: %s", data)
	}
	write(t, filepath.Join(folder, "photo.png"), png)
	eventually(t, base+"2023/roads/", `src="photo.png"`)
	if code, _, body := get(t, base+"2023/roads/photo.png"); code != 200 || body != png {
		t.Errorf("GET the image: %d %q", code, body)
	}

	// Shown no more: no longer served, though still in the folder; then
	// removed, and still not served.
	write(t, filepath.Join(dir, "2023/evaluations/roads.md"), "## 一\n\n没有图了。\n")
	eventually(t, base+"2023/roads/", "没有图了")
	if code, _, _ := get(t, base+"2023/roads/photo.png"); code != 404 {
		t.Errorf("an image the narrative no longer shows is still served: %d", code)
	}
	updates := func() int { return strings.Count(out.String(), "增量更新") }
	before := updates()
	if err := os.Remove(filepath.Join(folder, "photo.png")); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(15 * time.Second); updates() == before; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("removing the image made no update:\n%s", out.String())
		}
	}
	if code, _, _ := get(t, base+"2023/roads/photo.png"); code != 404 {
		t.Errorf("a removed image is served: %d", code)
	}

	// A document no longer listed is no longer served either.
	write(t, filepath.Join(dir, "2023/evaluations/roads.toml"), "title = \"道路养护项目（修订）\"\ndepartment = \"交通局\"\nyear = 2023\nscore = 91\n")
	eventually(t, base+"2023/roads/", "道路养护项目（修订）")
	if code, _, _ := get(t, doc); code != 404 {
		t.Errorf("a document no longer listed is still served: %d", code)
	}
	if n := strings.Count(out.String(), "完整构建"); n != 1 {
		t.Errorf("files beside the record made %d full builds, want none:\n%s", n-1, out.String())
	}
}

// waitFor polls url until its body contains text.
func waitFor(ctx context.Context, url, text string, deadline time.Time) error {
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if bytes.Contains(body, []byte(text)) {
				return nil
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		time.Sleep(2 * time.Millisecond)
	}
	return fmt.Errorf("%s did not show %q in time", url, text)
}

// Run on a taken port returns ErrAddrInUse, for the command to explain.
func TestRunOnAPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var out, errOut bytes.Buffer
	cfg := Config{Addr: ln.Addr().String(), Stdout: &out, Stderr: &errOut}
	cfg.Build.Content = "../../testdata/seed"
	err = Run(context.Background(), cfg)
	if !errors.Is(err, ErrAddrInUse) {
		t.Errorf("Run on a taken port = %v, want ErrAddrInUse", err)
	}
}

// A browser opens connections that it may never use (Chromium connects
// ahead of the requests it expects). http.Server.Shutdown waits up to 5 s
// for such a connection, as long as the preview gave it: the preview
// stopped with "context deadline exceeded", or 5 s late. It closes them.
func TestServeStopsBesideUnusedConnections(t *testing.T) {
	base, stop := launch(t, Config{Build: pipeline.Options{Content: writeSite(t, testSite)}}, defaultLimits)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	// Two connections that send nothing, and one idle after a request.
	for range 2 {
		c, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	if code, _, _ := get(t, base); code != http.StatusOK {
		t.Fatalf("home page: %d", code)
	}
	time.Sleep(200 * time.Millisecond) // accepted by now
	if d := stop(); d > 3*time.Second {
		t.Errorf("server stopped %v after its context's end, want under 3 s", d.Round(time.Millisecond))
	}
}
