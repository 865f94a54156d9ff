package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestMemProfileKeepsThePeak checks that -memprofile's sampler keeps the
// profile of the largest live heap it saw, not the last one: a build's
// peak is in the middle of it.
func TestMemProfileKeepsThePeak(t *testing.T) {
	var s memSampler
	const big = 64 << 20
	held := make([]byte, big)
	for i := range held {
		held[i] = byte(i)
	}
	runtime.GC()
	s.sample()
	runtime.KeepAlive(held)
	held = nil
	runtime.GC()
	s.sample()
	if s.peak < big {
		t.Errorf("peak %d bytes, want at least the %d held before the last collection", s.peak, big)
	}
	if s.best.Len() == 0 {
		t.Error("no profile kept")
	}
}

// TestMemProfileWritesAProfile checks that the file is a pprof profile
// (gzip), written when the build stops.
func TestMemProfileWritesAProfile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "mem.prof")
	stop, err := startMemProfile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
		t.Errorf("%s is not a gzip'd profile: % x", file, b[:min(len(b), 8)])
	}
}
