package serve

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/evalpress/evalpress"
	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/pipeline"
	"github.com/evalpress/evalpress/internal/sysfile"
	"github.com/evalpress/evalpress/internal/watch"
)

//go:embed overlay.css
var overlayCSS []byte

// Config configures a preview server.
type Config struct {
	// Build are the build's options; Out is not used. Build.Files, when
	// nil, is set to the source checkout's templates and assets if the
	// content lies in one (see SourceFiles), else the embedded ones.
	Build pipeline.Options
	// Addr is the loopback address to listen on, such as 127.0.0.1:8080;
	// port 0 picks a free one.
	Addr string
	// Stdout gets what the server does; Stderr the builds' diagnostics.
	Stdout, Stderr io.Writer
	// Debounce is how long the watcher waits for more changes after one
	// before it rebuilds (an editor's save is often several events).
	// Zero means 100 ms.
	Debounce time.Duration
	// Ready, if set, is called with the site's URL once the server
	// listens and the first build is done, and with the writer of the
	// preview's messages, safe for use by other goroutines (serve -open
	// reports there a browser that could not be opened).
	Ready func(url string, messages io.Writer)
}

// Rebuild describes one update of the served site.
type Rebuild struct {
	Full  bool          // a full build, not an incremental one
	Pages int           // pages rendered
	Time  time.Duration // from the first change seen to the new site served
	Err   error         // the build failed; the previous site is still served
}

// Server is a running preview server.
type Server struct {
	cfg      Config
	basePath atomic.Pointer[string]
	files    fs.FS // default templates and assets
	watch    []string
	site     atomic.Pointer[files]
	events   *hub
	live     *pipeline.Live
	// pending are record files whose last incremental update failed;
	// they are tried again with the next change.
	pending map[string]bool
	failed  bool
	// cancelLater stops the background work of the last update.
	cancelLater context.CancelFunc
	// built is set once the first build is over, good or not: until
	// then the placeholder page says the site is being made, not that
	// the content has errors.
	built atomic.Bool
	lim   limits
	// refusedHosts are the Host headers refused so far, each reported
	// once (see refused).
	refusedMu    sync.Mutex
	refusedHosts map[string]bool
}

// ErrNotLoopback is returned for an address other hosts could reach.
var ErrNotLoopback = errors.New("预览服务只能监听本机地址")

// ErrAddrInUse is returned when another program (often an earlier
// preview) already listens on the address, so that the command can say
// how to choose another port instead of printing the bind error.
var ErrAddrInUse = errors.New("端口已被占用")

// CheckAddr refuses an address that is not on a loopback interface: the
// preview shows drafts and records not yet due, which must not be reachable
// from the network.
func CheckAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q 不是“主机:端口”形式，例如 127.0.0.1:8080", addr)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%w：%q 可被其他计算机访问，会泄露未公开的记录；请用 127.0.0.1:端口 或 localhost:端口", ErrNotLoopback, addr)
}

