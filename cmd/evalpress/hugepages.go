package main

import (
	"os"
	"runtime"
	"strings"
	"sync"
)

// A build touches most of the memory its heap grows to once: at
// 100,000 evaluations a rebuild of one edited record took 230,000 page
// faults for 1.1 GB, and on this project's 2-core virtual machine a
// page fault costs 12 µs (a program that writes one byte in each 4 KiB
// page of 1 GiB: 3.0-3.2 s), so the faults were a quarter of the
// rebuild's CPU. Where the system backs memory with 2 MiB pages (Linux's
// transparent huge pages), one fault gives 512 times the memory.
//
// Linux gives them to a program that asks (madvise MADV_HUGEPAGE) where
// the system is set to "madvise", as Debian and Ubuntu are, and to every
// program where it is set to "always". The Go runtime asks for them
// only for some of its own tables, not for the heap. So a build asks,
// once, for the heap that it is about to grow into: it allocates a block
// of about the size its heap will reach, which the runtime takes fresh
// from the system and does not write into, asks for huge pages for it,
// and lets the collector free it at once. The runtime then hands out those pages
// to the build's objects, and the system backs each 2 MiB of them with
// one page when first written. Nothing is written by the asking itself:
// a page the build never uses is never backed.
//
// Measured at 100,000 evaluations, a rebuild after one edited record
// started anew, alternating with the build that does not ask: 8,000
// page faults rather than 230,000, 1.5 s less CPU, 4.6-4.7 s rather
// than 5.5-5.8 s (5.6-5.7 s rather than 6.4-7.0 s in a slower hour of
// the machine), with the same peak memory (within 3 %). A first build
// of 10,000 evaluations: 75,000 page faults rather than 170,000.
//
// Memory that the runtime gives back to the system and takes again is
// backed anew, with small pages where the giving back split a huge one;
// the system may also join small pages of the block into huge ones in
// the background (khugepaged), which a build of a few minutes barely
// sees.
//
// The block is what the build's heap is expected to reach, within the
// tuner's memory limit (hugeHeapFor). A block of the whole limit would
// leave the runtime, which counts its free pages as memory in use until
// it gives them back, over the limit at once, collecting until it had.
//
// GODEBUG=disablethp=1, the runtime's way to keep huge pages from the
// heap, is followed: the build then does not ask. Nor does it where the
// system has no such advice (hugePagesAdvised), nor for a small site.
var hugeHeap struct {
	mu     sync.Mutex
	asked  bool
	lo, hi uintptr // the block the system took the advice for, for the tests
}

// preferHugePages asks for huge pages for the next n bytes of heap (see
// above), once per process: once asked, later calls do nothing. In
// build -watch the heap of the first build is there for the next ones,
// and a new block could take freed pages, which the runtime clears,
// touching them all.
func preferHugePages(n uint64) {
	hugeHeap.mu.Lock()
	defer hugeHeap.mu.Unlock()
	if hugeHeap.asked || !hugePagesAdvised || n < hugeHeapMin || thpDisabled(os.Getenv("GODEBUG")) {
		return
	}
	hugeHeap.asked = true
	hugeHeap.lo, hugeHeap.hi = askHugePages(n)
	runtime.GC() // frees the block: its pages are the heap's to hand out
}

// askHugePages allocates a block of n bytes, which the runtime takes
// fresh from the system and does not write into, and asks for huge
// pages for it. It returns the block's bounds, or zeros when the system
// refused; the block is garbage once it returns.
func askHugePages(n uint64) (lo, hi uintptr) {
	b := make([]byte, n)
	if !adviseHugePages(b) {
		return 0, 0
	}
	lo = sliceAddr(b)
	return lo, lo + uintptr(n)
}

// hugeHeapMin is the least heap worth asking for: a few huge pages.
const hugeHeapMin = 16 << 20

// hugeHeapFor returns the heap to ask huge pages for in a build of a
// site of n evaluations whose memory limit is limit: hugeHeapPerEvaluation
// for each, at most 3/4 of the limit.
func hugeHeapFor(n int, limit int64) uint64 {
	return min(uint64(max(n, 0))*hugeHeapPerEvaluation, uint64(max(limit, 0))/4*3)
}

// hugeHeapPerEvaluation is about what a build's heap grows by per
// evaluation up to 10,000 (make bench: 461 MiB at 10,000); past that,
// the limit bounds the block.
const hugeHeapPerEvaluation = 48 << 10

// thpDisabled reports whether the GODEBUG setting godebug disables huge
// pages for the heap (disablethp=1); the last setting of it counts, as
// for the runtime.
func thpDisabled(godebug string) bool {
	disabled := false
	for _, kv := range strings.Split(godebug, ",") {
		if k, v, ok := strings.Cut(strings.TrimSpace(kv), "="); ok && k == "disablethp" {
			disabled = v == "1"
		}
	}
	return disabled
}
