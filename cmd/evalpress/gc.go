package main

import (
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"

	"github.com/evalpress/evalpress/internal/sysfile"
)

// A build allocates a great deal (every page, every narrative's tree)
// over a live heap that is small for most of it: in the load, a few
// records per core; while the pages are made, the site's model and a
// page or two per core. With the collector's default (GOGC 100) it then
// collects each time the heap has grown by that small live heap: at
// 10,000 evaluations 62 times, and the collections and their write
// barriers took a sixth of the build's CPU. tuneGC lets the heap grow
// further while it is small: after each collection it sets GOGC so that
// the next one comes when the heap reaches gcCeiling, at most 4× the
// live heap more, and never less often than the default.
//
// Where a build's memory peaks (the search index, the open data) the
// live heap is over half the ceiling, and GOGC is the default there. The
// peak is then bounded by a soft memory limit (debug.SetMemoryLimit)
// that follows the live heap: gcLimitFloor, or 3/2 of the live heap when
// that is more. The floor keeps a site of 10,000 evaluations within its
// memory budget; the part that follows the live heap means the limit is
// never under it, as a fixed limit would be at 100,000 evaluations, where
// the collector would then run without pause: past the floor, a
// collection comes at least every half of the live heap allocated, which
// is at most twice as often as the default. (With 7/4, a build of 100,000
// evaluations after an upgrade of evalpress, which renders every page
// while it holds the previous build's cache index and output states,
// 150 MB more live heap than a first build, was allowed 1.6 GB and
// peaked at 1,666,240 KB, over its budget.) That is not free where
// the live heap is large: at 100,000 evaluations (make bench-large) the
// build peaked at 1.9 GiB instead of 3.0 GiB with GOGC=100, but took
// 274 s instead of 201 s. Memory is the bound kept: a build that does not
// fit fails, a slower one still publishes.
//
// A build that starts from the cache of the previous one (a rebuild)
// holds, from its first second, what it read of that cache: the records
// and the index of every page, live to its end, and it renders little.
// It is tuned as any build, with the budget of the previous build's size
// from the start (scale). Letting its heap grow to the memory limit
// instead (GOGC off once the cache's index was read, as for a while it
// did) collected twice rather than six times, but touched some 300 MB
// more memory: at 100,000 evaluations it peaked at 1,420 MiB rather than
// 1,099-1,235 MiB, and took more CPU, not less, where the system is slow to
// give a process new pages (seven alternating pairs of rebuilds; the
// page faults were a sixth of the rebuild's CPU).
//
// A larger site gets a larger budget, growing as the square root of its
// size (gcScale): the ceiling and the floor of a site of n evaluations
// are √(n/10,000) times those of 10,000, so 1.4 GB of limit at 100,000,
// within its 1.5 GiB budget. At 100,000 the collector took half of the
// build's CPU, with a collection every 3/4 of the live heap allocated;
// with the budget's room it comes every 1 to 2 live heaps.

// gcCeiling is the heap size up to which tuneGC lets the heap grow
// between collections.
const gcCeiling = 256 << 20

// gcLimitFloor is the least memory limit tuneGC sets: the Go runtime's
// memory, which is the process's but for the executable's own pages.
const gcLimitFloor = 448 << 20

// gcLimitFor returns the memory limit for the live heap after the last
// collection: the floor, or 3/2 of the live heap when that is more, less
// the bytes of files mapped into memory (sysfile.Mapped), but never under
// 5/4 of the live heap.
//
// A build started from the previous build's cache maps the cache's index
// and parts of loaded records (200 MB at 100,000 evaluations) and its
// records share them to its end: resident memory of the process that
// the runtime's limit does not count. A rebuild of one edited record
// stays far under its limit, and is not changed by this. A build that
// renders every page while it holds them (the first after an upgrade of
// evalpress, whose pages' keys all change) peaked at 1,677,048 KB, of
// which 219,872 KB were the mapped files, over its 1.5 GiB budget.
func gcLimitFor(live, floor, mapped uint64) int64 {
	limit := max(floor, live/2*3)
	if limit < mapped {
		limit = 0
	} else {
		limit -= mapped
	}
	return int64(max(limit, live/4*5))
}

// mappedBytes is sysfile.Mapped, as the tuner's rule takes it.
func mappedBytes() uint64 { return uint64(max(sysfile.Mapped(), 0)) }

// gcScale returns by how much the ceiling and the floor grow for a site
// of n evaluations: √(n/10,000), and 1 for a site of up to 10,000.
func gcScale(n int) float64 {
	return math.Sqrt(max(float64(n), gcScaleBase) / gcScaleBase)
}

