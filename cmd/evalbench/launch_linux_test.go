package main

import (
	"context"
	"os/exec"
	"runtime"
	"testing"
)

// TestPeakIsTheCommandsOwn: a command measured after evalbench itself
// used much memory reports its own peak, not evalbench's. Started
// directly, /bin/true reports the test process's peak (Linux keeps the
// peak of the memory an exec leaves): the test checks that first, so that
// it fails if the launcher is bypassed.
func TestPeakIsTheCommandsOwn(t *testing.T) {
	trueBin, err := exec.LookPath("true")
	if err != nil {
		t.Skip("no true(1)")
	}
	const big = 256 << 20
	b := make([]byte, big)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	direct := exec.Command(trueBin)
	if err := direct.Run(); err != nil {
		t.Fatal(err)
	}
	inherited := peakRSSKiB(direct.ProcessState)
	t.Logf("started directly: %d KiB", inherited)

	u, err := runMeasured(context.Background(), exec.Command(trueBin))
	if err != nil {
		t.Fatal(err)
	}
	runtime.KeepAlive(b)
	t.Logf("through the launcher: %d KiB", u.peakKiB)
	if u.peakKiB <= 0 || u.peakKiB >= 64<<10 {
		t.Errorf("true(1) through the launcher: peak %d KiB, want its own few MiB (evalbench's is over %d KiB)", u.peakKiB, big>>10)
	}
	if inherited < big>>10 {
		t.Logf("this kernel does not pass the parent's peak on (%d KiB): the launcher is not needed here", inherited)
	}
}
