package serve

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evalpress/evalpress"
	"github.com/evalpress/evalpress/internal/pipeline"
)

func TestLoopbackHost(t *testing.T) {
	for _, c := range []struct {
		host string
		ok   bool
	}{
		// What browsers send for the addresses the preview listens on.
		{"127.0.0.1:8080", true},
		{"localhost:8080", true},
		{"[::1]:8080", true},
		{"127.0.0.2:8080", true}, // -addr 127.0.0.2:8080
		// Port 80 is left out by browsers; any port is taken (ssh -L).
		{"127.0.0.1", true},
		{"localhost", true},
		{"[::1]", true},
		{"localhost:9000", true},
		// RFC 6761 names, and forms other clients send.
		{"preview.localhost:8080", true},
		{"a-b.c.localhost:8080", true},
		{"LOCALHOST:8080", true},
		{"localhost.:8080", true},
		{"[::ffff:127.0.0.1]:8080", true},

		// Rebinding: any name a web page controls.
		{"attacker.example:8080", false},
		{"attacker.example", false},
		{"127.0.0.1.nip.io:8080", false},
		{"localhost.attacker.example:8080", false},
		{"localhost-attacker.example:8080", false},
		{"xlocalhost:8080", false},
		{"a..localhost:8080", false},
		{"a_b.localhost:8080", false},
		{".localhost:8080", false},
		// Addresses that are not loopback, or not canonical.
		{"0.0.0.0:8080", false},
		{"[::]:8080", false},
		{"192.168.1.10:8080", false},
		{"[fe80::1%25lo]:8080", false},
		{"127.1:8080", false},
		{"2130706433:8080", false},
		{"", false},
		{":8080", false},
		{"[]:8080", false},
	} {
		if got := loopbackHost(c.host); got != c.ok {
			t.Errorf("loopbackHost(%q) = %v, want %v", c.host, got, c.ok)
		}
	}
}

// The headers every response carries, errors and refusals included.
var wantHeaders = map[string]string{
	"Content-Security-Policy":      csp,
	"Referrer-Policy":              "no-referrer",
	"X-Content-Type-Options":       "nosniff",
	"Cross-Origin-Resource-Policy": "same-origin",
}

func checkHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	for k, v := range wantHeaders {
		if got := h.Get(k); got != v {
			t.Errorf("%s: %s = %q, want %q", what, k, got, v)
		}
	}
}

// do sends a request with the given Host and headers, follows no
// redirects, and returns the response with its body read. Of an event
// stream, the body is its first event.
func do(t *testing.T, method, u, host string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s (Host %s): %v", method, u, host, err)
	}
	defer resp.Body.Close()
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		if method == "HEAD" {
			return resp, ""
		}
		var body strings.Builder
		r := bufio.NewReader(resp.Body)
		for {
			line, err := r.ReadString('\n')
			body.WriteString(line)
			if err != nil || line == "\n" {
				return resp, body.String()
			}
		}
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, u, err)
	}
	return resp, string(b)
}

// syncBuffer is a bytes.Buffer the server may write to while the test
// reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestRebinding sends what a browser sends once a hostile page has rebound
// its name to 127.0.0.1: the real listener, the page's own name as Host.
// With drafts in the preview, nothing of them may come back.
func TestRebinding(t *testing.T) {
	var stderr syncBuffer
	base := startWith(t, Config{Build: pipeline.Options{Content: writeSite(t, testSite), Drafts: true}, Stderr: &stderr}, defaultLimits)
	u, _ := url.Parse(base)
	_, port, _ := net.SplitHostPort(u.Host)
	secret := base + "2023/secret/"

	// The preview's own names get the draft.
	for _, host := range []string{u.Host, "localhost:" + port, "preview.localhost:" + port} {
		resp, body := do(t, "GET", secret, host)
		if resp.StatusCode != 200 || !strings.Contains(body, "尚未公开的草稿项目") {
			t.Errorf("Host %s: %d, want the draft page", host, resp.StatusCode)
		}
	}
	// Any other name gets 421 and nothing else, whatever it asks for.
	for _, path := range []string{"2023/secret/", "", "data/evaluations.json", eventsName, "assets/js/livereload.js", "nothing/"} {
		for _, method := range []string{"GET", "HEAD"} {
			resp, body := do(t, method, base+path, "attacker.example:"+port)
			if resp.StatusCode != http.StatusMisdirectedRequest {
				t.Errorf("%s %s with Host attacker.example: %d, want 421", method, path, resp.StatusCode)
			}
			if strings.Contains(body, "草稿") || strings.Contains(body, "测试站") || strings.Contains(body, "EventSource") {
				t.Errorf("%s %s with Host attacker.example: the body has site content:\n%s", method, path, body)
			}
			if method == "GET" && !strings.Contains(body, "预览只回答本机地址") {
				t.Errorf("%s %s: the 421 does not explain itself: %q", method, path, body)
			}
			checkHeaders(t, "421 "+path, resp.Header)
		}
	}
	for _, host := range []string{"0.0.0.0:" + port, "127.0.0.1.nip.io:" + port} {
		if resp, _ := do(t, "GET", secret, host); resp.StatusCode != http.StatusMisdirectedRequest {
			t.Errorf("Host %s: %d, want 421", host, resp.StatusCode)
		}
	}
	// The terminal says so, once per name, with the name quoted.
	if n := strings.Count(stderr.String(), `已拒绝主机名为 "attacker.example:`+port+`" 的请求`); n != 1 {
		t.Errorf("the refusal of attacker.example is reported %d times, want once:\n%s", n, stderr.String())
	}
}