// SourceFiles returns the templates and assets of the evalpress source
// checkout that contentDir lies in, read from disk so that an edit shows at
// once, and the folders to watch; nil when contentDir is not in one (the
// binary's embedded files are then used).
func SourceFiles(contentDir string) (fs.FS, []string) {
	dir, err := filepath.Abs(contentDir)
	if err != nil {
		return nil, nil
	}
	for {
		mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.Contains(mod, []byte("module github.com/evalpress/evalpress\n")) {
			t, a := filepath.Join(dir, "templates"), filepath.Join(dir, "assets")
			if isDir(t) && isDir(a) {
				return os.DirFS(dir), []string{t, a}
			}
			return nil, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil, nil
		}
		dir = parent
	}
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// Run builds the site, serves it and rebuilds on change until ctx is done.
//
// It answers only requests addressed to this machine by name (see
// loopbackHost), and bounds what clients can hold open (see limits).
func Run(ctx context.Context, cfg Config) error {
	return run(ctx, cfg, defaultLimits)
}

func run(ctx context.Context, cfg Config, lim limits) error {
	if err := CheckAddr(cfg.Addr); err != nil {
		return err
	}
	if cfg.Debounce == 0 {
		cfg.Debounce = 100 * time.Millisecond
	}
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	// Requests report refusals (see refused) while builds report their
	// diagnostics: one writer at a time.
	cfg.Stderr = &lockedWriter{w: cfg.Stderr}
	s := &Server{cfg: cfg, events: newHub(lim), pending: map[string]bool{}, lim: lim, refusedHosts: map[string]bool{}}
	if cfg.Build.Files == nil {
		s.cfg.Build.Files, s.watch = SourceFiles(cfg.Build.Content)
	}
	s.files = s.cfg.Build.Files
	if s.files == nil {
		s.files = evalpress.Files
	}
	if !isDir(cfg.Build.Content) {
		return fmt.Errorf("找不到内容目录 %s（用 -content 指定）", cfg.Build.Content)
	}
	s.readBasePath()

	w, err := watch.New(cfg.Build.Content, s.watch)
	if err != nil {
		return err
	}
	defer w.Close()

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		if errors.Is(err, errAddrInUse) {
			return fmt.Errorf("%w：%s", ErrAddrInUse, cfg.Addr)
		}
		return fmt.Errorf("无法监听 %s：%w", cfg.Addr, err)
	}
	// localhost passed CheckAddr by name; a hosts file could map it to
	// another address.
	if a, ok := ln.Addr().(*net.TCPAddr); !ok || !a.IP.IsLoopback() {
		ln.Close()
		return fmt.Errorf("%w：%s 解析为 %s，不是本机回环地址；请用 127.0.0.1:端口", ErrNotLoopback, cfg.Addr, ln.Addr())
	}
	// No ReadTimeout or WriteTimeout: they would cut the event streams,
	// which last as long as their pages are open. Responses get a write
	// deadline each instead (see handler and hub.ServeHTTP).
	conns := newIdleCloser(lim.idleConns)
	srv := &http.Server{
		Handler:           s.handler(),
		ReadHeaderTimeout: lim.readHeader,
		IdleTimeout:       lim.idle,
		ConnState:         conns.track,
	}
	srv.RegisterOnShutdown(conns.closeAll)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	u := (&url.URL{Scheme: "http", Host: ln.Addr().String(), Path: s.base()}).String()

	s.rebuild(ctx, time.Now(), nil, true)
	s.built.Store(true)
	fmt.Fprintf(cfg.Stdout, "预览地址：%s （只在本机可访问；按 Ctrl-C 退出）\n", u)
	if cfg.Ready != nil {
		cfg.Ready(u, cfg.Stderr)
	}

	err = s.loop(ctx, w)
	close(s.events.done)
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if serr := srv.Shutdown(shut); serr != nil && err == nil {
		err = serr
	}
	if serr := <-served; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// lockedWriter serialises the writes of several goroutines to one writer.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// readBasePath takes the base path from site.toml. A site.toml with
// errors is reported by the build; the preview is at the root meanwhile.
func (s *Server) readBasePath() {
	var l diag.List
	c := content.Load(emptyYears{sysfile.DirFS(s.cfg.Build.Content)}, "", &l)
	p := c.Site.BasePath
	if p == "" || !strings.HasPrefix(p, "/") {
		p = "/"
	}
	// Cleaned, as a browser resolves a path: “//host/” would otherwise
	// make the script's address point at another host, and “/a/../”
	// would never match a request.
	if p = path.Clean(p); p != "/" {
		p += "/"
	}
	s.basePath.Store(&p)
}

// base is the path the site is served under: "/jxgk/".
func (s *Server) base() string { return *s.basePath.Load() }

// emptyYears hides the content's folders from Load, which then reads only
// site.toml.
type emptyYears struct{ fs.FS }

func (e emptyYears) ReadDir(name string) ([]fs.DirEntry, error) { return nil, nil }

// loop waits for changes, lets them settle, and rebuilds.
func (s *Server) loop(ctx context.Context, w *watch.Watcher) error {
	changed := map[string]bool{}
	// made are the changed names that were first reported made: see
	// passing.
	made := map[string]bool{}
	var full bool
	var first time.Time
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	results := make(chan laterResult)
	defer func() {
		if s.cancelLater != nil {
			s.cancelLater()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case r := <-results:
			s.applyLater(r)
		case err := <-w.Errors():
			fmt.Fprintln(s.cfg.Stderr, "监视文件出错：", err)
		case ch := <-w.Changes():
			if ch.Scratch {
				continue // an editor's swap file: the preview reads no listing held
			}
			if first.IsZero() {
				first = ch.At
			}
			if ch.Content == "" {
				full = true
			} else {
				if !changed[ch.Content] && ch.Created {
					made[ch.Content] = true
				}
				changed[ch.Content] = true
			}
			timer.Reset(s.cfg.Debounce)
		case <-timer.C:
			names := make([]string, 0, len(changed))
			for n := range changed {
				if !s.passing(n, made) {
					names = append(names, n)
				}
			}
			if len(names) > 0 || full {
				if s.rebuild(ctx, first, names, full) {
					s.later(ctx, results)
				}
			}
			clear(changed)
			clear(made)
			full, first = false, time.Time{}
		}
	}
}

// passing reports that the changed content file name came and went
// since the last build: it was first reported made (made), and is gone
// now. Editors and tools that save a file safely write a temporary file
// beside it and rename it over the file (sed -i, Emacs, JetBrains' IDEs,
// most libraries' atomic writes); the temporary file is no content of
// the site, and taken for one, it made every such save of a record a
// full build (13 s at 10,000 evaluations instead of 0.2 s).
func (s *Server) passing(name string, made map[string]bool) bool {
	if !made[name] {
		return false
	}
	_, err := os.Lstat(filepath.Join(s.cfg.Build.Content, filepath.FromSlash(name)))
	return errors.Is(err, fs.ErrNotExist)
}

// rebuild brings the served site up to date with the changed content files
// (relative to the content directory), incrementally where it can.
func (s *Server) rebuild(ctx context.Context, since time.Time, changed []string, full bool) (incremental bool) {
	var l diag.List
	var err error
	var r Rebuild
	if !full && s.live != nil && !s.failed {
		for n := range s.pending {
			changed = append(changed, n)
		}
		r, err = s.update(ctx, changed, &l)
		incremental = err == nil
		if errors.Is(err, pipeline.ErrFull) {
			full = true
		} else if errors.Is(err, pipeline.ErrFailed) {
			for _, n := range changed {
				s.pending[n] = true
			}
		}
	} else {
		full = true
	}
	if full {
		if s.cancelLater != nil {
			s.cancelLater()
		}
		l = diag.List{}
		r, err = s.full(ctx, &l)
		s.failed = err != nil
	}
	if ctx.Err() != nil {
		return false
	}
	var report bytes.Buffer
	l.Write(&report)
	s.cfg.Stderr.Write(report.Bytes())
	r.Time, r.Err = time.Since(since), err
	if err != nil {
		msg := report.String()
		if !errors.Is(err, pipeline.ErrFailed) {
			msg += err.Error() + "\n"
		}
		fmt.Fprintf(s.cfg.Stderr, "构建失败：%v；继续显示上次成功生成的网站。\n", err)
		s.events.fail(strings.TrimSpace(msg))
	} else {
		clear(s.pending)
		kind := "增量更新"
		if r.Full {
			kind = "完整构建"
		}
		fmt.Fprintf(s.cfg.Stdout, "%s：%d 个页面，用时 %d 毫秒\n", kind, r.Pages, r.Time.Milliseconds())
		s.events.reload()
	}
	return incremental
}

// full builds the whole site and serves it.
func (s *Server) full(ctx context.Context, l *diag.List) (Rebuild, error) {
	s.readBasePath()
	m := newMemory(s.base())
	live, stats, err := pipeline.Build(ctx, s.cfg.Build, l, m)
	if err != nil {
		return Rebuild{Full: true}, err
	}
	for _, n := range stats.Notices {
		fmt.Fprintln(s.cfg.Stderr, "注意：", n)
	}
	s.live = live
	site := m.merged(nil, nil)
	s.site.Store(&site)
	return Rebuild{Full: true, Pages: stats.Pages}, nil
}

// update applies edited records: their pages and lists are served at once;
// the pages that list them among related evaluations and the search index
// follow from the background (see later).
func (s *Server) update(ctx context.Context, changed []string, l *diag.List) (Rebuild, error) {
	u, err := s.live.Update(ctx, changed, l)
	if err != nil {
		return Rebuild{}, err
	}
	m := newMemory(s.base())
	for name, data := range u.Pages {
		m.Write(name, data)
	}
	site := m.merged(*s.site.Load(), u.Gone)
	s.site.Store(&site)
	return Rebuild{Pages: len(u.Pages)}, nil
}

// laterResult is the background work of updates, done.
type laterResult struct {
	live *pipeline.Live
	l    *pipeline.Later
	err  error
}

// later starts the background work of the updates so far, cancelling the
// one under way (whose result the next would supersede anyway).
func (s *Server) later(ctx context.Context, results chan<- laterResult) {
	if s.cancelLater != nil {
		s.cancelLater()
	}
	ctx, s.cancelLater = context.WithCancel(ctx)
	live := s.live
	go func() {
		l, err := live.Later(ctx)
		select {
		case results <- laterResult{live, l, err}:
		case <-ctx.Done():
		}
	}()
}

// applyLater serves the background work's files if no update came since.
func (s *Server) applyLater(r laterResult) {
	if r.err != nil {
		if !errors.Is(r.err, context.Canceled) {
			fmt.Fprintln(s.cfg.Stderr, "更新相关页面和搜索索引时出错：", r.err)
		}
		return
	}
	if r.live != s.live || !r.live.Settle(r.l) {
		return
	}
	m := newMemory(s.base())
	for name, data := range r.l.Files {
		m.Write(name, data)
	}
	site := m.merged(*s.site.Load(), r.l.Stale)
	s.site.Store(&site)
}
