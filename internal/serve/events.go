package serve

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// hub sends build events to the open pages' event streams.
type hub struct {
	mu   sync.Mutex
	subs map[chan event]bool
	// build counts successful builds; a page that reconnects after the
	// server restarted sees a different count and reloads.
	build int
	// failure is the last build's diagnostics while it is failing.
	failure string
	// done is closed when the server shuts down: streams never end on
	// their own, and http.Server.Shutdown waits for every handler.
	done chan struct{}
	lim  limits
}

type event struct {
	name string
	data string
}

func newHub(lim limits) *hub {
	return &hub{subs: map[chan event]bool{}, done: make(chan struct{}), lim: lim}
}

// reload tells every page that a new version of the site is served.
func (h *hub) reload() {
	h.mu.Lock()
	h.build++
	h.failure = ""
	h.send(event{"reload", fmt.Sprint(h.build)})
	h.mu.Unlock()
}

// fail tells every page that the last build failed, and why.
func (h *hub) fail(diagnostics string) {
	h.mu.Lock()
	h.failure = diagnostics
	h.send(event{"error", quote(diagnostics)})
	h.mu.Unlock()
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// send must be called with h.mu held. A page too slow to take an event
// misses it rather than holding up the others.
func (h *hub) send(e event) {
	for c := range h.subs {
		select {
		case c <- e:
		default:
		}
	}
}

// ServeHTTP streams events to one page: first "hello" with the build count
// (and the failure, if the site is failing), then each event as it comes.
// Only pages of the preview itself get a stream (see sameOrigin), and only
// so many at once: each holds a connection for as long as its page is open.
func (h *hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "403 预览的更新通知只发给预览自己的页面，不发给其他网站的页面。", http.StatusForbidden)
		return
	}
	rc := http.NewResponseController(w)
	c := make(chan event, 8)
	h.mu.Lock()
	if len(h.subs) >= h.lim.streams {
		h.mu.Unlock()
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "503 打开的预览页面过多，请关闭一些页面后刷新。", http.StatusServiceUnavailable)
		return
	}
	h.subs[c] = true
	first := []event{{"hello", fmt.Sprint(h.build)}}
	if h.failure != "" {
		first = append(first, event{"error", quote(h.failure)})
	}
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.subs, c)
		h.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	// Each write gets its own deadline: a page that stopped reading
	// (a suspended laptop, a stuck client) frees its connection, while a
	// stream that is read keeps going for as long as the page is open.
	write := func(s string) bool {
		if err := rc.SetWriteDeadline(time.Now().Add(h.lim.write)); err != nil {
			return false
		}
		if _, err := io.WriteString(w, s); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	send := func(e event) bool { return write("event: " + e.name + "\ndata: " + e.data + "\n\n") }
	for _, e := range first {
		if !send(e) {
			return
		}
	}
	// A comment now and then keeps proxies from closing a quiet stream,
	// and finds out when its page has gone.
	tick := time.NewTicker(h.lim.heartbeat)
	defer tick.Stop()
	for {
		select {
		case e := <-c:
			if !send(e) {
				return
			}
		case <-tick.C:
			if !write(": keep-alive\n\n") {
				return
			}
		case <-r.Context().Done():
			return
		case <-h.done:
			return
		}
	}
}