// TestEventsOrigin: the event stream is for the preview's own pages; a
// page of another origin (another local server included) is refused.
func TestEventsOrigin(t *testing.T) {
	base := start(t, pipeline.Options{Content: writeSite(t, testSite)})
	u, _ := url.Parse(base)
	_, port, _ := net.SplitHostPort(u.Host)
	events := base + eventsName
	for _, c := range []struct {
		host, origin string
		status       int
	}{
		{"", "", 200},
		{"", "http://" + u.Host, 200},
		{"localhost:" + port, "http://localhost:" + port, 200},
		{"", "http://attacker.example:" + port, 403},
		{"", "http://attacker.example", 403},
		{"", "null", 403},
		{"", "https://" + u.Host, 403},
		{"", "http://localhost:3000", 403},
		{"localhost:" + port, "http://127.0.0.1:" + port, 403},
	} {
		var header []string
		if c.origin != "" {
			header = []string{"Origin", c.origin}
		}
		resp, body := do(t, "GET", events, c.host, header...)
		if resp.StatusCode != c.status {
			t.Errorf("events with Host %q, Origin %q: %d, want %d", c.host, c.origin, resp.StatusCode, c.status)
		}
		if c.status != 200 && strings.Contains(body, "hello") {
			t.Errorf("events with Origin %q: a refused stream sent events: %q", c.origin, body)
		}
		checkHeaders(t, "events with Origin "+c.origin, resp.Header)
	}
}

// TestHeadersEverywhere: every kind of response carries the headers,
// errors included.
func TestHeadersEverywhere(t *testing.T) {
	base := start(t, pipeline.Options{Content: writeSite(t, testSite)})
	root := strings.TrimSuffix(base, "jxgk/")
	for _, c := range []struct {
		method, url string
		header      []string
		status      int
	}{
		{"GET", base, nil, 200},
		{"HEAD", base + "2023/roads/", nil, 200},
		{"GET", base + "assets/js/livereload.js", nil, 200},
		{"GET", base + "__evalpress/overlay.css", nil, 200},
		{"GET", base + eventsName, nil, 200},
		{"GET", base + "2023/roads/", []string{"If-None-Match", "*"}, 304},
		{"GET", root, nil, 302},
		{"GET", base + "2023/roads", nil, 301},
		{"GET", base + "2023/nothing/", nil, 404},
		{"GET", root + "elsewhere", nil, 404},
		{"POST", base, nil, 405},
		{"GET", base + "2023/roads/", []string{"Range", "bytes=99999999-"}, 416},
		{"GET", base + eventsName, []string{"Origin", "http://attacker.example"}, 403},
	} {
		resp, _ := do(t, c.method, c.url, "", c.header...)
		what := fmt.Sprintf("%s %s %v", c.method, c.url, c.header)
		if resp.StatusCode != c.status {
			t.Errorf("%s: %d, want %d", what, resp.StatusCode, c.status)
		}
		checkHeaders(t, what, resp.Header)
	}
}

// TestIdleClients opens many connections that never send a request, as a
// crowd of idle clients does, then some kept alive after a request: the
// server closes the oldest of them, and a new client is served at once.
func TestIdleClients(t *testing.T) {
	base := start(t, pipeline.Options{Content: writeSite(t, testSite)})
	u, _ := url.Parse(base)
	const n = 150
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	dial := func() net.Conn {
		c, err := net.DialTimeout("tcp", u.Host, 2*time.Second)
		if err != nil {
			t.Fatalf("after %d connections: %v", len(conns), err)
		}
		conns = append(conns, c)
		return c
	}
	for range n {
		dial()
	}
	// Some clients that made a request and keep the connection.
	for range 20 {
		c := dial()
		fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", u.Path, u.Host)
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("kept-alive request: %d", resp.StatusCode)
		}
	}

	start := time.Now()
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get(base + "2023/roads/")
	if err != nil {
		t.Fatalf("with %d idle clients, a new one is not served: %v", len(conns), err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "道路养护项目") {
		t.Fatalf("with %d idle clients: %d", len(conns), resp.StatusCode)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("with %d idle clients, a request took %v", len(conns), d)
	}

	// The server closed all but the newest idle ones: reading them finds
	// the end at once, while the open ones time out.
	open := 0
	for _, c := range conns {
		c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		_, err := c.Read(make([]byte, 1))
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			open++
		}
	}
	if open > defaultLimits.idleConns {
		t.Errorf("%d of %d idle connections are still open, want at most %d", open, len(conns), defaultLimits.idleConns)
	}
}

