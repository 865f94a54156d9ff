package serve

import (
	"encoding/json"
	"fmt"
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
}

type event struct {
	name string
	data string
}

func newHub() *hub { return &hub{subs: map[chan event]bool{}, done: make(chan struct{})} }

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
func (h *hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c := make(chan event, 8)
	h.mu.Lock()
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
	write := func(e event) bool {
		_, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.name, e.data)
		flusher.Flush()
		return err == nil
	}
	for _, e := range first {
		if !write(e) {
			return
		}
	}
	// A comment now and then keeps proxies and idle timeouts from closing
	// a quiet stream.
	tick := time.NewTicker(20 * time.Second)
	defer tick.Stop()
	for {
		select {
		case e := <-c:
			if !write(e) {
				return
			}
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return
			}
			flusher.Flush()
		case <-r.Context().Done():
			return
		case <-h.done:
			return
		}
	}
}
