package main

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/watch"
)

// syncBuffer is a bytes.Buffer that the watching command writes while
// the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor waits until buf holds want n times, and fails the test after
// 60 s.
func waitFor(t *testing.T, buf *syncBuffer, want string, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for strings.Count(buf.String(), want) < n {
		if time.Now().After(deadline) {
			t.Fatalf("no %d× %q after 60 s; output:\n%s", n, want, buf.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestBuildWatchFollowsEdits: build -watch keeps the output folder what a
// full build of the content would give, byte for byte, through an edit,
// a broken record (the output then stays as it was, and the error names
// the file and line), its fix with a record added, and a record deleted;
// Ctrl-C (the context) stops it with status 0.
func TestBuildWatchFollowsEdits(t *testing.T) {
	root := t.TempDir()
	content, out := filepath.Join(root, "content"), filepath.Join(root, "public")
	writeSite(t, content, 6, "监视测试")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"build", "-watch", "-content", content, "-out", out}, &stdout, &stderr)
	}()
	waitFor(t, &stdout, "正在监视", 1)
	// built is the number of builds done so far.
	built := func() int { return strings.Count(stdout.String(), "已生成") }

	// same reports whether the output is what a fresh full build of the
	// content gives.
	same := func(step string) {
		t.Helper()
		fresh := filepath.Join(t.TempDir(), "public")
		if _, e, err := runCmd("build", "-content", content, "-out", fresh); err != nil {
			t.Fatalf("%s: full build: %v\n%s", step, err, e)
		}
		if d := diffTrees(tree(t, fresh), tree(t, out)); len(d) > 0 {
			t.Errorf("%s: the watched output differs from a full build: %v", step, d)
		}
	}
	same("first build")

	// An editor's scratch files come and go without a build; the
	// folder's listing held is dropped all the same (TestChangedQuiet).
	writeFile(t, filepath.Join(content, "2023/evaluations/road-2.toml~"), "x")
	writeFile(t, filepath.Join(content, "2023/evaluations/.road-2.toml.swp"), "x")
	time.Sleep(time.Second)
	if strings.Contains(stdout.String(), "内容有改动") {
		t.Errorf("an editor's scratch files started a build:\n%s", stdout.String())
	}

	record := filepath.Join(content, "2023/evaluations/road-2.toml")
	orig, err := os.ReadFile(record)
	if err != nil {
		t.Fatal(err)
	}
	edited := bytes.Replace(orig, []byte("农村公路养护项目 2"), []byte("农村公路养护项目 2（修订）"), 1)
	n := built()
	writeFile(t, record, string(edited))
	waitFor(t, &stdout, "已生成", n+1)
	page, err := os.ReadFile(filepath.Join(out, "2023/road-2/index.html"))
	if err != nil || !bytes.Contains(page, []byte("农村公路养护项目 2（修订）")) {
		t.Errorf("the edited title is not on its page (%v)", err)
	}
	same("after an edit")

	before := tree(t, out)
	writeFile(t, record, strings.Replace(string(edited), "score = 85", `score = "八十五"`, 1))
	waitFor(t, &stderr, "构建失败", 1)
	if e := stderr.String(); !strings.Contains(e, "road-2.toml:5:") || !strings.Contains(e, "保持不变") {
		t.Errorf("the failed build's report names no file and line, or does not say the output stays:\n%s", e)
	}
	if d := diffTrees(before, tree(t, out)); len(d) > 0 {
		t.Errorf("a failed build changed the output: %v", d)
	}

	n = built()
	writeFile(t, record, string(edited))
	writeFile(t, filepath.Join(content, "2023/evaluations/road-new.toml"), strings.Replace(string(orig), "农村公路养护项目 2", "新增的养护项目", 1))
	waitFor(t, &stdout, "已生成", n+1)
	waitQuiet(t, &stdout, &stderr)
	same("after the fix and a record added")

	n = built()
	if err := os.Remove(filepath.Join(content, "2023/evaluations/road-4.toml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(content, "2023/evaluations/road-4.md")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, &stdout, "已生成", n+1)
	waitQuiet(t, &stdout, &stderr)
	if _, err := os.Stat(filepath.Join(out, "2023/road-4")); !os.IsNotExist(err) {
		t.Errorf("the deleted record's page is still in the output (%v)", err)
	}
	same("after a record deleted")

	// A year's folder replaced by another made outside the content
	// folder, in which a record differs at the same size, in two renames
	// before the next build: the system reports the folder, no file in
	// it, and that build must look at the files below it again.
	n = built()
	year := filepath.Join(content, "2023")
	made := filepath.Join(root, "made-2023")
	for name, data := range tree(t, year) {
		if data == "dir" {
			continue
		}
		if name == filepath.Join("evaluations", "road-1.toml") {
			data = strings.Replace(data, "养护项目 1", "维护项目 1", 1) // 养, 维: three bytes each
		}
		if err := os.MkdirAll(filepath.Join(made, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(made, name), data)
	}
	if err := os.Rename(year, filepath.Join(root, "old-2023")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(made, year); err != nil {
		t.Fatal(err)
	}
	waitFor(t, &stdout, "已生成", n+1)
	waitQuiet(t, &stdout, &stderr)
	page, err = os.ReadFile(filepath.Join(out, "2023/road-1/index.html"))
	if err != nil || !bytes.Contains(page, []byte("农村公路维护项目 1")) {
		t.Errorf("the record edited in the replaced folder is not as edited on its page (%v)", err)
	}
	same("after a year's folder replaced")

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("build -watch stopped with %v, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("build -watch did not stop within 30 s of Ctrl-C")
	}
	if !strings.Contains(stdout.String(), "已停止监视") {
		t.Errorf("no word that the watch stopped:\n%s", stdout.String())
	}
}

// waitQuiet waits until the watching command has finished every build it
// started and started none for a second: a change written as two files
// may be built as one or two.
func waitQuiet(t *testing.T, stdout, stderr *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	last := stdout.String()
	for time.Now().Before(deadline) {
		time.Sleep(time.Second)
		now := stdout.String()
		// The first build is not a rebuild: one more built than started.
		finished := strings.Count(now, "已生成") + strings.Count(stderr.String(), "构建失败") - 1
		if now == last && strings.Count(now, "内容有改动") == finished {
			return
		}
		last = now
	}
	t.Fatalf("the builds did not settle within 60 s; output:\n%s\n%s", stdout.String(), stderr.String())
}

// TestWatchRefusesMissingContent: without a content folder there is
// nothing to watch; the command says so and ends.
func TestWatchRefusesMissingContent(t *testing.T) {
	root := t.TempDir()
	_, e, err := runCmd("build", "-watch", "-content", filepath.Join(root, "nothing"), "-out", filepath.Join(root, "public"))
	if err == nil {
		t.Fatalf("build -watch of a missing folder succeeded; stderr:\n%s", e)
	}
	if _, serr := os.Stat(filepath.Join(root, "public")); !os.IsNotExist(serr) {
		t.Errorf("an output folder was made (%v)", serr)
	}
}

// TestChangedQuiet: a file is quiet unless it, or a folder above it, was
// reported, or events were lost.
func TestChangedQuiet(t *testing.T) {
	var c changes
	c.add(watch.Change{Content: "2023/evaluations/a.toml"})
	c.add(watch.Change{Content: "2024", Entry: true})
	c.add(watch.Change{Content: "2023/evaluations/4913", Entry: true, Scratch: true})
	got := c.take()
	if !maps.Equal(got.entries, map[string]bool{"2024": true, "2023/evaluations/4913": true}) {
		t.Errorf("names made, removed or renamed: %v", got.entries)
	}
	for name, want := range map[string]bool{
		"2023/evaluations/a.toml":  false,
		"2023/evaluations/a.md":    true,
		"2023/evaluations/b.toml":  true,
		"2024/evaluations/c.toml":  false, // below a folder reported
		"2024":                     false,
		"2025/evaluations/d.toml":  true,
		"site.toml":                true,
		"2023/evaluations/a.toml2": true,
		"2023/evaluations/4913":    true, // a scratch file: no content
	} {
		if got.quiet(name) != want {
			t.Errorf("quiet(%q) = %v, want %v", name, !want, want)
		}
	}
	if after := c.take(); !after.quiet("2023/evaluations/a.toml") {
		t.Error("take did not start anew")
	}
	c.add(watch.Change{})
	lost := c.take()
	if lost.quiet("site.toml") {
		t.Error("a file is quiet after events were lost")
	}
}
