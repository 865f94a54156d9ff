//go:build unix

package docstest

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// guidePath is the guide, relative to the repository root.
const guidePath = "docs/使用说明.md"

// Markers inside a ```sh block of the guide, written as shell comments so
// that the staffer reads them as notes:
//
//   - skipMarker: the block is not run. Only blocks that need root, the
//     network or the portal's server carry it: `sudo apt-get install`
//     would change the test machine, and `npm ci`, which `make` runs on a
//     real clean clone, would empty the node_modules this copy links to
//     (it is shared by every worktree of the machine).
//   - serveMarker: the block runs until Ctrl-C (the preview). It is
//     started, its address (the first http:// URL written in the block) is
//     fetched until it answers, and it is stopped with SIGINT, as Ctrl-C
//     would.
//   - expectMarker: what follows it on its line is text the block's output
//     must contain (the guide tells the staffer what success looks like,
//     so that is tested too).
const (
	skipMarker   = "自动测试不运行本段"
	serveMarker  = "Ctrl-C"
	expectMarker = "应显示："
)

// expected returns the texts the block's expectMarker comments promise.
func expected(text string) []string {
	var want []string
	for _, line := range strings.Split(text, "\n") {
		if _, w, ok := strings.Cut(line, expectMarker); ok {
			want = append(want, strings.TrimSpace(w))
		}
	}
	return want
}

// block is one ```sh block of the guide.
type block struct {
	line int // of the opening fence, 1-based
	text string
}

// shBlocks returns the ```sh blocks of the Markdown file, those indented
// in a list included.
func shBlocks(t *testing.T, path string) []block {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []block
	var cur *block
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case cur == nil && line == "```sh":
			cur = &block{line: n}
		case cur != nil && line == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.text += line + "\n"
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if cur != nil {
		t.Fatalf("%s:%d: the ```sh block is never closed", path, cur.line)
	}
	return blocks
}

// TestGuideCommandsRun runs every ```sh block of the guide, in the guide's
// order, each with `bash -e` (so a block fails as soon as one of its
// commands fails), in one copy of the repository made as a clean clone
// after `make` would be: the tracked files, node_modules and the built
// ECharts bundle. Blocks share the copy, as the staffer's commands share
// their folder: `evalpress new` is followed by `make check` on its result.
func TestGuideCommandsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs make and the preview in a copy of the repository")
	}
	for _, tool := range []string{"bash", "make", "git", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the guide's commands need %s: %v", tool, err)
		}
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	blocks := shBlocks(t, filepath.Join(root, guidePath))
	var run, serve, promises int
	for _, b := range blocks {
		switch {
		case strings.Contains(b.text, skipMarker):
		case strings.Contains(b.text, serveMarker):
			serve++
		default:
			run++
			promises += len(expected(b.text))
		}
	}
	// A guide whose blocks lost their ```sh fence would pass with nothing
	// run: insist on what the guide is known to hold.
	if run < 4 || serve < 1 || promises < 2 {
		t.Fatalf("%s: found %d blocks to run, %d previews and %d promised outputs (%s); the guide's install, new, check and publish sections and its preview should give at least 4, 1 and 2", guidePath, run, serve, promises, expectMarker)
	}

	dir := cleanClone(t, root)
	env := guideEnv(t)
	for _, b := range blocks {
		where := guidePath + ":" + strconv.Itoa(b.line)
		switch {
		case strings.Contains(b.text, skipMarker):
			t.Logf("%s: not run (%s)", where, skipMarker)
		case strings.Contains(b.text, serveMarker):
			runPreview(t, where, dir, env, b.text)
		default:
			cmd := exec.Command("bash", "-e", "-c", b.text)
			cmd.Dir, cmd.Env = dir, env
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: the guide's block fails: %v\n--- block\n%s--- output\n%s", where, err, b.text, out)
			}
			for _, w := range expected(b.text) {
				if !strings.Contains(string(out), w) {
					t.Fatalf("%s: the guide says the output shows %q; it does not\n--- block\n%s--- output\n%s", where, w, b.text, out)
				}
			}
			t.Logf("%s: ran\n%s", where, b.text)
		}
	}
}