// TestTimeouts: a header sent too slowly and a kept-alive connection left
// idle are closed, while an event stream lives on past both timeouts and
// still delivers the next reload.
func TestTimeouts(t *testing.T) {
	lim := defaultLimits
	lim.readHeader, lim.idle, lim.write, lim.heartbeat = 300*time.Millisecond, 300*time.Millisecond, 300*time.Millisecond, 100*time.Millisecond
	dir := writeSite(t, testSite)
	base := startWith(t, Config{Build: pipeline.Options{Content: dir}}, lim)
	u, _ := url.Parse(base)
	events := subscribe(t, base)

	closedWithin := func(what string, c net.Conn, d time.Duration) {
		t.Helper()
		c.SetReadDeadline(time.Now().Add(d))
		_, err := io.Copy(io.Discard, c)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Errorf("%s: the connection is still open after %v", what, d)
		}
	}
	slow, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	fmt.Fprintf(slow, "GET %s HTTP/1.1\r\nHost: %s\r\n", u.Path, u.Host) // and never the blank line
	closedWithin("a header never finished", slow, 3*time.Second)

	idle, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	fmt.Fprintf(idle, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", u.Path, u.Host)
	r := bufio.NewReader(idle)
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	started := time.Now()
	idle.SetReadDeadline(time.Now().Add(3 * time.Second))
	if _, err := r.ReadByte(); err == nil {
		t.Error("a kept-alive connection got data it did not ask for")
	} else if ne := (net.Error)(nil); errors.As(err, &ne) && ne.Timeout() {
		t.Error("a kept-alive connection is still open after 3 s without a request")
	} else if d := time.Since(started); d < lim.idle/2 {
		t.Errorf("a kept-alive connection was closed after %v, before its idle timeout", d)
	}

	// The stream has been open longer than every timeout by now.
	time.Sleep(500 * time.Millisecond)
	write(t, filepath.Join(dir, "2023/evaluations/roads.md"), "## 一、项目概况\n\n改过的说明文字。\n")
	events.want(t, "reload")
}

// TestStreamLimit: event streams beyond the limit are refused, and a
// closed one makes room.
func TestStreamLimit(t *testing.T) {
	lim := defaultLimits
	lim.streams = 2
	base := startWith(t, Config{Build: pipeline.Options{Content: writeSite(t, testSite)}}, lim)
	subscribe(t, base)
	subscribe(t, base)
	resp, body := do(t, "GET", base+eventsName, "")
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "预览页面过多") {
		t.Errorf("a third stream: %d %q, want 503", resp.StatusCode, body)
	}
}

// hostileBase is a base_url whose path would end the live-reload script's
// attribute and start a script of its own if it were pasted in unescaped.
const hostileBase = `https://example.gov.cn/a"><script>alert(1)</script>&'x/`

