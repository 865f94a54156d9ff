package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A timed build waits out the window after the bench removed an output,
// and only then: a path that was not there is no removal.
func TestSettleWaitsAfterRemoval(t *testing.T) {
	saved := removalWindow
	t.Cleanup(func() { removalWindow = saved })
	removalWindow = 400 * time.Millisecond
	os.Remove(removalStamp)

	dir := t.TempDir()
	if err := removeOutputs(filepath.Join(dir, "never-made")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(removalStamp); err == nil {
		t.Fatal("a path that did not exist was noted as removed")
	}
	// Only what it says is asserted here: the disks' sync before it may
	// take any time.
	var quiet bytes.Buffer
	settle(&quiet)
	if quiet.Len() != 0 {
		t.Fatalf("settle waited with nothing removed: %q", quiet.String())
	}

	out := filepath.Join(dir, "public-1")
	if err := os.MkdirAll(filepath.Join(out, "2023", "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := removeOutputs(out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("the output was not removed")
	}
	removed := time.Now()
	var said bytes.Buffer
	settle(&said)
	if waited := time.Since(removed); waited < removalWindow*3/4 {
		t.Fatalf("settle returned %v after a removal; want about %v", waited, removalWindow)
	}
	if !strings.Contains(said.String(), "waiting") {
		t.Fatalf("settle did not say why it waited: %q", said.String())
	}
}

// TestWarmReadsEveryFile: warm reads every file under its folders, in
// subfolders too, and does not follow a link out of them.
func TestWarmReadsEveryFile(t *testing.T) {
	a, b, outside := t.TempDir(), t.TempDir(), t.TempDir()
	files := map[string]int{
		filepath.Join(a, "site.toml"):                     10,
		filepath.Join(a, "2023", "evaluations", "x.toml"): 300,
		filepath.Join(a, "2023", "evaluations", "x.md"):   5000,
		filepath.Join(b, "config.toml"):                   7,
		filepath.Join(outside, "elsewhere.bin"):           1 << 20,
	}
	for p, n := range files {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, bytes.Repeat([]byte("x"), n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(outside, "elsewhere.bin"), filepath.Join(a, "link.bin")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	n, err := warm(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if n != 5317 {
		t.Errorf("warm read %d bytes, want 5317", n)
	}
	if _, err := warm(filepath.Join(a, "missing")); err == nil {
		t.Error("a missing folder read without an error")
	}
}

// TestFreshOutputRemovesWhatARunLeft: an output an interrupted run left,
// with its cache and spare, is removed before the next build into its
// folder, which would otherwise be incremental; the folder is kept for
// the bench's removal at its end.
func TestFreshOutputRemovesWhatARunLeft(t *testing.T) {
	dir := t.TempDir()
	left := filepath.Join(dir, "public-profile")
	for _, p := range []string{filepath.Join(left, "index.html"), filepath.Join(cacheOf(left), "manifest"), filepath.Join(spareOf(left), "index.html")} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var outs []string
	public, err := freshOutput(dir, "public-profile", dir, &outs, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if public != left || len(outs) != 1 || outs[0] != left {
		t.Errorf("freshOutput = %q, outs %v; want %q in both", public, outs, left)
	}
	for _, p := range []string{left, cacheOf(left), spareOf(left)} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s left in place", p)
		}
	}
}
