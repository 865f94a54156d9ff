package serve

import (
	"bytes"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// csp is the Content-Security-Policy of the portal, so that a page that
// breaks it there breaks in the preview too.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'"

// Paths under the base path that the server answers itself.
const (
	eventsPath     = "__evalpress/events"
	overlayCSSPath = "__evalpress/overlay.css"
	liveReloadPath = "assets/js/livereload.js"
)

// noSite is served while no build has succeeded yet: it reloads itself,
// through the live-reload script, as soon as one does.
const noSite = `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>网站尚未生成</title>
</head>
<body>
<h1>网站尚未生成</h1>
<p>内容有错误，详见终端中的提示。改正并保存后，本页自动刷新。</p>
</body>
</html>
`

func (s *Server) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		base := s.base()
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "只支持 GET 和 HEAD", http.StatusMethodNotAllowed)
			return
		}
		p := r.URL.Path
		if !strings.HasPrefix(p, base) {
			if p == "/" || p+"/" == base {
				http.Redirect(w, r, base, http.StatusFound)
				return
			}
			s.notFound(w, r)
			return
		}
		name := strings.TrimPrefix(p, base)
		switch name {
		case eventsPath:
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
			w.Write(inject([]byte(noSite), []byte(`<script src="`+base+liveReloadPath+`" defer></script>`)))
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
				http.Redirect(w, r, p+"/", http.StatusMovedPermanently)
				return
			}
			s.notFound(w, r)
			return
		}
		s.send(w, r, name, data)
	})
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
