package main

import (
	"bufio"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestPreferHugePages: the system marks the heap asked for as one to
// back with huge pages (the "hg" flag of its mapping), and the block is
// not kept: the heap's live bytes stay far under it.
func TestPreferHugePages(t *testing.T) {
	if _, err := os.Stat("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil {
		t.Skip("this kernel has no transparent huge pages")
	}
	if thpDisabled(os.Getenv("GODEBUG")) {
		t.Skip("GODEBUG disables huge pages for the heap")
	}
	const n = 64 << 20
	// preferHugePages asks once per process: forget what an earlier test
	// may have asked, and put it back after.
	hugeHeap.mu.Lock()
	asked, lo, hi, refused := hugeHeap.asked, hugeHeap.lo, hugeHeap.hi, hugeHeap.err
	hugeHeap.asked, hugeHeap.lo, hugeHeap.hi, hugeHeap.err = false, 0, 0, nil
	hugeHeap.mu.Unlock()
	t.Cleanup(func() {
		hugeHeap.mu.Lock()
		hugeHeap.asked, hugeHeap.lo, hugeHeap.hi, hugeHeap.err = asked, lo, hi, refused
		hugeHeap.mu.Unlock()
	})
	// Give the heap's free memory back first, as a build's heap that has
	// barely grown has little (freshEnough): the test process's earlier
	// tests leave some, and what they left running may free more while
	// it is given back.
	var free uint64
	for range 20 {
		debug.FreeOSMemory()
		if free = heapFree(); freshEnough(n, free) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	preferHugePages(n)
	hugeHeap.mu.Lock()
	asked, lo, hi, refused = hugeHeap.asked, hugeHeap.lo, hugeHeap.hi, hugeHeap.err
	hugeHeap.mu.Unlock()
	// In the first two cases the build goes on without huge pages, as it
	// should (TestFreshEnough); what this test checks cannot be seen.
	switch {
	case !asked:
		t.Skipf("nothing was asked: %d KiB of the heap stayed free after it was given back, at most %d KiB may", free>>10, n/8>>10)
	case refused != nil:
		t.Skipf("the system refuses MADV_HUGEPAGE: %v", refused)
	case lo == 0:
		t.Fatal("asked, and neither refused nor given a block")
	}
	if hi-lo < n {
		t.Errorf("asked for %d bytes, want at least %d", hi-lo, n)
	}
	flags := vmFlagsAt(t, lo+(hi-lo)/2)
	if !strings.Contains(" "+flags+" ", " hg ") {
		t.Errorf("the block's mapping has flags %q, without hg (MADV_HUGEPAGE)", flags)
	}
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(live)
	if got := live[0].Value.Uint64(); got >= n {
		t.Errorf("live heap %d bytes after asking: the block of %d was kept", got, n)
	}
}

// vmFlagsAt returns the VmFlags of the mapping of this process that
// holds addr, from /proc/self/smaps.
func vmFlagsAt(t *testing.T, addr uintptr) string {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "VmFlags:"); ok {
			if in {
				return strings.TrimSpace(rest)
			}
			continue
		}
		span, _, _ := strings.Cut(line, " ")
		a, b, ok := strings.Cut(span, "-")
		if !ok {
			continue
		}
		lo, err1 := strconv.ParseUint(a, 16, 64)
		hi, err2 := strconv.ParseUint(b, 16, 64)
		if err1 == nil && err2 == nil {
			in = uint64(addr) >= lo && uint64(addr) < hi
		}
	}
	t.Fatalf("no mapping holds %#x", addr)
	return ""
}
