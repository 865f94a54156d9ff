package serve

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// limits bound what clients can hold of the server, so that a few of them
// (a misbehaving tool, a browser with many tabs, a page opening connections
// on purpose) cannot make the preview unreachable or exhaust the process's
// file descriptors. Tests lower them.
type limits struct {
	// readHeader is the time a client has to send a request's header
	// once the connection is open or a request has begun.
	readHeader time.Duration
	// idle is how long a kept-alive connection may wait for its next
	// request before it is closed.
	idle time.Duration
	// write is the time to write one response, or one event of an event
	// stream (a stream as a whole is never timed: it lasts as long as its
	// page is open, kept busy by its heartbeat).
	write time.Duration
	// heartbeat is how often a quiet event stream gets a comment, so that
	// a page that went away is noticed by the next write.
	heartbeat time.Duration
	// idleConns is how many connections may be open with no request in
	// progress (just opened, or kept alive between requests); beyond it,
	// the oldest of them are closed.
	idleConns int
	// streams is how many event streams may be open at once.
	streams int
}

// defaultLimits are generous for one person's browsers: a browser opens at
// most six connections to a host, and one event stream per tab.
var defaultLimits = limits{
	readHeader: 10 * time.Second,
	idle:       30 * time.Second,
	write:      30 * time.Second,
	heartbeat:  20 * time.Second,
	idleConns:  32,
	streams:    64,
}

// idleCloser closes the oldest connections without a request in progress
// when there are more than max of them. Timeouts alone would leave the
// server unreachable for as long as they run when many connections are
// opened at once; closing the oldest idle ones keeps room for the next
// client at once. Connections serving a request or an event stream are
// never closed here.
//
// A connection closed just as its next request arrives fails that request
// before any response; browsers and Go's client retry such a request on a
// new connection by themselves.
type idleCloser struct {
	max  int
	mu   sync.Mutex
	seq  uint64
	idle map[net.Conn]uint64 // when each became idle, in order of events
	// stopping is set by closeAll: from then on every connection is closed
	// as soon as it has no request in progress.
	stopping bool
}

func newIdleCloser(max int) *idleCloser {
	return &idleCloser{max: max, idle: map[net.Conn]uint64{}}
}

// track is the http.Server's ConnState hook.
func (c *idleCloser) track(conn net.Conn, state http.ConnState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch state {
	case http.StateNew, http.StateIdle:
		if c.stopping {
			conn.Close()
			return
		}
		c.seq++
		c.idle[conn] = c.seq
		// At most max+1 entries: the scan is short, and it only runs
		// when a connection goes idle.
		for len(c.idle) > c.max {
			var oldest net.Conn
			var at uint64
			for k, v := range c.idle {
				if oldest == nil || v < at {
					oldest, at = k, v
				}
			}
			delete(c.idle, oldest)
			// The server sees the closed connection and reports it
			// as StateClosed, which finds nothing left to delete.
			oldest.Close()
		}
	default:
		delete(c.idle, conn)
	}
}

// closeAll closes every connection without a request in progress, now
// and as each comes to have none: the server's Shutdown hook. Shutdown
// closes the idle ones itself, but it waits up to 5 s for a connection
// on which nothing was ever sent, such as those a browser opens ahead of
// the requests it expects, and the preview would stop late, or with the
// error of its own 5 s limit.
func (c *idleCloser) closeAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopping = true
	for conn := range c.idle {
		conn.Close()
	}
	clear(c.idle)
}