// cleanClone copies the repository's files (tracked ones, and new ones git
// does not ignore, so that a guide being written is tested too) into a
// temporary folder, and adds what `make` leaves in a clone: node_modules
// (linked, never written) and the ECharts bundle (copied).
func cleanClone(t *testing.T, root string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "evalpress")
	ls := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	ls.Dir = root
	out, err := ls.Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		if name == "" || name == "node_modules" {
			continue
		}
		if err := copyPath(filepath.Join(root, name), filepath.Join(dir, name)); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue // tracked but deleted in the work tree
			}
			t.Fatal(err)
		}
	}
	nm, err := filepath.EvalSymlinks(filepath.Join(root, "node_modules"))
	if err != nil {
		t.Fatalf("no node_modules in %s (run make once; this test never runs npm): %v", root, err)
	}
	if err := os.Symlink(nm, filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	echarts := "assets/vendor/echarts"
	entries, err := os.ReadDir(filepath.Join(root, echarts))
	if err != nil {
		t.Fatalf("no ECharts bundle in %s (run make once): %v", root, err)
	}
	for _, e := range entries {
		if err := copyPath(filepath.Join(root, echarts, e.Name()), filepath.Join(dir, echarts, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	// The copy gives every file the time of the copy, so make would think
	// package.json newer than node_modules and the bundle's sources newer
	// than the bundle, and run `npm ci` and the bundle's build. In a clone
	// after `make` they are older: say so.
	old := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, name := range []string{"package.json", "package-lock.json", "tools/echarts/entry.js", "tools/echarts/build.mjs"} {
		if err := os.Chtimes(filepath.Join(dir, name), old, old); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// copyPath copies one regular file or symlink, making its folders.
func copyPath(src, dst string) error {
	fi, err := os.Lstat(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		target, err := os.Readlink(src)
		if err != nil {
			return err
		}
		return os.Symlink(target, dst)
	}
	if !fi.Mode().IsRegular() {
		return nil // a submodule or the like: not part of a clone's files
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, fi.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// guideEnv is the environment of the guide's commands: the test's own,
// with two changes that keep the commands as written:
//
//   - an `npm` first on PATH that fails: should make decide to run
//     `npm ci` after all, the block fails instead of emptying the shared
//     node_modules;
//   - GOFLAGS gets -trimpath, so that `go build` in a new temporary folder
//     reuses the build cache (without it every package of the module is
//     compiled again, minutes on a busy machine, because the folder's path
//     is part of the compiled result).
func guideEnv(t *testing.T) []string {
	bin := t.TempDir()
	npm := "#!/bin/sh\necho 'docstest: the guide test must not run npm (it would empty the shared node_modules)' >&2\nexit 1\n"
	if err := os.WriteFile(filepath.Join(bin, "npm"), []byte(npm), 0o755); err != nil {
		t.Fatal(err)
	}
	var env []string
	goflags := "-trimpath"
	for _, kv := range os.Environ() {
		switch {
		case strings.HasPrefix(kv, "PATH="):
			kv = "PATH=" + bin + string(os.PathListSeparator) + strings.TrimPrefix(kv, "PATH=")
		case strings.HasPrefix(kv, "GOFLAGS="):
			goflags = strings.TrimPrefix(kv, "GOFLAGS=") + " -trimpath"
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GOFLAGS="+goflags)
}

var urlRE = regexp.MustCompile(`http://[^\s)）>]+`)

// runPreview starts a block that runs until Ctrl-C, fetches the address the
// block names until the preview answers with the site, and stops it with
// SIGINT sent to its process group, as Ctrl-C in a terminal does.
func runPreview(t *testing.T, where, dir string, env []string, text string) {
	t.Helper()
	addr := urlRE.FindString(text)
	if addr == "" {
		t.Fatalf("%s: the preview block names no http:// address to open", where)
	}
	u, err := url.Parse(addr)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	// Something else on the port would answer for the preview: refuse
	// rather than pass on another server's page.
	if c, err := net.DialTimeout("tcp", u.Host, time.Second); err == nil {
		c.Close()
		t.Fatalf("%s: %s is already in use on this machine; the guide's preview cannot be tested", where, u.Host)
	}
	cmd := exec.Command("bash", "-e", "-c", text)
	cmd.Dir, cmd.Env = dir, env
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	stopped := false
	defer func() {
		if stopped {
			return
		}
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	var body, last string
	for {
		select {
		case err := <-done:
			stopped = true
			t.Fatalf("%s: the preview stopped by itself (%v)\n--- output\n%s", where, err, out.String())
		case <-ctx.Done():
			t.Fatalf("%s: %s did not answer with the site within 45 s (last answer: %q)\n--- output\n%s", where, addr, last, out.String())
		case <-time.After(200 * time.Millisecond):
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, addr, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			continue // not listening yet: make is still building
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusServiceUnavailable {
			// The page shown until the first build is done (or while
			// the content has errors): wait for the build.
			last = resp.Status
			continue
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: GET %s: %s\n%s", where, addr, resp.Status, b)
		}
		body = string(b)
		break
	}
	if !strings.Contains(body, "预算绩效评价结果公开") {
		t.Fatalf("%s: GET %s answered a page that is not the site's home:\n%.500s", where, addr, body)
	}
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
		stopped = true
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: the preview did not stop on Ctrl-C (SIGINT) within 10 s\n--- output\n%s", where, out.String())
	}
	t.Logf("%s: preview answered at %s and stopped on Ctrl-C", where, addr)
}
