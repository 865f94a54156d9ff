package main

import (
	"os"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
)

// A rebuild that starts from the cache of the previous build touches
// most of the memory its heap grows to once, and keeps it: the records
// and the index the cache gives back live to its end. At 100,000
// evaluations it took 230,000 page faults for 1.1 GB, and on this
// project's 2-core virtual machine a page fault costs 12 µs (a program
// that writes one byte in each 4 KiB page of 1 GiB: 3.0-3.2 s), so the
// faults were a quarter of the rebuild's CPU. Where the system backs
// memory with 2 MiB pages (Linux's transparent huge pages), one fault
// gives 512 times the memory.
//
// Linux gives them to a program that asks (madvise MADV_HUGEPAGE) where
// the system is set to "madvise", as Debian and Ubuntu are, and to every
// program where it is set to "always". The Go runtime asks for them
// only for some of its own tables, not for the heap. So a rebuild asks,
// once, for the heap that it is about to grow into: it allocates a block
// of about the size its heap will reach, which the runtime takes fresh
// from the system and does not write into, asks for huge pages for it,
// and lets the collector free it at once. The runtime then hands out
// those pages to the rebuild's objects, and the system backs each 2 MiB
// of them with one page when first written. Nothing is written by the
// asking itself: a page the rebuild never uses is never backed.
//
// Measured at 100,000 evaluations, a rebuild after one edited record
// started anew, alternating with GODEBUG=disablethp=1 in the same
// minutes: 8,000-13,000 page faults rather than 227,000-242,000, 1.5-2
// s less CPU, 4.35-5.27 s rather than 6.25-7.00 s, with the same peak
// memory (within 3 %); see docs/scale-log.md, session 52.
//
// A build asks when its cache gives back records made by the same
// binary for the same site.toml (pipeline.Options.Rebuilding). A full
// build does not, nor the first build after an upgrade of evalpress:
// they render every page, allocate many times their peak (a million
// page faults at 100,000 evaluations, 4 GB), and the runtime gives
// memory back as the heap shrinks, splitting the huge pages it gives
// back part of. Asked for the first 1 GB of its heap, the full build of
// 100,000 evaluations took 185 s and 343 s of CPU rather than 141 s and
// 254 s, and one of 10,000 gained nothing (12.3-16.7 s either way, with
// more system CPU).
//
// The block is what the rebuild's heap is expected to reach, within the
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
	err    error   // why the system refused it, for the tests
}

// preferHugePages asks for huge pages for the next n bytes of heap (see
// above), once per process: once asked, later calls do nothing. Nor
// does it ask while the heap holds more free memory than an eighth of
// the block (freshEnough): the runtime could place the block there and
// would then clear it, touching what the asking must not. That is a
// rebuild in build -watch after a first build without a cache, whose
// heap the full build left large and mostly free.
func preferHugePages(n uint64) {
	hugeHeap.mu.Lock()
	defer hugeHeap.mu.Unlock()
	if hugeHeap.asked || !hugePagesAdvised || n < hugeHeapMin || thpDisabled(os.Getenv("GODEBUG")) || !freshEnough(n, heapFree()) {
		return
	}
	hugeHeap.asked = true
	hugeHeap.lo, hugeHeap.hi, hugeHeap.err = askHugePages(n)
	runtime.GC() // frees the block: its pages are the heap's to hand out
}

// askHugePages allocates a block of n bytes, which the runtime takes
// fresh from the system and does not write into, and asks for huge
// pages for it. It returns the block's bounds, or zeros and the reason
// when the system refused; the block is garbage once it returns.
func askHugePages(n uint64) (lo, hi uintptr, err error) {
	b := make([]byte, n)
	if err := adviseHugePages(b); err != nil {
		return 0, 0, err
	}
	lo = sliceAddr(b)
	return lo, lo + uintptr(n), nil
}

// freshEnough reports whether a block of n bytes would come mostly
// fresh from the system, given the free memory the heap holds (free):
// at most an eighth of it could be cleared.
func freshEnough(n, free uint64) bool { return free <= n/8 }

// heapFree returns the memory the heap holds free and not given back to
// the system, which may have been written and which the runtime clears
// before it hands it out again; 0 where the runtime does not tell.
func heapFree() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/free:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// hugeHeapMin is the least heap worth asking for: a few huge pages.
const hugeHeapMin = 16 << 20

// hugeHeapFor returns the heap to ask huge pages for in a rebuild from
// a cache of the given number of evaluation pages whose memory limit is
// limit: hugeHeapPerPage for each, at most 3/4 of the limit.
func hugeHeapFor(pages int, limit int64) uint64 {
	return min(uint64(max(pages, 0))*hugeHeapPerPage, uint64(max(limit, 0))/4*3)
}

// hugeHeapPerPage is about what a rebuild's heap grows to per
// evaluation page of the previous build: 1.1 GB of resident memory at
// 96,992, of which 0.2 GB are the cache's files mapped into memory.
const hugeHeapPerPage = 10 << 10

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
