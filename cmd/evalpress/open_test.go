package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// previewLine is the line serve prints with the preview's address.
var previewLine = regexp.MustCompile(`预览地址：(\S+) `)

// startServe runs evalpress serve with args, on the seed content and a
// free port, and returns the address it prints, its stderr, and stop,
// which ends it as Ctrl-C does and checks that it stopped cleanly; the
// test's cleanup calls stop if the test did not.
func startServe(t *testing.T, args ...string) (string, *syncBuffer, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	args = append([]string{"serve", "-content", "../../testdata/seed", "-addr", "127.0.0.1:0"}, args...)
	go func() { done <- run(ctx, args, &stdout, &stderr) }()
	stop := sync.OnceFunc(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve stopped with %v\n%s", err, stderr.String())
			}
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop within 10 s of Ctrl-C")
		}
	})
	t.Cleanup(stop)
	deadline := time.Now().Add(60 * time.Second)
	for {
		if m := previewLine.FindStringSubmatch(stdout.String()); m != nil {
			return m[1], &stderr, stop
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped with %v\n%s", err, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no preview address after 60 s:\n%s", stdout.String())
		}
	}
}

// recordOpens replaces openBrowser until the end of the test, and
// returns the addresses it has been called with so far.
func recordOpens(t *testing.T) func() []string {
	var mu sync.Mutex
	var urls []string
	saved := openBrowser
	openBrowser = func(url string, _ io.Writer) {
		mu.Lock()
		defer mu.Unlock()
		urls = append(urls, url)
	}
	t.Cleanup(func() { openBrowser = saved })
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(urls)
	}
}

// TestServeOpen: serve -open opens the browser once, on the address it
// prints; serve without -open opens none.
func TestServeOpen(t *testing.T) {
	opened := recordOpens(t)
	u, _, stop := startServe(t, "-open")
	stop()
	if got := opened(); !slices.Equal(got, []string{u}) {
		t.Errorf("serve -open opened %q; want once the address it printed, %s", got, u)
	}

	opened = recordOpens(t)
	_, _, stop = startServe(t)
	stop()
	if got := opened(); len(got) != 0 {
		t.Errorf("serve without -open opened %q", got)
	}
}

// TestServeOpenWithoutBrowser: with no opener to be found, serve -open
// says so in Chinese with the address to open by hand, and the preview
// runs on.
func TestServeOpenWithoutBrowser(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	u, stderr, _ := startServe(t, "-open")
	want := "请在浏览器中手动打开 " + u + "\n"
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stderr.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("stderr lacks %q:\n%s", want, stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(stderr.String(), "无法打开浏览器（找不到 ") {
		t.Errorf("stderr does not say which opener is missing:\n%s", stderr.String())
	}
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("the preview stopped with the browser: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s = %d after the browser failed to open, want 200", u, resp.StatusCode)
	}
}
