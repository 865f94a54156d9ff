package serve

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/evalpress/evalpress/internal/linkcheck"
)

// csp is the Content-Security-Policy of the portal, so that a page that
// breaks it there breaks in the preview too.
const csp = linkcheck.ContentSecurityPolicy

// Paths under the base path that the server answers itself.
const (
	eventsName     = "__evalpress/events"
	overlayCSSPath = "__evalpress/overlay.css"
	liveReloadPath = "assets/js/livereload.js"
)

// injected is everything the server adds to pages, made by html/template
// so that a base path holding quotes or angle brackets stays inside its
// attribute. "live-reload" is the script element added to each page's
// head, given the script's address; "no-site" is served while no build has
// succeeded yet (saying whether the first is still running), and reloads
// itself, through that script, as soon as one does.
var injected = template.Must(template.New("").Parse(`{{define "live-reload"}}<script type="module" src="{{.}}"></script>{{end}}
{{- define "no-site"}}<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>网站尚未生成</title>
{{template "live-reload" .Src}}
</head>
<body>
<h1>网站尚未生成</h1>
{{if .Building}}<p>正在生成网站，完成后本页自动刷新。评价较多时需要一些时间，进度见终端。</p>
{{else}}<p>内容有错误，详见终端中的提示。改正并保存后，本页自动刷新。</p>
{{end -}}
</body>
</html>
{{end}}`))

// liveReloadSrc is the address of the live-reload script of a site served
// under base, as it stands in a page.
func liveReloadSrc(base string) string { return escapePath(base) + liveReloadPath }

// liveReloadTag is the live-reload script element for a site served under
// base.
func liveReloadTag(base string) []byte {
	var b bytes.Buffer
	if err := injected.ExecuteTemplate(&b, "live-reload", liveReloadSrc(base)); err != nil {
		panic(err) // a string cannot fail this template
	}
	return b.Bytes()
}

// misdirected is the answer to a request whose Host is not this machine's
// (see loopbackHost): most likely a web page trying to read the preview
// through DNS rebinding, or an address typed in a form the preview does
// not answer to.
const misdirected = "421 预览只回答本机地址：请用 http://127.0.0.1:端口/ 或 http://localhost:端口/ 打开。" +
	"其他主机名的请求一律拒绝，以免网页借此读取未公开的记录。\n"

// headers are sent with every response, errors included: the portal's
// CSP, so that a page that breaks it there breaks in the preview too; no
// Referer, so that a link from a draft to another site does not tell it
// the draft's address; no type guessing; and no use of the preview's
// files by pages of other origins (a <script> or <img> of another site).
func headers(h http.Header) {
	h.Set("Content-Security-Policy", csp)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
}

func (s *Server) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		headers(w.Header())
		if !loopbackHost(r.Host) {
			s.refused(r.Host)
			h := w.Header()
			h.Set("Cache-Control", "no-store")
			// The client should not send more on this connection
			// (RFC 9110, 15.5.20).
			h.Set("Connection", "close")
			http.Error(w, misdirected, http.StatusMisdirectedRequest)
			return
		}
		if r.URL.Path != eventsPath(s.base()) {
			// A response is written at once; an event stream sets
			// its own deadline for each event.
			http.NewResponseController(w).SetWriteDeadline(time.Now().Add(s.lim.write))
		}
		s.serve(w, r)
	})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	base := s.base()
	h := w.Header()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "只支持 GET 和 HEAD", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if !strings.HasPrefix(p, base) {
		if p == "/" || p+"/" == base {
			http.Redirect(w, r, escapePath(base), http.StatusFound)
			return
		}
		s.notFound(w, r)
		return
	}
	name := strings.TrimPrefix(p, base)
	switch name {
	case eventsName:
		s.events.ServeHTTP(w, r)
		return
	case overlayCSSPath:
		s.send(w, r, name, overlayCSS)
		return
	case liveReloadPath:
		data, err := fs.ReadFile(s.files, liveReloadPath)
		if err != nil {
			s.notFound(w, r)
			return
		}
		s.send(w, r, name, data)
		return
	}
	site := s.site.Load()
	if site == nil {
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		injected.ExecuteTemplate(w, "no-site", struct {
			Src      string
			Building bool
		}{liveReloadSrc(base), !s.built.Load()})
		return
	}
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	if clean := path.Clean(name); clean != name && clean+"/" != name {
		s.notFound(w, r)
		return
	}
	data, ok := (*site)[name]
	if !ok {
		// A directory asked for without its slash: where the portal's
		// server would redirect, so does the preview.
		if _, dir := (*site)[name+"/index.html"]; dir {
			http.Redirect(w, r, escapePath(p+"/"), http.StatusMovedPermanently)
			return
		}
		s.notFound(w, r)
		return
	}
	s.send(w, r, name, data)
}

// eventsPath is the path of the event stream under base.
func eventsPath(base string) string { return base + eventsName }

// escapePath turns a path as requests carry it, decoded, into one that can
// stand in a Location header or an HTML attribute: a base path may hold
// any character (“/jxgk/?a/” decodes from /jxgk/%3Fa/).
func escapePath(p string) string { return (&url.URL{Path: p}).EscapedPath() }

// refused says in the terminal, once for each host name, that requests
// for it were refused, so that a staffer who opened the preview by
// another name learns why, and one whose browser ran a hostile page learns
// that it tried.
func (s *Server) refused(host string) {
	s.refusedMu.Lock()
	defer s.refusedMu.Unlock()
	if s.refusedHosts[host] || len(s.refusedHosts) >= 20 {
		return
	}
	s.refusedHosts[host] = true
	// %q: the header is the client's, and must not reach the terminal raw.
	fmt.Fprintf(s.cfg.Stderr, "已拒绝主机名为 %q 的请求：预览只回答 127.0.0.1、localhost 等本机地址（若是其他网页发出的，说明它试图读取预览）。\n", host)
}

// send writes one file with its type. Pages change under the preview, so
// nothing is cached without asking.
func (s *Server) send(w http.ResponseWriter, r *http.Request, name string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType(name))
	h.Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	if site := s.site.Load(); site != nil {
		if page, ok := (*site)["404.html"]; ok {
			h.Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			if r.Method != http.MethodHead {
				w.Write(page)
			}
			return
		}
	}
	http.NotFound(w, r)
}

// types fixes the types the site uses, whatever the machine's mime tables
// say (some map .js to application/javascript without a charset).
var types = map[string]string{
	".html":  "text/html; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".json":  "application/json",
	".xml":   "application/xml; charset=utf-8",
	".csv":   "text/csv; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".webp":  "image/webp",
	".txt":   "text/plain; charset=utf-8",
	".bin":   "application/octet-stream",
	".woff2": "font/woff2",
}

func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := types[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}
