package buildcache

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestHeldFollowsTheFiles: a cache that holds its parts and index gives
// them back while their files are as written, and reads a file again
// once anything changed it, even at the same size, written by another
// program.
func TestHeldFollowsTheFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	c, err := Open(dir, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h := NewHeld()
	c.Hold(h)
	if err := c.WritePart("records-00", []byte("first payload")); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, partPrefix+"records-00")
	if _, ok := h.take(path); !ok {
		t.Skip("this system gives files no identity: nothing is held")
	}
	got, err := c.ReadPart("records-00")
	if err != nil || string(got) != "first payload" {
		t.Fatalf("ReadPart = %q, %v", got, err)
	}
	// Another program writes the same size in place: the held payload is
	// not given.
	time.Sleep(10 * time.Millisecond)
	b, _ := os.ReadFile(path)
	b = bytes.Replace(b, []byte("first"), []byte("FIRST"), 1)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ReadPart("records-00"); err == nil {
		t.Error("a part changed in place was given from memory, not read and found damaged")
	}
	// A second cache of the same folder that holds nothing reads it too.
	if err := c.WritePart("records-00", []byte("second payload")); err != nil {
		t.Fatal(err)
	}
	c2, err := Open(dir, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	c2.Hold(h)
	if got, err := c2.ReadPart("records-00"); err != nil || string(got) != "second payload" {
		t.Errorf("ReadPart after a rewrite = %q, %v", got, err)
	}
	// A part removed is not given from memory.
	os.Remove(path)
	if _, err := c2.ReadPart("records-00"); err != ErrNoPart {
		t.Errorf("ReadPart of a removed part: %v, want ErrNoPart", err)
	}
}