// gcScaleBase is the size of site that the ceiling and the floor are
// for: the 10,000 evaluations of make bench.
const gcScaleBase = 10000

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
// called, which puts GOGC and the memory limit back; scale, called with
// the previous build's size when the cache tells it and again once the
// number of records is known (before they are read), gives a larger
// site its larger budget. rebuild, called with the previous build's
// size once the build's cache gives back records made by this binary
// (pipeline.Options.Rebuilding), asks for huge pages for the heap the
// rebuild grows into (preferHugePages). It does nothing when the user
// set GOGC or GOMEMLIMIT: their setting stands.
func tuneGC() (stop func(), scale func(evaluations int), rebuild func(pages int)) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" || !tuning.CompareAndSwap(false, true) {
		return func() {}, func(int) {}, func(int) {}
	}
	t := &gcTuner{percent: gcPercentMin, ceiling: gcCeiling, floor: gcLimitFloor}
	t.limit = gcLimitFor(0, t.floor, mappedBytes())
	t.old = debug.SetGCPercent(gcPercentMin)
	t.oldLimit = debug.SetMemoryLimit(t.limit)
	done := make(chan struct{})
	followed := make(chan struct{})
	go func() {
		defer close(followed)
		t.follow(done)
	}()
	return func() {
		close(done)
		<-followed
		t.mu.Lock() // follow is done: nothing sets them after this
		debug.SetGCPercent(t.old)
		debug.SetMemoryLimit(t.oldLimit)
		t.mu.Unlock()
		tuning.Store(false)
	}, t.scale, t.rebuild
}

// scale sets the ceiling and the floor for a site of n evaluations; the
// next collection applies them.
func (t *gcTuner) scale(n int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := gcScale(n)
	t.ceiling, t.floor = uint64(gcCeiling*f), uint64(gcLimitFloor*f)
}

// rebuild asks, once per process, for huge pages for the heap of a
// rebuild from a cache of the given number of evaluation pages, within
// the limit of the budget scale set.
func (t *gcTuner) rebuild(pages int) {
	t.mu.Lock()
	limit := gcLimitFor(0, t.floor, mappedBytes())
	t.mu.Unlock()
	preferHugePages(hugeHeapFor(pages, limit))
}

// setLimit sets the memory limit l; t.mu must be held.
func (t *gcTuner) setLimit(l int64) {
	if l != t.limit {
		debug.SetMemoryLimit(l)
		t.limit = l
	}
}

// gcTuner follows the collections of one tuneGC.
type gcTuner struct {
	mu       sync.Mutex
	old      int   // GOGC before tuneGC
	oldLimit int64 // the memory limit before tuneGC
	percent  int   // GOGC set last
	limit    int64 // the memory limit set last
	// ceiling and floor are gcCeiling and gcLimitFloor, scaled to the
	// site's size.
	ceiling, floor uint64
}

// gcFollowed counts the collections that tuners followed, for the tests.
var gcFollowed atomic.Int64

// How the tuner learns of a collection: it reads the runtime's count of
// them every gcPollMin while they come, backing off to gcPollMax while
// none does (an idle build -watch wakes twice a second).
//
// It used to be told by the cleanup of an object made garbage at once,
// armed again after each collection. A cleanup runs only once the
// object's span is swept, and the background sweeper yields to a busy
// program: in a rebuild of 100,000 evaluations on two busy cores the
// tuner followed a collection 0.2 to 0.6 s late, and missed the next
// one when it came meanwhile. It left GOGC at 400, set for a live heap
// of 44 MB, over one of 246 MB: the heap grew to 1,140 MB rather than
// 810 MB, and the rebuild took 80,000 more page faults, some 0.6 s.
const (
	gcPollMin = 10 * time.Millisecond
	gcPollMax = 500 * time.Millisecond
)

// follow calls collected after each collection, until done is closed.
func (t *gcTuner) follow(done <-chan struct{}) {
	sample := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 || sample[1].Value.Kind() != metrics.KindUint64 {
		return // a runtime that does not tell: the defaults stand
	}
	seen := sample[0].Value.Uint64()
	wait := gcPollMin
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case <-done:
			return
		case <-timer.C:
		}
		metrics.Read(sample)
		if n := sample[0].Value.Uint64(); n != seen {
			seen = n
			t.collected(sample[1].Value.Uint64())
			wait = gcPollMin
		} else {
			wait = min(2*wait, gcPollMax)
		}
		timer.Reset(wait)
	}
}

// collected sets GOGC and the memory limit from the live heap a
// collection left.
func (t *gcTuner) collected(live uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if p := gcPercentFor(live, t.ceiling); p != t.percent {
		debug.SetGCPercent(p)
		t.percent = p
	}
	t.setLimit(gcLimitFor(live, t.floor, mappedBytes()))
	gcFollowed.Add(1)
}
