package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// A build allocates a great deal (every page, every narrative's tree)
// over a live heap that stays small while the pages are made: the site's
// model and a page or two per core. With the collector's default (GOGC
// 100) it then collects each time the heap has grown by that small live
// heap, and at 10,000 evaluations the collection and its write barriers
// took a sixth of the build's CPU. tuneGC lets the heap grow further
// while it is small: after each collection it sets GOGC so that the next
// one comes when the heap reaches gcCeiling, at most 4× the live heap
// more, and never less than the default. The peak of a build is later,
// when the search index is made, and does not rise: there the live heap
// is more than half the ceiling and GOGC is the default.
//
// No memory limit (debug.SetMemoryLimit) is set: at 100,000 evaluations
// the live heap is larger than any fixed limit that keeps 10,000 within
// its budget, and a limit under the live heap makes the collector run
// without pause. This tuning can only be the default or collect less
// often, and the heap it allows is never over gcCeiling or twice the live
// heap, which is what the default allows.

// gcCeiling is the heap size up to which tuneGC lets the heap grow
// between collections.
const gcCeiling = 256 << 20

// gcPercent bounds: the default, and at most this many times fewer
// collections.
const (
	gcPercentMin = 100
	gcPercentMax = 400
)

// gcPercentFor returns the GOGC that makes the next collection come when
// the heap reaches ceiling, given the live heap after the last one,
// within [gcPercentMin, gcPercentMax].
func gcPercentFor(live, ceiling uint64) int {
	if live == 0 || live >= ceiling {
		return gcPercentMin
	}
	return int(min(max((ceiling-live)*100/live, gcPercentMin), gcPercentMax))
}

// tuning is set while a tuneGC is in effect: one at a time (the tests
// run builds in parallel in one process).
var tuning atomic.Bool

// tuneGC tunes the collector (see the top of this file) until stop is
// called, which puts GOGC back. It does nothing when the user set GOGC or
// GOMEMLIMIT: their setting stands.
func tuneGC() (stop func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" || !tuning.CompareAndSwap(false, true) {
		return func() {}
	}
	t := &gcTuner{percent: gcPercentMin}
	t.old = debug.SetGCPercent(gcPercentMin)
	t.arm()
	return func() {
		t.mu.Lock()
		t.stopped = true
		debug.SetGCPercent(t.old)
		t.mu.Unlock()
		tuning.Store(false)
	}
}

// gcTuner follows the collections of one tuneGC.
type gcTuner struct {
	mu      sync.Mutex
	stopped bool
	old     int // GOGC before tuneGC
	percent int // GOGC set last
	sample  [1]metrics.Sample
}

// gcSentinel is an object that becomes garbage at once: its cleanup runs
// after the collection that finds it, and arms the next one.
type gcSentinel struct{ _ [32]byte }

func (t *gcTuner) arm() {
	runtime.AddCleanup(new(gcSentinel), func(t *gcTuner) { t.collected() }, t)
}

// collected runs after each collection: it sets GOGC from the live heap
// the collection left.
func (t *gcTuner) collected() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return
	}
	t.sample[0].Name = "/gc/heap/live:bytes"
	metrics.Read(t.sample[:])
	if t.sample[0].Value.Kind() == metrics.KindUint64 {
		if p := gcPercentFor(t.sample[0].Value.Uint64(), gcCeiling); p != t.percent {
			debug.SetGCPercent(p)
			t.percent = p
		}
	}
	t.arm()
}