// TestInjectedEscaped: what the server adds to pages is escaped for its
// place, and the live-reload script it names is still found.
func TestInjectedEscaped(t *testing.T) {
	site := strings.Replace(testSite, `base_url = "https://example.gov.cn/jxgk/"`, fmt.Sprintf("base_url = %q", hostileBase), 1)
	dir := writeSite(t, site)
	base := start(t, pipeline.Options{Content: dir})
	hostile, _ := url.Parse(hostileBase)
	if got, want := base[strings.Index(base[len("http://"):], "/")+len("http://"):], hostile.EscapedPath(); got != want {
		t.Fatalf("served under %s, want %s", got, want)
	}
	const tag = `<script type="module" src="/a%22%3E%3Cscript%3Ealert%281%29%3C/script%3E&amp;%27x/assets/js/livereload.js"></script>`
	checkPage := func(page, body string) {
		t.Helper()
		if !strings.Contains(body, tag) {
			t.Errorf("%s lacks the escaped live-reload tag %s:\n%s", page, tag, body)
		}
		if strings.Contains(body, "<script>alert(1)") {
			t.Errorf("%s carries the base path's script unescaped:\n%s", page, body)
		}
	}
	page := base + "2023/roads/"
	code, _, body := get(t, page)
	if code != 200 {
		t.Fatalf("GET %s: %d", page, code)
	}
	checkPage(page, body)
	checkWorks(t, page)

	// The root redirects to the base path, escaped.
	resp, _ := do(t, "GET", strings.TrimSuffix(base, hostile.EscapedPath())+"/", "")
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || loc != hostile.EscapedPath() {
		t.Errorf("GET /: %d to %q, want a redirect to %q", resp.StatusCode, loc, hostile.EscapedPath())
	}
	// So does a folder without its slash.
	resp, _ = do(t, "GET", strings.TrimSuffix(page, "/"), "")
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusMovedPermanently || loc != hostile.EscapedPath()+"2023/roads/" {
		t.Errorf("GET a folder without its slash: %d to %q", resp.StatusCode, loc)
	}

	// Before any good build, the placeholder page carries the tag too.
	write(t, filepath.Join(dir, "2023/evaluations/roads.toml"), "title = \"坏记录\n")
	broken := startWith(t, Config{Build: pipeline.Options{Content: dir}, Stderr: io.Discard}, defaultLimits)
	code, _, body = get(t, broken)
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "网站尚未生成") {
		t.Fatalf("GET %s with no good build: %d\n%s", broken, code, body)
	}
	checkPage("the placeholder page", body)
	checkWorks(t, broken)
}

// checkWorks follows the live-reload script tag of page as a browser and
// the script do: the script is served, and so is the event stream at the
// address the script derives from its own.
func checkWorks(t *testing.T, page string) {
	t.Helper()
	_, _, body := get(t, page)
	const open = `<script type="module" src="`
	src := ""
	for rest := body; src == ""; {
		i := strings.Index(rest, open)
		if i < 0 {
			t.Fatalf("%s has no live-reload script tag", page)
		}
		rest = rest[i+len(open):]
		if s := rest[:strings.Index(rest, `"`)]; strings.HasSuffix(s, liveReloadPath) {
			src = strings.ReplaceAll(s, "&amp;", "&")
		}
	}
	pageURL, _ := url.Parse(page)
	script, err := pageURL.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	code, _, js := get(t, script.String())
	if code != 200 || !strings.Contains(js, "EventSource") {
		t.Errorf("the live-reload script %s: %d", script, code)
	}
	// livereload.js: new URL("../../", script.src), then __evalpress/events.
	events := script.ResolveReference(&url.URL{Path: "../../" + eventsName})
	resp, stream := do(t, "GET", events.String(), "")
	if resp.StatusCode != 200 || !strings.Contains(stream, "event: hello") {
		t.Errorf("the event stream at %s: %d %q", events, resp.StatusCode, stream)
	}
}

// TestBaseCleaned: a base path a browser would resolve differently is
// served as the browser resolves it, and never names another host.
func TestBaseCleaned(t *testing.T) {
	site := strings.Replace(testSite, `https://example.gov.cn/jxgk/`, `https://example.gov.cn//evil.example/`, 1)
	base := start(t, pipeline.Options{Content: writeSite(t, site)})
	if !strings.HasSuffix(base, "/evil.example/") || strings.HasSuffix(base, "//evil.example/") {
		t.Fatalf("served at %s, want /evil.example/", base)
	}
	_, _, body := get(t, base+"2023/roads/")
	if !strings.Contains(body, `<script type="module" src="/evil.example/assets/js/livereload.js"></script>`) {
		t.Errorf("the live-reload tag is not under the cleaned base path:\n%s", body)
	}
}

// TestPlaceholderWhileBuilding: until the first build is over the
// placeholder says the site is being made; once a build has failed, that
// the content has errors. A preview tab left open from the day before
// reloads during a first build of many seconds, and must not be told of
// errors there are none of.
func TestPlaceholderWhileBuilding(t *testing.T) {
	s := &Server{events: newHub(defaultLimits), lim: defaultLimits, refusedHosts: map[string]bool{}, files: evalpress.Files,
		cfg: Config{Stderr: io.Discard}}
	base := "/jxgk/"
	s.basePath.Store(&base)
	get := func() string {
		rec := httptest.NewRecorder()
		s.handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080/jxgk/", nil))
		if rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("GET with no site: %d", rec.Code)
		}
		return rec.Body.String()
	}
	if body := get(); !strings.Contains(body, "正在生成网站") || strings.Contains(body, "内容有错误") {
		t.Errorf("during the first build:\n%s", body)
	}
	s.built.Store(true)
	if body := get(); !strings.Contains(body, "内容有错误") || strings.Contains(body, "正在生成网站") {
		t.Errorf("after a failed first build:\n%s", body)
	}
}
